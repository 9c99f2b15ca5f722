"""Reads of the SOP engine: time-standard state, the inbox, a case's timeline and allowed actions."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import F, QuerySet
from django.utils import timezone

from piak.core.models import Role, RoleHolding, User
from piak.core.roles import SHORT_NAMES
from piak.core.selectors import holding_for, role_holders_on, roles_of_user_on, users_with_a_role_on
from piak.core.worktime import WorkingCalendar, current_calendar, working_minutes_between

from .definition import Step
from .duties import duty_conflict, duty_conflicts
from .models import Case, StepRun

WARNING_SHARE = 0.8


@dataclass(frozen=True)
class SlaStatus:
    state: str  # tepat, peringatan, terlambat, tanpa_standar
    used_minutes: int
    standard_minutes: int | None

    @property
    def label(self) -> str:
        return {
            "tepat": "Tepat waktu",
            "peringatan": "Peringatan",
            "terlambat": "Terlambat",
            "tanpa_standar": "Tanpa standar waktu",
        }[self.state]

    @property
    def badge(self) -> str:
        return {
            "tepat": "success",
            "peringatan": "warning",
            "terlambat": "danger",
            "tanpa_standar": "secondary",
        }[self.state]


def sla_status(run: StepRun, step: Step, calendar: WorkingCalendar, now: datetime | None = None) -> SlaStatus:
    """How much of the step's time standard the run used (until it finished, or until `now`)."""
    end = run.selesai_pada or now or timezone.now()
    used = max(working_minutes_between(run.dimulai_pada, end, calendar), 0)
    standard = step.standard
    if standard is None:
        return SlaStatus("tanpa_standar", used, None)
    limit = standard.minutes(calendar.minutes_per_day())
    if used >= limit and end > run.tenggat:
        return SlaStatus("terlambat", used, limit)
    if used >= WARNING_SHARE * limit:
        return SlaStatus("peringatan", used, limit)
    return SlaStatus("tepat", used, limit)


@dataclass(frozen=True)
class InboxItem:
    run: StepRun
    step: Step
    holding: RoleHolding
    sla: SlaStatus


def open_runs_due_first() -> QuerySet[StepRun]:
    """The open step runs of running cases, due soonest first (undated last)."""
    return (
        StepRun.objects.filter(selesai_pada__isnull=True, case__status=Case.Status.BERJALAN)
        .select_related("case__versi", "ditugaskan_ke")
        .order_by(F("tenggat").asc(nulls_last=True), "dimulai_pada")
    )


def runs_with_sla(runs, now: datetime | None = None) -> Iterator[tuple[StepRun, Step, SlaStatus]]:
    """Each run with its step and time-standard state, reading the office calendar once."""
    calendar = current_calendar()
    for run in runs:
        step = run.case.versi.definition.step(run.langkah)
        yield run, step, sla_status(run, step, calendar, now)


def _holders_of(roles, on: date) -> dict[str, set[int]]:
    """Who holds each role on `on` (one query per role; a user holds at most a handful)."""
    return {role: {h.user_id for h in role_holders_on(role=role, on=on)} for role in roles}


def inbox_for(*, user: User, on: date | None = None, now: datetime | None = None) -> list[InboxItem]:
    """Open steps the user may act on (acting roles included), due soonest first, without the steps that
    separation of duties keeps from them; a constant number of queries whatever the number of cases."""
    on = on or timezone.localdate()
    holdings: dict[str, RoleHolding] = {}
    for holding in roles_of_user_on(user=user, on=on):
        holdings.setdefault(holding.role_id, holding)
    holders = _holders_of(holdings, on)
    runs = [
        run
        for run in open_runs_due_first().filter(peran__in=holdings).select_related("case__dimulai_oleh")
        if may_perform(run, holdings[run.peran], user, assignee_holds=run.ditugaskan_ke_id in holders[run.peran])
    ]
    barred = duty_conflicts(user=user, runs=runs)
    runs = [run for run in runs if run.pk not in barred]
    return [InboxItem(run, step, holdings[run.peran], sla) for run, step, sla in runs_with_sla(runs, now)]


@dataclass(frozen=True)
class TimelineEntry:
    run: StepRun
    step: Step
    sla: SlaStatus
    role_label: str  # "Plh. Kepala Bidang …" as the official acted

    @property
    def role_short(self) -> str:
        """ "Plh. Kabid PIAK": the capacity and the office's abbreviation, for dense tables."""
        if not self.run.peran_dipegang:
            return ""
        return f"{CAPACITY_PREFIX.get(self.run.sebagai, '')}{SHORT_NAMES[self.run.peran_dipegang]}"


