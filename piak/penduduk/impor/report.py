"""The import report (CSV or XLSX) and formula neutralisation for everything the system exports."""

import csv
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from piak.core.masking import personal_text_mask
from piak.web.xlsx import neutralise as neutralise_text

from .rows import Issue

HEADER = ["baris", "kolom", "nilai", "kode", "tingkat", "pesan"]
LEVEL_LABEL = {"error": "galat", "warning": "peringatan", "info": "info"}


def neutralise(value: object) -> object:
    """A cell starting like a formula is data: prefix it with an apostrophe so no spreadsheet runs it."""
    return neutralise_text(value) if isinstance(value, str) else value


def _rows(issues: Iterable[Issue], totals: dict[str, int]) -> Iterable[Sequence[object]]:
    yield HEADER
    for issue in sorted(issues, key=lambda i: (i.baris, i.kolom)):
        yield [issue.baris, issue.kolom, issue.nilai, issue.kode, LEVEL_LABEL[issue.tingkat], issue.pesan]
    yield []
    yield ["jumlah"]
    for name, value in totals.items():
        yield [name, value]


def write_table(path: Path, rows: Iterable[Sequence[object]], sheet: str = "Laporan") -> None:
    """Write rows to CSV or XLSX (by extension) with every cell neutralised."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        worksheet = workbook.create_sheet(sheet)
        for row in rows:
            worksheet.append([neutralise(v) for v in row])
        workbook.save(path)
        return
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        for row in rows:
            writer.writerow([neutralise(v) for v in row])


def report_write(path: Path, issues: Iterable[Issue], totals: dict[str, int]) -> None:
    write_table(path, _rows(issues, totals), sheet="Laporan impor")


def _cell_masked(value: object) -> object:
    if isinstance(value, str) or (isinstance(value, int) and len(str(value)) == 16):
        return personal_text_mask(str(value))
    return value


def report_masked(path: Path) -> bytes:
    """The report at `path` (CSV or XLSX) as the masked view shows it: no full NIK, No. KK or date."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True)
        rows: list[Sequence[object]] = [
            row for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
        ]
        workbook.close()
    else:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    masked = [[_cell_masked(v) for v in row] for row in rows]
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"laporan{path.suffix.lower()}"
        write_table(target, masked, sheet="Laporan impor")
        return target.read_bytes()
