"""Writes of the core app. Every change goes through here and leaves an audit event."""

import contextlib
import getpass
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from datetime import date, datetime, time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from . import backup, events, roles, totp
from .audit import chain_key
from .checkpoints import audit_checkpoint_write
from .errors import DomainError, PermissionDeniedError, ValidationFailed
from .models import BackupLog, Capacity, DayOff, OfficeHours, Role, RoleHolding, User
from .selectors import (
    acting_confirmation_refusal,
    acting_confirmer_role,
    acting_holdings_overlapping,
    backup_archives_beyond_retention,
    holding_for,
    may_use_second_factor,
)
from .waktu import waktu_wib


def _overlapping(*, user: User, role: Role, mulai: date, selesai: date | None) -> Q:
    ends_after_start = Q(selesai__isnull=True) | Q(selesai__gte=mulai)
    starts_before_end = Q() if selesai is None else Q(mulai__lte=selesai)
    return Q(user=user, role=role, ditolak_pada__isnull=True) & ends_after_start & starts_before_end


@transaction.atomic
def role_assign(
    *,
    user: User,
    role: Role,
    capacity: str,
    mulai: date,
    selesai: date | None = None,
    nomor_sk: str = "",
    tanggal_sk: date | None = None,
    keterangan: str = "",
    by: User | None = None,
) -> RoleHolding:
    """Give `user` the role `role` from `mulai` to `selesai`.

    A definitive holding is in force at once. A Plt/Plh needs an end date, its SK (number and date) and the
    Admin who enters it, and takes effect only once confirmed (`role_acting_confirm`)."""
    role_holding_validate(
        user=user,
        role=role,
        capacity=capacity,
        mulai=mulai,
        selesai=selesai,
        nomor_sk=nomor_sk,
        tanggal_sk=tanggal_sk,
        by=by,
    )
    try:
        with transaction.atomic():
            holding = RoleHolding.objects.create(
                user=user,
                role=role,
                capacity=capacity,
                mulai=mulai,
                selesai=selesai,
                nomor_sk=nomor_sk.strip(),
                tanggal_sk=tanggal_sk,
                keterangan=keterangan,
                diangkat_oleh=by,
            )
    except IntegrityError as error:
        if capacity == Capacity.DEFINITIF:
            raise
        # PostgreSQL's exclusion constraint: a concurrent appointment for the same days was saved first.
        raise ValidationFailed(
            f"Pada sebagian rentang tanggal itu sudah ada Plt/Plh {role.nama}. Muat ulang daftar penunjukan.",
            code="role_acting_overlap",
        ) from error
    events.role_assigned(holding, by)
    return holding


def role_holding_validate(
    *,
    user: User,
    role: Role,
    capacity: str,
    mulai: date,
    selesai: date | None,
    nomor_sk: str = "",
    tanggal_sk: date | None = None,
    by: User | None = None,
) -> None:
    if capacity not in Capacity.values:
        raise ValidationFailed(f"Kedudukan '{capacity}' tidak dikenal.", code="role_bad_capacity")
    acting = capacity != Capacity.DEFINITIF
    if acting and selesai is None:
        raise ValidationFailed("Plt/Plh harus mempunyai tanggal selesai.", code="role_acting_needs_end")
    if selesai is not None and selesai < mulai:
        raise ValidationFailed("Tanggal selesai tidak boleh sebelum tanggal mulai.", code="role_bad_range")
    if acting and (not nomor_sk.strip() or tanggal_sk is None):
        raise ValidationFailed(
            "Penunjukan Plt/Plh wajib mencantumkan nomor dan tanggal SK / surat perintah.", code="role_acting_needs_sk"
        )
    if acting and by is None:
        raise ValidationFailed("Penunjukan Plt/Plh harus dicatat oleh Admin.", code="role_acting_needs_recorder")
    if by is not None:
        _recorder_check(user=user, by=by)
    if RoleHolding.objects.filter(_overlapping(user=user, role=role, mulai=mulai, selesai=selesai)).exists():
        raise ValidationFailed(
            f"{user.display_name} sudah memegang jabatan {role.nama} pada sebagian rentang tanggal itu.",
            code="role_overlap",
        )
    if acting:
        _one_acting_per_day_check(role=role, mulai=mulai, selesai=selesai)


