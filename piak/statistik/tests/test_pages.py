"""The statistics pages: city page with ranking and every table, the kecamatan drill-down, the comparison
of two snapshots, and their XLSX downloads. Expected figures are worked out by hand from conftest.py."""

import io
from decimal import Decimal
from html.parser import HTMLParser

import openpyxl
import pytest
from django.urls import reverse

from piak.core import roles
from piak.statistik.compare import change, comparison_build
from piak.statistik.selectors import scope_kecamatan
from piak.statistik.tables import report_build

ILIR_BARAT_II = "16.71.01"  # kelurahan A (8 residents) and B (4) of the hand-made population
ILIR_TIMUR_II = "16.71.06"  # kelurahan C (3)


@pytest.fixture
def kasi(client, make_official):
    client.force_login(make_official("kasi", roles.KASI_PPD))
    return client


class _Tables(HTMLParser):
    """The `table.data` tables of a page as rows of cell texts (header row included)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None
        self.inside = False

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "table":
            self.inside = "data" in classes
            if self.inside:
                self.tables.append([])
        elif self.inside and tag == "tr":
            self.tables[-1].append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def page_tables(html: str) -> list[list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def as_number(text: str) -> Decimal | None:
    """A number as the page shows it (1.234,56; — for none) back to a Decimal."""
    return None if text == "—" else Decimal(text.replace(".", "").replace(",", "."))


def sheet_rows(content: bytes) -> tuple[list[tuple], list[str]]:
    """(every row of the only sheet, the texts of column A) of an XLSX download."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert len(book.worksheets) == 1
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    return rows, [row[0] for row in rows if isinstance(row[0], str)]


def assert_same_numbers(page_table: list[list[str]], rows: list[tuple]) -> None:
    """The page's table (header + body) equals the sheet's rows 3… cell by cell; numbers as numbers."""
    header, *body = page_table
    assert list(rows[2][: len(header)]) == header
    for shown, stored in zip(body, rows[3 : 3 + len(body)], strict=True):
        assert shown[0] == stored[0]
        for text, value in zip(shown[1:], stored[1 : len(shown)], strict=True):
            if isinstance(value, str):  # the kecamatan column of the kelurahan annex
                assert text == value
                continue
            expected = as_number(text)
            assert value is None if expected is None else Decimal(str(value)) == expected, (shown, stored)
            assert value is None or isinstance(value, int | float)


def by_name(rows) -> dict:
    return {row[0]: row for row in rows}


# ------------------------------------------------------------------------------------------- drill-down


def test_kecamatan_figures_are_the_sum_of_its_kelurahan_and_match_the_city_table(hand_snapshots):
    snapshot = hand_snapshots["current"]
    city = report_build(snapshot)
    kecamatan = report_build(snapshot, scope_kecamatan(ILIR_BARAT_II))
    city_rows = {n: by_name(t.rows) for n, t in enumerate(city.tables)}
    # population, families, events and wajib KTP: the counts of tables 1, 4, 6 and 7
    for number, columns in ((0, range(1, 5)), (3, (1, 3, 4)), (9, range(1, 5)), (10, (1,))):
        *kelurahan, total = kecamatan.tables[number].rows
        assert total[0] == "Kecamatan Ilir Barat II"
        for column in columns:
            assert total[column] == sum(row[column] or 0 for row in kelurahan)
            assert total[column] == city_rows[number]["Ilir Barat II"][column]
    *_, total = kecamatan.tables[0].rows
    assert total[1:5] == [5, 6, 1, 12]  # 5 men, 6 women, 1 unknown: kelurahan A (8) and B (4)
    assert kecamatan.tables[3].rows[-1][1] == 6  # families 1–6
    assert kecamatan.tables[9].rows[-1][1:5] == [0, 1, 2, 0]  # a death in A, two moves into B
    age_total = next(row for row in kecamatan.tables[1].rows if row[0] == "Jumlah")
    assert age_total[1:5] == [5, 6, 1, 12]


def test_ranking_is_by_population_with_shared_ranks(hand_snapshots):
    ranking = report_build(hand_snapshots["current"], scope_kecamatan(ILIR_BARAT_II)).ranking
    top = [(1, "35 Ilir", 8), (2, "32 Ilir", 4), (3, "30 Ilir", 0)]
    assert [(r.rank, r.name, r.jumlah) for r in ranking[:3]] == top
    assert {r.rank for r in ranking[2:]} == {3}  # every empty kelurahan shares third place
    city = report_build(hand_snapshots["current"]).ranking
    assert [(r.rank, r.code, r.jumlah) for r in city[:2]] == [(1, ILIR_BARAT_II, 12), (2, ILIR_TIMUR_II, 3)]
    assert sum(r.jumlah for r in city) == 15


