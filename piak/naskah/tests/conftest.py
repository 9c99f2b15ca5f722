"""Fixtures for the letters app: a local CA per test session, files in a temporary media folder,
the SOP 1 officials, a data request and a drafted letter."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from piak.core import roles
from piak.core.models import Capacity
from piak.naskah import services
from piak.naskah.signing import local_ca_ensure
from piak.web.pdf import render_pdf

from .helpers import passphrase_for, permintaan_bps

WIB = ZoneInfo("Asia/Jakarta")
SNAPSHOT = services.SnapshotRef(
    ref="SNAP-2026-06-30",
    tanggal=date(2026, 6, 30),
    baris=1_734_512,
    sha256="3f2a9c0d4e5b6a7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7",
)


@pytest.fixture(scope="session")
def signer_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("signer")
    local_ca_ensure(directory)
    return directory


@pytest.fixture(autouse=True)
def letters_storage(settings, tmp_path, signer_dir):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PIAK_SIGNER_DIR = signer_dir
    settings.PIAK_PUBLIC_URL = "https://piak.palembang.go.id"


@pytest.fixture
def on_letter_day():
    """25 November 2026, 10:00 WIB: the day the example letter is dated."""
    with time_machine.travel(datetime(2026, 11, 25, 10, 0, tzinfo=WIB), tick=True):
        yield


@pytest.fixture
def officials(make_official):
    def official(username, role, nama, nip, **kwargs):
        return make_official(username, role, nama_cetak=nama, nip=nip, **kwargs)

    return {
        "kasi": official("kasi", roles.KASI_PPD, "Hendra Saputra, S.T.", "198507112010011012"),
        "kabid": official("kabid", roles.KABID_PIAK, "Drs. Ahmad Fauzi, M.Si.", "197305121998031004"),
        "sekretaris": official("sekre", roles.SEKRETARIS, "Hj. Sri Wahyuni, S.H.", "197109231997032002"),
        "kadis": official("kadis", roles.KEPALA_DINAS, "Dr. H. Bambang Irawan, M.Si.", "197001051990031006"),
        "staf": official("staf", roles.STAF, "Rina Marlina", "199203152019032007"),
        "admin": official("admin", roles.ADMIN, "Yusuf Pratama", "199011302015031002"),
    }


@pytest.fixture
def plt_kadis(make_official, officials):
    """The Sekretaris's colleague appointed Plt. Kepala Dinas for November 2026."""
    return make_official(
        "plt",
        roles.KEPALA_DINAS,
        capacity=Capacity.PLT,
        mulai=date(2026, 11, 1),
        selesai=date(2026, 11, 30),
        nama_cetak="Ir. Yudi Hartono, M.T.",
        nip="196905051994031007",
    )


@pytest.fixture
def permintaan(officials):
    return permintaan_bps(officials["kasi"])


@pytest.fixture(scope="session")
def report_pdf() -> bytes:
    """A real PDF standing in for the statistik report."""
    return render_pdf("print/base_a4.html", {})


def attachments(report_pdf: bytes) -> list[services.BerkasLampiran]:
    return [
        services.BerkasLampiran(
            nama="laporan-penduduk-2026-s1.pdf",
            judul="Laporan Data Kependudukan Semester I 2026",
            content=report_pdf,
            content_type="application/pdf",
        ),
        services.BerkasLampiran(
            nama="laporan-penduduk-2026-s1.csv",
            judul="Tabel Data Kependudukan Semester I 2026",
            content=b"kecamatan,laki_laki,perempuan\nIlir Barat I,70123,71234\n",
            content_type="text/csv",
        ),
    ]


@pytest.fixture
def draft(permintaan, officials, report_pdf):
    return services.naskah_draft(
        permintaan=permintaan,
        by=officials["kasi"],
        snapshot=SNAPSHOT,
        lampiran=attachments(report_pdf),
        tembusan=["Sekretaris Daerah Kota Palembang", "Arsip"],
    )


@pytest.fixture
def signed(draft, officials):
    services.naskah_sign(naskah=draft, by=officials["kadis"], passphrase=passphrase_for(officials["kadis"]))
    draft.refresh_from_db()
    return draft
