"""SOP 1 in Chromium, as issue 6 tells it: a data request is recorded, the report is computed from a snapshot
of the register, the Kabid returns it once, the Kasi corrects the letter, Kabid and Sekretaris initial, the
Kepala Dinas signs, the Kasi delivers it, and anyone can verify the signed letter."""

import re

import pytest
from playwright.sync_api import expect

from piak.naskah.models import Naskah
from piak.sop.models import StepRun

from .conftest import Office

pytestmark = pytest.mark.e2e

TITLE = re.compile("Penyampaian Data Kependudukan")
AGENCY_EMAIL = "bps1671@bps.go.id"


@pytest.fixture
def office(page, live_server, demo, files, screenshot):
    return Office(page, live_server.url, screenshot)


def _record_request(office) -> None:
    page = office.page
    page.get_by_role("link", name="Permintaan Data").click()
    page.get_by_role("link", name="Catat permintaan").click()
    page.get_by_label("Instansi").fill("Badan Pusat Statistik Kota Palembang")
    page.get_by_label("Jabatan yang dituju").fill("Kepala Badan Pusat Statistik Kota Palembang")
    page.get_by_label("Nomor surat permohonan").fill("B-123/16710/HM.100/2026")
    page.get_by_label("Tanggal surat permohonan").fill("2026-11-10")
    page.get_by_label("Keperluan").fill("penyusunan publikasi Kota Palembang Dalam Angka 2027")
    page.get_by_label("Dasar hukum").fill("Permendagri Nomor 102 Tahun 2019")
    page.get_by_label("T1 — Penduduk menurut jenis kelamin", exact=False).check()
    page.get_by_label("T2 — Kelompok umur", exact=False).check()
    page.get_by_label("Data per tanggal").fill("2026-06-30")
    page.get_by_label("Surel kontak").fill(AGENCY_EMAIL)
    office.snap("permintaan-diisi")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("alert")).to_contain_text("Permintaan data dari Badan Pusat Statistik")
    office.snap("permintaan-dicatat")


def _start_from_request(office) -> None:
    office.page.get_by_role("button", name="Susun laporan dan surat, mulai SOP 1").click()
    expect(office.page.locator(".alert-success")).to_contain_text("SOP 1 dimulai")
    expect(office.page.get_by_role("region", name="Surat Pengantar")).to_contain_text("Status: Draf")
    office.snap("sop1-dimulai-dari-permintaan")


def _correct_the_letter(office) -> None:
    """After the return: a new draft on the letter page, then the case takes it and goes back up."""
    page = office.page
    page.locator("#aksi-dokumen").get_by_role("link", name="Buka halaman surat").click()
    expect(page.get_by_role("link", name="laporan-penduduk-2026-06-30.pdf")).to_be_visible()
    expect(page.get_by_role("link", name="laporan-penduduk-2026-06-30.xlsx")).to_be_visible()
    page.get_by_label("Perihal").fill("Penyampaian Data Kependudukan Semester I 2026")
    page.get_by_role("button", name="Simpan draf baru").click()
    expect(page.get_by_role("alert")).to_contain_text("Draf baru Surat Pengantar disusun.")
    office.snap("surat-draf-v2")
    page.get_by_role("link", name=re.compile("Buka berkas SOP 1")).click()
    office.press("aksi-dokumen", "Ambil draf terbaru", "sop1-dokumen-v2")
    office.complete("sop1-langkah1-ulang")


def _deliver(office, mailoutbox) -> None:
    page = office.page
    page.get_by_role("link", name="Buka halaman surat (kirim, arsip, verifikasi)").click()
    expect(page.get_by_label("Alamat surel instansi")).to_have_value(AGENCY_EMAIL)
    page.get_by_role("button", name="Kirim surel").click()
    expect(page.get_by_role("alert")).to_contain_text("Surat dikirim lewat surel.")
    office.snap("surat-terkirim")
    assert [message.to for message in mailoutbox] == [[AGENCY_EMAIL]]
    page.get_by_role("link", name=re.compile("Buka berkas SOP 1")).click()
    office.complete("sop1-disampaikan")


