from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from piak.core.backup import vendor
from piak.core.errors import DomainError
from piak.core.services import backup_drill, backup_restore


class Command(BaseCommand):
    help = (
        "Memulihkan arsip cadangan ke instance KOSONG setelah seluruh manifest diperiksa; arsip terpotong, diubah "
        "atau asing ditolak tanpa mengubah tujuan. --drill: latihan pemulihan ke basis data dan folder sementara, "
        "lalu verify-audit dan verify-archive, hasilnya dicatat."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("arsip", type=Path, help="Berkas arsip cadangan (.tar.gz).")
        parser.add_argument("--drill", action="store_true", help="Latihan pemulihan ke instance sementara.")

    def handle(self, *args, arsip: Path, drill: bool, **options) -> None:
        if drill:
            log = backup_drill(arsip=arsip)
            if not log.berhasil:
                raise CommandError(f"Latihan pemulihan GAGAL: {log.pesan}")
            self.stdout.write(self.style.SUCCESS(f"Latihan pemulihan berhasil: {log.pesan}"))
            return
        try:
            log = backup_restore(arsip=arsip)
        except DomainError as error:
            raise CommandError(error.message) from error
        hint = (
            " Jalankan lagi `piak db-roles` (hak peran aplikasi tidak ikut dipulihkan)."
            if vendor() == "postgresql"
            else ""
        )
        self.stdout.write(self.style.SUCCESS(log.pesan + hint))
