"""Writes of the penduduk app."""

from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from django.db import transaction

from .models import KodeReferensi

if TYPE_CHECKING:
    from piak.core.audit import Actor

    from .impor.run import ImportResult, Progress

CODES_FILE = Path(__file__).parent / "data" / "reference-codes.yaml"


def _is_code_table(value: object) -> bool:
    return isinstance(value, dict) and bool(value) and all(isinstance(k, int) for k in value)


def reference_code_tables() -> dict[str, dict[int, str]]:
    """Every code table of the YAML file: `name.codes` becomes `name`, nested tables `name.sub`."""
    document = yaml.safe_load(CODES_FILE.read_text(encoding="utf-8"))
    tables: dict[str, dict[int, str]] = {}
    for name, entry in document.items():
        if not isinstance(entry, dict):
            continue
        for key, value in entry.items():
            if _is_code_table(value):
                tables[name if key == "codes" else f"{name}.{key}"] = value
    return tables


def _aliases(document_entry: dict) -> dict[int, list[str]]:
    by_code: dict[int, list[str]] = {}
    for label, code in (document_entry.get("import_aliases") or {}).items():
        by_code.setdefault(code, []).append(str(label))
    return by_code


@transaction.atomic
def kode_referensi_load() -> int:
    """Create or update every reference code; returns how many codes the tables hold."""
    document = yaml.safe_load(CODES_FILE.read_text(encoding="utf-8"))
    count = 0
    for tabel, codes in reference_code_tables().items():
        aliases = _aliases(document.get(tabel, {})) if "." not in tabel else {}
        for kode, label in codes.items():
            KodeReferensi.objects.update_or_create(
                tabel=tabel, kode=kode, defaults={"label": str(label), "alias": aliases.get(kode, [])}
            )
            count += 1
    return count


def kode_referensi_load_on_migrate(**kwargs) -> None:
    expected = sum(len(codes) for codes in reference_code_tables().values())
    if KodeReferensi.objects.count() != expected:
        kode_referensi_load()


def penduduk_import(
    *,
    path: Path,
    skip_invalid: bool = False,
    report_path: Path | None = None,
    actor: "Actor | None" = None,
    progress: "Progress | None" = None,
) -> "ImportResult":
    """Import a SIAK export (IMPORT-FORMAT.md) in one transaction; write the report if asked.

    Not wrapped in `transaction.atomic` here: `import_file` owns its transaction so that a rejected
    file rolls back while the report of its problems is still returned.
    """
    from .impor.report import report_write
    from .impor.run import import_file

    result = import_file(path, skip_invalid=skip_invalid, actor=actor, progress=progress)
    if report_path is not None:
        report_write(report_path, result.issues, result.totals())
    return result
