"""The default table set of INDICATORS.md, built from a snapshot's stored indicator values, for the city
(rows per kecamatan) or for one kecamatan (rows per kelurahan).

Tables are plain data (header, rows of numbers and text, footnotes) so the PDF, the XLSX and the web
page all show the same figures."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from piak.core.errors import ValidationFailed
from piak.core.waktu import waktu_wib
from piak.web.charts import Bar, bars_svg, number_id, pyramid_svg
from piak.web.xlsx import Sheet
from piak.wilayah.models import Kelurahan

from .definitions import UNKNOWN, UNKNOWN_LABEL, Definitions, default_definitions, formula_text
from .models import IndicatorRun, Snapshot
from .selectors import Part, Scope, latest_run, report_value_map, scope_city
from .services import previous_snapshots

SEX = ("1", "2", UNKNOWN)
COMPOSITIONS = ("status_kawin", "pendidikan", "pekerjaan", "agama", "disabilitas")
ACRONYM = re.compile(r"(?:[IVX]+|SD|SLTP|SLTA|RI|POLRI|PNS|TNI|BUMN|BUMD|DPR|DPD|DPRD|BPK|YME)")
# The codes a data request names (naskah's TABEL_LAPORAN lists the same seven, INDICATORS.md's default set).
TABLE_CODES = ("T1", "T2", "T3", "T4", "T5", "T6", "T7")
# Headline indicators, each with the table it belongs to: a report of some tables heads only with theirs.
HEADLINE = {"jumlah_penduduk": "T1", "rasio_jenis_kelamin": "T2", "kepadatan_penduduk": "T1",
            "rasio_ketergantungan_total": "T2", "umur_median": "T2", "jumlah_kk": "T4",
            "pertumbuhan_semester": "T3", "cakupan_perekaman_ktp_el": "T7",
            "cakupan_akta_lahir_0_17": "T7"}  # fmt: skip


@dataclass(frozen=True)
class Rank:
    rank: int  # equal populations share a rank (1, 2, 2, 4)
    code: str
    name: str
    jumlah: int
    distribusi: Decimal | None


@dataclass(frozen=True)
class Section:
    """One table of the report under the request code it answers, with the chart printed after it."""

    code: str  # T1 … T7
    table: Sheet
    chart: str = ""  # SVG
    annex: bool = False  # printed after the tables, on a page of its own


@dataclass
class Report:
    snapshot: Snapshot
    scope: Scope
    run: IndicatorRun
    definitions: Definitions
    sections: list[Section]
    codes: tuple[str, ...]  # the tables this report carries (all of them unless a request chose)
    source: list[str]  # where the figures come from: snapshot, definitions, city area
    pyramid: str
    bars: str  # the ranking as a bar chart, largest first
    ranking: list[Rank]
    headline: list[tuple[str, str, str]]  # (label, formatted value, unit)
    previous: Snapshot | None
    formulas: list[tuple[str, str]]  # (label, formula in words)

    @property
    def tables(self) -> list[Sheet]:
        return [section.table for section in self.sections]

    @property
    def sheets(self) -> list[Sheet]:
        """The tables as spreadsheets: each one states its source, so it can travel alone."""
        return [table.with_notes(self.source) for table in self.tables]

    @property
    def partial(self) -> bool:
        return self.codes != TABLE_CODES


class _Values:
    def __init__(self, run: IndicatorRun | None, scope: Scope) -> None:
        self.map = report_value_map(run, scope) if run else {}

    def get(self, indicator: str, region: str, breakdown: str = "", category: str = "") -> Decimal | None:
        found = self.map.get((indicator, region, breakdown, category))
        return None if found is None else found.nilai

    def note(self, indicator: str, region: str) -> str:
        found = self.map.get((indicator, region, "", ""))
        return found.catatan if found else ""

    def count(self, indicator: str, region: str, breakdown: str, category: str) -> int:
        return int(self.get(indicator, region, breakdown, category) or 0)


def plain(value: Decimal | None, decimals: int) -> Decimal | int | None:
    if value is None:
        return None
    return int(value) if decimals == 0 else value.quantize(Decimal(1).scaleb(-decimals))


def _rows(scope: Scope) -> list[Part]:
    """The scope's parts, then the scope itself as the total row."""
    return [*scope.parts, Part(scope.code, scope.name)]


