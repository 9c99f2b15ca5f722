"""Uploads are judged by their bytes: real files pass, disguised and hostile ones are refused by name."""

import io
import zipfile

import pytest
from django import forms
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from piak.web.uploads import (
    CSV,
    DOCX,
    JPEG,
    PDF,
    PNG,
    XLSX,
    YAML,
    CheckedFileField,
    UploadPolicy,
    attachment_response,
    stored_content_type,
    upload_check,
)

from .files import EXE, HTML, SVG, ooxml, real_docx, real_image, real_pdf, real_xlsx, zip_bomb_xlsx

REPORT = UploadPolicy(kinds=(PDF, XLSX), max_bytes_setting="PIAK_UPLOAD_MAX_BYTES")
ANY_DOCUMENT = UploadPolicy(kinds=(PDF, XLSX, DOCX, PNG, JPEG), max_bytes_setting="PIAK_UPLOAD_MAX_BYTES")


def _refusal(name: str, content: bytes, policy: UploadPolicy = REPORT) -> forms.ValidationError:
    with pytest.raises(forms.ValidationError) as refused:
        upload_check(SimpleUploadedFile(name, content), policy)
    return refused.value


def test_a_real_pdf_and_a_real_xlsx_are_accepted_with_their_detected_type():
    pdf = SimpleUploadedFile("rencana.pdf", real_pdf(), content_type="text/html")
    assert upload_check(pdf, REPORT) is PDF
    assert pdf.content_type == "application/pdf"  # the client's claim is replaced by what the bytes are
    assert upload_check(SimpleUploadedFile("jadwal.xlsx", real_xlsx()), REPORT) is XLSX
    assert pdf.read() == real_pdf()  # rewound for whoever stores it


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("surat.docx", real_docx(), DOCX),
        ("foto.png", real_image("PNG"), PNG),
        ("pindaian.jpg", real_image("JPEG"), JPEG),
        ("pindaian.JPEG", real_image("JPEG"), JPEG),
    ],
)
def test_documents_and_images_are_recognised(name, content, kind):
    assert upload_check(SimpleUploadedFile(name, content), ANY_DOCUMENT) is kind


def test_a_renamed_windows_program_is_refused_naming_the_file_what_it_is_and_what_is_accepted():
    error = _refusal("laporan.pdf", EXE)
    assert error.code == "upload_kind_refused"
    assert error.messages == [
        "Berkas 'laporan.pdf' bukan PDF (terdeteksi: program Windows (EXE/DLL)). Yang diterima: PDF, XLSX."
    ]


def test_an_html_page_named_pdf_is_refused():
    assert _refusal("laporan.pdf", HTML).messages == [
        "Berkas 'laporan.pdf' bukan PDF (terdeteksi: HTML). Yang diterima: PDF, XLSX."
    ]


