"""Time standards under frozen time: due times, warning/overdue states, one-time notifications."""

from datetime import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from piak.core.services import day_off_set
from piak.core.worktime import WIB, current_calendar
from piak.sop import services
from piak.sop.models import Notification
from piak.sop.selectors import sla_status
from tests.sops.drive import open_run, start_case, walk_to


def wib(*args):
    return datetime(*args, tzinfo=WIB)


@pytest.fixture
def office_with_email(office):
    for user in office.values():
        user.email = f"{user.username}@disdukcapil.palembangkota.go.id"
        user.save()
    return office


def _scan_at(moment, capture):
    with time_machine.travel(moment, tick=False), capture(execute=True):
        return services.sla_scan()


def test_due_time_of_a_minutes_step_and_its_states(office_with_email, django_capture_on_commit_callbacks):
    office = office_with_email
    with time_machine.travel(wib(2026, 11, 23, 8, 0), tick=False):  # Monday 08:00
        case = start_case("sop-1", office)
    run = open_run(case)
    assert run.tenggat == wib(2026, 11, 23, 8, 10)  # 10 menit
    step = case.versi.definition.step(1)
    calendar = current_calendar()
    assert sla_status(run, step, calendar, wib(2026, 11, 23, 8, 7)).state == "tepat"
    assert sla_status(run, step, calendar, wib(2026, 11, 23, 8, 8)).state == "peringatan"  # 80 % used
    assert sla_status(run, step, calendar, wib(2026, 11, 23, 8, 11)).state == "terlambat"

    assert _scan_at(wib(2026, 11, 23, 8, 7), django_capture_on_commit_callbacks) == {"peringatan": 0, "terlambat": 0}
    assert _scan_at(wib(2026, 11, 23, 8, 8), django_capture_on_commit_callbacks) == {"peringatan": 1, "terlambat": 0}
    assert _scan_at(wib(2026, 11, 23, 8, 9), django_capture_on_commit_callbacks) == {"peringatan": 0, "terlambat": 0}
    assert _scan_at(wib(2026, 11, 23, 8, 30), django_capture_on_commit_callbacks) == {"peringatan": 0, "terlambat": 1}
    assert _scan_at(wib(2026, 11, 23, 9, 30), django_capture_on_commit_callbacks) == {"peringatan": 0, "terlambat": 0}

    notices = list(Notification.objects.order_by("id").values_list("user__username", "level"))
    assert notices == [("kasi_ppd", "peringatan"), ("kabid_piak", "terlambat")]  # performer, then superior
    assert [m.to for m in mail.outbox] == [
        ["kasi_ppd@disdukcapil.palembangkota.go.id"],
        ["kabid_piak@disdukcapil.palembangkota.go.id"],
    ]
    assert "MELEWATI batas standar waktu 10 menit" in mail.outbox[1].body


def test_a_day_standard_runs_across_the_weekend(office, django_capture_on_commit_callbacks):
    with time_machine.travel(wib(2026, 11, 20, 15, 0), tick=False):  # Friday 15:00
        case = walk_to(start_case("sop-1", office), 5, office)
    run = open_run(case)
    assert run.tenggat == wib(2026, 11, 23, 15, 0)  # one working day: Fri 15-16 and Mon 08-15
    step = case.versi.definition.step(5)
    calendar = current_calendar()
    assert sla_status(run, step, calendar, wib(2026, 11, 22, 23, 0)).state == "tepat"  # Sunday night
    assert sla_status(run, step, calendar, wib(2026, 11, 23, 13, 30)).state == "peringatan"  # 390 of 480
    assert sla_status(run, step, calendar, wib(2026, 11, 23, 15, 1)).state == "terlambat"
    assert _scan_at(wib(2026, 11, 22, 12, 0), django_capture_on_commit_callbacks) == {"peringatan": 0, "terlambat": 0}


def test_a_national_holiday_and_cuti_bersama_do_not_count(office):
    day_off_set(tanggal=datetime(2026, 8, 18).date(), nama="Cuti bersama uji")
    with time_machine.travel(wib(2026, 8, 14, 15, 0), tick=False):  # Friday before 17 August (Monday)
        case = walk_to(start_case("sop-1", office), 5, office)
    assert open_run(case).tenggat == wib(2026, 8, 19, 15, 0)  # skips the weekend, 17 Aug and 18 Aug


def test_office_hour_edges(office):
    with time_machine.travel(wib(2026, 11, 25, 15, 55), tick=False):  # 5 minutes before closing
        case = start_case("sop-1", office)
    assert open_run(case).tenggat == wib(2026, 11, 26, 8, 5)
    with time_machine.travel(wib(2026, 11, 25, 18, 0), tick=False):  # after hours: the clock starts tomorrow
        case = start_case("sop-1", office)
    assert open_run(case).tenggat == wib(2026, 11, 26, 8, 10)


def test_a_step_without_standard_is_never_late(office, django_capture_on_commit_callbacks):
    with time_machine.travel(wib(2026, 11, 23, 8, 0), tick=False):
        case = walk_to(start_case("sop-1", office), 6, office)
    run = open_run(case)
    assert run.tenggat is None
    assert (
        sla_status(run, case.versi.definition.step(6), current_calendar(), wib(2027, 1, 1, 9)).state == "tanpa_standar"
    )
    assert _scan_at(wib(2027, 1, 4, 9, 0), django_capture_on_commit_callbacks) == {"peringatan": 0, "terlambat": 0}


def test_sla_scan_command_and_audit(office, capsys):
    with time_machine.travel(wib(2026, 11, 23, 8, 0), tick=False):
        start_case("sop-2", office)
    with time_machine.travel(wib(2026, 11, 23, 10, 0), tick=False):
        call_command("sla_scan")
    assert "1 peringatan, 1 terlambat" in capsys.readouterr().out
    from piak.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="sop.sla_notice").count() == 2


@pytest.mark.django_db(transaction=True)  # the worker manages its own connections and transactions
def test_scheduling_queues_the_periodic_task(capsys):
    from django_tasks_db.models import DBTaskResult

    call_command("sla_scan", "--jadwalkan")
    call_command("sla_scan", "--jadwalkan")  # a second `make run` does not start a second chain
    assert DBTaskResult.objects.filter(task_path="piak.sop.tasks.sla_scan_task").count() == 1
    assert "sudah ada di antrean" in capsys.readouterr().out
    call_command("db_worker", "--batch", "--no-startup-delay")  # the real worker runs the scan once
    statuses = list(DBTaskResult.objects.order_by("enqueued_at").values_list("status", flat=True))
    assert statuses == ["SUCCESSFUL", "READY"]  # done, and the next scan waits for its time
