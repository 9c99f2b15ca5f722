"""Outage mode in the engine: a pause stops the time standards and moves the running steps' due times."""

from datetime import datetime, timedelta

import pytest

from piak.core.audit import AuditEvent
from piak.core.errors import DomainError
from piak.core.worktime import WIB, WorkingCalendar, add_working_minutes, current_calendar, working_minutes_between
from piak.sop.pauses import pause_active, pause_begin, pause_end
from piak.sop.selectors import sla_status
from piak.sop.tests.conftest import open_run, start_case

pytestmark = pytest.mark.django_db

OPENED = datetime(2026, 11, 25, 9, tzinfo=WIB)  # a Wednesday morning; step 1 has 10 minutes
DOWN, UP = datetime(2026, 11, 25, 9, 5, tzinfo=WIB), datetime(2026, 11, 25, 12, 35, tzinfo=WIB)


@pytest.fixture
def running(office, time_machine):
    time_machine.move_to(OPENED, tick=False)
    case = start_case("sop-3", office)
    return case, open_run(case)


def test_the_due_time_moves_by_the_outage_working_minutes(running, time_machine):
    _, run = running
    before = run.tenggat
    time_machine.move_to(DOWN, tick=False)
    pause = pause_begin(alasan="Jaringan komunikasi data terputus", sumber="Insiden TIK-1")
    assert pause_active() == pause
    time_machine.move_to(UP, tick=False)
    assert pause_end(pause=pause) == 1
    run.refresh_from_db()
    unpaused = WorkingCalendar()
    assert run.tenggat == add_working_minutes(before, working_minutes_between(DOWN, UP, unpaused), unpaused)
    assert run.tenggat - before == timedelta(hours=3, minutes=30)
    assert AuditEvent.objects.filter(action="sop.pause_ended", payload__tenggat_digeser=1).exists()


def test_time_used_stops_while_the_outage_lasts(running, time_machine):
    case, run = running
    time_machine.move_to(DOWN, tick=False)
    pause_begin(alasan="SIAK Terpusat tidak dapat diakses", sumber="Insiden TIK-2")
    later = DOWN + timedelta(hours=2)
    step = case.versi.definition.step(run.langkah)
    assert sla_status(run, step, current_calendar(later), later).used_minutes == 5


def test_a_pause_is_opened_once_per_source_and_ended_once(running, time_machine):
    time_machine.move_to(DOWN, tick=False)
    pause = pause_begin(alasan="Listrik padam", sumber="Insiden TIK-3")
    with pytest.raises(DomainError, match="sudah dijeda"):
        pause_begin(alasan="Listrik padam", sumber="Insiden TIK-3")
    with pytest.raises(DomainError, match="sesudah mulainya"):
        pause_end(pause=pause, selesai=DOWN - timedelta(minutes=1))
    time_machine.move_to(UP, tick=False)
    pause_end(pause=pause)
    with pytest.raises(DomainError, match="sudah berakhir"):
        pause_end(pause=pause)
