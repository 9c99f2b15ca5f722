from datetime import date

import pytest
from playwright.sync_api import expect

from piak.core.demo import DEMO_PASSWORD, demo_officials_ensure

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo_snapshot(transactional_db, settings, tmp_path):
    """Demo officials and two synthetic semesters, so growth and the previous column show."""
    from piak.statistik.services import indicators_compute, snapshot_create
    from piak.statistik.synthetic import synthetic_events, synthetic_population

    settings.PIAK_SNAPSHOT_DIR = tmp_path / "snapshot"
    demo_officials_ensure()
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
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
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
