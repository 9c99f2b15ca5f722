from django.core.management.base import BaseCommand, CommandError

from piak.core.audit import audit_chain_verify


class Command(BaseCommand):
    help = (
        "Memeriksa keutuhan rantai jejak audit, juga terhadap checkpoint bertanda tangan di luar basis data; "
        "gagal dengan menyebut setiap peristiwa yang rusak, baris yang dipalsukan, dan pemotongan rantai."
    )

    def handle(self, *args, **options) -> None:
        report = audit_chain_verify()
        against = f", dicocokkan dengan checkpoint #{report.checkpoint_seq}" if report.checkpoint_seq else ""
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(f"- {problem}")
            raise CommandError(
                f"Rantai audit RUSAK pada peristiwa #{report.broken_seq}: {report.reason} "
                f"({report.checked} peristiwa diperiksa{against})."
            )
        self.stdout.write(self.style.SUCCESS(f"Rantai audit utuh: {report.checked} peristiwa diperiksa{against}."))
