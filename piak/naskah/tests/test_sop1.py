"""SOP 1 with a real letter: the paraf chain, signature and numbering at step 5, delivery and archive at step 6."""

import json

import pytest

from piak.core.audit import audit_chain_verify
from piak.core.errors import DomainError
from piak.naskah import services as naskah_services
from piak.naskah import sop_steps
from piak.naskah.models import Naskah
from piak.naskah.verification import stored_letter_check
from piak.sop import services
from piak.sop.models import Case

from .conftest import SNAPSHOT
from .helpers import passphrase_for, pdf_text, version_bytes


def _open(case):
    return case.step_runs.get(selesai_pada__isnull=True)


def _hash(case):
    return case.documents.order_by("-nomor").first().sha256


def _complete(case, user):
    run = _open(case)
    step = case.versi.definition.step(run.langkah)
    return services.step_complete(step_run=run, user=user, checklist=list(step.checklist))


def _paraf_chain(case, officials):
    services.step_paraf(step_run=_open(case), user=officials["kabid"], document_hash=_hash(case))
    services.step_paraf(step_run=_open(case), user=officials["kabid"], document_hash=_hash(case))
    services.step_paraf(step_run=_open(case), user=officials["sekretaris"], document_hash=_hash(case))


def test_sop1_letter_from_draft_to_archive(officials, draft):
    case = sop_steps.case_start_for_naskah(naskah=draft, user=officials["kasi"])
    _complete(case, officials["kasi"])
    _paraf_chain(case, officials)
    services.step_sign(
        step_run=_open(case),
        user=officials["kadis"],
        document_hash=_hash(case),
        passphrase=passphrase_for(officials["kadis"]),
    )
    draft.refresh_from_db()
    assert draft.status == Naskah.Status.DITANDATANGANI
    assert draft.nomor.endswith(f"/PIAK/{draft.tahun}")
    assert stored_letter_check(draft).valid

    with pytest.raises(DomainError) as error:
        _complete(case, officials["kasi"])
    assert error.value.code == "sop_naskah_not_sent"

    naskah_services.naskah_send_link(naskah=draft, by=officials["kasi"])
    _complete(case, officials["kasi"])
    case.refresh_from_db()
    draft.refresh_from_db()
    assert case.status == Case.Status.SELESAI
    assert draft.status == Naskah.Status.DIARSIPKAN
    assert audit_chain_verify().ok


def test_return_revise_and_take_the_new_draft(officials, draft, report_pdf):
    case = sop_steps.case_start_for_naskah(naskah=draft, user=officials["kasi"])
    _complete(case, officials["kasi"])
    first_hash = _hash(case)
    services.step_return(step_run=_open(case), user=officials["kabid"], to_step=1, reason="Perihal kurang jelas")
    with pytest.raises(DomainError) as error:
        services.document_add(case=case, user=officials["kasi"])
    assert error.value.code == "sop_naskah_unchanged"
    naskah_services.naskah_revise(naskah=draft, by=officials["kasi"], perihal="Penyampaian Data Penduduk Semester I")
    services.document_add(case=case, user=officials["kasi"])
    assert _hash(case) == draft.versi_terakhir.sha256 != first_hash
    _complete(case, officials["kasi"])
    with pytest.raises(DomainError) as error:
        services.step_paraf(step_run=_open(case), user=officials["kabid"], document_hash=first_hash)
    assert error.value.code == "sop_document_changed"
    _paraf_chain(case, officials)
    services.step_sign(
        step_run=_open(case),
        user=officials["kadis"],
        document_hash=_hash(case),
        passphrase=passphrase_for(officials["kadis"]),
    )
    draft.refresh_from_db()
    assert draft.status == Naskah.Status.DITANDATANGANI


def test_only_a_draft_without_a_case_can_start_sop1(officials, signed, permintaan, report_pdf):
    with pytest.raises(DomainError) as error:
        sop_steps.case_start_for_naskah(naskah=signed, user=officials["kasi"])
    assert error.value.code == "sop_naskah_not_draft"
    fresh = naskah_services.naskah_draft(permintaan=permintaan, by=officials["kasi"], snapshot=SNAPSHOT)
    sop_steps.case_start_for_naskah(naskah=fresh, user=officials["kasi"])
    with pytest.raises(DomainError) as error:
        sop_steps.case_start_for_naskah(naskah=fresh, user=officials["kasi"])
    assert error.value.code == "sop_naskah_has_case"


