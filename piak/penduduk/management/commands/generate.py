from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from piak.penduduk.generator import city_write


class Command(BaseCommand):
    help = "Membuat ekspor SIAK sintetis Kota Palembang (CSV atau XLSX menurut ekstensi berkas)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--people", type=int, required=True, help="jumlah penduduk (baris)")
        parser.add_argument("--seed", type=int, default=1, help="benih acak; benih sama = berkas sama")
        parser.add_argument("--out", required=True, help="berkas keluaran .csv atau .xlsx")
        parser.add_argument("--defects", type=float, default=0.0, help="bagian baris yang diberi cacat realistis (0–1)")

    def handle(self, *args, people: int, seed: int, out: str, defects: float, **options) -> None:
        if people < 1 or not 0 <= defects <= 1:
            raise CommandError("--people harus ≥ 1 dan --defects antara 0 dan 1.")
        try:
            written = city_write(Path(out), people=people, seed=seed, defects=defects)
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{written} penduduk ditulis ke {out}")
