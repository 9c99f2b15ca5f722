"""The production stack on one machine, in the foreground: what `make serve` runs and what the stack's
acceptance test (piak/web/tests/test_production_stack.py) starts.

PostgreSQL (a cluster of its own, or the server the caller names) → `piak migrate` as the owner,
`piak db-roles`, reference data, signer, `collectstatic` → gunicorn (deploy/gunicorn.conf.py), the task
worker and Caddy (deploy/Caddyfile, `tls internal`) on loopback, with `piak.settings.prod`. The same
configuration files as the systemd units in deploy/, so a trial proves what a server runs.

    python -m piak.deploy_stack [--demo]      # Ctrl+C stops everything
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEPLOY_DIR = PROJECT_DIR / "deploy"
BIN = Path(sys.executable).parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
CLUSTER = "piakserve"


def secret_ensure(path: Path) -> str:
    """A random secret created once (mode 0600), so sessions and the audit chain survive restarts."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def with_user(url: str, user: str, password: str = "", database: str | None = None) -> str:
    """`url` with another role (and database): the application role connects to the owner's database."""
    parts = urlsplit(url)
    credentials = f"{user}:{password}" if password else user
    host = parts.hostname or "127.0.0.1"
    netloc = f"{credentials}@{host}" + (f":{parts.port}" if parts.port else "")
    path = f"/{database}" if database is not None else parts.path
    return urlunsplit((parts.scheme, netloc, path, parts.query, ""))