def test_city_page_ranks_kecamatan_links_them_and_shows_every_table(kasi, hand_snapshots):
    snapshot = hand_snapshots["current"]
    page = kasi.get(reverse("statistik:snapshot", args=[snapshot.pk])).content.decode()
    assert "Peringkat kecamatan menurut jumlah penduduk" in page
    assert reverse("statistik:kecamatan", args=[snapshot.pk, ILIR_BARAT_II]) in page
    assert len(page_tables(page)) == 12  # tables 1–4, 5a–5e, 6, 7 and the kelurahan annex
    for number in range(1, 13):
        assert reverse("statistik:table_xlsx", args=[snapshot.pk, number]) in page
    assert 'style="' not in page  # the CSP forbids inline styles


def test_kecamatan_page_shows_its_headline_pyramid_ranking_and_tables(kasi, hand_snapshots):
    snapshot = hand_snapshots["current"]
    response = kasi.get(reverse("statistik:kecamatan", args=[snapshot.pk, ILIR_BARAT_II]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Indikator utama (Kecamatan Ilir Barat II)" in page
    assert "Piramida penduduk Kecamatan Ilir Barat II, 30-06-2026" in page
    assert "Peringkat kelurahan menurut jumlah penduduk" in page
    tables = page_tables(page)
    assert len(tables) == 11  # no kelurahan annex: table 1 already lists them
    assert by_name(tables[0])["Kecamatan Ilir Barat II"][1:5] == ["5", "6", "1", "12"]
    assert reverse("statistik:kecamatan_table_xlsx", args=[snapshot.pk, ILIR_BARAT_II, 11]) in page


# ------------------------------------------------------------------------------------------------- XLSX


@pytest.mark.parametrize("kode", [None, ILIR_BARAT_II])
def test_every_table_xlsx_holds_the_numbers_of_the_page(kasi, hand_snapshots, kode):
    snapshot = hand_snapshots["current"]
    page_url = reverse("statistik:kecamatan", args=[snapshot.pk, kode]) if kode else None
    page = kasi.get(page_url or reverse("statistik:snapshot", args=[snapshot.pk])).content.decode()
    for number, table in enumerate(page_tables(page), start=1):
        args = [snapshot.pk, kode, number] if kode else [snapshot.pk, number]
        response = kasi.get(reverse("statistik:kecamatan_table_xlsx" if kode else "statistik:table_xlsx", args=args))
        assert response["Content-Disposition"].startswith("attachment; filename=")
        rows, texts = sheet_rows(response.content)
        assert rows[0][0].startswith("Tabel ") or rows[0][0].startswith("Lampiran.")
        assert rows[1][0].startswith("Satuan: ")
        assert any(t.startswith(f"Sumber: snapshot #{snapshot.pk}, tanggal potong 30-06-2026") for t in texts)
        assert_same_numbers(table, rows)


def test_comparison_xlsx_holds_the_numbers_of_the_page(kasi, hand_snapshots):
    query = {"a": hand_snapshots["semester"].pk, "b": hand_snapshots["current"].pk}
    page = kasi.get(reverse("statistik:comparison"), query).content.decode()
    book = openpyxl.load_workbook(io.BytesIO(kasi.get(reverse("statistik:comparison_xlsx"), query).content))
    tables = page_tables(page)
    assert len(tables) == len(book.worksheets) == 2
    for table, sheet in zip(tables, book.worksheets, strict=True):
        rows = list(sheet.iter_rows(values_only=True))
        assert_same_numbers(table, rows)
        assert any(str(row[0]).startswith("Sumber: B: #") for row in rows)


def test_unknown_table_number_is_404(kasi, hand_snapshots):
    response = kasi.get(reverse("statistik:table_xlsx", args=[hand_snapshots["current"].pk, 13]))
    assert response.status_code == 404
    assert "Tabel nomor 13 tidak ada" in response.content.decode()


# ------------------------------------------------------------------------------------------- comparison


def test_change_is_absolute_and_in_percent_of_a_rounded_half_up():
    assert change(Decimal("85.71"), Decimal("100.00")) == (Decimal("14.29"), Decimal("16.67"))
    assert change(14, 15) == (1, Decimal("7.14"))
    assert change(3, 1) == (-2, Decimal("-66.67"))
    assert change(8, 9) == (1, Decimal("12.50"))  # exactly half: rounded up
    assert change(0, 5) == (5, None)  # no percentage of zero
    assert change(None, 5) == (None, None)


def test_comparison_of_two_hand_made_semesters(hand_snapshots):
    a, b = hand_snapshots["semester"], hand_snapshots["current"]
    result = comparison_build(a=a, b=b)
    headline = by_name(result.headline.rows)
    # 31 Dec 2025: 14 residents, 6 men and 7 women, 7 KK; 30 Jun 2026: 15, 7 and 7, 7 KK
    assert headline["Jumlah penduduk (jiwa)"][1:] == [14, 15, 1, Decimal("7.14")]
    assert headline["Rasio jenis kelamin (laki-laki per 100 perempuan)"][1:] == [
        Decimal("85.71"),
        Decimal("100.00"),
        Decimal("14.29"),
        Decimal("16.67"),
    ]
    assert headline["Jumlah Kartu Keluarga (KK)"][1:] == [7, 7, 0, Decimal("0.00")]
    kecamatan = by_name(result.kecamatan.rows)
    assert kecamatan["Ilir Barat II"][1:] == [11, 12, 1, Decimal("9.09")]
    assert kecamatan["Ilir Timur II"][1:] == [3, 3, 0, Decimal("0.00")]
    assert kecamatan["Seberang Ulu I"][1:] == [0, 0, 0, None]
    assert kecamatan["Kota Palembang"][1:] == [14, 15, 1, Decimal("7.14")]
    assert result.kecamatan.header[1:3] == [f"A: #{a.pk} (31-12-2025)", f"B: #{b.pk} (30-06-2026)"]


def test_comparison_page_shows_the_change(kasi, hand_snapshots):
    query = {"a": hand_snapshots["semester"].pk, "b": hand_snapshots["current"].pk}
    response = kasi.get(reverse("statistik:comparison"), query)
    assert response.status_code == 200
    rows = by_name(page_tables(response.content.decode())[1])
    assert rows["Ilir Barat II"][1:] == ["11", "12", "1", "9,09"]


def test_comparison_page_without_input_offers_the_two_latest_snapshots(kasi, hand_snapshots):
    response = kasi.get(reverse("statistik:comparison"))
    assert response.status_code == 200
    assert response.context["form"].initial == {"b": hand_snapshots["current"].pk, "a": hand_snapshots["semester"].pk}
    assert reverse("statistik:comparison") in kasi.get(reverse("statistik:snapshots")).content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"a": "same", "b": "same"}, "Pilih dua snapshot yang berbeda"),
        ({"a": "current"}, "Pilih Snapshot B (akhir)."),
        ({"a": "current", "b": "9999"}, "Snapshot B (akhir) tidak ada"),
        ({"a": "abc", "b": "current"}, "Snapshot A (awal) tidak ada"),
        ({"a": "", "b": ""}, "Pilih Snapshot A (awal)."),
    ],
)
@pytest.mark.parametrize("url", ["statistik:comparison", "statistik:comparison_xlsx"])
def test_bad_comparison_input_is_a_clear_message_with_status_400(kasi, hand_snapshots, query, message, url):
    pk = hand_snapshots["current"].pk
    real = {k: (pk if v in ("same", "current") else v) for k, v in query.items()}
    response = kasi.get(reverse(url), real)
    assert response.status_code == 400
    assert message in response.content.decode()


