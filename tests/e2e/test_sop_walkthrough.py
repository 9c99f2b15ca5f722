"""The three SOPs run to the end in Chromium by the demo officials, each with a return for correction."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import Office

pytestmark = pytest.mark.e2e


@pytest.fixture
def office(page, live_server, demo, screenshot):
    return Office(page, live_server.url, screenshot)


def _start_report(office, tmp_path):
    office.as_("kasi.ppd")
    office.page.get_by_role("link", name="SOP", exact=True).click()
    office.snap("daftar-sop")
    office.page.locator(".list-group-item", has_text="SOP-1").get_by_role("link", name="Mulai berkas").click()
    office.page.get_by_label("Judul berkas").fill("Uji jalan SOP 1: data penduduk untuk BPS")
    report = tmp_path / "laporan-semester.pdf"
    report.write_bytes(b"%PDF-1.4 laporan semester II 2026")
    office.page.get_by_label("Laporan dan Surat Pengantar").set_input_files(report)
    office.page.get_by_role("button", name="Mulai").click()
    expect(office.page.locator(".alert-success")).to_be_visible()
    office.snap("sop1-dimulai")


def test_sop1_runs_to_the_end_with_a_return(office, tmp_path):
    _start_report(office, tmp_path)
    office.complete("sop1-langkah1-selesai")
    office.as_("kabid")
    office.open_case_from_inbox()
    office.give_return("Angka Kecamatan Jakabaring belum sesuai", "sop1-dikembalikan")
    office.as_("kasi.ppd")
    office.open_case_from_inbox()
    fixed = tmp_path / "laporan-perbaikan.pdf"
    fixed.write_bytes(b"%PDF-1.4 laporan semester II 2026 diperbaiki")
    office.page.locator("#aksi-dokumen").get_by_label("Versi baru dokumen").set_input_files(fixed)
    office.press("aksi-dokumen", "Simpan versi baru", "sop1-versi2")
    office.complete("sop1-langkah1-ulang")
    office.as_("kabid")
    office.open_case_from_inbox()
    office.paraf("sop1-paraf-kabid-2")
    office.paraf("sop1-paraf-kabid-3")
    office.as_("sekretaris")
    office.open_case_from_inbox()
    office.paraf("sop1-paraf-sekretaris")
    office.as_("kadis")
    office.open_case_from_inbox()
    office.sign("sop1-tanda-tangan")
    office.as_("kasi.ppd")
    office.open_case_from_inbox()
    office.complete("sop1-disampaikan")
    expect(office.page.locator(".badge", has_text="Selesai").first).to_be_visible()
    expect(office.page.get_by_text("Angka Kecamatan Jakabaring belum sesuai")).to_be_visible()


def _start_work_plan(office, kode, title):
    office.as_("operator")
    office.page.goto(f"{office.base}/sop/{kode}/mulai/")
    office.page.get_by_label("Judul berkas").fill(title)
    office.page.get_by_label("Judul rencana kerja").fill("Rencana kerja Desember 2026")
    office.page.get_by_label("Kegiatan (satu per baris)").fill("Pencadangan basis data\nPembaruan aplikasi SIAK")
    office.page.get_by_label("Dasar hukum").fill("Perpres 96 Tahun 2018")
    office.page.get_by_role("button", name="Mulai").click()
    expect(office.page.locator(".alert-success")).to_be_visible()
    office.snap(f"{kode}-dimulai")
    office.complete(f"{kode}-langkah1")


def test_sop2_runs_to_the_end_with_a_return(office):
    _start_work_plan(office, "sop-2", "Uji jalan SOP 2: pemeliharaan SIAK")
    office.as_("kasi.siak")
    office.open_case_from_inbox()
    office.give_return("Dasar hukum belum lengkap", "sop2-dikembalikan")
    office.as_("operator")
    office.open_case_from_inbox()
    office.complete("sop2-langkah1-ulang")
    office.as_("kasi.siak")
    office.open_case_from_inbox()
    office.paraf("sop2-paraf-kasi")
    office.as_("kabid")
    office.open_case_from_inbox()
    office.paraf("sop2-paraf-kabid")
    office.as_("kadis")
    office.open_case_from_inbox()
    office.disposisi("Rina Marlina, S.Kom. — Operator SIAK", "Siapkan data penduduk", "sop2-disposisi-kadis")
    office.as_("operator")
    office.open_case_from_inbox()
    office.complete("sop2-data-siap")
    office.as_("kabid")
    office.open_case_from_inbox()
    office.disposisi("Rina Marlina, S.Kom. — Operator SIAK", "Laksanakan entri dan perekaman", "sop2-disposisi-kabid")
    office.as_("operator")
    office.open_case_from_inbox()
    office.complete("sop2-selesai")
    expect(office.page.locator(".badge", has_text="Selesai").first).to_be_visible()


def test_sop3_runs_to_the_end_with_a_return_and_a_plh_kabid(office):
    _start_work_plan(office, "sop-3", "Uji jalan SOP 3: tata kelola TIK")
    office.as_("kasi.tik")
    office.open_case_from_inbox()
    office.paraf("sop3-paraf-kasi")
    office.as_("kasi.siak")  # Plh Kabid this week in the demo data, acting for the absent Kabid
    office.open_case_from_inbox()
    office.paraf("sop3-paraf-plh-kabid")
    office.as_("kadis")
    office.open_case_from_inbox()
    office.give_return("Berkas kelengkapan belum dikoreksi", "sop3-dikembalikan")
    office.as_("kasi.siak")
    office.open_case_from_inbox()
    office.paraf("sop3-paraf-plh-kabid-ulang")
    office.as_("kadis")
    office.open_case_from_inbox()
    office.disposisi("Rina Marlina, S.Kom. — Operator SIAK", "Siapkan data", "sop3-disposisi-kadis")
    office.as_("operator")
    office.open_case_from_inbox()
    office.complete("sop3-data-siap")
    office.as_("kasi.siak")
    office.open_case_from_inbox()
    office.disposisi("Rina Marlina, S.Kom. — Operator SIAK", "Jalankan perbaikan jaringan", "sop3-disposisi-plh")
    expect(office.page.locator(".badge", has_text="Selesai").first).to_be_visible()
    expect(
        office.page.get_by_text("(Plh. Kepala Bidang Pengelolaan Informasi Administrasi Kependudukan)").first
    ).to_be_visible()


def test_a_user_who_may_not_act_is_not_offered_the_action(office, tmp_path):
    _start_report(office, tmp_path)
    office.complete("sop1-siap-ditelaah")
    case_url = office.page.url
    office.as_("sekretaris")
    office.page.goto(case_url)
    expect(office.page.get_by_text("Anda tidak mempunyai tindakan pada langkah ini.")).to_be_visible()
    assert office.page.locator("#aksi-paraf").count() == 0
    office.snap("sop1-sekretaris-tanpa-aksi")


def test_official_sop_document_and_new_version_pages(office):
    office.as_("admin")
    office.page.goto(f"{office.base}/sop/sop-1/")
    expect(office.page.get_by_role("heading", name=re.compile("PROSEDUR"))).to_be_visible()
    assert office.page.locator("td.c-flow svg").count() == 6
    office.snap("dokumen-sop1")
    office.page.goto(f"{office.base}/sop/sop-1/versi-baru/")
    editor = office.page.get_by_label("Definisi (YAML)")
    editor.fill(editor.input_value().replace("waktu: 60 menit", "waktu: 2 jam"))
    office.page.get_by_role("button", name="Periksa dan lihat perbedaan").click()
    expect(office.page.get_by_text("Definisi sah.")).to_be_visible()
    office.snap("versi-baru-pratinjau")
    office.page.get_by_role("button", name="Terbitkan versi baru").click()
    expect(office.page.locator(".alert-success")).to_contain_text("versi 2 diterbitkan")
