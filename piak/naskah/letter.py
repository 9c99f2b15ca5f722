"""Rendering the Surat Pengantar (Tata Naskah Dinas, Permendagri 1/2023) to PDF."""

from dataclasses import dataclass
from datetime import date

import segno
from django.template.loader import render_to_string
from weasyprint import HTML

from piak.web.pdf import OfflineFetcher

from .models import Lampiran, Naskah
from .signing import SignatureBox
from .tables import TABEL_LAPORAN

BULAN = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]  # fmt: skip
SATUAN = ["nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh"]
JABATAN_PENANDATANGAN = "Kepala Dinas Kependudukan dan Pencatatan Sipil Kota Palembang"
SIGNATURE_ANCHOR = "kotak-ttd"
CSS_PX_TO_PT = 0.75


def tanggal_indonesia(d: date) -> str:
    return f"{d.day} {BULAN[d.month - 1]} {d.year}"


def angka(n: int) -> str:
    """Thousands separated by dots, as Indonesian documents write them: 1.234.567."""
    return f"{n:,}".replace(",", ".")


def banyaknya(n: int) -> str:
    """'2 (dua) berkas' for the Lampiran line; digits alone beyond ten."""
    return f"{n} ({SATUAN[n]}) berkas" if n <= 10 else f"{n} berkas"


@dataclass(frozen=True)
class Penandatangan:
    nama: str
    nip: str
    prefix: str = ""  # "Plt. " or "Plh. " for an acting official

    @property
    def jabatan(self) -> str:
        return f"{self.prefix}{JABATAN_PENANDATANGAN}"

    @property
    def jabatan_cetak(self) -> str:
        """As printed above the signature: the title in capitals, the Plt./Plh. prefix as written."""
        return f"{self.prefix}{JABATAN_PENANDATANGAN.upper()}"


@dataclass(frozen=True)
class RenderedLetter:
    pdf: bytes
    signature_box: SignatureBox | None


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, border=0)


def surat_pengantar_render(
    naskah: Naskah,
    *,
    nomor: str,
    tanggal: date,
    penandatangan: Penandatangan | None,
    lampiran: list[Lampiran],
    verification_url: str | None = None,
) -> RenderedLetter:
    """A draft (no `verification_url`: DRAF watermark, no signature) or the final letter with its QR code
    and an empty box where the signer places the visible signature."""
    permintaan = naskah.permintaan
    context = {
        "naskah": naskah,
        "permintaan": permintaan,
        "nomor": nomor,
        "tanggal": tanggal_indonesia(tanggal),
        "tanggal_permintaan": tanggal_indonesia(permintaan.tanggal_surat),
        "tanggal_data": tanggal_indonesia(naskah.snapshot_tanggal),
        "jumlah_baris": angka(naskah.snapshot_baris),
        "lampiran": lampiran,
        "lampiran_teks": banyaknya(len(lampiran)) if lampiran else "-",
        "tabel": [(code, TABEL_LAPORAN.get(code, code)) for code in permintaan.tabel_diminta],
        "penandatangan": penandatangan,
        "jabatan_penandatangan": (penandatangan.jabatan_cetak if penandatangan else JABATAN_PENANDATANGAN.upper()),
        "final": verification_url is not None,
        "verification_url": verification_url,
        "qr": qr_data_uri(verification_url) if verification_url else None,
        "signature_anchor": SIGNATURE_ANCHOR,
    }
    html = render_to_string("naskah/cetak/surat_pengantar.html", context)
    document = HTML(string=html, url_fetcher=OfflineFetcher(), base_url="file:///").render()
    box = _signature_box(document) if verification_url else None
    return RenderedLetter(pdf=document.write_pdf(), signature_box=box)


def _signature_box(document) -> SignatureBox:
    """The page and rectangle (PDF points, origin bottom-left) of the element reserved for the signature."""
    for index, page in enumerate(document.pages):
        if SIGNATURE_ANCHOR in page.anchors:
            x1, y1, x2, y2 = page.anchors[SIGNATURE_ANCHOR]
            height = page.height * CSS_PX_TO_PT
            rect = (
                round(x1 * CSS_PX_TO_PT),
                round(height - y2 * CSS_PX_TO_PT),
                round(x2 * CSS_PX_TO_PT),
                round(height - y1 * CSS_PX_TO_PT),
            )
            return SignatureBox(page=index, rect=rect)
    raise RuntimeError("the letter template has no signature box")
