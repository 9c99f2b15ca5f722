"""Issue 11's acceptance: an instance with residents, cases, signed letters and snapshots is backed up with
`piak backup`, restored with `piak restore` into an empty instance, and the restored one has the same counts
and passes `verify-audit` and `verify-archive`; a truncated and an altered archive are refused with their
message and the target left untouched; `piak restore --drill` records its success. Real processes, real
databases: SQLite files, or fresh databases on the PostgreSQL server of DATABASE_URL."""

import hashlib
import io
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from piak.penduduk.tests.instance import instance_env, piak, postgres_url, query

# One key for both instances: the office's keys are configuration, never part of the archive (docs/backup.md).
KEYS = {"SECRET_KEY": "cadangan-uji-kunci-rahasia-0123456789-abcdefghijklmnop"}
TABLES = [
    "core_user",
    "core_auditevent",
    "penduduk_penduduk",
    "penduduk_keluarga",
    "sop_case",
    "sop_steprun",
    "naskah_naskah",
    "naskah_arsip",
    "statistik_snapshot",
    "statistik_indicatorvalue",
]

# The office's history in one process (each `piak` start costs seconds on a busy machine).
HISTORY = """
from pathlib import Path
from django.core.management import call_command
from piak.penduduk.generator import city_write
city = Path({city!r})
city_write(city, people=400, seed=11)
for command in (["load_reference"], ["signer_init"], ["demo_users"], ["import", str(city)]):
    try:
        call_command(*command)
    except SystemExit as done:  # `piak import` ends with its exit code
        assert done.code == 0, done.code
call_command("snapshot", "--date", "2026-11-30")
call_command("demo_cases")
"""


def empty_env(folder: Path, name: str) -> dict[str, str]:
    """A new instance nobody has migrated: no SQLite file, or a new PostgreSQL database."""
    env = dict(os.environ)
    env.update(DJANGO_SETTINGS_MODULE="piak.settings.dev", PIAK_DATA_DIR=str(folder), **KEYS)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    url = postgres_url()
    env.pop("DATABASE_URL", None)
    if url:
        import psycopg

        base, _, database = url.rpartition("/")
        target = f"{database.split('?')[0]}_{name}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{target}"')
        env["DATABASE_URL"] = f"{base}/{target}"
    return env


def run(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "piak.cli", *args], env=env, capture_output=True, text=True)


def counts(env: dict, folder: Path) -> dict[str, int]:
    return {table: query(env, folder, f"SELECT COUNT(*) FROM {table}")[0][0] for table in TABLES}


def folder_state(folder: Path) -> dict[str, str]:
    """Every file of an instance's folder with its hash (the database file included on SQLite)."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "cadangan" not in path.parts
    }


def target_state(env: dict, folder: Path) -> tuple:
    tables = (
        ()
        if not env.get("DATABASE_URL")
        else query(env, folder, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'")
    )
    return folder_state(folder), tables


def altered_copy(archive: Path, target: Path) -> Path:
    """The archive with bytes of the database dump changed, its manifest untouched."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as copy:
        for member in source:
            data = source.extractfile(member).read()
            if member.name.startswith("basis-data/"):
                data = data[:-100] + bytes(b ^ 0x55 for b in data[-100:])
            copy.addfile(member, io.BytesIO(data))
    return target


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """The source instance with its history, and one backup of it."""
    folder = tmp_path_factory.mktemp("kantor")
    env = {**instance_env(folder, "cadangan_sumber"), **KEYS}
    piak(env, "shell", "-c", HISTORY.format(city=str(folder / "kota.csv")))
    made = piak(env, "backup", "--keluaran", str(folder / "arsip"))
    (archive,) = (folder / "arsip").glob("piak-cadangan-*.tar.gz")
    assert str(archive) in made.stdout
    return env, folder, archive


def test_a_damaged_archive_is_refused_and_the_empty_target_left_untouched(office, tmp_path):
    _, _, archive = office
    target = tmp_path / "tujuan"
    env = empty_env(target, "cadangan_rusak")
    truncated = tmp_path / "terpotong.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size * 2 // 3])
    assert run(env, "check").returncode == 0  # Django's start-up checks open (create) the empty SQLite file
    before = target_state(env, target)
    refused = run(env, "restore", str(truncated))
    assert refused.returncode == 1
    assert "ditolak: arsip terpotong atau rusak" in refused.stderr and "Tujuan pemulihan tidak diubah" in refused.stderr
    altered = run(env, "restore", str(altered_copy(archive, tmp_path / "diubah.tar.gz")))
    assert altered.returncode == 1
    assert "isi tidak cocok dengan manifest" in altered.stderr and "basis-data/piak." in altered.stderr
    assert target_state(env, target) == before


def test_a_backup_restores_into_an_empty_instance_with_equal_counts_and_a_clean_audit_and_archive(office, tmp_path):
    source_env, source, archive = office
    expected = counts(source_env, source)
    assert all(expected[table] > 0 for table in TABLES), expected  # residents, cases, letters, snapshots
    target = tmp_path / "tujuan"
    env = empty_env(target, "cadangan_tujuan")
    restored = run(env, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert "Dipulihkan dari cadangan" in restored.stdout
    # the source's backup.created came after its dump, the target's backup.restored after the restore: even
    assert counts(env, target) == expected
    audit = run(env, "verify-audit")
    assert audit.returncode == 0 and "Rantai audit utuh" in audit.stdout and "checkpoint" in audit.stdout, audit
    letters = run(env, "verify-archive")
    assert letters.returncode == 0, letters.stderr
    assert "Arsip utuh" in letters.stdout and " 0 berkas" not in letters.stdout
    assert (target / "signer" / "kantor.key.pem").stat().st_mode & 0o077 == 0
    # restoring twice is refused: the instance is no longer empty
    again = run(env, "restore", str(archive))
    assert again.returncode == 1 and "Pemulihan hanya ke instance kosong" in again.stderr


def test_the_restore_drill_records_its_success_on_the_instance(office):
    env, folder, archive = office
    drill = run(env, "restore", "--drill", str(archive))
    assert drill.returncode == 0, drill.stderr
    assert "Latihan pemulihan berhasil" in drill.stdout and "Rantai audit utuh" in drill.stdout
    rows = query(env, folder, "SELECT berhasil, arsip, sha256 FROM core_backuplog WHERE jenis = 'latihan'")
    assert [(bool(ok), path) for ok, path, _ in rows] == [(True, str(archive))]
    assert rows[0][2] == hashlib.sha256(archive.read_bytes()).hexdigest()
    assert not list(archive.parent.parent.glob("cadangan/.latihan-*")), "the throwaway instance is removed"
    if postgres_url():
        leftovers = query(env, folder, "SELECT datname FROM pg_database WHERE datname LIKE '%\\_latihan\\_%'")
        assert leftovers == []
