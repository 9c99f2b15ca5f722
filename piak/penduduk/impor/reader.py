"""Streaming readers for the import file: CSV (comma or semicolon, UTF-8 or Windows-1252) and XLSX.

Both yield `(row_number, cells)` with row 1 being the header, in bounded memory, and both check the file
before parsing it. A CSV is read as UTF-8 whenever it is valid UTF-8; otherwise as the encoding the user
chose, and refused naming the first bad row and column when that encoding does not fit either — never a
silent fallback. A line longer than `LINE_MAX_BYTES` is refused. An XLSX is refused when its central
directory promises too many members, too many bytes or a bomb's compression ratio, or when any text in
the parts the parser reads is longer than Excel's own cell limit (`CELL_MAX_CHARS`).
"""

import codecs
import csv
import html
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings

from piak.web.uploads import CP1252_UNDEFINED, zip_declared_members, zip_refusal, zip_stats

CHUNK = 1 << 20
UTF8 = "utf-8"
WINDOWS_1252 = "windows-1252"
ENCODINGS = (UTF8, WINDOWS_1252)
CODECS = {UTF8: "utf-8-sig", WINDOWS_1252: "cp1252"}
LINE_MAX_BYTES = 64 * 1024  # a SIAK row is a few hundred bytes; below the csv module's field limit
CELL_MAX_CHARS = 32_767  # Excel's own limit on a cell
CELL_MAX_CHARS_LABEL = "32.767"
# An XML text of this many bytes may still be 32,767 characters (an entity such as &quot; takes six).
CELL_MAX_XML_BYTES = 6 * CELL_MAX_CHARS


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


# --- CSV: encoding and line length, checked in one streaming pass ---------------------------------


@dataclass
class _TextScan:
    utf8_bad: int | None = None  # offset of the first byte that is not UTF-8
    cp1252_bad: int | None = None  # offset of the first byte Windows-1252 leaves undefined


def _scan_text(path: Path, encoding: str) -> str:
    """The codec to read `path` with, after one pass over its bytes; refuses a line longer than
    `LINE_MAX_BYTES` or bytes the chosen encoding cannot hold, naming the row and column."""
    scan = _TextScan()
    decoder = codecs.getincrementaldecoder(UTF8)()
    offset = newlines = line_bytes = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            line_bytes = _line_lengths_check(path, chunk, line_bytes, newlines)
            newlines += chunk.count(b"\n")
            if scan.utf8_bad is None:
                pending = len(decoder.getstate()[0])
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as error:
                    scan.utf8_bad = offset - pending + error.start
            if scan.cp1252_bad is None and (undefined := CP1252_UNDEFINED.search(chunk)):
                scan.cp1252_bad = offset + undefined.start()
            offset += len(chunk)
            if scan.utf8_bad is not None and (encoding == UTF8 or scan.cp1252_bad is not None):
                break
    if scan.utf8_bad is None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            scan.utf8_bad = offset - len(decoder.getstate()[0])
    if scan.utf8_bad is None:
        return CODECS[UTF8]
    if encoding == UTF8:
        raise _encoding_refusal(path, scan.utf8_bad, UTF8)
    if scan.cp1252_bad is not None:
        raise _encoding_refusal(path, scan.cp1252_bad, WINDOWS_1252)
    return CODECS[WINDOWS_1252]


def _line_lengths_check(path: Path, chunk: bytes, carried: int, newlines: int) -> int:
    """Refuse a line past `LINE_MAX_BYTES`; returns the length of the line still open at the chunk's end."""
    parts = chunk.split(b"\n")
    lengths = [carried + len(parts[0]), *map(len, parts[1:])]
    for index, length in enumerate(lengths):
        if length > LINE_MAX_BYTES:
            raise UnreadableFile(
                f"Berkas '{path.name}' ditolak: baris {newlines + index + 1} lebih panjang dari "
                f"{LINE_MAX_BYTES // 1024} KB (satu baris data SIAK hanya beberapa ratus byte).",
                code="baris_terlalu_panjang",
            )
    return lengths[-1]


def _encoding_refusal(path: Path, bad: int, encoding: str) -> UnreadableFile:
    row, column, byte = _locate(path, bad)
    where = f"baris {row}, kolom {column}"
    if encoding == UTF8:
        return UnreadableFile(
            f"Berkas '{path.name}' bukan UTF-8 yang sah: byte 0x{byte:02X} pada {where}. Pilih pengodean "
            "Windows-1252 bila berkas disimpan dari Excel lama, atau simpan ulang berkas sebagai CSV UTF-8.",
            code="berkas_bukan_utf8",
        )
    return UnreadableFile(
        f"Berkas '{path.name}' bukan UTF-8 dan juga bukan Windows-1252 yang sah: byte 0x{byte:02X} pada "
        f"{where}. Simpan ulang berkas sebagai CSV UTF-8.",
        code="berkas_pengodean_tidak_sah",
    )


