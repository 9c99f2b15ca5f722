"""Integrity of the chain: separation of duties, steps that belong to roles, disposisi to a named
performer, notices, and the guards around cancelling and signing."""

from datetime import datetime, timedelta
from itertools import combinations

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from piak.core.errors import DomainError
from piak.core.models import Capacity, Role
from piak.core.testing import acting_appoint_confirmed
from piak.core.worktime import WIB
from piak.naskah.tests.helpers import passphrase_for
from piak.sop import services
from piak.sop.definition import DefinitionInvalid, definition_parse, shipped_definitions
from piak.sop.duties import APPROVAL_KINDS
from piak.sop.models import Case, Notification, StepRun
from piak.sop.selectors import actions_for, inbox_for
from tests.sops.drive import (
    current_hash,
    latest,
    open_run,
    perform,
    prepare_when_due,
    start_case,
    start_letter_case,
    walk_to,
    walk_to_end,
)

SOPS = ["sop-1", "sop-2", "sop-3"]


def _act(case: Case, user) -> StepRun:
    """`user` does the open step the ordinary way."""
    run = open_run(case)
    step = case.versi.definition.step(run.langkah)
    if step.jenis == "paraf":
        return services.step_paraf(step_run=run, user=user, document_hash=current_hash(case))
    if step.jenis == "tanda_tangan":
        return services.step_sign(
            step_run=run, user=user, document_hash=current_hash(case), passphrase=passphrase_for(user)
        )
    if step.jenis == "disposisi":
        return services.step_disposisi(step_run=run, user=user, instruksi="Laksanakan", kepada=_staf(case))
    prepare_when_due(case, run, user)
    return services.step_complete(step_run=run, user=user, checklist=list(step.checklist))


def _staf(case: Case):
    return next(h.user for h in Role.objects.get(code="staf").holdings.select_related("user"))


def _approval_pairs():
    """Every pair of approval steps of a shipped SOP that the SOP gives to two different roles."""
    for kode in SOPS:
        steps = [s for s in definition_parse(shipped_definitions()[kode]).langkah if s.jenis in APPROVAL_KINDS]
        for first, second in combinations(steps, 2):
            if first.pelaksana != second.pelaksana:
                yield kode, first.no, second.no


@pytest.mark.parametrize(("kode", "first", "second"), list(_approval_pairs()))
def test_nobody_handles_two_approval_roles_of_one_case(office, make_official, kode, first, second):
    """One person holds the first step's role definitively and stands in (Plt or Plh) for the second's:
    they may do the first, are neither offered nor allowed the second, and the case still completes."""
    definition = latest(kode).definition
    first_role, second_role = definition.step(first).pelaksana, definition.step(second).pelaksana
    today = timezone.localdate()
    capacity = Capacity.PLT if (first + second) % 2 else Capacity.PLH
    person = make_official(f"rangkap_{first}_{second}", first_role, nama_cetak="Pejabat Rangkap")
    acting_appoint_confirmed(user=person, role=second_role, capacity=capacity, mulai=today, selesai=today)
    case = walk_to(start_case(kode, office), first, office)
    _act(case, person)
    walk_to(case, second, office)
    run = open_run(case)
    assert run.pk not in [item.run.pk for item in inbox_for(user=person)]
    offered = actions_for(case=case, user=person)
    assert offered.actions == [] and "Pemisahan tugas" in offered.refusal
    before = list(StepRun.objects.filter(case=case).values_list("id", "selesai_pada"))
    with pytest.raises(DomainError) as error:
        _act(case, person)
    assert error.value.code == "sop_duty_separation"
    assert f"langkah {first}" in error.value.message and Role.objects.get(code=first_role).nama in error.value.message
    assert list(StepRun.objects.filter(case=case).values_list("id", "selesai_pada")) == before
    if definition.step(second).kembali_ke:  # nor may they return it
        with pytest.raises(DomainError) as error:
            services.step_return(step_run=run, user=person, to_step=definition.step(second).kembali_ke[0], reason="x")
        assert error.value.code == "sop_duty_separation"
    walk_to_end(case, office)
    assert case.status == Case.Status.SELESAI


