"""Helpers to drive SOP cases the way the officials do, through the engine alone.

What an SOP's own app adds (SOP 1's letter, SOP 2's prepared data) is passed in by the caller: the
cross-app driver in tests/sops/drive.py does so for every shipped SOP.
"""

from collections.abc import Callable

import pytest

from piak.sop import services
from piak.sop.models import Case, SopVersion

WORK_PLAN = {
    "judul": "Pemeliharaan server SIAK",
    "kegiatan": ["Pembaruan aplikasi", "Uji cadangan"],
    "dasar_hukum": "Perpres 96/2018",
}


@pytest.fixture(autouse=True)
def media_storage(settings, tmp_path, signer_dir):
    """Cases carry real files: a temporary media folder (and the session's CA, for SOPs that sign)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PIAK_SIGNER_DIR = signer_dir
    settings.PIAK_PUBLIC_URL = "https://piak.palembang.go.id"


def latest(kode: str) -> SopVersion:
    return SopVersion.objects.filter(kode=kode).latest("nomor_versi")


def start_case(kode: str, office: dict, *, versi: SopVersion | None = None) -> Case:
    """A case of an SOP that starts from a work plan, started by its first step's performer."""
    versi = versi or latest(kode)
    starter = office[versi.definition.step(1).pelaksana]
    return services.case_start(versi=versi, user=starter, judul="Rencana uji", rencana_kerja=WORK_PLAN)


def current_hash(case: Case) -> str:
    return case.documents.order_by("-nomor").first().sha256


def open_run(case: Case):
    return case.step_runs.get(selesai_pada__isnull=True)


def perform(case: Case, office: dict, *, prepare: Callable | None = None, passphrase: str = "", **_):
    """Do the open step the ordinary way (complete, paraf, sign, or disposisi to the staf); `prepare(case,
    run, user)` first does what the SOP's app needs before a step completes."""
    run = open_run(case)
    step = case.versi.definition.step(run.langkah)
    user = run.ditugaskan_ke or office[step.pelaksana]
    if prepare:
        prepare(case, run, user)
    if step.jenis == "kerja":
        return services.step_complete(step_run=run, user=user, checklist=list(step.checklist))
    if step.jenis == "paraf":
        return services.step_paraf(step_run=run, user=user, document_hash=current_hash(case))
    if step.jenis == "tanda_tangan":
        return services.step_sign(step_run=run, user=user, document_hash=current_hash(case), passphrase=passphrase)
    return services.step_disposisi(step_run=run, user=user, instruksi="Segera laksanakan", kepada=office["staf"])


def _step_then(case: Case, office: dict, how: dict) -> None:
    perform(case, office, **how)
    if after := how.get("after"):
        after(case, office)


def walk_to(case: Case, step_no: int, office: dict, **how) -> Case:
    """Perform steps until `step_no` is open; `how` holds `prepare`, `passphrase` and `after(case, office)`."""
    while open_run(case).langkah != step_no:
        _step_then(case, office, how)
    return case


def walk_to_end(case: Case, office: dict, **how) -> Case:
    while Case.objects.get(pk=case.pk).status == Case.Status.BERJALAN:
        _step_then(case, office, how)
    case.refresh_from_db()
    return case


def seen(case: Case, **data) -> dict:
    """A form's fields plus what the page showed: the open step run and the current document."""
    document = case.documents.order_by("-nomor").first()
    return {"langkah_id": open_run(case).pk, "dokumen_sha256": document.sha256 if document else "", **data}
