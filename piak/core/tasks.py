"""Background work of the core app, run by `piak db_worker`."""

from datetime import timedelta

from django.tasks import task
from django.utils import timezone

CHECKPOINT_EVERY = timedelta(days=1)


@task()
def audit_checkpoint_task() -> int:
    """Write the daily signed checkpoint of the audit chain, then queue tomorrow's; returns its seq."""
    from .checkpoints import audit_checkpoint_write

    point = audit_checkpoint_write(alasan="harian")
    audit_checkpoint_task.using(run_after=timezone.now() + CHECKPOINT_EVERY).enqueue()
    return point.seq


def audit_checkpoint_schedule() -> bool:
    """Queue the daily checkpoint unless one is already waiting; returns whether one was queued."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=audit_checkpoint_task.module_path, status="READY").exists()
    if not waiting:
        audit_checkpoint_task.enqueue()
    return not waiting
