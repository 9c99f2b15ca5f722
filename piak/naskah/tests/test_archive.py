"""Archive: the signed letter, attachments, audit trail and archive sheet, re-checked by verify-archive."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from piak.core.errors import DomainError, PermissionDeniedError
from piak.core.models import AuditEvent
from piak.naskah import services
from piak.naskah.models import ArsipBerkas, Naskah

from .helpers import pdf_text, version_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(signed, officials):
    services.naskah_send_link(naskah=signed, by=officials["kasi"])
    return signed


def test_archive_keeps_every_file_with_its_hash_and_a_register_number(sent, officials, tmp_path):
    arsip = services.naskah_archive(naskah=sent, by=officials["kasi"])
    assert arsip.nomor_register.startswith("ARS-PIAK/") and arsip.nomor_register.endswith("/0001")
    files = {b.peran: b for b in arsip.berkas.all()}
    assert set(files) == {"surat", "lampiran", "jejak_audit", "lembar_arsip"}
    assert version_bytes(files["surat"]) == version_bytes(sent.versi.get(jenis="final"))
    assert arsip.berkas.filter(peran="lampiran").count() == 2
    trail = json.loads(version_bytes(files["jejak_audit"]))
    assert [e["aksi"] for e in trail] == [
        "naskah.permintaan_dicatat",
        "naskah.disusun",
        "naskah.ditandatangani",
        "naskah.dikirim",
    ]
    assert trail[2]["hash_dokumen"] == sent.versi.get(jenis="final").sha256
    sheet = pdf_text(version_bytes(files["lembar_arsip"]), tmp_path)
    assert f"Nomor Register: {arsip.nomor_register}" in sheet
    assert sent.nomor in sheet and sent.snapshot_sha256 in sheet.replace(" ", "")  # the hash may wrap
    sent.refresh_from_db()
    assert sent.status == Naskah.Status.DIARSIPKAN
    assert AuditEvent.objects.filter(action="naskah.diarsipkan").count() == 1


def test_archive_needs_a_delivered_letter_and_happens_once(signed, officials):
    with pytest.raises(DomainError) as error:
        services.naskah_archive(naskah=signed, by=officials["kasi"])
    assert error.value.code == "naskah_not_sent"
    services.naskah_send_link(naskah=signed, by=officials["kasi"])
    services.naskah_archive(naskah=signed, by=officials["kasi"])
    with pytest.raises(DomainError) as error:
        services.naskah_archive(naskah=signed, by=officials["admin"])
    assert error.value.code == "naskah_already_archived"


@pytest.mark.parametrize("who", ["staf", "sekretaris", "kadis"])
def test_archiving_needs_the_permission(sent, officials, who):
    with pytest.raises(PermissionDeniedError):
        services.naskah_archive(naskah=sent, by=officials[who])


def test_verify_archive_passes_then_names_the_first_changed_file(sent, officials):
    arsip = services.naskah_archive(naskah=sent, by=officials["kasi"])
    out = StringIO()
    call_command("verify_archive", stdout=out)
    assert "Arsip utuh" in out.getvalue()
    target = arsip.berkas.get(peran=ArsipBerkas.Peran.JEJAK_AUDIT)
    path = Path(target.berkas.path)
    content = bytearray(path.read_bytes())
    content[10] ^= 0x01
    path.write_bytes(bytes(content))
    with pytest.raises(CommandError) as error:
        call_command("verify_archive", stdout=StringIO())
    assert f"arsip {arsip.nomor_register} 'jejak-audit.json'" in str(error.value)
    assert "hash berbeda" in str(error.value)


def test_verify_archive_reports_a_missing_file(sent, officials):
    versi = sent.versi.get(jenis="draf")
    versi.berkas.storage.delete(versi.berkas.name)
    with pytest.raises(CommandError) as error:
        call_command("verify_archive", stdout=StringIO())
    assert f"naskah #{sent.pk} versi 1" in str(error.value) and "berkas hilang" in str(error.value)


def test_archiving_refuses_a_letter_whose_stored_file_was_changed(sent, officials):
    versi = sent.versi.get(jenis="final")
    with open(versi.berkas.path, "ab") as handle:
        handle.write(b"x")
    with pytest.raises(DomainError) as error:
        services.naskah_archive(naskah=sent, by=officials["kasi"])
    assert error.value.code == "naskah_archive_corrupt_source"


def test_archiving_writes_a_signed_checkpoint_of_the_audit_chain_once_committed(
    sent, officials, django_capture_on_commit_callbacks
):
    from piak.core.checkpoints import checkpoints_read
    from piak.core.models import AuditChainHead

    with django_capture_on_commit_callbacks(execute=True):
        arsip = services.naskah_archive(naskah=sent, by=officials["kasi"])
    (point,) = checkpoints_read().valid
    head = AuditChainHead.objects.get()
    assert (point.seq, point.hash, point.alasan) == (head.last_seq, head.last_hash, f"arsip {arsip.nomor_register}")


def test_a_refused_archive_writes_no_checkpoint(signed, officials, django_capture_on_commit_callbacks):
    from piak.core.checkpoints import checkpoints_read

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        services.naskah_archive(naskah=signed, by=officials["kasi"])
    assert checkpoints_read().valid == []
