"""Step 5 (Penyiapan Data Penduduk) is done with data: a frozen data-quality report, a dry-run import of a
received SIAK export, or a list of records to correct; without one the step does not complete."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from piak.core.errors import DomainError, PermissionDeniedError, ValidationFailed
from piak.core.models import AuditEvent
from piak.penduduk import services as penduduk
from piak.penduduk.models import Impor, Penduduk
from piak.penduduk.tests.helpers import family, write_csv
from piak.siak import services
from piak.siak.models import BahanPenyiapan
from piak.sop import services as sop_services
from tests.sops.drive import open_run, start_case, walk_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(office):
    return walk_to(start_case("sop-2", office), 5, office)


@pytest.fixture
def register(tmp_path, office):
    """A small register imported the usual way (one family)."""
    path = write_csv(tmp_path / "awal.csv", family())
    impor = penduduk.impor_daftar(berkas=path, nama_asli="awal.csv", lewati_tidak_valid=False, pengguna=office["staf"])
    penduduk.impor_proses(impor=impor)
    return Penduduk.objects.count()


def _complete(case, user):
    run = open_run(case)
    checklist = list(case.versi.definition.step(run.langkah).checklist)
    return sop_services.step_complete(step_run=run, user=user, checklist=checklist)


def test_step_5_refuses_to_complete_without_prepared_data(case, office):
    with pytest.raises(ValidationFailed) as refused:
        _complete(case, office["staf"])
    assert refused.value.code == "siak_preparation_missing"
    assert open_run(case).langkah == 5


def test_a_frozen_data_quality_report_lets_step_5_complete_and_is_kept_masked(case, office, register):
    bahan = services.bahan_kualitas_data(case=case, step_run_id=open_run(case).pk, user=office["staf"])
    assert bahan.jenis == BahanPenyiapan.Jenis.KUALITAS_DATA
    assert sum(k["jumlah"] for k in bahan.ringkasan["per_kelurahan"]) == register
    stored = json.dumps(bahan.ringkasan)
    assert not any(p.nik in stored for p in Penduduk.objects.all())  # identity numbers kept masked
    assert AuditEvent.objects.filter(action="siak.bahan_penyiapan").count() == 1
    _complete(case, office["staf"])
    assert open_run(case).langkah == 6


def test_a_dry_run_import_reports_on_the_export_and_writes_nothing(case, office, register, tmp_path):
    export = write_csv(tmp_path / "ekspor.csv", family())
    imports_before = Impor.objects.count()
    upload = SimpleUploadedFile("ekspor-november.csv", export.read_bytes(), content_type="text/csv")
    bahan = services.bahan_uji_impor(case=case, step_run_id=open_run(case).pk, user=office["staf"], upload=upload)
    assert bahan.ringkasan["jumlah"]["read"] == len(family()) and bahan.ringkasan["jumlah"]["rejected"] == 0
    assert (bahan.berkas_nama, len(bahan.berkas_sha256)) == ("ekspor-november.csv", 64)
    assert Penduduk.objects.count() == register and Impor.objects.count() == imports_before


def test_an_unreadable_export_is_refused_clearly_and_nothing_is_attached(case, office):
    upload = SimpleUploadedFile("ekspor.csv", b"bukan,ekspor\n\xff\xfe\x00", content_type="text/csv")
    with pytest.raises(ValidationFailed, match="Berkas ekspor tidak terbaca"):
        services.bahan_uji_impor(case=case, step_run_id=open_run(case).pk, user=office["staf"], upload=upload)
    assert not BahanPenyiapan.objects.exists()


def test_a_list_of_records_to_correct_needs_a_note(case, office, register):
    run = open_run(case)
    with pytest.raises(ValidationFailed, match="Tuliskan data apa"):
        services.bahan_daftar_koreksi(case=case, step_run_id=run.pk, user=office["staf"], catatan="  ")
    bahan = services.bahan_daftar_koreksi(
        case=case, step_run_id=run.pk, user=office["staf"], catatan="Dua data ganda di Ilir Barat I"
    )
    assert bahan.ringkasan["catatan"] == "Dua data ganda di Ilir Barat I"


@pytest.mark.parametrize("who", ["kasi_siak", "kasi_ppd", "kabid_piak", "admin"])
def test_only_the_steps_performer_may_attach(case, office, who):
    with pytest.raises(PermissionDeniedError):
        services.bahan_kualitas_data(case=case, step_run_id=open_run(case).pk, user=office[who])
    assert not BahanPenyiapan.objects.exists()


def test_material_for_a_closed_or_other_step_is_refused(case, office):
    run = open_run(case)
    services.bahan_kualitas_data(case=case, step_run_id=run.pk, user=office["staf"])
    _complete(case, office["staf"])
    with pytest.raises(DomainError) as stale:  # the form of step 5 sent after the step closed
        services.bahan_kualitas_data(case=case, step_run_id=run.pk, user=office["staf"])
    assert stale.value.code == "siak_step_closed"
    assert BahanPenyiapan.objects.count() == 1


def test_the_case_page_offers_the_forms_and_shows_what_was_prepared(case, office, client, register):
    client.force_login(office["staf"])
    url = reverse("sop:case", args=[case.pk])
    assert "Lampirkan laporan kualitas data" in client.get(url).content.decode()
    response = client.post(
        reverse("siak:penyiapan", args=[case.pk, "kualitas-data"]), {"langkah_id": open_run(case).pk}, follow=True
    )
    page = response.content.decode()
    assert "Bahan penyiapan data dilampirkan pada berkas." in page and "Laporan kualitas data" in page
    client.force_login(office["kasi_siak"])
    refused = client.post(
        reverse("siak:penyiapan", args=[case.pk, "kualitas-data"]), {"langkah_id": open_run(case).pk}, follow=True
    )
    assert "Hanya pelaksana langkah 5" in refused.content.decode()
    assert BahanPenyiapan.objects.count() == 1
