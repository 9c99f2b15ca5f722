"""The command line, the report files, XLSX against CSV, and the generator feeding the importer."""

import csv
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from piak.penduduk.generator import CityGenerator, city_write
from piak.penduduk.impor.report import neutralise, report_write, write_table
from piak.penduduk.impor.run import import_file
from piak.penduduk.models import Keluarga, Penduduk
from piak.penduduk.nik import nik_is_female

from .helpers import child, family, person, wife, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def _snapshot() -> list[tuple]:
    fields = [f.name for f in Penduduk._meta.fields if f.name not in {"id", "keluarga"}]
    return sorted(Penduduk.objects.values_list("keluarga__no_kk", *fields))


def test_command_exit_codes_and_last_line(tmp_path, capsys):
    good = write_csv(tmp_path / "baik.csv", family())
    with pytest.raises(SystemExit) as done:
        call_command("import", str(good))
    assert done.value.code == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == (
        "read=3 inserted=3 updated=0 unchanged=0 rejected=0 warnings=0"
    )
    bad = write_csv(tmp_path / "buruk.csv", [*family(), person(NIK="123")])
    with pytest.raises(SystemExit) as done:
        call_command("import", str(bad))
    assert done.value.code == 1
    output = capsys.readouterr()
    assert output.out.strip().splitlines()[-1] == "read=4 inserted=0 updated=0 unchanged=0 rejected=1 warnings=0"
    assert "nik_format" in output.err
    with pytest.raises(SystemExit) as done:
        call_command("import", str(tmp_path / "hilang.csv"))
    assert done.value.code == 2


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_report_lists_every_problem_with_totals(tmp_path, suffix):
    rows = [*family(), person(NIK="123", NO_KK="1671012003150002"), child(NIK="1671010404120005", NIK_IBU="")]
    result = import_file(write_csv(tmp_path / "data.csv", rows))
    report = tmp_path / f"laporan{suffix}"
    report_write(report, result.issues, result.totals())
    table = _read_table(report)
    assert table[0] == ["baris", "kolom", "nilai", "kode", "tingkat", "pesan"]
    assert table[1][:5] == ["5", "NIK", "123", "nik_format", "galat"]
    assert table[1][5].startswith("NIK harus 16 digit")
    totals = {r[0]: r[1] for r in table if len(r) == 2}
    assert totals["read"] == "5" and totals["rejected"] == "1"


def _read_table(path: Path) -> list[list[str]]:
    if path.suffix == ".xlsx":
        sheet = load_workbook(path, read_only=True).worksheets[0]
        return [
            ["" if v is None else str(v) for v in row if v is not None] for row in sheet.iter_rows(values_only=True)
        ]
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_exported_values_never_become_formulas(tmp_path, suffix):
    path = tmp_path / f"keluar{suffix}"
    write_table(path, [['=HYPERLINK("http://x")', "+62", "-1", "@SUM(A1)", "aman"]])
    values = _read_table(path)[0]
    assert values == ['\'=HYPERLINK("http://x")', "'+62", "'-1", "'@SUM(A1)", "aman"]
    if suffix == ".xlsx":
        cell = load_workbook(path).worksheets[0]["A1"]
        assert cell.data_type == "s"


def test_a_formula_in_a_rejected_value_is_neutralised_in_the_report(tmp_path):
    result = import_file(write_csv(tmp_path / "d.csv", [person(NAMA_LGKP="=cmd|' /C calc'!A0"), wife(), child()]))
    report = tmp_path / "laporan.csv"
    report_write(report, result.issues, result.totals())
    assert "'=cmd|' /C calc'!A0" in report.read_text(encoding="utf-8-sig")


def test_neutralise_leaves_plain_values():
    assert neutralise("AHMAD") == "AHMAD" and neutralise(5) == 5


