import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from piak.core.errors import DomainError
from piak.statistik.export import values_csv, values_json, values_xlsx
from piak.statistik.selectors import latest_run, snapshot_get, snapshot_latest
from piak.statistik.services import indicators_compute


class Command(BaseCommand):
    help = "Mengekspor nilai indikator sebuah snapshot (JSON, CSV atau XLSX); menghitungnya bila belum."

    def add_arguments(self, parser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--snapshot", type=int, metavar="ID")
        which.add_argument("--latest", action="store_true", help="snapshot dengan tanggal potong terakhir")
        parser.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
        parser.add_argument("--output", "-o", help="berkas keluaran (bawaan: layar; wajib untuk xlsx)")

    def handle(self, *args, **options) -> None:
        try:
            snapshot = snapshot_latest() if options["latest"] else snapshot_get(options["snapshot"])
            run = latest_run(snapshot) or indicators_compute(snapshot=snapshot)
        except DomainError as error:
            raise CommandError(f"{error.message} [{error.code}]") from error
        output = options["output"]
        if options["format"] == "xlsx":
            if not output:
                raise CommandError("Format xlsx membutuhkan --output BERKAS.xlsx")
            Path(output).write_bytes(values_xlsx(run))
        else:
            text = values_json(run) if options["format"] == "json" else values_csv(run)
            if output:
                Path(output).write_text(text, encoding="utf-8")
            else:
                sys.stdout.write(text)
        if output:
            self.stderr.write(f"Ditulis: {output} ({run.jumlah_nilai} nilai, snapshot #{snapshot.pk})")
