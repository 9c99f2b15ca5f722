"""The compliance report for a period, checked against a hand count of a scripted week.

Monday 23 November 2026 (WIB), office hours 08:00–16:00; the report is made at 14:00 that day for
1–30 November.

Case A (SOP 1, from 08:00): step 1 done 08:05 (5 of 10 min, on time); the Kabid returns step 2 at 08:40
(35 of 15 min, LATE) "Angka Kecamatan Ilir Timur I salah"; step 1 again done 08:45 (on time); step 2 paraf
08:50 (on time); step 3 paraf 09:00 (10 of 30, on time); step 4 (Sekretaris, 60 min) still open at 14:00
(300 min, LATE). → 6 measured, 2 late, 1 return.
Case B (SOP 2, from 13:00): step 1 done 13:30 (30 of 10, LATE); the Kasi SIAK returns step 2 at 13:35
(5 of 15, on time) "Lampiran daftar hadir kurang"; step 1 again 13:40 (on time); step 2 paraf 13:50 (on
time); step 3 open since 13:50 (10 of 15 at 14:00: not measured yet). → 4 measured, 1 late, 1 return.
Case C (SOP 3) began on Friday 30 October: outside the period, not in the report.

Totals: 10 measured, 3 late, 7 on time = 70.0 %; 2 returns; 2 cases with a late step.
"""

import io
import subprocess
from datetime import date, datetime

import openpyxl
import pytest
import time_machine

from piak.core.testing import TIMESTAMP, timestamps_without_wib
from piak.core.worktime import WIB
from piak.sop import services
from piak.sop.monitoring import compliance_report
from piak.sop.report import compliance_pdf, compliance_xlsx
from tests.sops.drive import current_hash, open_run, prepare_when_due, start_case

REPORT_AT = datetime(2026, 11, 23, 14, 0, tzinfo=WIB)
REASON_A = "Angka Kecamatan Ilir Timur I salah"
REASON_B = "Lampiran daftar hadir kurang"


def at(hour: int, minute: int, day: int = 23, month: int = 11):
    return time_machine.travel(datetime(2026, month, day, hour, minute, tzinfo=WIB), tick=False)


def _complete(case, user):
    run = open_run(case)
    prepare_when_due(case, run, user)
    services.step_complete(step_run=run, user=user, checklist=list(case.versi.definition.step(run.langkah).checklist))


def _paraf(case, user):
    services.step_paraf(step_run=open_run(case), user=user, document_hash=current_hash(case))


def _return(case, user, reason):
    services.step_return(step_run=open_run(case), user=user, to_step=1, reason=reason)


@pytest.fixture
def week(office):
    with at(8, 0):
        a = start_case("sop-1", office)
    with at(8, 5):
        _complete(a, office["kasi_ppd"])
    with at(8, 40):
        _return(a, office["kabid_piak"], REASON_A)
    with at(8, 45):
        _complete(a, office["kasi_ppd"])
    with at(8, 50):
        _paraf(a, office["kabid_piak"])
    with at(9, 0):
        _paraf(a, office["kabid_piak"])
    with at(13, 0):
        b = start_case("sop-2", office)
    with at(13, 30):
        _complete(b, office["staf"])
    with at(13, 35):
        _return(b, office["kasi_siak"], REASON_B)
    with at(13, 40):
        _complete(b, office["staf"])
    with at(13, 50):
        _paraf(b, office["kasi_siak"])
    with at(9, 0, day=30, month=10):
        start_case("sop-3", office)
    return a, b


def _report():
    with time_machine.travel(REPORT_AT, tick=False):
        return compliance_report(awal=date(2026, 11, 1), akhir=date(2026, 11, 30))


def test_totals_and_returns_match_the_hand_count(week):
    a, b = week
    report = _report()
    assert [e.case.pk for e in report.cases] == [a.pk, b.pk]
    total = report.compliance.total
    assert (total.measured, total.late, total.on_time, total.percent) == (10, 3, 7, 70)
    assert report.return_count == 2
    assert report.late_cases == 2
    case_a, case_b = report.cases
    assert [e.run.catatan for e in case_a.returns] == [REASON_A]
    assert [e.run.catatan for e in case_b.returns] == [REASON_B]
    assert [(e.run.langkah, e.run.percobaan) for e in case_a.late] == [(2, 1), (4, 1)]
    assert [(e.run.langkah, e.run.percobaan) for e in case_b.late] == [(1, 1)]


