"""The population register in a real browser: search, masking, event recording, access log, upload."""

import pytest
from playwright.sync_api import expect

from piak.penduduk.impor.run import import_file
from piak.penduduk.models import AksesDataPribadi, Penduduk
from piak.penduduk.tests.helpers import KK, child, family, person, write_csv
from tests.e2e.conftest import demo_officials_for_tests
from tests.e2e.test_login import _log_in

pytestmark = pytest.mark.e2e
NIK = person()["NIK"]
MASKED = "167101xxxxxxxxxx"


@pytest.fixture
def register(transactional_db, tmp_path):
    demo_officials_for_tests()
    assert import_file(write_csv(tmp_path / "keluarga.csv", family())).exit_code == 0


def _search(page, base_url: str, query: str) -> None:
    page.get_by_role("link", name="Register penduduk").click()
    page.get_by_label("Cari").fill(query)
    page.get_by_role("button", name="Cari").click()


def test_operator_searches_and_sees_full_numbers(page, live_server, register, screenshot):
    _log_in(page, live_server.url, "operator")
    _search(page, live_server.url, "fauzi")
    expect(page.get_by_role("cell", name=NIK)).to_be_visible()
    screenshot("cari")
    page.get_by_role("link", name="AHMAD FAUZI").click()
    expect(page.get_by_role("heading", name="AHMAD FAUZI")).to_be_visible()
    expect(page.get_by_label("NIK")).to_have_text(f"NIK {NIK}")
    screenshot("rincian")
    fauzi = Penduduk.objects.get(nik=NIK)
    viewed = AksesDataPribadi.objects.filter(pengguna__username="operator", objek=f"penduduk {MASKED} #{fauzi.pk}")
    assert viewed.count() == 1
    assert AksesDataPribadi.objects.filter(pengguna__username="operator", jenis="cari").count() == 1


def test_kepala_dinas_sees_masked_numbers(page, live_server, register, screenshot):
    _log_in(page, live_server.url, "kadis")
    _search(page, live_server.url, NIK)
    expect(page.get_by_text("tidak berhak mencari dengan NIK")).to_be_visible()
    assert NIK not in page.content() and "?q=" not in page.url
    screenshot("cari-nomor-ditolak")
    _search(page, live_server.url, "fauzi")
    expect(page.get_by_role("cell", name=MASKED).first).to_be_visible()
    assert NIK not in page.locator("table").inner_text()
    assert KK not in page.locator("table").inner_text()
    assert "15-05-1980" not in page.locator("table").inner_text()
    screenshot("tersamar")
    page.get_by_role("link", name="AHMAD FAUZI").click()
    expect(page.get_by_label("NIK")).to_have_text(f"NIK {MASKED}")
    expect(page.get_by_role("link", name="Catat kematian")).to_have_count(0)
    screenshot("rincian-tersamar")


def test_operator_records_a_birth_into_the_family(page, live_server, register, screenshot):
    _log_in(page, live_server.url, "operator")
    _search(page, live_server.url, KK)
    page.get_by_role("link", name="1671012003150001").first.click()
    page.get_by_role("link", name="Catat kelahiran").click()
    page.get_by_label("NIK bayi").fill("1671014102260001")
    page.get_by_label("Nama lengkap").fill("Aisyah Fauzi")
    page.get_by_label("Jenis kelamin").select_option(label="Perempuan")
    page.get_by_label("Tanggal lahir").fill("2026-02-01")
    page.get_by_label("Ibu").select_option(label="SITI AMINAH")
    page.get_by_label("Ayah").select_option(label="AHMAD FAUZI")
    screenshot("form-lahir")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("heading", name="AISYAH FAUZI")).to_be_visible()
    expect(page.get_by_role("cell", name="Kelahiran")).to_be_visible()
    screenshot("bayi")


def test_operator_records_a_move_out_then_a_death_is_refused(page, live_server, register, screenshot):
    rizky = Penduduk.objects.get(nik=child()["NIK"])
    _log_in(page, live_server.url, "operator")
    page.goto(f"{live_server.url}/penduduk/{rizky.pk}/")
    page.get_by_role("link", name="Catat pindah keluar").click()
    page.get_by_label("Tanggal pindah").fill("2026-01-10")
    page.get_by_label("Tanggal lapor").fill("2026-01-11")
    page.get_by_label("Tujuan pindah").select_option(label="Pindah keluar kota")
    page.get_by_label("Alamat tujuan").fill("Jl. Thamrin 1, Jakarta Pusat")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Peristiwa tercatat.")).to_be_visible()
    expect(page.get_by_role("cell", name="Pindah keluar", exact=True)).to_be_visible()
    screenshot("pindah-keluar")
    page.goto(f"{live_server.url}/penduduk/{rizky.pk}/mati/")
    page.get_by_label("Tanggal kematian").fill("2026-02-01")
    page.get_by_label("Tanggal lapor").fill("2026-02-02")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("alert")).to_contain_text("sudah pindah keluar pada 10-01-2026")
    screenshot("kematian-ditolak")


def test_admin_sees_who_viewed_personal_data(page, live_server, register, screenshot):
    _log_in(page, live_server.url, "operator")
    _search(page, live_server.url, NIK)
    page.get_by_role("link", name="AHMAD FAUZI").click()
    page.get_by_role("button", name="Keluar").click()
    _log_in(page, live_server.url, "admin")
    page.get_by_role("link", name="Log akses").click()
    row = page.get_by_role("row").filter(has_text=f"penduduk {MASKED}")
    expect(row).to_contain_text("Rina Marlina")
    expect(row).to_contain_text("Melihat")
    screenshot("log-akses")


def test_upload_shows_the_outcome_and_the_report(page, live_server, register, screenshot, tmp_path, settings):
    from piak.penduduk.tests.helpers import IMMEDIATE, task_backends_reset

    settings.TASKS = IMMEDIATE
    settings.MEDIA_ROOT = tmp_path / "media"
    task_backends_reset()
    try:
        upload = write_csv(
            tmp_path / "siak.csv",
            [*family(), person(NIK="1671011505809999", AGAMA="99", NO_KK="1671012003150009")],
        )
        _log_in(page, live_server.url, "operator")
        page.get_by_role("link", name="Impor SIAK").click()
        page.get_by_label("Berkas ekspor SIAK (CSV atau XLSX)").set_input_files(upload)
        page.get_by_role("button", name="Unggah dan impor").click()
        expect(page.get_by_role("heading", name="Status: Ditolak")).to_be_visible()
        expect(page.get_by_role("link", name="Unduh laporan (XLSX)")).to_be_visible()
        screenshot("impor-ditolak")
    finally:
        task_backends_reset()


def test_data_quality_page(page, live_server, register, screenshot):
    _log_in(page, live_server.url, "kasi.siak")
    page.get_by_role("link", name="Kualitas data").click()
    expect(page.get_by_role("heading", name="Jumlah penduduk per kelurahan")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="35 Ilir")).to_contain_text("3")
    screenshot("kualitas")
