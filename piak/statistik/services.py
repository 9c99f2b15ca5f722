"""Writes of the statistik app: creating snapshots and computing their indicators."""

import hashlib
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from piak.core.audit import Actor
from piak.core.errors import DomainError, PermissionDeniedError, ValidationFailed
from piak.core.models import User
from piak.core.permissions import PERMISSIONS, user_may
from piak.core.selectors import roles_of_user_on
from piak.wilayah.models import Kecamatan, Kelurahan

from . import events, schema
from .definitions import Definitions, default_definitions
from .engine import KECAMATAN, KELURAHAN, PopulationSource, Region, ValueRow, compute_indicators
from .models import IndicatorRun, IndicatorValue, Snapshot
from .permissions import SNAPSHOT_CREATE
from .synthetic import synthetic_events, synthetic_population


def snapshot_dir() -> Path:
    return Path(getattr(settings, "PIAK_SNAPSHOT_DIR", settings.DATA_DIR / "snapshot"))


def snapshot_path(relative: str) -> Path:
    return snapshot_dir() / relative


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def semester_start(cutoff: date) -> date:
    """The first day of the half-year the cut-off falls in: events are counted from there."""
    return date(cutoff.year, 1 if cutoff.month <= 6 else 7, 1)


def acting_actor(user: User | None, permission: str) -> Actor:
    """The audit actor for `user` acting under `permission`: the role that grants it, and Plt/Plh."""
    if user is None:
        return Actor(None)
    _, granting = PERMISSIONS[permission]
    for holding in roles_of_user_on(user=user, on=timezone.localdate()):
        if holding.role_id in granting:
            return Actor(user, holding.role_id, "" if not holding.is_acting else holding.capacity)
    return Actor(user)


def _require(user: User | None, permission: str) -> None:
    """A user acting through the web or API must hold the permission; `None` is the operator's shell."""
    if user is not None and not user_may(user, permission):
        raise PermissionDeniedError("Anda tidak berwenang melakukan tindakan ini.", code="permission_denied")


def _check_regions(table: pa.Table, what: str) -> None:
    known = set(Kelurahan.objects.values_list("kode", flat=True))
    pairs = table.group_by(["kode_kecamatan", "kode_kelurahan"]).aggregate([]).to_pylist()
    bad = sorted(
        p["kode_kelurahan"]
        for p in pairs
        if p["kode_kelurahan"] not in known or not p["kode_kelurahan"].startswith(p["kode_kecamatan"] + ".")
    )
    if bad:
        raise ValidationFailed(
            f"Data {what} memuat kode kelurahan yang bukan wilayah Kota Palembang: {', '.join(bad[:5])}.",
            code="snapshot_unknown_region",
        )


def _events_in_period(table: pa.Table, start: date, end: date) -> pa.Table:
    when = table.column("tanggal_peristiwa")
    inside = pc.and_(pc.greater_equal(when, pa.scalar(start)), pc.less_equal(when, pa.scalar(end)))
    return table.filter(inside)


@transaction.atomic
def snapshot_create(
    *,
    cutoff: date,
    penduduk: pa.Table,
    peristiwa: pa.Table | None = None,
    period_start: date | None = None,
    sumber: dict | None = None,
    sintetis: bool = False,
    by: User | None = None,
) -> Snapshot:
    """Freeze `penduduk` (and the period's `peristiwa`) as Parquet, hash them and record the snapshot.
    `sintetis`: the rows were generated, not taken from the register (a demo instance only)."""
    _require(by, SNAPSHOT_CREATE)
    if sintetis:
        _require_demo_instance()
    if cutoff > timezone.localdate():
        raise ValidationFailed("Tanggal potong tidak boleh di masa depan.", code="snapshot_future_date")
    period_start = period_start or semester_start(cutoff)
    if period_start > cutoff:
        raise ValidationFailed("Awal periode peristiwa harus sebelum tanggal potong.", code="snapshot_bad_period")
    residents = schema.conform(penduduk, schema.PENDUDUK, "penduduk")
    if residents.num_rows == 0:
        raise ValidationFailed("Tidak ada penduduk untuk dibekukan.", code="snapshot_empty")
    _check_regions(residents, "penduduk")
    folder = f"{cutoff:%Y-%m-%d}-{uuid.uuid4().hex[:12]}"
    resident_file = f"{folder}/penduduk.parquet"
    schema.write_parquet(residents, snapshot_path(resident_file))
    snapshot = Snapshot(
        tanggal_potong=cutoff,
        periode_mulai=period_start,
        berkas=resident_file,
        jumlah_baris=residents.num_rows,
        sha256=file_sha256(snapshot_path(resident_file)),
        versi_skema=schema.SCHEMA_VERSION,
        sumber=sumber or {},
        sintetis=sintetis,
        dibuat_oleh=by,
    )
    if peristiwa is not None:
        moved = _events_in_period(schema.conform(peristiwa, schema.PERISTIWA, "peristiwa"), period_start, cutoff)
        _check_regions(moved, "peristiwa")
        snapshot.berkas_peristiwa = f"{folder}/peristiwa.parquet"
        schema.write_parquet(moved, snapshot_path(snapshot.berkas_peristiwa))
        snapshot.jumlah_peristiwa = moved.num_rows
        snapshot.sha256_peristiwa = file_sha256(snapshot_path(snapshot.berkas_peristiwa))
    snapshot.save(force_insert=True)
    events.snapshot_created(snapshot, acting_actor(by, SNAPSHOT_CREATE))
    return snapshot


