"""The import upload: the chosen encoding reaches the importer, oversized uploads are cut off before they
are stored, and uploaded files are deleted once their retention period is over."""

import html
import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from piak.core import roles
from piak.core.models import AuditEvent
from piak.penduduk.models import Impor, Keluarga
from piak.penduduk.services import unggahan_bersihkan
from piak.penduduk.tasks import import_dir

from .helpers import child, person, wife, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "tmp")
    Path(settings.FILE_UPLOAD_TEMP_DIR).mkdir()
    return tmp_path


def _windows_1252_export(tmp_path: Path) -> bytes:
    rows = [person(ALAMAT="JL. KÖNIG"), wife(), child()]
    return write_csv(tmp_path / "ansi.csv", rows, encoding="cp1252").read_bytes()


@pytest.mark.parametrize(
    ("pengodean", "status"), [("", Impor.Status.GAGAL), ("utf-8", Impor.Status.GAGAL), ("windows-1252", "selesai")]
)
def test_the_chosen_encoding_decides_how_a_non_utf8_upload_is_read(
    login, media, immediate_tasks, django_capture_on_commit_callbacks, pengodean, status
):
    content = _windows_1252_export(media)
    with django_capture_on_commit_callbacks(execute=True):
        login(roles.STAF).post(
            reverse("penduduk:impor"), {"berkas": SimpleUploadedFile("siak.csv", content), "pengodean": pengodean}
        )
    job = Impor.objects.get()
    assert (job.status, job.pengodean) == (status, pengodean or "utf-8")
    if status == "selesai":
        assert Keluarga.objects.get().alamat == "JL. KÖNIG"
    else:
        assert "bukan UTF-8 yang sah: byte 0xD6 pada baris 2" in job.pesan and not Keluarga.objects.exists()


def test_an_unknown_encoding_is_refused_by_the_form(login, media):
    content = _windows_1252_export(media)
    response = login(roles.STAF).post(
        reverse("penduduk:impor"), {"berkas": SimpleUploadedFile("siak.csv", content), "pengodean": "latin-9"}
    )
    assert response.status_code == 400 and not Impor.objects.exists()


def test_the_form_states_the_limit_and_offers_the_encodings(login, media, settings):
    settings.PIAK_IMPOR_MAX_BYTES = 1024**3
    page = login(roles.STAF).get(reverse("penduduk:impor")).content.decode()
    assert "paling besar 1,0\xa0GB" in page
    assert 'value="windows-1252"' in page and "Pengodean berkas CSV" in page


def test_an_oversized_upload_is_cut_off_while_received_and_nothing_is_stored(login, media, settings):
    settings.PIAK_IMPOR_MAX_BYTES = 64 * 1024
    content = write_csv(media / "besar.csv", [person()] * 2000).read_bytes()
    assert len(content) > 4 * settings.PIAK_IMPOR_MAX_BYTES
    response = login(roles.STAF).post(reverse("penduduk:impor"), {"berkas": SimpleUploadedFile("besar.csv", content)})
    text = html.unescape(response.content.decode())
    assert response.status_code == 400 and "Berkas 'besar.csv' terlalu besar" in text and "paling besar 64,0" in text
    assert not Impor.objects.exists()
    assert list(import_dir().iterdir()) == [] and list(Path(settings.FILE_UPLOAD_TEMP_DIR).iterdir()) == []


def test_other_upload_fields_are_cut_off_at_the_default_limit(client, media, settings):
    from piak.web.uploads import BoundedUploadHandler, request_upload_limit

    settings.PIAK_UPLOAD_MAX_BYTES = 1000
    settings.PIAK_VERIFIKASI_MAX_BYTES = 500
    assert request_upload_limit("/verifikasi/kode-apa-saja/") == 500
    assert request_upload_limit(reverse("penduduk:impor")) == settings.PIAK_IMPOR_MAX_BYTES
    assert request_upload_limit("/tidak-ada/") == 1000
    assert settings.FILE_UPLOAD_HANDLERS == ["piak.web.uploads.BoundedUploadHandler"]
    assert BoundedUploadHandler.__mro__[1].__name__ == "TemporaryFileUploadHandler"


def _job(owner, berkas: Path, status: str, days_ago: int) -> Impor:
    berkas.write_bytes(b"NIK\n")
    job = Impor.objects.create(berkas=str(berkas), nama_asli=berkas.name, status=status, diunggah_oleh=owner)
    Impor.objects.filter(pk=job.pk).update(diunggah_pada=timezone.now() - timedelta(days=days_ago))
    return job


def _aged(path: Path, days: int) -> Path:
    path.write_bytes(b"sisa")
    stamp = time.time() - days * 86400
    os.utime(path, (stamp, stamp))
    return path


def test_uploads_of_ended_imports_are_deleted_after_the_retention_period(media, settings, make_official):
    settings.PIAK_IMPOR_RETENSI_HARI = 7
    owner = make_official("staf-impor", roles.STAF)
    folder = import_dir()
    old_done = _job(owner, folder / "a.csv", Impor.Status.SELESAI, 8)
    old_failed = _job(owner, folder / "b.csv", Impor.Status.GAGAL, 30)
    recent = _job(owner, folder / "c.csv", Impor.Status.DITOLAK, 2)
    running = _job(owner, folder / "d.csv", Impor.Status.BERJALAN, 30)
    stray = _aged(folder / ".x.csv.partial", 8)
    partial_upload = _aged(Path(settings.FILE_UPLOAD_TEMP_DIR) / "tmpab12.upload.csv", 8)
    fresh_partial = _aged(Path(settings.FILE_UPLOAD_TEMP_DIR) / "tmpcd34.upload.csv", 0)

    call_command("bersihkan_unggahan")

    assert not Path(old_done.berkas).exists() and not Path(old_failed.berkas).exists()
    assert Path(recent.berkas).exists() and Path(running.berkas).exists()
    assert not stray.exists() and not partial_upload.exists() and fresh_partial.exists()
    cleaned = Impor.objects.filter(berkas_dihapus_pada__isnull=False)
    assert set(cleaned.values_list("pk", flat=True)) == {old_done.pk, old_failed.pk}
    event = AuditEvent.objects.get(action="penduduk.unggahan_dihapus")
    assert event.payload == {"impor": sorted([old_done.pk, old_failed.pk]), "berkas_lain": 2, "masa_simpan_hari": 7}
    assert unggahan_bersihkan() == [] and AuditEvent.objects.filter(action="penduduk.unggahan_dihapus").count() == 1


def test_the_daily_cleanup_task_deletes_a_stopped_imports_upload_and_queues_tomorrows(media, settings, make_official):
    from piak.penduduk.tasks import unggahan_bersihkan_task

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    settings.PIAK_IMPOR_RETENSI_HARI = 7
    stopped = _job(make_official("staf-impor", roles.STAF), import_dir() / "e.csv", Impor.Status.TERHENTI, 9)
    assert unggahan_bersihkan_task.call() == 1
    assert not Path(stopped.berkas).exists()
    (queued,) = unggahan_bersihkan_task.get_backend().results
    assert queued.task.run_after > timezone.now() + timedelta(hours=23)


@pytest.mark.django_db(transaction=True)
def test_scheduling_the_daily_cleanup_queues_it_once(capsys):
    from django_tasks_db.models import DBTaskResult

    call_command("bersihkan_unggahan", "--jadwalkan")
    call_command("bersihkan_unggahan", "--jadwalkan")
    assert DBTaskResult.objects.filter(task_path="piak.penduduk.tasks.unggahan_bersihkan_task").count() == 1
    assert "sudah ada di antrean" in capsys.readouterr().out
