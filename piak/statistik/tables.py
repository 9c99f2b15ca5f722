"""The default table set of INDICATORS.md, built from a snapshot's stored indicator values.

Tables are plain data (header, rows of numbers and text, footnotes) so the PDF, the XLSX and the web
page all show the same figures."""

from dataclasses import dataclass
from decimal import Decimal

from piak.wilayah.models import Kecamatan, Kelurahan

from .charts import Bar, bars_svg, number_id, pyramid_svg
from .definitions import UNKNOWN, UNKNOWN_LABEL, Definitions, default_definitions, formula_text
from .export import Sheet
from .models import IndicatorRun, Snapshot
from .selectors import latest_run, report_value_map
from .services import previous_snapshots

CITY = "16.71"
SEX = ("1", "2", UNKNOWN)
COMPOSITIONS = ("status_kawin", "pendidikan", "pekerjaan", "agama", "disabilitas")


@dataclass
class Report:
    snapshot: Snapshot
    run: IndicatorRun
    definitions: Definitions
    tables: list[Sheet]
    pyramid: str
    bars: str
    headline: list[tuple[str, str, str]]  # (label, formatted value, unit)
    previous: Snapshot | None
    formulas: list[tuple[str, str]]  # (label, formula in words)


class _Values:
    def __init__(self, run: IndicatorRun | None) -> None:
        self.map = report_value_map(run) if run else {}

    def get(self, indicator: str, region: str = CITY, breakdown: str = "", category: str = "") -> Decimal | None:
        found = self.map.get((indicator, region, breakdown, category))
        return None if found is None else found.nilai

    def note(self, indicator: str, region: str = CITY) -> str:
        found = self.map.get((indicator, region, "", ""))
        return found.catatan if found else ""

    def count(self, indicator: str, region: str, breakdown: str, category: str) -> int:
        return int(self.get(indicator, region, breakdown, category) or 0)


def _plain(value: Decimal | None, decimals: int) -> Decimal | int | None:
    if value is None:
        return None
    return int(value) if decimals == 0 else value.quantize(Decimal(1).scaleb(-decimals))


def _population_table(v: _Values, prev: _Values, kecamatan: list[Kecamatan], has_prev: bool) -> Sheet:
    header = ["Kecamatan", "Laki-laki", "Perempuan", UNKNOWN_LABEL, "Jumlah"]
    header += ["Semester lalu"] if has_prev else []
    header += ["Luas (km²)", "Kepadatan (jiwa/km²)", "Distribusi (%)"]
    rows = []
    for code, name, area in [(k.kode, k.nama, k.luas_km2) for k in kecamatan] + [(CITY, "Kota Palembang", None)]:
        row = [name] + [v.count("jumlah_penduduk", code, "jenis_kelamin", c) for c in SEX]
        row.append(_plain(v.get("jumlah_penduduk", code), 0))
        if has_prev:
            row.append(_plain(prev.get("jumlah_penduduk", code), 0))
        density = v.map.get(("kepadatan_penduduk", code, "", ""))
        row += [
            area if code != CITY else (density.penyebut.normalize() if density else None),
            _plain(density.nilai if density else None, 2),
            _plain(v.get("distribusi_penduduk", code), 2),
        ]
        rows.append(row)
    notes = [
        "Kepadatan = jumlah penduduk / luas (km²). " + v.note("kepadatan_penduduk"),
        "Kecamatan tanpa luas terpublikasi (mis. Ilir Timur II dan Ilir Timur III setelah pemekaran) "
        "tidak dihitung kepadatannya; luas tidak pernah ditaksir.",
    ]
    return Sheet("1 Penduduk", "Tabel 1. Penduduk menurut kecamatan dan jenis kelamin", header, rows, notes)