def _require_demo_instance() -> None:
    if not settings.PIAK_DEMO:
        raise DomainError(
            "Snapshot data sintetis hanya dapat dibuat pada instans demo (PIAK_DEMO). "
            "Instans ini memuat data resmi: bekukan snapshot dari register penduduk.",
            code="snapshot_synthetic_not_demo",
        )


def snapshot_create_synthetic(*, cutoff: date, people: int, by: User | None = None) -> Snapshot:
    """A snapshot of `people` generated residents and their semester's events (demo instances only).
    Not atomic itself: the demo check comes before generating the rows; `snapshot_create` writes."""
    _require(by, SNAPSHOT_CREATE)
    _require_demo_instance()
    seed = cutoff.toordinal()
    return snapshot_create(
        cutoff=cutoff,
        penduduk=synthetic_population(people, seed=seed),
        peristiwa=synthetic_events(people, start=semester_start(cutoff), end=cutoff, seed=seed),
        sumber={"asal": "sintetis", "penduduk": people},
        sintetis=True,
        by=by,
    )


@transaction.atomic
def snapshot_freeze_register(*, cutoff: date, by: User | None = None) -> Snapshot:
    """The register's residents present at `cutoff` and the semester's events, frozen as a snapshot."""
    from .registry import snapshot_rows_from_registry  # registry reads services' semester_start

    penduduk, peristiwa, sumber = snapshot_rows_from_registry(cutoff)
    return snapshot_create(cutoff=cutoff, penduduk=penduduk, peristiwa=peristiwa, sumber=sumber, by=by)


def _source(snapshot: Snapshot) -> PopulationSource:
    return PopulationSource(
        penduduk=snapshot_path(snapshot.berkas),
        cutoff=snapshot.tanggal_potong,
        peristiwa=snapshot_path(snapshot.berkas_peristiwa) if snapshot.berkas_peristiwa else None,
        period_start=snapshot.periode_mulai,
    )


def _one_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def previous_snapshots(snapshot: Snapshot) -> dict[str, Snapshot]:
    """The latest snapshots at the previous semester's end and one year before, where they exist."""
    wanted = {
        "semester": snapshot.periode_mulai - timedelta(days=1),
        "tahun": _one_year_before(snapshot.tanggal_potong),
    }
    found = {}
    for which, cutoff in wanted.items():
        previous = Snapshot.objects.filter(tanggal_potong=cutoff).exclude(pk=snapshot.pk).first()
        if previous is not None:
            found[which] = previous
    return found


def regions_from_wilayah() -> list[Region]:
    regions = []
    for kec in Kecamatan.objects.order_by("kode"):
        note = kec.luas_catatan or ("luas belum pasti" if kec.luas_kepastian == "uncertain" else "")
        regions.append(Region(KECAMATAN, kec.kode, kec.luas_km2, kec.luas_basis, note))
    regions += [Region(KELURAHAN, code) for code in Kelurahan.objects.order_by("kode").values_list("kode", flat=True)]
    return regions


_VALUE_COLUMNS = [
    "run_id", "indikator", "tingkat", "kode_wilayah", "rincian", "kategori",
    "nilai", "pembilang", "penyebut", "faktor", "catatan",
]  # fmt: skip


def _values_insert(run: IndicatorRun, rows: list[ValueRow]) -> None:
    """Tens of thousands of rows per run: a plain executemany, not the ORM's per-object bulk_create
    (ten times slower here). Values are exactly the model's fields; Decimal is adapted by both drivers."""
    table = connection.ops.quote_name(IndicatorValue._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _VALUE_COLUMNS)
    placeholders = ", ".join(["%s"] * len(_VALUE_COLUMNS))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
    params = [(run.pk, *row[:5], row.value, row.numerator, row.denominator, row.factor, row.note) for row in rows]
    with connection.cursor() as cursor:
        for start in range(0, len(params), 5000):
            cursor.executemany(sql, params[start : start + 5000])


@transaction.atomic
def indicators_compute(
    *, snapshot: Snapshot, by: User | None = None, definitions: Definitions | None = None
) -> IndicatorRun:
    """Compute every definition for `snapshot` (city, kecamatan, kelurahan) and store the values."""
    _require(by, SNAPSHOT_CREATE)
    definitions = definitions or default_definitions()
    started = time.perf_counter()
    rows = compute_indicators(
        definitions=definitions,
        source=_source(snapshot),
        regions=regions_from_wilayah(),
        previous={which: _source(prev) for which, prev in previous_snapshots(snapshot).items()},
    )
    run = IndicatorRun.objects.create(
        snapshot=snapshot,
        definisi_sha256=definitions.sha256,
        definisi_versi=definitions.version,
        jumlah_nilai=len(rows),
        dihitung_oleh=by,
    )
    _values_insert(run, rows)
    run.durasi_ms = int((time.perf_counter() - started) * 1000)
    run.save(update_fields=["durasi_ms"])
    events.indicators_computed(run, acting_actor(by, SNAPSHOT_CREATE))
    return run
