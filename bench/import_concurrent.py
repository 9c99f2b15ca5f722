#!/usr/bin/env python
"""How long other users' writes wait during a large import on SQLite (not part of the test suite).

    .venv/bin/python bench/import_concurrent.py --people 600000

On a fresh SQLite instance in a temporary folder: `piak generate`, then `piak import --progress` in a
child process while this process writes every 50 ms the way a login does (one IMMEDIATE transaction
updating a user's last login, with the instance's busy timeout). Prints one JSON object:
- `import_s`: the whole import; `apply_window_s`: from its "menyimpan" line to its end (the only time
  it holds the write lock: the apply transaction, the audit event, the commit, and the process exit);
- `writes`, `write_wait_max_s`, `write_wait_p50_s`, `write_wait_p99_s`: the concurrent writes, each
  timed from BEGIN to COMMIT; `writes_failed`: those refused after the busy timeout (the 503 page);
- the baseline, in the same run: the same writes with no import running.
With `--reimport` the file is imported once first, and the measured import changes nothing (every row
compared, none written).
"""

import argparse
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from piak.penduduk.tests.instance import instance_env, piak  # noqa: E402

BUSY_TIMEOUT = 20.0
WRITE_EVERY = 0.05


def writes_while(running, database: Path) -> tuple[list[float], int]:
    """Time login-like writes until `running()` is false; returns (seconds each took, failures)."""
    connection = sqlite3.connect(database, timeout=BUSY_TIMEOUT, isolation_level=None)
    took, failed = [], 0
    while running():
        started = time.perf_counter()
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("UPDATE core_user SET last_login = CURRENT_TIMESTAMP WHERE id = 1")
            connection.execute("COMMIT")
            took.append(time.perf_counter() - started)
        except sqlite3.OperationalError:
            failed += 1
        time.sleep(WRITE_EVERY)
    connection.close()
    return took, failed


def figures(took: list[float]) -> dict[str, float]:
    ordered = sorted(took)
    return {
        "max_s": round(ordered[-1], 3),
        "p50_s": round(statistics.median(ordered), 4),
        "p99_s": round(ordered[int(len(ordered) * 0.99) - 1], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=600_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reimport", action="store_true")
    args = parser.parse_args()
    os.environ.pop("DATABASE_URL", None)
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        env = instance_env(folder, "bench")
        piak(env, "demo-users")
        city = folder / "kota.csv"
        piak(env, "generate", "--people", str(args.people), "--seed", str(args.seed), "--out", str(city))
        if args.reimport:
            piak(env, "import", str(city))
        database = folder / "piak.sqlite3"

        until = time.monotonic() + 10
        baseline, _ = writes_while(lambda: time.monotonic() < until, database)

        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "piak.cli", "import", str(city), "--progress"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        applying_since = []

        def follow() -> None:
            for line in child.stderr:
                if not applying_since and re.search(r"\d+% menyimpan", line):
                    applying_since.append(time.perf_counter())

        threading.Thread(target=follow, daemon=True).start()
        took, failed = writes_while(lambda: child.poll() is None, database)
        ended = time.perf_counter()
        summary = child.stdout.read().strip().splitlines()[-1]
        print(
            json.dumps(
                {
                    "people": args.people,
                    "reimport": args.reimport,
                    "import_s": round(ended - started, 1),
                    "apply_window_s": round(ended - applying_since[0], 2) if applying_since else None,
                    "summary": summary,
                    "writes": len(took),
                    "writes_failed": failed,
                    **{f"write_wait_{k}": v for k, v in figures(took).items()},
                    **{f"baseline_wait_{k}": v for k, v in figures(baseline).items()},
                }
            )
        )


if __name__ == "__main__":
    main()
