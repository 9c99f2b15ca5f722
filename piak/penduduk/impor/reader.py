"""Streaming readers for the import file: CSV (comma or semicolon, UTF-8 or Windows-1252) and XLSX.

Both yield `(row_number, cells)` with row 1 being the header, in bounded memory.
"""

import codecs
import csv
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

CHUNK = 1 << 20


class UnreadableFile(Exception):
    """The file cannot be read as an import file at all (exit code 2)."""

    def __init__(self, message: str, code: str = "berkas_tidak_terbaca") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class Source:
    header: list[str]
    rows: Iterator[tuple[int, list]]
    progress: Callable[[], float]  # share of the file read so far, 0..1
    path: Path | None = None
    utf8_delimiter: str | None = None  # set for a UTF-8 CSV: the Polars fast path can read it


def _is_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        try:
            while chunk := handle.read(CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _delimiter(first_line: str) -> str:
    return ";" if first_line.count(";") > first_line.count(",") else ","


def open_csv(path: Path) -> Source:
    encoding = "utf-8-sig" if _is_utf8(path) else "cp1252"
    handle = path.open(encoding=encoding, errors="replace", newline="")
    first = handle.readline()
    if not first.strip():
        handle.close()
        raise UnreadableFile("Berkas kosong: baris judul kolom tidak ada.")
    delimiter = _delimiter(first)
    header = next(csv.reader([first], delimiter=delimiter))
    size = max(path.stat().st_size, 1)

    def rows() -> Iterator[tuple[int, list]]:
        with handle:
            for number, cells in enumerate(csv.reader(handle, delimiter=delimiter), start=2):
                if any(cells):
                    yield number, cells

    return Source(
        header,
        rows(),
        lambda: min(handle.buffer.tell() / size, 1.0) if not handle.closed else 1.0,
        path=path,
        utf8_delimiter=delimiter if encoding == "utf-8-sig" else None,
    )


def _xlsx_cell(value: object) -> str:
    """Spreadsheet cells as text, the way the same data reads from a CSV export."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, date):
        return f"{value:%d-%m-%Y}"
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, int | float) and abs(value) >= 1e15:
        # A 16-digit identity number stored as a number keeps only 15 digits: show it as Excel does,
        # so the NIK rules reject it with the reason.
        return f"{value:.5E}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def open_xlsx(path: Path) -> Source:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise UnreadableFile(f"Berkas XLSX tidak dapat dibuka: {error}") from None
    sheet = workbook.worksheets[0]
    total = max((sheet.max_row or 0) - 1, 1)
    cells = sheet.iter_rows(values_only=True)
    first = next(cells, None)
    if not first or not any(first):
        workbook.close()
        raise UnreadableFile("Lembar pertama kosong: baris judul kolom tidak ada.")
    header = ["" if v is None else str(v) for v in first]
    done = [0]

    def rows() -> Iterator[tuple[int, list]]:
        try:
            for number, values in enumerate(cells, start=2):
                done[0] = number - 1
                if any(v not in (None, "") for v in values):
                    yield number, [_xlsx_cell(v) for v in values]
        finally:
            workbook.close()

    return Source(header, rows(), lambda: min(done[0] / total, 1.0))


def open_source(path: Path) -> Source:
    if not path.is_file():
        raise UnreadableFile(f"Berkas {path} tidak ditemukan.")
    if path.suffix.lower() == ".xlsx":
        return open_xlsx(path)
    if path.suffix.lower() in {".csv", ".txt"}:
        return open_csv(path)
    raise UnreadableFile(f"Jenis berkas {path.suffix or '(tanpa ekstensi)'} tidak didukung; gunakan CSV atau XLSX.")