def _kelurahan_annex(v: _Values, kelurahan: list[Kelurahan]) -> Sheet:
    header = ["Kelurahan", "Kecamatan", "Laki-laki", "Perempuan", UNKNOWN_LABEL, "Jumlah", "Distribusi (%)"]
    rows = [
        [k.nama, k.kecamatan.nama]
        + [v.count("jumlah_penduduk", k.kode, "jenis_kelamin", c) for c in SEX]
        + [_plain(v.get("jumlah_penduduk", k.kode), 0), _plain(v.get("distribusi_penduduk", k.kode), 2)]
        for k in kelurahan
    ]
    return Sheet("Lampiran Kelurahan", "Lampiran. Penduduk menurut kelurahan", header, rows, [])


def _age_table(v: _Values, definitions: Definitions) -> Sheet:
    header = ["Kelompok umur", "Laki-laki", "Perempuan", UNKNOWN_LABEL, "Jumlah", "Rasio jenis kelamin"]
    rows = []
    for group in [*definitions.age_groups, None]:
        code = str(group.lower) if group else UNKNOWN
        label = group.label if group else UNKNOWN_LABEL
        counts = [v.count("jumlah_penduduk", CITY, "kelompok_umur,jenis_kelamin", f"{code},{c}") for c in SEX]
        ratio = v.get("rasio_jenis_kelamin", CITY, "kelompok_umur", code) if group else None
        rows.append([label, *counts, v.count("jumlah_penduduk", CITY, "kelompok_umur", code), _plain(ratio, 2)])
    totals = [v.count("jumlah_penduduk", CITY, "jenis_kelamin", c) for c in SEX]
    rows.append(["Jumlah", *totals, _plain(v.get("jumlah_penduduk"), 0), _plain(v.get("rasio_jenis_kelamin"), 2)])
    for name in ("rasio_ketergantungan_total", "rasio_ketergantungan_muda", "rasio_ketergantungan_tua",
                 "umur_median", "umur_median_tunggal"):  # fmt: skip
        indicator = definitions.indicator(name)
        rows.append([f"{indicator.label} ({indicator.unit})", None, None, None, _plain(v.get(name), 2), None])
    notes = [
        "Umur = umur dalam tahun penuh pada tanggal potong.",
        "Rasio ketergantungan = (P0–14 + P65+) / P15–64 × 100.",
        "Umur median kelompok = L + ((N/2 − CF) / f) × w dengan w = 5; versi umur tunggal memakai w = 1. "
        + v.note("umur_median"),
    ]
    return Sheet("2 Umur", "Tabel 2. Penduduk menurut kelompok umur dan jenis kelamin", header, rows, notes)


def _growth_table(v: _Values, definitions: Definitions) -> Sheet:
    header = ["Komponen", "Laki-laki", "Perempuan", UNKNOWN_LABEL, "Jumlah"]
    rows = []
    for name, label in (("lahir", "Lahir"), ("pindah_masuk", "Datang"), ("mati", "Mati"),
                        ("pindah_keluar", "Pindah")):  # fmt: skip
        rows.append([label] + [v.count(name, CITY, "jenis_kelamin", c) for c in SEX] + [_plain(v.get(name), 0)])
    rows.append(
        ["Selisih neraca"]
        + [_plain(v.get("selisih_neraca", CITY, "jenis_kelamin", c), 0) for c in SEX]
        + [_plain(v.get("selisih_neraca"), 0)]
    )
    for name in ("pertumbuhan_semester", "pertumbuhan_tahunan", "laju_pertumbuhan_geometrik"):
        indicator = definitions.indicator(name)
        rows.append([f"{indicator.label} ({indicator.unit})", None, None, None, _plain(v.get(name), 2)])
    notes = [
        "Neraca: akhir = awal + lahir + datang − mati − pindah; selisih ≠ 0 dijelaskan: " + v.note("selisih_neraca"),
        "Pertumbuhan semester = P_S / P_(S−1) − 1 (tidak disetahunkan). " + (v.note("pertumbuhan_semester") or ""),
        "Laju geometrik = (Pt / P0)^(1/t) − 1, t dalam tahun eksak. " + v.note("laju_pertumbuhan_geometrik"),
    ]
    return Sheet("3 Pertumbuhan", "Tabel 3. Pertumbuhan dan neraca penduduk", header, rows, notes)


