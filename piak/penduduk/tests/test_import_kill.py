"""A killed import leaves the database exactly as before (SIGKILL, no chance to clean up).

The import runs in a separate `piak` process against its own database (a file in a temporary folder
on SQLite; a throwaway database on PostgreSQL when DATABASE_URL points there).
"""

import hashlib
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from piak.penduduk.generator import city_write

TABLES = [
    "penduduk_keluarga",
    "penduduk_penduduk",
    "penduduk_peristiwa",
    "core_auditevent",
    "core_auditchainhead",
]


def _piak(env: dict, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "piak.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        **kwargs,
    )


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else None


@pytest.fixture(scope="module")
def killable(tmp_path_factory):
    """Environment of a fresh, migrated database holding one imported family."""
    folder = tmp_path_factory.mktemp("kill")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "piak.settings.dev", "PIAK_DATA_DIR": str(folder)}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    url = _postgres_url()
    if url:
        import psycopg

        base, _, name = url.rpartition("/")
        target = f"{name.split('?')[0]}_kill"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{target}"')
            admin.execute(f'CREATE DATABASE "{target}"')
        env["DATABASE_URL"] = f"{base}/{target}"
    else:
        env.pop("DATABASE_URL", None)
    _piak(env, "migrate", "--noinput", "-v0")
    small = folder / "awal.csv"
    city_write(small, people=300, seed=12)  # the first families of the big file: re-imported unchanged
    _piak(env, "import", str(small))
    big = folder / "besar.csv"
    city_write(big, people=40_000, seed=12)
    return env, folder, big


def _fingerprint(env: dict, folder: Path) -> dict[str, str]:
    """Row count and a hash of every row of the tables an import touches."""
    result = {}
    if env.get("DATABASE_URL"):
        import psycopg

        connection = psycopg.connect(env["DATABASE_URL"])
    else:
        import sqlite3

        connection = sqlite3.connect(folder / "piak.sqlite3")
    try:
        cursor = connection.cursor()
        for table in TABLES:
            cursor.execute(f"SELECT * FROM {table} ORDER BY 1")
            rows = cursor.fetchall()
            result[table] = f"{len(rows)}:{hashlib.sha256(repr(rows).encode()).hexdigest()}"
    finally:
        connection.close()
    return result


@pytest.mark.parametrize("phase", ["membaca", "memeriksa", "menyimpan"])
def test_sigkill_midway_leaves_the_database_as_before(killable, phase):
    env, folder, big = killable
    before = _fingerprint(env, folder)
    process = subprocess.Popen(
        [sys.executable, "-m", "piak.cli", "import", str(big), "--progress"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen = []
    for line in process.stderr:
        seen.append(line)
        progress = re.search(r"(\d+)% (\w+)", line)
        if progress and progress[2] == phase and int(progress[1]) >= 20:
            break
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, "".join(seen)
    assert any(phase in line for line in seen), "".join(seen)
    assert _fingerprint(env, folder) == before


def test_the_same_import_left_to_finish_does_change_the_database(killable):
    """Guards the test above: the file it kills would have written thousands of rows."""
    env, folder, big = killable
    before = _fingerprint(env, folder)
    _piak(env, "import", str(big))
    after = _fingerprint(env, folder)
    assert after["penduduk_penduduk"] != before["penduduk_penduduk"]
    assert int(after["penduduk_penduduk"].split(":")[0]) == 40_000
