"""Writing the checked staging rows into the register, set-based, with the changes audited.

The audit events are collected and written last (`AuditLater`): an append locks the chain head until
commit, and on PostgreSQL every other audited action (a login, a paraf) waits for that lock, so it is
taken after the bulk writes rather than before them.
"""

from collections.abc import Callable
from difflib import SequenceMatcher
from functools import partial

from django.utils import timezone

from piak.core.audit import Actor
from piak.penduduk import events

from .rows import FAMILY_FIELDS, RESIDENT_FIELDS, WARNING, Issue
from .staging import TABLE, execute, fetch, same

FAMILY_DATA = [f for f in FAMILY_FIELDS if f != "kelurahan_id"]  # a kelurahan change is a move event
STATUS_OF_STAT_HIDUP = "CASE s.stat_hidup WHEN 1 THEN 'hidup' WHEN 2 THEN 'mati' ELSE 'pindah' END"
SIMILAR_NAME = 0.8

AuditLater = list[Callable[[], None]]


def _differs(fields: list[str], old: str, new: str) -> str:
    return "NOT (" + " AND ".join(same(f"{old}.{f}", f"{new}.{f}") for f in fields) + ")"


def _as_text(value: object) -> object:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _diff(fields: list[str], old: tuple, new: tuple) -> dict[str, list]:
    return {
        f: [_as_text(o), _as_text(n)] for f, o, n in zip(fields, old, new, strict=True) if _as_text(o) != _as_text(n)
    }


def families_apply(actor: Actor, audit_later: AuditLater) -> set[str]:
    """Insert new families, update changed ones (audited); returns the numbers of the changed families."""
    old_cols = ", ".join(f"k.{f}" for f in FAMILY_DATA)
    new_cols = ", ".join(f"s.{f}" for f in FAMILY_DATA)
    changed = fetch(
        f"SELECT k.id, k.no_kk, {old_cols}, {new_cols} FROM {TABLE} s "
        f"JOIN penduduk_keluarga k ON k.no_kk = s.no_kk "
        f"WHERE s.shdk = 1 AND {_differs(FAMILY_DATA, 'k', 's')}"
    )
    width = len(FAMILY_DATA)
    audit_later += [
        partial(
            events.family_changed_by_import,
            actor,
            row[0],
            row[1],
            _diff(FAMILY_DATA, row[2 : 2 + width], row[2 + width :]),
        )
        for row in changed
    ]
    if changed:
        assignments = ", ".join(f"{f} = s.{f}" for f in FAMILY_DATA)
        execute(
            f"UPDATE penduduk_keluarga AS k SET {assignments} FROM {TABLE} s "
            f"WHERE s.no_kk = k.no_kk AND s.shdk = 1 AND {_differs(FAMILY_DATA, 'k', 's')}"
        )
    columns = ["no_kk", *FAMILY_FIELDS]
    execute(
        f"INSERT INTO penduduk_keluarga ({', '.join(columns)}) SELECT {', '.join(f's.{c}' for c in columns)} "
        f"FROM {TABLE} s WHERE s.shdk = 1 AND NOT EXISTS "
        f"(SELECT 1 FROM penduduk_keluarga k WHERE k.no_kk = s.no_kk)"
    )
    return {row[1] for row in changed}


def residents_link() -> None:
    """Note in staging which rows are residents the register already holds."""
    execute(f"UPDATE {TABLE} AS s SET penduduk_id = p.id FROM penduduk_penduduk p WHERE p.nik = s.nik")


def residents_insert() -> int:
    columns = ["nik", "keluarga_id", *RESIDENT_FIELDS, "status", "hadir_sampai"]
    values = ["s.nik", "k.id", *(f"s.{f}" for f in RESIDENT_FIELDS), STATUS_OF_STAT_HIDUP]
    # The register learns of someone already dead or gone only now: they leave it on the import day.
    values.append("CASE WHEN s.stat_hidup = 1 THEN NULL ELSE %s END")
    return execute(
        f"INSERT INTO penduduk_penduduk ({', '.join(columns)}) SELECT {', '.join(values)} "
        f"FROM {TABLE} s JOIN penduduk_keluarga k ON k.no_kk = s.no_kk WHERE s.penduduk_id IS NULL "
        f"ORDER BY s.nik",  # inserting in key order keeps the unique index's pages in cache
        [timezone.localdate()],
    )


