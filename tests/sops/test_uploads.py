"""Uploads through the real SOP pages: refused ones leave nothing behind; accepted ones are kept, hashed and
listed, and come back only as attachments of their detected type."""

import hashlib
import html
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from piak.sop import services
from piak.sop.models import Case, DocumentVersion
from piak.web.tests.files import EXE, HTML, real_pdf, real_xlsx, zip_bomb_xlsx
from tests.sops.drive import latest, seen, start_case

WORK_PLAN_POST = {
    "judul": "Pemeliharaan SIAK Januari",
    "rk_judul": "RK Januari",
    "kg_1_uraian": "Cadangkan basis data",
    "kg_2_uraian": "Perbarui SIAK",
    "rk_dasar_hukum": "Perpres 96/2018",
}


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def _start_work_plan(client, staf, name: str, content: bytes):
    client.force_login(staf)
    return client.post(
        reverse("sop:start", args=["sop-2"]),
        {**WORK_PLAN_POST, "rk_lampiran": SimpleUploadedFile(name, content)},
    )


def test_work_plan_attachment_is_kept_hashed_and_listed_with_a_download(client, office, media):
    response = _start_work_plan(client, office["staf"], "jadwal-pemeliharaan.pdf", real_pdf())
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("sop:case", args=[case.pk])
    document = case.documents.get()
    digest = hashlib.sha256(real_pdf()).hexdigest()
    assert document.isi["lampiran"] == {"nama": "jadwal-pemeliharaan.pdf", "ukuran": len(real_pdf()), "sha256": digest}
    assert [a["uraian"] for a in document.isi["kegiatan"]] == ["Cadangkan basis data", "Perbarui SIAK"]
    assert document.berkas.read() == real_pdf() and document.nama_berkas == "jadwal-pemeliharaan.pdf"

    page = html.unescape(client.get(reverse("sop:case", args=[case.pk])).content.decode())
    download = reverse("sop:document_download", args=[case.pk, 1])
    assert f'<a href="{download}">jadwal-pemeliharaan.pdf</a>' in page
    assert f"SHA-256 lampiran {digest}" in page
    assert f"({len(real_pdf()) / 1024:.1f}\xa0KB)".replace(".", ",") in page
    assert f"SHA-256 dokumen (rencana kerja dan lampiran) {document.sha256}" in page

    served = client.get(download)
    assert served["Content-Type"] == "application/pdf" and served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Disposition"] == 'attachment; filename="jadwal-pemeliharaan.pdf"'
    assert b"".join(served.streaming_content) == real_pdf()


def test_the_attachment_is_bound_into_the_document_hash(office, media):
    def plan_with(content: bytes) -> str:
        case = services.case_start(
            versi=latest("sop-2"),
            user=office["staf"],
            judul="Rencana",
            rencana_kerja={"judul": "RK", "kegiatan": ["Cadangkan"]},
            upload=SimpleUploadedFile("jadwal.xlsx", content),
        )
        return case.documents.get().sha256

    assert plan_with(real_xlsx()) != plan_with(real_xlsx() + b"\x00")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("jadwal.pdf", EXE, "bukan PDF (terdeteksi: program Windows (EXE/DLL)). Yang diterima: PDF, XLSX, DOCX, PNG"),
        ("jadwal.pdf", HTML, "Berkas 'jadwal.pdf' bukan PDF (terdeteksi: HTML). Yang diterima: PDF, XLSX, DOCX"),
        ("jadwal.xlsx", zip_bomb_xlsx(), "kemungkinan bom dekompresi"),
    ],
)
def test_a_refused_attachment_is_explained_on_the_start_page_and_nothing_is_stored(
    client, office, media, name, content, message
):
    response = _start_work_plan(client, office["staf"], name, content)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert message in page
    assert not Case.objects.exists() and not DocumentVersion.objects.exists()
    assert _stored_files(media) == []


def test_an_oversized_attachment_is_refused(client, office, media, settings):
    settings.PIAK_UPLOAD_MAX_BYTES = 1024
    page = html.unescape(_start_work_plan(client, office["staf"], "jadwal.pdf", real_pdf()).content.decode())
    assert "Berkas 'jadwal.pdf' terlalu besar (" in page and "paling besar 1,0\xa0KB" in page
    assert not DocumentVersion.objects.exists() and _stored_files(media) == []


