import csv
import io
import json

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from piak.statistik.models import Snapshot


def test_snapshot_command_freezes_synthetic_data_and_computes_indicators_on_a_demo_instance(snapshot_dir, db, settings):
    settings.PIAK_DEMO = True
    out = io.StringIO()
    call_command("snapshot", "--date", "2026-06-30", "--sintetis", "3000", stdout=out)
    snapshot = Snapshot.objects.get()
    assert snapshot.jumlah_baris == 3000 and snapshot.sintetis
    assert f"SHA-256 {snapshot.sha256}" in out.getvalue()
    assert "DATA SINTETIS — BUKAN DATA RESMI" in out.getvalue()
    assert "Indikator dihitung" in out.getvalue()


def test_snapshot_command_refuses_synthetic_data_outside_a_demo_instance(snapshot_dir, db, settings):
    assert settings.PIAK_DEMO is False  # the test settings, like production, are not a demo instance
    with pytest.raises(CommandError, match="hanya dapat dibuat pada instans demo") as refused:
        call_command("snapshot", "--date", "2026-06-30", "--sintetis", "3000")
    assert "snapshot_synthetic_not_demo" in str(refused.value)
    assert not Snapshot.objects.exists()


def test_the_snapshot_console_script_exits_non_zero_outside_a_demo_instance(snapshot_dir, db):
    """The real `piak` command in a child process (its own settings, so no test database is touched
    before the demo check refuses)."""
    import os
    import subprocess
    import sys

    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "piak.settings.test", "PIAK_DATA_DIR": str(snapshot_dir)}
    done = subprocess.run(
        [sys.executable, "-m", "piak.cli", "snapshot", "--date", "2026-06-30", "--sintetis", "100"],
        capture_output=True,
        text=True,
        env=environment,
    )
    assert done.returncode != 0
    assert "Snapshot data sintetis hanya dapat dibuat pada instans demo" in done.stderr


def test_snapshot_command_from_an_empty_registry_fails_clearly(snapshot_dir, db):
    with pytest.raises(CommandError, match="snapshot_empty"):
        call_command("snapshot", "--date", "2026-06-30")


def test_snapshot_command_refuses_an_unreadable_parquet(snapshot_dir, db, tmp_path):
    bad = tmp_path / "bukan.parquet"
    bad.write_text("bukan parquet")
    with pytest.raises(CommandError, match="tidak dapat dibaca"):
        call_command("snapshot", "--date", "2026-06-30", "--parquet", str(bad))


def test_indicators_command_exports_json_csv_and_xlsx(hand_snapshots, tmp_path, capsys):
    snapshot = hand_snapshots["current"]
    call_command("indicators", "--snapshot", str(snapshot.pk), "--format", "json")
    payload = json.loads(capsys.readouterr().out)
    assert payload["sha256_snapshot"] == snapshot.sha256
    city = next(
        v
        for v in payload["nilai"]
        if v["indikator"] == "rasio_jenis_kelamin" and v["kode_wilayah"] == "16.71" and not v["rincian"]
    )
    assert (city["nilai"], city["pembilang"], city["penyebut"], city["faktor"]) == ("100.00", "7", "7", "100")
    call_command("indicators", "--latest", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    city = [r for r in rows if r["indikator"] == "jumlah_penduduk" and r["kode_wilayah"] == "16.71"]
    assert [r["nilai"] for r in city if not r["rincian"]] == ["15"]
    assert city[0]["nama_wilayah"] == "Kota Palembang"
    target = tmp_path / "indikator.xlsx"
    call_command("indicators", "--latest", "--format", "xlsx", "--output", str(target))
    sheet = openpyxl.load_workbook(target).active
    assert sheet["A3"].value == "indikator"
    assert any(isinstance(c.value, float | int) for c in sheet[4])


def test_indicators_command_without_snapshots_fails_clearly(db):
    with pytest.raises(CommandError, match="Belum ada snapshot"):
        call_command("indicators", "--latest")
    with pytest.raises(CommandError, match="Snapshot #7 tidak ada"):
        call_command("indicators", "--snapshot", "7")


def test_indicators_xlsx_needs_an_output_file(hand_snapshots):
    with pytest.raises(CommandError, match="xlsx membutuhkan --output"):
        call_command("indicators", "--latest", "--format", "xlsx")
