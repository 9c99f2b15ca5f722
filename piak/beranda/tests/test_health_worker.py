"""`/sehat/` of a real instance with a real `piak db_worker`: healthy while it beats, unhealthy (503) once it
stops cleanly (SIGTERM) and once it is killed (SIGKILL) and its last beat ages past the limit."""

import json
import signal
import subprocess
import time
import urllib.error
import urllib.request

from piak.penduduk.tests.instance import instance_env, piak, piak_start, query, server_start

TOKEN = "token-pemantau-uji-0123456789"
WORKER = ["db_worker", "--no-reload", "--queue-name", "*", "--interval", "0.2", "--no-startup-delay"]


def _sehat(address: str) -> tuple[int, dict]:
    request = urllib.request.Request(f"{address}/sehat/", headers={"Authorization": f"Bearer {TOKEN}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _wait_for_status(address: str, status: int, *, seconds: float) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        code, body = _sehat(address)
        if code == status:
            return body
        time.sleep(0.2)
    raise AssertionError(f"/sehat/ did not answer {status} within {seconds} s: {code} {body}")


def _worker_start(env: dict) -> subprocess.Popen:
    return piak_start(env, *WORKER, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_a_stopped_or_killed_worker_makes_sehat_unhealthy(tmp_path):
    env = instance_env(tmp_path, "sehat")
    env.update(
        PIAK_DETAK_PEKERJA_DETIK="0.3", PIAK_SEHAT_DETAK_BATAS="2", PIAK_SEHAT_RUANG_MIN_MB="1", PIAK_SEHAT_TOKEN=TOKEN
    )
    piak(env, "signer-init")
    server, address = server_start(env)
    workers = []
    try:
        assert _sehat(address)[1]["pemeriksaan"]["pekerja_tugas"]["status"] == "gagal"  # none has run yet

        workers.append(_worker_start(env))
        body = _wait_for_status(address, 200, seconds=60)
        worker = body["pemeriksaan"]["pekerja_tugas"]
        assert worker["status"] == "ok" and worker["angka"]["pekerja"][0]["pid"] == workers[0].pid
        assert body["status"] == "peringatan" == body["pemeriksaan"]["cadangan"]["status"]  # no backup yet: 200
        workers[0].send_signal(signal.SIGTERM)
        assert workers[0].wait(timeout=30) == 0
        code, body = _sehat(address)  # at once: the worker said it stopped
        assert code == 503 and body["status"] == "gagal"
        assert body["pemeriksaan"]["pekerja_tugas"]["keterangan"].startswith("Pekerja tugas berhenti pada")

        workers.append(_worker_start(env))
        _wait_for_status(address, 200, seconds=60)
        workers[1].send_signal(signal.SIGKILL)
        workers[1].wait(timeout=30)
        body = _wait_for_status(address, 503, seconds=15)  # its last beat ages past the 2 s limit
        assert "pekerja mati atau macet" in body["pemeriksaan"]["pekerja_tugas"]["keterangan"]
        stopped = query(env, tmp_path, "SELECT pid, berhenti_pada IS NOT NULL FROM core_workerheartbeat ORDER BY id")
        assert stopped == [(workers[0].pid, True), (workers[1].pid, False)]  # a killed worker never says so
    finally:
        for process in (*workers, server):
            if process.poll() is None:
                process.kill()
                process.wait(timeout=30)
