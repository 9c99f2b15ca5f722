"""Office pages and the public verification page: permissions, forms, user mistakes."""

import html
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from piak.naskah import services, sop_steps
from piak.naskah.letter import tanggal_indonesia
from piak.naskah.models import Naskah, NomorCadangan, PermintaanData
from piak.naskah.selectors import naskah_seen_seq

from .conftest import SNAPSHOT
from .helpers import passphrase_for, version_bytes

pytestmark = pytest.mark.django_db

FORM = {
    "instansi": "KPU Kota Palembang",
    "jabatan_tujuan": "Ketua KPU Kota Palembang",
    "nomor_surat": "123/PL.01/2026",
    "tanggal_surat": "2026-11-03",
    "keperluan": "pemutakhiran data pemilih",
    "dasar_hukum": "UU 7/2017",
    "nomor_pks": "",
    "tabel_diminta": ["T1", "T2"],
    "tanggal_data": "2026-06-30",
    "email_kontak": "kpu@palembang.go.id",
}


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.fixture
def draft_factory(permintaan, officials):
    def make():
        naskah = services.naskah_draft(permintaan=permintaan, by=officials["kasi"], snapshot=SNAPSHOT)
        services.naskah_sign(naskah=naskah, by=officials["kadis"], passphrase=passphrase_for(officials["kadis"]))
        return naskah

    return make


def test_anonymous_users_are_sent_to_login(client):
    response = client.get("/naskah/permintaan/")
    assert response.status_code == 302 and response.url.startswith("/masuk/")


@pytest.mark.parametrize("who", ["staf", "sekretaris", "kadis", "kasi"])
def test_every_piak_role_sees_the_registers(login, officials, permintaan, who):
    client = login(officials[who])
    for url in (
        "/naskah/permintaan/",
        f"/naskah/permintaan/{permintaan.pk}/",
        "/naskah/register/",
        "/naskah/nomor/",
    ):
        assert client.get(url).status_code == 200, url


def test_kasi_records_a_request_through_the_form(login, officials):
    response = login(officials["kasi"]).post("/naskah/permintaan/baru/", FORM, follow=True)
    assert "Permintaan data dari KPU Kota Palembang dicatat." in response.text
    assert PermintaanData.objects.get().tabel_diminta == ["T1", "T2"]


def test_form_mistake_is_shown_not_a_server_error(login, officials):
    response = login(officials["kasi"]).post("/naskah/permintaan/baru/", {**FORM, "dasar_hukum": ""})
    assert response.status_code == 200
    assert "Isi dasar hukum atau nomor perjanjian kerja sama" in response.text
    assert not PermintaanData.objects.exists()


@pytest.mark.parametrize("who", ["staf", "kadis"])
def test_other_roles_may_not_record_requests(login, officials, who):
    client = login(officials[who])
    assert client.get("/naskah/permintaan/baru/").status_code == 403
    assert client.post("/naskah/permintaan/baru/", FORM).status_code == 403
    assert "Catat permintaan" not in client.get("/naskah/permintaan/").text


def test_draft_from_the_request_page_with_uploaded_report(login, officials, permintaan, report_pdf):
    client = login(officials["kasi"])
    response = client.post(
        f"/naskah/permintaan/{permintaan.pk}/draf/",
        {
            "perihal": "Penyampaian Data Kependudukan",
            "sifat": "Biasa",
            "snapshot_ref": SNAPSHOT.ref,
            "snapshot_tanggal": "2026-06-30",
            "snapshot_baris": SNAPSHOT.baris,
            "snapshot_sha256": SNAPSHOT.sha256,
            "laporan_pdf": SimpleUploadedFile("laporan.pdf", report_pdf, "application/pdf"),
            "tembusan": "Arsip",
        },
        follow=True,
    )
    assert "Draf Surat Pengantar disusun." in response.text
    naskah = Naskah.objects.get()
    assert naskah.lampiran.get().nama == "laporan.pdf"
    assert client.get(f"/naskah/{naskah.pk}/versi/1.pdf").status_code == 200


def test_draft_form_refuses_a_report_that_is_not_what_its_name_says(login, officials, permintaan, report_pdf):
    response = login(officials["kasi"]).post(
        f"/naskah/permintaan/{permintaan.pk}/draf/",
        {
            "perihal": "Penyampaian Data Kependudukan",
            "sifat": "Biasa",
            "snapshot_ref": SNAPSHOT.ref,
            "snapshot_tanggal": "2026-06-30",
            "snapshot_baris": SNAPSHOT.baris,
            "snapshot_sha256": SNAPSHOT.sha256,
            "laporan_pdf": SimpleUploadedFile("laporan.pdf", report_pdf),
            "laporan_xlsx": SimpleUploadedFile("laporan.xlsx", report_pdf),
        },
        follow=True,
    )
    assert "Berkas 'laporan.xlsx' bukan XLSX (terdeteksi: PDF). Yang diterima: XLSX." in html.unescape(response.text)
    assert not Naskah.objects.exists()