@dataclass
class Stack:
    """One instance of the stack: its folder under var/, its ports and its database."""

    root: Path
    database_url: str  # the tables' owner
    https_port: int
    http_port: int
    app_port: int
    app_password: str = ""
    workers: int = 3
    demo: bool = False
    extra_env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def public_url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    @property
    def root_certificate(self) -> Path:
        """Caddy's local CA (`tls internal`): what a client of the trial must trust."""
        return self.root / "caddy-data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"

    def environment(self) -> dict[str, str]:
        secrets_dir = self.root / "secrets"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "piak.settings.prod",
            "SECRET_KEY": secret_ensure(secrets_dir / "secret_key"),
            "AUDIT_CHAIN_KEY": secret_ensure(secrets_dir / "audit_chain_key"),
            "PIAK_PUBLIC_URL": self.public_url,
            "DATABASE_URL": self.database_url,
            "DATABASE_APP_URL": with_user(self.database_url, "piak_app", self.app_password),
            "PIAK_DB_APP_PASSWORD": self.app_password,
            "PIAK_DATA_DIR": str(self.root / "data"),
            "PIAK_DEMO": "true" if self.demo else "false",
            "PIAK_BIND": f"127.0.0.1:{self.app_port}",
            "PIAK_WORKERS": str(self.workers),
            # Caddy (deploy/Caddyfile): its data (the local CA, certificates) stays under var/.
            "PIAK_SITE_ADDRESS": self.public_url,
            "PIAK_TLS": "internal",
            "PIAK_APP_ADDRESS": f"127.0.0.1:{self.app_port}",
            "PIAK_HTTPS_PORT": str(self.https_port),
            "PIAK_HTTP_PORT": str(self.http_port),
            "PIAK_CADDY_ADMIN": "off",
            "XDG_DATA_HOME": str(self.root / "caddy-data"),
            "XDG_CONFIG_HOME": str(self.root / "caddy-config"),
            **self.extra_env,
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests; never in production
        return env

    def commands(self, *commands: list[str], owner: bool = False) -> None:
        """Run `piak` commands in one process (Django starts once); as the tables' owner when `owner`."""
        env = self.environment() | ({"PIAK_DB_OWNER": "1"} if owner else {})
        batch = [sys.executable, "-m", "piak.deploy_stack", "batch", json.dumps(commands)]
        subprocess.run(batch, env=env, cwd=PROJECT_DIR, check=True)

    def prepare(self) -> None:
        """Schema as the owner, then the application role's grants, reference data, signer and static files."""
        self.commands(["migrate", "--noinput", "--verbosity", "0"], ["db_roles"], owner=True)
        jobs = [
            [command, "--jadwalkan"] for command in ("sla_scan", "audit_checkpoint", "bersihkan_unggahan", "backup")
        ]
        self.commands(["load_reference"], ["signer_init"], ["collectstatic", "--noinput", "--verbosity", "0"], *jobs)
        if self.demo:
            city = self.root / "demo-city.csv"
            if not city.exists():
                self.commands(["generate", "--people", "20000", "--seed", "2026", "--out", str(city)])
            self.commands(["import", str(city)], ["demo_users", "--force"], ["demo_cases", "--force"])

    def start(self) -> None:
        env = self.environment()
        logs = self.root / "log"
        logs.mkdir(parents=True, exist_ok=True)
        commands = {
            "gunicorn": [str(BIN / "gunicorn"), "--config", str(DEPLOY_DIR / "gunicorn.conf.py")],
            "worker": [str(BIN / "piak"), "db_worker", "--no-reload", "--queue-name", "*"],
            "caddy": ["caddy", "run", "--config", str(DEPLOY_DIR / "Caddyfile"), "--adapter", "caddyfile"],
        }
        for name, command in commands.items():
            log = (logs / f"{name}.log").open("ab")
            # A process group of its own: Ctrl+C in the terminal reaches the launcher, which stops them in order.
            self.processes[name] = subprocess.Popen(
                command, env=env, cwd=PROJECT_DIR, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def wait_ready(self, timeout: float = 60) -> None:
        """Until the login page answers over HTTPS with a certificate from Caddy's local CA."""
        deadline = time.monotonic() + timeout
        while True:
            self.check_alive()
            try:
                context = ssl.create_default_context(cafile=self.root_certificate)
                with urllib.request.urlopen(self.public_url + "/masuk/", context=context, timeout=5) as response:
                    if response.status == 200:
                        return
            except (OSError, ssl.SSLError, urllib.error.URLError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"PIAK tidak menjawab di {self.public_url} dalam {timeout:.0f} detik; lihat {self.root}/log/"
                )
            time.sleep(0.3)

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} berhenti (kode {process.returncode}); lihat {self.root}/log/{name}.log")

    def stop(self) -> None:
        """Caddy first (no new requests), then gunicorn and the worker; each gets 20 s before SIGKILL."""
        for name in ("caddy", "gunicorn", "worker"):
            process = self.processes.pop(name, None)
            if process is None or process.poll() is not None:
                continue
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