def residents_update(actor: Actor, changed_families: set[str], audit_later: AuditLater) -> tuple[int, list[Issue]]:
    """Update residents whose row differs from the register (audited); returns (rows updated, warnings)."""
    execute(
        f"UPDATE {TABLE} AS s SET berubah = TRUE FROM penduduk_penduduk p "
        f"JOIN penduduk_keluarga k ON k.id = p.keluarga_id WHERE p.id = s.penduduk_id "
        f"AND ({_differs(RESIDENT_FIELDS, 'p', 's')} OR k.no_kk <> s.no_kk)"
    )
    old_cols = ", ".join(f"p.{f}" for f in RESIDENT_FIELDS)
    new_cols = ", ".join(f"s.{f}" for f in RESIDENT_FIELDS)
    rows = fetch(
        f"SELECT s.baris, p.id, p.nik, k.no_kk, s.no_kk, {old_cols}, {new_cols} FROM {TABLE} s "
        f"JOIN penduduk_penduduk p ON p.id = s.penduduk_id JOIN penduduk_keluarga k ON k.id = p.keluarga_id "
        f"WHERE s.berubah ORDER BY s.baris"
    )
    warnings = [_audit_change(actor, row, audit_later) for row in rows]
    if rows:
        assignments = ", ".join(f"{f} = s.{f}" for f in RESIDENT_FIELDS)
        execute(
            f"UPDATE penduduk_penduduk AS p SET {assignments}, keluarga_id = k.id FROM {TABLE} s "
            f"JOIN penduduk_keluarga k ON k.no_kk = s.no_kk WHERE p.id = s.penduduk_id AND s.berubah"
        )
    updated = len(rows) + _unchanged_rows_of_changed_families(changed_families)
    return updated, [w for w in warnings if w is not None]


def _audit_change(actor: Actor, row: tuple, audit_later: AuditLater) -> Issue | None:
    """Audit one changed resident with old and new values; a spelling-only name change is a warning."""
    baris, penduduk_id, nik, old_kk, new_kk, *values = row
    width = len(RESIDENT_FIELDS)
    changes = _diff(RESIDENT_FIELDS, tuple(values[:width]), tuple(values[width:]))
    if old_kk != new_kk:
        changes["no_kk"] = [old_kk, new_kk]
    audit_later.append(partial(events.changed_by_import, actor, penduduk_id, nik, changes))
    if "nama" in changes and _spelling_only(*changes["nama"]):
        old_name, new_name = changes["nama"]
        return Issue(
            baris,
            "NAMA_LGKP",
            new_name,
            "nama_beda_ejaan",
            f"Nama hanya berbeda ejaan dengan data tersimpan '{old_name}'; periksa kembali.",
            WARNING,
        )
    return None


def _unchanged_rows_of_changed_families(numbers: set[str]) -> int:
    """Rows whose resident data is the same but whose family (address, RT/RW) changed count as updated."""
    if not numbers:
        return 0
    ordered = sorted(numbers)
    total = 0
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        total += fetch(
            f"SELECT COUNT(*) FROM {TABLE} WHERE penduduk_id IS NOT NULL AND NOT berubah "
            f"AND no_kk IN ({', '.join(['%s'] * len(chunk))})",
            chunk,
        )[0][0]
    return total


def _spelling_only(old: str, new: str) -> bool:
    return SequenceMatcher(None, old.upper(), new.upper()).ratio() >= SIMILAR_NAME


def staging_count() -> int:
    return fetch(f"SELECT COUNT(*) FROM {TABLE}")[0][0]
