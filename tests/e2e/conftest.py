"""Browser tests: the real server (pytest-django's live_server) driven by Debian's Chromium."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

# Playwright's sync API runs an event loop in the test thread; Django's ORM must be allowed there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("PIAK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOT_DIR = Path(
    os.environ.get("PIAK_SCREENSHOT_DIR", Path(__file__).resolve().parents[2] / "var" / "screenshots")
)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="id-ID")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page, request):
    """Save the current page as `<test>-<name>.png` in the screenshot folder."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    prefix = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name)

    def take(name: str) -> Path:
        path = SCREENSHOT_DIR / f"{prefix}-{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take


def pytest_terminal_summary(terminalreporter):
    if SCREENSHOT_DIR.exists() and any(SCREENSHOT_DIR.glob("*.png")):
        terminalreporter.write_line(f"Tangkapan layar uji peramban: {SCREENSHOT_DIR}")


@pytest.fixture
def demo(transactional_db):
    """The demo officials of `make run`, one per role (the Kasi SIAK is also Plh Kabid this week)."""
    from piak.core.demo import demo_officials_ensure

    demo_officials_ensure()


def log_in(page, base_url: str, username: str, password: str | None = None, *, succeeds: bool = True) -> None:
    from piak.core.demo import DEMO_PASSWORD

    page.goto(f"{base_url}/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password or DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    if succeeds:
        page.wait_for_url(f"{base_url}/")


def log_out(page) -> None:
    page.get_by_role("button", name="Keluar").click()


class Office:
    """Drives the case page as the officials do, saving a screenshot after every action."""

    def __init__(self, page, base_url, screenshot):
        self.page, self.base, self.shot, self.n = page, base_url, screenshot, 0
        self.case_url = ""

    def as_(self, username):
        if self.page.get_by_role("button", name="Keluar").count():
            log_out(self.page)
        log_in(self.page, self.base, username)

    def snap(self, name):
        self.n += 1
        self.shot(f"{self.n:02d}-{name}")

    def open_case_from_inbox(self, title=re.compile("Uji jalan")):
        self.page.get_by_role("link", name="Tugas Saya").click()
        self.snap("tugas-saya")
        self.page.get_by_role("link", name=title).first.click()
        expect(self.page.get_by_role("heading", name="Tindakan Anda")).to_be_visible()

    def press(self, form_id, button, name):
        self.page.locator(f"#{form_id}").get_by_role("button", name=button).click()
        expect(self.page.locator(".alert-success")).to_be_visible()
        self.snap(name)

    def complete(self, name):
        form = self.page.locator("#aksi-selesai")
        for box in form.get_by_role("checkbox").all():
            box.check()
        self.press("aksi-selesai", "Selesai", name)

    def paraf(self, name):
        self.press("aksi-paraf", "Paraf", name)

    def sign(self, name):
        self.press("aksi-tanda_tangan", "Tandatangani", name)

    def give_return(self, reason, name):
        self.page.locator("#aksi-kembalikan").get_by_label("Alasan pengembalian").fill(reason)
        self.press("aksi-kembalikan", "Kembalikan", name)

    def disposisi(self, to_label, text, name):
        form = self.page.locator("#aksi-disposisi")
        form.get_by_label("Kepada").select_option(label=to_label)
        form.get_by_label("Isi disposisi").fill(text)
        self.press("aksi-disposisi", "Kirim disposisi", name)
