"""Background work of the SOP engine, run by `piak db_worker`."""

from datetime import timedelta

from django.tasks import task
from django.utils import timezone

SCAN_EVERY = timedelta(minutes=5)


@task()
def sla_scan_task() -> dict[str, int]:
    """Scan time standards, then queue the next scan: a periodic task without an external scheduler."""
    from .services import sla_scan

    counts = sla_scan()
    sla_scan_task.using(run_after=timezone.now() + SCAN_EVERY).enqueue()
    return counts
