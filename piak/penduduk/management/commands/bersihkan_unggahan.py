from django.conf import settings
from django.core.management.base import BaseCommand

from piak.penduduk.services import unggahan_bersihkan


class Command(BaseCommand):
    help = (
        "Menghapus berkas unggahan impor yang sudah selesai atau gagal dan lebih tua dari masa simpan "
        "(PIAK_IMPOR_RETENSI_HARI), serta sisa unggahan yang terputus. Laporan impor tetap disimpan. Untuk cron."
    )

    def handle(self, *args, **options):
        cleaned = unggahan_bersihkan()
        days = settings.PIAK_IMPOR_RETENSI_HARI
        self.stdout.write(f"{len(cleaned)} berkas impor dihapus (masa simpan {days} hari).")
