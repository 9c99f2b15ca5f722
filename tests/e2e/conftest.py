"""Browser tests: the real server (pytest-django's live_server) driven by Debian's Chromium."""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

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


@pytest.fixture(scope="session", autouse=True)
def screenshot_folder():
    """Start each run with an empty screenshot folder, so every picture in it is from this run."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    for old in [*SCREENSHOT_DIR.glob("*.png"), *SCREENSHOT_DIR.glob("*.pdf")]:
        old.unlink()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Camera:
    """Screenshots of one browser page into SCREENSHOT_DIR, numbered in the order they were taken.

    Every document the page shows is photographed: automatically before the first action or assertion on
    it (a locator handler), or when the test names the moment with `take` (which replaces the automatic
    picture of the same document). `check` fails the test if a page was passed through without a picture,
    e.g. two `goto` in a row."""

    MARK = "data-piak-foto"  # on <html> once photographed; holds the path of an automatic picture

    def __init__(self, page, prefix: str):
        self.page, self.prefix, self.count = page, prefix, 0
        self.visits: list[dict] = []
        page.on("framenavigated", self._navigated)
        page.add_locator_handler(page.locator(f"html:not([{self.MARK}])"), self._automatic, no_wait_after=True)

    def _navigated(self, frame) -> None:
        if frame == self.page.main_frame and not frame.url.startswith("about:"):
            self.visits.append({"url": frame.url, "shot": False})

    def _mark(self, value: str) -> str | None:
        """Set the mark on the current document; return its previous value."""
        return self.page.evaluate(
            "([mark, value]) => { const html = document.documentElement; const old = html.getAttribute(mark);"
            " html.setAttribute(mark, value); return old; }",
            [self.MARK, value],
        )

    def _shoot(self, name: str) -> Path:
        self.count += 1
        path = SCREENSHOT_DIR / f"{self.prefix}-{self.count:02d}-{name}.png"
        self.page.screenshot(path=path, full_page=True)
        if self.visits:
            self.visits[-1]["shot"] = True
        return path

    def _automatic(self, _locator=None) -> None:
        self._mark(str(self._shoot(_page_slug(self.page.url))))

    def take(self, name: str) -> Path:
        path = self._shoot(name)
        if automatic := self._mark(""):
            Path(automatic).unlink(missing_ok=True)
        return path

    def check(self) -> None:
        if self.visits and not self.visits[-1]["shot"]:
            self._automatic()
        missed = [visit["url"] for visit in self.visits if not visit["shot"]]
        assert not missed, f"Halaman tanpa tangkapan layar: {missed}"


def _page_slug(url: str) -> str:
    path = urlsplit(url).path.strip("/")
    return "halaman-" + (re.sub(r"[^A-Za-z0-9]+", "-", path) or "beranda")


def _test_prefix(request) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name)


@pytest.fixture
def new_page(browser, request):
    """Open pages in fresh browser contexts (another person's browser), each with its own camera."""
    opened = []

    def open_page(width: int = 1280, height: int = 800, name: str = ""):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
        page = context.new_page()
        page.camera = Camera(page, _test_prefix(request) + (f"-{name}" if name else ""))
        opened.append(page)
        return page

    yield open_page
    passed = getattr(request.node, "rep_call", None) and request.node.rep_call.passed
    for page in opened:
        if passed:
            page.camera.check()
        page.context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def screenshot(page):
    """Save the current page as `<test>-<nn>-<name>.png` in the screenshot folder."""
    return page.camera.take


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures know in teardown whether the test passed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def pytest_terminal_summary(terminalreporter):
    if SCREENSHOT_DIR.exists() and any(SCREENSHOT_DIR.glob("*.png")):
        terminalreporter.write_line(f"Tangkapan layar uji peramban: {SCREENSHOT_DIR}")


@pytest.fixture
def demo(transactional_db):
    """The demo officials of `make run`, one per role (the Kasi SIAK is also Plh Kabid this week)."""
    demo_officials_for_tests()


def demo_officials_for_tests(*, acting: bool = True) -> None:
    """The demo officials, signing in with their demo passwords: the suite's settings are not a demo
    instance (`PIAK_DEMO`), which would send them to change their published password first."""
    from piak.core.demo import demo_officials_ensure
    from piak.core.models import User

    demo_officials_ensure(acting=acting)
    User.objects.update(harus_ganti_sandi=False)


@pytest.fixture
def files(settings, tmp_path, live_server):
    """Media, snapshots and a local signing CA in the test's own folder; letters point at the live server."""
    from piak.naskah.signing import local_ca_ensure

    local_ca_ensure(tmp_path / "signer")
    settings.PIAK_SIGNER_DIR = tmp_path / "signer"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PIAK_SNAPSHOT_DIR = tmp_path / "snapshot"
    settings.PIAK_PUBLIC_URL = live_server.url


@pytest.fixture
def city(transactional_db, tmp_path):
    """A small synthetic city (400 residents) in the register, so reports have figures to compute."""
    from piak.penduduk.generator import city_write
    from piak.penduduk.impor.run import import_file

    city_write(tmp_path / "kota.csv", people=400, seed=6)
    assert import_file(tmp_path / "kota.csv").exit_code == 0


def log_in(page, base_url: str, username: str, password: str | None = None, *, succeeds: bool = True) -> None:
    from piak.core.demo_logins import DEMO_LOGINS

    if not page.url.startswith(f"{base_url}/masuk/"):
        page.goto(f"{base_url}/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password or DEMO_LOGINS[username])
    page.get_by_role("button", name="Masuk").click()
    if succeeds:
        page.wait_for_url(f"{base_url}/")
        page.camera.take(f"beranda-{username}")


def log_out(page) -> None:
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(re.compile(r"/masuk/"))


class Office:
    """Drives the case page as the officials do, saving a screenshot after every action."""

    def __init__(self, page, base_url, screenshot):
        self.page, self.base, self.snap = page, base_url, screenshot

    def as_(self, username):
        if self.page.get_by_role("button", name="Keluar").count():
            log_out(self.page)
        log_in(self.page, self.base, username)

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

    def sign(self, name, passphrase):
        self.page.locator("#aksi-tanda_tangan").get_by_label("Passphrase penandatanganan").fill(passphrase)
        self.press("aksi-tanda_tangan", "Tandatangani", name)

    def give_return(self, reason, name):
        self.page.locator("#aksi-kembalikan").get_by_label("Alasan pengembalian").fill(reason)
        self.press("aksi-kembalikan", "Kembalikan", name)

    def disposisi(self, to_label, text, name):
        form = self.page.locator("#aksi-disposisi")
        form.get_by_label("Kepada").select_option(label=to_label)
        form.get_by_label("Isi disposisi").fill(text)
        self.press("aksi-disposisi", "Kirim disposisi", name)
