from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from .lockout import address_throttled, client_ip, is_locked


class LockoutModelBackend(ModelBackend):
    """The model backend, refusing any login (admin site included) from an address that failed too often, or
    for a username locked for that address."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        ip_address = client_ip(request)
        if address_throttled(ip_address) or (username and is_locked(username, ip_address)):
            raise PermissionDenied("locked")
        return super().authenticate(request, username=username, password=password, **kwargs)
