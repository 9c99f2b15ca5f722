"""Record corrections in a real browser: a duplicate retired from data quality, a field corrected from the
resident page (sent there from a case), and the history of corrections."""

import re

import pytest
from playwright.sync_api import expect

from piak.penduduk.impor.run import import_file
from piak.penduduk.models import KoreksiData, Penduduk, StatusPenduduk
from piak.penduduk.tests.helpers import child, family, write_csv
from piak.web.pdf import render_pdf
from tests.e2e.conftest import demo_officials_for_tests, log_in

pytestmark = pytest.mark.e2e
NIK_ASLI, NIK_GANDA = child()["NIK"], "1671010303100004"


@pytest.fixture
def register(transactional_db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_officials_for_tests()
    assert import_file(write_csv(tmp_path / "k.csv", [*family(), child(NIK=NIK_GANDA)])).exit_code == 0


@pytest.fixture
def surat(tmp_path):
    path = tmp_path / "surat-keterangan-kk.pdf"
    path.write_bytes(render_pdf("print/base_a4.html", {}))
    return path


def test_operator_retires_a_duplicate_and_corrects_a_field(page, live_server, register, surat, screenshot):
    log_in(page, live_server.url, "operator")
    page.get_by_role("link", name="Kualitas data").click()
    duplicates = page.get_by_role("table", name="Kemungkinan orang yang sama tercatat dua kali")
    expect(duplicates.get_by_role("row").filter(has_text="RIZKY FAUZI")).to_contain_text("2")
    screenshot("kualitas-kemungkinan-ganda")
    duplicates.get_by_role("link", name="Tandai ganda RIZKY FAUZI").click()
    expect(page.get_by_role("heading", name="Tandai data ganda")).to_be_visible()
    kept, retired = Penduduk.objects.get(nik=NIK_ASLI), Penduduk.objects.get(nik=NIK_GANDA)
    page.get_by_label(f"Pertahankan #{kept.pk}").check()
    page.get_by_label(f"Nonaktifkan #{retired.pk}").check()
    page.get_by_label("Alasan koreksi").fill("Satu anak tercatat dua kali; NIK yang benar menurut akta kelahiran.")
    page.get_by_label("Dokumen pendukung").set_input_files(surat)
    screenshot("tandai-ganda-diisi")
    page.get_by_role("button", name="Nonaktifkan data ganda").click()
    expect(page.locator(".alert-success")).to_contain_text("dinonaktifkan sebagai data ganda")
    expect(page.get_by_role("table", name="Kemungkinan orang yang sama tercatat dua kali")).to_have_count(0)
    screenshot("kualitas-sesudah")
    assert Penduduk.objects.get(nik=NIK_GANDA).status == StatusPenduduk.GANDA

    page.goto(f"{live_server.url}/penduduk/{retired.pk}/")
    expect(page.get_by_text("Data ini dinonaktifkan sebagai data ganda")).to_be_visible()
    screenshot("rincian-data-ganda")

    # Sent from an SOP 2 case: the page names the case and returns to it.
    case_page = "/penduduk/kualitas-data/"
    page.goto(f"{live_server.url}/penduduk/{kept.pk}/koreksi/?berkas=12&next={case_page}")
    expect(page.get_by_text("Koreksi ini dikerjakan untuk berkas #12.")).to_be_visible()
    screenshot("koreksi-pilih-isian")
    page.get_by_role("link", name="Koreksi Tempat lahir").click()
    page.get_by_label("Tempat lahir baru").fill("Banyuasin")
    page.get_by_role("button", name="Simpan koreksi").click()
    expect(page.locator(".alert-danger, .text-danger").first).to_be_visible()
    screenshot("koreksi-tanpa-alasan-ditolak")
    page.get_by_label("Alasan koreksi").fill("Tempat lahir menurut kutipan akta kelahiran.")
    page.get_by_label("Dokumen pendukung").set_input_files(surat)
    page.get_by_role("button", name="Simpan koreksi").click()
    page.wait_for_url(re.compile(re.escape(case_page)))
    expect(page.locator(".alert-success")).to_contain_text("Tempat lahir PALEMBANG → BANYUASIN")
    screenshot("kembali-ke-berkas")

    page.get_by_role("link", name="Riwayat koreksi data").click()
    expect(page.get_by_role("cell", name="BANYUASIN")).to_be_visible()
    expect(page.get_by_role("link", name="surat-keterangan-kk.pdf").first).to_be_visible()
    screenshot("riwayat-koreksi")
    assert KoreksiData.objects.count() == 2