def _recorder_check(*, user: User, by: User) -> None:
    if by.pk == user.pk:
        raise PermissionDeniedError(
            "Anda tidak dapat mengangkat diri sendiri; penunjukan harus dicatat oleh Admin lain.",
            code="role_self_appointment",
        )
    if holding_for(user=by, role=roles.ADMIN, on=timezone.localdate()) is None:
        raise PermissionDeniedError("Hanya Admin yang dapat mencatat penetapan jabatan.", code="role_assign_not_admin")


def _one_acting_per_day_check(*, role: Role, mulai: date, selesai: date) -> None:
    existing = acting_holdings_overlapping(role_id=role.pk, mulai=mulai, selesai=selesai).first()
    if existing is not None:
        raise ValidationFailed(
            f"Pada hari-hari itu sudah ada {existing.capacity_prefix}{role.nama}: {existing.user.display_name}, "
            f"{existing.mulai:%d-%m-%Y} s.d. {existing.selesai:%d-%m-%Y} "
            f"({existing.status.label.lower()}, SK {existing.nomor_sk or '-'}). "
            "Hanya satu Plt/Plh untuk satu jabatan pada hari yang sama.",
            code="role_acting_overlap",
        )


def _undecided_acting(holding: RoleHolding) -> RoleHolding:
    """The holding locked for a decision; a stale or replayed form finds it decided and changes nothing."""
    holding = RoleHolding.objects.select_for_update().select_related("user", "role").get(pk=holding.pk)
    if not holding.is_acting:
        raise ValidationFailed("Jabatan definitif tidak memerlukan konfirmasi.", code="role_not_acting")
    if holding.dikonfirmasi_pada is not None:
        raise DomainError(
            f"Penunjukan ini sudah dikonfirmasi oleh {holding.dikonfirmasi_oleh.display_name} "
            f"pada {waktu_wib(holding.dikonfirmasi_pada)}.",
            code="role_acting_decided",
        )
    if holding.ditolak_pada is not None:
        raise DomainError(
            f"Penunjukan ini sudah ditolak oleh {holding.ditolak_oleh.display_name} "
            f"pada {waktu_wib(holding.ditolak_pada)}.",
            code="role_acting_decided",
        )
    return holding


def _decider_holding(*, holding: RoleHolding, by: User) -> RoleHolding:
    """The holding in which `by` confirms or rejects `holding` today, or the refusal naming the rule."""
    today = timezone.localdate()
    refusal = acting_confirmation_refusal(holding=holding, user=by, on=today)
    if refusal is not None:
        code, message = refusal
        raise PermissionDeniedError(message, code=code)
    decider = holding_for(user=by, role=acting_confirmer_role(holding=holding, on=today), on=today)
    assert decider is not None  # acting_confirmation_refusal checked it
    return decider


@transaction.atomic
def role_acting_confirm(*, holding: RoleHolding, by: User) -> RoleHolding:
    """A second person (the Kepala Dinas; the Sekretaris for the Kepala Dinas's substitute) puts a Plt/Plh
    appointment in force."""
    holding = _undecided_acting(holding)
    decider = _decider_holding(holding=holding, by=by)
    holding.dikonfirmasi_oleh = by
    holding.dikonfirmasi_pada = timezone.now()
    holding.save(update_fields=["dikonfirmasi_oleh", "dikonfirmasi_pada"])
    events.role_acting_confirmed(holding, by, decider)
    return holding


@transaction.atomic
def role_acting_reject(*, holding: RoleHolding, by: User, alasan: str) -> RoleHolding:
    """Refuse a Plt/Plh appointment with a reason; it never takes effect and no longer blocks its days."""
    holding = _undecided_acting(holding)
    decider = _decider_holding(holding=holding, by=by)
    if not alasan.strip():
        raise ValidationFailed("Alasan penolakan wajib diisi.", code="role_reject_needs_reason")
    holding.ditolak_oleh = by
    holding.ditolak_pada = timezone.now()
    holding.alasan_tolak = alasan.strip()
    holding.save(update_fields=["ditolak_oleh", "ditolak_pada", "alasan_tolak"])
    events.role_acting_rejected(holding, by, decider)
    return holding


