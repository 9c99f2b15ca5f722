"""Writes of the core app. Every change goes through here and leaves an audit event."""

from datetime import date, time

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from . import events, roles, totp
from .errors import DomainError, PermissionDeniedError, ValidationFailed
from .models import Capacity, DayOff, OfficeHours, Role, RoleHolding, User
from .selectors import (
    acting_confirmation_refusal,
    acting_confirmer_role,
    acting_holdings_overlapping,
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