def test_starting_sop1_from_a_request_drafts_report_and_letter_from_a_frozen_register(officials, tmp_path):
    from datetime import date

    from piak.penduduk.generator import city_write
    from piak.penduduk.services import penduduk_import
    from piak.statistik.models import Snapshot

    export = tmp_path / "siak.csv"
    city_write(export, people=400, seed=7)
    assert penduduk_import(path=export).rejected == 0
    permintaan = naskah_services.permintaan_create(
        by=officials["kasi"],
        instansi="Bappeda Kota Palembang",
        jabatan_tujuan="Kepala Bappeda Kota Palembang",
        nomor_surat="050/77/BAPPEDA/2026",
        tanggal_surat=date(2026, 11, 20),
        keperluan="perencanaan 2027",
        tabel_diminta=["T1"],
        tanggal_data=date(2026, 11, 24),
        email_kontak="bappeda@palembang.go.id",
        dasar_hukum="Permendagri 86/2017",
    )
    case = sop_steps.case_start_for_request(permintaan=permintaan, user=officials["kasi"])
    snapshot = Snapshot.objects.get()
    naskah = case.naskah
    assert snapshot.tanggal_potong == date(2026, 11, 24)
    assert snapshot.jumlah_baris == 400
    assert (naskah.snapshot_sha256, naskah.snapshot_baris) == (snapshot.sha256, 400)
    names = sorted(naskah.lampiran.values_list("nama", flat=True))
    assert names == ["laporan-penduduk-2026-11-24.pdf", "laporan-penduduk-2026-11-24.xlsx"]
    assert naskah.lampiran.get(nama__endswith=".pdf").berkas.read().startswith(b"%PDF")
    assert _hash(case) == naskah.versi_terakhir.sha256
    again = naskah_services.permintaan_create(
        by=officials["kasi"],
        instansi="KPU Kota Palembang",
        jabatan_tujuan="Ketua KPU Kota Palembang",
        nomor_surat="1/KPU/2026",
        tanggal_surat=date(2026, 11, 21),
        keperluan="DP4",
        tabel_diminta=["T1"],
        tanggal_data=date(2026, 11, 24),
        email_kontak="kpu@palembang.go.id",
        nomor_pks="PKS/1/2026",
    )
    sop_steps.case_start_for_request(permintaan=again, user=officials["kasi"])
    assert Snapshot.objects.count() == 1  # the same cut-off reuses the frozen snapshot


def test_only_the_kasi_ppd_starts_sop1_from_a_request(officials, permintaan):
    with pytest.raises(DomainError) as error:
        sop_steps.case_start_for_request(permintaan=permintaan, user=officials["sekretaris"])
    assert error.value.code == "sop_not_performer"
    assert not Case.objects.exists()


def test_archive_sheet_lists_every_event_of_the_case_and_its_letter(officials, draft, tmp_path):
    case = sop_steps.case_start_for_naskah(naskah=draft, user=officials["kasi"])
    _complete(case, officials["kasi"])
    services.step_return(step_run=_open(case), user=officials["kabid"], to_step=1, reason="Perihal kurang jelas")
    naskah_services.naskah_revise(naskah=draft, by=officials["kasi"], perihal="Penyampaian Data Penduduk Semester I")
    services.document_add(case=case, user=officials["kasi"])
    _complete(case, officials["kasi"])
    _paraf_chain(case, officials)
    kadis = officials["kadis"]
    services.step_sign(step_run=_open(case), user=kadis, document_hash=_hash(case), passphrase=passphrase_for(kadis))
    naskah_services.naskah_send_link(naskah=draft, by=officials["kasi"])
    _complete(case, officials["kasi"])
    arsip = draft.arsip
    trail = json.loads(version_bytes(arsip.berkas.get(nama="jejak-audit.json")))
    actions = [e["aksi"] for e in trail]
    assert {"sop.case_started", "sop.step_returned", "sop.step_paraf", "sop.step_signed"} <= set(actions)
    assert {"naskah.disusun", "naskah.direvisi", "naskah.ditandatangani", "naskah.dikirim"} <= set(actions)
    text = pdf_text(version_bytes(arsip.berkas.get(nama="lembar-arsip.pdf")), tmp_path)
    assert "JEJAK AUDIT" in text
    for expected in (
        "Berkas SOP dimulai",
        "Dokumen dikembalikan untuk perbaikan",
        "alasan Perihal kurang jelas",
        "Paraf",
        "Drs. Ahmad Fauzi, M.Si.",
        "Sekretaris",
        "Tanda tangan",
        "Dr. H. Bambang Irawan, M.Si.",
        "Pengiriman naskah ke instansi",
        draft.versi.get(jenis="final").sha256[:12],
    ):
        assert expected in text, expected