@transaction.atomic
def role_end(*, holding: RoleHolding, selesai: date, by: User | None = None) -> RoleHolding:
    if selesai < holding.mulai:
        raise ValidationFailed("Tanggal selesai tidak boleh sebelum tanggal mulai.", code="role_bad_range")
    if holding.is_acting and selesai > holding.selesai:
        # A longer term is a new appointment with its own SK and confirmation.
        raise ValidationFailed(
            "Masa Plt/Plh tidak dapat diperpanjang di sini; catat penunjukan baru dengan SK-nya.",
            code="role_acting_extended",
        )
    holding.selesai = selesai
    holding.save(update_fields=["selesai"])
    events.role_ended(holding, by, selesai)
    return holding


@transaction.atomic
def day_off_set(*, tanggal: date, nama: str, jenis: str = DayOff.Kind.CUTI_BERSAMA, by: User | None = None) -> DayOff:
    if not nama.strip():
        raise ValidationFailed("Keterangan hari libur wajib diisi.", code="day_off_needs_name")
    day_off, _ = DayOff.objects.update_or_create(tanggal=tanggal, defaults={"nama": nama.strip(), "jenis": jenis})
    events.day_off_set(day_off, by)
    return day_off


@transaction.atomic
def day_off_remove(*, tanggal: date, by: User | None = None) -> None:
    deleted, _ = DayOff.objects.filter(tanggal=tanggal).delete()
    if not deleted:
        raise ValidationFailed(f"Tidak ada hari libur tambahan pada {tanggal:%d-%m-%Y}.", code="day_off_missing")
    events.day_off_removed(tanggal, by)


@transaction.atomic
def office_hours_set(
    *,
    weekday: int,
    is_working: bool,
    opens: time | None = None,
    closes: time | None = None,
    by: User | None = None,
) -> OfficeHours:
    if is_working and (opens is None or closes is None or closes <= opens):
        raise ValidationFailed("Jam tutup harus sesudah jam buka pada hari kerja.", code="office_hours_bad_range")
    hours, _ = OfficeHours.objects.update_or_create(
        weekday=weekday,
        defaults={
            "is_working": is_working,
            "opens": opens if is_working else None,
            "closes": closes if is_working else None,
        },
    )
    events.office_hours_set(hours, by)
    return hours


@transaction.atomic
def user_password_change(*, user: User, password: str) -> User:
    """The user sets their own password (checked against the password policy); the admin-set flag is cleared."""
    try:
        password_validation.validate_password(password, user)
    except DjangoValidationError as error:
        raise ValidationFailed(" ".join(error.messages), code="password_policy") from error
    user.set_password(password)
    user.harus_ganti_sandi = False
    user.save(update_fields=["password", "harus_ganti_sandi"])
    events.password_changed(user)
    return user


def _second_factor_role_check(user: User) -> None:
    if not may_use_second_factor(user=user, on=timezone.localdate()):
        raise PermissionDeniedError(
            "Verifikasi dua langkah hanya untuk Kepala Dinas, Sekretaris, Kepala Bidang dan Admin.",
            code="totp_role",
        )


def _totp_step_check(*, secret: str, code: str, after: int | None) -> int:
    step = totp.matching_step(secret, code, after=after)
    if step is None:
        raise ValidationFailed(
            "Kode verifikasi salah, kedaluwarsa, atau sudah dipakai. Masukkan kode 6 angka yang sedang tampil "
            "di aplikasi autentikator.",
            code="totp_invalid",
        )
    return step


@transaction.atomic
def totp_enable(*, user: User, secret: str, code: str) -> User:
    """Turn on the second factor with the secret shown at enrolment, once the user proves their app has it."""
    _second_factor_role_check(user)
    if user.totp_aktif:
        raise ValidationFailed("Verifikasi dua langkah sudah aktif.", code="totp_already_enabled")
    step = _totp_step_check(secret=secret, code=code, after=None)
    user.totp_rahasia, user.totp_aktif, user.totp_langkah_terakhir = secret, True, step
    user.save(update_fields=["totp_rahasia", "totp_aktif", "totp_langkah_terakhir"])
    events.totp_enabled(user)
    return user


