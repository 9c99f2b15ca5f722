"""The Polars fast path accepts a row only when the row parser would accept it, with the same values."""

import csv
from datetime import date
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piak.penduduk.generator import city_write
from piak.penduduk.impor.codes import code_tables
from piak.penduduk.impor.rows import RowParser
from piak.penduduk.impor.vector import csv_batches, split
from piak.wilayah.models import Kelurahan

from .helpers import child, person, wife, write_csv
from .test_import_fuzz import rows

pytestmark = pytest.mark.django_db


def _compare(path: Path, slice_rows: int = 7) -> tuple[int, int]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        all_rows = list(csv.reader(handle))
    header = all_rows[0]
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        columns.setdefault(name.strip().upper(), index)
    parser = RowParser(
        columns=columns, tables=code_tables(), kelurahan=set(Kelurahan.objects.values_list("kode", flat=True))
    )
    accepted, rest = {}, []
    for frame in csv_batches(path, separator=",", header=header, rows=slice_rows):  # slices meet mid-file
        fast = split(
            frame,
            header=header,
            columns=parser.columns,
            tables=parser.tables,
            kelurahan=parser.kelurahan,
            today=date.today(),
        )
        for row in fast.clean.iter_rows():
            record, issues = parser.parse(row[0], all_rows[row[0] - 1])
            assert issues == [] and record == row, (row, record, issues)
            accepted[row[0]] = row
        for number, cells in fast.rest:
            assert cells[: len(header)] == (all_rows[number - 1] + [""] * len(header))[: len(header)]
            rest.append(number)
    assert not set(rest) & set(accepted)
    non_blank = [n for n, cells in enumerate(all_rows[1:], start=2) if any(cells)]
    assert sorted([*rest, *accepted]) == non_blank
    return len(accepted), len(rest)


def test_fast_path_agrees_on_a_city_with_defects(tmp_path):
    path = tmp_path / "kota.csv"
    city_write(path, people=3000, seed=7, defects=0.05)
    accepted, rest = _compare(path, slice_rows=1000)
    assert accepted > 2500 and rest > 50


def test_fast_path_leaves_tolerated_and_warned_rows_to_the_row_parser(tmp_path):
    rows_ = [
        person(),
        wife(NIK="'1671016208840002", NAMA_LGKP="SITI  AMINAH"),
        child(JENIS_KLMIN="P", TGL_LHR="3/3/2010"),
        person(NIK="1671011505800002", ALAMAT="JL.\tX", NO_KK="1671012003150002"),
    ]
    assert _compare(write_csv(tmp_path / "t.csv", rows_)) == (1, 3)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(rows(), min_size=1, max_size=15))
def test_fast_path_agrees_on_malformed_rows(batch):
    from piak.penduduk.impor.rows import COLUMNS

    with TemporaryDirectory() as folder:
        path = write_csv(Path(folder) / "acak.csv", [dict(zip(COLUMNS, cells, strict=False)) for cells in batch])
        _compare(path)
