from datetime import date

import pyarrow.parquet as pq
from django.core.management.base import BaseCommand, CommandError

from piak.core.errors import DomainError
from piak.statistik.services import (
    indicators_compute,
    snapshot_create,
    snapshot_create_synthetic,
    snapshot_freeze_register,
)


class Command(BaseCommand):
    help = "Membekukan penduduk pada tanggal potong menjadi snapshot (Parquet) dan menghitung indikatornya."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", required=True, type=date.fromisoformat, help="tanggal potong YYYY-MM-DD")
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--parquet", help="berkas Parquet penduduk (skema statistik/schema.py)")
        source.add_argument("--sintetis", type=int, metavar="N", help="N penduduk sintetis (hanya instans demo)")
        parser.add_argument("--peristiwa", help="berkas Parquet peristiwa (bersama --parquet)")
        parser.add_argument("--tanpa-indikator", action="store_true", help="jangan hitung indikator")

    def handle(self, *args, **options) -> None:
        cutoff = options["date"]
        try:
            snapshot = self._snapshot(cutoff, options)
            self.stdout.write(
                f"Snapshot #{snapshot.pk}: {snapshot.jumlah_baris} penduduk, {snapshot.jumlah_peristiwa} "
                f"peristiwa, SHA-256 {snapshot.sha256}"
            )
            if snapshot.stamp:
                self.stdout.write(snapshot.stamp)
            if not options["tanpa_indikator"]:
                run = indicators_compute(snapshot=snapshot)
                self.stdout.write(f"Indikator dihitung: {run.jumlah_nilai} nilai dalam {run.durasi_ms} ms.")
        except DomainError as error:
            raise CommandError(f"{error.message} [{error.code}]") from error

    def _snapshot(self, cutoff: date, options):
        if options["sintetis"] is not None:
            return snapshot_create_synthetic(cutoff=cutoff, people=options["sintetis"])
        if options["parquet"]:
            try:
                penduduk = pq.read_table(options["parquet"])
                peristiwa = pq.read_table(options["peristiwa"]) if options["peristiwa"] else None
            except (OSError, ValueError) as error:
                raise CommandError(f"Berkas Parquet tidak dapat dibaca: {error}") from error
            sumber = {"asal": "parquet", "berkas": options["parquet"]}
            return snapshot_create(cutoff=cutoff, penduduk=penduduk, peristiwa=peristiwa, sumber=sumber)
        return snapshot_freeze_register(cutoff=cutoff)