def test_steps_the_sop_gives_to_one_role_stay_with_one_official(office):
    """SOP 1 steps 2 and 3 are both the Kabid's: the same official initials both."""
    case = walk_to(start_case("sop-1", office), 2, office)
    _act(case, office["kabid_piak"])
    assert actions_for(case=case, user=office["kabid_piak"]).actions == ["paraf", "kembalikan"]
    _act(case, office["kabid_piak"])
    assert open_run(case).langkah == 4


@pytest.mark.parametrize("capacity", [Capacity.PLT, Capacity.PLH])
def test_the_drafter_standing_in_for_the_evaluator_may_not_approve_their_own_plan(office, make_official, capacity):
    today = timezone.localdate()
    acting_appoint_confirmed(user=office["staf"], role="kasi_siak", capacity=capacity, mulai=today, selesai=today)
    case = walk_to(start_case("sop-2", office), 2, office)
    with pytest.raises(DomainError) as error:
        _act(case, office["staf"])
    assert error.value.code == "sop_self_approval"
    assert "Pemisahan tugas" in error.value.message
    _act(case, office["kasi_siak"])
    assert open_run(case).langkah == 3


def test_a_kabid_who_revised_the_letter_may_not_initial_his_own_text(office):
    from piak.naskah import services as naskah_services

    case = walk_to(start_case("sop-1", office), 2, office)
    services.step_return(step_run=open_run(case), user=office["kabid_piak"], to_step=1, reason="Perihal kurang jelas")
    naskah_services.naskah_revise(naskah=case.naskah, by=office["kabid_piak"], perihal="Penyampaian Data Penduduk")
    services.document_add(case=case, user=office["kasi_ppd"])
    assert case.documents.order_by("-nomor").first().disusun_oleh == office["kabid_piak"]
    perform(case, office)
    with pytest.raises(DomainError) as error:
        _act(case, office["kabid_piak"])
    assert error.value.code == "sop_self_approval"
    assert "menyusun dokumen versi 2" in error.value.message


def test_without_the_declaration_the_rules_do_not_apply(office, make_official):
    import yaml

    data = yaml.safe_load(shipped_definitions()["sop-2"])
    data["pemisahan_tugas"] = False
    versi = services.sop_publish(yaml_text=yaml.safe_dump(data, allow_unicode=True), user=office["admin"])
    today = timezone.localdate()
    acting_appoint_confirmed(
        user=office["kasi_siak"], role="kabid_piak", capacity=Capacity.PLH, mulai=today, selesai=today
    )
    case = walk_to(start_case("sop-2", office, versi=versi), 2, office)
    _act(case, office["kasi_siak"])
    _act(case, office["kasi_siak"])  # step 3 as Plh Kabid: allowed where the SOP does not ask for four eyes
    assert open_run(case).langkah == 4


def test_pemisahan_tugas_must_be_true_or_false():
    text = shipped_definitions()["sop-2"].replace("pemisahan_tugas: true", "pemisahan_tugas: kadang")
    with pytest.raises(DefinitionInvalid) as error:
        definition_parse(text)
    assert any("pemisahan_tugas" in e for e in error.value.errors)


def test_a_signing_step_belongs_only_to_an_sop_that_carries_a_letter():
    text = shipped_definitions()["sop-2"].replace("jenis: disposisi", "jenis: tanda_tangan", 1)
    with pytest.raises(DefinitionInvalid) as error:
        definition_parse(text)
    assert any("tanda_tangan" in e and "berkas: laporan" in e for e in error.value.errors)


