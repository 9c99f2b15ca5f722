"""Reads of the statistik app."""

from dataclasses import dataclass

from piak.core.errors import DomainError

from .models import IndicatorRun, IndicatorValue, Snapshot
from .services import file_sha256, snapshot_path

ValueKey = tuple[str, str, str, str]  # (indicator, region code, breakdown, category)


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


def latest_run(snapshot: Snapshot) -> IndicatorRun | None:
    return snapshot.runs.order_by("-dihitung_pada", "-id").first()


def value_map(run: IndicatorRun) -> dict[ValueKey, IndicatorValue]:
    return {
        (v.indikator, v.kode_wilayah, v.rincian, v.kategori): v
        for v in IndicatorValue.objects.filter(run=run).iterator(chunk_size=5000)
    }


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
