import io
import subprocess
import xml.etree.ElementTree as ET

import openpyxl

from piak.statistik.report import report_pdf, report_xlsx
from piak.statistik.tables import label_case
from piak.web.charts import Bar, bars_svg, pyramid_svg
from piak.web.xlsx import Sheet, neutralise, workbook_bytes


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "laporan.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_report_pdf_has_kop_numbered_pages_every_table_and_the_snapshot_checksum(hand_snapshots, tmp_path):
    snapshot = hand_snapshots["current"]
    text = pdf_text(report_pdf(snapshot), tmp_path)
    assert "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL" in text
    assert "LAPORAN DATA KEPENDUDUKAN KOTA PALEMBANG" in text
    for number in (
        "Tabel 1.",
        "Tabel 2.",
        "Tabel 3.",
        "Tabel 4.",
        "Tabel 5a.",
        "Tabel 6.",
        "Tabel 7.",
        "Lampiran.",
    ):
        assert number in text
    assert "Halaman 1 dari" in text
    assert snapshot.sha256 in text.replace("\n", "").replace(" ", "")
    assert "Tidak diketahui / belum mengisi" in text
    assert "Catatan definisi" in text
    assert "400,61" in text  # the city area the density used


def test_report_xlsx_has_one_sheet_per_table_with_numbers_as_numbers(hand_snapshots):
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(hand_snapshots["current"])))
    assert len(book.sheetnames) == 12  # tables 1–4, 5a–5e, 6, 7 and the kelurahan annex
    first = book["1 Penduduk"]
    assert first["A1"].value.startswith("Tabel 1.")
    city_row = next(row for row in first.iter_rows(values_only=True) if row[0] == "Kota Palembang")
    assert city_row[1:5] == (7, 7, 1, 15)
    assert all(isinstance(v, int | float) for v in city_row[1:5])


def test_formula_like_text_is_neutralised_in_xlsx():
    sheet = Sheet("x", '=HYPERLINK("http://a")', ["@h"], [["-1+1", 5]], ["+catatan"])
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes([sheet])))
    ws = book.worksheets[0]
    assert ws["A1"].value == '\'=HYPERLINK("http://a")'
    assert ws["A3"].value == "'@h"
    assert ws["A4"].value == "'-1+1" and ws["B4"].value == 5
    assert neutralise("Islam") == "Islam"


def test_charts_are_valid_svg_with_escaped_labels():
    pyramid = pyramid_svg([("0–4", 10, 12), ("75+", 1, 3)], "Piramida <uji>")
    bars = bars_svg([Bar("Ilir <Barat> & co", 1234)], "Batang")
    for svg in (pyramid, bars):
        root = ET.fromstring(svg)
        assert root.tag.endswith("svg")
    assert "Ilir &lt;Barat&gt; &amp; co" in bars
    assert "1.234" in bars  # Indonesian thousands separator
    assert pyramid.count("<rect") == 4


def test_code_labels_keep_their_acronyms_and_roman_numerals():
    assert label_case("DIPLOMA IV/ STRATA I") == "Diploma IV/ Strata I"
    assert label_case("KEPOLISIAN RI (POLRI)") == "Kepolisian RI (POLRI)"
    assert label_case("BELUM TAMAT SD/SEDERAJAT") == "Belum Tamat SD/Sederajat"
    assert label_case("Kepercayaan Terhadap Tuhan YME / Lainnya") == "Kepercayaan Terhadap Tuhan YME / Lainnya"
    assert label_case("ISLAM") == "Islam"