def _population_table(v: _Values, prev: _Values, scope: Scope, has_prev: bool) -> Sheet:
    header = [scope.part_label, "Laki-laki", "Perempuan", UNKNOWN_LABEL, "Jumlah"]
    header += ["Semester lalu"] if has_prev else []
    header += ["Luas (km²)", "Kepadatan (jiwa/km²)", "Distribusi (% kota)"]
    rows = []
    for part in _rows(scope):
        row = [part.name] + [v.count("jumlah_penduduk", part.code, "jenis_kelamin", c) for c in SEX]
        row.append(plain(v.get("jumlah_penduduk", part.code), 0))
        if has_prev:
            row.append(plain(prev.get("jumlah_penduduk", part.code), 0))
        density = v.map.get(("kepadatan_penduduk", part.code, "", ""))
        row += [
            part.area_km2 if part.code != scope.code else (_area(density.penyebut) if density else None),
            plain(density.nilai if density else None, 2),
            plain(v.get("distribusi_penduduk", part.code), 2),
        ]
        rows.append(row)
    notes = ["Kepadatan = jumlah penduduk / luas (km²). " + v.note("kepadatan_penduduk", scope.code)]
    notes.append(
        "Kecamatan tanpa luas terpublikasi (mis. Ilir Timur II dan Ilir Timur III setelah pemekaran) "
        "tidak dihitung kepadatannya; luas tidak pernah ditaksir."
        if scope.is_city
        else "Luas kelurahan belum terpublikasi, maka kepadatan hanya dihitung untuk kecamatan."
    )
    title = f"Tabel 1. Penduduk {scope.name} menurut {scope.part_label.lower()} dan jenis kelamin"
    return Sheet("1 Penduduk", title, header, rows, notes, "jiwa; luas km²; kepadatan jiwa/km²; distribusi %")


def _area(stored: Decimal | None) -> Decimal | None:
    return None if stored is None else stored.quantize(Decimal("0.01"))


def _kelurahan_annex(v: _Values, kelurahan: list[Kelurahan]) -> Sheet:
    header = ["Kelurahan", "Kecamatan", "Laki-laki", "Perempuan", UNKNOWN_LABEL, "Jumlah", "Distribusi (% kota)"]
    rows = [
        [k.nama, k.kecamatan.nama]
        + [v.count("jumlah_penduduk", k.kode, "jenis_kelamin", c) for c in SEX]
        + [plain(v.get("jumlah_penduduk", k.kode), 0), plain(v.get("distribusi_penduduk", k.kode), 2)]
        for k in kelurahan
    ]
    title = "Lampiran. Penduduk Kota Palembang menurut kelurahan"
    return Sheet("Lampiran Kelurahan", title, header, rows, [], "jiwa; distribusi %")


def _age_table(v: _Values, definitions: Definitions, scope: Scope) -> Sheet:
    header = ["Kelompok umur", "Laki-laki", "Perempuan", UNKNOWN_LABEL, "Jumlah", "Rasio jenis kelamin"]
    rows = []
    for group in [*definitions.age_groups, None]:
        code = str(group.lower) if group else UNKNOWN
        label = group.label if group else UNKNOWN_LABEL
        counts = [v.count("jumlah_penduduk", scope.code, "kelompok_umur,jenis_kelamin", f"{code},{c}") for c in SEX]
        ratio = v.get("rasio_jenis_kelamin", scope.code, "kelompok_umur", code) if group else None
        total = v.count("jumlah_penduduk", scope.code, "kelompok_umur", code)
        rows.append([label, *counts, total, plain(ratio, 2)])
    totals = [v.count("jumlah_penduduk", scope.code, "jenis_kelamin", c) for c in SEX]
    everyone, ratio = v.get("jumlah_penduduk", scope.code), v.get("rasio_jenis_kelamin", scope.code)
    rows.append(["Jumlah", *totals, plain(everyone, 0), plain(ratio, 2)])
    for name in ("rasio_ketergantungan_total", "rasio_ketergantungan_muda", "rasio_ketergantungan_tua",
                 "umur_median", "umur_median_tunggal"):  # fmt: skip
        indicator = definitions.indicator(name)
        rows.append(
            [f"{indicator.label} ({indicator.unit})", None, None, None, plain(v.get(name, scope.code), 2), None]
        )
    notes = [
        "Umur = umur dalam tahun penuh pada tanggal potong.",
        "Rasio ketergantungan = (P0–14 + P65+) / P15–64 × 100.",
        "Umur median kelompok = L + ((N/2 − CF) / f) × w dengan w = 5; versi umur tunggal memakai w = 1. "
        + v.note("umur_median", scope.code),
    ]
    title = f"Tabel 2. Penduduk {scope.name} menurut kelompok umur dan jenis kelamin"
    return Sheet("2 Umur", title, header, rows, notes, "jiwa; rasio jenis kelamin laki-laki per 100 perempuan")


