from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from .lockout import is_locked


class LockoutModelBackend(ModelBackend):
    """The model backend, refusing any login (admin site included) while the username is locked."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and is_locked(username):
            raise PermissionDenied("locked")
        return super().authenticate(request, username=username, password=password, **kwargs)
