#!/usr/bin/env python
"""Benchmark of `piak import` (not part of the test suite). Prints one JSON object.

    .venv/bin/python bench/import.py --people 100000 [--database sqlite|postgres]

Measured in the same run, on a fresh database:
- `import`: `piak generate` output imported by `piak import` in a child process (wall time, peak RSS);
- `reimport`: the same file again (everything unchanged);
- `floor`: the rows the import produced, already clean, bulk-loaded into the same tables the fastest
  raw way (PostgreSQL `COPY`, SQLite `executemany` in one transaction), indexes and constraints included;
- `orm`: what a typical Django project does: per-row `get_or_create` of the family and `save()` of the
  resident, on a sample of up to 50,000 rows, extrapolated to N.
PostgreSQL: `--url` (default postgres://postgres@127.0.0.1:5433/piak_bench), dropped and re-created.
"""

import argparse
import csv
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TABLES = ["penduduk_keluarga", "penduduk_penduduk"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, required=True)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--url", default="postgres://postgres@127.0.0.1:5433/piak_bench")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--orm-sample", type=int, default=50_000)
    return parser.parse_args()


def fresh_database(args, folder: Path) -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "piak.settings.dev", "PIAK_DATA_DIR": str(folder)}
    env.pop("DATABASE_URL", None)
    if args.database == "postgres":
        import psycopg

        base, _, name = args.url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = args.url
    return env


def piak(env: dict, *arguments: str) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "piak.cli", *arguments], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"piak {' '.join(arguments)} gagal ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return elapsed


def peak_child_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def django_setup(env: dict) -> None:
    os.environ.update(
        {k: v for k, v in env.items() if k in ("DJANGO_SETTINGS_MODULE", "PIAK_DATA_DIR", "DATABASE_URL")}
    )
    import django

    django.setup()


def floor_seconds() -> float:
    """Dump what the import wrote, empty the tables, and time the raw bulk load of the same rows."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            dumps = {}
            for table in TABLES:
                buffer = io.BytesIO()
                with cursor.cursor.copy(f"COPY {table} TO STDOUT") as copy:
                    for chunk in copy:
                        buffer.write(chunk)
                dumps[table] = buffer.getvalue()
            cursor.execute("TRUNCATE penduduk_penduduk, penduduk_keluarga CASCADE")
            connection.commit() if not connection.get_autocommit() else None
            started = time.perf_counter()
            with transaction.atomic():
                for table in TABLES:
                    with cursor.cursor.copy(f"COPY {table} FROM STDIN") as copy:
                        copy.write(dumps[table])
            return time.perf_counter() - started
        rows = {}
        for table in TABLES:
            cursor.execute(f"SELECT * FROM {table}")
            rows[table] = cursor.fetchall()
        cursor.execute("DELETE FROM penduduk_penduduk")
        cursor.execute("DELETE FROM penduduk_keluarga")
        started = time.perf_counter()
        with transaction.atomic():
            for table in TABLES:
                marks = ", ".join("?" * len(rows[table][0]))
                cursor.cursor.executemany(f"INSERT INTO {table} VALUES ({marks})", rows[table])
        return time.perf_counter() - started


def orm_seconds(path: Path, sample: int) -> tuple[int, float]:
    """Per-row ORM saves, as a typical Django import view does; returns (rows, seconds)."""
    from datetime import datetime

    from django.db import connection

    from piak.penduduk.impor.codes import code_tables
    from piak.penduduk.models import Keluarga, Penduduk

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM penduduk_penduduk")
        cursor.execute("DELETE FROM penduduk_keluarga")
    tables = {name: table.lookup for name, table in code_tables().items()}
    done = 0
    started = time.perf_counter()
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if done >= sample:
                break
            kelurahan = f"16.71.{int(row['NO_KEC']):02d}.{row['NO_KEL']}"
            keluarga, _ = Keluarga.objects.get_or_create(
                no_kk=row["NO_KK"],
                defaults={
                    "kelurahan_id": kelurahan,
                    "rw": row["NO_RW"],
                    "rt": row["NO_RT"],
                    "alamat": row["ALAMAT"],
                },
            )
            Penduduk(
                nik=row["NIK"],
                keluarga=keluarga,
                nama=row["NAMA_LGKP"],
                jenis_kelamin=tables["jenis_kelamin"][row["JENIS_KLMIN"]],
                tempat_lahir=row["TMPT_LHR"],
                tanggal_lahir=datetime.strptime(row["TGL_LHR"], "%d-%m-%Y").date(),
                agama=int(row["AGAMA"]),
                status_kawin=tables["status_kawin"][row["STAT_KWN"]],
                shdk=tables["shdk"][row["STAT_HBKEL"]],
                nik_ibu=row["NIK_IBU"],
                nama_ibu=row["NAMA_LGKP_IBU"],
                nik_ayah=row["NIK_AYAH"],
                nama_ayah=row["NAMA_LGKP_AYAH"],
                akta_lahir=row["AKTA_LHR"] == "Y",
                no_akta_lahir=row["NO_AKTA_LHR"],
                status_ktp=tables["status_ktp_el.status_rekam"][row["STAT_KTP"]],
                kia=row["KIA"] == "Y",
            ).save()
            done += 1
    return done, time.perf_counter() - started


def main() -> None:
    args = parse_args()
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="piak-bench-") as tmp:
        folder = Path(tmp)
        env = fresh_database(args, folder)
        piak(env, "migrate", "--noinput", "-v0")
        city = folder / "kota.csv"
        generate_s = piak(env, "generate", "--people", str(args.people), "--seed", str(args.seed), "--out", str(city))
        import_s = piak(env, "import", str(city))
        import_rss = peak_child_rss_mb()
        reimport_s = piak(env, "import", str(city))
        django_setup(env)
        floor_s = floor_seconds()
        orm_rows, orm_s = orm_seconds(city, min(args.orm_sample, args.people))
        from django.db import connection

        orm_total = orm_s * args.people / orm_rows
        print(
            json.dumps(
                {
                    "people": args.people,
                    "database": connection.vendor,
                    "generate_s": round(generate_s, 2),
                    "import_s": round(import_s, 2),
                    "rows_per_s": round(args.people / import_s),
                    "reimport_unchanged_s": round(reimport_s, 2),
                    "peak_rss_mb_max_of_child_processes": round(import_rss),
                    "floor_s": round(floor_s, 2),
                    "ratio_vs_floor": round(import_s / floor_s, 2),
                    "orm_sample_rows": orm_rows,
                    "orm_sample_s": round(orm_s, 2),
                    "orm_extrapolated_s": round(orm_total, 1),
                    "speedup_vs_orm": round(orm_total / import_s, 1),
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