def test_a_legacy_report_case_without_a_letter_cannot_be_signed(office):
    """A report case from before letters were required has no letter: its signing step cannot complete."""
    case = services.case_open(
        versi=latest("sop-1"),
        user=office["kasi_ppd"],
        judul="Laporan lama",
        upload=SimpleUploadedFile("lama.pdf", b"%PDF-1.4 lama"),
    )
    walk_to(case, 5, office)
    with pytest.raises(DomainError) as error:
        _act(case, office["kepala_dinas"])
    assert error.value.code == "sop_sign_needs_letter"
    assert open_run(case).langkah == 5


# --- steps belong to roles ---------------------------------------------------------------------------


def test_a_step_returned_after_a_plh_acted_goes_to_the_role_not_the_plh(office, make_official):
    today = timezone.localdate()
    plh = make_official("plh_kabid", "kasi_tksdm_tik", nama_cetak="Plh Kabid")
    acting_appoint_confirmed(user=plh, role="kabid_piak", capacity=Capacity.PLH, mulai=today, selesai=today)
    case = walk_to(start_case("sop-2", office), 3, office)
    _act(case, plh)
    services.step_return(step_run=open_run(case), user=office["kepala_dinas"], to_step=3, reason="Jadwal bentrok")
    reopened = open_run(case)
    assert (reopened.langkah, reopened.ditugaskan_ke) == (3, None)
    assert reopened.pk in [item.run.pk for item in inbox_for(user=office["kabid_piak"])]
    _act(case, office["kabid_piak"])  # the definitive Kabid takes it the same day
    assert open_run(case).langkah == 4


def test_a_step_left_with_an_official_whose_term_ended_moves_to_the_current_holder(office, make_official):
    monday = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
    plh = make_official("plh_kasi", "staf", nama_cetak="Plh Kasi PPD")
    with time_machine.travel(monday, tick=False):
        acting_appoint_confirmed(
            user=plh, role="kasi_ppd", capacity=Capacity.PLH, mulai=monday.date(), selesai=monday.date()
        )
        case = start_letter_case(plh)
        run = open_run(case)
        assert run.ditugaskan_ke == plh
        assert run.pk not in [item.run.pk for item in inbox_for(user=office["kasi_ppd"])]
        with pytest.raises(DomainError) as error:
            _act(case, office["kasi_ppd"])
        assert error.value.code == "sop_assigned_to_other"
    with time_machine.travel(monday + timedelta(days=1), tick=False):  # the Plh's term is over
        assert run.pk in [item.run.pk for item in inbox_for(user=office["kasi_ppd"])]
        assert inbox_for(user=plh) == []
        _act(case, office["kasi_ppd"])
    assert open_run(case).langkah == 2


# --- disposisi and notices ------------------------------------------------------------------------


def test_disposisi_gives_the_next_step_to_the_named_performer_who_is_told(office, make_official):
    second_staf = make_official("staf2", "staf", nama_cetak="Staf Kedua", email="staf2@palembang.go.id")
    case = walk_to(start_case("sop-3", office), 4, office)
    with pytest.raises(DomainError) as error:  # the Kasi TIK does not perform step 5 (Staf)
        services.step_disposisi(
            step_run=open_run(case), user=office["kepala_dinas"], instruksi="Siapkan", kepada=office["kasi_tksdm_tik"]
        )
    assert error.value.code == "sop_disposisi_not_performer"
    services.step_disposisi(
        step_run=open_run(case), user=office["kepala_dinas"], instruksi="Siapkan perangkat", kepada=second_staf
    )
    run = open_run(case)
    assert (run.langkah, run.ditugaskan_ke) == (5, second_staf)
    assert [item.run.pk for item in inbox_for(user=second_staf)] == [run.pk]
    assert inbox_for(user=office["staf"]) == []
    notice = Notification.objects.get(user=second_staf, step_run=run)
    assert notice.level == Notification.Level.TUGAS and "langkah 5" in notice.pesan


