"""Malformed rows never crash the importer, and every row read is accounted for."""

from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piak.penduduk.impor.codes import code_tables
from piak.penduduk.impor.rows import COLUMNS, ERROR, RowParser
from piak.penduduk.impor.run import import_file
from piak.wilayah.models import Kelurahan

from .helpers import child, person, wife, write_csv

pytestmark = pytest.mark.django_db

VALID = [person(), wife(), child()]
nasty_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=24) | st.sampled_from(
    ["", " ", "'", "=1+1", "1.67E+15", "00-00-0000", "29-02-2023", "9" * 40, "\x00", '"', ";"]
)


@st.composite
def rows(draw):
    """A row mixing valid values, garbage, missing cells and extra cells."""
    base = draw(st.sampled_from(VALID))
    cells = []
    for column in COLUMNS:
        choice = draw(st.integers(0, 3))
        cells.append(base.get(column, "") if choice < 2 else draw(nasty_text))
    cut = draw(st.integers(0, len(cells) + 3))
    return cells[:cut] + draw(st.lists(nasty_text, max_size=3)) if cut > len(cells) else cells[:cut]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(rows(), min_size=1, max_size=20))
def test_parser_never_crashes_and_accounts_for_every_row(batch):
    parser = RowParser(
        columns={c: i for i, c in enumerate(COLUMNS)},
        tables=code_tables(),
        kelurahan=set(Kelurahan.objects.values_list("kode", flat=True)),
    )
    accepted = rejected = 0
    for number, cells in enumerate(batch, start=2):
        record, issues = parser.parse(number, cells)
        assert all(i.baris == number for i in issues)
        if record is None:
            assert [i.tingkat for i in issues] == [ERROR]
            rejected += 1
        else:
            assert record[0] == number and len(record[1]) == 16
            assert not any(i.tingkat == ERROR for i in issues)
            accepted += 1
    assert accepted + rejected == len(batch)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(rows(), min_size=1, max_size=12), skip=st.booleans())
def test_import_never_crashes_and_accounts_for_every_row(batch, skip):
    with TemporaryDirectory() as folder:
        path = Path(folder) / "acak.csv"
        write_csv(path, [dict(zip(COLUMNS, cells, strict=False)) for cells in batch])
        result = import_file(path, skip_invalid=skip)
    assert result.exit_code in (0, 1)
    assert result.read == sum(1 for cells in batch if any(cells))  # blank lines are not rows
    rejected_rows = {i.baris for i in result.issues if i.tingkat == ERROR}
    assert len(rejected_rows) == result.rejected
    assert all(2 <= n <= len(batch) + 1 for n in rejected_rows)  # source row numbers
    if result.rejected and not skip:  # all or nothing: the accepted rows were not written either
        assert result.inserted == result.updated == result.unchanged == 0
    else:
        assert result.inserted + result.updated + result.unchanged + result.rejected == result.read
