from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from piak.core import roles
from piak.core.errors import ValidationFailed
from piak.core.models import AuditEvent, Capacity, Role
from piak.core.selectors import holding_for, role_holders_on, roles_of_user_on, roles_remembered
from piak.core.services import role_assign, role_end
from piak.core.testing import acting_appoint_confirmed


@pytest.fixture
def kabid_office(make_official):
    """A definitive Kabid, and a Kasi who is Plt Kabid from 10 to 20 March 2026 while the Kabid is away."""
    kabid = make_official("kabid", roles.KABID_PIAK)
    kasi = make_official("kasi", roles.KASI_SIAK)
    acting_appoint_confirmed(
        user=kasi,
        role=roles.KABID_PIAK,
        capacity=Capacity.PLT,
        mulai=date(2026, 3, 10),
        selesai=date(2026, 3, 20),
        nomor_sk="800/12/2026",
    )
    return kabid, kasi


def _usernames(holdings):
    return [(h.user.username, h.capacity) for h in holdings]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 9), [("kabid", "definitif")]),  # the day before the Plt starts
        (date(2026, 3, 10), [("kabid", "definitif"), ("kasi", "plt")]),  # first day, inclusive
        (date(2026, 3, 20), [("kabid", "definitif"), ("kasi", "plt")]),  # last day, inclusive
        (date(2026, 3, 21), [("kabid", "definitif")]),  # the day after
    ],
)
def test_who_may_act_as_kabid_on_a_day(kabid_office, day, expected):
    assert _usernames(role_holders_on(role=roles.KABID_PIAK, on=day)) == expected


def test_roles_a_user_may_act_in_include_acting_roles(kabid_office):
    _, kasi = kabid_office
    during = roles_of_user_on(user=kasi, on=date(2026, 3, 15))
    assert [(h.role_id, h.capacity, h.capacity_prefix) for h in during] == [
        (roles.KASI_SIAK, "definitif", ""),
        (roles.KABID_PIAK, "plt", "Plt. "),
    ]
    assert [h.role_id for h in roles_of_user_on(user=kasi, on=date(2026, 3, 21))] == [roles.KASI_SIAK]


def test_holding_for_prefers_definitive_and_knows_acting(kabid_office):
    kabid, kasi = kabid_office
    assert holding_for(user=kabid, role=roles.KABID_PIAK, on=date(2026, 3, 15)).capacity == "definitif"
    assert holding_for(user=kasi, role=roles.KABID_PIAK, on=date(2026, 3, 15)).is_acting
    assert holding_for(user=kasi, role=roles.KABID_PIAK, on=date(2026, 3, 9)) is None


def test_inactive_user_may_not_act(kabid_office):
    kabid, _ = kabid_office
    kabid.is_active = False
    kabid.save()
    assert _usernames(role_holders_on(role=roles.KABID_PIAK, on=date(2026, 3, 1))) == []


def test_ended_holding_stops_on_its_last_day(kabid_office):
    kabid, _ = kabid_office
    holding = holding_for(user=kabid, role=roles.KABID_PIAK, on=date(2026, 3, 1))
    role_end(holding=holding, selesai=date(2026, 6, 30))
    assert holding_for(user=kabid, role=roles.KABID_PIAK, on=date(2026, 6, 30)) is not None
    assert holding_for(user=kabid, role=roles.KABID_PIAK, on=date(2026, 7, 1)) is None


def test_plh_for_a_single_day(make_official):
    staf = make_official("staf", roles.STAF)
    acting_appoint_confirmed(
        user=staf, role=roles.KASI_PPD, capacity=Capacity.PLH, mulai=date(2026, 4, 1), selesai=date(2026, 4, 1)
    )
    assert _usernames(role_holders_on(role=roles.KASI_PPD, on=date(2026, 4, 1))) == [("staf", "plh")]
    assert role_holders_on(role=roles.KASI_PPD, on=date(2026, 4, 2)) == []


@pytest.mark.parametrize(
    ("capacity", "mulai", "selesai", "code"),
    [
        (Capacity.PLT, date(2026, 1, 1), None, "role_acting_needs_end"),
        (Capacity.PLH, date(2026, 1, 1), None, "role_acting_needs_end"),
        (Capacity.DEFINITIF, date(2026, 2, 1), date(2026, 1, 1), "role_bad_range"),
        ("bupati", date(2026, 1, 1), None, "role_bad_capacity"),
    ],
)
def test_invalid_holdings_are_refused_and_write_nothing(make_official, capacity, mulai, selesai, code):
    user = make_official("x")
    events_before = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as error:
        role_assign(
            user=user,
            role=Role.objects.get(code=roles.KABID_PIAK),
            capacity=capacity,
            mulai=mulai,
            selesai=selesai,
        )
    assert error.value.code == code
    assert not user.role_holdings.exists()
    assert AuditEvent.objects.count() == events_before


def test_overlapping_holding_of_the_same_role_is_refused(kabid_office):
    kabid, _ = kabid_office
    with pytest.raises(ValidationFailed, match="sudah memegang") as error:
        role_assign(
            user=kabid,
            role=Role.objects.get(code=roles.KABID_PIAK),
            capacity=Capacity.DEFINITIF,
            mulai=date(2026, 3, 20),
        )
    assert error.value.code == "role_overlap"


def test_every_assignment_is_audited(kabid_office):
    events = AuditEvent.objects.filter(action="role.assigned")
    assert set(events.values_list("payload__user", flat=True)) >= {"kabid", "kasi"}
    plt = events.get(payload__capacity="plt")
    assert plt.payload["nomor_sk"] == "800/12/2026"
    assert plt.payload["tanggal_sk"] == "2026-03-10"
    assert plt.payload["mulai"] == "2026-03-10"
    assert AuditEvent.objects.filter(action="role.acting_confirmed", object_id=str(plt.object_id)).count() == 1


def test_all_roles_of_the_product_exist(db):
    assert list(Role.objects.values_list("code", flat=True)) == [
        "staf",
        "kasi_ppd",
        "kasi_siak",
        "kasi_tksdm_tik",
        "kabid_piak",
        "sekretaris",
        "kepala_dinas",
        "admin",
    ]


def test_a_request_reads_a_users_roles_once_and_afresh_after_a_holding_changes(make_official):
    user = make_official("kasi.memo", roles.KASI_SIAK)
    today = timezone.localdate()
    with roles_remembered():
        with CaptureQueriesContext(connection) as queries:
            assert [h.role_id for h in roles_of_user_on(user=user, on=today)] == [roles.KASI_SIAK]
            assert [h.role_id for h in roles_of_user_on(user=user, on=today)] == [roles.KASI_SIAK]
        assert len(queries) == 1
        role_assign(user=user, role=Role.objects.get(code=roles.KABID_PIAK), capacity="definitif", mulai=today)
        assert {h.role_id for h in roles_of_user_on(user=user, on=today)} == {roles.KASI_SIAK, roles.KABID_PIAK}
    with CaptureQueriesContext(connection) as queries:  # outside a request nothing is remembered
        roles_of_user_on(user=user, on=today)
        roles_of_user_on(user=user, on=today)
    assert len(queries) == 2
