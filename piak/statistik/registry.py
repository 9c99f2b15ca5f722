"""Freezing the live registry (piak.penduduk) into snapshot rows.

`snapshot_rows_from_registry(cutoff)` is the one seam between the population registry and statistics:
it must return the residents alive and present at `cutoff` in the `penduduk` schema, and the period's
events in the `peristiwa` schema (statistik/schema.py). The registry models (Penduduk, Keluarga,
Peristiwa) are being built on another branch; until they are merged this function says so plainly
instead of guessing at their fields. Snapshots can meanwhile be made from a Parquet export or from
synthetic data (`piak snapshot --parquet` / `--sintetis`).
"""

from datetime import date

import pyarrow as pa
from django.apps import apps

from piak.core.errors import DomainError


def snapshot_rows_from_registry(cutoff: date) -> tuple[pa.Table, pa.Table]:
    try:
        apps.get_model("penduduk", "Penduduk")
    except LookupError:
        raise DomainError(
            "Register penduduk belum tersedia di sistem ini; buat snapshot dari berkas Parquet "
            "(--parquet) atau data sintetis (--sintetis).",
            code="registry_not_ready",
        ) from None
    raise DomainError("Pembekuan dari register penduduk belum disambungkan.", code="registry_not_wired")
