"""Freezing the live registry (piak.penduduk) into snapshot rows.

`snapshot_rows_from_registry(cutoff)` is the one seam between the population registry and statistics.
It returns the residents alive and present at `cutoff` in the `penduduk` schema, the period's events
in the `peristiwa` schema (statistik/schema.py) and what the snapshot reflects (imports, events).

Presence follows the registry's own rule: present from `hadir_sejak` (empty = before the register)
until the day before `hadir_sampai` (empty = still present). SIAK's BIODATA_WNI holds citizens only,
so every registry resident is WNI. Retired duplicates (status `ganda`) are never residents, and their
retirement (`data_ganda`) is a correction, not one of the events a snapshot counts.
"""

from datetime import date

import pyarrow as pa
from django.apps import apps
from django.db.models import Max, Q

from . import schema
from .services import semester_start

RESIDENT_FIELDS = [
    "keluarga__kelurahan_id", "keluarga_id", "jenis_kelamin", "tanggal_lahir", "agama", "pendidikan",
    "pekerjaan", "status_kawin", "shdk", "golongan_darah", "cacat", "status_ktp", "akta_lahir", "kia",
]  # fmt: skip


def _model(name: str):
    return apps.get_model("penduduk", name)


def completed_years(born: date | None, on: date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _residents(cutoff: date) -> pa.Table:
    present = (Q(hadir_sejak__isnull=True) | Q(hadir_sejak__lte=cutoff)) & (
        Q(hadir_sampai__isnull=True) | Q(hadir_sampai__gt=cutoff)
    )
    # A retired duplicate is left out whatever the cutoff: it was a second record of someone counted once.
    residents = _model("Penduduk").objects.filter(present).exclude(status="ganda")
    rows = residents.values_list(*RESIDENT_FIELDS).iterator(chunk_size=20000)
    columns: dict[str, list] = {name: [] for name in schema.PENDUDUK.names if name != "wilayah_no"}
    for kel, family, sex, born, agama, pend, kerja, kawin, shdk, darah, cacat, ktp, akta, kia in rows:
        for name, value in (
            ("kode_kecamatan", kel[:8]), ("kode_kelurahan", kel), ("keluarga_id", family),
            ("jenis_kelamin", sex), ("umur", completed_years(born, cutoff)), ("warga_negara", 1),
            ("agama", agama), ("pendidikan", pend), ("pekerjaan", kerja), ("status_kawin", kawin),
            ("shdk", shdk), ("golongan_darah", darah), ("disabilitas", cacat), ("status_ktp_el", ktp),
            ("akta_lahir", akta), ("kia", kia),
        ):  # fmt: skip
            columns[name].append(value)
    fields = [schema.PENDUDUK.field(name) for name in columns]
    return pa.table(columns, schema=pa.schema(fields))


def _events(start: date, cutoff: date) -> pa.Table:
    rows = (
        _model("Peristiwa")
        .objects.filter(tanggal_peristiwa__range=(start, cutoff), jenis__in=schema.EVENT_KINDS)
        .values_list("kelurahan_id", "jenis", "penduduk__jenis_kelamin", "tanggal_peristiwa", "tanggal_lapor")
    )
    names = ["kode_kelurahan", "jenis", "jenis_kelamin", "tanggal_peristiwa", "tanggal_lapor"]
    columns: dict[str, list] = {name: [] for name in ["kode_kecamatan", *names]}
    for row in rows.iterator(chunk_size=20000):
        columns["kode_kecamatan"].append(row[0][:8])
        for name, value in zip(names, row, strict=True):
            columns[name].append(value)
    fields = [schema.PERISTIWA.field(name) for name in columns]
    return pa.table(columns, schema=pa.schema(fields))


def _reflected(cutoff: date) -> dict:
    """What the snapshot reflects: the finished imports and the events recorded up to now."""
    impor = _model("Impor").objects.filter(status="selesai").order_by("id")
    events = _model("Peristiwa").objects.filter(tanggal_peristiwa__lte=cutoff)
    return {
        "asal": "register",
        "impor": list(impor.values_list("id", flat=True)),
        "peristiwa_sampai_id": events.aggregate(last=Max("id"))["last"],
        "jumlah_peristiwa_sampai_potong": events.count(),
    }


def snapshot_rows_from_registry(cutoff: date) -> tuple[pa.Table, pa.Table, dict]:
    """(residents, events of the semester, what they reflect) for a snapshot at `cutoff`."""
    return _residents(cutoff), _events(semester_start(cutoff), cutoff), _reflected(cutoff)
