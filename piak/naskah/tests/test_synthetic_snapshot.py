"""No letter may cite a synthetic snapshot, however the reference reaches `naskah_draft`."""

from datetime import date

import pytest

from piak.core.errors import DomainError
from piak.naskah import services
from piak.naskah.models import Naskah

from .conftest import SNAPSHOT


def test_a_reference_marked_synthetic_is_refused(officials, permintaan):
    marked = services.SnapshotRef(SNAPSHOT.ref, SNAPSHOT.tanggal, SNAPSHOT.baris, SNAPSHOT.sha256, sintetis=True)
    with pytest.raises(DomainError) as refused:
        services.naskah_draft(permintaan=permintaan, by=officials["kasi"], snapshot=marked)
    assert refused.value.code == "naskah_synthetic_snapshot"
    assert "data sintetis" in refused.value.message
    assert not Naskah.objects.exists()


def test_a_typed_reference_to_a_synthetic_snapshot_is_refused_by_its_checksum(
    officials, permintaan, settings, tmp_path
):
    from piak.statistik.services import snapshot_create_synthetic

    settings.PIAK_SNAPSHOT_DIR = tmp_path / "snapshot"
    settings.PIAK_DEMO = True
    synthetic = snapshot_create_synthetic(cutoff=date(2026, 6, 30), people=500)
    settings.PIAK_DEMO = False
    typed = services.SnapshotRef("SNAP-MANUAL", synthetic.tanggal_potong, synthetic.jumlah_baris, synthetic.sha256)
    with pytest.raises(DomainError) as refused:
        services.naskah_draft(permintaan=permintaan, by=officials["kasi"], snapshot=typed)
    assert refused.value.code == "naskah_synthetic_snapshot"
    assert not Naskah.objects.exists()


def test_a_real_reference_is_drafted(officials, permintaan):
    naskah = services.naskah_draft(permintaan=permintaan, by=officials["kasi"], snapshot=SNAPSHOT)
    assert naskah.snapshot_sha256 == SNAPSHOT.sha256