def test_draft_form_rejects_a_bad_checksum(login, officials, permintaan):
    response = login(officials["kasi"]).post(
        f"/naskah/permintaan/{permintaan.pk}/draf/",
        {"perihal": "x", "sifat": "Biasa", "snapshot_ref": "S", "snapshot_tanggal": "2026-06-30",
         "snapshot_baris": 5, "snapshot_sha256": "tidak-valid"},
        follow=True,
    )  # fmt: skip
    assert "Checksum harus 64 karakter heksadesimal" in response.text
    assert not Naskah.objects.exists()


def test_letter_page_starts_sop1_for_the_drafting_roles(login, officials, draft):
    kasi = login(officials["kasi"])
    assert "Mulai SOP 1 untuk surat ini" in kasi.get(f"/naskah/{draft.pk}/").text
    response = kasi.post(f"/naskah/{draft.pk}/mulai-sop1/", follow=True)
    assert "SOP 1 dimulai." in response.text
    draft.refresh_from_db()
    case = draft.case
    assert case.documents.get().sha256 == draft.versi_terakhir.sha256
    assert f"Buka berkas SOP 1 #{case.pk}" in kasi.get(f"/naskah/{draft.pk}/").text
    again = kasi.post(f"/naskah/{draft.pk}/mulai-sop1/", follow=True)
    assert "Surat ini sudah berjalan dalam SOP 1." in again.text


@pytest.mark.parametrize("who", ["kadis", "sekretaris", "staf"])
def test_other_roles_cannot_start_sop1_for_a_letter(login, officials, draft, who):
    client = login(officials[who])
    assert "Mulai SOP 1 untuk surat ini" not in client.get(f"/naskah/{draft.pk}/").text
    response = client.post(f"/naskah/{draft.pk}/mulai-sop1/", follow=True)
    assert Naskah.objects.get(pk=draft.pk).case is None
    assert "tidak memegang jabatan itu hari ini" in response.text


def test_kasi_corrects_the_draft_on_the_letter_page(login, officials, draft):
    kasi = login(officials["kasi"])
    assert "Perbaiki draf" in kasi.get(f"/naskah/{draft.pk}/").text
    form = {
        "perihal": "Penyampaian Data Penduduk Semester I",
        "sifat": draft.sifat,
        "tembusan": "Arsip",
        "versi_sha256": draft.versi_terakhir.sha256,
    }
    response = kasi.post(f"/naskah/{draft.pk}/revisi/", form, follow=True)
    assert "Draf baru Surat Pengantar disusun." in response.text
    draft.refresh_from_db()
    assert draft.versi_terakhir.nomor_versi == 2 and draft.tembusan == ["Arsip"]
    replay = kasi.post(f"/naskah/{draft.pk}/revisi/", {**form, "tembusan": "Lain"}, follow=True)
    assert "Surat ini sudah direvisi oleh Hendra Saputra, S.T. pada " in replay.text
    assert "Muat ulang halaman." in replay.text and draft.versi.count() == 2
    again = kasi.post(f"/naskah/{draft.pk}/revisi/", {**form, "versi_sha256": draft.versi_terakhir.sha256}, follow=True)
    assert "Tidak ada yang diubah pada draf." in again.text


@pytest.mark.parametrize("who", ["kadis", "staf"])
def test_other_roles_are_not_offered_and_may_not_correct_the_draft(login, officials, draft, who):
    client = login(officials[who])
    assert "Perbaiki draf" not in client.get(f"/naskah/{draft.pk}/").text
    form = {"perihal": "Lain", "sifat": draft.sifat, "tembusan": ""}
    assert client.post(f"/naskah/{draft.pk}/revisi/", form).status_code == 403
    assert draft.versi.count() == 1


def test_there_is_no_way_to_sign_outside_the_sop(login, officials, draft):
    client = login(officials["kadis"])
    assert client.post(f"/naskah/{draft.pk}/tandatangan/").status_code == 404
    draft.refresh_from_db()
    assert draft.status == Naskah.Status.DRAF


def test_send_link_acknowledge_and_archive_from_the_letter_page(login, officials, signed):
    client = login(officials["kasi"])
    form = {"berlaku_hari": 7, "terlihat": naskah_seen_seq(signed)}
    assert "Tautan unduh dibuat" in client.post(f"/naskah/{signed.pk}/kirim/tautan/", form, follow=True).text
    pengiriman = signed.pengiriman.get()
    response = client.post(
        f"/naskah/pengiriman/{pengiriman.pk}/terima/",
        {"nama_penerima": "Andi", "terlihat": naskah_seen_seq(signed)},
        follow=True,
    )
    assert "Penerimaan oleh instansi dicatat." in response.text
    response = client.post(f"/naskah/{signed.pk}/arsip/", {"terlihat": naskah_seen_seq(signed)}, follow=True)
    assert "Naskah diarsipkan." in response.text and "Arsip ARS-PIAK/" in response.text
    register = client.get("/naskah/register/").text
    assert signed.nomor in register and "diterima Andi" in register


