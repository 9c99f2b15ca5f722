"""The user's own account: password change with the policy, forced change of admin-set and demo passwords."""

import pytest
from django.urls import reverse

from piak.core import roles
from piak.core.models import AuditEvent, User

PASSWORD = "rahasia-uji-123"
NEW = "Bukit-Siguntang-77"


def _login(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def _change(client, old=PASSWORD, new=NEW, again=None):
    data = {"old_password": old, "new_password1": new, "new_password2": again or new}
    return client.post(reverse("akun:password_change"), data)


def test_the_user_menu_links_to_the_account_page(client, make_official):
    make_official("operator", roles.STAF)
    _login(client, "operator")
    assert f'href="{reverse("akun:password_change")}"' in client.get(reverse("home")).content.decode()


def test_a_user_changes_their_own_password(client, make_official):
    user = make_official("operator", roles.STAF)
    _login(client, "operator")
    response = _change(client)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200  # still signed in on this session
    user.refresh_from_db()
    assert user.check_password(NEW)
    event = AuditEvent.objects.filter(action="auth.password_changed").get()
    assert event.actor == user
    assert NEW not in str(event.payload)
    client.post(reverse("logout"))
    assert _login(client, "operator").status_code == 200  # the old password no longer works
    assert _login(client, "operator", NEW).status_code == 302


@pytest.mark.parametrize(
    ("old", "new", "again", "message"),
    [
        ("salah-lama", NEW, None, "Sandi lama Anda yang dimasukkan salah"),
        (PASSWORD, "pendek1", None, "Kata sandi terlalu pendek. Harus mengandung setidaknya 10 karakter."),
        (PASSWORD, "1234567890123", None, "Kata sandi ini seluruhnya terdiri dari angka."),
        (PASSWORD, "password123", None, "Kata sandi ini terlalu umum."),
        (PASSWORD, "operator-x1", None, "Kata sandi terlalu mirip dengan nama pengguna."),
        (PASSWORD, NEW, "Bukit-Siguntang-78", "Dua bidang sandi tidak cocok."),
    ],
)
def test_a_password_change_is_refused_with_an_indonesian_reason(client, make_official, old, new, again, message):
    user = make_official("operator", roles.STAF)
    _login(client, "operator")
    response = _change(client, old, new, again)
    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="auth.password_changed").exists()


def test_the_password_page_needs_a_login(client, db):
    response = client.get(reverse("akun:password_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_service_refuses_a_password_against_the_policy(make_official):
    from piak.core.errors import ValidationFailed
    from piak.core.services import user_password_change

    user = make_official("operator", roles.STAF)
    with pytest.raises(ValidationFailed) as refused:
        user_password_change(user=user, password="operator")
    assert refused.value.code == "password_policy"


def _forced(make_official) -> User:
    user = make_official("kadis", roles.KEPALA_DINAS)
    User.objects.filter(pk=user.pk).update(harus_ganti_sandi=True)
    return user


def test_an_admin_set_password_must_be_changed_before_anything_else(client, make_official):
    user = _forced(make_official)
    _login(client, "kadis")
    for url in (reverse("home"), "/sop/sop-1/", "/penduduk/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("akun:password_change")
    page = client.get(reverse("akun:password_change"))
    assert "Ganti dulu kata sandi Anda" in page.content.decode()
    assert _change(client).status_code == 302
    user.refresh_from_db()
    assert not user.harus_ganti_sandi
    assert client.get(reverse("home")).status_code == 200


def test_a_demo_instance_does_not_force_the_change(client, make_official, settings):
    settings.PIAK_DEMO = True
    _forced(make_official)
    _login(client, "kadis")
    assert client.get(reverse("home")).status_code == 200


def test_demo_passwords_must_be_changed_outside_a_demo_instance(client, db):
    from piak.core.demo import demo_officials_ensure
    from piak.core.demo_logins import DEMO_LOGINS

    demo_officials_ensure()
    assert _login(client, "kadis", DEMO_LOGINS["kadis"]).status_code == 302
    assert client.get(reverse("home"))["Location"] == reverse("akun:password_change")
    client.logout()
    assert _login(client, "operator", DEMO_LOGINS["kadis"]).status_code == 200  # passwords differ per account


def test_a_user_the_admin_creates_or_gives_a_password_must_change_it(client, make_official):
    make_official("admin", roles.ADMIN, is_staff=True, is_superuser=True)
    operator = make_official("operator", roles.STAF)
    _login(client, "admin")
    created = client.post(
        reverse("admin:core_user_add"),
        {"username": "baru", "usable_password": "true", "password1": NEW, "password2": NEW},
    )
    assert created.status_code == 302
    assert User.objects.get(username="baru").harus_ganti_sandi
    reset = client.post(
        reverse("admin:auth_user_password_change", args=[operator.pk]).replace("auth_user", "core_user"),
        {"usable_password": "true", "password1": NEW, "password2": NEW},
    )
    assert reset.status_code == 302
    operator.refresh_from_db()
    assert operator.harus_ganti_sandi and operator.check_password(NEW)