def _family_table(v: _Values, kecamatan: list[Kecamatan]) -> Sheet:
    header = [
        "Kecamatan",
        "Jumlah KK",
        "Rata-rata jiwa per KK",
        "Kepala keluarga laki-laki",
        "Kepala keluarga perempuan",
    ]
    rows = [
        [name, _plain(v.get("jumlah_kk", code), 0), _plain(v.get("rata_rata_jiwa_per_kk", code), 2)]
        + [v.count("jumlah_kepala_keluarga", code, "jenis_kelamin", c) for c in ("1", "2")]
        for code, name in [(k.kode, k.nama) for k in kecamatan] + [(CITY, "Kota Palembang")]
    ]
    notes = ["KK = Kartu Keluarga; satu KK bukan rumah tangga BPS."]
    return Sheet("4 Keluarga", "Tabel 4. Keluarga (Kartu Keluarga)", header, rows, notes)


def _composition_table(v: _Values, definitions: Definitions, breakdown: str, number: str) -> Sheet:
    spec = definitions.breakdowns[breakdown]
    key = f"{breakdown},jenis_kelamin"
    header = [spec.label, "Laki-laki", "Perempuan", UNKNOWN_LABEL, "Jumlah"]
    rows = []
    for code, label in [*((str(c), lbl.title()) for c, lbl in spec.codes.items()), (UNKNOWN, UNKNOWN_LABEL)]:
        counts = [v.count("jumlah_penduduk", CITY, key, f"{code},{c}") for c in SEX]
        if sum(counts) or code == UNKNOWN:
            rows.append([label, *counts, sum(counts)])
    total = [sum(row[i] for row in rows) for i in range(1, 5)]
    rows.append(["Jumlah", *total])
    return Sheet(
        f"{number} {spec.label}"[:31],
        f"Tabel {number}. Penduduk menurut {spec.label.lower()} dan jenis kelamin",
        header,
        rows,
        [],
    )


def _vital_table(v: _Values, kecamatan: list[Kecamatan], definitions: Definitions) -> Sheet:
    header = ["Kecamatan", "Lahir", "Mati", "Datang", "Pindah", "CBR (‰/tahun)", "CDR (‰/tahun)"]
    rows = [
        [name] + [_plain(v.get(n, code), 0) for n in ("lahir", "mati", "pindah_masuk", "pindah_keluar")]
        + [_plain(v.get("angka_kelahiran_kasar", code), 2), _plain(v.get("angka_kematian_kasar", code), 2)]
        for code, name in [(k.kode, k.nama) for k in kecamatan] + [(CITY, "Kota Palembang")]
    ]  # fmt: skip
    notes = [
        "Peristiwa dihitung menurut tanggal peristiwa, bukan tanggal lapor.",
        "CBR/CDR = peristiwa / penduduk pertengahan periode × 1000; "
        "penduduk pertengahan = (awal + akhir) / 2; angka semester disetahunkan. " + v.note("angka_kelahiran_kasar"),
    ]
    return Sheet("6 Peristiwa", "Tabel 6. Peristiwa vital dan angka kasar", header, rows, notes)


def _coverage_table(v: _Values, kecamatan: list[Kecamatan], definitions: Definitions) -> Sheet:
    names = ["cakupan_perekaman_ktp_el", "cakupan_pencetakan_ktp_el", "cakupan_akta_lahir_0_17",
             "cakupan_akta_lahir_0_18", "cakupan_kia"]  # fmt: skip
    header = ["Kecamatan", "Wajib KTP"] + [definitions.indicator(n).label + " (%)" for n in names]
    rows = [
        [name, _plain(v.get("wajib_ktp", code), 0)] + [_plain(v.get(n, code), 2) for n in names]
        for code, name in [(k.kode, k.nama) for k in kecamatan] + [(CITY, "Kota Palembang")]
    ]
    notes = [
        "Wajib KTP: berumur ≥ 17 tahun atau sudah/pernah kawin (UU 24/2013 pasal 63).",
        "Cakupan di atas 100% ditampilkan apa adanya dan ditandai (pembilang dan penyebut dari basis berbeda).",
        "Cakupan KIA: anak < 17 tahun belum kawin yang memiliki KIA.",
    ]
    return Sheet("7 Dokumen", "Tabel 7. Cakupan dokumen kependudukan", header, rows, notes)


