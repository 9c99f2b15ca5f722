from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import events
from .lockout import failure_record, failures_clear


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs) -> None:
    failures_clear(user.username)
    events.login(user)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        events.logout(user)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = credentials.get("username") or ""
    if not username:
        return
    failures = failure_record(username, _client_ip(request))
    if failures == settings.LOGIN_FAILURE_LIMIT:
        events.login_locked(username, failures)
