"""The error pages (400, 403, 404, 500, CSRF failure) with DEBUG off: the office's layout, Bahasa Indonesia,
no English Django text and no stack trace."""

import pytest
from django.test import Client, RequestFactory
from django.urls import path

from piak import urls as real_urls
from piak.web.error_views import PLAIN_SERVER_ERROR, server_error

LAYOUT = "Dinas Kependudukan dan Pencatatan Sipil Kota Palembang"  # the footer of web/base.html
DJANGO_ENGLISH = (
    "Server Error", "Not Found", "Forbidden", "Bad Request", "CSRF verification failed", "Request aborted",
    "Traceback", "The requested resource", "Page not found", "Help", "DEBUG = True",
)  # fmt: skip


def _broken_view(request):
    raise RuntimeError("kesalahan pemrograman yang disengaja")


# A test-only URLconf: the real routes and the real handlers, plus a view that raises.
urlpatterns = [path("uji/rusak/", _broken_view), *real_urls.urlpatterns]
handler500 = real_urls.handler500


def _assert_office_page(response, status: int, heading: str) -> str:
    assert response.status_code == status
    page = response.content.decode()
    assert heading in page and LAYOUT in page and 'lang="id"' in page
    assert "piak/piak.css" in page  # the office's stylesheet, so the page looks like the others
    for english in DJANGO_ENGLISH:
        assert english not in page, english
    return page


@pytest.fixture(autouse=True)
def debug_off(settings):
    settings.DEBUG = False


@pytest.fixture
def staf(make_official):
    return make_official("operator", "staf")


def test_a_missing_page_is_the_office_404(client, staf):
    client.force_login(staf)
    _assert_office_page(client.get("/tidak-ada-halaman-ini/"), 404, "Halaman tidak ditemukan")


def test_a_page_beyond_the_role_is_the_office_403(client, make_official):
    client.force_login(make_official("tanpa.jabatan"))  # signed in, holding no PIAK role today
    _assert_office_page(client.get("/sop/"), 403, "Akses ditolak")


def test_a_bad_parameter_is_the_office_400(client, staf):
    client.force_login(staf)
    _assert_office_page(client.get("/sop/sop-1/", {"versi": "abc"}), 400, "Permintaan tidak valid")


def test_a_view_that_raises_gives_the_office_500_without_the_exception(settings, staf):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    client.force_login(staf)
    page = _assert_office_page(client.get("/uji/rusak/"), 500, "Terjadi kesalahan pada sistem")
    assert "kesalahan pemrograman yang disengaja" not in page and "RuntimeError" not in page


def test_the_500_page_renders_without_the_database_or_a_request_context():
    """No `db` fixture: any query would raise, and the plain fallback (no layout) would be answered."""
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert page != PLAIN_SERVER_ERROR and LAYOUT in page and "Terjadi kesalahan pada sistem" in page


def test_a_500_template_that_fails_still_answers_in_indonesian(settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [], "APP_DIRS": False, "OPTIONS": {}}]
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500 and response.content.decode() == PLAIN_SERVER_ERROR


def _csrf_client() -> Client:
    client = Client(enforce_csrf_checks=True)
    client.get("/masuk/")  # the form page sets the CSRF cookie
    return client


def test_a_stale_form_explains_in_indonesian_and_gives_back_what_was_typed(db):
    client = _csrf_client()
    response = client.post(
        "/masuk/",
        {"username": "operator", "password": "rahasia-sekali-2026", "csrfmiddlewaretoken": "usang" * 8},
        headers={"Origin": "http://testserver", "Referer": "http://testserver/masuk/"},
    )
    page = _assert_office_page(response, 403, "Formulir tidak dapat dikirim")
    assert "terlalu lama terbuka" in page and "Isian Anda belum tersimpan" in page
    assert ">operator</textarea>" in page  # what was typed, to copy back
    assert "rahasia-sekali-2026" not in page and "usang" not in page  # never a secret or the token
    assert 'href="http://testserver/masuk/"' in page  # the form page, to open it afresh


def test_a_form_forged_elsewhere_gets_nothing_echoed(db):
    client = _csrf_client()
    response = client.post("/masuk/", {"username": "Hubungi 0812-xxxx"}, headers={"Origin": "https://jahat.example"})
    page = _assert_office_page(response, 403, "Formulir tidak dapat dikirim")
    assert "Hubungi 0812" not in page and "jahat.example" not in page


def test_a_browser_without_the_cookie_is_told_to_allow_it(db):
    response = Client(enforce_csrf_checks=True).post("/masuk/", {"username": "operator"})
    page = _assert_office_page(response, 403, "Formulir tidak dapat dikirim")
    assert "Izinkan cookie" in page
