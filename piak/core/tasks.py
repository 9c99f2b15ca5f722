"""Background work of the core app, run by `piak db_worker`."""

from datetime import timedelta

from django.tasks import task
from django.utils import timezone

DAILY = timedelta(days=1)


@task()
def audit_checkpoint_task() -> int:
    """Write the daily signed checkpoint of the audit chain, then queue tomorrow's; returns its seq."""
    from .checkpoints import audit_checkpoint_write

    point = audit_checkpoint_write(alasan="harian")
    audit_checkpoint_task.using(run_after=timezone.now() + DAILY).enqueue()
    return point.seq


def daily_task_schedule(daily_task) -> bool:
    """Queue a task that re-queues itself every day, unless it is already waiting; returns whether it was
    queued (so `make run` and cron may call this every start without piling up copies)."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=daily_task.module_path, status="READY").exists()
    if not waiting:
        daily_task.enqueue()
    return not waiting


@task()
def backup_daily_task() -> str:
    """Write the daily backup into `PIAK_CADANGAN_DIR` and apply the retention, then queue tomorrow's (also
    after a failure, which the backup log records and the Admin's page shows); returns the archive."""
    from .models import BackupLog
    from .services import backup_create, backup_prune

    try:
        log = backup_create(pemicu=BackupLog.Trigger.JADWAL)
        backup_prune()
    finally:
        backup_daily_task.using(run_after=timezone.now() + DAILY).enqueue()
    return log.arsip
