"""The office's pages for a server error and a refused form (CSRF), in Bahasa Indonesia, DEBUG or not.

400, 403 and 404 are Django's own views with this app's templates; these two need more than a template."""

import logging

from django.http import HttpRequest, HttpResponseForbidden, HttpResponseServerError
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme

logger = logging.getLogger(__name__)

# The last resort when even the 500 template cannot be rendered (a broken template, a missing static manifest).
PLAIN_SERVER_ERROR = (
    "<!doctype html><html lang='id'><meta charset='utf-8'><title>Kesalahan sistem — PIAK</title>"
    "<h1>Terjadi kesalahan pada sistem</h1><p>Permintaan Anda tidak dapat diproses dan mungkin belum tersimpan. "
    "Coba lagi beberapa saat lagi; bila berulang, hubungi Seksi TKSDM-TIK.</p></html>"
)
# Fields a refused form carried that are never shown back: the token itself and every secret.
SECRET_FIELD_PARTS = ("csrfmiddlewaretoken", "password", "passphrase", "kata_sandi", "kode", "otp", "token")


def server_error(request: HttpRequest) -> HttpResponseServerError:
    """The 500 page, rendered without the request: no context processors, no session, no database."""
    try:
        body = loader.get_template("500.html").render()
    except Exception:
        logger.exception("The 500 page could not be rendered; answered with the plain text")
        body = PLAIN_SERVER_ERROR
    return HttpResponseServerError(body)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponseForbidden:
    """A form refused because its security token no longer holds: why, and how to go on without retyping."""
    context = {
        "cookie_missing": reason == REASON_NO_CSRF_COOKIE,
        "typed": _typed_text(request) if _from_this_site(request) else [],
        "form_page": _form_page(request),
    }
    return render(request, "403_csrf.html", context, status=403)


def _from_this_site(request: HttpRequest) -> bool:
    """Only a form posted from PIAK's own pages gets its text back: another site's forged form must not
    be able to put its words on the office's page."""
    return request.headers.get("Origin") == f"{request.scheme}://{request.get_host()}"


def _typed_text(request: HttpRequest) -> list[tuple[str, str]]:
    """What the official typed (text fields only, never secrets), so it can be copied into the reloaded form."""
    if request.method != "POST":
        return []
    return [
        (name, value)
        for name, values in request.POST.lists()
        if not any(part in name.lower() for part in SECRET_FIELD_PARTS)
        for value in values
        if value.strip()
    ]


def _form_page(request: HttpRequest) -> str:
    """The page the form was on (its Referer, when it is this site), to open it afresh."""
    referer = request.headers.get("Referer", "")
    allowed = url_has_allowed_host_and_scheme(referer, {request.get_host()}, require_https=request.is_secure())
    return referer if allowed else ""
