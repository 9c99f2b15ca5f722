"""Electronic signatures on letters.

`Signer` is the interface the rest of the app uses. `LocalPadesSigner` signs with pyHanko (PAdES
baseline B) using an office certificate issued by a local certificate authority that `piak
signer-init` creates under the data folder: for development, tests and demonstrations only.
In production the Balai Sertifikasi Elektronik (BSrE/BSSN) signs; `BsreSigner` marks where that
integration goes and is deliberately not implemented. `settings.PIAK_SIGNER` names the class.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path
from typing import Protocol

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.utils.module_loading import import_string

from piak.core.errors import DomainError
from piak.core.waktu import waktu_wib

CA_CERT = "ca.cert.pem"
CA_KEY = "ca.key.pem"
OFFICE_CERT = "kantor.cert.pem"
OFFICE_KEY = "kantor.key.pem"
SIGNATURE_FIELD = "TandaTanganKepalaDinas"


@dataclass(frozen=True)
class SignatureBox:
    """Where the visible signature goes: page index and (x1, y1, x2, y2) in PDF points from bottom-left."""

    page: int
    rect: tuple[int, int, int, int]


class Signer(Protocol):
    def sign(
        self,
        pdf_bytes: bytes,
        *,
        signer_name: str,
        reason: str,
        location: str,
        signed_at: datetime,
        box: SignatureBox | None = None,
    ) -> bytes: ...

    def trust_roots(self) -> list[asn1_x509.Certificate]: ...


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def get_signer() -> Signer:
    return import_string(settings.PIAK_SIGNER)()


# --- local certificate authority (development and tests) -------------------------------------------


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Pemerintah Kota Palembang (uji, bukan BSrE)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _write_private(path: Path, key: rsa.RSAPrivateKey) -> None:
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    path.chmod(0o600)


def _certificate(*, subject: x509.Name, issuer: x509.Name, key, issuer_key, is_ca: bool) -> x509.Certificate:
    # Valid from well before any date a test may travel to, for ten years from now.
    not_before = datetime(2020, 1, 1, tzinfo=UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(datetime.now(UTC) + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=0 if is_ca else None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not is_ca,
                content_commitment=not is_ca,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=is_ca,
                crl_sign=is_ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    if not is_ca:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        ).add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def local_ca_ensure(directory: Path) -> bool:
    """Create the local CA and the office certificate in `directory` unless they exist.

    Returns True when it created them. Files are written under temporary names and renamed last, so
    an interrupted run leaves either nothing or a complete set.
    """
    directory = Path(directory)
    if (directory / OFFICE_CERT).exists():
        return False
    directory.mkdir(parents=True, exist_ok=True)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = _name("PIAK Local CA (pengembangan)")
    ca_cert = _certificate(subject=ca_name, issuer=ca_name, key=ca_key, issuer_key=ca_key, is_ca=True)
    office_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    office_cert = _certificate(
        subject=_name("Dinas Kependudukan dan Pencatatan Sipil Kota Palembang"),
        issuer=ca_name,
        key=office_key,
        issuer_key=ca_key,
        is_ca=False,
    )
    staged = {
        CA_KEY: lambda p: _write_private(p, ca_key),
        OFFICE_KEY: lambda p: _write_private(p, office_key),
        CA_CERT: lambda p: p.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM)),
        OFFICE_CERT: lambda p: p.write_bytes(office_cert.public_bytes(serialization.Encoding.PEM)),
    }
    for name, write in staged.items():
        write(directory / f".{name}.tmp")
    for name in staged:  # the office certificate last: its presence means the set is complete
        (directory / f".{name}.tmp").rename(directory / name)
    return True


def _load_pem_certificate(path: Path) -> asn1_x509.Certificate:
    from pyhanko.keys import load_cert_from_pemder

    return load_cert_from_pemder(str(path))


class LocalPadesSigner:
    """PAdES signatures with the office certificate of the local CA in `settings.PIAK_SIGNER_DIR`."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = Path(directory or settings.PIAK_SIGNER_DIR)
        if not (self.directory / OFFICE_CERT).exists():
            raise DomainError(
                "Sertifikat penandatangan belum disiapkan. Jalankan `piak signer-init`.",
                code="signer_not_initialised",
            )

    def trust_roots(self) -> list[asn1_x509.Certificate]:
        return [_load_pem_certificate(self.directory / CA_CERT)]

    def sign(
        self,
        pdf_bytes: bytes,
        *,
        signer_name: str,
        reason: str,
        location: str,
        signed_at: datetime,
        box: SignatureBox | None = None,
    ) -> bytes:
        """The stamp shows `signed_at` (the moment the letter records) in WIB, not pyHanko's clock in the
        server's zone."""
        from pyhanko import stamp
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers

        cms_signer = signers.SimpleSigner.load(
            key_file=str(self.directory / OFFICE_KEY),
            cert_file=str(self.directory / OFFICE_CERT),
            ca_chain_files=(str(self.directory / CA_CERT),),
        )
        writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes))
        field_spec = None
        if box is not None:
            field_spec = fields.SigFieldSpec(SIGNATURE_FIELD, on_page=box.page, box=box.rect)
        meta = signers.PdfSignatureMetadata(
            field_name=SIGNATURE_FIELD,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            name=signer_name,
            reason=reason,
            location=location,
        )
        style = stamp.TextStampStyle(
            stamp_text="Ditandatangani secara elektronik\n%(signer)s\n%(waktu)s",
            border_width=1,
        )
        pdf_signer = signers.PdfSigner(meta, signer=cms_signer, stamp_style=style, new_field_spec=field_spec)
        output = BytesIO()
        stamp_params = {"signer": signer_name, "waktu": waktu_wib(signed_at)}
        pdf_signer.sign_pdf(writer, output=output, appearance_text_params=stamp_params)
        return output.getvalue()


