"""Benchmark: the leadership dashboard and the compliance report at a year's volume of SOP work, against
the same pages over the demo's ten weeks, measured in the same run.

    .venv/bin/python bench/dashboard.py [--cases 600] [--runs 5]

Builds a throwaway SQLite instance in a temporary folder: the demo officials, the demo history, then
`--cases` more cases laid down since 1 January through the real services (the office starts some
50 cases a month). Prints JSON: median seconds per page and the ratio to the demo-sized baseline.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from timing import median_seconds


def _setup_django(data_dir: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ["PIAK_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "piak.settings.dev"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)


def _pages(runs: int) -> dict[str, float]:
    from django.utils import timezone

    from piak.beranda.dashboard import leadership_view
    from piak.sop.monitoring import compliance_report
    from piak.sop.report import compliance_pdf

    today = timezone.localdate()
    year = {"awal": today - timedelta(days=365), "akhir": today}
    return {
        "dasbor_pimpinan_s": median_seconds(leadership_view, runs),
        "laporan_kepatuhan_setahun_s": median_seconds(lambda: compliance_report(**year), runs),
        "laporan_kepatuhan_pdf_s": median_seconds(lambda: compliance_pdf(compliance_report(**year)), max(1, runs // 2)),
    }


def _year_of_cases(count: int) -> int:
    from django.utils import timezone

    from piak.beranda.demo import DemoWriter, working_days
    from piak.core.worktime import WIB, current_calendar

    calendar = current_calendar()
    writer = DemoWriter(seed=7, calendar=calendar)
    now = timezone.now()
    today = timezone.localdate()
    # The demo officials hold their jabatan from 1 January, so the year's work starts there.
    days = working_days(date(today.year, 1, 1), today - timedelta(days=1), calendar)
    for n in range(count):
        day = days[(n * len(days)) // count]
        start = datetime(day.year, day.month, day.day, 8, 15, tzinfo=WIB) + timedelta(
            minutes=writer.rng.randint(0, 300)
        )
        writer.walk(writer.start(["sop-1", "sop-2", "sop-3"][n % 3], start), until=now)
    from piak.sop.models import StepRun

    return StepRun.objects.count()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=600)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="piak-bench-") as data_dir:
        _setup_django(data_dir)
        from piak.beranda.demo import demo_cases_ensure
        from piak.core.demo import demo_officials_ensure
        from piak.sop.models import Case, StepRun

        demo_officials_ensure()
        demo_cases_ensure()
        baseline = {"cases": Case.objects.count(), "step_runs": StepRun.objects.count(), **_pages(args.runs)}
        started = time.perf_counter()
        runs_total = _year_of_cases(args.cases)
        laid_down = time.perf_counter() - started
        year = {"cases": Case.objects.count(), "step_runs": runs_total, **_pages(args.runs)}
    ratios = {k: round(year[k] / baseline[k], 2) for k in year if k.endswith("_s")}
    print(json.dumps({"baseline_demo": baseline, "year": year, "ratio_year_to_demo": ratios,
                      "seconds_to_lay_down_cases": round(laid_down, 1)}, indent=1))  # fmt: skip


if __name__ == "__main__":
    main()