def _locate(path: Path, offset: int) -> tuple[int, str, int]:
    """Row number, column (number and header name) and value of the byte at `offset`; the line holding it
    is at most `LINE_MAX_BYTES` long, so only that line is ever held."""
    row, line_start, position = 1, 0, 0
    with path.open("rb") as handle:
        while position < offset and (chunk := handle.read(min(CHUNK, offset - position))):
            row += chunk.count(b"\n")
            if (last := chunk.rfind(b"\n")) >= 0:
                line_start = position + last + 1
            position += len(chunk)
        handle.seek(0)
        header_line = handle.readline(LINE_MAX_BYTES).decode(UTF8, errors="replace")
        handle.seek(line_start)
        prefix = handle.read(offset - line_start).decode(UTF8, errors="replace")
        byte = handle.read(1)[0]
    delimiter = _delimiter(header_line)
    cells = next(csv.reader([prefix], delimiter=delimiter), []) if prefix else []
    number = max(len(cells), 1)
    header = next(csv.reader([header_line.lstrip("\ufeff")], delimiter=delimiter), [])
    name = header[number - 1].strip() if row > 1 and number <= len(header) else ""
    return row, f"{number} ({name})" if name else str(number), byte


def _delimiter(first_line: str) -> str:
    return ";" if first_line.count(";") > first_line.count(",") else ","


def open_csv(path: Path, encoding: str = UTF8) -> Source:
    codec = _scan_text(path, encoding)
    handle = path.open(encoding=codec, newline="")
    first = handle.readline()
    if not first.strip():
        handle.close()
        raise UnreadableFile("Berkas kosong: baris judul kolom tidak ada.")
    delimiter = _delimiter(first)
    header = next(csv.reader([first], delimiter=delimiter))
    size = max(path.stat().st_size, 1)

    def rows() -> Iterator[tuple[int, list]]:
        number = 1
        with handle:
            try:
                for number, cells in enumerate(csv.reader(handle, delimiter=delimiter), start=2):
                    if any(cells):
                        yield number, cells
            except csv.Error as error:
                raise UnreadableFile(
                    f"Berkas '{path.name}' rusak pada baris {number + 1}: tanda kutip tidak "
                    f"tertutup atau isian terlalu panjang ({error}).",
                    code="csv_rusak",
                ) from error

    return Source(
        header,
        rows(),
        lambda: min(handle.buffer.tell() / size, 1.0) if not handle.closed else 1.0,
        path=path,
        utf8_delimiter=delimiter if codec == CODECS[UTF8] else None,
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


def _xlsx_check(path: Path) -> None:
    """Refuse an XLSX whose central directory promises a bomb, or whose XML parts hold a text longer than
    a cell may be; the parts are inflated chunk by chunk and never held whole."""
    with path.open("rb") as handle:
        declared = zip_declared_members(handle)
        if declared is not None and declared > settings.PIAK_UPLOAD_ZIP_MAX_MEMBERS:
            raise UnreadableFile(
                f"Berkas '{path.name}' ditolak: arsipnya memuat {declared} bagian "
                f"(paling banyak {settings.PIAK_UPLOAD_ZIP_MAX_MEMBERS}).",
                code="xlsx_bom",
            )
        try:
            with zipfile.ZipFile(handle) as archive:
                members = archive.infolist()
                refusal = zip_refusal(path.name, zip_stats(members), settings.PIAK_IMPOR_MAX_UNPACKED_BYTES)
                if refusal is not None:
                    raise UnreadableFile(refusal.messages[0], code="xlsx_bom")
                for member in members:
                    if member.filename.endswith((".xml", ".rels")):
                        _xml_texts_check(path, archive, member)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as error:
            raise UnreadableFile(f"Berkas XLSX '{path.name}' rusak dan tidak dapat dibuka: {error}") from None


def _xml_texts_check(path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Refuse an XML part with a text (between two tags) longer than `CELL_MAX_CHARS` characters."""
    carried = b""
    with archive.open(member) as part:
        while chunk := part.read(CHUNK):
            texts = (carried + chunk).split(b"<")
            carried = texts.pop()
            if len(carried) > CELL_MAX_XML_BYTES or any(_too_long(text) for text in texts):
                break
        else:
            if not _too_long(carried):
                return
    raise UnreadableFile(
        f"Berkas '{path.name}' ditolak: sebuah sel (di {member.filename}) lebih panjang dari "
        f"{CELL_MAX_CHARS_LABEL} karakter, batas Excel sendiri.",
        code="xlsx_sel_terlalu_panjang",
    )


def _too_long(text: bytes) -> bool:
    """Is this run between two '<' a text node longer than a cell may be? Cheap for the usual short runs."""
    if len(text) <= CELL_MAX_CHARS:
        return False
    if len(text) > CELL_MAX_XML_BYTES:
        return True
    node = text.rpartition(b">")[2].decode(UTF8, errors="replace")
    return len(html.unescape(node)) > CELL_MAX_CHARS


def open_xlsx(path: Path) -> Source:
    from openpyxl import load_workbook

    _xlsx_check(path)
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


def open_source(path: Path, encoding: str = UTF8) -> Source:
    """The rows of an import file; a CSV that is not valid UTF-8 is read as `encoding` (or refused)."""
    if not path.is_file():
        raise UnreadableFile(f"Berkas {path} tidak ditemukan.")
    if path.suffix.lower() == ".xlsx":
        return open_xlsx(path)
    if path.suffix.lower() in {".csv", ".txt"}:
        return open_csv(path, encoding)
    raise UnreadableFile(f"Jenis berkas {path.suffix or '(tanpa ekstensi)'} tidak didukung; gunakan CSV atau XLSX.")
