"""The archive of a backup: writing it, checking it and putting it back (docs/backup.md).

One gzip-compressed tar holds the database dump (`pg_dump -Fc` on PostgreSQL, SQLite's online backup API
otherwise), every file under the data folders (uploads and generated files, snapshots, signer keys, audit
checkpoints) and, last, `manifest.json`: every member's size and SHA-256, the PIAK version, the applied
migrations and the database vendor, signed with an HMAC derived from `AUDIT_CHAIN_KEY`. The signature makes
an archive whose manifest was rewritten, or one made by another office's instance, a foreign archive.
Files are streamed in chunks: memory stays bounded whatever the size of the register.
"""

import hashlib
import hmac
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from .audit import chain_key
from .errors import DomainError

FORMAT = "piak-cadangan-1"
MANIFEST = "manifest.json"
DATABASE_FOLDER = "basis-data"
DUMP_NAMES = {"sqlite": "piak.sqlite3", "postgresql": "piak.pgdump"}
MANIFEST_MAX_BYTES = 64 * 1024**2
CHUNK = 1024**2
SIGNED_FIELDS = ("format", "dibuat", "versi_piak", "vendor", "migrasi", "checkpoint", "anggota")


def data_folders() -> dict[str, Path]:
    """The folders a backup holds, by their name inside the archive."""
    return {
        "media": Path(settings.MEDIA_ROOT),
        "snapshot": Path(settings.PIAK_SNAPSHOT_DIR),
        "signer": Path(settings.PIAK_SIGNER_DIR),
        "audit-checkpoints": Path(settings.AUDIT_CHECKPOINT_DIR),
    }


def vendor() -> str:
    return connection.vendor


def piak_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("piak")
    except PackageNotFoundError:
        return "tidak diketahui"


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationLoader(connection, ignore_no_migrations=True).applied_migrations):
        applied.setdefault(app, []).append(name)
    return applied


def _manifest_key() -> bytes:
    """A key of its own (derived), so a manifest signature can never pass for an event hash or checkpoint."""
    return hmac.new(chain_key(), b"piak-backup-manifest-v1", hashlib.sha256).digest()


def manifest_signature(manifest: dict) -> str:
    message = json.dumps([manifest.get(name) for name in SIGNED_FIELDS], sort_keys=True, separators=(",", ":"))
    return hmac.new(_manifest_key(), message.encode(), hashlib.sha256).hexdigest()


class _HashingReader:
    """Hands a file to tarfile chunk by chunk while hashing what it read."""

    def __init__(self, raw) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.digest.update(data)
        return data


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- writing -------------------------------------------------------------------------------------------------


def database_dump(target: Path) -> Path:
    """Dump the database into the folder `target` (never a copy of a live file); returns the dump."""
    dump = target / DUMP_NAMES[vendor()]
    if vendor() == "postgresql":
        _run_pg("pg_dump", "--format=custom", "--file", str(dump))
    else:
        connection.ensure_connection()
        copy = sqlite3.connect(dump)
        try:
            connection.connection.backup(copy)  # SQLite's online backup API, from the live connection
        finally:
            copy.close()
    return dump


def _libpq_env() -> dict[str, str]:
    """The connection of Django's default database as libpq variables (no password on a command line)."""
    database = connection.settings_dict
    env = {**os.environ, "PGDATABASE": database["NAME"]}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if database.get(key):
            env[variable] = str(database[key])
    return env


