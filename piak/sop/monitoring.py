"""Reads for the leadership: where every case stands, which steps break their time standards, and the
compliance evidence for a period that an inspector asks for.

Counting rule (shown on every page that uses it): a step is *measured* when it has a time standard and
either finished, or is still open but already past its standard. It is *on time* when it finished within
its standard. Steps without a standard, and open steps still within it, are not measured yet.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, QuerySet
from django.utils import timezone

from piak.core.roles import ROLES, SHORT_NAMES
from piak.web.charts import Bar, bars_svg

from .definition import Step
from .models import Case, SopVersion, StepRun
from .selectors import SlaStatus, TimelineEntry, case_timelines, open_runs_due_first, runs_with_sla

MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
WATCHED_STATES = ("terlambat", "peringatan")
ROLE_NAMES = dict(ROLES)


@dataclass
class Tally:
    label: str
    measured: int = 0
    late: int = 0

    @property
    def on_time(self) -> int:
        return self.measured - self.late

    @property
    def percent(self) -> Decimal | None:
        """Share measured that finished within standard, one decimal, half up (None when nothing measured)."""
        if not self.measured:
            return None
        return (Decimal(100 * self.on_time) / self.measured).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def count(self, late: bool) -> None:
        self.measured += 1
        self.late += late


def is_measured(entry: TimelineEntry) -> bool:
    # A step closed by cancelling its case was never done: whoever cancelled must not answer for its time.
    if entry.sla.state == "tanpa_standar" or entry.run.hasil == StepRun.Outcome.DIBATALKAN:
        return False
    if entry.sla.state == "terlambat":
        return True
    return entry.run.selesai_pada is not None and entry.run.hasil != StepRun.Outcome.DIBATALKAN


def is_late(entry: TimelineEntry) -> bool:
    return entry.sla.state == "terlambat" and entry.run.hasil != StepRun.Outcome.DIBATALKAN


def evidence_status(entry: TimelineEntry) -> str:
    """The step's standing as an inspector reads it (a finished step in its last 20 % was still on time)."""
    if entry.sla.state == "tanpa_standar":
        return "Tanpa standar waktu"
    if is_late(entry):
        return "Terlambat"
    if entry.run.selesai_pada is None:
        return "Berjalan"
    if entry.run.hasil == StepRun.Outcome.DIBATALKAN:
        return "Dibatalkan"
    return "Tepat waktu"


@dataclass(frozen=True)
class CaseEvidence:
    case: Case
    entries: list[TimelineEntry]

    @property
    def returns(self) -> list[TimelineEntry]:
        return [e for e in self.entries if e.run.hasil == StepRun.Outcome.DIKEMBALIKAN]

    @property
    def late(self) -> list[TimelineEntry]:
        return [e for e in self.entries if is_late(e)]

    @property
    def timed_steps(self) -> int:
        return sum(1 for e in self.entries if e.sla.state != "tanpa_standar")

    @property
    def with_status(self) -> list[tuple[TimelineEntry, str]]:
        return [(e, evidence_status(e)) for e in self.entries]


@dataclass
class Compliance:
    """Compliance figures over a set of cases: per step, per official and per month of the step's start."""

    total: Tally = field(default_factory=lambda: Tally("Semua langkah"))
    per_step: dict[tuple[str, int], Tally] = field(default_factory=dict)
    per_official: dict[str, Tally] = field(default_factory=dict)
    per_month: dict[tuple[int, int], Tally] = field(default_factory=dict)

    def add(self, case: Case, entry: TimelineEntry) -> None:
        late = is_late(entry)
        self.total.count(late)
        step_key = (case.versi.kode, entry.step.no)
        step_label = f"{case.versi.kode.upper()} langkah {entry.step.no}"
        self.per_step.setdefault(step_key, Tally(step_label)).count(late)
        who = _official_label(entry)
        self.per_official.setdefault(who, Tally(who)).count(late)
        started = timezone.localtime(entry.run.dimulai_pada)
        month_key = (started.year, started.month)
        self.per_month.setdefault(month_key, Tally(f"{MONTHS[started.month - 1]} {started.year}")).count(late)

    def steps(self) -> list[Tally]:
        return [self.per_step[k] for k in sorted(self.per_step)]

    def officials(self) -> list[Tally]:
        return sorted(self.per_official.values(), key=lambda t: t.label)

    def months(self) -> list[Tally]:
        return [self.per_month[k] for k in sorted(self.per_month)]

    @property
    def charts(self) -> "ComplianceCharts":
        return compliance_charts(self)


