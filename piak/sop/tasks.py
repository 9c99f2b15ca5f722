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


def sla_scan_schedule() -> bool:
    """Queue the periodic scan unless one is already waiting; returns whether one was queued."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=sla_scan_task.module_path, status="READY").exists()
    if not waiting:
        sla_scan_task.enqueue()
    return not waiting


@task()
def compliance_pdf_task(export_id: int) -> None:
    from .services import compliance_pdf_build

    compliance_pdf_build(export_id=export_id)
