"""Helpers to drive SOP cases the way the officials do."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from piak.core.roles import ROLES
from piak.naskah.tests.helpers import TEST_PASSPHRASE, passphrase_for
from piak.sop import services
from piak.sop.models import Case, SopVersion

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


def latest(kode: str) -> SopVersion:
    return SopVersion.objects.filter(kode=kode).latest("nomor_versi")


def start_case(kode: str, office: dict, *, versi: SopVersion | None = None) -> Case:
    versi = versi or latest(kode)
    definition = versi.definition
    starter = office[definition.step(1).pelaksana]
    if definition.berkas == "laporan":
        upload = SimpleUploadedFile("laporan.pdf", b"%PDF-1.4 laporan uji")
        return services.case_start(versi=versi, user=starter, judul="Laporan uji", upload=upload)
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
        return services.step_complete(step_run=run, user=user, checklist=list(step.checklist))
    if step.jenis == "paraf":
        return services.step_paraf(step_run=run, user=user, document_hash=current_hash(case))
    if step.jenis == "tanda_tangan":
        return services.step_sign(step_run=run, user=user, document_hash=current_hash(case), passphrase=TEST_PASSPHRASE)
    return services.step_disposisi(step_run=run, user=user, instruksi="Segera laksanakan", kepada=office["staf"])


def walk_to(case: Case, step_no: int, office: dict) -> Case:
    while open_run(case).langkah != step_no:
        perform(case, office)
    return case


def walk_to_end(case: Case, office: dict) -> Case:
    while Case.objects.get(pk=case.pk).status == Case.Status.BERJALAN:
        perform(case, office)
    case.refresh_from_db()
    return case
