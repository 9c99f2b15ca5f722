"""A data request through drafting, SOP 1, signature and public verification, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from piak.core.demo import demo_officials_ensure
from piak.naskah.models import Naskah
from piak.naskah.signing import local_ca_ensure
from piak.web.pdf import render_pdf

from .conftest import SCREENSHOT_DIR, Office

pytestmark = pytest.mark.e2e

SHA = "3f2a9c0d4e5b6a7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7"


@pytest.fixture
def office(transactional_db, settings, tmp_path, live_server):
    demo_officials_ensure()
    local_ca_ensure(tmp_path / "signer")
    settings.PIAK_SIGNER_DIR = tmp_path / "signer"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PIAK_PUBLIC_URL = live_server.url


def _record_request(page, base_url: str) -> None:
    page.get_by_role("link", name="Permintaan Data").click()
    page.get_by_role("link", name="Catat permintaan").click()
    page.get_by_label("Instansi").fill("Badan Pusat Statistik Kota Palembang")
    page.get_by_label("Jabatan yang dituju").fill("Kepala Badan Pusat Statistik Kota Palembang")
    page.get_by_label("Nomor surat permohonan").fill("B-123/16710/HM.100/2026")
    page.get_by_label("Tanggal surat permohonan").fill("2026-11-10")
    page.get_by_label("Keperluan").fill("penyusunan publikasi Kota Palembang Dalam Angka 2027")
    page.get_by_label("Dasar hukum").fill("Permendagri Nomor 102 Tahun 2019")
    page.get_by_label("T1 — Penduduk menurut jenis kelamin", exact=False).check()
    page.get_by_label("T2 — Kelompok umur", exact=False).check()
    page.get_by_label("Data per tanggal").fill("2026-06-30")
    page.get_by_label("Surel kontak").fill("bps1671@bps.go.id")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("alert")).to_contain_text("Permintaan data dari Badan Pusat Statistik")


def _draft_letter(page) -> None:
    page.get_by_label("Rujukan snapshot").fill("SNAP-2026-06-30")
    page.get_by_label("Jumlah baris snapshot").fill("1734512")
    page.get_by_label("Checksum snapshot (SHA-256)").fill(SHA)
    report = render_pdf("print/base_a4.html", {})
    page.get_by_label("Laporan (PDF)").set_input_files(
        files=[{"name": "laporan-2026-s1.pdf", "mimeType": "application/pdf", "buffer": report}]
    )
    page.get_by_role("button", name="Susun draf").click()
    expect(page.get_by_role("alert")).to_contain_text("Draf Surat Pengantar disusun.")


def test_request_through_sop1_to_signed_letter_to_public_verification(page, browser, live_server, office, screenshot):
    """The Kasi PPD records a request and drafts the letter; SOP 1 carries it through the Kabid's two paraf,
    the Sekretaris's paraf and the Kepala Dinas's signature; anyone can then verify it."""
    base = live_server.url
    chain = Office(page, base, screenshot)
    chain.as_("kasi.ppd")
    _record_request(page, base)
    screenshot("permintaan")
    _draft_letter(page)
    screenshot("draf")
    page.get_by_role("button", name="Mulai SOP 1 untuk surat ini").click()
    expect(page.locator(".alert-success")).to_contain_text("SOP 1 dimulai")
    chain.snap("sop1-dari-surat")
    chain.complete("sop1-langkah1")
    title = re.compile("Penyampaian Data Kependudukan")
    chain.as_("kabid")
    chain.open_case_from_inbox(title)
    chain.paraf("paraf-kabid-2")
    chain.paraf("paraf-kabid-3")
    chain.as_("sekretaris")
    chain.open_case_from_inbox(title)
    chain.paraf("paraf-sekretaris")
    chain.as_("kadis")
    chain.open_case_from_inbox(title)
    chain.sign("ditandatangani")
    naskah = Naskah.objects.get()
    assert naskah.nomor.endswith("/PIAK/2026")
    page.get_by_role("link", name=re.compile("Buka halaman surat")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(naskah.nomor)
    screenshot("surat-ditandatangani")

    # Anyone holding the letter: no login, the address from the QR code.
    visitor = browser.new_context(viewport={"width": 1100, "height": 800}, locale="id-ID").new_page()
    visitor.goto(f"{base}/verifikasi/{naskah.token_verifikasi}/")
    expect(visitor.get_by_role("heading", name="SAH Tanda tangan elektronik")).to_be_visible()
    signed = naskah.versi.get(jenis="final").berkas.open("rb").read()
    visitor.get_by_label("Berkas PDF yang akan diperiksa").set_input_files(
        files=[{"name": "surat.pdf", "mimeType": "application/pdf", "buffer": signed}]
    )
    visitor.get_by_role("button", name="Periksa", exact=True).click()
    expect(visitor.get_by_role("alert")).to_contain_text("SAH — Berkas sama persis")
    visitor.screenshot(path=SCREENSHOT_DIR / "naskah-verifikasi-sah.png", full_page=True)
    tampered = bytearray(signed)
    tampered[len(signed) // 4] ^= 0x01
    visitor.get_by_label("Berkas PDF yang akan diperiksa").set_input_files(
        files=[{"name": "surat.pdf", "mimeType": "application/pdf", "buffer": bytes(tampered)}]
    )
    visitor.get_by_role("button", name="Periksa", exact=True).click()
    expect(visitor.get_by_role("alert")).to_contain_text("TIDAK SAH")
    visitor.screenshot(path=SCREENSHOT_DIR / "naskah-verifikasi-tidak-sah.png", full_page=True)
    visitor.context.close()
