"""Drive any shipped SOP's case to any step, doing what each SOP's app needs on the way: SOP 1 starts from
a data request with its drafted letter, is signed and delivered; SOP 2's step 5 completes with prepared data.
Tests that cross the apps (the engine across all SOPs, dashboards, the browser) use these."""

from datetime import date
from functools import cache

from django.utils import timezone

from piak.naskah import services as naskah_services
from piak.naskah import sop_steps
from piak.naskah.tests.helpers import TEST_PASSPHRASE
from piak.sop.models import Case, SopVersion
from piak.sop.tests import conftest as engine
from piak.web.pdf import render_pdf

SNAPSHOT = naskah_services.SnapshotRef(
    ref="SNAP-2026-06-30",
    tanggal=date(2026, 6, 30),
    baris=1_734_512,
    sha256="3f2a9c0d4e5b6a7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7",
)
open_run, current_hash, latest, seen, WORK_PLAN = (
    engine.open_run,
    engine.current_hash,
    engine.latest,
    engine.seen,
    engine.WORK_PLAN,
)


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


def start_case(kode: str, office: dict, *, versi: SopVersion | None = None) -> Case:
    versi = versi or latest(kode)
    if versi.definition.berkas == "laporan":
        return start_letter_case(office[versi.definition.step(1).pelaksana])
    return engine.start_case(kode, office, versi=versi)


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


EVERY_SOP = {"prepare": prepare_when_due, "passphrase": TEST_PASSPHRASE, "after": deliver_when_due}


def perform(case: Case, office: dict):
    return engine.perform(case, office, **EVERY_SOP)


def walk_to(case: Case, step_no: int, office: dict) -> Case:
    return engine.walk_to(case, step_no, office, **EVERY_SOP)


def walk_to_end(case: Case, office: dict) -> Case:
    return engine.walk_to_end(case, office, **EVERY_SOP)
