"""The SOP 1 report of a snapshot as PDF (A4, kop surat) and XLSX (one sheet per table)."""

from piak.web.pdf import render_pdf

from .export import workbook_bytes
from .models import Snapshot
from .tables import report_build


def report_pdf(snapshot: Snapshot) -> bytes:
    return render_pdf("statistik/laporan_pdf.html", {"report": report_build(snapshot)})


def report_xlsx(snapshot: Snapshot) -> bytes:
    return workbook_bytes(report_build(snapshot).tables)
