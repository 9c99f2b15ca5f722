from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import events
from .lockout import client_ip, failure_record, failures_clear


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
    failure_record(username, client_ip(request))  # audits an existing user's lockout itself
