"""Benchmark: 50 officials working at once against PIAK run the production way (gunicorn with gthread
workers, `piak.settings.prod`, PostgreSQL) on loopback, against the same pages fetched one at a time in the
same run.

    .venv/bin/python bench/load.py [--officials 50] [--duration 60] [--think 1.0] [--workers 4] [--threads 4]

Creates a throwaway database (`--database`, dropped at the end) on the PostgreSQL server named by
`--postgres`, lays down the office through the real services (the demo officials and their ten weeks of
work, a statistics snapshot, and the officials of `bench/load_setup.py`, each with a case waiting for their
paraf), starts the server, and drives it like browsers do: each official logs in, opens the home page, their
inbox, their case and the statistics pages with a short think time, and initials (paraf) their own case once,
with the CSRF token, the step run and the document's SHA-256 read from the case page. The baseline is one
client doing the same one request at a time. Prints JSON: requests, errors (any status other than 2xx/3xx, or
a refused paraf), p50/p95/p99 in ms per page kind under load and at baseline, their ratio, and the targets
(0 errors; p95 < 150 ms for page views, < 500 ms for paraf and for login, whose Argon2 hash is deliberately slow).
"""

import argparse
import http.client
import io
import json
import math
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
PAGE_VIEWS = ("beranda", "inbox", "case", "statistik")
TARGET_P95_MS = {**dict.fromkeys(PAGE_VIEWS, 150), "login": 500, "paraf": 500}
SNAPSHOT_PEOPLE = 50_000  # the demo city's size; the pages read computed indicators, not the rows
REGISTER_PEOPLE = 20_000  # the register `make run` imports
PARAF_DONE = re.compile(r"Paraf langkah \d+ tercatat")


# --- the instance ---------------------------------------------------------------------------------


def _admin_sql(postgres: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{postgres}/postgres", autocommit=True) as connection:
        connection.execute(sql)


@dataclass
class Office:
    load: list
    baseline: list
    warmup: list
    snapshot_id: int
    kecamatan: list[str]


def _office_lay_down(officials: int, baseline: int, warmup: int, history: bool) -> Office:
    """Migrate and fill the instance through the services, in this process (the server runs apart)."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    from django.test import override_settings
    from django.utils import timezone

    from bench.load_setup import load_officials_create
    from piak.beranda.demo import demo_cases_ensure
    from piak.core.demo import demo_officials_ensure
    from piak.penduduk.services import penduduk_import
    from piak.statistik.services import indicators_compute, snapshot_create_synthetic
    from piak.wilayah.models import Kecamatan

    quiet = {"verbosity": 0, "stdout": io.StringIO()}  # stdout carries only the JSON
    call_command("migrate", **quiet)
    call_command("load_reference", **quiet)
    call_command("signer_init", **quiet)
    call_command("collectstatic", "--noinput", **quiet)  # production's hashed static names need the manifest
    demo_officials_ensure()
    if history:  # as `make run`: the demo city in the register, from which SOP 1's reports are frozen
        city = Path(settings.DATA_DIR) / "demo-city.csv"
        call_command("generate", people=REGISTER_PEOPLE, seed=2026, out=str(city), **quiet)
        penduduk_import(path=city)
        demo_cases_ensure()
    with override_settings(PIAK_DEMO=True):  # a throwaway instance: synthetic residents stand in for the city
        snapshot = snapshot_create_synthetic(cutoff=timezone.localdate() - timedelta(days=1), people=SNAPSHOT_PEOPLE)
    indicators_compute(snapshot=snapshot)
    office = Office(
        load=load_officials_create(count=officials, prefix="beban"),
        baseline=load_officials_create(count=baseline, prefix="dasar"),
        warmup=load_officials_create(count=warmup, prefix="pemanasan"),
        snapshot_id=snapshot.pk,
        kecamatan=list(Kecamatan.objects.order_by("kode").values_list("kode", flat=True)),
    )
    connections.close_all()
    return office


SERVER_LOG = ROOT / "var" / "bench-load-server.log"


def server_start(env: dict[str, str], port: int, workers: int, threads: int) -> subprocess.Popen:
    """PIAK the production way on loopback: gunicorn with the stack's own settings (deploy/gunicorn.conf.py,
    as `make serve` and the systemd unit run it) and `piak.settings.prod` from `env`; without Caddy in front,
    so the figures are the application's (the client sends X-Forwarded-Proto as Caddy would)."""
    settings = {"PIAK_BIND": f"127.0.0.1:{port}", "PIAK_WORKERS": str(workers), "PIAK_THREADS": str(threads)}
    command = [str(ROOT / ".venv/bin/gunicorn"), "--config", str(ROOT / "deploy/gunicorn.conf.py")]
    log = SERVER_LOG.open("w")  # a file, not a pipe: the access log of a long run would fill a pipe and block
    return subprocess.Popen(command, cwd=ROOT, env=env | settings, stdout=log, stderr=subprocess.STDOUT)