def _growth_table(v: _Values, definitions: Definitions, scope: Scope) -> Sheet:
    header = ["Komponen", "Laki-laki", "Perempuan", UNKNOWN_LABEL, "Jumlah"]
    rows = []
    for name, label in (("lahir", "Lahir"), ("pindah_masuk", "Datang"), ("mati", "Mati"),
                        ("pindah_keluar", "Pindah")):  # fmt: skip
        counts = [v.count(name, scope.code, "jenis_kelamin", c) for c in SEX]
        rows.append([label, *counts, plain(v.get(name, scope.code), 0)])
    rows.append(
        ["Selisih neraca"]
        + [plain(v.get("selisih_neraca", scope.code, "jenis_kelamin", c), 0) for c in SEX]
        + [plain(v.get("selisih_neraca", scope.code), 0)]
    )
    for name in ("pertumbuhan_semester", "pertumbuhan_tahunan", "laju_pertumbuhan_geometrik"):
        indicator = definitions.indicator(name)
        rows.append([f"{indicator.label} ({indicator.unit})", None, None, None, plain(v.get(name, scope.code), 2)])
    notes = [
        "Neraca: akhir = awal + lahir + datang − mati − pindah; selisih ≠ 0 dijelaskan: "
        + v.note("selisih_neraca", scope.code),
        "Pertumbuhan semester = P_S / P_(S−1) − 1 (tidak disetahunkan). " + v.note("pertumbuhan_semester", scope.code),
        "Laju geometrik = (Pt / P0)^(1/t) − 1, t dalam tahun eksak. "
        + v.note("laju_pertumbuhan_geometrik", scope.code),
    ]
    title = f"Tabel 3. Pertumbuhan dan neraca penduduk {scope.name}"
    return Sheet("3 Pertumbuhan", title, header, rows, notes, "jiwa; pertumbuhan %")


def _family_table(v: _Values, scope: Scope) -> Sheet:
    header = [
        scope.part_label,
        "Jumlah KK",
        "Rata-rata jiwa per KK",
        "Kepala keluarga laki-laki",
        "Kepala keluarga perempuan",
    ]
    rows = [
        [p.name, plain(v.get("jumlah_kk", p.code), 0), plain(v.get("rata_rata_jiwa_per_kk", p.code), 2)]
        + [v.count("jumlah_kepala_keluarga", p.code, "jenis_kelamin", c) for c in ("1", "2")]
        for p in _rows(scope)
    ]
    notes = ["KK = Kartu Keluarga; satu KK bukan rumah tangga BPS."]
    title = f"Tabel 4. Keluarga (Kartu Keluarga) {scope.name} menurut {scope.part_label.lower()}"
    return Sheet("4 Keluarga", title, header, rows, notes, "KK; jiwa per KK; kepala keluarga dalam jiwa")


def label_case(text: str) -> str:
    """SIAK's capitalised code labels for reading: 'DIPLOMA IV/ STRATA I' → 'Diploma IV/ Strata I'."""
    return re.sub(r"[A-Za-z]+", lambda m: m[0].upper() if ACRONYM.fullmatch(m[0].upper()) else m[0].capitalize(), text)


def _composition_table(v: _Values, definitions: Definitions, scope: Scope, breakdown: str, number: str) -> Sheet:
    spec = definitions.breakdowns[breakdown]
    key = f"{breakdown},jenis_kelamin"
    header = [spec.label, "Laki-laki", "Perempuan", UNKNOWN_LABEL, "Jumlah"]
    rows = []
    for code, label in [*((str(c), label_case(lbl)) for c, lbl in spec.codes.items()), (UNKNOWN, UNKNOWN_LABEL)]:
        counts = [v.count("jumlah_penduduk", scope.code, key, f"{code},{c}") for c in SEX]
        if sum(counts) or code == UNKNOWN:
            rows.append([label, *counts, sum(counts)])
    total = [sum(row[i] for row in rows) for i in range(1, 5)]
    rows.append(["Jumlah", *total])
    return Sheet(
        f"{number} {spec.label}"[:31],
        f"Tabel {number}. Penduduk {scope.name} menurut {spec.label.lower()} dan jenis kelamin",
        header,
        rows,
        [],
        "jiwa",
    )


