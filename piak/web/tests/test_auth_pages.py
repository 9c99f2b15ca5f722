from datetime import date, timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from piak.core import roles
from piak.core.models import AuditEvent, Capacity

PASSWORD = "rahasia-uji-123"


def _login(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_page_is_in_bahasa_indonesia(client, db):
    page = client.get(reverse("login"))
    html = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="id">' in html
    assert "Masuk ke PIAK" in html
    assert "Kata sandi" in html


def test_home_requires_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_home_shows_name_and_roles_held_today_including_acting(client, make_official):
    today = timezone.localdate()
    kasi = make_official("kasi", roles.KASI_SIAK, nama_cetak="Dewi Anggraini, S.Kom.")
    from piak.core.testing import acting_appoint_confirmed

    acting_appoint_confirmed(
        user=kasi,
        role=roles.KABID_PIAK,
        capacity=Capacity.PLT,
        mulai=today - timedelta(days=1),
        selesai=today + timedelta(days=3),
    )
    assert _login(client, "kasi").status_code == 302
    html = client.get(reverse("home")).content.decode()
    assert "Dewi Anggraini, S.Kom." in html
    assert "Kepala Seksi Sistem Informasi Administrasi Kependudukan" in html
    assert "Plt. Kepala Bidang Pengelolaan Informasi Administrasi Kependudukan" in html


def test_expired_acting_role_is_not_shown(client, make_official):
    make_official("plh", roles.KASI_PPD, capacity=Capacity.PLH, mulai=date(2020, 1, 1), selesai=date(2020, 1, 2))
    _login(client, "plh")
    assert "Pengelolaan dan Penyajian Data" not in client.get(reverse("home")).content.decode()


def test_successful_login_and_logout_are_audited(client, make_official):
    user = make_official("operator", roles.STAF)
    _login(client, "operator")
    client.post(reverse("logout"))
    actions = list(AuditEvent.objects.filter(actor=user).values_list("action", flat=True))
    assert actions == ["auth.login", "auth.logout"]


def test_wrong_password_gets_a_clear_message(client, make_official):
    make_official("operator", roles.STAF)
    response = _login(client, "operator", "salah")
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()


@override_settings(LOGIN_FAILURE_LIMIT=3, LOGIN_LOCKOUT_MINUTES=15)
def test_account_locks_after_repeated_failures_even_for_the_right_password(client, make_official):
    make_official("operator", roles.STAF)
    for _ in range(3):
        _login(client, "operator", "salah")
    response = _login(client, "operator")
    assert response.status_code == 429
    assert "dikunci sementara" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.locked", payload__username="operator").count() == 1


@override_settings(LOGIN_FAILURE_LIMIT=3, LOGIN_LOCKOUT_MINUTES=15)
def test_lock_lifts_after_the_window(client, make_official):
    import time_machine

    make_official("operator", roles.STAF)
    with time_machine.travel(timezone.now() - timedelta(minutes=20)):
        for _ in range(3):
            _login(client, "operator", "salah")
    assert _login(client, "operator").status_code == 302


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_success_clears_earlier_failures(client, make_official):
    make_official("operator", roles.STAF)
    for _ in range(2):
        _login(client, "operator", "salah")
    assert _login(client, "operator").status_code == 302
    client.post(reverse("logout"))
    for _ in range(2):
        _login(client, "operator", "salah")
    assert _login(client, "operator").status_code == 302


def test_admin_site_is_open_to_the_admin_role_only(client, make_official):
    make_official("admin", roles.ADMIN, is_staff=True, is_superuser=True)
    make_official("kadis", roles.KEPALA_DINAS, is_staff=True, is_superuser=True)
    _login(client, "kadis")
    refused = client.get("/admin/")  # even a superuser flag does not open it
    assert refused.status_code == 403
    client.post(reverse("logout"))
    _login(client, "admin")
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/core/auditevent/").status_code == 200


@pytest.mark.parametrize(
    "url", ["/admin/", "/admin/core/roleholding/", "/admin/core/roleholding/add/", "/admin/login/"]
)
def test_a_signed_in_non_admin_gets_the_indonesian_403_page_not_a_login_loop(client, make_official, url):
    make_official("operator", roles.STAF)
    _login(client, "operator")
    response = client.get(url)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Akses ditolak" in html
    assert '<html lang="id">' in html


@pytest.mark.parametrize("url", ["/admin/", "/admin/core/roleholding/"])
def test_an_anonymous_visitor_of_the_admin_gets_the_login_and_returns_there(client, make_official, url):
    make_official("admin", roles.ADMIN, is_staff=True, is_superuser=True)
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"{reverse('login')}?next={url}"
    assert "Masuk ke PIAK" in response.content.decode()
    response = client.post(response.redirect_chain[-1][0], {"username": "admin", "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == url


def test_navigation_offers_administration_to_admin_only(client, make_official):
    make_official("admin", roles.ADMIN, is_staff=True, is_superuser=True)
    make_official("operator", roles.STAF)
    _login(client, "operator")
    assert 'href="/admin/"' not in client.get(reverse("home")).content.decode()
    client.post(reverse("logout"))
    _login(client, "admin")
    assert 'href="/admin/"' in client.get(reverse("home")).content.decode()


def test_pages_carry_a_content_security_policy(client, db):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


def test_a_browser_set_to_english_still_gets_bahasa_indonesia(client, db):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="id">' in html
    assert "Masuk ke PIAK" in html


def test_english_is_available(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/masuk/"})
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in html
    assert "Sign in to PIAK" in html


def test_session_expires_after_a_working_day(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_passwords_are_hashed_with_argon2_outside_tests():
    from piak.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.parametrize("username", ["kasi.ppd", "admin"])
def test_demo_users_log_in_and_see_their_role(client, db, username, settings):
    from piak.core.demo import demo_officials_ensure
    from piak.core.demo_logins import DEMO_LOGINS

    settings.PIAK_DEMO = True
    demo_officials_ensure()
    assert _login(client, username, DEMO_LOGINS[username]).status_code == 302
    html = client.get(reverse("home")).content.decode()
    expected = {"kasi.ppd": "Kepala Seksi Pengelolaan dan Penyajian Data", "admin": "Administrator Sistem"}
    assert expected[username] in html