@transaction.atomic
def totp_disable(*, user: User, code: str) -> User:
    """Turn off the second factor; asks for a current code, so a stolen session alone cannot do it."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.totp_aktif:
        raise ValidationFailed("Verifikasi dua langkah tidak aktif.", code="totp_not_enabled")
    _totp_step_check(secret=user.totp_rahasia, code=code, after=user.totp_langkah_terakhir)
    user.totp_rahasia, user.totp_aktif, user.totp_langkah_terakhir = "", False, None
    user.save(update_fields=["totp_rahasia", "totp_aktif", "totp_langkah_terakhir"])
    events.totp_disabled(user)
    return user


@transaction.atomic
def totp_login_verify(*, user: User, code: str) -> User:
    """Check the second factor at login; the step is recorded so the same code cannot sign in twice. The login
    itself is audited when Django signs the user in."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.totp_langkah_terakhir = _totp_step_check(secret=user.totp_rahasia, code=code, after=user.totp_langkah_terakhir)
    user.save(update_fields=["totp_langkah_terakhir"])
    return user


# --- backup, restore and restore drills (docs/backup.md) -----------------------------------------------------
# `backup_create`, `backup_restore` and `backup_drill` are not one transaction: they run pg_dump/pg_restore and
# subprocesses, write files, and the checkpoint must see a committed head (and on SQLite a long IMMEDIATE
# transaction would stop every writer). Their one write to the database, the log row with its audit event,
# is `backup_log_record`.


@transaction.atomic
def backup_log_record(
    *,
    jenis: str,
    mulai: datetime,
    berhasil: bool,
    arsip: Path,
    pesan: str,
    pemicu: str,
    ukuran: int | None = None,
    sha256: str = "",
) -> BackupLog:
    log = BackupLog.objects.create(
        jenis=jenis,
        mulai=mulai,
        selesai=timezone.now(),
        berhasil=berhasil,
        arsip=str(arsip),
        ukuran=ukuran,
        sha256=sha256,
        pesan=pesan,
        pemicu=pemicu,
        pengguna_sistem=_system_user(),
    )
    events.backup_recorded(log)
    return log


def _system_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid())


def backup_create(*, keluaran: Path | None = None, pemicu: str = BackupLog.Trigger.PERINTAH) -> BackupLog:
    """Write one archive of this instance into `keluaran` (default `PIAK_CADANGAN_DIR`), mode 0600, and log it.
    A failure is logged too, then raised; a half-written archive never keeps the final name."""
    if connection.in_atomic_block:  # the checkpoint must name a committed head; a dump sees committed rows
        raise DomainError("Cadangan tidak dapat dibuat di dalam transaksi basis data.", code="backup_in_transaction")
    mulai = timezone.now()
    folder = Path(keluaran or settings.PIAK_CADANGAN_DIR)
    archive = folder / f"piak-cadangan-{timezone.localtime(mulai):%Y%m%d-%H%M%S}.tar.gz"
    partial = archive.with_name(f"{archive.name}.sebagian")
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if archive.exists():
            raise DomainError(f"Arsip {archive} sudah ada; coba lagi sebentar lagi.", code="backup_exists")
        _archive_write(partial)
        partial.rename(archive)
    except (DomainError, OSError) as error:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        message = error.message if isinstance(error, DomainError) else f"{error.strerror}: {error.filename}"
        backup_log_record(
            jenis=BackupLog.Kind.CADANGAN, mulai=mulai, berhasil=False, arsip=archive, pesan=message, pemicu=pemicu
        )
        raise DomainError(f"Cadangan gagal: {message}", code="backup_failed") from error
    size = archive.stat().st_size
    return backup_log_record(
        jenis=BackupLog.Kind.CADANGAN,
        mulai=mulai,
        berhasil=True,
        arsip=archive,
        pesan=f"Cadangan lengkap: {size:,} bita.".replace(",", "."),
        pemicu=pemicu,
        ukuran=size,
        sha256=backup.file_sha256(archive),
    )


