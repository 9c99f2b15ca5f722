"""Throttling of failed logins, per address and per username from that address.

A username is locked only for the address its failures came from, so nobody can lock an official out of the
office from their own machine; an address that fails too often, whatever usernames it tries (spraying), is
refused altogether. `LoginFailure` is the throttle table. The audit chain gets an event only when an existing
user is locked, at most once per window, so anonymous requests cannot fill it with arbitrary usernames.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import events
from .models import LoginFailure, User


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def _recent():
    since = timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    return LoginFailure.objects.filter(terjadi_pada__gte=since)


def _recent_for(username: str, ip_address: str | None):
    return _recent().filter(username__iexact=username, ip_address=ip_address)


def address_throttled(ip_address: str | None) -> bool:
    """Too many failures from this address, for any usernames, within the window."""
    return bool(ip_address) and _recent().filter(ip_address=ip_address).count() >= settings.LOGIN_IP_FAILURE_LIMIT


def is_locked(username: str, ip_address: str | None) -> bool:
    """Too many failures for this username from this address within the window."""
    return bool(username) and _recent_for(username, ip_address).count() >= settings.LOGIN_FAILURE_LIMIT


@transaction.atomic
def failure_record(username: str, ip_address: str | None) -> None:
    """Record one failure; the one that locks the username for this address is marked, and the lockout of an
    existing user is audited unless it was already locked (from any address) within the window."""
    username = username[:150]
    locks = _recent_for(username, ip_address).count() + 1 == settings.LOGIN_FAILURE_LIMIT
    audited_before = locks and _recent().filter(username__iexact=username, mengunci=True).exists()
    LoginFailure.objects.create(username=username, ip_address=ip_address, mengunci=locks)
    if locks and not audited_before and User.objects.filter(username=username).exists():
        events.login_locked(username, settings.LOGIN_FAILURE_LIMIT)


def failures_clear(username: str) -> None:
    LoginFailure.objects.filter(username__iexact=username).delete()
