"""A real `piak db_worker` is killed (SIGKILL) in the middle of an upload's import.

The import must end up stopped with its reason on the status page, its queued task failed, and the
register exactly as before; the next worker notices at its start.
"""

import json
import signal
import subprocess
import time

from piak.penduduk.generator import city_write

from .instance import instance_env, piak, piak_start, query
from .test_import_kill import _fingerprint

IMPORT_UNDER_WAY = {"membaca", "memeriksa", "menyimpan"}
WORKER = ["db_worker", "--no-reload", "--queue-name", "*", "--interval", "0.2", "--no-startup-delay"]

QUEUE_AN_UPLOAD = """
from pathlib import Path
from piak.core.models import User
from piak.penduduk.services import impor_daftar
job = impor_daftar(berkas=Path({path!r}), nama_asli="siak-besar.csv", lewati_tidak_valid=False,
                   pengguna=User.objects.get(username="operator"))
print(job.pk)
"""

STATUS_PAGE = """
from django.test import Client
from piak.core.models import User
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(User.objects.get(username="operator"))
print(client.get("/penduduk/impor/{pk}/").content.decode())
"""


def _wait_for(condition, *, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"waited {seconds} s for {what}")


def _progress(folder, pk: int) -> dict:
    try:
        return json.loads((folder / "media" / "impor" / f"{pk}.progress.json").read_text())
    except (OSError, ValueError):
        return {}


def _status(env, folder, pk: int) -> tuple[str, str]:
    return query(env, folder, f"SELECT status, pesan FROM penduduk_impor WHERE id = {pk}")[0]


def test_a_worker_killed_mid_import_leaves_the_import_stopped_with_its_reason(tmp_path):
    env = instance_env(tmp_path, "worker")
    piak(env, "demo-users")
    big = tmp_path / "siak-besar.csv"
    city_write(big, people=40_000, seed=21)
    before = _fingerprint(env, tmp_path)
    pk = int(piak(env, "shell", "--no-imports", "-c", QUEUE_AN_UPLOAD.format(path=str(big))).stdout.strip())

    worker = piak_start(env, *WORKER, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # The file is one Polars slice, so reading reports once, at its end: kill in any phase after that
    # and before "selesai" (polling for a fraction inside reading missed that short window on CI).
    beat = _wait_for(
        lambda: (p := _progress(tmp_path, pk)).get("label") in IMPORT_UNDER_WAY and p,
        seconds=120,
        what="the import to be past its first read",
    )
    assert beat["pid"] == worker.pid  # the heartbeat names the worker's process
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    assert _status(env, tmp_path, pk)[0] == "berjalan"  # what the page showed forever before

    successor = piak_start(env, *WORKER, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        status, reason = _wait_for(
            lambda: (s := _status(env, tmp_path, pk))[0] != "berjalan" and s,
            seconds=60,
            what="the next worker to notice",
        )
    finally:
        successor.terminate()
        successor.wait(timeout=30)
    assert status == "terhenti"
    assert reason.startswith("Proses impor terhenti: pekerja latar berhenti pada ")
    assert "tidak ada data yang diubah" in reason
    assert query(env, tmp_path, "SELECT status FROM django_tasks_database_dbtaskresult") == [("FAILED",)]

    page = piak(env, "shell", "--no-imports", "-c", STATUS_PAGE.format(pk=pk)).stdout
    assert "Status: Terhenti" in page and reason in page and "hx-trigger" not in page

    after = _fingerprint(env, tmp_path)
    for table in ("penduduk_keluarga", "penduduk_penduduk", "penduduk_peristiwa"):
        assert after[table] == before[table], table  # nothing half-applied
