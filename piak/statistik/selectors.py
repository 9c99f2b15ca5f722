"""Reads of the statistik app."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Q, QuerySet

from piak.core.errors import DomainError
from piak.wilayah.models import Kecamatan

from .models import IndicatorRun, IndicatorValue, Snapshot
from .services import file_sha256, snapshot_path

ValueKey = tuple[str, str, str, str]  # (indicator, region code, breakdown, category)
CITY = "16.71"


@dataclass(frozen=True)
class Part:
    """A region one level down from the scope: a row of the scope's tables and ranking."""

    code: str
    name: str
    area_km2: Decimal | None = None


@dataclass(frozen=True)
class Scope:
    """The region a report is about (the city or one kecamatan) and the regions its tables list."""

    code: str
    name: str  # "Kota Palembang", "Kecamatan Ilir Barat II"
    part_label: str  # "Kecamatan" or "Kelurahan": what the rows are
    parts: tuple[Part, ...]

    @property
    def is_city(self) -> bool:
        return self.code == CITY


def scope_city() -> Scope:
    parts = tuple(Part(k.kode, k.nama, k.luas_km2) for k in Kecamatan.objects.order_by("kode"))
    return Scope(CITY, "Kota Palembang", "Kecamatan", parts)


def scope_kecamatan(kode: str) -> Scope:
    kecamatan = Kecamatan.objects.filter(kode=kode).first()
    if kecamatan is None:
        raise DomainError(f"Kecamatan dengan kode {kode} tidak ada di Kota Palembang.", code="kecamatan_not_found")
    parts = tuple(Part(k.kode, k.nama) for k in kecamatan.kelurahan.order_by("kode"))
    return Scope(kecamatan.kode, f"Kecamatan {kecamatan.nama}", "Kelurahan", parts)


def snapshot_get(snapshot_id: int) -> Snapshot:
    snapshot = Snapshot.objects.filter(pk=snapshot_id).first()
    if snapshot is None:
        raise DomainError(f"Snapshot #{snapshot_id} tidak ada.", code="snapshot_not_found")
    return snapshot


def snapshot_latest() -> Snapshot:
    snapshot = Snapshot.objects.order_by("-tanggal_potong", "-id").first()
    if snapshot is None:
        raise DomainError("Belum ada snapshot.", code="snapshot_none")
    return snapshot


def real_snapshots_at(cutoff: date) -> QuerySet[Snapshot]:
    """Register snapshots at `cutoff` (never synthetic ones), newest first: what a data request may cite."""
    return Snapshot.objects.filter(tanggal_potong=cutoff, sintetis=False).order_by("-dibuat_pada", "-id")


def snapshot_for_headline() -> Snapshot | None:
    """The newest real snapshot; a synthetic one only where there is no real one (it then shows its stamp)."""
    newest = Snapshot.objects.order_by("sintetis", "-tanggal_potong", "-id")
    return newest.first()


def latest_run(snapshot: Snapshot) -> IndicatorRun | None:
    return snapshot.runs.order_by("-dihitung_pada", "-id").first()


class StoredValue(NamedTuple):
    nilai: Decimal | None
    pembilang: Decimal | None
    penyebut: Decimal | None
    faktor: Decimal
    catatan: str


def value_map(run: IndicatorRun, where: Q | None = None) -> dict[ValueKey, StoredValue]:
    """Stored values of a run, keyed for lookup (tuples, not model instances: tens of thousands)."""
    rows = IndicatorValue.objects.filter(where or Q(), run=run).values_list(
        "indikator",
        "kode_wilayah",
        "rincian",
        "kategori",
        "nilai",
        "pembilang",
        "penyebut",
        "faktor",
        "catatan",
    )
    return {(i, r, b, c): StoredValue(*rest) for i, r, b, c, *rest in rows.iterator(chunk_size=10000)}


def report_value_map(run: IndicatorRun, scope: Scope) -> dict[ValueKey, StoredValue]:
    """What the report shows. For the city: every breakdown for the city; per kecamatan the unbroken
    values and those by sex; per kelurahan the head counts and distribution (the annex). For a kecamatan:
    every breakdown for it, and per kelurahan the unbroken values and those by sex."""
    by_sex = ["", "jenis_kelamin"]
    if not scope.is_city:
        kelurahan_rows = Q(tingkat="kelurahan", kode_wilayah__startswith=f"{scope.code}.", rincian__in=by_sex)
        return value_map(run, Q(kode_wilayah=scope.code) | kelurahan_rows)
    kelurahan_rows = Q(
        tingkat="kelurahan", indikator__in=["jumlah_penduduk", "distribusi_penduduk"], rincian__in=by_sex
    )
    return value_map(run, Q(tingkat="kota") | Q(tingkat="kecamatan", rincian__in=by_sex) | kelurahan_rows)


@dataclass(frozen=True)
class SnapshotCheck:
    ok: bool
    problems: list[str]


def snapshot_verify(snapshot: Snapshot) -> SnapshotCheck:
    """Re-hash the snapshot's files: a changed, missing or replaced file is reported, never trusted."""
    problems = []
    files = [(snapshot.berkas, snapshot.sha256, "penduduk")]
    if snapshot.berkas_peristiwa:
        files.append((snapshot.berkas_peristiwa, snapshot.sha256_peristiwa, "peristiwa"))
    for relative, expected, what in files:
        path = snapshot_path(relative)
        if not path.exists():
            problems.append(f"berkas {what} hilang: {relative}")
        elif file_sha256(path) != expected:
            problems.append(f"berkas {what} berubah: SHA-256 tidak cocok dengan yang tercatat")
    return SnapshotCheck(not problems, problems)
