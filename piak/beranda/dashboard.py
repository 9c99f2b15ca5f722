"""What the home page shows each official: their waiting tasks; the leadership (Kepala Dinas, Sekretaris,
Kabid, and whoever acts for them) the whole office's cases and time-standard compliance; the Kasi and Staf
their section's running cases."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from piak.core import roles
from piak.core.models import User
from piak.core.permissions import acting_role_codes, user_may
from piak.siak.monitoring import SOP2_WATCHERS, Sop2Monitoring, sop2_monitoring
from piak.sop.models import Case
from piak.sop.monitoring import (
    Compliance,
    OpenStep,
    SopCount,
    cases_by_sop_and_status,
    cases_started_between,
    compliance_of,
    evidence_for,
    open_steps_watched,
    section_open_steps,
)
from piak.sop.permissions import SOP_MONITOR
from piak.sop.selectors import InboxItem, inbox_for
from piak.statistik.models import Snapshot
from piak.statistik.selectors import latest_run, snapshot_for_headline
from piak.statistik.tables import headline_of

from .health import SEHAT_LIHAT, Report, health_report

SECTION_ROLES = {roles.STAF, roles.KASI_PPD, roles.KASI_SIAK, roles.KASI_TKSDM_TIK}
COMPLIANCE_MONTHS = 12


@dataclass(frozen=True)
class Leadership:
    by_sop: list[SopCount]
    watched: list[OpenStep]
    compliance: Compliance
    since: date
    snapshot: Snapshot | None
    headline: list[tuple[str, str, str]]

    @property
    def overdue(self) -> int:
        return sum(1 for s in self.watched if s.sla.state == "terlambat")

    @property
    def warning(self) -> int:
        return sum(1 for s in self.watched if s.sla.state == "peringatan")

    @property
    def running(self) -> int:
        return sum(row.counts[Case.Status.BERJALAN] for row in self.by_sop)

    @property
    def statuses(self) -> list[tuple[str, str]]:
        return Case.Status.choices


@dataclass(frozen=True)
class Dashboard:
    inbox: list[InboxItem]
    leadership: Leadership | None
    section: list[OpenStep] | None
    health: Report | None
    sop2: Sop2Monitoring | None = None


def months_back(today: date, months: int) -> date:
    """The first day of the month `months - 1` months before `today`'s (a window of `months` months)."""
    index = today.year * 12 + today.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)


def _latest_headline() -> tuple[Snapshot | None, list[tuple[str, str, str]]]:
    snapshot = snapshot_for_headline()
    if snapshot is None:
        return None, []
    run = latest_run(snapshot)
    if run is None:  # not computed yet: a GET must not start the computation
        return snapshot, []
    return snapshot, headline_of(run)


def leadership_view() -> Leadership:
    since = months_back(timezone.localdate(), COMPLIANCE_MONTHS)
    evidence = evidence_for(cases_started_between(since, timezone.localdate()))
    snapshot, headline = _latest_headline()
    return Leadership(
        by_sop=cases_by_sop_and_status(),
        watched=open_steps_watched(),
        compliance=compliance_of(evidence),
        since=since,
        snapshot=snapshot,
        headline=headline,
    )


def dashboard_for(user: User) -> Dashboard:
    held = acting_role_codes(user)
    return Dashboard(
        inbox=inbox_for(user=user) if held else [],
        leadership=leadership_view() if user_may(user, SOP_MONITOR) else None,
        section=section_open_steps(held & SECTION_ROLES) if held & SECTION_ROLES else None,
        health=health_report() if user_may(user, SEHAT_LIHAT) else None,
        sop2=sop2_monitoring(timezone.now()) if held & SOP2_WATCHERS else None,
    )