def test_per_step_per_official_and_per_month_match_the_hand_count(week):
    compliance = _report().compliance
    assert [(t.label, t.measured, t.late) for t in compliance.steps()] == [
        ("SOP-1 langkah 1", 2, 0),
        ("SOP-1 langkah 2", 2, 1),
        ("SOP-1 langkah 3", 1, 0),
        ("SOP-1 langkah 4", 1, 1),
        ("SOP-2 langkah 1", 2, 1),
        ("SOP-2 langkah 2", 2, 0),
    ]
    assert {t.label: (t.measured, t.late) for t in compliance.officials()} == {
        "Pejabat kasi_ppd": (2, 0),
        "Pejabat kabid_piak": (3, 1),
        "Sekretaris (belum dikerjakan)": (1, 1),
        "Pejabat staf": (2, 1),
        "Pejabat kasi_siak": (2, 0),
    }
    assert [(t.label, t.measured, t.late, t.percent) for t in compliance.months()] == [("Nov 2026", 10, 3, 70)]


def _data_rows(sheet) -> list[tuple]:
    """The rows under the header, without the notes that follow them."""
    return [row for row in sheet.iter_rows(min_row=4, values_only=True) if isinstance(row[1], int | float)]


def test_the_spreadsheet_holds_every_step_run_and_the_summary(week):
    with time_machine.travel(REPORT_AT, tick=False):
        book = openpyxl.load_workbook(io.BytesIO(compliance_xlsx(_report())))
    steps = [row for row in book["Langkah"].iter_rows(min_row=4, values_only=True) if isinstance(row[0], int)]
    assert len(steps) == 11  # 6 runs in case A, 5 in case B
    header = next(book["Langkah"].iter_rows(min_row=3, max_row=3, values_only=True))
    status = header.index("Status standar waktu")
    note = header.index("Catatan / alasan")
    assert sum(1 for row in steps if row[status] == "Terlambat") == 3
    assert sorted(row[note] for row in steps if row[note]) == sorted([REASON_A, REASON_B])
    summary = {row[0]: row[1:] for row in _data_rows(book["Ringkasan"])}
    assert summary == {"Semua langkah": (10, 7, 3, 70)}
    returns = [row for row in book["Pengembalian"].iter_rows(min_row=4, values_only=True) if isinstance(row[0], int)]
    assert sorted(r[-1] for r in returns) == sorted([REASON_A, REASON_B])
    texts = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any(TIMESTAMP.search(c) for c in texts) and not any(timestamps_without_wib(c) for c in texts)


def test_the_pdf_states_the_figures_the_reasons_and_the_officials(week, tmp_path):
    with time_machine.travel(REPORT_AT, tick=False):
        pdf = compliance_pdf(_report())
    path = tmp_path / "kepatuhan.pdf"
    path.write_bytes(pdf)
    text = " ".join(subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True).stdout.split())
    assert "LAPORAN KEPATUHAN STANDAR WAKTU" in text
    assert "1 November 2026 s.d. 30 November 2026" in text
    assert "70,0" in text
    assert REASON_A in text and REASON_B in text
    assert "Pejabat kabid_piak" in text
    assert "Penyampaian Data Kependudukan" in text and "Rencana uji" in text
    # Reading order keeps each cell whole (the layout mode sets a wrapped "WIB" apart from its time).
    cells = " ".join(subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True).stdout.split())
    assert TIMESTAMP.search(cells) and not timestamps_without_wib(cells)


def test_a_step_closed_by_cancelling_its_case_is_not_blamed_on_whoever_cancelled(office):
    with at(8, 0):
        case = start_case("sop-1", office)
    with at(8, 5):
        _complete(case, office["kasi_ppd"])
    with at(15, 0):  # the Kabid's 15-minute paraf was left open all day
        services.case_cancel(case=case, user=office["kepala_dinas"], reason="Permintaan ditarik instansi")
    report = _report()
    cancelled = report.cases[0].entries[-1]
    assert cancelled.run.hasil == "dibatalkan" and cancelled.sla.state == "terlambat"
    assert (report.compliance.total.measured, report.compliance.total.late) == (1, 0)
    assert "Pejabat kepala_dinas" not in {t.label for t in report.compliance.officials()}
    assert report.cases[0].with_status[-1][1] == "Dibatalkan"
