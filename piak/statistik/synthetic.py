"""A synthetic population for demos and benchmarks, generated inside DuckDB (deterministic by seed).

Shapes are plausible for a large Indonesian city, not copies of real data: families of ~3.6 members
sharing a kelurahan, a young age structure, mostly Muslim, a few WNA, some unknown values in every
attribute so the "tidak diketahui" rows are exercised.
"""

import csv
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa

WILAYAH_CSV = Path(__file__).resolve().parent.parent / "wilayah" / "data" / "palembang-wilayah.csv"


def kelurahan_codes() -> list[tuple[str, str]]:
    with WILAYAH_CSV.open(encoding="utf-8", newline="") as handle:
        return [(row["kode_kecamatan"], row["kode_kelurahan"]) for row in csv.DictReader(handle)]


def _u(k: int, key: str = "i") -> str:
    """A deterministic uniform number in [0, 1) from the row key and a stream number."""
    return f"((hash({key}, {k}, $seed) % 1000003) / 1000003.0)"


def _regions_table(con: duckdb.DuckDBPyConnection) -> None:
    codes = kelurahan_codes()
    con.execute("CREATE OR REPLACE TEMP TABLE kel (idx INTEGER, kode_kecamatan VARCHAR, kode_kelurahan VARCHAR)")
    con.executemany("INSERT INTO kel VALUES (?, ?, ?)", [(i, kec, kel) for i, (kec, kel) in enumerate(codes)])


def synthetic_population(people: int, *, seed: int = 1) -> pa.Table:
    """`people` residents in the `penduduk` snapshot schema (statistik/schema.py)."""
    con = duckdb.connect()
    _regions_table(con)
    sql = f"""
    WITH fam AS (
      SELECT i, (i * 10) // 36 AS keluarga_id FROM range($people) t(i)
    ), p AS (
      SELECT f.i, f.keluarga_id,
        row_number() OVER (PARTITION BY f.keluarga_id ORDER BY f.i) AS urutan,
        {_u(1)} AS u_sex, {_u(2)} AS u_age, {_u(3)} AS u_agama, {_u(4)} AS u_pend, {_u(5)} AS u_kerja,
        {_u(6)} AS u_kawin, {_u(7)} AS u_darah, {_u(8)} AS u_cacat, {_u(9)} AS u_ktp, {_u(10)} AS u_akta,
        {_u(11)} AS u_kia, {_u(12)} AS u_wn, {_u(13)} AS u_null,
        {_u(14, "f.keluarga_id")} AS u_kel
      FROM fam f
    ), a AS (
      SELECT *,
        CASE WHEN u_null < 0.003 THEN NULL
             WHEN urutan = 1 THEN 20 + CAST(floor(u_age * 55) AS INTEGER)
             ELSE CAST(floor(85 * (1 - sqrt(1 - u_age))) AS INTEGER) END AS age
      FROM p
    )
    SELECT
      kel.kode_kecamatan, kel.kode_kelurahan, a.keluarga_id,
      CASE WHEN u_null BETWEEN 0.003 AND 0.004 THEN NULL WHEN u_sex < 0.502 THEN 1 ELSE 2 END
        AS jenis_kelamin,
      age AS umur,
      CASE WHEN u_wn < 0.0005 THEN 2 WHEN u_wn < 0.0007 THEN NULL WHEN u_wn < 0.0009 THEN 3 ELSE 1 END
        AS warga_negara,
      CASE WHEN u_agama < 0.002 THEN NULL WHEN u_agama < 0.922 THEN 1 WHEN u_agama < 0.952 THEN 2
           WHEN u_agama < 0.972 THEN 3 WHEN u_agama < 0.975 THEN 4 WHEN u_agama < 0.997 THEN 5
           WHEN u_agama < 0.999 THEN 6 ELSE 7 END AS agama,
      CASE WHEN u_null BETWEEN 0.004 AND 0.01 THEN NULL WHEN age < 6 THEN 1
           ELSE 1 + CAST(floor(power(u_pend, 0.8) * 10) AS INTEGER) END AS pendidikan,
      CASE WHEN u_null BETWEEN 0.01 AND 0.015 THEN NULL WHEN age < 18 THEN 3
           WHEN u_kerja < 0.25 THEN 2 WHEN u_kerja < 0.40 THEN 1 WHEN u_kerja < 0.60 THEN 88
           ELSE 4 + CAST(floor((u_kerja - 0.6) / 0.4 * 85) AS INTEGER) END AS pekerjaan,
      CASE WHEN u_null BETWEEN 0.015 AND 0.017 THEN NULL WHEN urutan = 1 THEN 2 WHEN age < 17 THEN 1
           WHEN u_kawin < 0.35 THEN 1 WHEN u_kawin < 0.90 THEN 2 WHEN u_kawin < 0.94 THEN 3 ELSE 4 END
        AS status_kawin,
      CASE WHEN urutan = 1 THEN 1 WHEN urutan = 2 THEN 3 WHEN u_null > 0.97 THEN 7 ELSE 4 END AS shdk,
      CASE WHEN u_darah < 0.35 THEN 13 ELSE 1 + CAST(floor(u_darah * 12) AS INTEGER) % 12 END
        AS golongan_darah,
      CASE WHEN u_cacat < 0.99 THEN 7 WHEN u_cacat < 0.995 THEN NULL
           ELSE 1 + CAST(floor(u_cacat * 1000) AS INTEGER) % 6 END AS disabilitas,
      CASE WHEN age < 17 THEN 1 WHEN u_ktp < 0.03 THEN 2 WHEN u_ktp < 0.10 THEN 3 WHEN u_ktp < 0.12 THEN 5
           ELSE 8 END AS status_ktp_el,
      CASE WHEN age <= 18 THEN u_akta < 0.93 ELSE u_akta < 0.6 END AS akta_lahir,
      CASE WHEN age < 17 THEN u_kia < 0.45 ELSE FALSE END AS kia
    FROM a JOIN kel ON kel.idx = CAST(floor(power(u_kel, 1.15) * 107) AS INTEGER)
    ORDER BY a.i
    """
    try:
        return con.sql(sql, params={"people": people, "seed": seed}).to_arrow_table()
    finally:
        con.close()