def test_staff_without_delivery_permission_cannot_send(login, officials, signed):
    client = login(officials["staf"])
    seen = naskah_seen_seq(signed)
    assert client.post(f"/naskah/{signed.pk}/kirim/tautan/", {"berlaku_hari": 7, "terlihat": seen}).status_code == 403
    assert client.post(f"/naskah/{signed.pk}/arsip/", {"terlihat": seen}).status_code == 403


def test_number_page_reserves_and_reconciles(login, officials):
    client = login(officials["kabid"])
    response = client.post("/naskah/nomor/cadangan/", {"jumlah": 2, "alasan": "Listrik padam"}, follow=True)
    assert "Blok nomor dipesan" in response.text
    first, second = NomorCadangan.objects.order_by("nomor_urut")
    client.post(
        f"/naskah/nomor/cadangan/{first.pk}/pakai/",
        {"perihal": "Data pemilih", "tujuan": "KPU", "tanggal_surat": date.today().isoformat(), "terlihat": "tersedia"},
    )
    client.post(f"/naskah/nomor/cadangan/{second.pk}/batal/", {"alasan": "Tidak dipakai", "terlihat": "tersedia"})
    replay = {"alasan": "lagi", "terlihat": "tersedia"}
    response = client.post(f"/naskah/nomor/cadangan/{second.pk}/batal/", replay, follow=True)
    assert "sudah direkonsiliasi (dibatalkan) oleh Drs. Ahmad Fauzi, M.Si. pada " in response.text
    assert NomorCadangan.objects.get(pk=second.pk).alasan_batal == "Tidak dipakai"
    stale = {"alasan": "x", "terlihat": "dipakai"}
    response = client.post(f"/naskah/nomor/cadangan/{first.pk}/batal/", stale, follow=True)
    assert "sudah direkonsiliasi (dipakai surat kertas) oleh Drs. Ahmad Fauzi, M.Si." in response.text
    assert "tidak ada nomor yang hilang" in response.text
    assert [n.status for n in NomorCadangan.objects.order_by("nomor_urut")] == ["dipakai", "batal"]
    assert login(officials["staf"]).post("/naskah/nomor/cadangan/", {"jumlah": 1, "alasan": "x"}).status_code == 403


def test_public_verification_page_needs_no_login(client, signed):
    response = client.get(f"/verifikasi/{signed.token_verifikasi}/")
    assert response.status_code == 200
    text = response.text
    assert signed.nomor in text and tanggal_indonesia(signed.tanggal) in text
    assert "Dr. H. Bambang Irawan, M.Si." in text
    assert signed.versi.get(jenis="final").sha256 in text
    assert "SAH" in text and "Tanda tangan elektronik sah dan dokumen utuh." in text


def test_unknown_verification_code_says_not_valid(client, db):
    response = client.get("/verifikasi/bukan-kode-asli/")
    assert response.status_code == 404 and "TIDAK SAH" in response.text


def _upload(client, signed, content: bytes):
    return client.post(
        f"/verifikasi/{signed.token_verifikasi}/", {"berkas": SimpleUploadedFile("surat.pdf", content)}
    ).text


def test_uploading_the_signed_pdf_says_valid_and_a_changed_byte_says_not_valid(client, signed):
    original = version_bytes(signed.versi.get(jenis="final"))
    assert "<strong>SAH</strong>" in _upload(client, signed, original)
    tampered = bytearray(original)
    tampered[len(original) // 4] ^= 0x01
    verdict = _upload(client, signed, bytes(tampered))
    assert "<strong>TIDAK SAH</strong>" in verdict
    refused = html.unescape(_upload(client, signed, b"bukan pdf sama sekali"))
    assert "Berkas 'surat.pdf' bukan PDF (terdeteksi: teks biasa). Yang diterima: PDF." in refused


def test_uploading_another_validly_signed_letter_is_not_valid_for_this_code(client, signed, draft_factory):
    other = draft_factory()
    assert "bukan naskah yang terdaftar" in _upload(client, signed, version_bytes(other.versi.get(jenis="final")))


def test_upload_without_a_file_shows_the_form_error(client, signed):
    response = client.post(f"/verifikasi/{signed.token_verifikasi}/", {})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.text and "<strong>SAH</strong>" not in response.text


def test_case_of_a_letter_asks_for_the_newest_draft_not_an_upload(login, officials, draft):

    case = sop_steps.case_start_for_naskah(naskah=draft, user=officials["kasi"])
    html = login(officials["kasi"]).get(f"/berkas/{case.pk}/").text
    assert "Ambil draf surat terbaru" in html
    assert 'type="file"' not in html
