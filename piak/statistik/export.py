"""Exports of indicator values and report tables: JSON, CSV and XLSX.

Text that a spreadsheet would take for a formula (starting with =, +, -, @) is neutralised with a
leading apostrophe; numbers are written as numbers."""

import csv
import io
import json
from dataclasses import dataclass
from decimal import Decimal

import xlsxwriter

from piak.wilayah.models import Kecamatan, Kelurahan

from .definitions import default_definitions
from .models import IndicatorRun, IndicatorValue

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


def region_names() -> dict[str, str]:
    names = {"16.71": "Kota Palembang"}
    names |= dict(Kecamatan.objects.values_list("kode", "nama"))
    names |= dict(Kelurahan.objects.values_list("kode", "nama"))
    return names


VALUE_COLUMNS = [
    "indikator", "label", "tingkat", "kode_wilayah", "nama_wilayah", "rincian", "kategori",
    "nilai", "pembilang", "penyebut", "faktor", "satuan", "catatan",
]  # fmt: skip


def value_records(run: IndicatorRun) -> list[dict[str, Cell]]:
    definitions = {i.name: i for i in default_definitions().indicators}
    names = region_names()
    records = []
    for v in IndicatorValue.objects.filter(run=run).order_by(
        "indikator", "tingkat", "kode_wilayah", "rincian", "kategori"
    ):
        indicator = definitions.get(v.indikator)
        records.append(
            {
                "indikator": v.indikator,
                "label": indicator.label if indicator else v.indikator,
                "tingkat": v.tingkat,
                "kode_wilayah": v.kode_wilayah,
                "nama_wilayah": names.get(v.kode_wilayah, ""),
                "rincian": v.rincian,
                "kategori": v.kategori,
                "nilai": _trim(v.nilai, indicator.decimals if indicator else 6),
                "pembilang": _trim(v.pembilang, 6),
                "penyebut": _trim(v.penyebut, 6),
                "faktor": _trim(v.faktor, 12),
                "satuan": indicator.unit if indicator else "",
                "catatan": v.catatan,
            }
        )
    return records


def _trim(value: Decimal | None, decimals: int) -> Decimal | None:
    """Drop the storage scale's trailing zeros beyond the indicator's published decimals."""
    if value is None:
        return None
    if decimals < 6:
        return value.quantize(Decimal(1).scaleb(-decimals))
    return Decimal(format(value.normalize(), "f"))


def values_json(run: IndicatorRun) -> str:
    records = value_records(run)
    payload = {
        **({"peringatan": run.snapshot.stamp} if run.snapshot.stamp else {}),
        "snapshot": run.snapshot_id,
        "sintetis": run.snapshot.sintetis,
        "tanggal_potong": run.snapshot.tanggal_potong.isoformat(),
        "sha256_snapshot": run.snapshot.sha256,
        "definisi_sha256": run.definisi_sha256,
        "nilai": [{k: (str(v) if isinstance(v, Decimal) else v) for k, v in r.items()} for r in records],
    }
    return json.dumps(payload, ensure_ascii=False, indent=1)


def values_csv(run: IndicatorRun) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    if run.snapshot.stamp:
        writer.writerow([run.snapshot.stamp])
    writer.writerow(VALUE_COLUMNS)
    for record in value_records(run):
        writer.writerow([neutralise(v) if isinstance(v, str) else ("" if v is None else v) for v in record.values()])
    return out.getvalue()


def values_xlsx(run: IndicatorRun) -> bytes:
    rows = [list(r.values()) for r in value_records(run)]
    sheet = Sheet("Indikator", f"Indikator snapshot #{run.snapshot_id}", VALUE_COLUMNS, rows, [])
    return workbook_bytes([sheet], stamp=run.snapshot.stamp)


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
