"""Writes of the core app. Every change goes through here and leaves an audit event."""

from datetime import date, time

from django.db import transaction
from django.db.models import Q

from . import events
from .errors import ValidationFailed
from .models import Capacity, DayOff, OfficeHours, Role, RoleHolding, User


def _overlapping(*, user: User, role: Role, mulai: date, selesai: date | None) -> Q:
    ends_after_start = Q(selesai__isnull=True) | Q(selesai__gte=mulai)
    starts_before_end = Q() if selesai is None else Q(mulai__lte=selesai)
    return Q(user=user, role=role) & ends_after_start & starts_before_end


@transaction.atomic
def role_assign(
    *,
    user: User,
    role: Role,
    capacity: str,
    mulai: date,
    selesai: date | None = None,
    nomor_sk: str = "",
    keterangan: str = "",
    by: User | None = None,
) -> RoleHolding:
    """Give `user` the role `role` from `mulai` to `selesai`; Plt/Plh must have an end date."""
    role_holding_validate(user=user, role=role, capacity=capacity, mulai=mulai, selesai=selesai)
    holding = RoleHolding.objects.create(
        user=user,
        role=role,
        capacity=capacity,
        mulai=mulai,
        selesai=selesai,
        nomor_sk=nomor_sk,
        keterangan=keterangan,
    )
    events.role_assigned(holding, by)
    return holding


def role_holding_validate(*, user: User, role: Role, capacity: str, mulai: date, selesai: date | None) -> None:
    if capacity not in Capacity.values:
        raise ValidationFailed(f"Kedudukan '{capacity}' tidak dikenal.", code="role_bad_capacity")
    if capacity != Capacity.DEFINITIF and selesai is None:
        raise ValidationFailed("Plt/Plh harus mempunyai tanggal selesai.", code="role_acting_needs_end")
    if selesai is not None and selesai < mulai:
        raise ValidationFailed("Tanggal selesai tidak boleh sebelum tanggal mulai.", code="role_bad_range")
    if RoleHolding.objects.filter(_overlapping(user=user, role=role, mulai=mulai, selesai=selesai)).exists():
        raise ValidationFailed(
            f"{user.display_name} sudah memegang jabatan {role.nama} pada sebagian rentang tanggal itu.",
            code="role_overlap",
        )


@transaction.atomic
def role_end(*, holding: RoleHolding, selesai: date, by: User | None = None) -> RoleHolding:
    if selesai < holding.mulai:
        raise ValidationFailed("Tanggal selesai tidak boleh sebelum tanggal mulai.", code="role_bad_range")
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