def _run_pg(program: str, *args: str) -> None:
    done = subprocess.run([program, *args], env=_libpq_env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise DomainError(
            f"{program} gagal (kode {done.returncode}): {done.stderr.strip()[-500:]}", code="backup_database_tool"
        )


def _files_under(folder: Path) -> Iterator[Path]:
    """Regular files under `folder` in a stable order; symbolic links are not followed."""
    for root, directories, files in os.walk(folder):
        directories.sort()
        for name in sorted(files):
            path = Path(root) / name
            if path.is_file() and not path.is_symlink():
                yield path


class ArchiveWriter:
    """Adds members to a new archive (mode 0600) and notes each one's size and SHA-256 for the manifest."""

    def __init__(self, path: Path) -> None:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self.raw = os.fdopen(descriptor, "wb")
        self.tar = tarfile.open(fileobj=self.raw, mode="w:gz", compresslevel=1)  # noqa: SIM115 (closed by close/abandon)
        self.members: list[dict] = []

    def add_file(self, path: Path, name: str) -> None:
        with path.open("rb") as handle:
            status = os.fstat(handle.fileno())
            info = tarfile.TarInfo(name)
            info.size = status.st_size
            info.mtime = int(status.st_mtime)
            info.mode = status.st_mode & 0o777
            reader = _HashingReader(handle)
            self.tar.addfile(info, reader)
        self.members.append({"nama": name, "ukuran": info.size, "sha256": reader.digest.hexdigest()})

    def add_folder(self, folder: Path, prefix: str) -> None:
        if folder.is_dir():
            for path in _files_under(folder):
                self.add_file(path, f"{prefix}/{path.relative_to(folder).as_posix()}")

    def close(self, manifest: dict) -> None:
        data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        info.mtime = int(timezone.now().timestamp())
        info.mode = 0o600
        self.tar.addfile(info, BytesIO(data))
        self.tar.close()
        self.raw.flush()
        os.fsync(self.raw.fileno())
        self.raw.close()

    def abandon(self) -> None:
        self.tar.close()
        self.raw.close()


def manifest_build(*, members: list[dict], checkpoint: dict) -> dict:
    manifest = {
        "format": FORMAT,
        "dibuat": timezone.now().isoformat(timespec="seconds"),
        "versi_piak": piak_version(),
        "vendor": vendor(),
        "migrasi": applied_migrations(),
        "checkpoint": checkpoint,
        "anggota": members,
    }
    return {**manifest, "tanda": manifest_signature(manifest)}


# --- reading and checking ------------------------------------------------------------------------------------


def _refuse(archive: Path, why: str, code: str) -> DomainError:
    return DomainError(f"Arsip cadangan '{archive.name}' ditolak: {why}. Tujuan pemulihan tidak diubah.", code=code)


def _member_path(name: str) -> PurePosixPath | None:
    """The member's path when it is one a PIAK archive may hold, else None (absolute, '..', unknown folder)."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        return None
    if name == MANIFEST or (path.parts[0] in {DATABASE_FOLDER, *data_folders()} and len(path.parts) > 1):
        return path
    return None


@dataclass(frozen=True)
class CheckedArchive:
    """An archive unpacked into `staging` whose every member matched its signed manifest."""

    staging: Path
    manifest: dict

    @property
    def dump(self) -> Path:
        return self.staging / DATABASE_FOLDER / DUMP_NAMES[self.manifest["vendor"]]

    def folder(self, name: str) -> Path:
        return self.staging / name


def archive_unpack(archive: Path, staging: Path) -> CheckedArchive:
    """Unpack `archive` into the empty folder `staging`, hashing as it goes, and check it against its manifest.

    Refuses (DomainError) a truncated or corrupt archive, one with a member outside the known folders or that
    is not a regular file, a missing or unsigned manifest, and any missing, extra or changed member."""
    if not archive.is_file():
        raise _refuse(archive, "berkas tidak ditemukan", "backup_archive_missing")
    found: dict[str, tuple[int, str]] = {}
    manifest_bytes = b""
    try:
        with tarfile.open(archive, mode="r|gz") as tar:
            for member in tar:
                if member.isdir():
                    continue
                path = _member_path(member.name)
                if path is None or not member.isfile():
                    raise _refuse(archive, f"berisi anggota asing '{member.name}'", "backup_foreign_member")
                if member.name in found:
                    raise _refuse(archive, f"anggota '{member.name}' tercatat dua kali", "backup_duplicate_member")
                source = tar.extractfile(member)
                if member.name == MANIFEST:
                    if member.size > MANIFEST_MAX_BYTES:
                        raise _refuse(archive, "manifest terlalu besar", "backup_manifest_invalid")
                    manifest_bytes = source.read()
                    found[MANIFEST] = (member.size, "")
                    continue
                found[member.name] = _unpack_member(source, staging / path, member.mode)
    except (tarfile.TarError, EOFError, OSError) as error:
        raise _refuse(archive, f"arsip terpotong atau rusak ({error})", "backup_archive_damaged") from error
    manifest = _manifest_check(archive, manifest_bytes, found)
    return CheckedArchive(staging=staging, manifest=manifest)


def _unpack_member(source, target: Path, mode: int) -> tuple[int, str]:
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            handle.write(chunk)
    os.chmod(target, mode & 0o777 or 0o600)
    return size, digest.hexdigest()


def _manifest_check(archive: Path, data: bytes, found: dict[str, tuple[int, str]]) -> dict:
    if not data:
        raise _refuse(
            archive, "tidak ada manifest.json (arsip terpotong atau bukan cadangan PIAK)", "backup_no_manifest"
        )
    try:
        manifest = json.loads(data)
        members = {item["nama"]: (item["ukuran"], item["sha256"]) for item in manifest["anggota"]}
    except (ValueError, KeyError, TypeError) as error:
        raise _refuse(archive, "manifest.json tidak terbaca", "backup_manifest_invalid") from error
    if manifest.get("format") != FORMAT:
        raise _refuse(archive, "bukan arsip cadangan PIAK (format tidak dikenal)", "backup_foreign_archive")
    if not hmac.compare_digest(str(manifest.get("tanda", "")), manifest_signature(manifest)):
        raise _refuse(
            archive,
            "tanda tangan manifest tidak cocok: arsip diubah, atau dibuat instance lain dengan kunci AUDIT_CHAIN_KEY "
            "yang berbeda",
            "backup_foreign_archive",
        )
    if manifest.get("vendor") not in DUMP_NAMES:
        raise _refuse(archive, f"jenis basis data '{manifest.get('vendor')}' tidak dikenal", "backup_manifest_invalid")
    found = {name: value for name, value in found.items() if name != MANIFEST}
    problems = [f"'{name}' hilang" for name in sorted(members.keys() - found.keys())]
    problems += [f"'{name}' tidak tercatat di manifest" for name in sorted(found.keys() - members.keys())]
    problems += [
        f"'{name}' berubah (ukuran atau SHA-256 tidak cocok)"
        for name in sorted(members.keys() & found.keys())
        if tuple(members[name]) != found[name]
    ]
    if problems:
        shown = "; ".join(problems[:5]) + (f"; dan {len(problems) - 5} lainnya" if len(problems) > 5 else "")
        raise _refuse(archive, f"isi tidak cocok dengan manifest: {shown}", "backup_member_mismatch")
    return manifest


# --- the target of a restore ---------------------------------------------------------------------------------


def unknown_migrations(manifest: dict) -> list[str]:
    """Migrations the archive's database has that this PIAK does not know (an archive from a newer PIAK)."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [f"{app}.{name}" for app, names in manifest["migrasi"].items() for name in names if (app, name) not in known]


def target_problems() -> list[str]:
    """Why this instance is not an empty target for a restore (empty list: it is)."""
    problems = [
        f"folder {path} tidak kosong" for path in data_folders().values() if path.is_dir() and any(path.iterdir())
    ]
    tables = set(connection.introspection.table_names()) if _database_exists() else set()
    if tables:
        with connection.cursor() as cursor:
            for table, what in (("core_user", "pengguna"), ("core_auditevent", "peristiwa audit")):
                if table in tables:
                    cursor.execute(f"SELECT COUNT(*) FROM {table}")  # fixed table names
                    count = cursor.fetchone()[0]
                    if count:
                        problems.append(f"basis data berisi {count} {what}")
    return problems


def _database_exists() -> bool:
    """False for a SQLite file not yet created: looking inside would create it, and the target must stay as it was."""
    name = str(settings.DATABASES["default"]["NAME"])
    return vendor() != "sqlite" or name.startswith("file:") or name == ":memory:" or Path(name).exists()


def database_put_in_place(dump: Path) -> None:
    """Replace the (empty) target database with the dump: pg_restore, or the SQLite file moved in place."""
    if vendor() == "postgresql":
        with connection.cursor() as cursor:  # a migrated but empty target: start from a bare schema
            cursor.execute("DROP SCHEMA IF EXISTS public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        connection.close()
        _run_pg(
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            connection.settings_dict["NAME"],
            str(dump),
        )
        return
    name = Path(settings.DATABASES["default"]["NAME"])
    connection.close()
    for leftover in (name, Path(f"{name}-wal"), Path(f"{name}-shm")):
        leftover.unlink(missing_ok=True)
    shutil.move(dump, name)


def folders_put_in_place(checked: CheckedArchive) -> None:
    for name, target in data_folders().items():
        source = checked.folder(name)
        if not source.is_dir():
            continue
        target.mkdir(parents=True, exist_ok=True)
        for entry in source.iterdir():
            shutil.move(entry, target / entry.name)
