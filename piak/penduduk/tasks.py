"""Background work of the penduduk app: the web upload's import, run by `piak db_worker`.

While an import runs, its worker writes a heartbeat (time, process id, host) into the import's progress
file every few seconds, from a thread of its own. A worker that dies (SIGKILL, out of memory, a machine
that stops) stops beating; `worker_died_at` tells so, and `services.impor_terhenti_tandai` then stops
the import instead of leaving it "running" forever.
"""

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from .models import Impor

IMPORT_DIR = "impor"
HEARTBEAT_SECONDS = 2.0


def import_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / IMPORT_DIR
    path.mkdir(parents=True, exist_ok=True)
    return path


def progress_path(impor_id: int) -> Path:
    return import_dir() / f"{impor_id}.progress.json"


def progress_read(impor_id: int) -> dict:
    """The running import's progress; a file, because the import's own transaction hides its rows."""
    try:
        return json.loads(progress_path(impor_id).read_text())
    except (OSError, ValueError):
        return {"fraction": 0.0, "label": "menunggu"}


class FileProgress:
    """The import's progress and its worker's heartbeat, in the one file the status page reads."""

    def __init__(self, impor_id: int) -> None:
        self.path = progress_path(impor_id)
        self.fraction = 0.0
        self.label = "mulai"
        self.last = -1
        self.lock = threading.Lock()

    def __call__(self, fraction: float, label: str) -> None:
        percent = int(fraction * 100)
        if percent != self.last:
            self.last, self.fraction, self.label = percent, fraction, label
            self.beat()

    def beat(self) -> None:
        state = {
            "fraction": self.fraction,
            "label": self.label,
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "detak": time.time(),
        }
        with self.lock:  # the heartbeat thread and the import both write
            temporary = self.path.with_suffix(".tmp")
            temporary.write_text(json.dumps(state))
            temporary.replace(self.path)


@contextmanager
def heartbeat(progress: FileProgress) -> Iterator[None]:
    stopped = threading.Event()

    def beat_until_stopped() -> None:
        while not stopped.wait(HEARTBEAT_SECONDS):
            progress.beat()

    progress.beat()
    thread = threading.Thread(target=beat_until_stopped, name="impor-detak", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stopped.set()
        thread.join()


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a killed child its parent has not reaped yet is a zombie: dead, though its pid exists
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def worker_died_at(impor_id: int, *, now: float | None = None) -> float | None:
    """When the worker running this import last showed life, if it is dead; None while it lives.

    Dead: its process is gone (same host), or its heartbeat is older than PIAK_IMPOR_DETAK_BATAS
    seconds (any host). A running import without any heartbeat never had a live worker.
    """
    beat = progress_read(impor_id)
    last = beat.get("detak")
    if last is None:
        return Impor.objects.values_list("diunggah_pada", flat=True).get(pk=impor_id).timestamp()
    if beat.get("host") == socket.gethostname() and not _process_alive(int(beat["pid"])):
        return last
    stale = (now or time.time()) - last > settings.PIAK_IMPOR_DETAK_BATAS
    return last if stale else None


def task_result_fail(impor_id: int, reason: str) -> None:
    """Fail the queue's record of this import's task, which its dead worker left 'running'."""
    from django_tasks_db.models import DBTaskResult

    running = DBTaskResult.objects.running().filter(task_path=impor_jalankan.module_path)
    for result in running:
        if result.args_kwargs.get("args") == [impor_id]:
            result.set_failed(WorkerDied(reason))


class WorkerDied(Exception):
    """Recorded as the failure of a task whose worker stopped while running it."""


@task
def impor_jalankan(impor_id: int) -> None:
    from .services import impor_gagal_sistem, impor_proses

    impor = Impor.objects.get(pk=impor_id)
    try:
        progress = FileProgress(impor_id)
        with heartbeat(progress):
            impor_proses(impor=impor, progress=progress)
    except Exception:
        impor_gagal_sistem(impor=impor)
        raise  # the worker records the traceback on the task


@task
def unggahan_bersihkan_task() -> int:
    """Delete expired import uploads, then queue tomorrow's run; returns how many imports were cleaned."""
    from piak.core.tasks import DAILY

    from .services import unggahan_bersihkan

    cleaned = unggahan_bersihkan()
    unggahan_bersihkan_task.using(run_after=timezone.now() + DAILY).enqueue()
    return len(cleaned)
