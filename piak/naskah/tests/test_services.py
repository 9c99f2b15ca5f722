"""Data requests, drafts and signature: rules, refusals and the audit trail."""

import hashlib
from datetime import date, timedelta

import pytest

from piak.core import roles
from piak.core.errors import DomainError, PermissionDeniedError, ValidationFailed
from piak.core.models import AuditEvent
from piak.core.testing import acting_appoint_confirmed
from piak.naskah import services
from piak.naskah.models import Naskah, PermintaanData

from .conftest import SNAPSHOT, attachments
from .helpers import passphrase_for

pytestmark = pytest.mark.django_db

REQUEST = {
    "instansi": "Bappeda Kota Palembang",
    "jabatan_tujuan": "Kepala Bappeda Kota Palembang",
    "nomor_surat": "050/123/Bappeda/2026",
    "tanggal_surat": date(2026, 11, 2),
    "keperluan": "perencanaan pembangunan",
    "tabel_diminta": ["T1"],
    "tanggal_data": date(2026, 6, 30),
    "email_kontak": "bappeda@palembang.go.id",
    "dasar_hukum": "Permendagri Nomor 102 Tahun 2019",
}


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


@pytest.mark.parametrize("who", ["kasi", "kabid", "admin"])
def test_request_recorded_by_permitted_roles_with_one_audit_event(officials, who):
    permintaan = services.permintaan_create(by=officials[who], **REQUEST)
    assert permintaan.tabel_diminta == ["T1"]
    [event] = _events("naskah.permintaan_dicatat")
    assert event.actor == officials[who] and event.object_id == str(permintaan.pk)


@pytest.mark.parametrize("who", ["staf", "sekretaris", "kadis"])
def test_request_refused_for_other_roles(officials, who):
    with pytest.raises(PermissionDeniedError):
        services.permintaan_create(by=officials[who], **REQUEST)
    assert not PermintaanData.objects.exists()


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"dasar_hukum": "", "nomor_pks": ""}, "permintaan_needs_basis"),
        ({"tabel_diminta": []}, "permintaan_bad_tables"),
        ({"tabel_diminta": ["T1", "X9"]}, "permintaan_bad_tables"),
        ({"email_kontak": "bukan-surel"}, "naskah_bad_email"),
        ({"instansi": "  "}, "naskah_field_required"),
        ({"tanggal_surat": date.today() + timedelta(days=3)}, "permintaan_future"),
    ],
)
def test_request_mistakes_have_clear_codes(officials, change, code):
    with pytest.raises(ValidationFailed) as error:
        services.permintaan_create(by=officials["kasi"], **{**REQUEST, **change})
    assert error.value.code == code
    assert error.value.message


def test_draft_is_versioned_with_the_hash_of_its_bytes(draft):
    versi = draft.versi_terakhir
    assert versi.nomor_versi == 1 and versi.jenis == "draf"
    with versi.berkas.open("rb") as handle:
        content = handle.read()
    assert versi.sha256 == hashlib.sha256(content).hexdigest() and versi.ukuran == len(content)
    assert [lampiran.nama for lampiran in draft.lampiran.all()] == [
        "laporan-penduduk-2026-s1.pdf",
        "laporan-penduduk-2026-s1.csv",
    ]
    [event] = _events("naskah.disusun")
    assert event.document_hash == versi.sha256


@pytest.mark.parametrize("who", ["staf", "sekretaris", "kadis", "admin"])
def test_only_kasi_ppd_or_kabid_drafts(permintaan, officials, who):
    with pytest.raises(PermissionDeniedError):
        services.naskah_draft(permintaan=permintaan, by=officials[who], snapshot=SNAPSHOT)
    assert not Naskah.objects.exists()


def test_draft_refuses_a_bad_snapshot_reference(permintaan, officials):
    bad = services.SnapshotRef(ref="S", tanggal=date(2026, 6, 30), baris=10, sha256="abc")
    with pytest.raises(ValidationFailed) as error:
        services.naskah_draft(permintaan=permintaan, by=officials["kasi"], snapshot=bad)
    assert error.value.code == "naskah_bad_checksum"


