"""The compliance page and its downloads: who may see them, and what a bad period gets."""

import io
from datetime import date, datetime

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from piak.core.errors import PermissionDeniedError
from piak.core.models import AuditEvent, Capacity
from piak.core.testing import acting_appoint_confirmed
from piak.core.worktime import WIB
from piak.sop import services
from piak.sop.models import ComplianceExport
from tests.sops.drive import start_case, walk_to

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
    for name in ["sop:compliance", "sop:compliance_xlsx"]:
        assert client.get(reverse(name), PERIOD).status_code == 403
    assert client.post(reverse("sop:compliance_pdf_request"), PERIOD).status_code == 403
    assert not ComplianceExport.objects.exists()


def test_anonymous_is_sent_to_the_login(client, late_case):
    response = client.get(reverse("sop:compliance_xlsx"), PERIOD)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_plh_kabid_may_see_it_only_while_acting(client, office, make_official):
    plh = make_official("plh", "kasi_siak")
    acting_appoint_confirmed(
        user=plh,
        role="kabid_piak",
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
    responses = [
        client.get(reverse("sop:compliance"), period),
        client.get(reverse("sop:compliance_xlsx"), period),
        client.post(reverse("sop:compliance_pdf_request"), period),
    ]
    for response in responses:
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not ComplianceExport.objects.exists()


def test_the_workbook_downloads_at_once(client, office, late_case):
    client.force_login(office["kepala_dinas"])
    xlsx = client.get(reverse("sop:compliance_xlsx"), PERIOD)
    assert 'filename="kepatuhan-sop-20261101-20261130.xlsx"' in xlsx["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    sheets = ["Ringkasan", "Per langkah", "Per pejabat", "Per bulan", "Berkas", "Langkah", "Pengembalian"]
    assert book.sheetnames == sheets
    assert book["Berkas"]["B4"].value == late_case.judul


def test_the_pdf_is_queued_shown_while_pending_then_downloaded(
    client, office, late_case, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(office["kepala_dinas"])
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(reverse("sop:compliance_pdf_request"), PERIOD)
    export = ComplianceExport.objects.get()
    assert response["Location"] == reverse("sop:compliance_pdf", args=[export.pk])
    assert len(queued) == 1 and export.jumlah_berkas == 1
    pending = client.get(reverse("sop:compliance_pdf", args=[export.pk]), headers={"HX-Request": "true"})
    assert "Menunggu giliran" in pending.content.decode() and 'hx-trigger="every 2s"' in pending.content.decode()
    assert client.get(reverse("sop:compliance_pdf_download", args=[export.pk])).status_code == 404

    services.compliance_pdf_build(export_id=export.pk)  # what the worker does

    done = client.get(reverse("sop:compliance_pdf", args=[export.pk])).content.decode()
    assert "Unduh laporan (PDF)" in done and "every 2s" not in done
    pdf = client.get(reverse("sop:compliance_pdf_download", args=[export.pk]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert 'filename="kepatuhan-sop-20261101-20261130.pdf"' in pdf["Content-Disposition"]
    assert AuditEvent.objects.filter(action="sop.compliance_requested").count() == 1


@pytest.mark.parametrize(
    "broken", ["piak.sop.report.compliance_pdf", "django.core.files.storage.FileSystemStorage.save"]
)
def test_a_failed_pdf_says_so_and_keeps_the_request(client, office, late_case, monkeypatch, settings, tmp_path, broken):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(office["kabid_piak"])
    client.post(reverse("sop:compliance_pdf_request"), PERIOD)
    export = ComplianceExport.objects.get()

    def fail(*args, **kwargs):
        raise OSError("disk penuh")

    monkeypatch.setattr(broken, fail)
    services.compliance_pdf_build(export_id=export.pk)
    html = client.get(reverse("sop:compliance_pdf", args=[export.pk])).content.decode()
    assert "Laporan gagal disusun karena gangguan pada server" in html and "every 2s" not in html
    assert ComplianceExport.objects.get().status == ComplianceExport.Status.GAGAL


def test_the_service_itself_refuses_a_non_leader(office):
    with pytest.raises(PermissionDeniedError):
        services.compliance_pdf_request(awal=date(2026, 11, 1), akhir=date(2026, 11, 30), user=office["staf"])
    assert not ComplianceExport.objects.exists()


def test_another_official_cannot_fetch_the_pdf(client, office, late_case):
    client.force_login(office["kepala_dinas"])
    client.post(reverse("sop:compliance_pdf_request"), PERIOD)
    export = ComplianceExport.objects.get()
    client.force_login(office["kasi_ppd"])
    assert client.get(reverse("sop:compliance_pdf", args=[export.pk])).status_code == 403
    assert client.get(reverse("sop:compliance_pdf_download", args=[export.pk])).status_code == 403
