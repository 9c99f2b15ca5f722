"""One SOP 2 case end to end, as the office runs it: the plan names an import, the correction of two duplicates
and ten births; step 5 is refused until a data-quality report is frozen; step 7 links the import, the two
corrections and the ten births, and its totals meet the plan; the Lembar Kendali prints all of it."""

import subprocess
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from piak.core.errors import ValidationFailed
from piak.penduduk import services as penduduk
from piak.penduduk.impor.run import import_file
from piak.penduduk.models import Penduduk, StatusPenduduk
from piak.penduduk.selectors import data_quality
from piak.penduduk.tests.helpers import child, family, wife, write_csv
from piak.siak import services
from piak.siak.models import CatatanKerja
from piak.siak.selectors import planned_vs_done
from piak.sop import services as sop_services
from piak.sop.lembar import lembar_pdf
from piak.sop.models import Case
from piak.web.pdf import render_pdf
from tests.sops.drive import open_run, perform, start_case, walk_to, walk_to_end

from .helpers import births_record, import_apply

pytestmark = pytest.mark.django_db
CHILD_TWICE = child()["NIK"][:-4] + "0009"
WIFE_TWICE = wife()["NIK"][:-4] + "0009"
PLAN = [
    {"uraian": "Impor ekspor SIAK November", "jenis": "impor", "sasaran": "Kota", "target": 1, "pelaksana": "staf"},
    {"uraian": "Koreksi data ganda", "jenis": "koreksi", "sasaran": "Ilir Barat I", "target": 2, "pelaksana": "staf"},
    {"uraian": "Entri kelahiran", "jenis": "entri_peristiwa", "sasaran": "", "target": 10, "pelaksana": "staf"},
]


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime(2026, 3, 2, 3, 0, tzinfo=UTC), tick=True):
        yield


@pytest.fixture
def register(tmp_path, settings):
    """The family of three, its child and its mother each entered a second time under another NIK."""
    settings.PIAK_SNAPSHOT_DIR = tmp_path / "snapshot"
    rows = [*family(), child(NIK=CHILD_TWICE), wife(NIK=WIFE_TWICE, STAT_HBKEL="FAMILI LAIN")]
    assert import_file(write_csv(tmp_path / "awal.csv", rows)).exit_code == 0


def _document() -> SimpleUploadedFile:
    return SimpleUploadedFile("kk-asli.pdf", render_pdf("print/base_a4.html", {}), content_type="application/pdf")


def _retire(twice: str, kept: str, user) -> None:
    penduduk.koreksi_data_ganda(
        ganda=Penduduk.objects.get(nik=twice),
        pengganti=Penduduk.objects.get(nik=kept),
        alasan="Rekaman ganda menurut KK asli",
        dokumen=_document(),
        user=user,
    )


def _complete(case, user):
    run = open_run(case)
    checklist = list(case.versi.definition.step(run.langkah).checklist)
    return sop_services.step_complete(step_run=run, user=user, checklist=checklist)


def test_an_sop2_case_prepares_does_and_prints_its_work(office, register, tmp_path, client):
    staf = office["staf"]
    case = start_case("sop-2", office)
    case.documents.update(isi={**case.documents.get().isi, "kegiatan": PLAN})
    walk_to(case, 5, office)

    with pytest.raises(ValidationFailed, match="Penyiapan Data Penduduk belum dapat diselesaikan"):
        _complete(case, staf)
    prepared = services.bahan_kualitas_data(case=case, step_run_id=open_run(case).pk, user=staf)
    assert len(prepared.ringkasan["kemungkinan_ganda"]) == 2  # the two duplicates to correct
    _complete(case, staf)

    walk_to(case, 7, office)
    assert open_run(case).ditugaskan_ke == staf
    import_apply(tmp_path, staf)
    _retire(CHILD_TWICE, child()["NIK"], staf)
    _retire(WIFE_TWICE, wife()["NIK"], staf)
    births_record(staf, 10)

    done = {row.jenis: (row.target, row.realisasi) for row in planned_vs_done(case)}
    assert done == {"impor": (1, 1), "koreksi": (2, 2), "entri_peristiwa": (10, 10)}
    assert all(case.judul in _home(client, office[who]) for who in ("kasi_siak", "kabid_piak"))  # an open plan
    perform(case, office)  # step 7 completes: its links are frozen
    frozen = sorted(CatatanKerja.objects.filter(case=case).values_list("jenis", flat=True))
    assert frozen == ["impor"] + ["koreksi"] * 2 + ["peristiwa"] * 10
    assert data_quality().possible_duplicates == []
    assert Penduduk.objects.filter(status=StatusPenduduk.GANDA).count() == 2  # retired, not deleted

    _dashboards_show_the_work(client, office, case)
    walk_to_end(case, office)
    assert Case.objects.get(pk=case.pk).status == Case.Status.SELESAI
    text = subprocess.run(["pdftotext", "-raw", "-", "-"], input=lembar_pdf(case), capture_output=True).stdout
    text = text.decode()
    for expected in (
        "Laporan kualitas data",
        "Impor ekspor SIAK November",
        "Koreksi data ganda",
        "Entri kelahiran",
        "Rencana vs realisasi",
        "Penonaktifan data ganda",
    ):
        assert expected in text, expected


def _dashboards_show_the_work(client, office, case) -> None:
    """The Kasi SIAK's and the Kabid's home pages: this month's work, findings vs corrections."""
    for who in ("kasi_siak", "kabid_piak"):
        page = _home(client, office[who])
        assert "Pekerjaan SIAK (SOP 2)" in page, who
        assert 'Entri peristiwa kependudukan</th><td class="text-end">10' in page, who
        assert "Dikoreksi sejak itu: <strong>2</strong>" in page, who
    assert "Pekerjaan SIAK (SOP 2)" not in _home(client, office["kasi_ppd"])


def _home(client, user) -> str:
    client.force_login(user)
    return client.get("/").content.decode()
