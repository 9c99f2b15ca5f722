from django.core.management.base import BaseCommand
from django.utils import timezone

from piak.core import events
from piak.core.models import DayOff
from piak.core.services import day_off_set
from piak.core.worktime import cuti_bersama
from piak.penduduk.services import kode_referensi_load
from piak.wilayah.services import wilayah_load


def cuti_bersama_seed(year: int) -> int:
    """Seed a year's cuti bersama once; a year the admin already edited is left alone."""
    if DayOff.objects.filter(tanggal__year=year).exists():
        return 0
    days = cuti_bersama(year)
    for tanggal, nama in days.items():
        day_off_set(tanggal=tanggal, nama=nama)
    return len(days)


class Command(BaseCommand):
    help = "Memuat data referensi: wilayah Kota Palembang, tabel kode penduduk, dan cuti bersama."

    def handle(self, *args, **options) -> None:
        counts = wilayah_load()
        counts["kode_referensi"] = kode_referensi_load()
        year = timezone.localdate().year
        counts["cuti_bersama"] = sum(cuti_bersama_seed(y) for y in (year, year + 1))
        events.reference_loaded(counts)
        self.stdout.write(
            f"Data referensi dimuat: {counts['kecamatan']} kecamatan, {counts['kelurahan']} kelurahan, "
            f"{counts['kode_referensi']} kode referensi, {counts['cuti_bersama']} cuti bersama baru."
        )
