"""The staging table: clean rows are bulk-loaded into a temporary table, outside any transaction.

PostgreSQL gets them through `COPY`, SQLite through one `executemany`; everything after that is
set-based SQL. A temporary table lives outside the main database (SQLite keeps it in the connection's
own temporary database file; PostgreSQL in the session's temporary schema), so loading and checking it
takes no lock that other users' writes wait for: only the short apply transaction of `run.py` does.
It vanishes with the connection, so a killed import leaves nothing; `staging_drop` removes it earlier,
because the worker keeps its connection open between tasks.
"""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import connection

from .rows import STAGING

if TYPE_CHECKING:
    import polars as pl

TABLE = "penduduk_impor_staging"
BATCH = 20_000


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def same(left: str, right: str) -> str:
    """Null-safe equality in both databases."""
    return f"{left} IS NOT DISTINCT FROM {right}" if is_postgresql() else f"{left} IS {right}"


def staging_create() -> None:
    columns = ", ".join(f"{name} {kind}" for name, kind in STAGING)
    with connection.cursor() as cursor:
        if is_postgresql():
            # Room for the set-based joins, for this session until `staging_drop` resets it.
            cursor.execute("SET work_mem = '256MB'")
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {TABLE} ({columns}, penduduk_id bigint, berubah boolean DEFAULT FALSE)")


def staging_drop() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        if is_postgresql():
            cursor.execute("RESET work_mem")


def staging_write(records: Iterable[tuple]) -> None:
    names = ", ".join(name for name, _ in STAGING)
    with connection.cursor() as cursor:
        if is_postgresql():
            with cursor.cursor.copy(f"COPY {TABLE} ({names}) FROM STDIN") as copy:
                for record in records:
                    copy.write_row(record)
        else:
            _sqlite_load(cursor.cursor, names, [_sqlite_values(r) for r in records])


def staging_write_frame(frame: "pl.DataFrame") -> None:
    """Load the clean rows of the Polars fast path: one CSV stream into `COPY`, or executemany."""
    import polars as pl

    names = ", ".join(name for name, _ in STAGING)
    with connection.cursor() as cursor:
        if is_postgresql():
            data = frame.write_csv(include_header=False, quote_style="non_numeric", null_value="")
            with cursor.cursor.copy(f"COPY {TABLE} ({names}) FROM STDIN WITH (FORMAT csv)") as copy:
                copy.write(data)
        else:
            rows = frame.with_columns(pl.col(pl.Date).dt.to_string("%Y-%m-%d"), pl.col(pl.Boolean).cast(pl.Int8))
            _sqlite_load(cursor.cursor, names, rows.iter_rows())


def _sqlite_load(raw_cursor, names: str, rows: Iterable[tuple]) -> None:
    """One batch in one deferred transaction: it writes only the temporary database, so unlike Django's
    IMMEDIATE transactions it takes no lock on the main file, and is three times faster than autocommit."""
    insert = f"INSERT INTO {TABLE} ({names}) VALUES ({', '.join('?' * len(STAGING))})"
    if connection.in_atomic_block:  # inside a caller's transaction (tests): it already batches
        raw_cursor.executemany(insert, rows)
        return
    raw_cursor.execute("BEGIN DEFERRED")
    try:
        raw_cursor.executemany(insert, rows)
    except BaseException:
        raw_cursor.execute("ROLLBACK")
        raise
    raw_cursor.execute("COMMIT")


def _sqlite_values(record: tuple) -> tuple:
    # Django keeps dates in SQLite as ISO text; store them the same way so comparisons are exact.
    return tuple(v.isoformat() if hasattr(v, "isoformat") else v for v in record)


def staging_prepare() -> None:
    """Make the loaded table fast to join: statistics on PostgreSQL, indexes on SQLite."""
    with connection.cursor() as cursor:
        if is_postgresql():
            cursor.execute(f"ANALYZE {TABLE}")
        else:
            cursor.execute(f"CREATE INDEX {TABLE}_nik ON {TABLE} (nik)")
            cursor.execute(f"CREATE INDEX {TABLE}_kk ON {TABLE} (no_kk)")


def fetch(sql: str, params: Iterable = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.fetchall()


def execute(sql: str, params: Iterable = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.rowcount
