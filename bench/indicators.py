"""Benchmark: the full indicator set for every region (city, 18 kecamatan, 107 kelurahan) from a snapshot.

Compares, in the same run and over the same synthetic Parquet files:
- engine: piak.statistik.engine.compute_indicators (every definition, every breakdown, values rounded
  half-up with Decimal);
- floor: one hand-written DuckDB statement computing the same counts at all three levels, with the
  headline ratios done in SQL (the fastest this can be done with DuckDB);
- pandas: what an analyst would write with pandas over the same file;
and times storing the values and rendering the report PDF (Django, a throw-away SQLite database).

Usage: .venv/bin/python bench/indicators.py --people 1800000 [--repeat 3]
Prints JSON. Not part of the test suite.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

CUTOFF, PERIOD_START, PREVIOUS = date(2026, 6, 30), date(2026, 1, 1), date(2025, 12, 31)


def timed(function, repeat: int) -> tuple[dict[str, float], object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return {"min": min(times), "median": statistics.median(times)}, result


def interleaved(functions: dict, repeat: int) -> dict[str, dict[str, float]]:
    """Run the contenders in turn, so a busy machine (2 shared cores) slows them alike."""
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(repeat):
        for name, function in functions.items():
            start = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - start)
    return {name: {"min": min(t), "median": statistics.median(t)} for name, t in times.items()}


FLOOR_SQL = (Path(__file__).parent / "floor.sql").read_text(encoding="utf-8")


def floor(paths: dict[str, Path]):
    import duckdb

    sql = FLOOR_SQL.format(cur=paths["cur"], ev=paths["ev"], prev=paths["prev"], start=PERIOD_START, end=CUTOFF)
    with duckdb.connect() as con:
        return con.execute(sql).fetchall()


def pandas_version(paths: dict[str, Path]):
    """An analyst's pandas: boolean columns, groupby per level and per breakdown, ratios at the end."""
    import pandas as pd

    df = pd.read_parquet(paths["cur"])
    df["kec"] = df["kode_kecamatan"]
    df["kel"] = df["kode_kelurahan"]
    df["kota"] = "16.71"
    umur, kawin = df["umur"], df["status_kawin"]
    flags = {
        "l": df["jenis_kelamin"] == 1, "pr": df["jenis_kelamin"] == 2,
        "dep": (umur < 15) | (umur >= 65), "prod": umur.between(15, 64), "young": umur.between(0, 14),
        "old": umur >= 65, "heads": df["shdk"] == 1, "wajib": (umur >= 17) | kawin.isin([2, 3, 4]),
    }  # fmt: skip
    flags["rekam"] = flags["wajib"] & (df["status_ktp_el"] >= 3)
    flags["cetak"] = flags["wajib"] & df["status_ktp_el"].isin([4, 6, 8])
    flags["anak17"] = umur.between(0, 17)
    flags["akta17"] = flags["anak17"] & df["akta_lahir"].fillna(False).astype(bool)
    flags["anak18"] = umur.between(0, 18)
    flags["akta18"] = flags["anak18"] & df["akta_lahir"].fillna(False).astype(bool)
    flags["anakkia"] = (umur < 17) & (kawin == 1)
    flags["kia"] = flags["anakkia"] & df["kia"].fillna(False).astype(bool)
    for name, flag in flags.items():
        df[name] = flag.fillna(False).astype("int64")
    df["kelompok"] = (umur.clip(upper=75) // 5).astype("Int64")
    results = []
    for level in ("kota", "kec", "kel"):
        g = df.groupby(level)
        head = g[list(flags)].sum()
        head["n"] = g.size()
        head["kk"] = g["keluarga_id"].nunique()
        head["rasio_jk"] = (head["l"] * 100 / head["pr"]).round(2)
        head["dep_total"] = (head["dep"] * 100 / head["prod"]).round(2)
        head["jiwa_per_kk"] = (head["n"] / head["kk"]).round(2)
        head["rekam_pct"] = (head["rekam"] * 100 / head["wajib"]).round(2)
        results.append(head)
        for column in ("warga_negara", "agama", "pendidikan", "pekerjaan", "status_kawin", "shdk",
                       "golongan_darah", "disabilitas", "kelompok"):  # fmt: skip
            results.append(df.groupby([level, column, "jenis_kelamin"], dropna=False).size())
        results.append(df.groupby([level, "umur"], dropna=False).size())
        results.append(df.groupby([level, "jenis_kelamin"], dropna=False)[["heads", "wajib", "rekam"]].sum())
        results.append(df.groupby([level, "kelompok"], dropna=False)[["l", "pr"]].sum())
    events = pd.read_parquet(paths["ev"])
    events = events[(events["tanggal_peristiwa"] >= PERIOD_START) & (events["tanggal_peristiwa"] <= CUTOFF)]
    previous = pd.read_parquet(paths["prev"], columns=["kode_kecamatan", "kode_kelurahan", "jenis_kelamin"])
    for level in ("kode_kecamatan", "kode_kelurahan"):
        results.append(events.groupby([level, "jenis", "jenis_kelamin"]).size())
        results.append(previous.groupby([level, "jenis_kelamin"], dropna=False).size())
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_800_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="piak-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "piak.settings.dev")
    os.environ["PIAK_DATA_DIR"] = str(work)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from piak.statistik.definitions import default_definitions
    from piak.statistik.engine import PopulationSource, compute_indicators
    from piak.statistik.report import report_pdf
    from piak.statistik.services import (
        indicators_compute,
        regions_from_wilayah,
        snapshot_create,
        snapshot_path,
    )
    from piak.statistik.synthetic import synthetic_events, synthetic_population

    settings.PIAK_SNAPSHOT_DIR = work / "snapshot"
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    previous = snapshot_create(cutoff=PREVIOUS, penduduk=synthetic_population(args.people * 99 // 100, seed=11))
    current = snapshot_create(
        cutoff=CUTOFF,
        penduduk=synthetic_population(args.people, seed=12),
        peristiwa=synthetic_events(args.people, start=PERIOD_START, end=CUTOFF, seed=12),
    )
    setup_s = time.perf_counter() - started
    paths = {
        "cur": snapshot_path(current.berkas),
        "ev": snapshot_path(current.berkas_peristiwa),
        "prev": snapshot_path(previous.berkas),
    }
    definitions, regions = default_definitions(), regions_from_wilayah()

    def engine():
        return compute_indicators(
            definitions=definitions,
            source=PopulationSource(paths["cur"], CUTOFF, paths["ev"], PERIOD_START),
            regions=regions,
            previous={"semester": PopulationSource(paths["prev"], PREVIOUS)},
        )

    rows = engine()  # warm-up: definitions parsed, files in the page cache
    runs = interleaved({"engine": engine, "floor": lambda: floor(paths)}, args.repeat)
    pandas_s, _ = timed(lambda: pandas_version(paths), max(1, args.repeat // 2))
    store_start = time.perf_counter()
    indicators_compute(snapshot=previous)
    run = indicators_compute(snapshot=current)
    store_s = time.perf_counter() - store_start
    pdf_s, pdf = timed(lambda: report_pdf(current), max(1, args.repeat // 2))
    result = {
        "people": args.people,
        "regions": 1 + len(regions),
        "values": len(rows),
        "parquet_mb": round(paths["cur"].stat().st_size / 1e6, 1),
        "engine_s": {k: round(v, 3) for k, v in runs["engine"].items()},
        "floor_s": {k: round(v, 3) for k, v in runs["floor"].items()},
        "pandas_s": {k: round(v, 3) for k, v in pandas_s.items()},
        "engine_vs_floor": {k: round(runs["engine"][k] / runs["floor"][k], 2) for k in ("min", "median")},
        "pandas_vs_floor": {k: round(pandas_s[k] / runs["floor"][k], 2) for k in ("min", "median")},
        "compute_and_store_both_snapshots_s": round(store_s, 3),
        "stored_values": run.jumlah_nilai,
        "report_pdf_s": {k: round(v, 3) for k, v in pdf_s.items()},
        "report_pdf_kb": len(pdf) // 1024,
        "setup_s": round(setup_s, 1),
        "cpus": os.cpu_count(),
        "load_avg": [round(x, 2) for x in os.getloadavg()],
        "targets": {"engine_s": 2.0, "engine_vs_floor": 1.5, "report_pdf_s": 5.0},
    }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
