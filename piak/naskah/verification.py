"""Is this letter genuine? Checks behind the public verification page."""

from dataclasses import dataclass

from django.conf import settings

from .models import Naskah
from .pdf_sandbox import sandboxed_signature_check
from .selectors import signed_version
from .signing import SignatureCheck, get_signer, pdf_signature_check, sha256_hex


@dataclass(frozen=True)
class UploadVerdict:
    valid: bool
    reason: str
    sha256: str


def stored_letter_check(naskah: Naskah) -> SignatureCheck:
    """Validate the signed PDF the office keeps, with pyHanko, against the signer's trust roots."""
    versi = signed_version(naskah)
    if versi is None:
        return SignatureCheck(False, "Naskah belum ditandatangani.")
    with versi.berkas.open("rb") as handle:
        return pdf_signature_check(handle.read(), get_signer().trust_roots())


def uploaded_letter_check(naskah: Naskah, content: bytes) -> UploadVerdict:
    """An uploaded PDF is valid only if it is byte for byte the signed letter and its signature holds.
    Anyone may upload here, so the PDF is parsed only in a bounded child process (`pdf_sandbox`)."""
    digest = sha256_hex(content)
    versi = signed_version(naskah)
    signature = sandboxed_signature_check(
        content,
        get_signer().trust_roots(),
        memory_bytes=settings.PIAK_VERIFIKASI_MAX_MEMORY_BYTES,
        cpu_seconds=settings.PIAK_VERIFIKASI_MAX_SECONDS,
        inflated_bytes=settings.PIAK_VERIFIKASI_MAX_INFLATED_BYTES,
    )
    if not signature.valid:
        return UploadVerdict(False, signature.reason, digest)
    if versi is None or digest != versi.sha256:
        return UploadVerdict(False, "Berkas ini bukan naskah yang terdaftar dengan kode verifikasi ini.", digest)
    return UploadVerdict(True, "Berkas sama persis dengan naskah yang ditandatangani; tanda tangan sah.", digest)
