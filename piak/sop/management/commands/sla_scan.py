from django.core.management.base import BaseCommand

from piak.sop.services import sla_scan


class Command(BaseCommand):
    help = (
        "Memeriksa standar waktu setiap langkah yang terbuka: memberi peringatan kepada pelaksana (80 %) dan "
        "memberi tahu atasan bila terlambat. Cocok untuk cron; --jadwalkan menaruh pemeriksaan berkala di antrean."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--jadwalkan", action="store_true", help="Antrekan pemeriksaan berkala untuk worker.")

    def handle(self, *args, jadwalkan: bool = False, **options) -> None:
        if jadwalkan:
            from piak.sop.tasks import sla_scan_schedule

            queued = sla_scan_schedule()
            self.stdout.write(
                "Pemeriksaan standar waktu berkala diantrekan (setiap 5 menit)."
                if queued
                else "Pemeriksaan standar waktu berkala sudah ada di antrean."
            )
            return
        counts = sla_scan()
        self.stdout.write(f"Pemberitahuan baru: {counts['peringatan']} peringatan, {counts['terlambat']} terlambat.")