CAPACITY_PREFIX = {"plt": "Plt. ", "plh": "Plh. "}


def case_timeline(case: Case) -> list[TimelineEntry]:
    return case_timelines([case])[case.pk]


def case_timelines(cases: list[Case], now: datetime | None = None) -> dict[int, list[TimelineEntry]]:
    """Every case's step runs in order, with their time-standard state: three queries for any number of
    cases (role names, calendar, runs)."""
    calendar = current_calendar()
    role_names = dict(Role.objects.values_list("code", "nama"))
    definitions = {case.pk: case.versi.definition for case in cases}
    timelines: dict[int, list[TimelineEntry]] = {case.pk: [] for case in cases}
    runs = (
        StepRun.objects.filter(case__in=list(definitions))
        .select_related("pelaku", "ditugaskan_ke", "disposisi_ke")
        .order_by("case", "dimulai_pada", "id")
    )
    for run in runs:
        step = definitions[run.case_id].step(run.langkah)
        label = f"{CAPACITY_PREFIX.get(run.sebagai, '')}{role_names.get(run.peran_dipegang, '')}".strip()
        timelines[run.case_id].append(TimelineEntry(run, step, sla_status(run, step, calendar, now), label))
    return timelines


def may_perform(run: StepRun, holding: RoleHolding, user: User, *, assignee_holds: bool) -> bool:
    """A step is assigned to a role. A step given to one official is theirs while they hold the role; a
    Plt/Plh stands in for it, and once the official's holding has ended it falls to the role's holders."""
    return run.ditugaskan_ke_id in (None, user.pk) or holding.is_acting or not assignee_holds


def assignee_holds_role(run: StepRun, on: date) -> bool:
    if run.ditugaskan_ke_id is None:
        return False
    return holding_for(user=run.ditugaskan_ke, role=run.peran, on=on) is not None


def open_run(case: Case) -> StepRun | None:
    return case.step_runs.filter(selesai_pada__isnull=True).select_related("ditugaskan_ke").first()


STEP_ACTIONS = {
    "kerja": ["selesai", "dokumen"],
    "paraf": ["paraf"],
    "disposisi": ["disposisi"],
    "tanda_tangan": ["tanda_tangan"],
}


@dataclass(frozen=True)
class CaseActions:
    """What the case page offers the user on the open step, and why nothing when a rule keeps them out."""

    actions: list[str]
    refusal: str = ""


def actions_for(*, case: Case, user: User) -> CaseActions:
    """The actions the user may offer on the case's open step now (the services re-check everything)."""
    run = open_run(case)
    if run is None or case.status != Case.Status.BERJALAN:
        return CaseActions([])
    today = timezone.localdate()
    step = case.versi.definition.step(run.langkah)
    holding = holding_for(user=user, role=step.pelaksana, on=today)
    if holding is None or not may_perform(run, holding, user, assignee_holds=assignee_holds_role(run, today)):
        return CaseActions([])
    conflict = duty_conflict(user=user, run=run)
    if conflict is not None:
        return CaseActions([], conflict.message)
    return CaseActions(STEP_ACTIONS[step.jenis] + (["kembalikan"] if step.kembali_ke else []))


# Seniority used to decide who is a subordinate for a disposisi (higher number = more senior).
RANK = {
    "staf": 1,
    "kasi_ppd": 2,
    "kasi_siak": 2,
    "kasi_tksdm_tik": 2,
    "kabid_piak": 3,
    "sekretaris": 4,
    "kepala_dinas": 5,
}


def is_subordinate(user: User, of_role: str, on: date) -> bool:
    """Whether `user` holds, on `on`, some role junior to `of_role`."""
    ranks = [RANK[h.role_id] for h in roles_of_user_on(user=user, on=on) if h.role_id in RANK]
    return bool(ranks) and min(ranks) < RANK[of_role]


def disposisi_candidates(case: Case, run: StepRun) -> list[User]:
    """Whom a disposisi on `run` may name: subordinates who can perform the next step (any subordinate when
    the disposisi is the last step)."""
    today = timezone.localdate()
    definition = case.versi.definition
    following = definition.next_step(run.langkah)
    if following is not None:
        people = [h.user for h in role_holders_on(role=following.pelaksana, on=today)]
    else:
        people = list(users_with_a_role_on(on=today))
    disposer_role = definition.step(run.langkah).pelaksana
    chosen = {u.pk: u for u in people if is_subordinate(u, disposer_role, today)}
    return sorted(chosen.values(), key=lambda u: (u.display_name, u.username))
