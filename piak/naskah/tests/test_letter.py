"""The Surat Pengantar as printed: Tata Naskah Dinas parts, draft marks, the signer's block."""

import re
from datetime import date

import pytest

from piak.naskah import services
from piak.naskah.letter import angka, banyaknya, tanggal_indonesia
from piak.naskah.numbering import nomor_draf, nomor_final

from .helpers import passphrase_for, pdf_text, version_bytes


def test_indonesian_dates_and_numbers():
    assert tanggal_indonesia(date(2026, 11, 25)) == "25 November 2026"
    assert tanggal_indonesia(date(2027, 2, 1)) == "1 Februari 2027"
    assert angka(1_734_512) == "1.734.512"
    assert banyaknya(2) == "2 (dua) berkas"
    assert banyaknya(12) == "12 berkas"


def test_number_formats_default_and_configured(settings):
    assert nomor_final(seq=123, year=2026) == "470/0123/PIAK/2026"
    assert nomor_draf(naskah_id=7, year=2026) == "470/DRAF-0007/PIAK/2026"
    settings.PIAK_NOMOR_FORMAT = "400.12/{seq:03d}/Disdukcapil/{year}"
    assert nomor_final(seq=5, year=2027) == "400.12/005/Disdukcapil/2027"
    assert nomor_draf(naskah_id=5, year=2027) == "400.12/DRAF-005/Disdukcapil/2027"


@pytest.mark.django_db
def test_draft_letter_has_every_part_and_is_marked_draft(on_letter_day, draft, tmp_path):
    flat = pdf_text(version_bytes(draft.versi_terakhir), tmp_path)
    assert "Palembang, 25 November 2026" in flat
    assert f"Nomor : 470/DRAF-{draft.pk:04d}/PIAK/2026" in flat
    assert "Sifat : Biasa" in flat
    assert "Lampiran : 2 (dua) berkas" in flat
    assert "Perihal : Penyampaian Data Kependudukan" in flat
    assert "Kepada Yth. Kepala Badan Pusat Statistik Kota Palembang di Tempat" in flat
    assert "B-123/16710/HM.100/2026" in flat
    assert "keadaan per 30 Juni 2026" in flat
    assert "1.734.512 baris" in flat
    assert f"kode pemeriksaan SHA-256 {draft.snapshot_sha256}" in flat
    assert "Perjanjian Kerja Sama Nomor 470/PKS/001/2025" in flat
    assert "KEPALA DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL KOTA PALEMBANG," in flat
    assert "Dr. H. Bambang Irawan, M.Si." in flat  # the expected signer, named but not signed
    assert "Tembusan: 1. Sekretaris Daerah Kota Palembang; 2. Arsip." in flat
    assert "DRAF — belum bernomor dan belum ditandatangani; tidak berlaku sebagai naskah dinas" in flat
    assert "verifikasi" not in flat.lower()


@pytest.mark.django_db
def test_signed_letter_has_final_number_signer_and_verification_address(on_letter_day, signed, tmp_path):
    final = signed.versi.get(jenis="final")
    flat = pdf_text(version_bytes(final), tmp_path)
    assert signed.nomor == "470/0001/PIAK/2026"
    assert "Nomor : 470/0001/PIAK/2026" in flat
    assert "DRAF" not in flat
    assert "Dr. H. Bambang Irawan, M.Si." in flat and "NIP 197001051990031006" in flat
    assert not re.search(r"Pl[th]\. KEPALA DINAS", flat)
    assert "-" not in signed.token_verifikasi and "_" not in signed.token_verifikasi
    url = f"https://piak.palembang.go.id/verifikasi/{signed.token_verifikasi}/"
    assert url in "".join(flat.split())  # the footer may wrap the address; wrapping adds only whitespace


@pytest.mark.django_db
def test_acting_head_signs_with_plt_prefix(on_letter_day, draft, plt_kadis, officials, tmp_path):
    officials["kadis"].is_active = False  # the definitive head is away; the Plt signs
    officials["kadis"].save()
    services.naskah_sign(naskah=draft, by=plt_kadis, passphrase=passphrase_for(plt_kadis))
    draft.refresh_from_db()
    flat = pdf_text(version_bytes(draft.versi.get(jenis="final")), tmp_path)
    assert "Plt. KEPALA DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL KOTA PALEMBANG," in flat
    assert "Ir. Yudi Hartono, M.T." in flat and "NIP 196905051994031007" in flat
    assert draft.penandatangan_kedudukan == "plt"
