"""SOP 2 and SOP 3 run to the end in Chromium by the demo officials, each with a return for correction and an
acting Kepala Bidang for the absent Kabid: in SOP 2 a Plt the Admin appoints and the Kepala Dinas confirms, in
SOP 3 the demo's Plh of this week, after the Admin's second appointment for the same days is refused
(SOP 1 is in test_sop1.py)."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from piak.sop.models import StepRun

from .conftest import Office, demo_officials_for_tests

pytestmark = pytest.mark.e2e
KABID = "Kepala Bidang Pengelolaan Informasi Administrasi Kependudukan"
OPERATOR = "Rina Marlina, S.Kom. — Operator SIAK"


@pytest.fixture
def office(page, live_server, demo, screenshot):
    return Office(page, live_server.url, screenshot)


@pytest.fixture
def office_without_plh(page, live_server, transactional_db, screenshot):
    """The demo officials without this week's Plh Kabid, so that the Admin may appoint a Plt for these days."""
    demo_officials_for_tests(acting=False)
    return Office(page, live_server.url, screenshot)


def _start_work_plan(office, kode, title):
    office.as_("operator")
    office.page.goto(f"{office.base}/sop/{kode}/mulai/")
    office.page.get_by_label("Judul berkas").fill(title)
    office.page.get_by_label("Judul rencana kerja").fill("Rencana kerja Desember 2026")
    office.page.get_by_label("Uraian kegiatan 1", exact=True).fill("Pencadangan basis data")
    office.page.get_by_label("Uraian kegiatan 2", exact=True).fill("Pembaruan aplikasi SIAK")
    office.page.get_by_label("Dasar hukum").fill("Perpres 96 Tahun 2018")
    office.page.get_by_role("button", name="Mulai").click()
    expect(office.page.locator(".alert-success")).to_be_visible()
    office.snap(f"{kode}-dimulai")
    office.complete(f"{kode}-langkah1")


def _fill_plt_kabid(office, official: str) -> None:
    """The Admin enters a Plt Kepala Bidang for two weeks in the administration, as the office would."""
    today = date.today()
    office.as_("admin")
    office.page.get_by_role("link", name="Administrasi").click()
    office.page.get_by_role("link", name="Pemegang jabatan").click()
    office.page.get_by_role("link", name="Tambahkan pemegang jabatan").click()
    office.page.get_by_label("Pejabat").select_option(label=official)
    office.page.get_by_label("Jabatan:", exact=True).select_option(label=KABID)
    office.page.get_by_label("Kedudukan").select_option(label="Plt. (Pelaksana Tugas)")
    office.page.get_by_label("Mulai").fill(f"{today:%d-%m-%Y}")
    office.page.get_by_label("Selesai").fill(f"{today + timedelta(days=14):%d-%m-%Y}")
    office.page.get_by_label("Nomor SK / surat perintah").fill("800/0456/Disdukcapil/2026")
    office.page.get_by_label("Tanggal SK / surat perintah").fill(f"{today:%d-%m-%Y}")
    office.page.get_by_label("Keterangan").fill("Kepala Bidang cuti tahunan")
    office.snap("plt-kabid-diisi")
    office.page.get_by_role("button", name="Simpan", exact=True).click()


def _appoint_plt_kabid(office, official: str) -> None:
    """The Admin enters the Plt; it waits for the Kepala Dinas, who confirms it on the confirmation page."""
    _fill_plt_kabid(office, official)
    expect(office.page.locator(".messagelist .success")).to_be_visible()
    expect(office.page.locator(".messagelist .warning")).to_contain_text("menunggu konfirmasi Kepala Dinas")
    expect(office.page.get_by_role("cell", name="Menunggu konfirmasi")).to_be_visible()
    office.snap("plt-kabid-diangkat")
    office.as_("kadis")
    office.page.get_by_role("link", name="Konfirmasi Plt/Plh (1)").click()
    expect(office.page.get_by_role("heading", name=re.compile(f"Plt. {KABID}"))).to_be_visible()
    office.snap("plt-kabid-menunggu-konfirmasi")
    office.page.get_by_role("button", name="Konfirmasi", exact=True).click()
    expect(office.page.locator(".alert-success")).to_contain_text("Dikonfirmasi: Plt. Kepala Bidang")
    office.snap("plt-kabid-dikonfirmasi")