@pytest.mark.parametrize(
    ("name", "content", "found"),
    [
        ("gambar.png", SVG, "SVG"),
        ("data.csv", b"\xef\xbb\xbf  <script>alert(1)</script>", "HTML"),
        ("data.csv", b"nik,nama\n1,<iframe src=x>\n", "HTML"),
        ("data.csv", b"<?xml version='1.0'?><data/>", "XML/HTML"),
        ("data.csv", b"(function () { document.cookie })()", "JavaScript"),
        ("data.csv", b"const x = require('child_process')", "JavaScript"),
        ("data.csv", b"#!/bin/sh\nrm -rf /\n", "skrip yang dapat dijalankan (#!)"),
        ("data.csv", b"\x7fELF\x02\x01\x01" + b"\x00" * 16, "program Linux (ELF)"),
        ("data.xlsx", b"\xcf\xfa\xed\xfe\x07\x00\x00\x01", "program macOS (Mach-O)"),
        ("data.csv", b"nik\x00nama\x00", "berkas biner yang tidak dikenal"),
        ("data.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "dokumen Office lama (DOC/XLS)"),
    ],
)
def test_active_content_and_programs_are_refused_under_any_name(name, content, found):
    policy = UploadPolicy(kinds=(CSV, XLSX, PNG), max_bytes_setting="PIAK_UPLOAD_MAX_BYTES")
    error = _refusal(name, content, policy)
    assert error.code == "upload_kind_refused" and f"(terdeteksi: {found})" in error.messages[0]


def test_an_oversized_file_is_refused_before_it_is_read(settings):
    settings.PIAK_UPLOAD_MAX_BYTES = 1000

    class Unreadable(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("an oversized upload must be refused from its size alone")

    with pytest.raises(forms.ValidationError) as refused:
        upload_check(Unreadable("laporan.pdf", real_pdf()), REPORT)
    assert refused.value.code == "upload_too_large"
    assert refused.value.messages[0].startswith("Berkas 'laporan.pdf' terlalu besar (")
    assert "paling besar 1000" in refused.value.messages[0]


def test_an_empty_file_is_refused():
    assert _refusal("laporan.pdf", b"").messages == ["Berkas 'laporan.pdf' kosong."]


def test_a_zip_bomb_named_xlsx_is_refused_from_its_central_directory():
    bomb = zip_bomb_xlsx(unpacked_mb=64)
    assert len(bomb) < 200 * 1024  # 64 MB of sheet in well under a fifth of a megabyte
    error = _refusal("data.xlsx", bomb)
    assert error.code == "upload_zip_bomb"
    assert "kemungkinan bom dekompresi" in error.messages[0] and "'data.xlsx'" in error.messages[0]


def test_an_archive_that_unpacks_past_the_limit_is_refused_even_at_an_ordinary_ratio(settings):
    settings.PIAK_UPLOAD_ZIP_MAX_UNPACKED_BYTES = 2000
    assert _refusal("jadwal.xlsx", real_xlsx()).code == "upload_zip_bomb"


def test_an_archive_with_too_many_members_is_refused(settings):
    settings.PIAK_UPLOAD_ZIP_MAX_MEMBERS = 5
    many = ooxml({"xl/workbook.xml": b"<workbook/>", **{f"xl/media/{n}.xml": b"<x/>" for n in range(10)}})
    assert _refusal("jadwal.xlsx", many).code == "upload_zip_members"


def test_office_files_are_told_apart_by_their_main_part():
    assert "(terdeteksi: DOCX)" in _refusal("surat.docx", real_docx()).messages[0]
    assert "(terdeteksi: arsip ZIP)" in _refusal("data.xlsx", _plain_zip()).messages[0]
    with_macro = ooxml({"xl/workbook.xml": b"<workbook/>", "xl/vbaProject.bin": b"\x00" * 64})
    assert "(terdeteksi: dokumen Office bermakro (VBA))" in _refusal("data.xlsx", with_macro).messages[0]
    assert "(terdeteksi: arsip ZIP yang rusak)" in _refusal("data.xlsx", b"PK\x03\x04 truncated").messages[0]


def _plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
    return buffer.getvalue()


def test_a_name_that_contradicts_the_content_is_refused():
    error = _refusal("laporan.pdf", real_xlsx())
    assert error.code == "upload_name_mismatch"
    assert error.messages == [
        "Berkas 'laporan.pdf' berisi XLSX, tetapi namanya tidak berakhiran .xlsx. Ganti namanya lalu unggah lagi."
    ]


def test_a_real_file_of_a_kind_the_field_does_not_take_says_what_is_accepted():
    assert _refusal("foto.png", real_image("PNG")).messages == [
        "Berkas 'foto.png' tidak diterima (terdeteksi: PNG). Yang diterima: PDF, XLSX."
    ]


def test_text_kinds_take_their_encodings():
    siak = UploadPolicy(kinds=(CSV, XLSX), max_bytes_setting="PIAK_UPLOAD_MAX_BYTES")
    assert upload_check(SimpleUploadedFile("siak.csv", "NIK;NAMA\n1;Sitï\n".encode()), siak) is CSV
    assert upload_check(SimpleUploadedFile("siak.csv", "NIK;NAMA\n1;Sitï\n".encode("cp1252")), siak) is CSV
    definition = UploadPolicy(kinds=(YAML,), max_bytes_setting="PIAK_UPLOAD_MAX_BYTES")
    assert upload_check(SimpleUploadedFile("sop-2.yml", b"kode: sop-2\nnama: Pelaksanaan\n"), definition) is YAML
    refused = _refusal("sop-2.yaml", "nama: Pelaksanaan SIAK — ï\n".encode("cp1252"), definition)
    assert "(terdeteksi: teks Windows-1252 (bukan UTF-8))" in refused.messages[0]
    assert "Berkas 'data.txt' tidak diterima (terdeteksi: teks biasa)" in _refusal("data.txt", b"a,b", siak).messages[0]
    assert "Berkas 'data.pdf' bukan PDF (terdeteksi: teks biasa)" in _refusal("data.pdf", b"a,b", REPORT).messages[0]


def test_text_is_validated_past_the_first_chunk():
    late_nul = b"nik,nama\n" * 20_000 + b"\x00"
    assert (
        "biner"
        in _refusal(
            "siak.csv", late_nul, UploadPolicy(kinds=(CSV,), max_bytes_setting="PIAK_UPLOAD_MAX_BYTES")
        ).messages[0]
    )


class _Form(forms.Form):
    berkas = CheckedFileField(label="Berkas", policy=REPORT)
    lampiran = CheckedFileField(label="Lampiran", policy=REPORT, required=False)


def test_the_form_field_shows_the_refusal_and_what_it_accepts():
    form = _Form(files={"berkas": SimpleUploadedFile("laporan.pdf", HTML)})
    assert not form.is_valid()
    assert form.errors["berkas"] == ["Berkas 'laporan.pdf' bukan PDF (terdeteksi: HTML). Yang diterima: PDF, XLSX."]
    assert str(form.fields["berkas"].help_text) == "Diterima: PDF, XLSX; paling besar 20,0\xa0MB."
    assert form.fields["berkas"].widget.attrs["accept"] == ".pdf,.xlsx"
    assert _Form(files={"berkas": SimpleUploadedFile("laporan.pdf", real_pdf())}).is_valid()


def test_a_stored_file_is_served_as_an_attachment_of_its_detected_type():
    response = attachment_response(ContentFile(real_pdf(), name="x.pdf"), "rencana.pdf")
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'attachment; filename="rencana.pdf"'
    assert b"".join(response.streaming_content) == real_pdf()
    assert stored_content_type(ContentFile(HTML, name="old.pdf")) == "application/octet-stream"
    assert stored_content_type(ContentFile(b"a;b\n", name="x.csv")) == "text/plain; charset=utf-8"
