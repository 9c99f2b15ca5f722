from django.conf import settings
from django.core.management.base import BaseCommand

from piak.penduduk.services import unggahan_bersihkan


class Command(BaseCommand):
    help = (
        "Menghapus berkas unggahan impor yang sudah selesai atau gagal dan lebih tua dari masa simpan "
        "(PIAK_IMPOR_RETENSI_HARI), serta sisa unggahan yang terputus. Laporan impor tetap disimpan. "
        "--jadwalkan menaruh pembersihan harian di antrean worker."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--jadwalkan", action="store_true", help="Antrekan pembersihan harian untuk worker.")

    def handle(self, *args, jadwalkan: bool = False, **options):
        if jadwalkan:
            from piak.core.tasks import daily_task_schedule
            from piak.penduduk.tasks import unggahan_bersihkan_task

            queued = daily_task_schedule(unggahan_bersihkan_task)
            self.stdout.write(
                "Pembersihan unggahan harian diantrekan." if queued else "Pembersihan harian sudah ada di antrean."
            )
            return
        cleaned = unggahan_bersihkan()
        days = settings.PIAK_IMPOR_RETENSI_HARI
        self.stdout.write(f"{len(cleaned)} berkas impor dihapus (masa simpan {days} hari).")
