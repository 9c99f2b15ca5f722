"""A killed import leaves the database exactly as before (SIGKILL, no chance to clean up).

The import runs in a separate `piak` process against its own database (a file in a temporary folder
on SQLite; a throwaway database on PostgreSQL when DATABASE_URL points there).
"""

import hashlib
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from piak.penduduk.generator import city_write

from .instance import connect, instance_env, piak

TABLES = [
    "penduduk_keluarga",
    "penduduk_penduduk",
    "penduduk_peristiwa",
    "core_auditevent",
    "core_auditchainhead",
]


@pytest.fixture(scope="module")
def killable(tmp_path_factory):
    """Environment of a fresh, migrated database holding one imported family."""
    folder = tmp_path_factory.mktemp("kill")
    env = instance_env(folder, "kill")
    small = folder / "awal.csv"
    city_write(small, people=300, seed=12)  # the first families of the big file: re-imported unchanged
    piak(env, "import", str(small))
    big = folder / "besar.csv"
    city_write(big, people=40_000, seed=12)
    return env, folder, big


def _fingerprint(env: dict, folder: Path) -> dict[str, str]:
    """Row count and a hash of every row of the tables an import touches."""
    result = {}
    connection = connect(env, folder)
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
    piak(env, "import", str(big))
    after = _fingerprint(env, folder)
    assert after["penduduk_penduduk"] != before["penduduk_penduduk"]
    assert int(after["penduduk_penduduk"].split(":")[0]) == 40_000