def _vital_table(v: _Values, scope: Scope) -> Sheet:
    header = [scope.part_label, "Lahir", "Mati", "Datang", "Pindah", "CBR (‰/tahun)", "CDR (‰/tahun)"]
    rows = [
        [p.name] + [plain(v.get(n, p.code), 0) for n in ("lahir", "mati", "pindah_masuk", "pindah_keluar")]
        + [plain(v.get("angka_kelahiran_kasar", p.code), 2), plain(v.get("angka_kematian_kasar", p.code), 2)]
        for p in _rows(scope)
    ]  # fmt: skip
    notes = [
        "Peristiwa dihitung menurut tanggal peristiwa, bukan tanggal lapor.",
        "CBR/CDR = peristiwa / penduduk pertengahan periode × 1000; "
        "penduduk pertengahan = (awal + akhir) / 2; angka semester disetahunkan. "
        + v.note("angka_kelahiran_kasar", scope.code),
    ]
    title = f"Tabel 6. Peristiwa vital dan angka kasar {scope.name} menurut {scope.part_label.lower()}"
    return Sheet("6 Peristiwa", title, header, rows, notes, "jiwa; CBR dan CDR per 1.000 penduduk per tahun")


def _coverage_table(v: _Values, definitions: Definitions, scope: Scope) -> Sheet:
    names = ["cakupan_perekaman_ktp_el", "cakupan_pencetakan_ktp_el", "cakupan_akta_lahir_0_17",
             "cakupan_akta_lahir_0_18", "cakupan_kia"]  # fmt: skip
    header = [scope.part_label, "Wajib KTP"] + [definitions.indicator(n).label + " (%)" for n in names]
    rows = [
        [p.name, plain(v.get("wajib_ktp", p.code), 0)] + [plain(v.get(n, p.code), 2) for n in names]
        for p in _rows(scope)
    ]
    notes = [
        "Wajib KTP: berumur ≥ 17 tahun atau sudah/pernah kawin (UU 24/2013 pasal 63).",
        "Cakupan di atas 100% ditampilkan apa adanya dan ditandai (pembilang dan penyebut dari basis berbeda).",
        "Cakupan KIA: anak < 17 tahun belum kawin yang memiliki KIA.",
    ]
    title = f"Tabel 7. Cakupan dokumen kependudukan {scope.name} menurut {scope.part_label.lower()}"
    return Sheet("7 Dokumen", title, header, rows, notes, "wajib KTP dalam jiwa; cakupan %")


def _source_notes(definitions: Definitions, snapshot: Snapshot, run: IndicatorRun) -> list[str]:
    return [
        f"Sumber: snapshot #{snapshot.pk}, tanggal potong {snapshot.tanggal_potong:%d-%m-%Y}, "
        f"{number_id(snapshot.jumlah_baris)} penduduk, SHA-256 {snapshot.sha256}.",
        f"Definisi indikator versi {definitions.version}, SHA-256 {definitions.sha256}; "
        f"dihitung {waktu_wib(run.dihitung_pada)}. Pembulatan setengah ke atas pada nilai akhir.",
        f"Luas kota: {definitions.city_area_basis}",
    ]


def snapshot_run(snapshot: Snapshot) -> IndicatorRun:
    """The snapshot's latest indicator run, computed now if it has none yet."""
    run = latest_run(snapshot)
    if run is None:
        from .services import indicators_compute

        run = indicators_compute(snapshot=snapshot)
    return run


def _sections(v: _Values, prev: _Values, definitions: Definitions, scope: Scope, has_prev: bool,
              charts: dict[str, str]) -> list[Section]:  # fmt: skip
    sections = [
        Section("T1", _population_table(v, prev, scope, has_prev), charts["T1"]),
        Section("T2", _age_table(v, definitions, scope), charts["T2"]),
        Section("T3", _growth_table(v, definitions, scope)),
        Section("T4", _family_table(v, scope)),
        *(
            Section("T5", _composition_table(v, definitions, scope, name, f"5{letter}"))
            for letter, name in zip("abcde", COMPOSITIONS, strict=True)
        ),
        Section("T6", _vital_table(v, scope)),
        Section("T7", _coverage_table(v, definitions, scope)),
    ]
    if scope.is_city:  # the population per kelurahan: table 1's rows one level down
        kelurahan = list(Kelurahan.objects.select_related("kecamatan").order_by("kode"))
        sections.append(Section("T1", _kelurahan_annex(v, kelurahan), annex=True))
    return sections


