"""The case page prints as a clean sheet and offers its Lembar Kendali PDF to whoever may see the case."""

import pytest
from playwright.sync_api import expect

from .conftest import Office
from .test_sop_walkthrough import _start_work_plan

pytestmark = pytest.mark.e2e


@pytest.fixture
def office(page, live_server, demo, screenshot):
    return Office(page, live_server.url, screenshot)


def test_case_page_prints_without_controls_and_links_its_lembar_pdf(office):
    _start_work_plan(office, "sop-2", "Uji cetak SOP 2: pemeliharaan SIAK")
    page = office.page
    link = page.get_by_role("link", name="Cetak Lembar Kendali (PDF)")
    expect(link).to_be_visible()
    response = page.request.get(office.base + link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")

    page.emulate_media(media="print")
    office.snap("berkas-dicetak")
    for hidden in (link, page.get_by_role("navigation", name="Navigasi utama"), page.locator("form").first):
        expect(hidden).to_be_hidden()
    expect(page.get_by_role("heading", name="Riwayat langkah")).to_be_visible()
    columns = page.locator("main .row > [class*='col-']")
    main_width = page.locator("main").bounding_box()["width"]
    for index in range(columns.count()):
        assert columns.nth(index).bounding_box()["width"] >= main_width * 0.95
