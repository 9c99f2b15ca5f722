"""Real files for upload tests, built the way the office's programs build them (no hand-made headers where a
real writer exists), and the hostile ones an adversary would send."""

import io
import zipfile
from functools import cache

import openpyxl
import weasyprint
from PIL import Image

# The first bytes of a Windows program: the DOS stub, then the PE header a loader looks for.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"\x80\x00\x00\x00PE\x00\x00"
HTML = b"<!DOCTYPE html>\n<html><body><script>fetch('/admin/').then(r => r.text())</script></body></html>\n"
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="4"/></svg>\n'


@cache
def real_pdf() -> bytes:
    return weasyprint.HTML(string="<h1>Rencana kerja</h1><p>Jadwal pemeliharaan SIAK.</p>").write_pdf()


@cache
def real_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Kegiatan", "Tanggal"])
    sheet.append(["Pembaruan aplikasi", "2026-01-05"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def real_image(format_: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "navy").save(buffer, format=format_)
    return buffer.getvalue()


def ooxml(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b'<?xml version="1.0"?><Types/>')
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def real_docx() -> bytes:
    return ooxml({"word/document.xml": b'<?xml version="1.0"?><w:document/>'})


def zip_bomb_xlsx(unpacked_mb: int = 32) -> bytes:
    """An XLSX-shaped archive whose one sheet inflates from a few dozen KB to `unpacked_mb` MB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b'<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", b'<?xml version="1.0"?><workbook/>')
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b"\x00" * (1024 * 1024)
            for _ in range(unpacked_mb):
                sheet.write(block)
    return buffer.getvalue()