def _archive_write(path: Path) -> None:
    """Checkpoint first, then the checkpoints' folder, then the dump: the dumped chain reaches every checkpoint
    in the archive, so `verify-audit` of a restored copy never reports a truncation the backup made up."""
    point = audit_checkpoint_write(alasan="cadangan")
    folders = backup.data_folders()
    writer = backup.ArchiveWriter(path)
    try:
        writer.add_folder(folders.pop("audit-checkpoints"), "audit-checkpoints")
        with tempfile.TemporaryDirectory(dir=path.parent, prefix=".piak-dump-") as scratch:
            dump = backup.database_dump(Path(scratch))
            writer.add_file(dump, f"{backup.DATABASE_FOLDER}/{dump.name}")
        for name, folder in folders.items():
            writer.add_folder(folder, name)
        writer.close(backup.manifest_build(members=writer.members, checkpoint={"seq": point.seq, "hash": point.hash}))
    except BaseException:
        writer.abandon()
        raise


def backup_restore(*, arsip: Path, pemicu: str = BackupLog.Trigger.PERINTAH) -> BackupLog:
    """Restore `arsip` into this instance, which must be empty. The archive is unpacked into a staging folder
    and checked against its signed manifest before anything of the target is touched; then the database and
    the folders are put in place and the migrations brought forward (an archive from an older PIAK)."""
    mulai = timezone.now()
    problems = backup.target_problems()
    if problems:
        raise DomainError(
            "Pemulihan hanya ke instance kosong (basis data baru, folder data kosong): "
            + "; ".join(problems)
            + ". Tidak ada yang diubah.",
            code="backup_target_not_empty",
        )
    staging_parent = Path(settings.PIAK_CADANGAN_DIR)
    staging_parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=staging_parent, prefix=".pemulihan-") as staging:
        checked = backup.archive_unpack(arsip, Path(staging))
        _restorable_check(arsip, checked.manifest)
        backup.database_put_in_place(checked.dump)
        backup.folders_put_in_place(checked)
    call_command("migrate", interactive=False, verbosity=0)
    manifest = checked.manifest
    return backup_log_record(
        jenis=BackupLog.Kind.PEMULIHAN,
        mulai=mulai,
        berhasil=True,
        arsip=arsip,
        pesan=(
            f"Dipulihkan dari cadangan {manifest['dibuat']} (PIAK {manifest['versi_piak']}, "
            f"{len(manifest['anggota'])} berkas, rantai audit sampai peristiwa #{manifest['checkpoint']['seq']})."
        ),
        pemicu=pemicu,
        ukuran=arsip.stat().st_size,
        sha256=backup.file_sha256(arsip),
    )


def _restorable_check(arsip: Path, manifest: dict) -> None:
    if manifest["vendor"] != backup.vendor():
        raise DomainError(
            f"Arsip cadangan '{arsip.name}' berisi basis data {manifest['vendor']}, sedangkan instance ini memakai "
            f"{backup.vendor()}. Tujuan pemulihan tidak diubah.",
            code="backup_vendor_mismatch",
        )
    newer = backup.unknown_migrations(manifest)
    if newer:
        raise DomainError(
            f"Arsip cadangan '{arsip.name}' dibuat oleh PIAK yang lebih baru (migrasi tidak dikenal: "
            f"{', '.join(newer[:5])}). Perbarui PIAK dulu. Tujuan pemulihan tidak diubah.",
            code="backup_newer_version",
        )


DRILL_STEPS = (("restore",), ("verify_audit",), ("verify_archive",))
DRILL_STEP_SECONDS = 6 * 60 * 60


def backup_drill(*, arsip: Path, pemicu: str = BackupLog.Trigger.PERINTAH) -> BackupLog:
    """Restore `arsip` into a throwaway instance (a temporary SQLite file, or a temporary database on the same
    PostgreSQL server) in child processes, run `verify-audit` and `verify-archive` on it, log the result and
    clean up whatever happened."""
    mulai = timezone.now()
    parent = Path(settings.PIAK_CADANGAN_DIR)
    parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=parent, prefix=".latihan-"))
    database = ""
    try:
        if backup.vendor() == "postgresql":
            database = _drill_database_create()
        berhasil, pesan = _drill_run(arsip, _drill_env(folder, database))
    except DomainError as error:
        berhasil, pesan = False, error.message
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if database:
            _drill_database_drop(database)
    present = arsip.is_file()
    return backup_log_record(
        jenis=BackupLog.Kind.LATIHAN,
        mulai=mulai,
        berhasil=berhasil,
        arsip=arsip,
        pesan=pesan,
        pemicu=pemicu,
        ukuran=arsip.stat().st_size if present else None,
        sha256=backup.file_sha256(arsip) if present else "",
    )


