from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from piak.core.audit import audit_chain_verify
from piak.core.errors import DomainError
from piak.core.models import AuditEvent, Capacity, Role
from piak.core.roles import ROLES
from piak.core.services import role_assign
from piak.core.testing import acting_appoint_confirmed
from piak.naskah import services as naskah_services
from piak.naskah.tests.helpers import TEST_PASSPHRASE, passphrase_for
from piak.sop import services
from piak.sop.definition import shipped_definitions
from piak.sop.models import Case, StepRun
from tests.sops.drive import (
    WORK_PLAN,
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
ACTIONS = ["selesai", "paraf", "tanda_tangan", "disposisi", "kembalikan"]
KIND_OF_ACTION = {
    "selesai": "kerja",
    "paraf": "paraf",
    "tanda_tangan": "tanda_tangan",
    "disposisi": "disposisi",
}


def _steps():
    from piak.sop.definition import definition_parse

    for kode in SOPS:
        definition = definition_parse(shipped_definitions()[kode])
        for step in definition.langkah:
            yield kode, step.no


def _do(action: str, case: Case, user, office):
    run = open_run(case)
    step = case.versi.definition.step(run.langkah)
    if action == "selesai":
        return services.step_complete(step_run=run, user=user, checklist=list(step.checklist))
    if action == "paraf":
        return services.step_paraf(step_run=run, user=user, document_hash=current_hash(case))
    if action == "tanda_tangan":
        return services.step_sign(step_run=run, user=user, document_hash=current_hash(case), passphrase=TEST_PASSPHRASE)
    if action == "disposisi":
        return services.step_disposisi(step_run=run, user=user, instruksi="Laksanakan", kepada=office["staf"])
    target = step.kembali_ke[0] if step.kembali_ke else 1
    return services.step_return(step_run=run, user=user, to_step=target, reason="Perlu perbaikan")


def _state(case: Case):
    return (
        list(StepRun.objects.filter(case=case).order_by("id").values_list("id", "selesai_pada", "hasil")),
        Case.objects.get(pk=case.pk).status,
        AuditEvent.objects.count(),
        case.documents.count(),
    )


@pytest.mark.parametrize(("kode", "step_no"), list(_steps()))
def test_every_role_and_action_is_allowed_exactly_where_the_definition_says(office, kode, step_no):
    case = walk_to(start_case(kode, office), step_no, office)
    step = case.versi.definition.step(step_no)
    run = open_run(case)
    prepare_when_due(case, run, run.ditugaskan_ke or office[step.pelaksana])  # so only the rules decide below
    for user in office.values():  # everyone has a passphrase, so only the rules decide who may sign
        passphrase_for(user)
    for role, _ in ROLES:
        for action in ACTIONS:
            expected = role == step.pelaksana and (
                KIND_OF_ACTION.get(action) == step.jenis or (action == "kembalikan" and bool(step.kembali_ke))
            )
            with transaction.atomic():
                before = _state(case)
                try:
                    _do(action, case, office[role], office)
                    allowed, code = True, None
                except DomainError as error:
                    allowed, code = False, error.code
                    assert _state(case) == before, f"{role} {action}: a refused action changed something"
                transaction.set_rollback(True)
            assert allowed == expected, f"{kode} langkah {step_no}: {role} {action} → {code}"
            if not allowed:
                assert code.startswith("sop_"), code


@pytest.mark.parametrize("kode", SOPS)
def test_each_sop_runs_from_start_to_end_with_one_audit_event_per_change(office, kode):
    case = walk_to_end(start_case(kode, office), office)
    steps = len(case.versi.definition.langkah)
    assert case.status == Case.Status.SELESAI
    assert case.step_runs.count() == steps
    # The engine writes one event per change (start + one per step); an SOP 1 letter adds its own.
    assert AuditEvent.objects.filter(action__startswith="sop.").count() == 1 + steps
    assert audit_chain_verify().ok
    outcomes = list(case.step_runs.order_by("langkah").values_list("hasil", flat=True))
    kinds = [s.jenis for s in case.versi.definition.langkah]
    expected = {
        "kerja": "selesai",
        "paraf": "paraf",
        "tanda_tangan": "ditandatangani",
        "disposisi": "disposisi",
    }
    assert outcomes == [expected[k] for k in kinds]


def _return_paths():
    from piak.sop.definition import definition_parse

    for kode in SOPS:
        for step in definition_parse(shipped_definitions()[kode]).langkah:
            for target in step.kembali_ke:
                yield kode, step.no, target


@pytest.mark.parametrize(("kode", "step_no", "target"), list(_return_paths()))
def test_every_allowed_return_path(office, kode, step_no, target):
    case = walk_to(start_case(kode, office), step_no, office)
    paraf_before = list(case.step_runs.filter(hasil="paraf", langkah__gte=target).values_list("id", flat=True))
    run = open_run(case)
    user = office[case.versi.definition.step(step_no).pelaksana]
    services.step_return(step_run=run, user=user, to_step=target, reason="Angka kecamatan belum cocok")
    reopened = open_run(case)
    assert (reopened.langkah, reopened.percobaan) == (target, 2)
    # The reopened step belongs to the role (whoever holds it now), not to whoever did it before.
    assert reopened.ditugaskan_ke is None
    assert set(
        case.step_runs.filter(id__in=paraf_before, dibatalkan_pada__isnull=False).values_list("id", flat=True)
    ) == set(paraf_before)
    event = AuditEvent.objects.filter(action="sop.step_returned").latest("seq")
    assert event.payload["alasan"] == "Angka kecamatan belum cocok"
    assert event.payload["ke_langkah"] == target
    walk_to_end(case, office)
    assert case.status == Case.Status.SELESAI
    assert audit_chain_verify().ok


def test_return_needs_a_reason_and_an_allowed_target(office):
    case = walk_to(start_case("sop-2", office), 4, office)
    run = open_run(case)
    with pytest.raises(DomainError) as error:
        services.step_return(step_run=run, user=office["kepala_dinas"], to_step=3, reason="  ")
    assert error.value.code == "sop_reason_required"
    with pytest.raises(DomainError) as error:
        services.step_return(step_run=run, user=office["kepala_dinas"], to_step=1, reason="Salah")
    assert error.value.code == "sop_return_not_allowed"


def test_paraf_is_bound_to_the_document_version_seen(office):
    case = start_case("sop-1", office)
    first_hash = current_hash(case)
    perform(case, office)  # step 1 done with version 1
    with pytest.raises(DomainError) as error:
        services.step_paraf(step_run=open_run(case), user=office["kabid_piak"], document_hash="0" * 64)
    assert error.value.code == "sop_document_changed"
    run = services.step_paraf(step_run=open_run(case), user=office["kabid_piak"], document_hash=first_hash)
    assert run.document_hash == first_hash


def test_corrected_document_after_a_return_gets_a_new_hash_for_later_paraf(office):
    case = walk_to(start_case("sop-1", office), 2, office)
    services.step_return(step_run=open_run(case), user=office["kabid_piak"], to_step=1, reason="Tabel 3 salah")
    naskah_services.naskah_revise(naskah=case.naskah, by=office["kasi_ppd"], perihal="Penyampaian Data (diperbaiki)")
    new = services.document_add(case=case, user=office["kasi_ppd"])
    perform(case, office)
    run = services.step_paraf(step_run=open_run(case), user=office["kabid_piak"], document_hash=new.sha256)
    assert run.document_hash == new.sha256 != case.documents.get(nomor=1).sha256


def test_nobody_initials_or_signs_what_they_drafted(office, make_official):
    drafter_kabid = make_official("kabid2", "kabid_piak")
    role_assign(
        user=drafter_kabid,
        role=Role.objects.get(code="kasi_ppd"),
        capacity=Capacity.DEFINITIF,
        mulai=date(2020, 1, 1),
    )
    case = start_letter_case(drafter_kabid)
    perform(case, {**office, "kasi_ppd": drafter_kabid})
    with pytest.raises(DomainError) as error:
        services.step_paraf(step_run=open_run(case), user=drafter_kabid, document_hash=current_hash(case))
    assert error.value.code == "sop_self_approval"


def test_plt_acting_for_an_absent_kabid_may_paraf_and_is_recorded(office, make_official):
    from django.utils import timezone

    today = timezone.localdate()
    plt = make_official("plt_kabid", "kasi_siak")
    acting_appoint_confirmed(user=plt, role="kabid_piak", capacity=Capacity.PLT, mulai=today, selesai=today)
    case = walk_to(start_case("sop-1", office), 2, office)
    run = services.step_paraf(step_run=open_run(case), user=plt, document_hash=current_hash(case))
    assert (run.peran_dipegang, run.sebagai) == ("kabid_piak", "plt")
    event = AuditEvent.objects.filter(action="sop.step_paraf").latest("seq")
    assert (event.role, event.acting_as) == ("kabid_piak", "plt")


def test_work_step_needs_its_checklist(office):
    case = start_case("sop-2", office)
    with pytest.raises(DomainError) as error:
        services.step_complete(step_run=open_run(case), user=office["staf"], checklist=[])
    assert error.value.code == "sop_checklist_incomplete"
    assert open_run(case).langkah == 1


def test_sop1_starts_only_from_a_data_request(office):
    with pytest.raises(DomainError) as error:
        services.case_start(
            versi=latest("sop-1"),
            user=office["kasi_ppd"],
            judul="Unggahan sembarang",
            upload=SimpleUploadedFile("laporan.pdf", b"%PDF-1.4 x"),
        )
    assert error.value.code == "sop_start_from_request"
    assert not Case.objects.exists()


def test_disposisi_goes_to_a_subordinate_who_gets_the_next_step(office):
    case = walk_to(start_case("sop-2", office), 4, office)
    with pytest.raises(DomainError) as error:
        services.step_disposisi(
            step_run=open_run(case), user=office["kepala_dinas"], instruksi="x", kepada=office["kepala_dinas"]
        )
    assert error.value.code == "sop_not_subordinate"
    with pytest.raises(DomainError) as error:
        services.step_disposisi(
            step_run=open_run(case), user=office["kepala_dinas"], instruksi=" ", kepada=office["staf"]
        )
    assert error.value.code == "sop_instruction_required"
    services.step_disposisi(
        step_run=open_run(case), user=office["kepala_dinas"], instruksi="Siapkan data", kepada=office["staf"]
    )
    assert open_run(case).ditugaskan_ke == office["staf"]


def test_cancel_needs_a_reason_and_the_right_person(office):
    case = start_case("sop-3", office)
    for outsider in ("staf", "kasi_tksdm_tik", "admin"):  # the starter, a Kasi and the Admin may not cancel
        with pytest.raises(DomainError) as error:
            services.case_cancel(case=case, user=office[outsider], reason="Tidak perlu")
        assert error.value.code == "sop_cancel_forbidden"
    with pytest.raises(DomainError) as error:
        services.case_cancel(case=case, user=office["kabid_piak"], reason="")
    assert error.value.code == "sop_reason_required"
    services.case_cancel(case=case, user=office["kabid_piak"], reason="Kegiatan ditunda")
    case.refresh_from_db()
    assert case.status == Case.Status.DIBATALKAN
    cancelled_run = case.step_runs.get()
    assert cancelled_run.hasil == "dibatalkan"
    with pytest.raises(DomainError) as error:
        services.step_complete(step_run=cancelled_run, user=office["staf"], checklist=["Komputerisasi , Aplikasi"])
    assert error.value.code == "sop_case_closed"


def test_a_published_new_version_leaves_running_cases_on_their_version(office):
    old = latest("sop-1")
    running = start_case("sop-1", office)
    changed = old.yaml_text.replace("waktu: 15 menit", "waktu: 45 menit")
    new = services.sop_publish(yaml_text=changed, user=office["admin"], catatan="Telaah 45 menit")
    assert new.nomor_versi == old.nomor_versi + 1
    perform(running, office)
    running.refresh_from_db()
    assert running.versi == old
    run = open_run(running)
    assert running.versi.definition.step(2).waktu == "15 menit"
    fresh = start_case("sop-1", office)
    assert fresh.versi == new
    assert fresh.versi.definition.step(2).waktu == "45 menit"
    assert run.tenggat is not None


def test_publishing_an_unchanged_or_invalid_definition_is_refused(office):
    current = latest("sop-2")
    with pytest.raises(DomainError) as error:
        services.sop_publish(yaml_text=current.yaml_text, user=office["admin"])
    assert error.value.code == "sop_unchanged"
    with pytest.raises(DomainError) as error:
        services.sop_publish(yaml_text="kode: sop-2\n", user=office["admin"])
    assert error.value.code == "sop_definition_invalid"


def test_work_plan_must_have_activities(office):
    with pytest.raises(DomainError) as error:
        services.case_start(
            versi=latest("sop-2"), user=office["staf"], judul="x", rencana_kerja={**WORK_PLAN, "kegiatan": []}
        )
    assert error.value.code == "sop_work_plan_incomplete"
    assert not Case.objects.exists()


def test_work_plan_attachment_is_part_of_the_hash(office):
    with_file = services.case_start(
        versi=latest("sop-2"),
        user=office["staf"],
        judul="a",
        rencana_kerja=WORK_PLAN,
        upload=SimpleUploadedFile("jadwal.xlsx", b"jadwal v1"),
    )
    other_file = services.case_start(
        versi=latest("sop-2"),
        user=office["staf"],
        judul="b",
        rencana_kerja=WORK_PLAN,
        upload=SimpleUploadedFile("jadwal.xlsx", b"jadwal v2"),
    )
    without = services.case_start(versi=latest("sop-2"), user=office["staf"], judul="c", rencana_kerja=WORK_PLAN)
    hashes = {current_hash(c) for c in (with_file, other_file, without)}
    assert len(hashes) == 3
    assert with_file.documents.get().berkas.read() == b"jadwal v1"
