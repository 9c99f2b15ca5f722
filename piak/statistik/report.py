"""The SOP 1 report of a snapshot as PDF (A4, kop surat) and XLSX (one sheet per table, or one table).

`tables` are the codes a data request names (T1 … T7): the files then hold exactly those tables."""

from collections.abc import Sequence

from piak.core.errors import DomainError
from piak.web.pdf import render_pdf
from piak.web.xlsx import workbook_bytes

from .models import Snapshot
from .tables import Report, report_build


def report_pdf(snapshot: Snapshot, tables: Sequence[str] | None = None) -> bytes:
    return render_pdf("statistik/laporan_pdf.html", {"report": report_build(snapshot, codes=tables)})


def report_xlsx(snapshot: Snapshot, tables: Sequence[str] | None = None) -> bytes:
    return workbook_bytes(report_build(snapshot, codes=tables).sheets, stamp=snapshot.stamp)


def table_xlsx(report: Report, number: int) -> bytes:
    """Table `number` (1 = the first on the page) alone: one sheet with its title, unit and source."""
    if not 1 <= number <= len(report.tables):
        raise DomainError(f"Tabel nomor {number} tidak ada dalam laporan ini.", code="table_not_found")
    return workbook_bytes([report.sheets[number - 1]], stamp=report.snapshot.stamp)
