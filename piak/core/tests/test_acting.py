"""Plt/Plh appointments: their SK, the second person's confirmation, and one acting official per role per day."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from piak.core import roles
from piak.core.errors import DomainError, PermissionDeniedError, ValidationFailed
from piak.core.models import AuditEvent, Capacity, HoldingStatus, Role, RoleHolding
from piak.core.permissions import acting_role_codes
from piak.core.selectors import acting_awaiting_confirmation, holding_for, role_holders_on
from piak.core.services import role_acting_confirm, role_acting_reject, role_assign, role_end
from piak.core.testing import acting_appoint_confirmed


@pytest.fixture
def office(make_official):
    """The officials who appoint and confirm: the Admin, the Kepala Dinas and the Sekretaris, and two Kasi."""
    return {
        "admin": make_official("admin", roles.ADMIN),
        "kadis": make_official("kadis", roles.KEPALA_DINAS, nama_cetak="Dr. Bambang Irawan"),
        "sekretaris": make_official("sekretaris", roles.SEKRETARIS),
        "kabid": make_official("kabid", roles.KABID_PIAK),
        "kasi": make_official("kasi", roles.KASI_SIAK, nama_cetak="Dewi Anggraini"),
        "kasi2": make_official("kasi2", roles.KASI_PPD),
        "staf": make_official("staf", roles.STAF),
    }


def _appoint(office, who="kasi", role=roles.KABID_PIAK, capacity=Capacity.PLT, start=0, days=7, **overrides):
    today = timezone.localdate()
    fields = {
        "user": office[who],
        "role": Role.objects.get(code=role),
        "capacity": capacity,
        "mulai": today + timedelta(days=start),
        "selesai": today + timedelta(days=start + days),
        "nomor_sk": "800/0456/Disdukcapil/2026",
        "tanggal_sk": today,
        "by": office["admin"],
    }
    return role_assign(**(fields | overrides))


@pytest.mark.parametrize(
    ("overrides", "code", "error"),
    [
        ({"nomor_sk": "  "}, "role_acting_needs_sk", ValidationFailed),
        ({"tanggal_sk": None}, "role_acting_needs_sk", ValidationFailed),
        ({"by": None}, "role_acting_needs_recorder", ValidationFailed),
        ({"by": "staf"}, "role_assign_not_admin", PermissionDeniedError),
    ],
)
def test_an_acting_appointment_needs_its_sk_and_an_admin_and_nothing_is_written_without(office, overrides, code, error):
    events_before = AuditEvent.objects.count()
    if overrides.get("by") == "staf":
        overrides["by"] = office["staf"]
    with pytest.raises(error) as refused:
        _appoint(office, **overrides)
    assert refused.value.code == code
    assert not RoleHolding.objects.filter(user=office["kasi"], role_id=roles.KABID_PIAK).exists()
    assert AuditEvent.objects.count() == events_before


def test_nobody_appoints_themselves(office):
    with pytest.raises(PermissionDeniedError, match="diri sendiri") as refused:
        _appoint(office, who="admin", role=roles.KEPALA_DINAS, by=office["admin"])
    assert refused.value.code == "role_self_appointment"
    assert holding_for(user=office["admin"], role=roles.KEPALA_DINAS, on=timezone.localdate()) is None


def test_a_definitive_holding_needs_no_sk_and_is_in_force_at_once(office):
    holding = role_assign(
        user=office["kasi2"],
        role=Role.objects.get(code=roles.STAF),
        capacity=Capacity.DEFINITIF,
        mulai=timezone.localdate(),
        by=office["admin"],
    )
    assert holding.status == HoldingStatus.BERLAKU
    assert roles.STAF in acting_role_codes(office["kasi2"])


def test_an_unconfirmed_plt_cannot_act_and_after_confirmation_can(office):
    today = timezone.localdate()
    holding = _appoint(office)
    assert holding.status == HoldingStatus.MENUNGGU
    assert holding.diangkat_oleh == office["admin"]
    assert holding_for(user=office["kasi"], role=roles.KABID_PIAK, on=today) is None
    assert [h.user.username for h in role_holders_on(role=roles.KABID_PIAK, on=today)] == ["kabid"]
    assert roles.KABID_PIAK not in acting_role_codes(office["kasi"])

    role_acting_confirm(holding=holding, by=office["kadis"])

    holding.refresh_from_db()
    assert holding.status == HoldingStatus.BERLAKU
    assert (holding.dikonfirmasi_oleh, holding.dikonfirmasi_pada is not None) == (office["kadis"], True)
    assert holding_for(user=office["kasi"], role=roles.KABID_PIAK, on=today).capacity == "plt"
    assert roles.KABID_PIAK in acting_role_codes(office["kasi"])
    event = AuditEvent.objects.get(action="role.acting_confirmed")
    assert (event.actor, event.role, event.object_id) == (office["kadis"], roles.KEPALA_DINAS, str(holding.pk))


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("staf", "role_confirm_not_allowed"),
        ("sekretaris", "role_confirm_not_allowed"),  # the Sekretaris confirms only the Kepala Dinas's substitute
        ("kabid", "role_confirm_not_allowed"),
        ("kasi", "role_confirm_own"),
        ("admin", "role_confirm_entered"),
    ],
)
def test_only_the_kepala_dinas_confirms_or_rejects_a_substitute(office, who, code):
    holding = _appoint(office)
    events_before = AuditEvent.objects.count()
    with pytest.raises(PermissionDeniedError) as refused:
        role_acting_confirm(holding=holding, by=office[who])
    assert refused.value.code == code
    with pytest.raises(PermissionDeniedError) as refused:
        role_acting_reject(holding=holding, by=office[who], alasan="Tidak sesuai")
    assert refused.value.code == code
    holding.refresh_from_db()
    assert holding.status == HoldingStatus.MENUNGGU
    assert AuditEvent.objects.count() == events_before


def test_the_admin_who_entered_it_is_refused_even_as_kepala_dinas(office, make_official):
    """An Admin who is also Plt Kepala Dinas still cannot confirm what they entered."""
    other_admin = make_official("admin2", roles.ADMIN)
    plt_kadis = role_assign(
        user=office["admin"],
        role=Role.objects.get(code=roles.KEPALA_DINAS),
        capacity=Capacity.PLT,
        mulai=timezone.localdate(),
        selesai=timezone.localdate() + timedelta(days=3),
        nomor_sk="800/1/2026",
        tanggal_sk=timezone.localdate(),
        by=other_admin,
    )
    role_acting_confirm(holding=plt_kadis, by=office["sekretaris"])
    holding = _appoint(office)
    with pytest.raises(PermissionDeniedError) as refused:
        role_acting_confirm(holding=holding, by=office["admin"])
    assert refused.value.code == "role_confirm_entered"


def test_the_sekretaris_confirms_the_kepala_dinas_substitute_and_the_kepala_dinas_may_not(office):
    holding = _appoint(office, who="kabid", role=roles.KEPALA_DINAS, capacity=Capacity.PLH)
    with pytest.raises(PermissionDeniedError, match="Sekretaris Dinas") as refused:
        role_acting_confirm(holding=holding, by=office["kadis"])
    assert refused.value.code == "role_confirm_not_allowed"
    role_acting_confirm(holding=holding, by=office["sekretaris"])
    assert holding_for(user=office["kabid"], role=roles.KEPALA_DINAS, on=timezone.localdate()).capacity == "plh"
    assert AuditEvent.objects.get(action="role.acting_confirmed").role == roles.SEKRETARIS


def test_the_sekretaris_as_substitute_of_the_kepala_dinas_is_confirmed_by_the_kepala_dinas(office):
    holding = _appoint(office, who="sekretaris", role=roles.KEPALA_DINAS, capacity=Capacity.PLH)
    with pytest.raises(PermissionDeniedError) as refused:
        role_acting_confirm(holding=holding, by=office["sekretaris"])
    assert refused.value.code == "role_confirm_own"
    assert role_acting_confirm(holding=holding, by=office["kadis"]).status == HoldingStatus.BERLAKU


def test_a_confirmed_plt_kepala_dinas_confirms_but_an_unconfirmed_one_does_not(office):
    plt_kadis = _appoint(office, who="kabid", role=roles.KEPALA_DINAS)
    holding = _appoint(office, who="kasi2", role=roles.KASI_SIAK, capacity=Capacity.PLH)
    with pytest.raises(PermissionDeniedError):
        role_acting_confirm(holding=holding, by=office["kabid"])
    role_acting_confirm(holding=plt_kadis, by=office["sekretaris"])
    role_acting_confirm(holding=holding, by=office["kabid"])
    event = AuditEvent.objects.filter(action="role.acting_confirmed").last()
    assert (event.actor, event.role, event.acting_as) == (office["kabid"], roles.KEPALA_DINAS, "plt")


def test_a_replayed_confirmation_or_rejection_is_refused_naming_who_decided_when(office):
    holding = _appoint(office)
    role_acting_confirm(holding=holding, by=office["kadis"])
    events_before = AuditEvent.objects.count()
    with pytest.raises(DomainError, match=r"sudah dikonfirmasi oleh Dr\. Bambang Irawan pada") as refused:
        role_acting_confirm(holding=holding, by=office["kadis"])
    assert refused.value.code == "role_acting_decided"
    with pytest.raises(DomainError, match="sudah dikonfirmasi") as refused:
        role_acting_reject(holding=holding, by=office["kadis"], alasan="Berubah pikiran")
    assert refused.value.code == "role_acting_decided"
    assert AuditEvent.objects.count() == events_before


def test_a_rejected_appointment_never_takes_effect_and_frees_its_days(office):
    holding = _appoint(office)
    with pytest.raises(ValidationFailed) as refused:
        role_acting_reject(holding=holding, by=office["kadis"], alasan="  ")
    assert refused.value.code == "role_reject_needs_reason"
    role_acting_reject(holding=holding, by=office["kadis"], alasan="SK belum ditandatangani")
    holding.refresh_from_db()
    assert (holding.status, holding.alasan_tolak) == (HoldingStatus.DITOLAK, "SK belum ditandatangani")
    with pytest.raises(DomainError, match=r"sudah ditolak oleh Dr\. Bambang Irawan") as refused:
        role_acting_confirm(holding=holding, by=office["kadis"])
    assert refused.value.code == "role_acting_decided"
    assert holding_for(user=office["kasi"], role=roles.KABID_PIAK, on=timezone.localdate()) is None
    event = AuditEvent.objects.get(action="role.acting_rejected")
    assert event.payload["alasan"] == "SK belum ditandatangani"
    assert _appoint(office, who="kasi2").status == HoldingStatus.MENUNGGU  # the days are free again
    assert _appoint(office, nomor_sk="800/0457/Disdukcapil/2026", who="kasi", role=roles.KASI_PPD)


def test_a_second_acting_official_for_a_role_on_a_shared_day_is_refused_naming_the_first(office):
    _appoint(office, capacity=Capacity.PLT, start=0, days=7)  # pending still counts
    with pytest.raises(ValidationFailed) as refused:
        _appoint(office, who="kasi2", capacity=Capacity.PLH, start=7, days=2)
    assert refused.value.code == "role_acting_overlap"
    first_day = timezone.localdate()
    assert "Plt. Kepala Bidang" in refused.value.message
    assert "Dewi Anggraini" in refused.value.message
    assert f"{first_day:%d-%m-%Y} s.d. {first_day + timedelta(days=7):%d-%m-%Y}" in refused.value.message
    assert "menunggu konfirmasi" in refused.value.message
    assert _appoint(office, who="kasi2", capacity=Capacity.PLH, start=8, days=2)  # the next day is free
    assert _appoint(office, who="kasi2", role=roles.KASI_SIAK)  # another role is another matter


def test_ending_may_shorten_but_not_extend_an_acting_term(office):
    holding = _appoint(office, days=7)
    with pytest.raises(ValidationFailed) as refused:
        role_end(holding=holding, selesai=holding.selesai + timedelta(days=30), by=office["admin"])
    assert refused.value.code == "role_acting_extended"
    role_end(holding=holding, selesai=holding.mulai, by=office["admin"])
    assert RoleHolding.objects.get(pk=holding.pk).selesai == holding.mulai


def test_the_confirmation_list_holds_what_each_confirmer_may_decide(office):
    today = timezone.localdate()
    kabid_plt = _appoint(office)
    kadis_plh = _appoint(office, who="kabid", role=roles.KEPALA_DINAS, capacity=Capacity.PLH, start=10)
    assert acting_awaiting_confirmation(user=office["kadis"], on=today) == [kabid_plt]
    assert acting_awaiting_confirmation(user=office["sekretaris"], on=today) == [kadis_plh]
    assert acting_awaiting_confirmation(user=office["admin"], on=today) == []
    assert acting_awaiting_confirmation(user=office["kasi"], on=today) == []
    role_acting_confirm(holding=kabid_plt, by=office["kadis"])
    assert acting_awaiting_confirmation(user=office["kadis"], on=today) == []


def test_the_test_helper_gives_a_confirmed_holding_and_no_rights_to_its_stand_ins(office):
    today = timezone.localdate()
    holding = acting_appoint_confirmed(
        user=office["kasi2"], role=roles.KASI_SIAK, capacity=Capacity.PLH, mulai=today, selesai=today
    )
    assert holding.status == HoldingStatus.BERLAKU
    assert [h.user.username for h in role_holders_on(role=roles.KEPALA_DINAS, on=today)] == ["kadis"]
    assert [h.user.username for h in role_holders_on(role=roles.ADMIN, on=today)] == ["admin"]


@pytest.mark.postgres
def test_the_database_refuses_two_acting_officials_for_a_role_on_one_day(office):
    """PostgreSQL's exclusion constraint holds even when the service is bypassed."""
    today = timezone.localdate()
    kabid = Role.objects.get(code=roles.KABID_PIAK)
    fields = {"role": kabid, "mulai": today, "selesai": today + timedelta(days=5), "nomor_sk": "800/9/2026"}
    rejected = RoleHolding.objects.create(user=office["kasi2"], capacity=Capacity.PLH, **fields)
    rejected.ditolak_pada = timezone.now()
    rejected.save()
    RoleHolding.objects.create(user=office["kasi"], capacity=Capacity.PLT, **fields)  # a rejected one does not count
    RoleHolding.objects.create(user=office["kasi2"], capacity=Capacity.DEFINITIF, role=kabid, mulai=today)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleHolding.objects.create(
            user=office["staf"],
            capacity=Capacity.PLH,
            role=kabid,
            mulai=today + timedelta(days=5),
            selesai=today + timedelta(days=6),
        )
    assert RoleHolding.objects.filter(role=kabid).exclude(capacity=Capacity.DEFINITIF).count() == 2
