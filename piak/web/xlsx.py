"""Spreadsheets every app writes: one worksheet per table, numbers as numbers.

Text that a spreadsheet would take for a formula (starting with =, +, -, @) is neutralised with a
leading apostrophe."""

import io
from dataclasses import dataclass
from decimal import Decimal

import xlsxwriter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
Cell = str | int | Decimal | None


def neutralise(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


@dataclass(frozen=True)
class Sheet:
    name: str
    title: str
    header: list[str]
    rows: list[list[Cell]]
    notes: list[str]
    unit: str = ""  # what the numbers count, shown under the title

    def with_notes(self, notes: list[str]) -> "Sheet":
        return Sheet(self.name, self.title, self.header, self.rows, self.notes + notes, self.unit)


def workbook_bytes(sheets: list[Sheet], stamp: str = "") -> bytes:
    """One worksheet per table: title, unit, header, rows (numbers as numbers), then the notes.
    A `stamp` (synthetic data) takes the top row of every sheet, above the title."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True})
    warning = book.add_format({"bold": True, "font_color": "#9C0006", "bg_color": "#FFC7CE"})
    header_format = book.add_format({"bold": True, "bg_color": "#E8E8E8", "border": 1, "text_wrap": True})
    top = 1 if stamp else 0
    for sheet in sheets:
        ws = book.add_worksheet(sheet.name[:31])  # sheet names are never evaluated
        if stamp:
            ws.write_string(0, 0, stamp, warning)
        ws.write_string(top, 0, neutralise(sheet.title), bold)
        if sheet.unit:
            ws.write_string(top + 1, 0, neutralise(f"Satuan: {sheet.unit}"))
        for col, text in enumerate(sheet.header):
            ws.write_string(top + 2, col, neutralise(text), header_format)
        for r, row in enumerate(sheet.rows, start=top + 3):
            for col, cell in enumerate(row):
                _write_cell(ws, r, col, cell)
        for n, note in enumerate(sheet.notes, start=top + len(sheet.rows) + 4):
            ws.write_string(n, 0, neutralise(note))
        ws.set_column(0, 0, 28)
        ws.set_column(1, max(1, len(sheet.header) - 1), 14)
    book.close()
    return out.getvalue()


def _write_cell(ws, row: int, col: int, cell: Cell) -> None:
    if cell is None:
        ws.write_blank(row, col, None)
    elif isinstance(cell, int | Decimal):
        ws.write_number(row, col, float(cell))
    else:
        ws.write_string(row, col, neutralise(str(cell)))
