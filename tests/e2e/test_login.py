import pytest
from playwright.sync_api import expect

from piak.core.demo import DEMO_OFFICIALS

from .conftest import log_in as _log_in

pytestmark = pytest.mark.e2e


def test_login_page_in_bahasa_indonesia(page, live_server, demo, screenshot):
    page.goto(f"{live_server.url}/")
    assert page.url.startswith(f"{live_server.url}/masuk/")
    assert page.locator("html").get_attribute("lang") == "id"
    expect(page.get_by_role("heading", name="Masuk ke PIAK")).to_be_visible()
    screenshot("login")


@pytest.mark.parametrize("official", DEMO_OFFICIALS, ids=[o.username for o in DEMO_OFFICIALS])
def test_every_demo_user_logs_in_and_sees_their_roles(page, live_server, demo, screenshot, official):
    from piak.core.models import Role

    _log_in(page, live_server.url, official.username)
    page.wait_for_url(f"{live_server.url}/")
    roles_section = page.get_by_role("region", name="Jabatan Anda hari ini")
    assert Role.objects.get(code=official.role).nama in roles_section.inner_text()
    assert official.nama_cetak in page.inner_text("main")
    screenshot("beranda")
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(f"{live_server.url}/masuk/")


def test_acting_role_is_shown_with_its_end_date(page, live_server, demo, screenshot):
    _log_in(page, live_server.url, "kasi.siak")
    text = page.get_by_role("region", name="Jabatan Anda hari ini").inner_text()
    assert "Plh. Kepala Bidang Pengelolaan Informasi Administrasi Kependudukan" in text
    assert "Plh. (Pelaksana Harian) s.d." in text


def test_wrong_password_shows_a_clear_message(page, live_server, demo, screenshot):
    _log_in(page, live_server.url, "operator", "salah-sekali", succeeds=False)
    assert page.get_by_role("alert").inner_text().startswith("Nama pengguna atau kata sandi salah")
    screenshot("salah-sandi")


def test_admin_opens_the_administration(page, live_server, demo, screenshot):
    _log_in(page, live_server.url, "admin")
    page.get_by_role("link", name="Administrasi").click()
    expect(page.get_by_role("heading", name="Data referensi, pengguna dan jabatan")).to_be_visible()
    screenshot("admin")
