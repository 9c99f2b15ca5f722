from django.core.management.base import BaseCommand, CommandError

from piak.core.audit import audit_chain_verify


class Command(BaseCommand):
    help = "Memeriksa keutuhan rantai jejak audit; gagal dengan menyebut peristiwa pertama yang rusak."

    def handle(self, *args, **options) -> None:
        report = audit_chain_verify()
        if not report.ok:
            raise CommandError(
                f"Rantai audit RUSAK pada peristiwa #{report.broken_seq}: {report.reason} "
                f"({report.checked} peristiwa sebelumnya utuh)."
            )
        self.stdout.write(self.style.SUCCESS(f"Rantai audit utuh: {report.checked} peristiwa diperiksa."))
