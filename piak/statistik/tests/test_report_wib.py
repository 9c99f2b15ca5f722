"""Every timestamp of the report (PDF, XLSX) and the snapshot pages is WIB and says so (issue 11)."""

import io
from datetime import UTC, date, datetime

import openpyxl
import pytest
import time_machine

from piak.core.testing import TIMESTAMP, timestamps_without_wib
from piak.statistik.report import report_pdf, report_xlsx
from piak.statistik.services import snapshot_create
from piak.statistik.tables import snapshot_run

from .conftest import CURRENT, EVENTS, events_table, residents
from .test_report import pdf_text

# 12:48 UTC is 19:48 WIB; the old report printed "dihitung 01-12-2026 12:48", in UTC and unlabelled.
COMPUTED_UTC = datetime(2026, 12, 1, 12, 48, tzinfo=UTC)


@pytest.fixture
def snapshot(db, snapshot_dir):
    with time_machine.travel(COMPUTED_UTC, tick=False):
        made = snapshot_create(cutoff=date(2026, 6, 30), penduduk=residents(CURRENT), peristiwa=events_table(EVENTS))
        snapshot_run(made)  # its indicators, computed at the same instant
    return made


def test_the_report_pdf_gives_the_computing_time_in_wib(snapshot, tmp_path):
    text = " ".join(pdf_text(report_pdf(snapshot), tmp_path).split())
    assert "dihitung 01-12-2026 19:48 WIB" in text
    assert TIMESTAMP.search(text) and not timestamps_without_wib(text)
    assert "12:48" not in text


def test_every_timestamp_in_the_report_xlsx_is_wib(snapshot):
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(snapshot)))
    cells = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row]
    assert not any(isinstance(c, datetime) for c in cells)  # a workbook cannot say its zone: text, labelled
    stamped = [c for c in cells if isinstance(c, str) and TIMESTAMP.search(c)]
    assert stamped and all(not timestamps_without_wib(c) for c in stamped)
    assert any("dihitung 01-12-2026 19:48 WIB" in c for c in stamped)
    assert not any(
        isinstance(c, datetime) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row
    )


def test_the_snapshot_list_shows_when_it_was_made_in_wib(snapshot, make_official, client):
    client.force_login(make_official("kasi", "kasi_siak"))
    page = client.get("/statistik/").content.decode()
    assert "01-12-2026 19:48 WIB" in page