def _official_label(entry: TimelineEntry) -> str:
    """Who answers for the step: whoever acted, else the assignee, else the role still to act."""
    person = entry.run.pelaku or entry.run.ditugaskan_ke
    if person is not None:
        return person.display_name
    return f"{SHORT_NAMES[entry.step.pelaksana]} (belum dikerjakan)"


def compliance_of(evidence: list[CaseEvidence]) -> Compliance:
    compliance = Compliance()
    for item in evidence:
        for entry in item.entries:
            if is_measured(entry):
                compliance.add(item.case, entry)
    return compliance


def cases_started_between(awal: date, akhir: date) -> QuerySet[Case]:
    """Cases begun on the days `awal` to `akhir` inclusive (WIB)."""
    return (
        Case.objects.filter(dimulai_pada__date__gte=awal, dimulai_pada__date__lte=akhir)
        .select_related("versi", "dimulai_oleh")
        .order_by("dimulai_pada", "id")
    )


def evidence_for(cases, now: datetime | None = None) -> list[CaseEvidence]:
    cases = list(cases)
    timelines = case_timelines(cases, now)
    return [CaseEvidence(case, timelines[case.pk]) for case in cases]


@dataclass(frozen=True)
class ComplianceReport:
    awal: date
    akhir: date
    dibuat_pada: datetime
    cases: list[CaseEvidence]
    compliance: Compliance

    @property
    def return_count(self) -> int:
        return sum(len(c.returns) for c in self.cases)

    @property
    def late_cases(self) -> int:
        return sum(1 for c in self.cases if c.late)

    @property
    def officials(self) -> list:
        """Everyone who acted in the report's cases, by name, so the step tables need not repeat NIPs."""
        people = {e.run.pelaku_id: e.run.pelaku for c in self.cases for e in c.entries if e.run.pelaku}
        return sorted(people.values(), key=lambda u: u.display_name)


def compliance_report(*, awal: date, akhir: date, now: datetime | None = None) -> ComplianceReport:
    """Every case started in [awal, akhir] (dates in WIB), with each step run as evidence."""
    now = now or timezone.now()
    evidence = evidence_for(cases_started_between(awal, akhir), now)
    return ComplianceReport(awal, akhir, now, evidence, compliance_of(evidence))


@dataclass(frozen=True)
class OpenStep:
    run: StepRun
    step: Step
    sla: SlaStatus

    @property
    def role_name(self) -> str:
        return ROLE_NAMES[self.step.pelaksana]


def open_steps(now: datetime | None = None) -> list[OpenStep]:
    """The open step of every running case (one each: the engine is sequential), due soonest first."""
    return [OpenStep(run, step, sla) for run, step, sla in runs_with_sla(open_runs_due_first(), now)]


def open_steps_watched(now: datetime | None = None) -> list[OpenStep]:
    """Open steps that are overdue or near their standard, the overdue first."""
    watched = [s for s in open_steps(now) if s.sla.state in WATCHED_STATES]
    return sorted(watched, key=lambda s: WATCHED_STATES.index(s.sla.state))


def section_open_steps(role_codes: set[str], now: datetime | None = None) -> list[OpenStep]:
    """Running cases of the SOPs in which one of the roles performs a step: a section's cases."""
    return [
        s for s in open_steps(now) if any(step.pelaksana in role_codes for step in s.run.case.versi.definition.langkah)
    ]


@dataclass(frozen=True)
class SopCount:
    kode: str
    nama: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def ordered(self) -> list[int]:
        return [self.counts[status] for status in Case.Status.values]


def cases_by_sop_and_status() -> list[SopCount]:
    names = {v.kode: v.definition.nama for v in SopVersion.objects.order_by("kode", "nomor_versi")}
    counts: dict[str, Counter] = defaultdict(Counter)
    for row in Case.objects.values("versi__kode", "status").annotate(n=Count("id")):
        counts[row["versi__kode"]][row["status"]] = row["n"]
    return [
        SopCount(kode, nama, {status: counts[kode][status] for status in Case.Status.values})
        for kode, nama in sorted(names.items())
    ]


@dataclass(frozen=True)
class ComplianceCharts:
    per_step: str
    per_official: str
    per_month: str


def _percent_bars(tallies: list[Tally], title: str) -> str:
    return bars_svg([Bar(t.label, t.percent) for t in tallies if t.percent is not None], title, decimals=1)


def compliance_charts(compliance: Compliance) -> ComplianceCharts:
    """Bars of the share on time (%), drawn by the same renderer as the statistics."""
    return ComplianceCharts(
        _percent_bars(compliance.steps(), "Kepatuhan standar waktu per langkah (%)"),
        _percent_bars(compliance.officials(), "Kepatuhan standar waktu per pejabat (%)"),
        _percent_bars(compliance.months(), "Kepatuhan standar waktu per bulan (%)"),
    )
