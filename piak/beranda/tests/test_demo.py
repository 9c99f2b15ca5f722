"""The demo history of `make run`: real cases through the real services, in the past, chain intact."""

from datetime import datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command

from piak.beranda.demo import PAST_CASES, demo_cases_ensure
from piak.core.audit import audit_chain_verify
from piak.core.demo import demo_officials_ensure
from piak.core.worktime import WIB
from piak.sop.models import Case
from piak.sop.monitoring import open_steps_watched


@pytest.fixture
def officials(db):
    with time_machine.travel(datetime(2026, 11, 25, 10, 0, tzinfo=WIB), tick=False):
        demo_officials_ensure()


@pytest.fixture
def city(db, tmp_path, settings, signer_dir):
    """A small register for the demo's SOP 1 reports, with files and signatures in the test's folder."""
    from piak.penduduk.generator import city_write
    from piak.penduduk.impor.run import import_file

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PIAK_SNAPSHOT_DIR = tmp_path / "snapshot"
    settings.PIAK_SIGNER_DIR = signer_dir
    city_write(tmp_path / "kota.csv", people=300, seed=6)
    assert import_file(tmp_path / "kota.csv").exit_code == 0


def test_the_demo_lays_down_ten_weeks_of_cases_once(officials, city):
    with time_machine.travel(datetime(2026, 11, 25, 10, 0, tzinfo=WIB)):
        assert demo_cases_ensure() == PAST_CASES + 3
        assert demo_cases_ensure() == 0  # never twice
        first = Case.objects.order_by("dimulai_pada").first().dimulai_pada
        assert first < datetime(2026, 10, 1, tzinfo=WIB)
        assert Case.objects.filter(status=Case.Status.SELESAI).count() >= PAST_CASES // 2
        overdue = [s for s in open_steps_watched() if s.sla.state == "terlambat"]
        assert overdue, "the demo shows at least one overdue step"
        letters = Case.objects.filter(versi__kode="sop-1", status=Case.Status.SELESAI).exclude(naskah=None)
        assert letters.exists(), "finished SOP 1 cases carry their signed, delivered and archived letters"
        assert all(case.naskah.status == "diarsipkan" and case.naskah.nomor for case in letters)
    assert audit_chain_verify().ok


def test_the_command_refuses_outside_development(settings, officials):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="hanya untuk pengembangan"):
        call_command("demo_cases")
    assert not Case.objects.exists()