def test_a_new_work_plan_version_keeps_its_new_attachment(client, office, media):
    case = start_case("sop-2", office)
    client.force_login(office["staf"])
    response = client.post(
        reverse("sop:action", args=[case.pk, "dokumen"]),
        seen(case, **WORK_PLAN_POST, rk_lampiran=SimpleUploadedFile("jadwal-v2.xlsx", real_xlsx())),
        follow=True,
    )
    page = response.content.decode()
    assert "Dokumen versi 2 tersimpan." in page
    assert "Lampiran versi 2 (jadwal-v2.xlsx) tidak ikut ke versi baru; unggah lagi bila masih berlaku." in page
    version = case.documents.get(nomor=2)
    assert version.isi["lampiran"]["sha256"] == hashlib.sha256(real_xlsx()).hexdigest()
    served = client.get(reverse("sop:document_download", args=[case.pk, 2]))
    assert served["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_a_refused_new_version_changes_nothing(client, office, media):
    case = start_case("sop-2", office)
    client.force_login(office["staf"])
    response = client.post(
        reverse("sop:action", args=[case.pk, "dokumen"]),
        seen(case, **WORK_PLAN_POST, rk_lampiran=SimpleUploadedFile("jadwal.pdf", EXE)),
        follow=True,
    )
    page = html.unescape(response.content.decode())
    assert "Lampiran (opsional): Berkas 'jadwal.pdf' bukan PDF (terdeteksi: program Windows (EXE/DLL))." in page
    assert case.documents.count() == 1 and _stored_files(media) == []


def test_a_new_version_of_a_legacy_report_is_checked_by_content(client, office, media):
    """A report case from before SOP 1 started from data requests still takes uploaded versions."""
    case = services.case_open(
        versi=latest("sop-1"),
        user=office["kasi_ppd"],
        judul="Laporan lama",
        upload=SimpleUploadedFile("laporan.pdf", real_pdf()),
    )
    client.force_login(office["kasi_ppd"])
    action = reverse("sop:action", args=[case.pk, "dokumen"])
    refused = client.post(action, seen(case, berkas=SimpleUploadedFile("laporan.pdf", HTML)), follow=True)
    assert "Berkas 'laporan.pdf' bukan PDF (terdeteksi: HTML)." in html.unescape(refused.content.decode())
    assert case.documents.count() == 1
    client.post(action, seen(case, berkas=SimpleUploadedFile("laporan-v2.pdf", real_pdf())))
    assert case.documents.get(nomor=2).sha256 == hashlib.sha256(real_pdf()).hexdigest()


def test_a_stored_file_that_is_a_page_is_never_served_as_one(client, office, media):
    # Stored before uploads were checked (services take what the forms let through).
    case = services.case_start(
        versi=latest("sop-2"),
        user=office["staf"],
        judul="Lama",
        rencana_kerja={"judul": "RK", "kegiatan": ["Cadangkan"]},
        upload=SimpleUploadedFile("jadwal.pdf", HTML),
    )
    client.force_login(office["kabid_piak"])
    served = client.get(reverse("sop:document_download", args=[case.pk, 1]))
    assert served["Content-Type"] == "application/octet-stream" and served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Disposition"].startswith("attachment;")


def test_downloads_need_a_piak_role(client, office, media, make_official):
    case = start_case("sop-1", office)
    client.force_login(make_official("tamu"))
    assert client.get(reverse("sop:document_download", args=[case.pk, 1])).status_code == 403


def test_an_sop_definition_upload_must_be_utf8_yaml_text(client, office):
    client.force_login(office["admin"])
    page = reverse("sop:new_version", args=["sop-2"])
    refused = client.post(page, {"yaml_text": "", "berkas": SimpleUploadedFile("sop-2.yaml", HTML)})
    assert "Berkas 'sop-2.yaml' bukan YAML (terdeteksi: HTML). Yang diterima: YAML." in html.unescape(
        refused.content.decode()
    )
    current = latest("sop-2").yaml_text
    preview = client.post(page, {"yaml_text": "", "berkas": SimpleUploadedFile("sop-2.yaml", current.encode())})
    assert preview.context["form"].cleaned_data["yaml_text"] == current
