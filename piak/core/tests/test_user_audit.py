"""Changes to users and their access are audit events naming who changed what, on every path: the Django
admin's forms and password page, and code calling `set_password`. Never the password hash itself."""

import pytest
from django.contrib.auth.models import Group, Permission

from piak.core import roles
from piak.core.audit import audit_chain_verify
from piak.core.models import AuditEvent, User

ADMIN_USERS = "/admin/core/user/"
NEW_PASSWORD = "Sandi-Baru-Kadis-2026"


@pytest.fixture
def office(make_official):
    return {
        "admin": make_official("admin", roles.ADMIN, is_staff=True, is_superuser=True),
        "kadis": make_official(
            "kadis", roles.KEPALA_DINAS, nama_cetak="Drs. H. Ahmad Fauzi, M.Si.", nip="196805121990031004"
        ),
    }


@pytest.fixture
def admin_client(client, office):
    client.force_login(office["admin"])
    return client


def _events(action: str, user: User) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, object_type="core.user", object_id=str(user.pk)))


def _change_form(user: User, **fields) -> dict:
    """The admin change form of `user` as the browser would post it, with `fields` changed."""
    joined = user.date_joined.astimezone()
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": f"{joined:%d-%m-%Y}",
        "date_joined_1": f"{joined:%H:%M:%S}",
        "nip": user.nip,
        "nama_cetak": user.nama_cetak,
        "jabatan": user.jabatan,
    }
    return {**data, **fields}


def test_changing_the_kepala_dinas_password_in_the_admin_is_an_event(admin_client, office):
    kadis = office["kadis"]
    old_hash = kadis.password
    response = admin_client.post(
        f"{ADMIN_USERS}{kadis.pk}/password/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    (event,) = _events("user.changed", kadis)
    assert (event.actor, event.payload) == (office["admin"], {"username": "kadis", "kata_sandi": "diubah"})
    kadis.refresh_from_db()
    stored = str(AuditEvent.objects.values_list("payload", flat=True).filter(pk=event.pk).get())
    assert old_hash not in stored and kadis.password not in stored and NEW_PASSWORD not in stored
    assert audit_chain_verify().ok


def test_changing_the_nip_and_printed_name_in_the_admin_is_one_event_with_old_and_new(admin_client, office):
    kadis = office["kadis"]
    response = admin_client.post(
        f"{ADMIN_USERS}{kadis.pk}/change/",
        _change_form(kadis, nip="197001011995031001", nama_cetak="Ahmad Palsu"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    (event,) = _events("user.changed", kadis)
    assert event.actor == office["admin"]
    assert event.payload == {
        "username": "kadis",
        "nip": ["196805121990031004", "197001011995031001"],
        "nama_cetak": ["Drs. H. Ahmad Fauzi, M.Si.", "Ahmad Palsu"],
    }


def test_granting_superuser_and_a_group_in_the_admin_are_events(admin_client, office):
    kadis = office["kadis"]
    group = Group.objects.create(name="Operator TIK")
    response = admin_client.post(
        f"{ADMIN_USERS}{kadis.pk}/change/",
        _change_form(kadis, is_staff="on", is_superuser="on", groups=[group.pk]),
    )
    assert response.status_code == 302
    (changed,) = _events("user.changed", kadis)
    assert (changed.payload["is_staff"], changed.payload["is_superuser"]) == ([False, True], [False, True])
    (access,) = _events("access.changed", kadis)
    assert (access.actor, access.payload) == (office["admin"], {"relasi": "grup", "ditambah": ["Operator TIK"]})


def test_saving_the_form_unchanged_writes_no_event(admin_client, office):
    kadis = office["kadis"]
    before = AuditEvent.objects.count()
    assert admin_client.post(f"{ADMIN_USERS}{kadis.pk}/change/", _change_form(kadis)).status_code == 302
    assert AuditEvent.objects.count() == before


def test_creating_a_user_in_the_admin_is_an_event_without_the_password(admin_client, office):
    response = admin_client.post(
        f"{ADMIN_USERS}add/",
        {"username": "staf.baru", "usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user = User.objects.get(username="staf.baru")
    (event,) = _events("user.created", user)
    assert event.actor == office["admin"]
    assert event.payload["username"] == "staf.baru"
    assert event.payload["kata_sandi_dapat_dipakai"] is True
    assert user.password not in str(event.payload)


def test_set_password_outside_the_admin_is_an_event_too(office):
    kadis = office["kadis"]
    kadis.set_password(NEW_PASSWORD)
    kadis.save()
    (event,) = _events("user.changed", kadis)
    assert (event.actor, event.payload) == (None, {"username": "kadis", "kata_sandi": "diubah"})


def test_a_login_is_not_a_user_change(office, client):
    client.post("/masuk/", {"username": "kadis", "password": "rahasia-uji-123"})
    assert _events("auth.login", office["kadis"])
    assert _events("user.changed", office["kadis"]) == []


def test_the_password_rehash_at_login_is_not_a_change(office, settings):
    """Django re-hashes with a newer hasher at login; the password is the same, so nothing is recorded."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    kadis = office["kadis"]
    assert kadis.check_password("rahasia-uji-123")
    kadis.refresh_from_db()
    assert kadis.password.startswith("pbkdf2_")
    assert _events("user.changed", kadis) == []


def test_removing_and_clearing_permissions_are_events(office):
    kadis = office["kadis"]
    permission = Permission.objects.get(codename="view_auditevent")
    kadis.user_permissions.add(permission)
    kadis.user_permissions.clear()
    added, cleared = _events("access.changed", kadis)
    assert added.payload == {"relasi": "hak akses", "ditambah": [str(permission)]}
    assert cleared.payload == {"relasi": "hak akses", "dihapus": [str(permission)]}


def test_a_staff_user_who_is_not_admin_cannot_change_users(client, make_official):
    kasi = make_official("kasi", roles.KASI_PPD, is_staff=True)
    kadis = make_official("kadis", roles.KEPALA_DINAS, nip="196805121990031004")
    client.force_login(kasi)
    response = client.post(f"{ADMIN_USERS}{kadis.pk}/password/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code in (302, 403)
    kadis.refresh_from_db()
    assert kadis.check_password("rahasia-uji-123")
    assert _events("user.changed", kadis) == []
