"""A separate PIAK instance for tests that need real processes: its own database and data folder.

SQLite: a file in the folder (the in-memory test database cannot show locking or survive a killed
process). PostgreSQL, when DATABASE_URL points there: a throwaway database named after the test.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def piak(env: dict, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "piak.cli", *args], env=env, capture_output=True, text=True, check=True, **kwargs
    )


def piak_start(env: dict, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "piak.cli", *args], env=env, **kwargs)


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else None


def instance_env(folder: Path, name: str) -> dict[str, str]:
    """Environment of a fresh, migrated instance (development settings) in `folder`."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "piak.settings.dev", "PIAK_DATA_DIR": str(folder)}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    url = postgres_url()
    if url:
        import psycopg

        base, _, database = url.rpartition("/")
        target = f"{database.split('?')[0]}_{name}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{target}"')
        env["DATABASE_URL"] = f"{base}/{target}"
    else:
        env.pop("DATABASE_URL", None)
    piak(env, "migrate", "--noinput", "-v0")
    return env


def connect(env: dict, folder: Path):
    """A plain DB-API connection to the instance's database."""
    if env.get("DATABASE_URL"):
        import psycopg

        return psycopg.connect(env["DATABASE_URL"], autocommit=True)
    import sqlite3

    return sqlite3.connect(folder / "piak.sqlite3", isolation_level=None)


def query(env: dict, folder: Path, sql: str) -> list[tuple]:
    connection = connect(env, folder)
    try:
        cursor = connection.cursor()
        cursor.execute(sql)
        return cursor.fetchall()
    finally:
        connection.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_start(env: dict) -> tuple[subprocess.Popen, str]:
    """`piak runserver` (threaded, as `make run` starts it) on a free port; waits until it answers."""
    port = free_port()
    server = piak_start(
        env, "runserver", f"127.0.0.1:{port}", "--noreload", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    address = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{address}/masuk/", timeout=2)
            return server, address
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the test server did not start")