def test_xlsx_imports_identically_to_csv(tmp_path, django_db_blocker):
    csv_path = tmp_path / "kota.csv"
    xlsx_path = tmp_path / "kota.xlsx"
    city_write(csv_path, people=400, seed=5)
    city_write(xlsx_path, people=400, seed=5)
    from_csv = import_file(csv_path)
    csv_rows = _snapshot()
    Penduduk.objects.all().delete()
    Keluarga.objects.all().delete()
    from_xlsx = import_file(xlsx_path)
    assert from_csv.totals() == from_xlsx.totals()
    assert from_xlsx.exit_code == 0 and from_xlsx.inserted == 400
    assert _snapshot() == csv_rows


def test_xlsx_with_real_date_cells_and_a_numeric_nik(tmp_path):
    rows = [
        person(TGL_LHR=date(1980, 5, 15)),
        wife(TGL_LHR=date(1984, 8, 22), NO_RT=5),
        child(NIK=1.6710103031e15),
    ]
    result = import_file(write_xlsx(tmp_path / "excel.xlsx", rows))
    assert [(i.baris, i.kode) for i in result.issues if i.tingkat == "error"] == [(4, "nik_angka")]
    assert "sebagai angka" in result.issues[-1].pesan


def test_generator_is_deterministic_for_a_seed(tmp_path):
    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    city_write(a, people=500, seed=3)
    city_write(b, people=500, seed=3)
    city_write(c, people=500, seed=4)
    assert a.read_bytes() == b.read_bytes() != c.read_bytes()


def test_generated_city_is_plausible_and_imports_cleanly(tmp_path):
    path = tmp_path / "kota.csv"
    city_write(path, people=6000, seed=1)
    result = import_file(path)
    assert (result.exit_code, result.inserted, result.rejected, result.warnings) == (0, 6000, 0, 0)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    families: dict[str, list[dict]] = {}
    for row in rows:
        families.setdefault(row["NO_KK"], []).append(row)
    assert all(sum(r["STAT_HBKEL"] == "KEPALA KELUARGA" for r in members) == 1 for members in families.values())
    assert 2.5 < len(rows) / len(families) < 5  # Indonesian households: about 3–4 people
    assert len({(r["NO_KEC"], r["NO_KEL"]) for r in rows}) == 107
    for row in rows:
        assert nik_is_female(row["NIK"]) == (row["JENIS_KLMIN"] == "PEREMPUAN")
    elsewhere = sum(not r["NIK"].startswith("1671") for r in rows) / len(rows)
    assert 0.01 < elsewhere < 0.08
    ages = [2026 - int(r["TGL_LHR"][-4:]) for r in rows]
    children = sum(a < 15 for a in ages) / len(ages)
    elderly = sum(a >= 65 for a in ages) / len(ages)
    assert 0.18 < children < 0.35 and 0.02 < elderly < 0.12
    for members in families.values():
        head = next(r for r in members if r["STAT_HBKEL"] == "KEPALA KELUARGA")
        for kid in (r for r in members if r["STAT_HBKEL"] == "ANAK"):
            assert int(kid["TGL_LHR"][-4:]) - int(head["TGL_LHR"][-4:]) >= 10


def test_defect_injection_produces_rejected_rows(tmp_path):
    path = tmp_path / "cacat.csv"
    city_write(path, people=3000, seed=2, defects=0.05)
    result = import_file(path)
    assert result.exit_code == 1
    assert 0.02 * 3000 < result.rejected < 0.12 * 3000
    assert Penduduk.objects.count() == 0


def test_families_have_one_head_and_children_have_parents():
    generator = CityGenerator(seed=9)
    for _ in range(200):
        members = generator.family("167101")
        assert sum(m.shdk == 1 for m in members) == 1
        for kid in (m for m in members if m.shdk == 4):
            assert kid.mother is not None or kid.father is not None


def test_generate_command_writes_the_file(tmp_path):
    out = tmp_path / "kota.csv"
    subprocess.run(
        [sys.executable, "-m", "piak.cli", "generate", "--people", "50", "--seed", "1", "--out", str(out)],
        check=True,
        capture_output=True,
    )
    assert len(out.read_text().splitlines()) == 51