def requested_codes(codes: Sequence[str] | None) -> tuple[str, ...]:
    """The table codes in report order; every table when none are given. An unknown code is refused."""
    if codes is None:
        return TABLE_CODES
    unknown = sorted(set(codes) - set(TABLE_CODES))
    if unknown or not codes:
        raise ValidationFailed(
            f"Tabel laporan tidak dikenal: {', '.join(unknown)}." if unknown else "Pilih minimal satu tabel laporan.",
            code="report_unknown_table",
        )
    return tuple(code for code in TABLE_CODES if code in codes)


def _ranking(v: _Values, scope: Scope) -> list[Rank]:
    """The scope's parts by population, largest first; equal populations share a rank."""
    counted = sorted(((v.count("jumlah_penduduk", p.code, "", ""), p) for p in scope.parts), key=lambda t: -t[0])
    ranking: list[Rank] = []
    for position, (count, part) in enumerate(counted, start=1):
        rank = ranking[-1].rank if ranking and ranking[-1].jumlah == count else position
        ranking.append(Rank(rank, part.code, part.name, count, plain(v.get("distribusi_penduduk", part.code), 2)))
    return ranking


def _headline(
    v: _Values, definitions: Definitions, scope: Scope, codes: tuple[str, ...] = TABLE_CODES
) -> list[tuple[str, str, str]]:
    headline = []
    for name in (name for name, code in HEADLINE.items() if code in codes):
        indicator = definitions.indicator(name)
        value = v.get(name, scope.code)
        shown = "—" if value is None else number_id(value, indicator.decimals)
        headline.append((indicator.label, shown, indicator.unit))
    return headline


def _pyramid(v: _Values, definitions: Definitions, scope: Scope, snapshot: Snapshot) -> str:
    key = "kelompok_umur,jenis_kelamin"
    groups = [
        (g.label, v.count("jumlah_penduduk", scope.code, key, f"{g.lower},1"),
         v.count("jumlah_penduduk", scope.code, key, f"{g.lower},2"))
        for g in definitions.age_groups
    ]  # fmt: skip
    return pyramid_svg(groups, f"Piramida penduduk {scope.name}, {snapshot.tanggal_potong:%d-%m-%Y}")


def headline_of(run: IndicatorRun) -> list[tuple[str, str, str]]:
    """The city's headline indicators of a computed run, without building the report's tables and charts."""
    scope = scope_city()
    return _headline(_Values(run, scope), default_definitions(), scope)


def report_build(snapshot: Snapshot, scope: Scope | None = None, codes: Sequence[str] | None = None) -> Report:
    """The report of `snapshot` for `scope` (the city unless a kecamatan is given), holding the tables
    `codes` names (T1 … T7; every table unless given) and nothing of the others."""
    scope = scope or scope_city()
    wanted = requested_codes(codes)
    run = snapshot_run(snapshot)
    definitions = default_definitions()
    v = _Values(run, scope)
    previous = previous_snapshots(snapshot).get("semester")
    prev = _Values(latest_run(previous) if previous else None, scope)
    ranking = _ranking(v, scope)
    bars = bars_svg([Bar(r.name, r.jumlah) for r in ranking], f"Jumlah penduduk per {scope.part_label.lower()}")
    pyramid = _pyramid(v, definitions, scope, snapshot)
    sections = _sections(v, prev, definitions, scope, previous is not None, {"T1": bars, "T2": pyramid})
    return Report(
        snapshot=snapshot,
        scope=scope,
        run=run,
        definitions=definitions,
        sections=[section for section in sections if section.code in wanted],
        codes=wanted,
        source=_source_notes(definitions, snapshot, run),
        pyramid=pyramid,
        bars=bars,
        ranking=ranking,
        headline=_headline(v, definitions, scope, wanted),
        previous=previous,
        formulas=[(i.label, formula_text(i, definitions)) for i in definitions.indicators],
    )
