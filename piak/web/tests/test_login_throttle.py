"""Throttling of failed logins per address and per username from an address (issue 10, item 6)."""

from datetime import timedelta

import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from piak.core import roles
from piak.core.models import AuditEvent, LoginFailure

PASSWORD = "rahasia-uji-123"


def _login(client, username, password=PASSWORD, ip="10.0.0.66"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


@override_settings(LOGIN_FAILURE_LIMIT=5, LOGIN_IP_FAILURE_LIMIT=20)
def test_spraying_30_usernames_from_one_address_is_throttled(client, make_official):
    make_official("kadis", roles.KEPALA_DINAS)
    statuses = [_login(client, f"pegawai{n}", f"tebakan-{k}").status_code for n in range(30) for k in range(4)]
    assert statuses[:20] == [200] * 20  # wrong password, said so
    assert set(statuses[20:]) == {429}  # every further try from this address is refused
    refused = _login(client, "kadis")  # even with the right password, from this address
    assert refused.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal dari alamat ini" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert LoginFailure.objects.filter(ip_address="10.0.0.66").count() == 20  # refused tries add no rows
    assert _login(client, "kadis", ip="10.0.0.7").status_code == 302  # the Kepala Dinas from their own desk


@override_settings(LOGIN_FAILURE_LIMIT=5)
def test_nobody_can_lock_the_kepala_dinas_out_from_another_address(client, make_official):
    make_official("kadis", roles.KEPALA_DINAS)
    for _ in range(8):
        _login(client, "kadis", "salah", ip="10.0.0.66")
    assert _login(client, "kadis", ip="10.0.0.66").status_code == 429  # locked for the attacker's address
    assert _login(client, "kadis", ip="10.0.0.7").status_code == 302


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_a_lockout_of_an_existing_user_is_audited_once_per_window(client, make_official):
    make_official("kadis", roles.KEPALA_DINAS)
    for ip in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        for _ in range(3):
            _login(client, "kadis", "salah", ip=ip)
        assert _login(client, "kadis", ip=ip).status_code == 429
    locked = AuditEvent.objects.filter(action="auth.locked")
    assert list(locked.values_list("payload__username", flat=True)) == ["kadis"]
    with time_machine.travel(timezone.now() + timedelta(minutes=20)):  # the next window
        for _ in range(3):
            _login(client, "kadis", "salah", ip="10.0.0.4")
        assert locked.count() == 2


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_anonymous_tries_on_unknown_usernames_add_no_audit_events(client, db):
    before = AuditEvent.objects.count()
    for n in range(10):
        for _ in range(3):
            _login(client, f"tidak-ada-{n}", "salah", ip=f"10.0.1.{n}")
    assert AuditEvent.objects.count() == before
    assert LoginFailure.objects.filter(mengunci=True).count() == 10  # the lockouts are in the throttle table
