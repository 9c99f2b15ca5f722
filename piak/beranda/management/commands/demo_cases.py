from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from piak.beranda.demo import demo_cases_ensure


class Command(BaseCommand):
    help = "Mengisi riwayat berkas SOP demo (sepuluh minggu terakhir) bila belum ada berkas sama sekali."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Jalankan juga di luar instans demo (PIAK_DEMO), mis. di server uji."
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        if not settings.PIAK_DEMO and not force:
            raise CommandError(
                "Berkas demo hanya untuk pengembangan (instans demo, PIAK_DEMO). "
                "Gunakan --force bila memang diperlukan."
            )
        made = demo_cases_ensure()
        if made:
            self.stdout.write(f"{made} berkas demo dibuat.")
        else:
            self.stdout.write("Sudah ada berkas; berkas demo tidak dibuat.")
