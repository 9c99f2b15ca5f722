"""Outage mode in the engine: pausing the time standards while the office cannot work, and moving the
running steps' due times by the paused working minutes once the outage ends.

Whoever detects outages (the tik app's incidents) opens and closes pauses; the engine only counts time.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from piak.core.errors import DomainError
from piak.core.models import StandardPause, User
from piak.core.worktime import current_calendar

from . import events
from .models import Case, StepRun
from .services import step_due


def pause_active(now: datetime | None = None) -> StandardPause | None:
    """The pause in force at `now` (the earliest, when several overlap)."""
    now = now or timezone.now()
    return StandardPause.objects.filter(mulai__lte=now, selesai__isnull=True).order_by("mulai").first()


@transaction.atomic
def pause_begin(
    *, alasan: str, sumber: str, sumber_url: str = "", mulai: datetime | None = None, by: User | None = None
) -> StandardPause:
    """Stop the time standards from `mulai` (now by default); one open pause per source."""
    if StandardPause.objects.select_for_update().filter(sumber=sumber, selesai__isnull=True).exists():
        raise DomainError(f"Standar waktu sudah dijeda untuk {sumber}.", code="pause_already_open")
    pause = StandardPause.objects.create(
        mulai=mulai or timezone.now(), alasan=alasan, sumber=sumber, sumber_url=sumber_url
    )
    events.pause_started(pause, by)
    return pause


@transaction.atomic
def pause_end(*, pause: StandardPause, selesai: datetime | None = None, by: User | None = None) -> int:
    """End the pause and move the due times of the running steps; returns how many moved."""
    pause = StandardPause.objects.select_for_update().get(pk=pause.pk)
    if pause.selesai is not None:
        raise DomainError("Jeda standar waktu ini sudah berakhir.", code="pause_already_ended")
    selesai = selesai or timezone.now()
    if selesai <= pause.mulai:
        raise DomainError("Akhir jeda harus sesudah mulainya.", code="pause_ends_before_start")
    pause.selesai = selesai
    pause.save(update_fields=["selesai"])
    moved = running_due_times_recompute(now=selesai)
    events.pause_ended(pause, by, moved)
    return moved


def running_due_times_recompute(*, now: datetime | None = None) -> int:
    """Recompute the due time of every open step of a running case from its start, under the calendar as
    it is now (pauses included); returns how many changed."""
    calendar = current_calendar(now)
    runs = (
        StepRun.objects.select_for_update()
        .filter(selesai_pada__isnull=True, case__status=Case.Status.BERJALAN)
        .select_related("case__versi")
    )
    moved = 0
    for run in runs:
        due = step_due(run.dimulai_pada, run.case.versi.definition.step(run.langkah), calendar)
        if due != run.tenggat:
            run.tenggat = due
            run.save(update_fields=["tenggat"])
            moved += 1
    return moved
