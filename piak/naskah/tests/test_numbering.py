"""Final numbers: gapless per year, never duplicated, reserved blocks for paper work reconciled."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection

from piak.core.errors import DomainError, PermissionDeniedError, ValidationFailed
from piak.core.models import AuditEvent
from piak.naskah import selectors, services
from piak.naskah.models import Naskah, NomorCadangan

from .conftest import SNAPSHOT
from .helpers import passphrase_for


def _draft(permintaan, kasi) -> Naskah:
    return services.naskah_draft(permintaan=permintaan, by=kasi, snapshot=SNAPSHOT)


@pytest.mark.django_db
def test_numbers_follow_each_other_and_drafts_keep_their_provisional_number(permintaan, officials):
    kasi, kadis = officials["kasi"], officials["kadis"]
    letters = [_draft(permintaan, kasi) for _ in range(3)]
    for naskah in letters:
        services.naskah_sign(naskah=naskah, by=kadis, passphrase=passphrase_for(kadis))
    year = date.today().year
    assert [n.nomor for n in Naskah.objects.order_by("nomor_urut")] == [
        f"470/{seq:04d}/PIAK/{year}" for seq in (1, 2, 3)
    ]
    assert selectors.number_gaps(year) == []


@pytest.mark.django_db
def test_reserved_block_is_skipped_by_signatures_and_reconciled(permintaan, officials):
    kasi, kadis, kabid = officials["kasi"], officials["kadis"], officials["kabid"]
    services.naskah_sign(naskah=_draft(permintaan, kasi), by=kadis, passphrase=passphrase_for(kadis))
    blok = services.nomor_block_reserve(by=kabid, jumlah=3, alasan="Jaringan ke server terputus")
    assert (blok.mulai, blok.selesai) == (2, 4)
    after = _draft(permintaan, kasi)
    services.naskah_sign(naskah=after, by=kadis, passphrase=passphrase_for(kadis))
    after.refresh_from_db()
    assert after.nomor_urut == 5
    year = date.today().year
    assert selectors.number_gaps(year) == []  # reserved numbers count as accounted for

    first, second, third = NomorCadangan.objects.order_by("nomor_urut")
    services.nomor_reserved_use(
        nomor=first, by=kasi, perihal="Data penduduk untuk KPU", tujuan="Ketua KPU Kota Palembang",
        tanggal_surat=date.today(),
    )  # fmt: skip
    services.nomor_reserved_void(nomor=second, by=kabid, alasan="Tidak terpakai selama gangguan")
    statuses = [n.status for n in NomorCadangan.objects.order_by("nomor_urut")]
    assert statuses == ["dipakai", "batal", "tersedia"]
    ledger = selectors.number_ledger(year)
    assert [u.seq for u in ledger] == [1, 2, 3, 4, 5]
    assert ledger[1].keterangan == "Data penduduk untuk KPU"
    assert AuditEvent.objects.filter(action="naskah.blok_nomor_dipesan").count() == 1
    assert AuditEvent.objects.filter(action="naskah.nomor_cadangan_dipakai").count() == 1
    assert AuditEvent.objects.filter(action="naskah.nomor_cadangan_dibatalkan").count() == 1

    with pytest.raises(DomainError) as error:
        services.nomor_reserved_void(nomor=first, by=kabid, alasan="salah")
    assert error.value.code == "nomor_already_reconciled"
    with pytest.raises(ValidationFailed) as error:
        services.nomor_reserved_use(
            nomor=third, by=kasi, perihal="x", tujuan="y", tanggal_surat=date.today() + timedelta(days=1)
        )
    assert error.value.code == "nomor_reserved_bad_date"


@pytest.mark.django_db
@pytest.mark.parametrize("jumlah", [0, 101])
def test_block_size_is_bounded(officials, jumlah):
    with pytest.raises(ValidationFailed) as error:
        services.nomor_block_reserve(by=officials["kabid"], jumlah=jumlah, alasan="uji")
    assert error.value.code == "nomor_block_bad_size"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["staf", "kadis"])
def test_reserving_and_reconciling_need_the_permission(officials, who):
    with pytest.raises(PermissionDeniedError):
        services.nomor_block_reserve(by=officials[who], jumlah=2, alasan="uji")
    services.nomor_block_reserve(by=officials["sekretaris"], jumlah=1, alasan="uji")
    nomor = NomorCadangan.objects.get()
    with pytest.raises(PermissionDeniedError):
        services.nomor_reserved_void(nomor=nomor, by=officials[who], alasan="uji")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_signatures_get_fifty_consecutive_numbers(permintaan, officials):
    """Acceptance 4: 50 letters signed at once on PostgreSQL get 50 distinct, consecutive numbers."""
    kasi, kadis = officials["kasi"], officials["kadis"]
    letters = [_draft(permintaan, kasi) for _ in range(50)]
    phrase = passphrase_for(kadis)
    start = threading.Barrier(len(letters))
    errors: list[BaseException] = []

    def sign(naskah: Naskah) -> None:
        try:
            start.wait()
            services.naskah_sign(naskah=naskah, by=kadis, passphrase=phrase)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(n,)) for n in letters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = list(Naskah.objects.values_list("nomor_urut", "nomor"))
    assert sorted(seq for seq, _ in numbers) == list(range(1, 51))
    assert len({nomor for _, nomor in numbers}) == 50
    assert selectors.number_gaps(date.today().year) == []