class LocalCluster:
    """A PostgreSQL 15 cluster of the trial's own: Debian's `pg_createcluster` when root (the server runs as
    `postgres`), otherwise `initdb` under var/. The owner role `piak` and its database; passwords in var/."""

    def __init__(self, root: Path, port: int):
        self.root, self.port = root, port
        self.password = secret_ensure(root / "secrets" / "db_owner_password")
        self.as_root = os.geteuid() == 0
        self.data = root / "pg"

    def start(self) -> str:
        if self.as_root:
            clusters = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=True).stdout
            if not any(line.split()[:2] == ["15", CLUSTER] for line in clusters.splitlines()):
                subprocess.run(["pg_createcluster", "15", CLUSTER, "-p", str(self.port)], check=True)
            subprocess.run(["pg_ctlcluster", "15", CLUSTER, "start"], check=False)
        else:
            if not self.data.exists():
                superuser = self.root / "secrets" / "db_owner_password"
                subprocess.run(
                    [PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "--auth-local=trust",
                     "--auth-host=scram-sha-256", f"--pwfile={superuser}"],
                    check=True, stdout=subprocess.DEVNULL,
                )  # fmt: skip
            subprocess.run(
                [PG_BIN / "pg_ctl", "-D", self.data, "-l", self.root / "log" / "postgresql.log", "-w", "start",
                 "-o", f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1"],
                check=True, stdout=subprocess.DEVNULL,
            )  # fmt: skip
        self._owner_ensure()
        return f"postgres://piak:{self.password}@127.0.0.1:{self.port}/piak"

    def _psql(self, sql: str) -> str:
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", "psql", "-p", str(self.port)]
        else:
            command = ["psql", "-h", str(self.data), "-p", str(self.port), "-U", "postgres"]
        result = subprocess.run([*command, "-qAtc", sql], capture_output=True, text=True, check=True)
        return result.stdout.strip()

    def _owner_ensure(self) -> None:
        """The tables' owner may create the application role (`piak db-roles`), nothing more."""
        if not self._psql("SELECT 1 FROM pg_roles WHERE rolname = 'piak'"):
            self._psql("CREATE ROLE piak LOGIN CREATEROLE")
        self._psql(f"ALTER ROLE piak PASSWORD '{self.password}'")
        if not self._psql("SELECT 1 FROM pg_database WHERE datname = 'piak'"):
            self._psql("CREATE DATABASE piak OWNER piak")

    def stop(self) -> None:
        if self.as_root:
            subprocess.run(["pg_ctlcluster", "15", CLUSTER, "stop"], check=False)
        else:
            subprocess.run([PG_BIN / "pg_ctl", "-D", self.data, "-w", "stop"], check=False, stdout=subprocess.DEVNULL)


def serve(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="PIAK production stack on loopback, in the foreground.")
    parser.add_argument("--demo", action="store_true", help="also the demo city, officials and cases")
    options = parser.parse_args(argv)
    for program in ("caddy", "pg_ctlcluster" if os.geteuid() == 0 else PG_BIN / "initdb"):
        if not shutil.which(program):
            sys.exit(f"{program} tidak ditemukan; jalankan scripts/system-deps.sh sebagai root.")
    root = PROJECT_DIR / "var" / "serve"
    (root / "log").mkdir(parents=True, exist_ok=True)
    cluster = LocalCluster(root, int(os.environ.get("PG_PORT", "5435")))
    https_port = int(os.environ.get("HTTPS_PORT", "8443"))
    stack = Stack(
        root=root,
        database_url=cluster.start(),
        https_port=https_port,
        http_port=int(os.environ.get("HTTP_PORT", "8080")),
        app_port=int(os.environ.get("APP_PORT", "8001")),
        app_password=secret_ensure(root / "secrets" / "db_app_password"),
        workers=int(os.environ.get("PIAK_WORKERS", "3")),
        demo=options.demo,
    )
    # Ctrl+C even when started in the background (where SIGINT arrives ignored); SIGTERM (systemd, kill) alike.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        stack.prepare()
        stack.start()
        stack.wait_ready()
        print(f"\nPIAK (produksi, percobaan) berjalan di {stack.public_url}/  (hentikan dengan Ctrl+C)")
        print(f"Sertifikat akar CA lokal Caddy: {stack.root_certificate}")
        if not options.demo:
            print("Tanpa pengguna dan data demo; `make serve DEMO=1` menambahkan kota, pejabat dan berkas demo.")
        while True:
            stack.check_alive()
            time.sleep(1)
    except KeyboardInterrupt:
        print("\nMenghentikan PIAK …")
    finally:
        stack.stop()
        cluster.stop()


def batch(commands: list[list[str]]) -> None:
    """`piak` commands one after the other in this process; the first that fails stops the batch."""
    import django
    from django.core.management import call_command

    django.setup()
    for name, *args in commands:
        try:
            call_command(name, *args)
        except SystemExit as done:  # `piak import` exits with its result; only a failure ends the batch
            if done.code:
                raise


if __name__ == "__main__":
    if sys.argv[1:2] == ["batch"]:
        batch(json.loads(sys.argv[2]))
    else:
        serve()
