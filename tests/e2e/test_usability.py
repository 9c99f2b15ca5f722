"""Every main page, as the role that uses it, on a tablet (768×1024): labelled fields, one h1, Bahasa Indonesia,
no sideways scrolling, a skip link, and a clean printout (no header, navigation, buttons or forms)."""

import subprocess

import pytest
from playwright.sync_api import expect

from piak.core.models import User
from piak.naskah import sop_steps
from piak.naskah.tests.helpers import permintaan_bps
from piak.penduduk.models import Penduduk
from piak.statistik.models import Snapshot
from piak.statistik.services import indicators_compute

from .conftest import SCREENSHOT_DIR, log_in

pytestmark = pytest.mark.e2e

UNLABELLED_FIELDS = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => el.type !== 'hidden' && el.type !== 'submit' && el.type !== 'button' && el.getClientRects().length)
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                && !el.getAttribute('aria-labelledby') && !el.title)
  .map(el => el.outerHTML.slice(0, 120))"""
OVERFLOW = "() => document.scrollingElement.scrollWidth - window.innerWidth"
HIDDEN_IN_PRINT = "header, nav, footer, form, .btn, .breadcrumb"


@pytest.fixture
def office_data(demo, city, files):
    """One running SOP 1 case from a data request, with its letter and a snapshot with indicators."""
    permintaan = permintaan_bps(User.objects.get(username="kasi.ppd"))
    case = sop_steps.case_start_for_request(permintaan=permintaan, user=permintaan.dibuat_oleh)
    indicators_compute(snapshot=Snapshot.objects.get())
    return {"case": case, "permintaan": permintaan, "penduduk": Penduduk.objects.order_by("pk").first()}


def _pages(data) -> dict[str, list[tuple[str, str]]]:
    case, permintaan = data["case"], data["permintaan"]
    snapshot = Snapshot.objects.get()
    return {
        "kasi.ppd": [
            ("beranda", "/"),
            ("tugas", "/tugas/"),
            ("berkas", "/berkas/"),
            ("berkas-rincian", f"/berkas/{case.pk}/"),
            ("sop", "/sop/"),
            ("sop-dokumen", "/sop/sop-1/"),
            ("permintaan", "/naskah/permintaan/"),
            ("permintaan-baru", "/naskah/permintaan/baru/"),
            ("permintaan-rincian", f"/naskah/permintaan/{permintaan.pk}/"),
            ("surat", f"/naskah/{case.naskah.pk}/"),
            ("register-surat", "/naskah/register/"),
            ("penomoran", "/naskah/nomor/"),
            ("notifikasi", "/notifikasi/"),
            ("statistik", "/statistik/"),
            ("statistik-snapshot", f"/statistik/{snapshot.pk}/"),
        ],
        "operator": [
            ("penduduk-cari", "/penduduk/"),
            ("penduduk-rincian", f"/penduduk/{data['penduduk'].pk}/"),
            ("penduduk-impor", "/penduduk/impor/"),
        ],
        "admin": [("beranda-admin", "/"), ("admin", "/admin/"), ("admin-jabatan", "/admin/core/roleholding/add/")],
    }


def _check_screen(page, name: str) -> list[str]:
    problems = []
    if page.locator("html").get_attribute("lang") != "id":
        problems.append("lang bukan id")
    if page.locator("h1").count() != 1:
        problems.append(f"{page.locator('h1').count()} h1")
    if unlabelled := page.evaluate(UNLABELLED_FIELDS):
        problems.append(f"tanpa label: {unlabelled}")
    if (overflow := page.evaluate(OVERFLOW)) > 0:
        problems.append(f"melebar {overflow}px")
    return [f"{name}: {problem}" for problem in problems]


def _check_print(page, name: str) -> list[str]:
    page.emulate_media(media="print")
    page.camera.take(f"{name}-cetak")
    shown = [
        el.evaluate("e => e.outerHTML.slice(0, 80)") for el in page.locator(HIDDEN_IN_PRINT).all() if el.is_visible()
    ]
    page.emulate_media(media="screen")
    return [f"{name} (cetak) tampil: {shown}"] if shown else []


def _skip_link_leads_to_the_content(page) -> None:
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Langsung ke isi")
    expect(skip).to_be_visible()
    page.camera.take("lompat-ke-isi")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_every_main_page_is_usable_on_a_tablet_and_prints_cleanly(new_page, live_server, office_data):
    problems = []
    for username, pages in _pages(office_data).items():
        page = new_page(768, 1024, name=username)
        log_in(page, live_server.url, username)
        for name, path in pages:
            page.goto(f"{live_server.url}{path}")
            page.camera.take(name)
            problems += _check_screen(page, name)
            if not path.startswith("/admin/"):
                problems += _check_print(page, name)
    assert not problems, "\n".join(problems)


def _tab_to(page, target, limit: int = 60) -> None:
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} tidak tercapai dengan Tab")


def test_skip_link_and_the_case_action_work_with_the_keyboard(page, live_server, office_data):
    log_in(page, live_server.url, "kasi.ppd")
    page.goto(f"{live_server.url}/berkas/{office_data['case'].pk}/")
    _skip_link_leads_to_the_content(page)
    action = page.locator("#aksi-selesai")
    for box in action.get_by_role("checkbox").all():
        _tab_to(page, box)
        page.keyboard.press("Space")
        expect(box).to_be_checked()
    button = action.get_by_role("button", name="Selesai")
    _tab_to(page, button)
    page.camera.take("tombol-selesai-terfokus")
    page.keyboard.press("Enter")
    expect(page.locator(".alert-success")).to_contain_text("Langkah 1 selesai.")
    page.camera.take("selesai-dengan-papan-ketik")


def test_case_and_statistik_pages_print_to_a4(page, live_server, office_data):
    """Chromium's PDF of two pages, turned into pictures next to the screenshots to be looked at."""
    log_in(page, live_server.url, "kasi.ppd")
    targets = {"berkas": f"/berkas/{office_data['case'].pk}/", "statistik": f"/statistik/{Snapshot.objects.get().pk}/"}
    for name, path in targets.items():
        page.goto(f"{live_server.url}{path}")
        page.camera.take(name)
        pdf = SCREENSHOT_DIR / f"cetak-{name}.pdf"
        page.pdf(path=pdf, format="A4", print_background=True)
        subprocess.run(["pdftoppm", "-png", "-r", "60", pdf, SCREENSHOT_DIR / f"cetak-{name}"], check=True)
        assert pdf.read_bytes().startswith(b"%PDF")
