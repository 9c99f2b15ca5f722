"""Synthetic data is stamped "DATA SINTETIS — BUKAN DATA RESMI" wherever it is shown; real data is not;
a report of requested tables holds exactly those."""

import csv
import io
import json
import subprocess
from datetime import date

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from piak.core import roles
from piak.core.errors import ValidationFailed
from piak.statistik.models import SYNTHETIC_STAMP, Snapshot
from piak.statistik.report import report_pdf, report_xlsx
from piak.statistik.services import snapshot_create_synthetic

from .conftest import CURRENT, residents


@pytest.fixture
def synthetic(snapshot_dir, db, settings):
    """A synthetic snapshot made on a demo instance, then looked at on an ordinary one."""
    settings.PIAK_DEMO = True
    snapshot = snapshot_create_synthetic(cutoff=date(2026, 6, 30), people=2000)
    settings.PIAK_DEMO = False
    return snapshot


def pdf_pages(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "laporan.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [page for page in text.split("\f") if page.strip()]


def test_the_synthetic_report_pdf_is_stamped_on_every_page(synthetic, tmp_path):
    pages = pdf_pages(report_pdf(synthetic), tmp_path)
    assert len(pages) > 3
    assert all(SYNTHETIC_STAMP in page for page in pages)


def test_a_real_report_carries_no_stamp(hand_snapshots, tmp_path):
    snapshot = hand_snapshots["current"]
    assert snapshot.stamp == ""
    assert not any(SYNTHETIC_STAMP in page for page in pdf_pages(report_pdf(snapshot, ["T1"]), tmp_path))
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(snapshot)))
    assert all(book[name]["A1"].value.startswith(("Tabel", "Lampiran")) for name in book.sheetnames)


def test_every_sheet_of_the_synthetic_xlsx_has_the_stamp_on_its_top_row(synthetic):
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(synthetic)))
    assert len(book.sheetnames) == 12
    for name in book.sheetnames:
        assert book[name]["A1"].value == SYNTHETIC_STAMP
        assert book[name]["A2"].value.startswith(("Tabel", "Lampiran"))


def test_the_indicators_export_of_a_synthetic_snapshot_is_stamped(synthetic, tmp_path, capsys):
    call_command("indicators", "--snapshot", str(synthetic.pk), "--format", "json")
    payload = json.loads(capsys.readouterr().out)
    assert payload["peringatan"] == SYNTHETIC_STAMP and payload["sintetis"] is True
    call_command("indicators", "--snapshot", str(synthetic.pk), "--format", "csv")
    first_row = next(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert first_row == [SYNTHETIC_STAMP]
    target = tmp_path / "indikator.xlsx"
    call_command("indicators", "--snapshot", str(synthetic.pk), "--format", "xlsx", "--output", str(target))
    assert openpyxl.load_workbook(target).active["A1"].value == SYNTHETIC_STAMP


def test_every_statistik_page_showing_a_synthetic_snapshot_is_stamped(client, make_official, synthetic, hand_snapshots):
    client.force_login(make_official("kasi", roles.KASI_PPD))
    real = hand_snapshots["current"]
    stamped = [
        reverse("statistik:snapshots"),
        reverse("statistik:snapshot", args=[synthetic.pk]),
        reverse("statistik:kecamatan", args=[synthetic.pk, "16.71.01"]),
        reverse("statistik:comparison") + f"?a={real.pk}&b={synthetic.pk}",
    ]
    for url in stamped:
        assert SYNTHETIC_STAMP in client.get(url).content.decode(), url
    assert SYNTHETIC_STAMP not in client.get(reverse("statistik:snapshot", args=[real.pk])).content.decode()
    for url in (
        reverse("statistik:table_xlsx", args=[synthetic.pk, 1]),
        reverse("statistik:comparison_xlsx") + f"?a={real.pk}&b={synthetic.pk}",
    ):
        book = openpyxl.load_workbook(io.BytesIO(client.get(url).content))
        assert all(book[name]["A1"].value == SYNTHETIC_STAMP for name in book.sheetnames), url


def test_on_a_demo_instance_every_snapshot_is_stamped(hand_snapshots, settings):
    """The demo register is imported from a generated SIAK export: its snapshots are demo data too."""
    settings.PIAK_DEMO = True
    assert hand_snapshots["current"].stamp == SYNTHETIC_STAMP
    assert not hand_snapshots["current"].sintetis  # yet a demo letter may cite it


def test_the_dashboard_headline_prefers_real_data_and_stamps_synthetic(client, make_official, synthetic, db):
    from piak.statistik.services import indicators_compute, snapshot_create

    client.force_login(make_official("kadis", roles.KEPALA_DINAS))
    indicators_compute(snapshot=synthetic)
    page = client.get(reverse("home")).content.decode()
    assert SYNTHETIC_STAMP in page  # only a synthetic snapshot exists: shown, stamped
    real = snapshot_create(cutoff=date(2026, 1, 31), penduduk=residents(CURRENT))
    indicators_compute(snapshot=real)
    page = client.get(reverse("home")).content.decode()
    assert SYNTHETIC_STAMP not in page and reverse("statistik:snapshot", args=[real.pk]) in page


def test_the_backfill_marks_snapshots_whose_source_says_synthetic(db):
    from importlib import import_module

    from django.apps import apps

    fields = {"tanggal_potong": date(2026, 6, 30), "periode_mulai": date(2026, 1, 1), "berkas": "x"}
    fields |= {"jumlah_baris": 1, "sha256": "0" * 64, "versi_skema": 1}
    made = Snapshot.objects.create(sumber={"asal": "sintetis", "penduduk": 1}, **fields).pk
    kept = Snapshot.objects.create(sumber={"asal": "register"}, **fields).pk
    import_module("piak.statistik.migrations.0002_snapshot_sintetis").mark_synthetic(apps, None)
    assert Snapshot.objects.get(pk=made).sintetis and not Snapshot.objects.get(pk=kept).sintetis


def test_a_report_of_requested_tables_holds_only_those_and_the_annex_belongs_to_t1(hand_snapshots):
    snapshot = hand_snapshots["current"]
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(snapshot, ["T5", "T1"])))
    assert book.sheetnames == [
        "1 Penduduk",
        "5a Status perkawinan",
        "5b Pendidikan",
        "5c Pekerjaan",
        "5d Agama",
        "5e Disabilitas",
        "Lampiran Kelurahan",
    ]
    with pytest.raises(ValidationFailed) as refused:
        report_xlsx(snapshot, ["T9"])
    assert refused.value.code == "report_unknown_table"
