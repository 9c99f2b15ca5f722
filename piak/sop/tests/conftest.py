"""Helpers to drive SOP cases the way the officials do."""

from datetime import date
from functools import cache

import pytest
from django.utils import timezone

from piak.core.roles import ROLES
from piak.naskah import services as naskah_services
from piak.naskah import sop_steps
from piak.naskah.tests.helpers import TEST_PASSPHRASE, passphrase_for
from piak.sop import services
from piak.sop.models import Case, SopVersion
from piak.web.pdf import render_pdf

SNAPSHOT = naskah_services.SnapshotRef(
    ref="SNAP-2026-06-30",
    tanggal=date(2026, 6, 30),
    baris=1_734_512,
    sha256="3f2a9c0d4e5b6a7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7",
)

WORK_PLAN = {
    "judul": "Pemeliharaan server SIAK",
    "kegiatan": ["Pembaruan aplikasi", "Uji cadangan"],
    "dasar_hukum": "Perpres 96/2018",
}


@pytest.fixture
def office(make_official):
    """One official per role, each holding it definitively (usernames equal the role codes)."""
    office = {code: make_official(code, code, nama_cetak=f"Pejabat {code}") for code, _ in ROLES}
    passphrase_for(office["kepala_dinas"])  # the signer's passphrase, set before anything is counted
    return office


@pytest.fixture(autouse=True)
def letters_storage(settings, tmp_path, signer_dir):
    """SOP 1 cases carry real letters: files in a temporary media folder, signed by the session's CA."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PIAK_SIGNER_DIR = signer_dir
    settings.PIAK_PUBLIC_URL = "https://piak.palembang.go.id"


@cache
def _report_pdf() -> bytes:
    return render_pdf("print/base_a4.html", {})


def start_letter_case(kasi) -> Case:
    """SOP 1 the only way it starts: a data request, its drafted Surat Pengantar, then the case."""
    permintaan = naskah_services.permintaan_create(
        by=kasi,
        instansi="Badan Pusat Statistik Kota Palembang",
        jabatan_tujuan="Kepala Badan Pusat Statistik Kota Palembang",
        nomor_surat="B-123/16710/HM.100/2026",
        tanggal_surat=timezone.localdate(),
        keperluan="penyusunan publikasi Kota Palembang Dalam Angka",
        tabel_diminta=["T1", "T2"],
        tanggal_data=date(2026, 6, 30),
        email_kontak="bps1671@bps.go.id",
        dasar_hukum="Permendagri Nomor 102 Tahun 2019",
    )
    naskah = naskah_services.naskah_draft(
        permintaan=permintaan,
        by=kasi,
        snapshot=SNAPSHOT,
        lampiran=[
            naskah_services.BerkasLampiran(
                nama="laporan.pdf", judul="Laporan uji", content=_report_pdf(), content_type="application/pdf"
            )
        ],
    )
    return sop_steps.case_start_for_naskah(naskah=naskah, user=kasi)


def latest(kode: str) -> SopVersion:
    return SopVersion.objects.filter(kode=kode).latest("nomor_versi")


def start_case(kode: str, office: dict, *, versi: SopVersion | None = None) -> Case:
    versi = versi or latest(kode)
    definition = versi.definition
    starter = office[definition.step(1).pelaksana]
    if definition.berkas == "laporan":
        return start_letter_case(starter)
    return services.case_start(versi=versi, user=starter, judul="Rencana uji", rencana_kerja=WORK_PLAN)


def current_hash(case: Case) -> str:
    return case.documents.order_by("-nomor").first().sha256


def open_run(case: Case):
    return case.step_runs.get(selesai_pada__isnull=True)


def perform(case: Case, office: dict):
    """Do the open step the ordinary way (complete, paraf, sign, or disposisi to the staf)."""
    run = open_run(case)
    step = case.versi.definition.step(run.langkah)
    user = run.ditugaskan_ke or office[step.pelaksana]
    if step.jenis == "kerja":
        prepare_when_due(case, run, user)
        return services.step_complete(step_run=run, user=user, checklist=list(step.checklist))
    if step.jenis == "paraf":
        return services.step_paraf(step_run=run, user=user, document_hash=current_hash(case))
    if step.jenis == "tanda_tangan":
        return services.step_sign(step_run=run, user=user, document_hash=current_hash(case), passphrase=TEST_PASSPHRASE)
    return services.step_disposisi(step_run=run, user=user, instruksi="Segera laksanakan", kepada=office["staf"])


def prepare_when_due(case: Case, run, user) -> None:
    """SOP 2's step 5 completes only with prepared data: freeze a data-quality report first."""
    from piak.siak.selectors import PREPARATION_STEP
    from piak.siak.services import bahan_kualitas_data

    if case.versi.kode == "sop-2" and run.langkah == PREPARATION_STEP and not case.bahan_penyiapan.exists():
        bahan_kualitas_data(case=case, step_run_id=run.pk, user=user)


def deliver_when_due(case: Case, office: dict) -> None:
    """SOP 1's last step completes once the signed letter has gone out: send it by link when it is due."""
    case.refresh_from_db()
    naskah = sop_steps.case_letter(case)
    if case.status != Case.Status.BERJALAN or naskah is None:
        return
    if case.versi.definition.next_step(open_run(case).langkah) is None and naskah.status == "ditandatangani":
        naskah_services.naskah_send_link(naskah=naskah, by=office["kasi_ppd"])


def walk_to(case: Case, step_no: int, office: dict) -> Case:
    while open_run(case).langkah != step_no:
        perform(case, office)
        deliver_when_due(case, office)
    return case


def walk_to_end(case: Case, office: dict) -> Case:
    while Case.objects.get(pk=case.pk).status == Case.Status.BERJALAN:
        perform(case, office)
        deliver_when_due(case, office)
    case.refresh_from_db()
    return case


def seen(case: Case, **data) -> dict:
    """A form's fields plus what the page showed: the open step run and the current document."""
    document = case.documents.order_by("-nomor").first()
    return {"langkah_id": open_run(case).pk, "dokumen_sha256": document.sha256 if document else "", **data}
