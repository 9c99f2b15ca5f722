"""`piak db_worker`: django-tasks-db's worker, which also stops imports whose worker died.

It looks at start (a worker restarted after a crash finds the import its predecessor left running) and
then every CHECK_SECONDS, in a thread of its own, so a long task does not delay the look and a second
worker's death is noticed too. It overrides django-tasks-db's command of the same name because
`django_tasks_db` comes after the piak apps in INSTALLED_APPS.
"""

import logging
import threading
import time

from django.db import connection
from django_tasks_db.management.commands.db_worker import Command as TasksDbWorkerCommand

from piak.penduduk.services import impor_terhenti_tandai_semua

CHECK_SECONDS = 15.0
logger = logging.getLogger(__name__)


def stopped_imports_mark() -> None:
    try:
        for impor in impor_terhenti_tandai_semua():
            logger.warning("Impor %s terhenti: %s", impor.pk, impor.pesan)
    finally:
        connection.close()  # the calling thread's connection: the checking thread would keep one open for good


def check_periodically() -> None:
    while True:  # a daemon thread: it ends with the worker
        time.sleep(CHECK_SECONDS)
        try:
            stopped_imports_mark()
        except Exception:  # a failed look (database busy) is retried at the next one
            logger.exception("Pemeriksaan impor terhenti gagal")


class Command(TasksDbWorkerCommand):
    def handle(self, *args, **options) -> None:
        stopped_imports_mark()
        if not options["batch"]:  # a batch run ends when the queue is empty; a thread would outlive it
            threading.Thread(target=check_periodically, name="impor-pengawas", daemon=True).start()
        super().handle(*args, **options)
