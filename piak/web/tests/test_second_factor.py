"""The optional second factor (RFC 6238 TOTP) for the roles that sign, appoint or administer."""

import time

import pytest
import time_machine
from django.urls import reverse

from piak.core import roles, services, totp
from piak.core.errors import PermissionDeniedError
from piak.core.models import AuditEvent, User

PASSWORD = "rahasia-uji-123"
NOW = 1_800_000_000  # a fixed instant, so the codes of neighbouring steps are known


def test_codes_match_the_rfc_6238_test_vectors():
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # ASCII "12345678901234567890", RFC 6238 appendix B
    expected = {59: "287082", 1111111109: "081804", 1234567890: "005924", 2000000000: "279037"}
    for at, code in expected.items():
        assert totp.code_at(secret, totp.time_step(at)) == code  # the RFC's 8-digit values, last 6 digits


def test_a_code_is_accepted_one_step_either_side_and_not_beyond():
    secret = totp.secret_new()
    step = totp.time_step(NOW)
    for drift in (-1, 0, 1):
        assert totp.matching_step(secret, totp.code_at(secret, step + drift), at=NOW) == step + drift
    for drift in (-2, 2):
        assert totp.matching_step(secret, totp.code_at(secret, step + drift), at=NOW) is None
    assert totp.matching_step(secret, totp.code_at(secret, step), at=NOW, after=step) is None  # used already
    assert totp.matching_step(secret, "12ab56", at=NOW) is None


def _login(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def _enrol(client, user) -> str:
    _login(client, user.username)
    page = client.get(reverse("akun:second_factor"))
    assert page.status_code == 200 and "<svg" in page.content.decode()  # the QR code, inline
    secret = client.session["piak_totp_calon_rahasia"]
    assert secret in page.content.decode()
    wrong = client.post(reverse("akun:second_factor"), {"kode": "000000"})
    assert "Kode verifikasi salah" in wrong.content.decode()
    code = totp.code_at(secret, totp.time_step())
    assert client.post(reverse("akun:second_factor"), {"kode": code}).status_code == 302
    client.post(reverse("logout"))
    return secret


@pytest.mark.parametrize("role", sorted(roles.SECOND_FACTOR_ROLES))
def test_the_roles_that_sign_appoint_or_administer_may_enrol(client, make_official, role):
    user = make_official("pejabat", role)
    _enrol(client, user)
    user.refresh_from_db()
    assert user.totp_aktif
    assert AuditEvent.objects.filter(action="auth.totp_enabled", actor=user).count() == 1


@pytest.mark.parametrize("role", [roles.STAF, roles.KASI_PPD, roles.KASI_SIAK, roles.KASI_TKSDM_TIK])
def test_other_roles_cannot_enrol(client, make_official, role):
    user = make_official("pegawai", role)
    _login(client, "pegawai")
    assert client.get(reverse("akun:second_factor")).status_code == 403
    assert client.post(reverse("akun:second_factor"), {"kode": "123456"}).status_code == 403
    with pytest.raises(PermissionDeniedError) as refused:
        services.totp_enable(user=user, secret=totp.secret_new(), code="123456")
    assert refused.value.code == "totp_role"


def test_login_asks_for_the_code_after_the_password_and_a_code_works_once(client, make_official):
    user = make_official("kadis", roles.KEPALA_DINAS)
    secret = _enrol(client, user)
    with time_machine.travel(time.time() + 120, tick=False):  # a later step than the one used to enrol
        response = _login(client, "kadis")
        assert response.status_code == 302 and response["Location"] == reverse("login_code")
        assert "_auth_user_id" not in client.session  # the password alone does not sign in
        assert client.get(reverse("home")).status_code == 302
        code = totp.code_at(secret, totp.time_step())
        wrong = client.post(reverse("login_code"), {"kode": "999999" if code != "999999" else "111111"})
        assert wrong.status_code == 200 and "Kode verifikasi salah" in wrong.content.decode()
        signed_in = client.post(reverse("login_code"), {"kode": code})
        assert signed_in.status_code == 302 and signed_in["Location"] == reverse("home")
        assert client.session["_auth_user_id"] == str(user.pk)
        client.post(reverse("logout"))
        _login(client, "kadis")
        replayed = client.post(reverse("login_code"), {"kode": code})  # the same code, same step
        assert "sudah dipakai" in replayed.content.decode()
        assert "_auth_user_id" not in client.session


def test_the_code_page_without_a_password_first_sends_to_the_login(client, db):
    response = client.get(reverse("login_code"))
    assert response.status_code == 302 and response["Location"] == reverse("login")


def test_wrong_codes_count_towards_the_lockout(client, make_official, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    user = make_official("kadis", roles.KEPALA_DINAS)
    _enrol(client, user)
    _login(client, "kadis")
    for _ in range(3):
        client.post(reverse("login_code"), {"kode": "000000"})
    assert client.post(reverse("login_code"), {"kode": "000000"}).status_code == 429
    assert _login(client, "kadis").status_code == 429


def test_disabling_needs_a_current_code(client, make_official):
    user = make_official("admin", roles.ADMIN)
    secret = _enrol(client, user)
    with time_machine.travel(time.time() + 120, tick=False):
        _login(client, "admin")
        client.post(reverse("login_code"), {"kode": totp.code_at(secret, totp.time_step())})
    with time_machine.travel(time.time() + 240, tick=False):
        refused = client.post(reverse("akun:second_factor"), {"kode": "000000"})
        assert "Kode verifikasi salah" in refused.content.decode()
        assert User.objects.get(pk=user.pk).totp_aktif
        client.post(reverse("akun:second_factor"), {"kode": totp.code_at(secret, totp.time_step())})
    user.refresh_from_db()
    assert not user.totp_aktif and user.totp_rahasia == ""
    assert AuditEvent.objects.filter(action="auth.totp_disabled", actor=user).count() == 1
