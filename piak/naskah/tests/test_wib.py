"""The signed letter and its pages give the signing moment in WIB, labelled (UTC+7 on this server's UTC clock)."""

import re
from datetime import UTC, datetime
from io import BytesIO

import pytest
import time_machine
from pyhanko.pdf_utils.reader import PdfFileReader

from piak.naskah import services

from .helpers import passphrase_for, pdf_text, version_bytes

# 08:48 UTC is 15:48 WIB: a UTC rendering would show 08:48, an unlabelled one no zone.
SIGNED_UTC = datetime(2026, 12, 1, 8, 48, 30, tzinfo=UTC)


def _stamp_text(pdf: bytes) -> str:
    """The text drawn in the signature's visible stamp (its appearance stream), which pdftotext skips."""
    [signature] = PdfFileReader(BytesIO(pdf)).embedded_signatures
    content = signature.sig_field["/AP"]["/N"].data.decode("latin-1")
    return re.sub(r"\\([0-7]{3})", lambda octal: chr(int(octal.group(1), 8)), content)  # PDF string escapes


@pytest.mark.django_db
def test_the_letter_stamp_and_pages_give_the_signing_time_in_wib(draft, officials, client, tmp_path):
    with time_machine.travel(SIGNED_UTC, tick=False):
        versi = services.naskah_sign(naskah=draft, by=officials["kadis"], passphrase=passphrase_for(officials["kadis"]))
    draft.refresh_from_db()
    assert draft.ditandatangani_pada == SIGNED_UTC
    pdf = version_bytes(versi)
    stamp = _stamp_text(pdf)
    assert "01-12-2026 15:48 WIB" in stamp and "08:48" not in stamp and "UTC" not in stamp
    assert "Palembang, 1 Desember 2026" in pdf_text(pdf, tmp_path)  # the letter's date is the WIB day
    client.force_login(officials["kadis"])
    page = client.get(f"/naskah/{draft.pk}/").content.decode()
    assert "01-12-2026 15:48 WIB" in page
