"""The account pages in a real browser: a password change, and the Kepala Dinas's second factor."""

import pytest
from playwright.sync_api import expect

from piak.core import totp

from .conftest import log_in, log_out

pytestmark = pytest.mark.e2e


def test_an_official_changes_their_password_and_signs_in_with_it(page, live_server, demo, screenshot):
    log_in(page, live_server.url, "operator")
    page.get_by_role("link", name="Akun").click()
    expect(page.get_by_role("heading", name="Ganti kata sandi")).to_be_visible()
    page.get_by_label("Kata sandi saat ini").fill("sungai-musi-2026")
    page.get_by_label("Kata sandi baru", exact=True).fill("pendek")
    page.get_by_label("Ulangi kata sandi baru").fill("pendek")
    page.get_by_role("button", name="Simpan kata sandi baru").click()
    expect(page.get_by_text("Kata sandi terlalu pendek")).to_be_visible()
    screenshot("sandi-ditolak")
    page.get_by_label("Kata sandi saat ini").fill("sungai-musi-2026")
    page.get_by_label("Kata sandi baru", exact=True).fill("Lorong-Basah-Night-77")
    page.get_by_label("Ulangi kata sandi baru").fill("Lorong-Basah-Night-77")
    page.get_by_role("button", name="Simpan kata sandi baru").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_text("Kata sandi Anda sudah diganti.")).to_be_visible()
    log_out(page)
    log_in(page, live_server.url, "operator", "Lorong-Basah-Night-77")


def test_the_kepala_dinas_turns_on_the_second_factor_and_signs_in_with_a_code(page, live_server, demo, screenshot):
    log_in(page, live_server.url, "kadis")
    page.goto(f"{live_server.url}/akun/sandi/")
    page.get_by_role("link", name="Aktifkan verifikasi dua langkah").click()
    expect(page.get_by_role("img", name="Kode QR untuk aplikasi autentikator")).to_be_visible()
    screenshot("dua-langkah-daftar")
    secret = page.locator("figcaption code").inner_text()
    page.get_by_label("Kode verifikasi (6 angka)").fill(totp.code_at(secret, totp.time_step()))
    page.get_by_role("button", name="Aktifkan").click()
    expect(page.get_by_text("Verifikasi dua langkah aktif.")).to_be_visible()
    screenshot("dua-langkah-aktif")
    log_out(page)
    log_in(page, live_server.url, "kadis", succeeds=False)
    page.wait_for_url(f"{live_server.url}/masuk/kode/")
    expect(page.get_by_role("heading", name="Verifikasi dua langkah")).to_be_visible()
    screenshot("masuk-kode")
    page.get_by_label("Kode verifikasi (6 angka)").fill(totp.code_at(secret, totp.time_step() + 1))
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{live_server.url}/")
