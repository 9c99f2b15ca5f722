"""The demo history of `make run`: real cases through the real services, in the past, chain intact."""

from datetime import datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command

from piak.core.audit import audit_chain_verify
from piak.core.demo import demo_officials_ensure
from piak.core.worktime import WIB
from piak.sop.demo import PAST_CASES, demo_cases_ensure
from piak.sop.models import Case
from piak.sop.monitoring import open_steps_watched


@pytest.fixture
def officials(db):
    with time_machine.travel(datetime(2026, 11, 25, 10, 0, tzinfo=WIB), tick=False):
        demo_officials_ensure()


def test_the_demo_lays_down_ten_weeks_of_cases_once(officials):
    with time_machine.travel(datetime(2026, 11, 25, 10, 0, tzinfo=WIB)):
        assert demo_cases_ensure() == PAST_CASES + 3
        assert demo_cases_ensure() == 0  # never twice
        first = Case.objects.order_by("dimulai_pada").first().dimulai_pada
        assert first < datetime(2026, 10, 1, tzinfo=WIB)
        assert Case.objects.filter(status=Case.Status.SELESAI).count() >= PAST_CASES // 2
        overdue = [s for s in open_steps_watched() if s.sla.state == "terlambat"]
        assert overdue, "the demo shows at least one overdue step"
    assert audit_chain_verify().ok


def test_the_command_refuses_outside_development(settings, officials):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="hanya untuk pengembangan"):
        call_command("demo_cases")
    assert not Case.objects.exists()
