"""One function per audit event type of the core app (Saleor's order/events.py pattern)."""

from datetime import date
from typing import Any

from django.db import models

from .audit import Actor, audit_append, register_action
from .models import BackupLog, DayOff, OfficeHours, RoleHolding, User

LOGIN = register_action("auth.login", "Masuk ke sistem")
LOGOUT = register_action("auth.logout", "Keluar dari sistem")
LOGIN_LOCKED = register_action("auth.locked", "Akun dikunci sementara setelah gagal masuk berulang")
PASSWORD_CHANGED = register_action("auth.password_changed", "Mengganti kata sandi sendiri")
TOTP_ENABLED = register_action("auth.totp_enabled", "Mengaktifkan verifikasi dua langkah")
TOTP_DISABLED = register_action("auth.totp_disabled", "Menonaktifkan verifikasi dua langkah")
ROLE_ASSIGNED = register_action("role.assigned", "Penetapan jabatan (definitif/Plt/Plh)")
ROLE_ACTING_CONFIRMED = register_action("role.acting_confirmed", "Konfirmasi penunjukan Plt/Plh")
ROLE_ACTING_REJECTED = register_action("role.acting_rejected", "Penolakan penunjukan Plt/Plh")
ROLE_ENDED = register_action("role.ended", "Pengakhiran jabatan")
DAY_OFF_SET = register_action("calendar.day_off_set", "Penetapan hari libur tambahan")
DAY_OFF_REMOVED = register_action("calendar.day_off_removed", "Penghapusan hari libur tambahan")
OFFICE_HOURS_SET = register_action("calendar.office_hours_set", "Perubahan jam kerja")
REFERENCE_LOADED = register_action("reference.loaded", "Pemuatan data referensi")
USER_CREATED = register_action("user.created", "Pembuatan pengguna")
USER_CHANGED = register_action("user.changed", "Perubahan pengguna (nama cetak, NIP, status, hak, kata sandi)")
ACCESS_CHANGED = register_action("access.changed", "Perubahan grup atau hak akses")
BACKUP_RECORDED = {
    BackupLog.Kind.CADANGAN: register_action("backup.created", "Pembuatan cadangan (berhasil atau gagal)"),
    BackupLog.Kind.LATIHAN: register_action("backup.drilled", "Latihan pemulihan cadangan (berhasil atau gagal)"),
    BackupLog.Kind.PEMULIHAN: register_action("backup.restored", "Pemulihan dari arsip cadangan"),
}
BACKUP_PRUNED = register_action("backup.pruned", "Penghapusan arsip cadangan lama (retensi)")


def login(user: User) -> None:
    audit_append(action=LOGIN, actor=Actor(user), obj=user)


def logout(user: User) -> None:
    audit_append(action=LOGOUT, actor=Actor(user), obj=user)


def login_locked(username: str, failures: int) -> None:
    audit_append(action=LOGIN_LOCKED, actor=Actor(None), payload={"username": username, "gagal": failures})


def password_changed(user: User) -> None:
    audit_append(action=PASSWORD_CHANGED, actor=Actor(user), obj=user)


def totp_enabled(user: User) -> None:
    audit_append(action=TOTP_ENABLED, actor=Actor(user), obj=user)


def totp_disabled(user: User) -> None:
    audit_append(action=TOTP_DISABLED, actor=Actor(user), obj=user)


def role_assigned(holding: RoleHolding, by: User | None) -> None:
    audit_append(
        action=ROLE_ASSIGNED,
        actor=Actor(by),
        obj=holding,
        payload={
            "user": holding.user.username,
            "role": holding.role_id,
            "capacity": holding.capacity,
            "mulai": holding.mulai,
            "selesai": holding.selesai,
            "nomor_sk": holding.nomor_sk,
            "tanggal_sk": holding.tanggal_sk,
        },
    )


def _decider(by: User, holding: RoleHolding) -> Actor:
    """The confirmer acts in the role that entitles them (Kepala Dinas or Sekretaris), perhaps as Plt/Plh."""
    return Actor(by, role=holding.role_id, acting_as=holding.capacity if holding.is_acting else "")


def role_acting_confirmed(holding: RoleHolding, by: User, decider: RoleHolding) -> None:
    audit_append(
        action=ROLE_ACTING_CONFIRMED,
        actor=_decider(by, decider),
        obj=holding,
        payload={"user": holding.user.username, "role": holding.role_id, "capacity": holding.capacity},
    )


def role_acting_rejected(holding: RoleHolding, by: User, decider: RoleHolding) -> None:
    audit_append(
        action=ROLE_ACTING_REJECTED,
        actor=_decider(by, decider),
        obj=holding,
        payload={
            "user": holding.user.username,
            "role": holding.role_id,
            "capacity": holding.capacity,
            "alasan": holding.alasan_tolak,
        },
    )


def role_ended(holding: RoleHolding, by: User | None, ended_on: date) -> None:
    audit_append(action=ROLE_ENDED, actor=Actor(by), obj=holding, payload={"selesai": ended_on})


def day_off_set(day_off: DayOff, by: User | None) -> None:
    audit_append(
        action=DAY_OFF_SET,
        actor=Actor(by),
        obj=day_off,
        payload={"tanggal": day_off.tanggal, "nama": day_off.nama, "jenis": day_off.jenis},
    )


def day_off_removed(tanggal: date, by: User | None) -> None:
    audit_append(action=DAY_OFF_REMOVED, actor=Actor(by), payload={"tanggal": tanggal})


def office_hours_set(hours: OfficeHours, by: User | None) -> None:
    audit_append(
        action=OFFICE_HOURS_SET,
        actor=Actor(by),
        obj=hours,
        payload={
            "weekday": hours.weekday,
            "kerja": hours.is_working,
            "buka": hours.opens,
            "tutup": hours.closes,
        },
    )


def reference_loaded(summary: dict[str, int]) -> None:
    audit_append(action=REFERENCE_LOADED, actor=Actor(None), payload=summary)


def user_created(user: User, fields: dict[str, Any], by: User | None) -> None:
    """`fields` are the audited fields of the new user; the password is named as set, never hashed in."""
    audit_append(action=USER_CREATED, actor=Actor(by), obj=user, payload={"username": user.username, **fields})


def user_changed(user: User, changes: dict[str, list], by: User | None) -> None:
    """`changes` maps each changed field to `[old, new]` (for the password: `"diubah"`)."""
    audit_append(action=USER_CHANGED, actor=Actor(by), obj=user, payload={"username": user.username, **changes})


def access_changed(obj: models.Model, relation: str, change: str, names: list[str], by: User | None) -> None:
    """Groups or permissions added to / removed from a user or group (`change`: ditambah/dihapus)."""
    audit_append(action=ACCESS_CHANGED, actor=Actor(by), obj=obj, payload={"relasi": relation, change: names})


def backup_recorded(log: BackupLog) -> None:
    audit_append(
        action=BACKUP_RECORDED[log.jenis],
        actor=Actor(None),
        obj=log,
        payload={
            "berhasil": log.berhasil,
            "arsip": log.arsip,
            "ukuran": log.ukuran,
            "sha256": log.sha256,
            "pemicu": log.pemicu,
            "pengguna_sistem": log.pengguna_sistem,
            "pesan": log.pesan[:500],
        },
    )


def backup_pruned(archives: list[str], keep: int) -> None:
    audit_append(action=BACKUP_PRUNED, actor=Actor(None), payload={"dihapus": archives, "simpan": keep})
