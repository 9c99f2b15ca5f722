"""Test helpers: an acting appointment in force (made through the real services), tampering with the
audit tables behind the application's back, and finding timestamps that do not say WIB."""

import re
from datetime import date

from django.db import connection
from django.utils import timezone

from . import roles
from .models import Role, RoleHolding, User
from .selectors import acting_confirmer_role
from .services import role_acting_confirm, role_assign


def _stand_in(username: str, role: str) -> User:
    """A user who holds `role` today only, to enter or confirm an appointment; deactivated afterwards so that
    they never hold a right anywhere in the test."""
    user = User.objects.create_user(username=username, password=None, is_active=True)
    today = timezone.localdate()
    role_assign(user=user, role=Role.objects.get(code=role), capacity="definitif", mulai=today, selesai=today)
    return user


def _retire(*users: User) -> None:
    for user in users:
        user.is_active = False
        user.save(update_fields=["is_active"])


def acting_appoint_confirmed(
    *,
    user: User,
    role: str,
    capacity: str,
    mulai: date,
    selesai: date,
    nomor_sk: str = "800/UJI/2026",
    tanggal_sk: date | None = None,
) -> RoleHolding:
    """Appoint `user` Plt/Plh of `role`, entered by a stand-in Admin and confirmed by a stand-in Kepala Dinas
    (or Sekretaris), so that the holding is in force as in the office."""
    recorder = _stand_in(f"uji.pencatat.{user.username}.{RoleHolding.objects.count()}", roles.ADMIN)
    holding = role_assign(
        user=user,
        role=Role.objects.get(code=role),
        capacity=capacity,
        mulai=mulai,
        selesai=selesai,
        nomor_sk=nomor_sk,
        tanggal_sk=tanggal_sk or mulai,
        by=recorder,
    )
    confirmer_role = acting_confirmer_role(holding=holding, on=timezone.localdate())
    confirmer = _stand_in(f"uji.konfirmasi.{user.username}.{holding.pk}", confirmer_role)
    role_acting_confirm(holding=holding, by=confirmer)
    _retire(recorder, confirmer)
    holding.refresh_from_db()
    return holding


def sql_behind_the_app(sql: str, params=()) -> None:
    """Change the tables behind the application's back (on PostgreSQL as a superuser, past the triggers)."""
    on_postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if on_postgresql:
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if on_postgresql:
            cursor.execute("SET LOCAL session_replication_role = origin")


def peak_rss_kb() -> int:
    """This process's peak resident set since it started its program (VmHWM). Not `ru_maxrss`: Linux carries
    that across exec, so a child forked from a large test runner would report the runner's size."""
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1])


TIMESTAMP = re.compile(r"\d{2}-\d{2}-\d{4} \d{2}:\d{2}(?::\d{2})?")


def timestamps_without_wib(text: str) -> list[str]:
    """Every `dd-mm-yyyy HH:MM[:SS]` in `text` not followed by "WIB" (across any whitespace)."""
    return [m.group() for m in TIMESTAMP.finditer(text) if not text[m.end() :].lstrip().startswith("WIB")]
