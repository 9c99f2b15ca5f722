"""Every indicator against values worked out by hand from the population in conftest.py."""

from decimal import Decimal

import pytest

from piak.statistik.definitions import UNKNOWN, default_definitions
from piak.statistik.selectors import value_map
from piak.statistik.services import indicators_compute

from .conftest import A, B, C

KOTA, KEC_01, KEC_06 = "16.71", "16.71.01", "16.71.06"


@pytest.fixture
def values(hand_snapshots):
    run = indicators_compute(snapshot=hand_snapshots["current"])
    found = value_map(run)

    def get(indicator, region=KOTA, breakdown="", category=""):
        return found[(indicator, region, breakdown, category)]

    get.all = found
    return get


def test_population_by_sex_citizenship_with_unknown_rows_adding_up(values):
    assert values("jumlah_penduduk").nilai == 15
    by_sex = {c: values("jumlah_penduduk", KOTA, "jenis_kelamin", c).nilai for c in ("1", "2", UNKNOWN)}
    assert by_sex == {"1": 7, "2": 7, UNKNOWN: 1}
    # dual citizen counts as WNI; the WNA has no birth date
    assert values("jumlah_penduduk", KOTA, "warga_negara", "1").nilai == 14
    assert values("jumlah_penduduk", KOTA, "warga_negara", "2").nilai == 1
    assert values("jumlah_penduduk", KOTA, "warga_negara", UNKNOWN).nilai == 0
    assert [values("jumlah_penduduk", r).nilai for r in (A, B, C, KEC_01, KEC_06)] == [8, 4, 3, 12, 3]


def test_every_breakdown_adds_up_to_the_population_in_every_region(values):
    totals = {
        region: value.nilai
        for (ind, region, breakdown, _), value in values.all.items()
        if ind == "jumlah_penduduk" and breakdown == ""
    }
    sums: dict[tuple[str, str], Decimal] = {}
    for (ind, region, breakdown, _), value in values.all.items():
        if ind == "jumlah_penduduk" and breakdown:
            sums[(region, breakdown)] = sums.get((region, breakdown), 0) + value.nilai
    assert len(totals) == 1 + 18 + 107
    assert sums, "breakdowns were computed"
    for (region, breakdown), total in sums.items():
        assert total == totals[region], (region, breakdown)


def test_unknown_and_out_of_list_codes_fall_in_the_tidak_diketahui_row(values):
    assert values("jumlah_penduduk", KOTA, "agama,jenis_kelamin", "1,1").nilai == 5  # no. 1, 3, 9, 13, 15
    unknown_agama = [
        v.nilai for (i, r, b, c), v in values.all.items()
        if i == "jumlah_penduduk" and r == KOTA and b == "agama,jenis_kelamin" and c.startswith(UNKNOWN)
    ]  # fmt: skip
    assert sum(unknown_agama) == 2  # no. 7 (missing) and no. 8 (code 99)
    assert values("jumlah_penduduk", KOTA, "kelompok_umur", UNKNOWN).nilai == 1


def test_distribution_and_density_state_their_area(values):
    assert values("distribusi_penduduk", A).nilai == Decimal("53.33")  # 8/15
    assert values("distribusi_penduduk", B).nilai == Decimal("26.67")  # 4/15, half-up
    assert values("distribusi_penduduk", KEC_01).nilai == Decimal("80.00")
    city = values("kepadatan_penduduk")
    assert city.nilai == Decimal("0.04")  # 15 / 400.61
    assert city.penyebut == Decimal("400.61") and "400,61" in city.catatan
    kec = values("kepadatan_penduduk", KEC_01)
    assert kec.nilai == Decimal("1.93")  # 12 / 6.22
    assert "BPS 2010" in kec.catatan
    missing = values("kepadatan_penduduk", KEC_06)
    assert missing.nilai is None
    assert "luas kecamatan tidak diketahui" in missing.catatan
    assert values("kepadatan_penduduk", A).nilai is None
    assert "luas kelurahan belum tersedia" in values("kepadatan_penduduk", A).catatan


def test_sex_ratio_overall_and_per_age_group(values):
    ratio = values("rasio_jenis_kelamin")
    assert (ratio.nilai, ratio.pembilang, ratio.penyebut, ratio.faktor) == (100, 7, 7, 100)
    # 15–19: no. 6 (P 16), 8 (P 17), 14 (P 18) → 0 men per 3 women
    teen = values("rasio_jenis_kelamin", KOTA, "kelompok_umur", "15")
    assert (teen.nilai, teen.pembilang, teen.penyebut) == (0, 0, 3)
    # 60–64: no. 15 (L 64) only → no women, so no ratio, and the table says why
    old = values("rasio_jenis_kelamin", KOTA, "kelompok_umur", "60")
    assert old.nilai is None and "penyebut nol" in old.catatan


def test_dependency_ratios_young_plus_old_is_total(values):
    total, young, old = (values(f"rasio_ketergantungan_{k}") for k in ("total", "muda", "tua"))
    assert (total.nilai, young.nilai, old.nilai) == (Decimal("75.00"), Decimal("50.00"), Decimal("25.00"))
    assert (total.pembilang, total.penyebut) == (6, 8)  # unknown age in neither
    assert young.nilai + old.nilai == total.nilai
    assert values("rasio_ketergantungan_total", B).nilai == Decimal("100.00")


def test_median_age_grouped_and_from_single_ages(values):
    grouped = values("umur_median")
    # known ages 14, N/2 = 7, median group 15–19: L=15, CF=4, f=3, w=5 → 15 + (7−4)/3×5
    assert grouped.nilai == Decimal("20.00")
    assert "L = 15" in grouped.catatan and "CF = 4" in grouped.catatan
    single = values("umur_median_tunggal")
    # sorted ages 0,4,10,14,16,17,18,...: the 7th is 18 → 18 + (7−6)/1×1
    assert single.nilai == Decimal("19.00")


