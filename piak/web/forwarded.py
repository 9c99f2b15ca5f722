"""The client's address behind the reverse proxy. Behind Caddy every request reaches the app server from
127.0.0.1, so the login throttle (piak.core.lockout) and the personal-data access log would see one address
for the whole office. Only a request from a trusted proxy (`PIAK_TRUSTED_PROXIES`) may name the client,
in the last entry of X-Forwarded-For, the one that proxy appended."""

import ipaddress

from django.conf import settings


class ForwardedClientMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.trusted = frozenset(settings.PIAK_TRUSTED_PROXIES)

    def __call__(self, request):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded and request.META.get("REMOTE_ADDR") in self.trusted:
            client = forwarded.split(",")[-1].strip()
            if _is_address(client):  # anything else is not what Caddy writes: keep the proxy's address
                request.META["REMOTE_ADDR"] = client
        return self.get_response(request)


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
