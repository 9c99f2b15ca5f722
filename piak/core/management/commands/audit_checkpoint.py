from django.core.management.base import BaseCommand

from piak.core.checkpoints import audit_checkpoint_write, checkpoint_dir


class Command(BaseCommand):
    help = (
        "Menulis checkpoint bertanda tangan (HMAC) dari ujung rantai audit ke berkas di luar basis data "
        "(AUDIT_CHECKPOINT_DIR). Jalankan bersama setiap cadangan (--alasan cadangan); --jadwalkan menaruh "
        "checkpoint harian di antrean worker."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--alasan", default="manual", help="Dicatat pada checkpoint, mis. 'cadangan'.")
        parser.add_argument("--jadwalkan", action="store_true", help="Antrekan checkpoint harian untuk worker.")

    def handle(self, *args, alasan: str, jadwalkan: bool = False, **options) -> None:
        if jadwalkan:
            from piak.core.tasks import audit_checkpoint_task, daily_task_schedule

            queued = daily_task_schedule(audit_checkpoint_task)
            self.stdout.write(
                "Checkpoint audit harian diantrekan." if queued else "Checkpoint audit harian sudah ada di antrean."
            )
            return
        point = audit_checkpoint_write(alasan=alasan)
        self.stdout.write(
            self.style.SUCCESS(
                f"Checkpoint ditulis: peristiwa #{point.seq} ({point.hash[:16]}…) di {checkpoint_dir()}."
            )
        )
