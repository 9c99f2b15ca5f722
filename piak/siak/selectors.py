"""Reads of step 7's work log: what is linked (or would be, while the step is open) and planned vs done."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from piak.core.models import User
from piak.penduduk.models import Impor, KoreksiData, Peristiwa
from piak.penduduk.selectors import events_recorded_by, imports_by, koreksi_by
from piak.sop.handlers import activity_kinds
from piak.sop.models import Case, StepRun
from piak.sop.rencana import Activity
from piak.sop.rencana import plan_activities as activities_of_plan

from .models import CatatanKerja

PREPARATION_STEP = 5  # SOP 2 step 5: "Penyiapan Data Penduduk"
WORK_STEP = 7  # SOP 2 step 7: "Kegiatan Pelaksanaan Entri Data dan Perekaman serta Pemeliharaan Aplikasi"
# Plan activity kind -> what counts as done for it.
DONE_BY_KIND = {"impor": "impor", "entri_peristiwa": "peristiwa", "koreksi": "koreksi"}


def plan_activities(case: Case) -> list[Activity]:
    """The current plan's activities; an old plan's plain strings read as kind "lainnya"."""
    document = case.documents.order_by("-nomor").first()
    return activities_of_plan(case.versi.kode, document.isi if document else None)


def work_run(case: Case) -> StepRun | None:
    """Step 7's latest attempt, open or closed."""
    return case.step_runs.filter(langkah=WORK_STEP).order_by("-percobaan").first()


def performers(run: StepRun, case: Case) -> list[User]:
    """Whose work counts: the step's performer (or assignee while open) and the plan's named pelaksana."""
    names = {a.pelaksana for a in plan_activities(case) if a.pelaksana}
    users = set(User.objects.filter(username__in=names))
    who = run.pelaku or run.ditugaskan_ke
    if who:
        users.add(who)
    return sorted(users, key=lambda u: u.pk)


@dataclass(frozen=True)
class Candidates:
    impor: list[Impor]
    peristiwa: list[Peristiwa]
    koreksi: list[KoreksiData]


def auto_candidates(run: StepRun, case: Case, end: datetime | None = None, extra: User | None = None) -> Candidates:
    """Work of the performers between the step's opening and `end` not yet linked to any case."""
    end = end or run.selesai_pada or timezone.now()
    users = performers(run, case) + ([extra] if extra else [])
    linked = CatatanKerja.objects.all()
    impor = {i.pk: i for u in users for i in imports_by(u, run.dimulai_pada, end)}
    peristiwa = {p.pk: p for u in users for p in events_recorded_by(u, run.dimulai_pada, end)}
    koreksi = {k.pk: k for u in users for k in koreksi_by(u, run.dimulai_pada, end)}
    taken_impor = set(linked.filter(impor_id__in=impor).values_list("impor_id", flat=True))
    taken_peristiwa = set(linked.filter(peristiwa_id__in=peristiwa).values_list("peristiwa_id", flat=True))
    taken_koreksi = set(linked.filter(koreksi_id__in=koreksi).values_list("koreksi_id", flat=True))
    return Candidates(
        impor=[i for pk, i in sorted(impor.items()) if pk not in taken_impor],
        peristiwa=[p for pk, p in sorted(peristiwa.items()) if pk not in taken_peristiwa],
        koreksi=[k for pk, k in sorted(koreksi.items()) if pk not in taken_koreksi],
    )


def links_of(case: Case) -> QuerySet[CatatanKerja]:
    return case.catatan_kerja.select_related("impor", "peristiwa__penduduk", "koreksi", "ditautkan_oleh")


def manual_choices(limit: int = 50) -> Candidates:
    """Recent applied imports and recorded events no case has linked yet, for manual linking."""
    linked = CatatanKerja.objects.all()
    return Candidates(
        impor=list(
            Impor.objects.filter(status=Impor.Status.SELESAI)
            .exclude(pk__in=linked.filter(impor__isnull=False).values("impor_id"))
            .order_by("-diunggah_pada")[:limit]
        ),
        peristiwa=list(
            Peristiwa.objects.exclude(pk__in=linked.filter(peristiwa__isnull=False).values("peristiwa_id"))
            .select_related("penduduk")
            .order_by("-dicatat_pada")[:limit]
        ),
        koreksi=list(
            KoreksiData.objects.exclude(pk__in=linked.filter(koreksi__isnull=False).values("koreksi_id")).order_by(
                "-dilakukan_pada"
            )[:limit]
        ),
    )


@dataclass(frozen=True)
class Realisasi:
    jenis: str
    label: str
    satuan: str
    kegiatan: list[str]
    target: int | None
    realisasi: int | None  # None: this kind has no countable record (penyiapan data, lainnya)


def done_counts(case: Case, candidates: Candidates | None) -> dict[str, int]:
    """Done per activity kind: stored links, plus while step 7 is open the links it would store now
    (`candidates`, computed once by the caller)."""
    counts = {"impor": 0, "entri_peristiwa": 0, "koreksi": 0}
    reverse = {v: k for k, v in DONE_BY_KIND.items()}
    for jenis in case.catatan_kerja.values_list("jenis", flat=True):
        counts[reverse[jenis]] += 1
    if candidates is not None:
        counts["impor"] += len(candidates.impor)
        counts["entri_peristiwa"] += len(candidates.peristiwa)
        counts["koreksi"] += len(candidates.koreksi)
    for jenis in case.pemeliharaan.values_list("jenis", flat=True):
        counts[jenis] = counts.get(jenis, 0) + 1
    return counts


def open_candidates(case: Case, run: StepRun | None) -> Candidates | None:
    """What step 7 would link now, while it is open; None once it is closed (its links are stored)."""
    return auto_candidates(run, case) if run is not None and run.is_open else None


def planned_vs_done(case: Case, candidates: Candidates | None = None) -> list[Realisasi]:
    """One row per activity kind the plan names (or that has work done), target summed over its activities.
    `candidates`: step 7's open work, when the caller has it; else read here."""
    kinds = activity_kinds(case.versi.kode)
    counts = done_counts(case, candidates if candidates is not None else open_candidates(case, work_run(case)))
    rows: dict[str, list[dict]] = {}
    for activity in plan_activities(case):
        rows.setdefault(activity.jenis, []).append(activity)
    for jenis, count in counts.items():
        if count:
            rows.setdefault(jenis, [])
    result = []
    for jenis, activities in rows.items():
        kind = kinds.get(jenis)
        targets = [a.target for a in activities if a.target is not None]
        result.append(
            Realisasi(
                jenis=jenis,
                label=kind.label if kind else jenis,
                satuan=kind.satuan if kind else "kegiatan",
                kegiatan=[a.uraian for a in activities] or ["(di luar rencana)"],
                target=sum(targets) if targets else None,
                realisasi=counts.get(jenis),
            )
        )
    return result


def preparation_run(case: Case) -> StepRun | None:
    """Step 5's latest attempt, open or closed."""
    return case.step_runs.filter(langkah=PREPARATION_STEP).order_by("-percobaan").first()
