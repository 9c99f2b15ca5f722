"""PAdES signatures: the local CA, pyHanko validation, tampering, the QR code."""

import shutil
import subprocess
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from piak.core.errors import DomainError
from piak.naskah import services
from piak.naskah.models import Naskah, Penghitung
from piak.naskah.signing import (
    CA_CERT,
    OFFICE_CERT,
    BsreSigner,
    LocalPadesSigner,
    get_signer,
    local_ca_ensure,
    pdf_signature_check,
)

from .helpers import passphrase_for, version_bytes


def _signed_bytes(naskah: Naskah) -> bytes:
    return version_bytes(naskah.versi.get(jenis="final"))


def test_signer_init_is_idempotent(settings, tmp_path):
    settings.PIAK_SIGNER_DIR = tmp_path / "signer"
    out = StringIO()
    call_command("signer_init", stdout=out)
    first = (tmp_path / "signer" / OFFICE_CERT).read_bytes()
    call_command("signer_init", stdout=out)
    assert (tmp_path / "signer" / OFFICE_CERT).read_bytes() == first
    assert "dibuat" in out.getvalue() and "tidak diubah" in out.getvalue()
    assert oct((tmp_path / "signer" / "kantor.key.pem").stat().st_mode & 0o777) == "0o600"


@pytest.mark.django_db
def test_signed_letter_validates_with_pyhanko_against_the_local_ca(signed, signer_dir):
    reader = PdfFileReader(BytesIO(_signed_bytes(signed)))
    [signature] = reader.embedded_signatures
    context = ValidationContext(trust_roots=[load_cert_from_pemder(str(signer_dir / CA_CERT))])
    status = validate_pdf_signature(signature, context)
    assert status.intact and status.valid and status.trusted
    assert status.bottom_line
    assert signature.field_name == "TandaTanganKepalaDinas"
    assert signature.sig_object["/Name"] == "Dr. H. Bambang Irawan, M.Si."
    assert "470/0001/PIAK/2026" in signature.sig_object["/Reason"]


@pytest.mark.django_db
def test_one_changed_byte_makes_the_signature_invalid(signed):
    original = _signed_bytes(signed)
    roots = get_signer().trust_roots()
    assert pdf_signature_check(original, roots).valid
    # A byte inside the signed content (the page content stream, early in the file).
    tampered = bytearray(original)
    tampered[len(original) // 4] ^= 0x01
    check = pdf_signature_check(bytes(tampered), roots)
    assert not check.valid
    # Bytes appended after signing are also refused.
    assert not pdf_signature_check(original + b"\n%tambahan\n", roots).valid


@pytest.mark.django_db
def test_a_certificate_from_another_authority_is_not_trusted(signed, tmp_path):
    local_ca_ensure(tmp_path / "lain")
    other = LocalPadesSigner(tmp_path / "lain")
    check = pdf_signature_check(_signed_bytes(signed), other.trust_roots())
    assert not check.valid
    assert "tidak berasal dari otoritas tepercaya" in check.reason


@pytest.mark.django_db
def test_qr_code_opens_the_verification_url(signed, tmp_path):
    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg (zbar-tools) tidak terpasang")
    pdf = tmp_path / "surat.pdf"
    pdf.write_bytes(_signed_bytes(signed))
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(pdf), str(tmp_path / "hal")], check=True)
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(tmp_path / "hal-1.png")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert decoded == [f"https://piak.palembang.go.id/verifikasi/{signed.token_verifikasi}/"]


@pytest.mark.django_db
def test_without_a_prepared_signer_signing_fails_clearly_and_takes_no_number(draft, officials, settings, tmp_path):
    settings.PIAK_SIGNER_DIR = tmp_path / "kosong"
    with pytest.raises(DomainError) as error:
        services.naskah_sign(naskah=draft, by=officials["kadis"], passphrase=passphrase_for(officials["kadis"]))
    assert error.value.code == "signer_not_initialised"
    assert not Penghitung.objects.filter(terakhir__gt=0).exists()
    draft.refresh_from_db()
    assert draft.status == Naskah.Status.DRAF and draft.nomor == ""


@pytest.mark.django_db
def test_bsre_signer_is_configured_by_settings_but_not_implemented(draft, officials, settings):
    settings.PIAK_SIGNER = "piak.naskah.signing.BsreSigner"
    with pytest.raises(DomainError) as error:
        services.naskah_sign(naskah=draft, by=officials["kadis"], passphrase=passphrase_for(officials["kadis"]))
    assert error.value.code == "signer_bsre_not_implemented"
    with pytest.raises(DomainError):
        BsreSigner()
