"""Temporary lockout after repeated failed logins for one username."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import LoginFailure


def _window_start():
    return timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def recent_failures(username: str) -> int:
    return LoginFailure.objects.filter(username__iexact=username, terjadi_pada__gte=_window_start()).count()


def is_locked(username: str) -> bool:
    return bool(username) and recent_failures(username) >= settings.LOGIN_FAILURE_LIMIT


def failure_record(username: str, ip_address: str | None) -> int:
    """Record one failure and return how many fall inside the lockout window."""
    LoginFailure.objects.create(username=username[:150], ip_address=ip_address)
    return recent_failures(username)


def failures_clear(username: str) -> None:
    LoginFailure.objects.filter(username__iexact=username).delete()
