import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from piak.penduduk.impor.reader import ENCODINGS, UTF8
from piak.penduduk.progress import ProgressBar
from piak.penduduk.services import penduduk_import


class Command(BaseCommand):
    help = (
        "Mengimpor ekspor penduduk SIAK (CSV/XLSX). Kode keluar: 0 semua baris diterapkan, "
        "1 ada baris ditolak, 2 berkas tidak terbaca."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument("--skip-invalid", action="store_true", help="simpan baris yang sah, laporkan sisanya")
        parser.add_argument("--report", help="tulis laporan ke berkas .csv atau .xlsx")
        parser.add_argument("--progress", action="store_true", help="tampilkan kemajuan walau bukan terminal")
        parser.add_argument(
            "--encoding",
            choices=ENCODINGS,
            default=UTF8,
            help="pengodean CSV bila berkas bukan UTF-8 yang sah (bawaan utf-8: berkas seperti itu ditolak)",
        )

    def handle(
        self, *args, file: str, skip_invalid: bool, report: str | None, progress: bool, encoding: str, **options
    ):
        result = penduduk_import(
            path=Path(file),
            skip_invalid=skip_invalid,
            encoding=encoding,
            report_path=Path(report) if report else None,
            progress=ProgressBar(sys.stderr, force=progress),
        )
        for issue in result.issues[:20]:
            self.stderr.write(f"baris {issue.baris} {issue.kolom}: [{issue.kode}] {issue.pesan}")
        if len(result.issues) > 20:
            self.stderr.write(f"… dan {len(result.issues) - 20} catatan lain (lihat --report).")
        if result.rejected and not skip_invalid:
            self.stderr.write("Tidak ada yang disimpan: perbaiki baris yang ditolak atau pakai --skip-invalid.")
        self.stdout.write(result.summary_line())
        sys.exit(result.exit_code)
