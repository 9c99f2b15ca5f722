"""The compliance page and its downloads: who may see them, and what a bad period gets."""

import io
from datetime import date, datetime

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from piak.core.models import Capacity, Role
from piak.core.services import role_assign
from piak.core.worktime import WIB

from .conftest import start_case, walk_to

PERIOD = {"awal": "2026-11-01", "akhir": "2026-11-30"}


@pytest.fixture
def late_case(office):
    with time_machine.travel(datetime(2026, 11, 23, 8, 0, tzinfo=WIB), tick=False):
        case = start_case("sop-1", office)
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=WIB), tick=False):
        walk_to(case, 2, office)  # step 1 took 60 of its 10 minutes
    return case


@pytest.mark.parametrize("role", ["kepala_dinas", "sekretaris", "kabid_piak"])
def test_the_leadership_sees_the_period_with_its_figures(client, office, late_case, role):
    client.force_login(office[role])
    html = client.get(reverse("sop:compliance"), PERIOD).content.decode()
    assert late_case.judul in html
    assert "Kepatuhan per pejabat" in html and "<svg" in html
    assert "0,0 %" in html  # the one measured step was late


@pytest.mark.parametrize("role", ["staf", "kasi_ppd", "kasi_siak", "kasi_tksdm_tik", "admin"])
def test_others_are_refused_the_page_and_the_downloads(client, office, late_case, role):
    client.force_login(office[role])
    for name in ["sop:compliance", "sop:compliance_pdf", "sop:compliance_xlsx"]:
        assert client.get(reverse(name), PERIOD).status_code == 403


def test_anonymous_is_sent_to_the_login(client, late_case):
    response = client.get(reverse("sop:compliance_xlsx"), PERIOD)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_plh_kabid_may_see_it_only_while_acting(client, office, make_official):
    plh = make_official("plh", "kasi_siak")
    role_assign(
        user=plh,
        role=Role.objects.get(code="kabid_piak"),
        capacity=Capacity.PLH,
        mulai=date(2026, 11, 23),
        selesai=date(2026, 11, 27),
    )
    client.force_login(plh)
    with time_machine.travel(datetime(2026, 11, 20, 9, 0, tzinfo=WIB)):
        assert client.get(reverse("sop:compliance")).status_code == 403
    with time_machine.travel(datetime(2026, 11, 24, 9, 0, tzinfo=WIB)):
        assert client.get(reverse("sop:compliance")).status_code == 200


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ({"awal": "2026-11-30", "akhir": "2026-11-01"}, "Tanggal awal tidak boleh sesudah tanggal akhir."),
        ({"awal": "2025-01-01", "akhir": "2026-11-30"}, "Periode paling panjang satu tahun"),
        ({"awal": "kemarin", "akhir": "2026-11-30"}, "Masukkan tanggal yang valid"),
        ({"akhir": "2026-11-30"}, "Bidang ini tidak boleh kosong"),
    ],
)
def test_a_bad_period_gets_a_clear_message(client, office, period, message):
    client.force_login(office["kabid_piak"])
    for name in ["sop:compliance", "sop:compliance_pdf"]:
        response = client.get(reverse(name), period)
        assert response.status_code == 400
        assert message in response.content.decode()


def test_the_downloads_are_a_pdf_and_a_workbook_of_the_period(client, office, late_case):
    client.force_login(office["kepala_dinas"])
    pdf = client.get(reverse("sop:compliance_pdf"), PERIOD)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert 'filename="kepatuhan-sop-20261101-20261130.pdf"' in pdf["Content-Disposition"]
    xlsx = client.get(reverse("sop:compliance_xlsx"), PERIOD)
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == [
        "Ringkasan",
        "Per langkah",
        "Per pejabat",
        "Per bulan",
        "Berkas",
        "Langkah",
        "Pengembalian",
    ]
    assert book["Berkas"]["B4"].value == late_case.judul