def test_new_tasks_returns_and_the_end_are_announced(office, mailoutbox, django_capture_on_commit_callbacks):
    office["kabid_piak"].email = "kabid@palembang.go.id"
    office["kabid_piak"].save()
    with django_capture_on_commit_callbacks(execute=True):
        case = start_case("sop-3", office)
        perform(case, office)  # step 1 → the Kasi TIK gets a task
        task = Notification.objects.get(user=office["kasi_tksdm_tik"])
        assert task.level == Notification.Level.TUGAS and "Tugas baru" in task.pesan
        perform(case, office)  # step 2 → the Kabid, who has an email address, gets it by email too
        services.step_return(step_run=open_run(case), user=office["kabid_piak"], to_step=1, reason="Kegiatan kurang")
    assert [m.to for m in mailoutbox] == [["kabid@palembang.go.id"]]  # sent once the change is committed
    assert "Tugas baru" in mailoutbox[0].body
    returned = Notification.objects.get(user=office["staf"], level=Notification.Level.DIKEMBALIKAN)
    assert "Kegiatan kurang" in returned.pesan and "Pejabat kabid_piak" in returned.pesan
    walk_to_end(case, office)  # SOP 3 ends with the Kabid's disposisi: the staf who started it is told
    done = Notification.objects.get(user=office["staf"], level=Notification.Level.SELESAI)
    assert case.judul in done.pesan


# --- cancelling -----------------------------------------------------------------------------------


def test_a_case_whose_letter_is_signed_cannot_be_cancelled(office):
    case = walk_to(start_case("sop-1", office), 6, office)
    with pytest.raises(DomainError) as error:
        services.case_cancel(case=case, user=office["kepala_dinas"], reason="Salah kirim")
    assert error.value.code == "sop_cancel_signed_letter"
    case.refresh_from_db()
    assert case.status == Case.Status.BERJALAN


def test_a_cancel_form_from_before_the_case_moved_on_is_refused(office):
    case = start_case("sop-2", office)
    seen = open_run(case).pk
    perform(case, office)
    with pytest.raises(DomainError) as error:
        services.case_cancel(case=case, user=office["kabid_piak"], reason="Ditunda", seen_run_id=seen)
    assert error.value.code == "sop_case_changed"
    assert "sudah diselesaikan oleh" in error.value.message
    case.refresh_from_db()
    assert case.status == Case.Status.BERJALAN
    with transaction.atomic():
        services.case_cancel(case=case, user=office["kabid_piak"], reason="Ditunda", seen_run_id=open_run(case).pk)
    assert Case.objects.get(pk=case.pk).status == Case.Status.DIBATALKAN
    assert Notification.objects.get(user=office["staf"], level=Notification.Level.DIBATALKAN)


def test_cancelling_a_case_withdraws_its_draft_letter(office):
    from piak.naskah import services as naskah_services

    case = walk_to(start_case("sop-1", office), 3, office)
    services.case_cancel(case=case, user=office["kabid_piak"], reason="Instansi menarik permintaannya")
    case.naskah.refresh_from_db()
    assert case.naskah.status == "dibatalkan"
    with pytest.raises(DomainError):
        naskah_services.naskah_revise(naskah=case.naskah, by=office["kasi_ppd"], perihal="Lain")
    with pytest.raises(DomainError):
        naskah_services.naskah_send_link(naskah=case.naskah, by=office["kasi_ppd"])


def test_a_withdrawn_letter_lets_its_case_be_cancelled(office):
    from piak.naskah import services as naskah_services

    case = walk_to(start_case("sop-1", office), 6, office)
    naskah_services.naskah_withdraw(naskah=case.naskah, by=office["kepala_dinas"], alasan="Data salah kecamatan")
    services.case_cancel(case=case, user=office["kepala_dinas"], reason="Surat dicabut")
    case.refresh_from_db()
    assert (case.status, case.naskah.status) == (Case.Status.DIBATALKAN, "dicabut")
    assert case.naskah.nomor  # the number is kept