# ------------------------------------------------------------------------------------ not found, access


def test_unknown_kecamatan_is_a_404_page_in_bahasa_indonesia(kasi, hand_snapshots):
    pk = hand_snapshots["current"].pk
    for url in (
        reverse("statistik:kecamatan", args=[pk, "16.71.99"]),
        reverse("statistik:kecamatan_table_xlsx", args=[pk, "16.71.99", 1]),
    ):
        response = kasi.get(url)
        assert response.status_code == 404
        assert "Kecamatan dengan kode 16.71.99 tidak ada di Kota Palembang." in response.content.decode()
    response = kasi.get(reverse("statistik:kecamatan", args=[999, ILIR_BARAT_II]))
    assert response.status_code == 404 and "Snapshot #999 tidak ada." in response.content.decode()


def _new_urls(pk: int) -> list[str]:
    return [
        reverse("statistik:kecamatan", args=[pk, ILIR_BARAT_II]),
        reverse("statistik:table_xlsx", args=[pk, 1]),
        reverse("statistik:kecamatan_table_xlsx", args=[pk, ILIR_BARAT_II, 1]),
        reverse("statistik:comparison") + f"?a={pk}&b={pk}",
        reverse("statistik:comparison_xlsx") + f"?a={pk}&b={pk}",
    ]


def test_anonymous_visitors_are_sent_to_the_login_page(client, hand_snapshots):
    for url in _new_urls(hand_snapshots["current"].pk):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


def test_users_without_the_statistik_permission_are_refused(client, make_official, hand_snapshots):
    client.force_login(make_official("tamu"))  # no role today
    for url in _new_urls(hand_snapshots["current"].pk):
        assert client.get(url).status_code == 403, url
