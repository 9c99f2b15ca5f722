"""The importer of IMPORT-FORMAT.md: read, stage and check outside any lock, then apply all or nothing.

Reading, staging and checking run outside the main database's write transaction (the staging table is
temporary, see `staging.py`), so other users keep working during a long import; only the apply window
holds it. The register checks run again inside that window, because the register may have changed
meanwhile (a death recorded while the file was read).
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from piak.core.audit import Actor
from piak.penduduk import events
from piak.wilayah.models import Kelurahan

from . import apply, checks
from .codes import code_tables
from .reader import UTF8, Source, UnreadableFile, open_source
from .rows import ERROR, INFO, OPTIONAL, REQUIRED, Issue, RowParser
from .staging import BATCH, staging_create, staging_drop, staging_prepare, staging_write, staging_write_frame
from .vector import FastPathUnusable, csv_batches, estimated_rows, split

Progress = Callable[[float, str], None]
ISSUES_MAX = 200_000  # far above a real export's problems; bounds memory for a file of junk rows


@dataclass
class ImportResult:
    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    warnings: int = 0
    issues: list[Issue] = field(default_factory=list)
    file_error: str = ""

    @property
    def exit_code(self) -> int:
        if self.file_error:
            return 2
        return 1 if self.rejected else 0

    def totals(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in ("read", "inserted", "updated", "unchanged", "rejected", "warnings")}

    def summary_line(self) -> str:
        return " ".join(f"{k}={v}" for k, v in self.totals().items())


class _Rejected(Exception):
    """Raised inside the transaction to roll back an all-or-nothing import with errors."""


def _columns(header: list[str]) -> tuple[dict[str, int], list[Issue]]:
    known = set(REQUIRED) | set(OPTIONAL)
    columns: dict[str, int] = {}
    notes = []
    for index, name in enumerate(header):
        key = name.strip().upper()
        if key in known:
            columns.setdefault(key, index)
        elif key:
            notes.append(
                Issue(
                    1,
                    name.strip(),
                    "",
                    "kolom_diabaikan",
                    f"Kolom '{name.strip()}' tidak dikenal dan diabaikan.",
                    INFO,
                )
            )
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise UnreadableFile(f"Kolom wajib tidak ada: {', '.join(missing)}.", code="kolom_wajib_hilang")
    return columns, notes


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _noop(fraction: float, label: str) -> None:
    return None


def import_file(
    path: Path,
    *,
    skip_invalid: bool = False,
    actor: Actor | None = None,
    progress: Progress | None = None,
    encoding: str = UTF8,
    check_only: bool = False,
) -> ImportResult:
    """Import `path`; nothing is written unless every row passes or `skip_invalid` is set. A CSV that is
    not valid UTF-8 is read as `encoding` (reader.ENCODINGS) or refused. `check_only` reads and checks the
    file against the register and stops before the apply window (a dry run: the report, nothing written)."""
    report = progress or _noop
    result = ImportResult()
    try:
        source = open_source(path, encoding)
        columns, notes = _columns(source.header)
    except UnreadableFile as error:
        return _unreadable(result, path, error)
    result.issues = notes
    parser = RowParser(
        columns=columns, tables=code_tables(), kelurahan=set(Kelurahan.objects.values_list("kode", flat=True))
    )
    sha256 = file_sha256(path)
    try:
        _stage(source, parser, result, report)
        _check(result, report)
        if check_only:
            report(1.0, "selesai")
            return result
        _refuse_if_rejected(result, skip_invalid)
        report(0.8, "menyimpan")
        with transaction.atomic():  # the apply window: the only write transaction on the main database
            _check_register_again(result)
            _refuse_if_rejected(result, skip_invalid)
            _apply(result, actor or Actor(None), report)
            events.imported(
                actor or Actor(None),
                berkas=path.name,
                sha256=sha256,
                totals=result.totals(),
                skip_invalid=skip_invalid,
            )
    except _Rejected:
        result.inserted = result.updated = result.unchanged = 0
    except UnreadableFile as error:  # found while reading the rows: nothing was applied
        return _unreadable(result, path, error)
    finally:
        staging_drop()
    report(1.0, "selesai")
    return result


def _unreadable(result: ImportResult, path: Path, error: UnreadableFile) -> ImportResult:
    result.file_error = error.message
    result.issues = [Issue(1, "", path.name, error.code, error.message)]
    result.read = result.inserted = result.updated = result.unchanged = 0
    return result


def _refuse_if_rejected(result: ImportResult, skip_invalid: bool) -> None:
    if result.rejected and not skip_invalid:
        raise _Rejected


def _stage(source: Source, parser: RowParser, result: ImportResult, report: Progress) -> None:
    staging_create()
    if source.utf8_delimiter:
        issues_before = len(result.issues)
        try:
            _stage_fast(source, parser, result, report)
        except FastPathUnusable:
            # Start again with the row parser, which reads what it can and names the row it cannot.
            staging_drop()
            staging_create()
            result.read, result.issues = 0, result.issues[:issues_before]
            _stage_rows(source.rows, source.progress, parser, result, report)
    else:
        _stage_rows(source.rows, source.progress, parser, result, report)
    staging_prepare()


def _stage_fast(source: Source, parser: RowParser, result: ImportResult, report: Progress) -> None:
    """UTF-8 CSV: clean rows through Polars, slice by slice; the rest through the row parser."""
    expected = estimated_rows(source.path)
    for frame in csv_batches(source.path, separator=source.utf8_delimiter, header=source.header):
        fast = split(
            frame,
            header=source.header,
            columns=parser.columns,
            tables=parser.tables,
            kelurahan=parser.kelurahan,
            today=parser.today,
        )
        staging_write_frame(fast.clean)
        result.read += fast.clean.height
        done = result.read
        _stage_rows(fast.rest, lambda done=done: min(done / expected, 1.0), parser, result, report)


def _stage_rows(rows, progress, parser: RowParser, result: ImportResult, report: Progress) -> None:
    """The row parser, for every row of an XLSX or non-UTF-8 file and the fast path's leftovers."""
    batch: list[tuple] = []
    for number, cells in rows:
        record, issues = parser.parse(number, cells)
        result.read += 1
        if issues:
            result.issues.extend(issues)
            _issues_bound(result, number)
        if record is not None:
            batch.append(record)
        if len(batch) >= BATCH:
            staging_write(batch)
            batch.clear()
            report(progress() * 0.7, "membaca")
    staging_write(batch)
    report(progress() * 0.7, "membaca")


