from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from piak.core.errors import DomainError
from piak.core.services import backup_create, backup_prune


class Command(BaseCommand):
    help = (
        "Membuat satu arsip cadangan (basis data, berkas unggahan dan hasil, snapshot, kunci penanda tangan, "
        "checkpoint audit, manifest SHA-256) dengan izin 0600 — arsip berisi data pribadi warga dan kunci tanda "
        "tangan. --jadwalkan menaruh cadangan harian (dengan retensi PIAK_CADANGAN_SIMPAN) di antrean worker."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--keluaran", type=Path, help="Folder arsip (bawaan: PIAK_CADANGAN_DIR).")
        parser.add_argument("--jadwalkan", action="store_true", help="Antrekan cadangan harian untuk worker.")

    def handle(self, *args, keluaran: Path | None, jadwalkan: bool, **options) -> None:
        if jadwalkan:
            from piak.core.tasks import backup_daily_task, daily_task_schedule

            queued = daily_task_schedule(backup_daily_task)
            self.stdout.write("Cadangan harian diantrekan." if queued else "Cadangan harian sudah ada di antrean.")
            return
        try:
            log = backup_create(keluaran=keluaran)
        except DomainError as error:
            raise CommandError(error.message) from error
        for archive in backup_prune() if keluaran is None else []:
            self.stdout.write(f"Arsip lama dihapus (retensi): {archive}")
        self.stdout.write(
            self.style.SUCCESS(f"Cadangan ditulis: {log.arsip} ({log.ukuran} bita, SHA-256 {log.sha256}).")
        )
