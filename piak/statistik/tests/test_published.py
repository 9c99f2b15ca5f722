"""Published official figures reproduced from their published inputs, at the published precision,
through the same definitions, formulas and half-up rounding as the report.

Sources:
- [SP2020] BPS, Berita Resmi Statistik "Hasil Sensus Penduduk 2020" No. 7/01/Th. XXIV, 21 Januari 2021
  (press release of 21 Jan 2021, as reported e.g. by Kompas.com 21–22 Jan 2021 and Tempo.co): population
  September 2020 270,20 juta; laki-laki 136,66 juta, perempuan 133,54 juta; rasio jenis kelamin 102;
  SP2010 population 237,63 juta; laju pertumbuhan 2010–2020 1,25 persen per tahun; luas daratan
  1,92 juta km², kepadatan 141 jiwa per km².
- [SP2010] BPS, "Data Sosial Ekonomi" edisi 18, November 2011, bab Kependudukan (hasil SP2010, Mei 2010):
  rasio ketergantungan 2010 sebesar 51,3; age shares of SP2010 (0–14: 28,87 %, 15–64: 66,09 %, 65+:
  5,04 %) as republished in the SP2020 release's comparison with 2010.
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from piak.statistik.definitions import default_definitions
from piak.statistik.engine import compute_from_totals

JUTA = Decimal(1)  # counts in millions: every indicator below is a ratio, so the unit cancels


def published(name: str, decimals: int, totals, cutoff=date(2020, 9, 30), **kwargs):
    definitions = default_definitions()
    indicator = replace(definitions.indicator(name), decimals=decimals)
    return compute_from_totals(
        definitions=definitions, indicator=indicator, totals=totals, cutoff=cutoff, **kwargs
    ).value


def test_sp2020_sex_ratio_of_indonesia_is_102():
    totals = {("laki_laki",): Decimal("136.66") * JUTA, ("perempuan",): Decimal("133.54") * JUTA}
    assert published("rasio_jenis_kelamin", 0, totals) == Decimal("102")


def test_sp2010_dependency_ratio_is_51_3():
    young, working, old = Decimal("28.87"), Decimal("66.09"), Decimal("5.04")
    totals = {("umur_tidak_produktif",): young + old, ("umur_15_64",): working}
    assert published("rasio_ketergantungan_total", 1, totals, cutoff=date(2010, 5, 31)) == Decimal("51.3")


def test_sp2020_growth_rate_2010_2020_is_1_25_percent_per_year_with_t_in_exact_years():
    """Reference months May 2010 and September 2020 (mid-month): t = 10.34 years. Dividing by a round
    10 years instead would give 1.29 %, which is why the engine uses exact years."""
    value = published(
        "laju_pertumbuhan_geometrik",
        2,
        {("semua",): Decimal("270.20")},
        cutoff=date(2020, 9, 15),
        previous={"tahun": (date(2010, 5, 15), {("semua",): Decimal("237.63")})},
    )
    assert value == Decimal("1.25")


def test_sp2020_population_density_of_indonesia_is_141_per_km2():
    definitions = replace(
        default_definitions(),
        city_area_km2=Decimal("1.92"),
        city_area_basis="luas daratan Indonesia [SP2020]",
    )
    indicator = replace(definitions.indicator("kepadatan_penduduk"), decimals=0)
    row = compute_from_totals(
        definitions=definitions,
        indicator=indicator,
        totals={("semua",): Decimal("270.20")},
        cutoff=date(2020, 9, 30),
    )
    assert row.value == Decimal("141")
    assert "luas daratan Indonesia" in row.note
