"""Who may act as which role on which day; which task workers are alive; the backup log."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import roles
from .models import IN_FORCE, BackupLog, Capacity, RoleHolding, User, WorkerHeartbeat


def _holdings_on(on: date) -> QuerySet[RoleHolding]:
    """Holdings in force on `on`; an acting one not (yet) confirmed gives no rights anywhere."""
    return RoleHolding.objects.filter(
        IN_FORCE, Q(selesai__isnull=True) | Q(selesai__gte=on), mulai__lte=on, user__is_active=True
    ).select_related("user", "role")


def role_holders_on(*, role: str, on: date) -> list[RoleHolding]:
    """Everyone who may act as `role` on `on`: definitive holders first, then Plt, then Plh."""
    order = {"definitif": 0, "plt": 1, "plh": 2}
    holdings = _holdings_on(on).filter(role_id=role)
    return sorted(holdings, key=lambda h: (order[h.capacity], h.user.username))


# Within a request the menu, the view's guard, the inbox and the services each ask for the same user's roles;
# `roles_remembered` keeps the answer for the request, and any change to a holding or a user forgets it.
_remembered: ContextVar[dict | None] = ContextVar("roles_remembered", default=None)


@contextmanager
def roles_remembered() -> Iterator[None]:
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def roles_forget() -> None:
    memo = _remembered.get()
    if memo is not None:
        memo.clear()


def roles_of_user_on(*, user: User, on: date) -> list[RoleHolding]:
    """The roles `user` may act in on `on`, each with the capacity (definitif/Plt/Plh) they hold it in."""
    memo = _remembered.get()
    if memo is None:
        return list(_holdings_on(on).filter(user=user).order_by("role__urutan", "capacity"))
    key = (user.pk, on)
    if key not in memo:
        memo[key] = list(_holdings_on(on).filter(user=user).order_by("role__urutan", "capacity"))
    return list(memo[key])


def may_use_second_factor(*, user: User, on: date) -> bool:
    """Whether `user` holds (in any capacity) a role that signs, appoints or administers on `on`."""
    return any(h.role_id in roles.SECOND_FACTOR_ROLES for h in roles_of_user_on(user=user, on=on))


def holding_for(*, user: User, role: str, on: date) -> RoleHolding | None:
    """The holding that lets `user` act as `role` on `on`, preferring a definitive one."""
    holdings = [h for h in roles_of_user_on(user=user, on=on) if h.role_id == role]
    holdings.sort(key=lambda h: h.is_acting)
    return holdings[0] if holdings else None


def users_with_a_role_on(*, on: date) -> QuerySet[User]:
    """Active users who hold at least one role (definitively or as confirmed acting official) on `on`."""
    return User.objects.filter(pk__in=_holdings_on(on).values("user"), is_active=True)


def acting_holdings_overlapping(
    *, role_id: str, mulai: date, selesai: date, exclude_pk: int | None = None
) -> QuerySet[RoleHolding]:
    """Plt/Plh appointments for `role_id` sharing a day with `mulai`–`selesai`; pending ones count, rejected not."""
    return (
        RoleHolding.objects.filter(role_id=role_id, ditolak_pada__isnull=True, mulai__lte=selesai, selesai__gte=mulai)
        .exclude(capacity=Capacity.DEFINITIF)
        .exclude(pk=exclude_pk)
        .select_related("user", "role")
        .order_by("mulai")
    )


def acting_confirmer_role(*, holding: RoleHolding, on: date) -> str:
    """The role that confirms an acting appointment: the Kepala Dinas, and for the Kepala Dinas's own
    substitute the Sekretaris — unless the substitute is the Sekretaris, whom the Kepala Dinas confirms."""
    if holding.role_id != roles.KEPALA_DINAS:
        return roles.KEPALA_DINAS
    if holding_for(user=holding.user, role=roles.SEKRETARIS, on=on) is not None:
        return roles.KEPALA_DINAS
    return roles.SEKRETARIS


def acting_confirmation_refusal(*, holding: RoleHolding, user: User, on: date) -> tuple[str, str] | None:
    """Why `user` may not confirm or reject `holding` on `on` (a code and a message), or None if they may."""
    if holding.user_id == user.pk:
        return "role_confirm_own", "Penunjukan diri sendiri tidak dapat Anda konfirmasi atau tolak."
    if holding.diangkat_oleh_id == user.pk:
        return (
            "role_confirm_entered",
            "Penunjukan yang Anda catat sendiri harus dikonfirmasi oleh orang lain.",
        )
    role = acting_confirmer_role(holding=holding, on=on)
    if holding_for(user=user, role=role, on=on) is None:
        nama = "Sekretaris Dinas" if role == roles.SEKRETARIS else "Kepala Dinas"
        return "role_confirm_not_allowed", f"Penunjukan ini hanya dapat dikonfirmasi oleh {nama}."
    return None


def acting_awaiting_confirmation(*, user: User, on: date) -> list[RoleHolding]:
    """Plt/Plh appointments, not yet decided nor ended, that `user` may confirm or reject on `on`."""
    pending = (
        RoleHolding.objects.filter(dikonfirmasi_pada__isnull=True, ditolak_pada__isnull=True, selesai__gte=on)
        .exclude(capacity=Capacity.DEFINITIF)
        .select_related("user", "role", "diangkat_oleh")
        .order_by("mulai", "pk")
    )
    return [h for h in pending if acting_confirmation_refusal(holding=h, user=user, on=on) is None]


def acting_decided_by(*, user: User, limit: int = 10) -> list[RoleHolding]:
    """The latest Plt/Plh appointments `user` confirmed or rejected, newest first."""
    decided = (
        RoleHolding.objects.filter(Q(dikonfirmasi_oleh=user) | Q(ditolak_oleh=user))
        .select_related("user", "role", "diangkat_oleh")
        .order_by(Coalesce("dikonfirmasi_pada", "ditolak_pada").desc())
    )
    return list(decided[:limit])


def worker_heartbeats_alive(*, since: datetime) -> list[WorkerHeartbeat]:
    """Worker runs that have not said they stopped and have beaten since `since`, newest beat first."""
    running = WorkerHeartbeat.objects.filter(berhenti_pada__isnull=True, detak_terakhir__gte=since)
    return list(running.order_by("-detak_terakhir")[:20])


def worker_heartbeat_newest() -> WorkerHeartbeat | None:
    return WorkerHeartbeat.objects.order_by("-detak_terakhir").first()


def cadangan_terakhir(*, jenis: str) -> BackupLog | None:
    """The newest successful backup (`jenis="cadangan"`), restore drill (`"latihan"`) or restore."""
    return BackupLog.objects.filter(jenis=jenis, berhasil=True).order_by("-selesai").first()


DRILL_DUE_DAYS = 30  # a restore drill older than this is due again (docs/backup.md)


def drill_overdue(drill: BackupLog | None) -> bool:
    return drill is None or (timezone.now() - drill.selesai).days > DRILL_DUE_DAYS


def backup_log_recent(*, limit: int = 50) -> list[BackupLog]:
    return list(BackupLog.objects.order_by("-mulai")[:limit])


def backup_archives_beyond_retention(*, folder: str, keep: int) -> list[BackupLog]:
    """Successful backups in `folder` whose archive is still there, except the newest `keep` of them."""
    kept = BackupLog.objects.filter(
        jenis=BackupLog.Kind.CADANGAN, berhasil=True, dihapus_pada__isnull=True, arsip__startswith=folder
    ).order_by("-selesai")
    return list(kept[keep:])
