"""Other users keep working while a large import runs: every write succeeds, waits, or gets the busy page.

A real server (`piak runserver`, threaded) and a real `piak import` run against the same instance; the
test logs in and out over and over meanwhile (each a write: session, last login, audit event). On
SQLite it also probes the main database's write lock: free while the file is read, so only the short
apply window can make a writer wait.
"""

import http.cookiejar
import re
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

import pytest

from piak.core.demo_logins import DEMO_LOGINS
from piak.penduduk.generator import city_write

from .instance import instance_env, piak, piak_start, postgres_url, server_start

BUSY = "Sistem sedang memproses impor data; coba lagi sebentar lagi."
PASSWORD = DEMO_LOGINS["operator"]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Visitor:
    """One browser: its own cookies, redirects not followed (the status codes are the point)."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect)

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = None if data is None else urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self._csrf()}).encode()
        headers = {"Referer": self.address + path}
        try:
            with self.opener.open(urllib.request.Request(self.address + path, body, headers), timeout=120) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def _csrf(self) -> str:
        return next((c.value for c in self.cookies if c.name == "csrftoken"), "")

    def log_in_and_out(self) -> list[int]:
        self.request("/masuk/")
        logged_in, _ = self.request("/masuk/", {"username": "operator", "password": PASSWORD})
        logged_out, _ = self.request("/keluar/", {})
        return [logged_in, logged_out]


@dataclass
class Phase:
    """The import's current step, followed from its `--progress` lines."""

    label: str = "mulai"


def _probe(process: subprocess.Popen, phase: Phase, folder, found: dict[str, list[bool]]) -> None:
    while process.poll() is None:
        during = phase.label
        found.setdefault(during, []).append(_write_lock_free(folder))
        time.sleep(0.02)  # often enough to sample a read-and-check phase of a fraction of a second


def _follow(process: subprocess.Popen, phase: Phase, lines: list[str]) -> None:
    for line in process.stderr:
        lines.append(line)
        if step := re.search(r"\d+% (\w+)", line):
            phase.label = step[1]


def _write_lock_free(folder) -> bool:
    # Half a second: a connection closing takes the lock for a moment to checkpoint; an import held it throughout.
    probe = sqlite3.connect(folder / "piak.sqlite3", timeout=0.5, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        probe.close()


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serentak")
    env = instance_env(folder, "serentak")
    piak(env, "demo-users")
    return env, folder


@pytest.fixture
def server(instance):
    env, _ = instance
    process, address = server_start(env)
    yield address
    process.terminate()
    process.wait(timeout=30)


def test_logins_during_a_large_import_never_fail(instance, server, tmp_path):
    env, folder = instance
    big = tmp_path / "kota.csv"
    city_write(big, people=60_000, seed=31)
    importing = piak_start(
        env, "import", str(big), "--progress", stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    phase, lines = Phase(), []
    threading.Thread(target=_follow, args=(importing, phase, lines), daemon=True).start()
    lock_free_while: dict[str, list[bool]] = {}
    if not postgres_url():
        threading.Thread(target=_probe, args=(importing, phase, folder, lock_free_while), daemon=True).start()
    visitor = Visitor(server)
    statuses = []
    while importing.poll() is None:
        during = phase.label
        statuses.append((during, visitor.log_in_and_out()))
    summary = importing.stdout.read().strip().splitlines()[-1]
    assert importing.returncode == 0 and "inserted=60000" in summary, "".join(lines)

    seen = {status for _, pair in statuses for status in pair}
    assert seen <= {200, 302, 503}, statuses  # never a 500
    assert sum(1 for _, pair in statuses if pair[0] == 302) >= 3  # logins really happened meanwhile
    assert {during for during, _ in statuses} & {"membaca", "memeriksa"}, statuses
    if not postgres_url():
        # The main database's write lock is free while the file is read and checked (the old importer held
        # it from its first row); the apply window that follows the checks is the only time it is taken.
        before_apply = lock_free_while.get("membaca", []) + lock_free_while.get("memeriksa", [])
        assert len(before_apply) >= 3 and all(before_apply), lock_free_while


@pytest.mark.skipif(bool(postgres_url()), reason="SQLite's write lock; PostgreSQL locks rows, not the database")
def test_a_writer_that_waits_past_the_busy_timeout_gets_the_busy_page_not_a_500(instance):
    env, folder = instance
    process, address = server_start({**env, "PIAK_SQLITE_BUSY_TIMEOUT": "0.5"})
    holder = sqlite3.connect(folder / "piak.sqlite3", isolation_level=None)
    try:
        visitor = Visitor(address)
        holder.execute("BEGIN IMMEDIATE")  # another connection's long write transaction
        assert visitor.request("/masuk/")[0] == 200  # reading is never blocked (WAL)
        status, page = visitor.request("/masuk/", {"username": "operator", "password": PASSWORD})
        assert status == 503 and BUSY in page and "Tindakan Anda belum tersimpan" in page
        holder.execute("ROLLBACK")
        assert visitor.request("/masuk/", {"username": "operator", "password": PASSWORD})[0] == 302
    finally:
        holder.close()
        process.terminate()
        process.wait(timeout=30)
