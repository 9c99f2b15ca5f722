import io
import re
from datetime import date

import openpyxl
import pytest
from playwright.sync_api import expect

from piak.core.demo_logins import DEMO_LOGINS

from .conftest import demo_officials_for_tests, log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo_snapshot(transactional_db, settings, tmp_path):
    """Demo officials and two synthetic semesters, so growth and the previous column show."""
    from piak.statistik.services import indicators_compute, snapshot_create
    from piak.statistik.synthetic import synthetic_events, synthetic_population

    settings.PIAK_SNAPSHOT_DIR = tmp_path / "snapshot"
    demo_officials_for_tests()
    previous = snapshot_create(cutoff=date(2025, 12, 31), penduduk=synthetic_population(19_700, seed=3))
    indicators_compute(snapshot=previous)
    current = snapshot_create(
        cutoff=date(2026, 6, 30),
        penduduk=synthetic_population(20_000, seed=4),
        peristiwa=synthetic_events(20_000, start=date(2026, 1, 1), end=date(2026, 6, 30), seed=4),
    )
    indicators_compute(snapshot=current)
    return current


def test_kasi_ppd_reads_the_snapshot_headline_and_charts(page, live_server, demo_snapshot, screenshot):
    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("Nama pengguna").fill("kasi.ppd")
    page.get_by_label("Kata sandi").fill(DEMO_LOGINS["kasi.ppd"])
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("link", name="Statistik").click()
    expect(page.get_by_role("heading", name="Snapshot data kependudukan")).to_be_visible()
    expect(page.get_by_role("heading", name="Buat snapshot baru")).to_be_visible()
    screenshot("daftar-snapshot")
    page.get_by_role("link", name=f"#{demo_snapshot.pk}").click()
    expect(page.get_by_role("heading", name="Indikator utama (Kota Palembang)")).to_be_visible()
    expect(page.get_by_role("img", name="Piramida penduduk Kota Palembang, 30-06-2026")).to_be_visible()
    expect(page.get_by_role("img", name="Jumlah penduduk per kecamatan")).to_be_visible()
    assert "20.000" in page.inner_text("main")
    screenshot("snapshot")


TABLET = {"width": 768, "height": 1024}


def _at_tablet_width(page, screenshot, name: str) -> None:
    page.set_viewport_size(TABLET)
    screenshot(f"{name}-tablet")
    page.set_viewport_size({"width": 1280, "height": 800})


def test_city_page_drill_down_comparison_and_a_table_download(page, live_server, demo_snapshot, screenshot):
    log_in(page, live_server.url, "kabid")
    page.goto(f"{live_server.url}/statistik/{demo_snapshot.pk}/")
    ranking = page.get_by_role("table", name="Peringkat kecamatan menurut jumlah penduduk")
    expect(ranking.get_by_role("row")).to_have_count(19)  # header and 18 kecamatan
    expect(page.get_by_role("heading", name=re.compile("^Tabel 7\\. Cakupan dokumen"))).to_be_visible()
    expect(page.get_by_role("heading", name="Lampiran. Penduduk Kota Palembang menurut kelurahan")).to_be_visible()
    screenshot("kota")
    _at_tablet_width(page, screenshot, "kota")

    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh tabel 1 Penduduk (XLSX)").click()
    book = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    city_row = next(r for r in book.worksheets[0].iter_rows(values_only=True) if r[0] == "Kota Palembang")
    assert city_row[4] == 20_000

    first = ranking.get_by_role("link").first
    name = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", name=f"Indikator utama (Kecamatan {name})")).to_be_visible()
    expect(page.get_by_role("img", name="Jumlah penduduk per kelurahan")).to_be_visible()
    expect(page.get_by_role("table", name="Peringkat kelurahan menurut jumlah penduduk")).to_be_visible()
    screenshot("kecamatan")
    _at_tablet_width(page, screenshot, "kecamatan")

    page.goto(f"{live_server.url}/statistik/")
    page.get_by_role("link", name="Bandingkan dua snapshot").click()
    from piak.statistik.models import Snapshot

    previous = Snapshot.objects.get(tanggal_potong=date(2025, 12, 31))
    page.get_by_label("Snapshot A (awal)").select_option(label=str(previous))
    page.get_by_label("Snapshot B (akhir)").select_option(label=str(demo_snapshot))
    page.get_by_role("button", name="Bandingkan").click()
    expect(page.get_by_role("heading", name="Perbandingan jumlah penduduk per kecamatan")).to_be_visible()
    assert "20.000" in page.inner_text("main") and "19.700" in page.inner_text("main")
    screenshot("banding")
    _at_tablet_width(page, screenshot, "banding")

    page.get_by_label("Snapshot A (awal)").select_option(label=str(demo_snapshot))
    page.get_by_role("button", name="Bandingkan").click()
    expect(page.get_by_role("alert")).to_contain_text("Pilih dua snapshot yang berbeda")
    screenshot("banding-salah")