def _definition_notes(definitions: Definitions, snapshot: Snapshot, run: IndicatorRun) -> list[str]:
    notes = [
        f"Sumber: snapshot #{snapshot.pk}, tanggal potong {snapshot.tanggal_potong:%d-%m-%Y}, "
        f"{snapshot.jumlah_baris} penduduk, SHA-256 {snapshot.sha256}.",
        f"Definisi indikator versi {definitions.version}, SHA-256 {definitions.sha256}; "
        f"dihitung {run.dihitung_pada:%d-%m-%Y %H:%M}. Pembulatan setengah ke atas pada nilai akhir.",
        f"Luas kota: {definitions.city_area_basis}",
    ]
    return notes


def report_build(snapshot: Snapshot) -> Report:
    run = latest_run(snapshot)
    if run is None:
        from .services import indicators_compute

        run = indicators_compute(snapshot=snapshot)
    definitions = default_definitions()
    v = _Values(run)
    previous = previous_snapshots(snapshot).get("semester")
    prev = _Values(latest_run(previous) if previous else None)
    kecamatan = list(Kecamatan.objects.order_by("kode"))
    kelurahan = list(Kelurahan.objects.select_related("kecamatan").order_by("kode"))
    tables = [
        _population_table(v, prev, kecamatan, previous is not None),
        _age_table(v, definitions),
        _growth_table(v, definitions),
        _family_table(v, kecamatan),
        *(
            _composition_table(v, definitions, name, f"5{letter}")
            for letter, name in zip(
                "abcde", ("status_kawin", "pendidikan", "pekerjaan", "agama", "disabilitas"), strict=True
            )
        ),
        _vital_table(v, kecamatan, definitions),
        _coverage_table(v, kecamatan, definitions),
        _kelurahan_annex(v, kelurahan),
    ]
    groups = [
        (g.label, v.count("jumlah_penduduk", CITY, "kelompok_umur,jenis_kelamin", f"{g.lower},1"),
         v.count("jumlah_penduduk", CITY, "kelompok_umur,jenis_kelamin", f"{g.lower},2"))
        for g in definitions.age_groups
    ]  # fmt: skip
    headline_names = ["jumlah_penduduk", "rasio_jenis_kelamin", "kepadatan_penduduk",
                      "rasio_ketergantungan_total", "umur_median", "jumlah_kk", "pertumbuhan_semester",
                      "cakupan_perekaman_ktp_el", "cakupan_akta_lahir_0_17"]  # fmt: skip
    headline = []
    for name in headline_names:
        indicator = definitions.indicator(name)
        value = v.get(name)
        shown = "—" if value is None else number_id(value, indicator.decimals)
        headline.append((indicator.label, shown, indicator.unit))
    return Report(
        snapshot=snapshot,
        run=run,
        definitions=definitions,
        tables=[*tables[:-1], _with_notes(tables[-1], _definition_notes(definitions, snapshot, run))],
        pyramid=pyramid_svg(groups, f"Piramida penduduk Kota Palembang, {snapshot.tanggal_potong:%d-%m-%Y}"),
        bars=bars_svg(
            [Bar(k.nama, v.count("jumlah_penduduk", k.kode, "", "")) for k in kecamatan],
            "Jumlah penduduk per kecamatan",
        ),
        headline=headline,
        previous=previous,
        formulas=[(i.label, formula_text(i, definitions)) for i in definitions.indicators],
    )


def _with_notes(sheet: Sheet, notes: list[str]) -> Sheet:
    return Sheet(sheet.name, sheet.title, sheet.header, sheet.rows, sheet.notes + notes)
