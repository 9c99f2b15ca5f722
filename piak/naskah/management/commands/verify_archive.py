from django.core.management.base import BaseCommand, CommandError

from piak.naskah.selectors import stored_file_problem, stored_files


class Command(BaseCommand):
    help = "Memeriksa ulang kode hash setiap berkas naskah, lampiran dan arsip; gagal pada berkas rusak pertama."

    def handle(self, *args, **options) -> None:
        checked = 0
        for stored in stored_files():
            problem = stored_file_problem(stored)
            if problem:
                raise CommandError(
                    f"Berkas RUSAK: {stored.label} ({stored.file.name}): {problem}. {checked} berkas sebelumnya utuh."
                )
            checked += 1
        self.stdout.write(self.style.SUCCESS(f"Arsip utuh: {checked} berkas diperiksa."))