def synthetic_events(people: int, *, start: date, end: date, seed: int = 1) -> pa.Table:
    """A semester's births, deaths and moves for a population of `people`, dated within the period."""
    con = duckdb.connect()
    _regions_table(con)
    days = (end - start).days + 1
    sql = f"""
    SELECT kel.kode_kecamatan, kel.kode_kelurahan,
      CASE WHEN u_kind < 0.21 THEN 'lahir' WHEN u_kind < 0.29 THEN 'mati'
           WHEN u_kind < 0.68 THEN 'pindah_masuk' ELSE 'pindah_keluar' END AS jenis,
      CASE WHEN u_sex < 0.51 THEN 1 ELSE 2 END AS jenis_kelamin,
      CAST($start AS DATE) + CAST(floor(u_day * $days) AS INTEGER) AS tanggal_peristiwa,
      CAST($start AS DATE) + CAST(floor(u_day * $days) AS INTEGER) + CAST(floor(u_lag * 20) AS INTEGER)
        AS tanggal_lapor
    FROM (
      SELECT i, {_u(21)} AS u_kind, {_u(22)} AS u_sex, {_u(23)} AS u_day, {_u(24)} AS u_lag, {_u(25)} AS u_kel
      FROM range($events) t(i)
    ) e JOIN kel ON kel.idx = CAST(floor(power(u_kel, 1.15) * 107) AS INTEGER)
    ORDER BY i
    """
    params = {"events": people * 38 // 1000, "seed": seed, "start": start, "days": days}
    try:
        return con.sql(sql, params=params).to_arrow_table()
    finally:
        con.close()
