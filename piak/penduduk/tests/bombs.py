"""Hostile import files built on disk without ever holding their inflated content: a member is a list of
segments `(bytes, repeats)`, each deflated once and repeated (a full flush makes every copy stand alone),
so a 2.5 GB sheet costs a few megabytes to write."""

import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

Segments = list[tuple[bytes, int]]
CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
WORKBOOK = b'<?xml version="1.0"?><workbook><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>'


def _deflated(segments: Segments) -> tuple[bytes, int, int]:
    """Raw deflate data, CRC-32 and size of the content the segments spell out."""
    data, crc, size = [], 0, 0
    for piece, repeats in segments:
        deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
        block = deflater.compress(piece) + deflater.flush(zlib.Z_FULL_FLUSH)
        data.append(block * repeats)
        for _ in range(repeats):
            crc = zlib.crc32(piece, crc)
        size += len(piece) * repeats
    data.append(zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH))
    return b"".join(data), crc, size


def inflating_zip(path: Path, members: dict[str, Segments]) -> Path:
    """Write a ZIP of deflated members by hand (sizes stay below 4 GiB, so no ZIP64 records)."""
    directory = []
    with path.open("wb") as out:
        for name, segments in members.items():
            data, crc, size = _deflated(segments)
            encoded = name.encode()
            offset = out.tell()
            out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0))
            out.write(encoded + data)
            directory.append(
                struct.pack(
                    "<IHHHHHHIIIHHHHHII",
                    0x02014B50,
                    20,
                    20,
                    0,
                    8,
                    0,
                    0x21,
                    crc,
                    len(data),
                    size,
                    len(encoded),
                    0,
                    0,
                    0,
                    0,
                    0,
                    offset,
                )
                + encoded
            )
        start = out.tell()
        out.write(b"".join(directory))
        length = out.tell() - start
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(directory), len(directory), length, start, 0))
    return path


def xlsx_members(sheet: Segments, shared_strings: Segments | None = None) -> dict[str, Segments]:
    members = {
        "[Content_Types].xml": [(CONTENT_TYPES, 1)],
        "xl/workbook.xml": [(WORKBOOK, 1)],
        "xl/worksheets/sheet1.xml": sheet,
    }
    if shared_strings is not None:
        members["xl/sharedStrings.xml"] = shared_strings
    return members


def cell_xlsx(path: Path, characters: int) -> Path:
    """An XLSX whose one shared string is `characters` copies of one letter."""
    megabytes, rest = divmod(characters, 1024 * 1024)
    strings = [(b'<?xml version="1.0"?><sst count="1"><si><t>', 1), (b"A" * 1024 * 1024, megabytes), (b"A" * rest, 1)]
    strings.append((b"</t></si></sst>", 1))
    sheet = [(b'<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>', 1)]
    sheet.append((b"</sheetData></worksheet>", 1))
    return inflating_zip(path, xlsx_members(sheet, strings))


def rows_xlsx(path: Path, gigabytes: float = 2.5) -> Path:
    """An XLSX whose sheet is `gigabytes` GB of identical junk rows."""
    row = b'<row><c t="inlineStr"><is><t>sampah</t></is></c><c t="inlineStr"><is><t>x</t></is></c></row>'
    block = row * (1024 * 1024 // len(row))
    repeats = int(gigabytes * 1024**3 / len(block))
    sheet = [(b'<?xml version="1.0"?><worksheet><sheetData>', 1), (block, repeats), (b"</sheetData></worksheet>", 1)]
    return inflating_zip(path, xlsx_members(sheet))


def measured_open(path: Path, **environment: str) -> dict:
    """Open and read `path` as an import file in a fresh process: the refusal and that process's peak RSS."""
    script = """
import json, sys
from pathlib import Path
import django
django.setup()
from piak.core.testing import peak_rss_kb
from piak.penduduk.impor.reader import UnreadableFile, open_source
try:
    source = open_source(Path(sys.argv[1]), sys.argv[2])
    rows = sum(1 for _ in source.rows)
    outcome = {"code": "", "message": "", "rows": rows}
except UnreadableFile as error:
    outcome = {"code": error.code, "message": error.message}
outcome["rss_kb"] = peak_rss_kb()
print(json.dumps(outcome))
"""
    encoding = environment.pop("encoding", "utf-8")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "piak.settings.test", **environment}
    done = subprocess.run(
        [sys.executable, "-c", script, str(path), encoding], capture_output=True, env=env, check=True, timeout=300
    )
    return json.loads(done.stdout)
