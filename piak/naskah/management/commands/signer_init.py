from django.conf import settings
from django.core.management.base import BaseCommand

from piak.naskah.signing import local_ca_ensure


class Command(BaseCommand):
    help = (
        "Menyiapkan CA lokal dan sertifikat kantor untuk tanda tangan elektronik (pengembangan/uji; "
        "produksi memakai BSrE). Aman dijalankan berulang: sertifikat yang ada tidak diganti."
    )

    def handle(self, *args, **options) -> None:
        directory = settings.PIAK_SIGNER_DIR
        if local_ca_ensure(directory):
            self.stdout.write(self.style.SUCCESS(f"CA lokal dan sertifikat kantor dibuat di {directory}."))
        else:
            self.stdout.write(f"Sertifikat penandatangan sudah ada di {directory}; tidak diubah.")