def test_families_and_heads(values):
    assert values("jumlah_kk").nilai == 7
    assert values("rata_rata_jiwa_per_kk").nilai == Decimal("2.14")  # 15/7
    assert values("rata_rata_jiwa_per_kk", A).nilai == Decimal("2.67")  # 8/3
    assert values("jumlah_kepala_keluarga").nilai == 7
    assert values("jumlah_kepala_keluarga", KOTA, "jenis_kelamin", UNKNOWN).nilai == 1


def test_document_coverage(values):
    assert values("wajib_ktp").nilai == 10  # incl. no. 6, married at 16
    rekam = values("cakupan_perekaman_ktp_el")
    assert (rekam.nilai, rekam.pembilang, rekam.penyebut) == (Decimal("80.00"), 8, 10)
    assert values("cakupan_pencetakan_ktp_el").nilai == Decimal("50.00")
    assert values("cakupan_akta_lahir_0_17").nilai == Decimal("83.33")  # 5/6
    assert values("cakupan_akta_lahir_0_18").nilai == Decimal("71.43")  # 5/7
    kia = values("cakupan_kia")
    assert (kia.nilai, kia.pembilang, kia.penyebut) == (Decimal("50.00"), 2, 4)


def test_vital_events_by_event_date_and_crude_rates_annualised(values):
    assert values("lahir").nilai == 1  # the December birth reported in January is not this period's
    assert values("mati").nilai == 1
    assert values("pindah_masuk").nilai == 2  # one reported after the cut-off still counts
    assert values("pindah_keluar").nilai == 1
    cbr = values("angka_kelahiran_kasar")
    # 1 birth / ((14 + 15) / 2) × 1000 × 12/6
    assert (cbr.nilai, cbr.pembilang, cbr.penyebut, cbr.faktor) == (
        Decimal("137.93"),
        1,
        Decimal("14.5"),
        2000,
    )
    assert "disetahunkan" in cbr.catatan


def test_growth_and_balance_reconcile(values):
    assert values("pertumbuhan_semester").nilai == Decimal("7.14")  # 15/14 − 1
    assert values("pertumbuhan_tahunan").nilai == Decimal("25.00")  # 15/12 − 1
    geometric = values("laju_pertumbuhan_geometrik")
    # t = 365 days / 365.25; (15/12)^(1/t) − 1 = 1.25^1.000684... − 1 = 25.02 %
    assert geometric.nilai == Decimal("25.02")
    for category in ("", "1", "2", UNKNOWN):
        breakdown = "jenis_kelamin" if category else ""
        assert values("selisih_neraca", KOTA, breakdown, category).nilai == 0
    assert values("selisih_neraca", KOTA, "jenis_kelamin", "1").pembilang == 7


def test_growth_without_a_previous_snapshot_says_why(db, snapshot_dir):
    from datetime import date

    from piak.statistik.services import snapshot_create

    from .conftest import CURRENT, residents

    alone = snapshot_create(cutoff=date(2026, 6, 30), penduduk=residents(CURRENT))
    run = indicators_compute(snapshot=alone)
    growth = value_map(run)[("pertumbuhan_semester", KOTA, "", "")]
    assert growth.nilai is None
    assert "tidak ada snapshot semester lalu" in growth.catatan
    assert value_map(run)[("lahir", KOTA, "", "")].catatan.endswith("tidak memuat data peristiwa")


def test_rounding_is_half_up_on_the_final_value_only(hand_snapshots):
    """12.5 rounds to 13 (Python's round() on floats gives 12); the age share of A is 1/8 × 100."""
    text = default_definitions_text().replace(
        "indikator:\n",
        "indikator:\n  - {nama: persen_lansia, label: x, pembilang: umur_65_plus, penyebut: semua,"
        " faktor: 100, desimal: 0}\n",
        1,
    )
    from piak.statistik.definitions import definitions_parse

    run = indicators_compute(snapshot=hand_snapshots["current"], definitions=definitions_parse(text))
    share = value_map(run)[("persen_lansia", A, "", "")]
    assert round(1 / 8 * 100) == 12
    assert share.nilai == 13
    assert (share.pembilang, share.penyebut) == (1, 8)


def default_definitions_text() -> str:
    from piak.statistik.definitions import DEFINITIONS_FILE

    return DEFINITIONS_FILE.read_text(encoding="utf-8")


def test_every_definition_is_covered_by_a_hand_computed_test():
    tested = {
        "jumlah_penduduk", "distribusi_penduduk", "kepadatan_penduduk", "rasio_jenis_kelamin",
        "rasio_ketergantungan_total", "rasio_ketergantungan_muda", "rasio_ketergantungan_tua",
        "umur_median", "umur_median_tunggal", "pertumbuhan_semester", "pertumbuhan_tahunan",
        "laju_pertumbuhan_geometrik", "lahir", "mati", "pindah_masuk", "pindah_keluar", "selisih_neraca",
        "angka_kelahiran_kasar", "angka_kematian_kasar", "jumlah_kk", "rata_rata_jiwa_per_kk",
        "jumlah_kepala_keluarga", "wajib_ktp", "cakupan_perekaman_ktp_el", "cakupan_pencetakan_ktp_el",
        "cakupan_akta_lahir_0_17", "cakupan_akta_lahir_0_18", "cakupan_kia",
    }  # fmt: skip
    assert {i.name for i in default_definitions().indicators} == tested
