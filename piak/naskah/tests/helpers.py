import subprocess
from datetime import date
from pathlib import Path

from piak.naskah import services


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text in reading order with all whitespace runs collapsed to one space."""
    path = tmp_path / "naskah.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def version_bytes(versi) -> bytes:
    with versi.berkas.open("rb") as handle:
        return handle.read()


def permintaan_bps(by):
    """A data request from BPS for two tables at the end of semester I 2026, as recorded by `by`."""
    return services.permintaan_create(
        by=by,
        instansi="Badan Pusat Statistik Kota Palembang",
        jabatan_tujuan="Kepala Badan Pusat Statistik Kota Palembang",
        nomor_surat="B-123/16710/HM.100/2026",
        tanggal_surat=date(2026, 11, 10),
        keperluan="penyusunan publikasi Kota Palembang Dalam Angka 2027",
        tabel_diminta=["T1", "T2"],
        tanggal_data=date(2026, 6, 30),
        email_kontak="bps1671@bps.go.id",
        dasar_hukum="Permendagri Nomor 102 Tahun 2019",
        nomor_pks="470/PKS/001/2025",
    )


TEST_PASSPHRASE = "frasa-tanda-tangan-uji"


def passphrase_for(user) -> str:
    """The signing passphrase of `user`, set through the service on first use."""
    from piak.naskah.models import SigningPassphrase

    if not SigningPassphrase.objects.filter(user=user).exists():
        services.passphrase_set(user=user, baru=TEST_PASSPHRASE, ulang=TEST_PASSPHRASE)
    return TEST_PASSPHRASE
