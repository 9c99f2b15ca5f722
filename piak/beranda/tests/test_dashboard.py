"""The home page as each official's dashboard: tasks for everyone, the section's running cases for the
Kasi and Staf, the whole office's cases, overdue steps, compliance and headline indicators for the
leadership."""

from datetime import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from piak.core.worktime import WIB
from piak.statistik.services import indicators_compute
from tests.sops.drive import start_case, walk_to

MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
MONDAY_11 = datetime(2026, 11, 23, 11, 0, tzinfo=WIB)


@pytest.fixture
def cases(office):
    """An SOP 1 case whose step 2 (Kabid, 15 min) is overdue by 11:00, and an SOP 2 case just started."""
    with time_machine.travel(MONDAY_9, tick=False):
        report = walk_to(start_case("sop-1", office), 2, office)
    with time_machine.travel(datetime(2026, 11, 23, 10, 55, tzinfo=WIB), tick=False):
        plan = start_case("sop-2", office)
    return report, plan


def _home(client, user) -> str:
    client.force_login(user)
    with time_machine.travel(MONDAY_11, tick=False):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("role", ["kepala_dinas", "sekretaris", "kabid_piak"])
def test_the_leadership_sees_the_whole_office(client, office, cases, role):
    html = _home(client, office[role])
    assert "Sekilas hari ini" in html
    assert "Langkah terlambat dan mendekati batas waktu" in html
    watched = html.split('id="judul-pantau"')[1].split("</section>")[0]
    assert cases[0].judul in watched and "Terlambat" in watched
    assert cases[1].judul not in watched  # 5 of 10 minutes used: still on time
    assert "Berkas per SOP dan status" in html and "Kepatuhan per pejabat" in html
    assert "Belum ada snapshot data kependudukan" in html
    assert "Berkas seksi Anda" not in html


def test_the_kabid_also_sees_the_steps_waiting_for_him(client, office, cases):
    tasks = _home(client, office["kabid_piak"]).split('id="judul-tugas"')[1].split("</section>")[0]
    assert cases[0].judul in tasks


@pytest.mark.parametrize(
    ("role", "sees_report", "sees_plan"),
    [("kasi_ppd", True, False), ("kasi_siak", False, True), ("staf", False, True), ("kasi_tksdm_tik", False, False)],
)
def test_a_kasi_or_staf_sees_the_section_cases_and_not_the_leadership_panels(
    client,
    office,
    cases,
    role,
    sees_report,
    sees_plan,
):
    html = _home(client, office[role])
    section = html.split('id="judul-seksi"')[1].split("</section>")[0]
    assert (cases[0].judul in section, cases[1].judul in section) == (sees_report, sees_plan)
    assert "Sekilas hari ini" not in html and "Langkah terlambat dan mendekati" not in html


def test_the_admin_sees_neither_panel(client, office, cases):
    html = _home(client, office["admin"])
    assert "Berkas seksi Anda" not in html and "Sekilas hari ini" not in html


def test_the_headline_indicators_come_from_the_latest_snapshot(client, office, hand_snapshots):
    indicators_compute(snapshot=hand_snapshots["current"])
    html = _home(client, office["kepala_dinas"])
    panel = html.split('id="judul-indikator"')[1].split("</section>")[0]
    assert "30 Juni 2026" in panel
    assert "Jumlah penduduk" in panel and "15" in panel


def test_the_leadership_dashboard_queries_do_not_grow_with_the_cases(client, office):
    client.force_login(office["kepala_dinas"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured, time_machine.travel(MONDAY_11, tick=False):
            client.get(reverse("home"))
        return len(captured)

    with time_machine.travel(MONDAY_9, tick=False):
        walk_to(start_case("sop-1", office), 3, office)
    few = queries()
    with time_machine.travel(MONDAY_9, tick=False):
        for _ in range(4):
            walk_to(start_case("sop-2", office), 3, office)
    assert queries() == few