class BsreSigner:
    """Production signer through BSrE (Balai Sertifikasi Elektronik, BSSN). Not implemented: the
    office must obtain API access and certificates from BSrE first; set `PIAK_SIGNER` to this class
    only when that integration is written."""

    def __init__(self) -> None:
        raise DomainError(
            "Penandatanganan melalui BSrE belum tersedia di PIAK; hubungi admin.",
            code="signer_bsre_not_implemented",
        )


# --- validation ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureCheck:
    valid: bool
    reason: str
    signer: str = ""
    signed_at: datetime | None = None


def pdf_signature_check(pdf_bytes: bytes, trust_roots: list[asn1_x509.Certificate]) -> SignatureCheck:
    """Validate the last signature of `pdf_bytes` against `trust_roots`, without network access.

    Valid only when the signature is intact, cryptographically sound, chains to a trusted root and
    covers the entire file (nothing was appended after signing)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        signatures = PdfFileReader(BytesIO(pdf_bytes), strict=False).embedded_signatures
    except Exception:
        return SignatureCheck(False, "Berkas tidak dapat dibaca sebagai PDF yang utuh.")
    if not signatures:
        return SignatureCheck(False, "Berkas tidak memuat tanda tangan elektronik.")
    context = ValidationContext(trust_roots=trust_roots, allow_fetching=False)
    try:
        status = validate_pdf_signature(signatures[-1], context)
    except Exception:
        return SignatureCheck(False, "Tanda tangan elektronik rusak dan tidak dapat diperiksa.")
    signer = status.signing_cert.subject.human_friendly if status.signing_cert else ""
    if not status.intact:
        return SignatureCheck(False, "Isi dokumen telah berubah sesudah ditandatangani.", signer)
    if not status.valid:
        return SignatureCheck(False, "Tanda tangan elektronik tidak cocok dengan dokumen.", signer)
    if not status.trusted:
        return SignatureCheck(False, "Sertifikat penanda tangan tidak berasal dari otoritas tepercaya.", signer)
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return SignatureCheck(False, "Ada tambahan pada dokumen sesudah ditandatangani.", signer)
    return SignatureCheck(True, "Tanda tangan elektronik sah dan dokumen utuh.", signer, status.signer_reported_dt)