def _drill_run(arsip: Path, env: dict[str, str]) -> tuple[bool, str]:
    said = []
    for step in DRILL_STEPS:
        args = [*step, str(arsip)] if step == ("restore",) else list(step)
        done = subprocess.run(
            [sys.executable, "-m", "piak.cli", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=DRILL_STEP_SECONDS,
        )
        output = (done.stdout.strip() or done.stderr.strip()).splitlines()
        last = (done.stderr.strip() if done.returncode else "").splitlines()[-1:] or output[-1:] or [""]
        if done.returncode != 0:
            return False, f"{step[0].replace('_', '-')} gagal: {last[0]}"
        said.append(f"{step[0].replace('_', '-')}: {last[0]}")
    return True, " | ".join(said)


def _drill_env(folder: Path, database: str) -> dict[str, str]:
    """The environment of the throwaway instance: its own data folders and database, this office's keys."""
    env = {
        **os.environ,
        # the settings this process runs with (overridden settings in tests carry no module name)
        "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE or os.environ["DJANGO_SETTINGS_MODULE"],
        "PIAK_DATA_DIR": str(folder),
        "AUDIT_CHECKPOINT_DIR": str(folder / "audit-checkpoints"),
        "PIAK_SIGNER_DIR": str(folder / "signer"),
        "PIAK_SNAPSHOT_DIR": str(folder / "snapshot"),
        "PIAK_CADANGAN_DIR": str(folder / "cadangan"),
        "SECRET_KEY": settings.SECRET_KEY,
        "AUDIT_CHAIN_KEY": chain_key().decode(),
    }
    for name in ("DATABASE_URL", "DATABASE_APP_URL", "PIAK_DB_OWNER"):
        env.pop(name, None)
    if database:
        env["DATABASE_URL"] = _postgres_url(database)
    return env


def _postgres_url(database: str) -> str:
    own = connection.settings_dict
    credentials = quote(own["USER"] or "", safe="") + (f":{quote(own['PASSWORD'], safe='')}" if own["PASSWORD"] else "")
    return f"postgres://{credentials}@{own['HOST'] or 'localhost'}:{own['PORT'] or 5432}/{database}"


def _maintenance_connection():
    import psycopg

    own = connection.settings_dict
    return psycopg.connect(
        dbname="postgres",
        user=own["USER"] or None,
        password=own["PASSWORD"] or None,
        host=own["HOST"] or None,
        port=own["PORT"] or None,
        autocommit=True,
    )


def _drill_database_create() -> str:
    import psycopg

    name = f"{connection.settings_dict['NAME']}_latihan_{secrets.token_hex(4)}"
    try:
        with _maintenance_connection() as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        raise DomainError(
            f"Basis data sementara untuk latihan tidak dapat dibuat ({error}); pengguna basis data perlu hak CREATEDB.",
            code="backup_drill_database",
        ) from error
    return name


def _drill_database_drop(name: str) -> None:
    with _maintenance_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def backup_prune(*, simpan: int | None = None) -> list[str]:
    """Delete the archives in `PIAK_CADANGAN_DIR` beyond the newest `simpan` (`PIAK_CADANGAN_SIMPAN`) successful
    backups; their log rows stay, marked with when the archive went. Returns the deleted archives."""
    keep = settings.PIAK_CADANGAN_SIMPAN if simpan is None else simpan
    if keep < 1:
        raise ValidationFailed("PIAK_CADANGAN_SIMPAN minimal 1 arsip.", code="backup_retention_invalid")
    old = backup_archives_beyond_retention(folder=f"{Path(settings.PIAK_CADANGAN_DIR)}{os.sep}", keep=keep)
    for log in old:
        Path(log.arsip).unlink(missing_ok=True)
    if old:
        _backup_prune_record(old, keep)
    return [log.arsip for log in old]


@transaction.atomic
def _backup_prune_record(old: list[BackupLog], keep: int) -> None:
    BackupLog.objects.filter(pk__in=[log.pk for log in old]).update(dihapus_pada=timezone.now())
    events.backup_pruned([log.arsip for log in old], keep)