def _wait_until_up(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped: {SERVER_LOG.read_text()[-2000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/masuk/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the server did not answer within a minute")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- a browser ------------------------------------------------------------------------------------


class _Forms(HTMLParser):
    """The forms of a page: action -> {field name: value} of their inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, dict[str, str]] = {}
        self._current: dict[str, str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = self.forms.setdefault(attrs.get("action") or "", {})
        elif tag == "input" and self._current is not None and attrs.get("name"):
            self._current[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def page_forms(html: str) -> dict[str, dict[str, str]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


@dataclass
class Sample:
    kind: str
    ms: float
    ok: bool
    detail: str = ""


@dataclass
class Recorder:
    samples: list[Sample] = field(default_factory=list)

    def add(self, sample: Sample) -> None:
        self.samples.append(sample)  # list.append is atomic under the GIL


class Browser:
    """One official's browser: its cookies, a connection per request, behind a TLS proxy as in production
    (X-Forwarded-Proto: https, so CSRF checks the Origin as it does behind Caddy)."""

    def __init__(self, port: int, recorder: Recorder) -> None:
        self.port = port
        self.recorder = recorder
        self.cookies: dict[str, str] = {}

    def _send(self, method: str, path: str, kind: str, body: dict | None = None) -> tuple[int, str, str]:
        headers = {"X-Forwarded-Proto": "https", "Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        payload = None
        if body is not None:
            payload = urlencode(body)
            headers |= {"Content-Type": "application/x-www-form-urlencoded", "Origin": f"https://127.0.0.1:{self.port}"}
        started = time.perf_counter()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            connection.request(method, path, body=payload, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except OSError as error:
            self.recorder.add(Sample(kind, (time.perf_counter() - started) * 1000, False, f"{path}: {error}"))
            return 0, "", ""
        elapsed = (time.perf_counter() - started) * 1000
        connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        ok = 200 <= response.status < 400
        self.recorder.add(Sample(kind, elapsed, ok, "" if ok else f"{method} {path}: {response.status}"))
        return response.status, response.headers.get("Location", ""), text

    def get(self, path: str, kind: str) -> str:
        return self._send("GET", path, kind)[2]

    def post(self, path: str, fields: dict, kind: str) -> tuple[int, str]:
        status, location, _ = self._send("POST", path, kind, fields)
        return status, location


def log_in(browser: Browser, official) -> None:
    forms = page_forms(browser.get("/masuk/", "login_form")).values()
    form = next((f for f in forms if "username" in f), {})
    fields = form | {"username": official.username, "password": official.password}
    status, location = browser.post("/masuk/", fields, "login")
    if status != 302:
        browser.recorder.add(Sample("login", 0, False, f"{official.username}: login refused ({status})"))
        return
    browser.get(location or "/", "beranda")


def paraf(browser: Browser, official) -> None:
    """Initial the official's case with the form of its page, as a browser submits it."""
    case_path = f"/berkas/{official.case_id}/"
    form = page_forms(browser.get(case_path, "case")).get(f"{case_path}paraf/")
    if form is None:
        browser.recorder.add(Sample("paraf", 0, False, f"{official.username}: no paraf form on {case_path}"))
        return
    status, location = browser.post(f"{case_path}paraf/", form | {"catatan": ""}, "paraf")
    if status == 302 and not PARAF_DONE.search(browser.get(location, "case")):
        browser.recorder.add(Sample("paraf", 0, False, f"{official.username}: paraf refused on {case_path}"))


def statistik_paths(office: Office) -> list[str]:
    detail = f"/statistik/{office.snapshot_id}/"
    return ["/statistik/", detail] + [f"{detail}kecamatan/{kode}/" for kode in office.kecamatan]


def browse_once(browser: Browser, official, office: Office, rng: random.Random, pause) -> None:
    """One round of an official's day: inbox, their case, a statistics page, now and then the home page."""
    for path, kind in [
        ("/tugas/", "inbox"),
        (f"/berkas/{official.case_id}/", "case"),
        (rng.choice(statistik_paths(office)), "statistik"),
    ] + ([("/", "beranda")] if rng.random() < 0.3 else []):
        browser.get(path, kind)
        pause()


# --- the two measurements -------------------------------------------------------------------------


def baseline_run(port: int, office: Office, rounds: int) -> Recorder:
    """One client, one request at a time: each baseline official logs in, browses `rounds` rounds, and
    initials their case."""
    recorder = Recorder()
    rng = random.Random(1)
    for official in office.baseline:
        browser = Browser(port, recorder)
        log_in(browser, official)
        for _ in range(rounds):
            browse_once(browser, official, office, rng, pause=lambda: None)
        paraf(browser, official)
    return recorder


def load_run(port: int, office: Office, duration: float, think: float, ramp: float) -> Recorder:
    """Every load official in a thread of their own: logs in within the ramp, browses with a think time
    around `think` seconds until `duration` is over, and initials their case once, at a random moment."""
    recorder = Recorder()
    started = time.monotonic()
    deadline = started + duration

    def official_day(official, seed: int) -> None:
        rng = random.Random(seed)
        browser = Browser(port, recorder)
        time.sleep(rng.uniform(0, ramp))
        log_in(browser, official)
        paraf_at = started + rng.uniform(ramp, max(ramp, duration * 0.8))
        initialled = False
        while time.monotonic() < deadline:
            browse_once(browser, official, office, rng, pause=lambda: time.sleep(rng.uniform(0.5, 1.5) * think))
            if not initialled and time.monotonic() >= paraf_at:
                paraf(browser, official)
                initialled = True
        if not initialled:
            paraf(browser, official)

    threads = [threading.Thread(target=official_day, args=(o, n)) for n, o in enumerate(office.load)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return recorder


def warm_up(port: int, office: Office, requests: int) -> None:
    """Each worker imports, compiles templates and opens its database connection before anything counts."""
    recorder = Recorder()
    for official in office.warmup:
        browser = Browser(port, recorder)
        log_in(browser, official)
        for _ in range(requests):
            browse_once(browser, official, office, random.Random(0), pause=lambda: None)
        paraf(browser, official)


# --- figures --------------------------------------------------------------------------------------


def _percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def summary(recorder: Recorder, seconds: float) -> dict:
    timed = [s for s in recorder.samples if s.ms > 0]  # a refusal noted after its request carries no time
    kinds = {}
    for kind in sorted({s.kind for s in timed}):
        values = [s.ms for s in timed if s.kind == kind]
        kinds[kind] = {
            "n": len(values),
            "p50_ms": round(statistics.median(values), 1),
            "p95_ms": round(_percentile(values, 95), 1),
            "p99_ms": round(_percentile(values, 99), 1),
        }
    errors = [s.detail for s in recorder.samples if not s.ok]
    return {
        "requests": len(timed),
        "requests_per_s": round(len(timed) / seconds, 1),
        "errors": len(errors),
        "error_samples": errors[:10],
        "kinds": kinds,
    }


def targets(load: dict) -> dict:
    checks = {"errors_0": load["errors"] == 0}
    for kind, limit in TARGET_P95_MS.items():
        if kind in load["kinds"]:
            checks[f"{kind}_p95_under_{limit}_ms"] = load["kinds"][kind]["p95_ms"] < limit
    return {**checks, "all_met": all(checks.values())}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--officials", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60, help="seconds of load")
    parser.add_argument("--think", type=float, default=1.0, help="mean think time between pages, seconds")
    parser.add_argument("--ramp", type=float, default=10, help="seconds over which the officials log in")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--baseline-officials", type=int, default=10)
    parser.add_argument("--baseline-rounds", type=int, default=3)
    parser.add_argument("--no-history", action="store_true", help="skip the demo's ten weeks of cases")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5434")
    parser.add_argument("--database", default="piak_load")
    args = parser.parse_args()

    port = _free_port()
    data_dir = tempfile.mkdtemp(prefix="piak-load-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "piak.settings.prod",
        "DATABASE_URL": f"{args.postgres}/{args.database}",
        "SECRET_KEY": "bench-load-" + os.urandom(16).hex(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "PIAK_PUBLIC_URL": f"https://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "false",
        "PIAK_DATA_DIR": data_dir,
        "AUDIT_CHECKPOINT_DIR": str(Path(data_dir) / "checkpoints"),
    }
    _admin_sql(args.postgres, f'DROP DATABASE IF EXISTS "{args.database}"')
    _admin_sql(args.postgres, f'CREATE DATABASE "{args.database}"')
    server = None
    try:
        os.environ.update(env)
        began = time.perf_counter()
        office = _office_lay_down(args.officials, args.baseline_officials, args.workers, not args.no_history)
        laid_down = time.perf_counter() - began
        server = server_start(env, port, args.workers, args.threads)
        _wait_until_up(port, server)
        warm_up(port, office, requests=3)
        began = time.perf_counter()
        baseline = summary(baseline_run(port, office, args.baseline_rounds), time.perf_counter() - began)
        began = time.perf_counter()
        load = summary(load_run(port, office, args.duration, args.think, args.ramp), time.perf_counter() - began)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        _admin_sql(args.postgres, f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    ratios = {
        kind: {q: round(load["kinds"][kind][q] / baseline["kinds"][kind][q], 2) for q in ("p50_ms", "p95_ms")}
        for kind in load["kinds"]
        if kind in baseline["kinds"]
    }
    conditions = {
        "officials": args.officials,
        "duration_s": args.duration,
        "think_s": args.think,
        "ramp_s": args.ramp,
        "server": f"gunicorn gthread {args.workers}x{args.threads}, piak.settings.prod, PostgreSQL",
        "cpus": os.cpu_count(),
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "seconds_to_lay_down_office": round(laid_down, 1),
    }
    result = {"conditions": conditions, "baseline": baseline, "load": load, "ratio_load_to_baseline": ratios}
    print(json.dumps(result | {"targets": targets(load)}, indent=1))


if __name__ == "__main__":
    main()