def _timeline_shows(office, label: str) -> None:
    timeline = office.page.get_by_role("region", name="Riwayat langkah")
    expect(timeline.get_by_text(f"({label} {KABID})").first).to_be_visible()


def test_sop2_with_a_return_and_a_plt_kabid(office_without_plh):
    office = office_without_plh
    _appoint_plt_kabid(office, "Muhammad Rizki, S.Kom. (kasi.tik)")
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
    office.as_("kasi.tik")  # Plt Kabid
    office.open_case_from_inbox()
    office.paraf("sop2-paraf-plt-kabid")
    office.as_("kadis")
    office.open_case_from_inbox()
    office.disposisi(OPERATOR, "Siapkan data penduduk", "sop2-disposisi-kadis")
    office.as_("operator")
    office.open_case_from_inbox()
    office.page.get_by_role("button", name="Lampirkan laporan kualitas data").click()  # step 5 needs data
    expect(office.page.locator(".alert-success")).to_contain_text("Bahan penyiapan data dilampirkan")
    office.complete("sop2-data-siap")
    office.as_("kasi.tik")
    office.open_case_from_inbox()
    office.disposisi(OPERATOR, "Laksanakan entri dan perekaman", "sop2-disposisi-plt-kabid")
    office.as_("operator")
    office.open_case_from_inbox()
    office.complete("sop2-selesai")
    expect(office.page.locator(".badge", has_text="Selesai").first).to_be_visible()
    _timeline_shows(office, "Plt.")
    assert not StepRun.objects.filter(pelaku__username="kabid").exists()


def test_sop3_with_a_return_and_the_plh_kabid_after_a_second_acting_appointment_is_refused(office):
    """The Kasi SIAK is Plh Kabid this week in the demo data; the Admin's Plt for the same days is refused in the
    admin, and the Plh does the Kabid's review, the review after the return and the disposition."""
    _fill_plt_kabid(office, "Hendra Saputra, S.T. (kasi.ppd)")
    refusal = office.page.locator(".errornote, .errorlist").last
    expect(refusal).to_contain_text("Hanya satu Plt/Plh untuk satu jabatan pada hari yang sama.")
    expect(refusal).to_contain_text("Plh. Kepala Bidang")
    expect(refusal).to_contain_text("Dewi Anggraini")
    office.snap("plt-kabid-ditolak-bentrok")
    _start_work_plan(office, "sop-3", "Uji jalan SOP 3: tata kelola TIK")
    office.as_("kasi.tik")
    office.open_case_from_inbox()
    office.paraf("sop3-paraf-kasi")
    office.as_("kasi.siak")  # Plh Kabid
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
    office.disposisi(OPERATOR, "Siapkan data", "sop3-disposisi-kadis")
    office.as_("operator")
    office.open_case_from_inbox()
    office.complete("sop3-data-siap")
    office.as_("kasi.siak")  # Plh Kabid
    office.open_case_from_inbox()
    office.disposisi(OPERATOR, "Jalankan perbaikan jaringan", "sop3-disposisi-plh-kabid")
    expect(office.page.locator(".badge", has_text="Selesai").first).to_be_visible()
    expect(office.page.get_by_text("Berkas kelengkapan belum dikoreksi")).to_be_visible()
    _timeline_shows(office, "Plh.")
    assert not StepRun.objects.filter(pelaku__username__in=["kabid", "kasi.ppd"]).exclude(peran="kasi_ppd").exists()


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
