"""The fast path for large CSV files: the row checks of `rows.RowParser`, column by column in Polars.

Only rows that pass every check here *and* raise no warning take this path; every other row goes to
`RowParser` (which explains what is wrong), so the two paths give identical results for a row — a
test compares them. The clean rows reach the staging table as one CSV stream (PostgreSQL `COPY`).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import polars as pl

from .codes import CodeTable
from .rows import COLUMNS, OLDEST_PLAUSIBLE_AGE, OPTIONAL_CODED, REQUIRED, STAGING

DIGITS16 = r"^\d{16}$"
NAME = r"^[\p{L} .,'\-]*\p{L}[\p{L} .,'\-]*$"
# Text the row parser would keep as is (no tabs, newlines or exotic spaces to collapse).
PLAIN = r"^[^\s]+( [^\s]+)*$"
DATE_FORMATS = [
    (r"^\d{2}-\d{2}-\d{4}$", "%d-%m-%Y"),
    (r"^\d{2}/\d{2}/\d{4}$", "%d/%m/%Y"),
    (r"^\d{4}-\d{2}-\d{2}$", "%Y-%m-%d"),
]
FLAGS = {"Y": True, "N": False, "": False}


@dataclass
class Split:
    clean: pl.DataFrame  # STAGING columns, ready to load
    rest: Iterator[tuple[int, list[str]]]  # rows for the row parser: (row number, cells in header order)
    read: int


def _cell(column: str, columns: dict[str, int], header: list[str]) -> pl.Expr:
    if column not in columns:
        return pl.lit("")
    return pl.col(header[columns[column]]).fill_null("").str.strip_chars()


def _code(expr: pl.Expr, table: CodeTable) -> pl.Expr:
    key = expr.str.to_uppercase().str.replace_all(r"\s+", " ")
    return key.replace_strict(table.lookup, default=None, return_dtype=pl.Int16)


def _date(expr: pl.Expr) -> pl.Expr:
    parsed = [
        pl.when(expr.str.contains(pattern)).then(expr.str.strptime(pl.Date, fmt, strict=False))
        for pattern, fmt in DATE_FORMATS
    ]
    return pl.coalesce(parsed)


def _optional_date(expr: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    value = _date(expr)
    return value, (expr == "") | value.is_not_null()


def _parent(expr: pl.Expr) -> pl.Expr:
    return (expr == "") | expr.str.contains(DIGITS16)


def _name_ok(expr: pl.Expr, required: bool) -> pl.Expr:
    ok = expr.str.contains(NAME) & expr.str.contains(PLAIN)
    return ok if required else (expr == "") | ok


BATCH_ROWS = 200_000  # bounds memory: one slice of the file is in Polars at a time


class FastPathUnusable(Exception):
    """Polars cannot split this CSV into records; the row parser (Python's csv module) must read it."""


def csv_batches(path, *, separator: str, header: list[str], rows: int = BATCH_ROWS) -> Iterator[pl.DataFrame]:
    """The CSV in slices of `rows` records, as text columns `c0…`, each row with its source number."""
    frame = pl.scan_csv(
        path,
        separator=separator,
        infer_schema=False,
        encoding="utf8",
        new_columns=[f"c{i}" for i in range(len(header))],
        truncate_ragged_lines=True,
    ).with_row_index("baris", offset=2)
    try:
        yield from frame.collect_batches(chunk_size=rows)
    except pl.exceptions.ComputeError as error:  # e.g. a quote that never closes
        raise FastPathUnusable(str(error)) from error


def split(
    frame: pl.DataFrame, *, header: list[str], columns: dict[str, int], tables: dict[str, CodeTable],
    kelurahan: set[str], today: date,
) -> Split:  # fmt: skip
    """Separate the rows of one slice that are clean beyond doubt from those the row parser must see."""
    names = [f"c{i}" for i in range(len(header))]
    frame = frame.filter(pl.any_horizontal(pl.col(n).fill_null("").str.len_chars() > 0 for n in names))
    # Strip every cell once; later expressions refer to these columns by the SIAK name.
    cells = frame.select("baris", *(_cell(column, columns, names).alias(column) for column in COLUMNS))
    c = {column: pl.col(column) for column in COLUMNS}
    born = _date(c["TGL_LHR"])
    kawin_date, kawin_ok = _optional_date(c["TGL_KWN"])
    cerai_date, cerai_ok = _optional_date(c["TGL_CRAI"])
    nik = c["NIK"]
    day = nik.str.slice(6, 2).cast(pl.Int32, strict=False)
    month = nik.str.slice(8, 2).cast(pl.Int32, strict=False)
    nik_day = pl.when(day > 40).then(day - 40).otherwise(day)
    sex = _code(c["JENIS_KLMIN"], tables["jenis_kelamin"])
    region = pl.format(
        "{}.{}.{}.{}",
        *(
            c[col].cast(pl.Int32, strict=False).cast(pl.String).str.zfill(width)
            for col, width in (("NO_PROP", 2), ("NO_KAB", 2), ("NO_KEC", 2), ("NO_KEL", 4))
        ),
    )
    optional = {field: _code(c[column], tables[table]) for column, (table, field) in OPTIONAL_CODED.items()}
    values = {
        "baris": pl.col("baris").cast(pl.Int64),
        "nik": nik,
        "no_kk": c["NO_KK"],
        "nama": c["NAMA_LGKP"],
        "jenis_kelamin": sex,
        "tempat_lahir": c["TMPT_LHR"],
        "tanggal_lahir": born,
        "agama": _code(c["AGAMA"], tables["agama"]),
        "status_kawin": _code(c["STAT_KWN"], tables["status_kawin"]),
        "shdk": _code(c["STAT_HBKEL"], tables["shdk"]),
        "kelurahan_id": region,
        "rw": c["NO_RW"].cast(pl.Int16, strict=False),
        "rt": c["NO_RT"].cast(pl.Int16, strict=False),
        "alamat": c["ALAMAT"],
        "kode_pos": c["KODE_POS"].str.slice(0, 5),
        **{f: optional[f] for f in ("golongan_darah", "pendidikan", "pekerjaan", "cacat")},
        "nik_ibu": c["NIK_IBU"],
        "nama_ibu": c["NAMA_LGKP_IBU"],
        "nik_ayah": c["NIK_AYAH"],
        "nama_ayah": c["NAMA_LGKP_AYAH"],
        "akta_lahir": c["AKTA_LHR"].replace_strict(FLAGS, default=None, return_dtype=pl.Boolean),
        "no_akta_lahir": c["NO_AKTA_LHR"],
        "akta_kawin": c["AKTA_KWN"].replace_strict(FLAGS, default=None, return_dtype=pl.Boolean),
        "no_akta_kawin": c["NO_AKTA_KWN"],
        "tanggal_kawin": kawin_date,
        "akta_cerai": c["AKTA_CRAI"].replace_strict(FLAGS, default=None, return_dtype=pl.Boolean),
        "no_akta_cerai": c["NO_AKTA_CRAI"],
        "tanggal_cerai": cerai_date,
        "status_ktp": optional["status_ktp"],
        "kia": c["KIA"].replace_strict(FLAGS, default=None, return_dtype=pl.Boolean),
        "stat_hidup": pl.when(c["STAT_HIDUP"] == "").then(pl.lit(1, pl.Int16)).otherwise(optional["stat_hidup"]),
    }
    checks = [
        *(c[col] != "" for col in REQUIRED),
        nik.str.contains(DIGITS16),
        ~nik.str.ends_with("0000"),
        month.is_between(1, 12),
        nik_day.is_between(1, 29)
        | ((nik_day <= 31) & ~month.is_in([2, 4, 6, 9, 11]))
        | ((nik_day == 30) & (month != 2)),
        c["NO_KK"].str.contains(DIGITS16),
        _name_ok(c["NAMA_LGKP"], True),
        _name_ok(c["NAMA_LGKP_IBU"], False),
        _name_ok(c["NAMA_LGKP_AYAH"], False),
        c["TMPT_LHR"].str.contains(PLAIN),
        c["ALAMAT"].str.contains(PLAIN),
        c["NO_RW"].str.contains(r"^\d{1,3}$"),
        c["NO_RT"].str.contains(r"^\d{1,3}$"),
        region.is_in(list(kelurahan)),
        born.is_not_null() & (born <= today),
        kawin_ok & (kawin_date.is_null() | (kawin_date <= today)),
        cerai_ok & (cerai_date.is_null() | (cerai_date <= today)),
        _parent(c["NIK_IBU"]),
        _parent(c["NIK_AYAH"]),
        # no warnings: NIK agrees with birth date and sex; a plausible age
        nik_day == born.dt.day(),
        month == born.dt.month(),
        nik.str.slice(10, 2).cast(pl.Int32, strict=False) == born.dt.year() % 100,
        (day > 40) == (sex == 2),
        today.year - born.dt.year() <= OLDEST_PLAUSIBLE_AGE,
    ]
    for name in (
        "jenis_kelamin",
        "agama",
        "status_kawin",
        "shdk",
        "akta_lahir",
        "akta_kawin",
        "akta_cerai",
        "kia",
        "stat_hidup",
    ):
        checks.append(values[name].is_not_null())
    for column, (_, field) in OPTIONAL_CODED.items():
        if field != "stat_hidup":
            checks.append((c[column] == "") | values[field].is_not_null())
    ok = pl.all_horizontal(pl.coalesce(check, pl.lit(False)) for check in checks)
    marked = cells.with_columns(ok.alias("_ok"), *(values[n].cast(_dtype(k)).alias(f"_{n}") for n, k in STAGING))
    clean = marked.filter(pl.col("_ok")).select(pl.col(f"_{n}").alias(n) for n, _ in STAGING)
    rest = frame.join(marked.filter(~pl.col("_ok")).select("baris"), on="baris", how="semi").select("baris", *names)
    return Split(clean, _rows(rest), frame.height)


def estimated_rows(path) -> int:
    """Rows in the file, judged from the line length of its first megabyte (for the progress bar)."""
    with open(path, "rb") as handle:
        sample = handle.read(1 << 20)
    lines = max(sample.count(b"\n"), 1)
    return max(int(path.stat().st_size * lines / max(len(sample), 1)), 1)


def _rows(rest: pl.DataFrame) -> Iterator[tuple[int, list[str]]]:
    for number, *cells in rest.iter_rows():
        yield number, ["" if v is None else v for v in cells]


def _dtype(kind: str) -> pl.DataType:
    return {
        "integer": pl.Int64,
        "smallint": pl.Int16,
        "text": pl.String,
        "date": pl.Date,
        "boolean": pl.Boolean,
    }[kind]