def _verify_as_the_public(new_page, base: str, naskah: Naskah) -> None:
    visitor = new_page(1100, 800, name="pengunjung")
    visitor.goto(f"{base}/verifikasi/{naskah.token_verifikasi}/")
    expect(visitor.get_by_role("heading", name="SAH Tanda tangan elektronik")).to_be_visible()
    signed = naskah.versi.get(jenis="final").berkas.open("rb").read()
    visitor.get_by_label("Berkas PDF yang akan diperiksa").set_input_files(
        files=[{"name": "surat.pdf", "mimeType": "application/pdf", "buffer": signed}]
    )
    visitor.get_by_role("button", name="Periksa", exact=True).click()
    expect(visitor.get_by_role("alert")).to_contain_text("SAH — Berkas sama persis")
    visitor.camera.take("berkas-sah")
    tampered = bytearray(signed)
    tampered[len(signed) // 4] ^= 0x01
    visitor.get_by_label("Berkas PDF yang akan diperiksa").set_input_files(
        files=[{"name": "surat.pdf", "mimeType": "application/pdf", "buffer": bytes(tampered)}]
    )
    visitor.get_by_role("button", name="Periksa", exact=True).click()
    expect(visitor.get_by_role("alert")).to_contain_text("TIDAK SAH")
    visitor.camera.take("berkas-diubah-tidak-sah")


PASSPHRASE = "frasa-kadis-uji-e2e"


def _set_passphrase(office):
    """The Kepala Dinas sets a signing passphrase on first use (the case page links to it)."""
    page = office.page
    page.goto(office.base + "/naskah/passphrase/")
    page.locator("#id_baru").fill(PASSPHRASE)
    page.get_by_label("Ulangi passphrase baru").fill(PASSPHRASE)
    page.get_by_role("button", name="Simpan passphrase").click()
    expect(page.locator(".alert-success")).to_be_visible()
    office.snap("passphrase-diatur")


def test_sop1_from_a_data_request_to_delivery_and_public_verification(office, city, new_page, live_server, mailoutbox):
    office.as_("kasi.ppd")
    _record_request(office)
    _start_from_request(office)
    office.complete("sop1-langkah1")
    office.as_("kabid")
    office.open_case_from_inbox(TITLE)
    office.give_return("Angka Kecamatan Jakabaring belum sesuai", "sop1-dikembalikan")
    office.as_("kasi.ppd")
    office.open_case_from_inbox(TITLE)
    _correct_the_letter(office)
    office.as_("kabid")
    office.open_case_from_inbox(TITLE)
    office.paraf("sop1-paraf-kabid-2")
    office.paraf("sop1-paraf-kabid-3")
    office.as_("sekretaris")
    office.open_case_from_inbox(TITLE)
    office.paraf("sop1-paraf-sekretaris")
    office.as_("kadis")
    _set_passphrase(office)
    office.open_case_from_inbox(TITLE)
    office.sign("sop1-ditandatangani", PASSPHRASE)
    office.as_("kasi.ppd")
    office.open_case_from_inbox(TITLE)
    _deliver(office, mailoutbox)

    expect(office.page.locator(".badge", has_text="Selesai").first).to_be_visible()
    expect(office.page.get_by_text("Angka Kecamatan Jakabaring belum sesuai")).to_be_visible()
    naskah = Naskah.objects.get()
    assert naskah.status == Naskah.Status.DIARSIPKAN and naskah.nomor.endswith("/PIAK/2026")
    assert naskah.perihal == "Penyampaian Data Kependudukan Semester I 2026"
    assert naskah.versi.filter(jenis="draf").count() == 2
    assert naskah.snapshot_baris == 400
    performers = set(StepRun.objects.filter(case=naskah.case).values_list("pelaku__username", flat=True))
    assert performers == {"kasi.ppd", "kabid", "sekretaris", "kadis"}
    _verify_as_the_public(new_page, live_server.url, naskah)


def _case_waiting_for_the_kabid():
    """An SOP 1 case started from a data request, its step 1 done by the Kasi PPD."""
    from piak.core.models import User
    from piak.sop import services
    from tests.sops.drive import start_letter_case

    kasi = User.objects.get(username="kasi.ppd")
    case = start_letter_case(kasi)
    run = case.step_runs.get(selesai_pada__isnull=True)
    services.step_complete(step_run=run, user=kasi, checklist=list(case.versi.definition.step(1).checklist))
    return case


def test_a_user_who_may_not_act_is_not_offered_the_action_and_a_forged_request_is_refused(office):
    case = _case_waiting_for_the_kabid()
    office.as_("operator")
    office.page.goto(f"{office.base}/berkas/{case.pk}/")
    expect(office.page.get_by_text("Anda tidak mempunyai tindakan pada langkah ini.")).to_be_visible()
    expect(office.page.get_by_role("heading", name="Tindakan Anda")).to_have_count(0)
    expect(office.page.locator("form[id^=aksi-]")).to_have_count(0)
    office.snap("staf-tanpa-tindakan")

    before = list(case.step_runs.values_list("pk", "selesai_pada", "hasil"))
    token = office.page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    forged = office.page.request.post(
        f"{office.base}/berkas/{case.pk}/paraf/",
        form={
            "csrfmiddlewaretoken": token,
            "langkah_id": case.step_runs.get(selesai_pada__isnull=True).pk,
            "dokumen_sha256": case.documents.get().sha256,
            "catatan": "palsu",
        },
    )
    assert forged.ok and "tidak memegang jabatan" in forged.text()
    assert list(case.step_runs.values_list("pk", "selesai_pada", "hasil")) == before
