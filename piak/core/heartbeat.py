"""The task worker's heartbeat: one `WorkerHeartbeat` row per worker run, beaten by a thread of the worker.

Process telemetry, not an office action, so (like the login throttle table) no audit event: a beat every
few seconds would bury the chain. Each write is one small autocommit UPDATE, so SQLite's single writer lock
is held for a moment only.
"""

from datetime import timedelta

from django.utils import timezone

from .models import WorkerHeartbeat

KEEP_DAYS = 7  # rows of runs that ended (or died) longer ago are removed when a worker starts


def heartbeat_start(*, host: str, pid: int) -> WorkerHeartbeat:
    now = timezone.now()
    WorkerHeartbeat.objects.filter(detak_terakhir__lt=now - timedelta(days=KEEP_DAYS)).delete()
    return WorkerHeartbeat.objects.create(host=host, pid=pid, mulai=now, detak_terakhir=now)


def heartbeat_beat(*, pk: int) -> None:
    WorkerHeartbeat.objects.filter(pk=pk).update(detak_terakhir=timezone.now())


def heartbeat_stop(*, pk: int) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.filter(pk=pk).update(detak_terakhir=now, berhenti_pada=now)
