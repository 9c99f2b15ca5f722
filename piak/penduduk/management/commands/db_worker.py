"""`piak db_worker`: django-tasks-db's worker, which also stops imports whose worker died and beats a heartbeat.

It looks for dead imports at start (a worker restarted after a crash finds the import its predecessor left
running) and then every CHECK_SECONDS, in a thread of its own, so a long task does not delay the look and a
second worker's death is noticed too. Another thread records every `settings.PIAK_DETAK_PEKERJA_DETIK` that
the worker is alive (`core.heartbeat`, read by `/sehat/`); a clean stop marks the run stopped. It overrides
django-tasks-db's command of the same name because `django_tasks_db` comes after the piak apps in
INSTALLED_APPS.
"""

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.db import connection
from django_tasks_db.management.commands.db_worker import Command as TasksDbWorkerCommand

from piak.core.heartbeat import heartbeat_beat, heartbeat_start, heartbeat_stop
from piak.penduduk.services import impor_terhenti_tandai_semua

CHECK_SECONDS = 15.0
logger = logging.getLogger(__name__)


def stopped_imports_mark() -> None:
    try:
        for impor in impor_terhenti_tandai_semua():
            logger.warning("Impor %s terhenti: %s", impor.pk, impor.pesan)
    finally:
        connection.close()  # the calling thread's connection: the checking thread would keep one open for good


def every(seconds: float, work: Callable[[], None], failure: str) -> None:
    while True:  # a daemon thread: it ends with the worker
        time.sleep(seconds)
        try:
            work()
        except Exception:  # a failed attempt (database busy) is retried at the next one
            logger.exception(failure)
        finally:
            connection.close()


def _thread_start(name: str, *args) -> None:
    threading.Thread(target=every, args=args, name=name, daemon=True).start()


class Command(TasksDbWorkerCommand):
    def handle(self, *args, **options) -> None:
        stopped_imports_mark()
        if options["batch"]:  # a batch run ends when the queue is empty; threads would outlive it
            super().handle(*args, **options)
            return
        _thread_start("impor-pengawas", CHECK_SECONDS, stopped_imports_mark, "Pemeriksaan impor terhenti gagal")
        run = heartbeat_start(host=socket.gethostname(), pid=os.getpid())
        beat = partial(heartbeat_beat, pk=run.pk)
        _thread_start("detak-pekerja", settings.PIAK_DETAK_PEKERJA_DETIK, beat, "Detak pekerja tugas gagal dicatat")
        try:
            super().handle(*args, **options)
        finally:
            heartbeat_stop(pk=run.pk)
