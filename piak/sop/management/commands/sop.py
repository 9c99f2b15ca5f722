from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from piak.sop.definition import DefinitionInvalid, definition_parse, shipped_definitions


class Command(BaseCommand):
    help = "Definisi SOP: 'check [BERKAS]' memeriksa definisi, 'render KODE --out BERKAS.pdf' mencetak dokumen SOP."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="perintah", required=True)
        check = sub.add_parser("check", help="Periksa definisi SOP (tanpa BERKAS: SOP bawaan PIAK).")
        check.add_argument("berkas", nargs="*", help="Berkas YAML yang diperiksa.")
        render = sub.add_parser("render", help="Cetak dokumen SOP resmi (PDF) versi yang berlaku.")
        render.add_argument("kode", help="Kode SOP, mis. sop-1.")
        render.add_argument("--out", required=True, help="Berkas PDF keluaran.")

    def handle(self, *args, perintah: str, **options) -> None:
        if perintah == "check":
            self._check(options["berkas"])
        else:
            self._render(options["kode"], Path(options["out"]))

    def _check(self, paths: list[str]) -> None:
        texts = {p: Path(p).read_text(encoding="utf-8") for p in paths} if paths else shipped_definitions()
        failures = []
        for name, text in texts.items():
            try:
                definition = definition_parse(text)
            except DefinitionInvalid as error:
                failures.append(f"{name}: TIDAK SAH\n" + "\n".join(f"  - {e}" for e in error.errors))
                continue
            self.stdout.write(f"{name}: sah ({definition.kode}, {len(definition.langkah)} langkah)")
        if failures:
            raise CommandError("\n".join(failures))

    def _render(self, kode: str, out: Path) -> None:
        from piak.sop.document import sop_document_pdf
        from piak.sop.models import SopVersion

        version = SopVersion.objects.filter(kode=kode).order_by("-nomor_versi").first()
        if version is None:
            raise CommandError(f"SOP '{kode}' tidak ditemukan.")
        out.write_bytes(sop_document_pdf(version))
        self.stdout.write(f"Dokumen {kode} versi {version.nomor_versi} ditulis ke {out}")
