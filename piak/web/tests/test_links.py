"""One public address for every link that leaves the office, and the client's address behind the proxy."""

import pytest
from django.test import RequestFactory

from piak.web.forwarded import ForwardedClientMiddleware
from piak.web.links import check_public_url, public_reverse, public_url


def test_links_are_built_from_the_public_address_whatever_the_request(settings):
    settings.PIAK_PUBLIC_URL = "https://piak.palembang.go.id/"
    assert public_url("/verifikasi/abc/") == "https://piak.palembang.go.id/verifikasi/abc/"
    assert public_reverse("naskah_publik:verifikasi", "abc") == "https://piak.palembang.go.id/verifikasi/abc/"


@pytest.mark.parametrize("address", ["", "http://127.0.0.1:8000", "https://", "https://host/sub/"])
def test_the_deploy_check_refuses_an_address_agencies_cannot_use(settings, address):
    settings.PIAK_PUBLIC_URL = address
    (error,) = check_public_url(None)
    assert error.id == "piak.E001" and "PIAK_PUBLIC_URL" in error.msg


def test_the_deploy_check_accepts_an_https_host(settings):
    settings.PIAK_PUBLIC_URL = "https://piak.palembang.go.id"
    assert check_public_url(None) == []


def _client_address(settings, remote: str, forwarded: str | None, trusted: list[str]) -> str:
    settings.PIAK_TRUSTED_PROXIES = trusted
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **headers)
    ForwardedClientMiddleware(lambda r: r)(request)
    return request.META["REMOTE_ADDR"]


def test_a_trusted_proxy_names_the_client_in_the_last_forwarded_entry(settings):
    assert _client_address(settings, "127.0.0.1", "6.6.6.6, 10.1.2.3", ["127.0.0.1"]) == "10.1.2.3"


def test_anyone_else_cannot_choose_their_address(settings):
    """A client talking to the app server directly must not dodge the login throttle with a header."""
    assert _client_address(settings, "10.9.9.9", "10.1.2.3", ["127.0.0.1"]) == "10.9.9.9"
    assert _client_address(settings, "127.0.0.1", "10.1.2.3", []) == "127.0.0.1"
    assert _client_address(settings, "127.0.0.1", None, ["127.0.0.1"]) == "127.0.0.1"


def test_a_forwarded_entry_that_is_not_an_address_is_ignored(settings):
    """Garbage there would land in the access log and the lockout table as if it were a client."""
    for junk in ("<script>", "10.1.2.3:4444", "unknown", "1.2.3.4 OR 1=1"):
        assert _client_address(settings, "127.0.0.1", f"6.6.6.6, {junk}", ["127.0.0.1"]) == "127.0.0.1"
