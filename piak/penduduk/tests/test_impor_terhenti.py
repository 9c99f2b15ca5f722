"""An import whose worker died is stopped with a reason, never left "running" forever.

These tests write the heartbeat a worker leaves behind (a dead process on this host, a silent one on
another host, a live one) and look at what the status page and the worker's check make of it; the
test with a real worker killed mid-import is `test_worker_killed.py`.
"""

import json
import socket
import subprocess
import time

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from piak.core import roles
from piak.core.models import AuditEvent
from piak.penduduk import events, services
from piak.penduduk.models import Impor, Penduduk
from piak.penduduk.tasks import FileProgress, impor_jalankan, progress_path

from .helpers import family, write_csv

PASSWORD = "rahasia-uji-123"


@pytest.fixture
def staf(client, make_official):
    user = make_official("u-staf", roles.STAF)
    client.login(username="u-staf", password=PASSWORD)
    return user


@pytest.fixture
def running(db, staf, tmp_path, settings):
    """An import the worker has claimed: status `berjalan`, its task `RUNNING` in the queue."""
    settings.MEDIA_ROOT = tmp_path / "media"
    job = Impor.objects.create(
        berkas=str(write_csv(tmp_path / "siak.csv", family())),
        nama_asli="siak.csv",
        status=Impor.Status.BERJALAN,
        diunggah_oleh=staf,
    )
    result = impor_jalankan.enqueue(job.pk)
    DBTaskResult.objects.filter(pk=result.id).update(status="RUNNING")
    return job


def _heartbeat(job: Impor, *, pid: int, host: str, age: float) -> None:
    state = {"fraction": 0.35, "label": "membaca", "pid": pid, "host": host, "detak": time.time() - age}
    progress_path(job.pk).write_text(json.dumps(state))


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def _stopped_events() -> int:
    return AuditEvent.objects.filter(action=events.IMPORT_STOPPED).count()


def test_the_status_page_stops_an_import_whose_worker_process_is_gone(client, running):
    _heartbeat(running, pid=_dead_pid(), host=socket.gethostname(), age=1)
    page = client.get(reverse("penduduk:impor_status", args=[running.pk])).content.decode()
    assert "Status: Terhenti" in page
    assert "Proses impor terhenti: pekerja latar berhenti pada" in page and "tidak ada data yang diubah" in page
    assert "Berjalan" not in page and "hx-trigger" not in page  # no "Berjalan 35%" polled forever
    running.refresh_from_db()
    assert running.status == Impor.Status.TERHENTI
    task = DBTaskResult.objects.get()
    assert task.status == "FAILED" and task.exception_class_path.endswith("WorkerDied")
    assert _stopped_events() == 1
    client.get(reverse("penduduk:impor_status", args=[running.pk]))
    assert _stopped_events() == 1  # looked at again: nothing more to stop


def test_the_worker_check_stops_an_import_whose_heartbeat_is_silent_on_another_host(running, settings):
    settings.PIAK_IMPOR_DETAK_BATAS = 60
    _heartbeat(running, pid=1, host="mesin-lain", age=61)
    assert services.impor_terhenti_tandai_semua() == [running]
    running.refresh_from_db()
    assert running.status == Impor.Status.TERHENTI and "pekerja latar berhenti" in running.pesan


def test_an_import_whose_worker_lives_keeps_running(client, running, settings):
    settings.PIAK_IMPOR_DETAK_BATAS = 60
    FileProgress(running.pk)(0.35, "membaca")  # this very process beats: alive, on this host
    page = client.get(reverse("penduduk:impor_status", args=[running.pk])).content.decode()
    assert "Status: Berjalan" in page and "35%" in page and "hx-trigger" in page
    _heartbeat(running, pid=1, host="mesin-lain", age=59)  # another host, heard from within the limit
    assert services.impor_terhenti_tandai_semua() == []
    running.refresh_from_db()
    assert running.status == Impor.Status.BERJALAN and _stopped_events() == 0
    assert DBTaskResult.objects.get().status == "RUNNING"


def test_a_running_import_without_any_heartbeat_is_stopped(running):
    assert not progress_path(running.pk).exists()
    assert services.impor_terhenti_tandai(impor=running).status == Impor.Status.TERHENTI


def test_an_import_that_committed_just_before_its_worker_died_is_finished_not_stopped(running):
    from piak.core.audit import Actor

    events.imported(
        Actor(None), berkas="siak.csv", sha256="0" * 64, totals={"read": 2, "inserted": 2}, skip_invalid=False
    )
    _heartbeat(running, pid=_dead_pid(), host=socket.gethostname(), age=1)
    job = services.impor_terhenti_tandai(impor=running)
    assert job.status == Impor.Status.SELESAI and job.ringkasan == {"read": 2, "inserted": 2}
    assert job.pesan == services.APPLIED_BEFORE_STOP


def test_someone_who_may_not_import_neither_sees_nor_stops_it(client, running, make_official):
    _heartbeat(running, pid=_dead_pid(), host=socket.gethostname(), age=1)
    make_official("u-kabid", roles.KABID_PIAK)
    client.login(username="u-kabid", password=PASSWORD)
    assert client.get(reverse("penduduk:impor_status", args=[running.pk])).status_code == 403
    running.refresh_from_db()
    assert running.status == Impor.Status.BERJALAN and _stopped_events() == 0


def test_an_import_that_raises_in_a_live_worker_is_stopped_with_the_reason(db, staf, tmp_path, settings):
    """A real failure before anything is applied (no room for the progress file): the worker lives on."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    (settings.MEDIA_ROOT / "impor").write_text("a file where the import folder should be")
    job = Impor.objects.create(
        berkas=str(write_csv(tmp_path / "siak.csv", family())), nama_asli="siak.csv", diunggah_oleh=staf
    )
    with pytest.raises(OSError):
        impor_jalankan.call(job.pk)
    job.refresh_from_db()
    assert job.status == Impor.Status.TERHENTI and "karena kesalahan sistem" in job.pesan
    assert "tidak ada data yang diubah" in job.pesan and _stopped_events() == 1 and not Penduduk.objects.exists()


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # openpyxl's abandoned writer
def test_an_import_that_raises_after_it_committed_says_the_data_is_stored(db, staf, tmp_path, settings):
    """The report's place is taken by a folder: the import committed, then writing the report failed."""
    settings.MEDIA_ROOT = tmp_path / "media"
    source = write_csv(tmp_path / "siak.csv", family())
    job = Impor.objects.create(berkas=str(source), nama_asli="siak.csv", diunggah_oleh=staf)
    (tmp_path / f"laporan-{job.pk}.xlsx").mkdir()
    with pytest.raises(IsADirectoryError):
        impor_jalankan.call(job.pk)
    job.refresh_from_db()
    assert (job.status, job.pesan) == (Impor.Status.SELESAI, services.APPLIED_BEFORE_STOP)
    assert Penduduk.objects.count() == len(family()) and job.ringkasan["inserted"] == len(family())
