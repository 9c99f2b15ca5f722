from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from piak.core import roles
from piak.core.models import Capacity
from piak.core.permissions import register_permission, role_required, user_may

TEST_PERMISSION = register_permission("uji.lihat", "Izin uji", [roles.KABID_PIAK])


@role_required(roles.KABID_PIAK)
def kabid_only(request):
    return HttpResponse("ok")


def _call(user):
    request = RequestFactory().get("/uji/")
    request.user = user
    return kabid_only(request)


def test_role_required_allows_the_role_and_an_acting_holder(make_official):
    today = timezone.localdate()
    assert _call(make_official("kabid", roles.KABID_PIAK)).status_code == 200
    plt = make_official("plt", roles.KABID_PIAK, capacity=Capacity.PLT, mulai=today, selesai=today)
    assert _call(plt).status_code == 200


def test_role_required_refuses_others_and_expired_acting(make_official):
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        _call(make_official("staf", roles.STAF))
    expired = make_official(
        "old",
        roles.KABID_PIAK,
        capacity=Capacity.PLH,
        mulai=today - timedelta(days=3),
        selesai=today - timedelta(days=1),
    )
    with pytest.raises(PermissionDenied):
        _call(expired)


def test_anonymous_is_sent_to_login(db):
    response = _call(AnonymousUser())
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")


def test_user_may_follows_the_registered_roles(make_official):
    assert user_may(make_official("kabid", roles.KABID_PIAK), TEST_PERMISSION)
    assert not user_may(make_official("kasi", roles.KASI_PPD), TEST_PERMISSION)