def test_revision_makes_a_new_version_with_a_new_hash(draft, officials):
    first = draft.versi_terakhir
    second = services.naskah_revise(naskah=draft, by=officials["kabid"], perihal="Penyampaian Data Semester I")
    assert second.nomor_versi == 2 and second.sha256 != first.sha256
    [event] = _events("naskah.direvisi")
    assert event.payload["diubah"] == ["perihal"] and event.document_hash == second.sha256
    with pytest.raises(ValidationFailed) as error:
        services.naskah_revise(naskah=draft, by=officials["kabid"], perihal="Penyampaian Data Semester I")
    assert error.value.code == "naskah_nothing_changed"


def test_revision_with_the_same_tembusan_is_not_a_change(draft, officials):
    with pytest.raises(ValidationFailed) as error:
        services.naskah_revise(naskah=draft, by=officials["kasi"], tembusan=[*draft.tembusan, "  "])
    assert error.value.code == "naskah_nothing_changed"
    assert draft.versi.count() == 1


def test_kepala_dinas_signs_numbers_and_records_the_draft_hash(draft, officials):
    draft_hash = draft.versi_terakhir.sha256
    final = services.naskah_sign(
        naskah=draft, by=officials["kadis"], passphrase=passphrase_for(officials["kadis"]), expected_sha256=draft_hash
    )
    draft.refresh_from_db()
    assert draft.status == Naskah.Status.DITANDATANGANI and draft.nomor.startswith("470/0001/PIAK/")
    assert final.jenis == "final" and final.nomor_versi == 2
    [event] = _events("naskah.ditandatangani")
    assert event.role == roles.KEPALA_DINAS and event.acting_as == ""
    assert event.document_hash == final.sha256 and event.payload["draf_sha256"] == draft_hash


@pytest.mark.parametrize("who", ["kasi", "kabid", "sekretaris", "staf", "admin"])
def test_nobody_but_the_kepala_dinas_signs(draft, officials, who):
    with pytest.raises(PermissionDeniedError) as error:
        services.naskah_sign(naskah=draft, by=officials[who], passphrase=passphrase_for(officials[who]))
    assert error.value.code == "naskah_sign_not_kepala_dinas"
    draft.refresh_from_db()
    assert draft.status == Naskah.Status.DRAF


def test_an_acting_head_outside_the_assignment_cannot_sign(draft, make_official):
    former = make_official(
        "plh.lama", roles.KEPALA_DINAS, capacity="plh", mulai=date(2025, 1, 6), selesai=date(2025, 1, 10)
    )
    with pytest.raises(PermissionDeniedError):
        services.naskah_sign(naskah=draft, by=former, passphrase=passphrase_for(former))


def test_plt_signature_is_recorded_as_acting(draft, plt_kadis, on_letter_day):
    services.naskah_sign(naskah=draft, by=plt_kadis, passphrase=passphrase_for(plt_kadis))
    [event] = _events("naskah.ditandatangani")
    assert event.actor == plt_kadis and event.acting_as == "plt"


def test_nobody_signs_what_they_drafted(permintaan, officials):
    # The Kasi PPD also stands in as Plh. Kepala Dinas today: still may not sign their own draft.
    kasi = officials["kasi"]
    today = date.today()
    acting_appoint_confirmed(user=kasi, role=roles.KEPALA_DINAS, capacity="plh", mulai=today, selesai=today)
    naskah = services.naskah_draft(permintaan=permintaan, by=kasi, snapshot=SNAPSHOT)
    with pytest.raises(PermissionDeniedError) as error:
        services.naskah_sign(naskah=naskah, by=kasi, passphrase=passphrase_for(kasi))
    assert error.value.code == "naskah_sign_own_draft"


def test_signing_a_changed_draft_is_refused(draft, officials):
    seen = draft.versi_terakhir.sha256
    services.naskah_revise(naskah=draft, by=officials["kabid"], sifat="Segera")
    with pytest.raises(DomainError) as error:
        services.naskah_sign(
            naskah=draft, by=officials["kadis"], passphrase=passphrase_for(officials["kadis"]), expected_sha256=seen
        )
    assert error.value.code == "naskah_version_changed"


def test_a_signed_letter_cannot_be_signed_again_or_revised(signed, officials, report_pdf):
    with pytest.raises(DomainError) as error:
        services.naskah_sign(naskah=signed, by=officials["kadis"], passphrase=passphrase_for(officials["kadis"]))
    assert error.value.code == "naskah_not_draft"
    with pytest.raises(DomainError) as error:
        services.naskah_revise(naskah=signed, by=officials["kasi"], lampiran=attachments(report_pdf))
    assert error.value.code == "naskah_not_draft"
    assert signed.versi.count() == 2
