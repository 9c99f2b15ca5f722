from datetime import date

import duckdb
import pytest

from piak.core import roles
from piak.core.errors import PermissionDeniedError, ValidationFailed
from piak.core.models import AuditEvent
from piak.statistik.models import Snapshot
from piak.statistik.selectors import snapshot_verify
from piak.statistik.services import snapshot_create, snapshot_path

from .conftest import CURRENT, EVENTS, events_table, residents


def test_snapshot_freezes_rows_with_count_hash_and_audit(db, snapshot_dir, make_official):
    kasi = make_official("kasi", roles.KASI_PPD)
    snapshot = snapshot_create(
        cutoff=date(2026, 6, 30),
        penduduk=residents(CURRENT),
        peristiwa=events_table(EVENTS),
        sumber={"impor": [12]},
        by=kasi,
    )
    assert snapshot.jumlah_baris == 15
    assert snapshot.jumlah_peristiwa == 5  # the December birth is outside the period
    assert snapshot.periode_mulai == date(2026, 1, 1)
    path = snapshot_path(snapshot.berkas)
    assert duckdb.sql(f"SELECT count(*) FROM read_parquet('{path}')").fetchall() == [(15,)]
    assert snapshot_verify(snapshot).ok
    event = AuditEvent.objects.get(action="statistik.snapshot_created")
    assert (event.actor, event.role, event.document_hash) == (kasi, roles.KASI_PPD, snapshot.sha256)


def test_verify_finds_a_changed_or_missing_file(db, snapshot_dir):
    snapshot = snapshot_create(cutoff=date(2026, 6, 30), penduduk=residents(CURRENT), peristiwa=events_table(EVENTS))
    path = snapshot_path(snapshot.berkas)
    data = bytearray(path.read_bytes())
    data[100] ^= 1
    path.write_bytes(bytes(data))
    snapshot_path(snapshot.berkas_peristiwa).unlink()
    check = snapshot_verify(snapshot)
    assert not check.ok
    assert any("penduduk berubah" in p for p in check.problems)
    assert any("peristiwa hilang" in p for p in check.problems)


def test_snapshot_is_immutable(db, snapshot_dir):
    snapshot = snapshot_create(cutoff=date(2026, 6, 30), penduduk=residents(CURRENT))
    snapshot.jumlah_baris = 1
    with pytest.raises(ValueError, match="immutable"):
        snapshot.save()
    assert Snapshot.objects.get().jumlah_baris == 15


def test_staff_may_not_create_a_snapshot(db, snapshot_dir, make_official):
    staf = make_official("staf", roles.STAF)
    with pytest.raises(PermissionDeniedError):
        snapshot_create(cutoff=date(2026, 6, 30), penduduk=residents(CURRENT), by=staf)
    assert not Snapshot.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"cutoff": date(2999, 1, 1)}, "snapshot_future_date"),
        ({"period_start": date(2026, 7, 1)}, "snapshot_bad_period"),
        ({"penduduk": residents([])}, "snapshot_empty"),
        ({"penduduk": residents(CURRENT).drop_columns(["umur"])}, "snapshot_missing_column"),
        ({"penduduk": residents([("16.71.01.1999", *CURRENT[0][1:])])}, "snapshot_unknown_region"),
    ],
)
def test_bad_input_is_refused_with_a_clear_error(db, snapshot_dir, kwargs, code):
    arguments = {"cutoff": date(2026, 6, 30), "penduduk": residents(CURRENT)} | kwargs
    with pytest.raises(ValidationFailed) as error:
        snapshot_create(**arguments)
    assert error.value.code == code
    assert not Snapshot.objects.exists()