def _issues_bound(result: ImportResult, number: int) -> None:
    """Stop reading a file of junk rows: its list of problems would grow without bound."""
    if len(result.issues) > ISSUES_MAX:
        raise UnreadableFile(
            f"Berkas ditolak pada baris {number}: lebih dari {ISSUES_MAX:,} masalah ditemukan".replace(",", ".")
            + " — berkas ini tampaknya bukan ekspor SIAK yang benar. Periksa format ekspornya.",
            code="terlalu_banyak_masalah",
        )


def _check(result: ImportResult, report: Progress) -> None:
    report(0.75, "memeriksa")
    result.issues += checks.duplicate_niks()
    result.issues += checks.changes_that_need_an_event()
    result.issues += checks.families_without_one_head()
    result.issues += checks.parents_not_found()
    _count(result)


def _check_register_again(result: ImportResult) -> None:
    """Rows the register's changes since the first check now reject (the staging-only checks still hold)."""
    result.issues += checks.changes_that_need_an_event()
    _count(result)


def _count(result: ImportResult) -> None:
    result.rejected = len({i.baris for i in result.issues if i.tingkat == ERROR})
    result.warnings = sum(1 for i in result.issues if i.tingkat == "warning")


def _apply(result: ImportResult, actor: Actor, report: Progress) -> None:
    audit_later: apply.AuditLater = []
    changed_families = apply.families_apply(actor, audit_later)
    apply.residents_link()
    result.inserted = apply.residents_insert()
    result.updated, warnings = apply.residents_update(actor, changed_families, audit_later)
    for write_event in audit_later:
        write_event()
    result.issues += warnings
    result.unchanged = result.read - result.rejected - result.inserted - result.updated
    _count(result)
