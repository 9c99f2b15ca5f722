"""SOP 2 with its real work, in Chromium: the operator's plan names an import, the correction of two duplicates
and ten births; step 5 is refused until a data-quality report is attached; in step 7 the operator retires the two
duplicates from the case, the import and the births are linked by themselves, a maintenance job is logged, and
the totals meet the plan; the Lembar Kendali PDF lists all of it (rendered to PNG beside the screenshots)."""

import subprocess

import pytest
from playwright.sync_api import expect

from piak.core.models import User
from piak.penduduk.impor.run import import_file
from piak.penduduk.models import Penduduk
from piak.penduduk.tests.helpers import child, family, wife, write_csv
from piak.siak.models import CatatanKerja
from piak.siak.tests.helpers import births_record, import_apply
from piak.sop import services
from piak.sop.models import Case, SopVersion
from piak.web.pdf import render_pdf

from .conftest import SCREENSHOT_DIR, Office, demo_officials_for_tests

pytestmark = pytest.mark.e2e
CHILD_TWICE = child()["NIK"][:-4] + "0009"
WIFE_TWICE = wife()["NIK"][:-4] + "0009"
ACTIVITIES = [  # uraian, jenis, sasaran, target
    ("Impor ekspor SIAK November", "impor", "Kota", 1),
    ("Koreksi data ganda", "koreksi", "Ilir Barat I", 2),
    ("Entri kelahiran", "entri_peristiwa", "Ilir Barat I", 10),
    ("Pembaruan klien SIAK loket", "instalasi", "PC loket 3", 1),
]
PLAN = {
    "judul": "Rencana kerja SIAK Desember 2026",
    "dasar_hukum": "Permendagri 95 Tahun 2019",
    "kegiatan": [
        {"uraian": u, "jenis": j, "sasaran": s, "target": t, "pelaksana": "operator"} for u, j, s, t in ACTIVITIES
    ],
}


@pytest.fixture
def office(page, live_server, transactional_db, screenshot, files, tmp_path):
    """The demo officials (the Kabid present), a register with the child and the mother entered twice."""
    demo_officials_for_tests(acting=False)
    rows = [*family(), child(NIK=CHILD_TWICE), wife(NIK=WIFE_TWICE, STAT_HBKEL="FAMILI LAIN")]
    assert import_file(write_csv(tmp_path / "awal.csv", rows)).exit_code == 0
    return Office(page, live_server.url, screenshot)


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _open_run(case: Case):
    return case.step_runs.get(selesai_pada__isnull=True)


def _case_at_step_5() -> Case:
    """Steps 1–4 as the officials do them every month: plan, two paraf, the Kepala Dinas's disposisi."""
    versi = SopVersion.objects.filter(kode="sop-2").latest("nomor_versi")
    operator = _user("operator")
    case = services.case_start(versi=versi, user=operator, judul="Pelaksanaan SIAK Desember 2026", rencana_kerja=PLAN)
    step = versi.definition.step(1)
    services.step_complete(step_run=_open_run(case), user=operator, checklist=list(step.checklist))
    services.step_paraf(step_run=_open_run(case), user=_user("kasi.siak"), document_hash=None)
    services.step_paraf(step_run=_open_run(case), user=_user("kabid"), document_hash=None)
    services.step_disposisi(step_run=_open_run(case), user=_user("kadis"), instruksi="Siapkan data", kepada=operator)
    return case


def _retire_from_the_case(office, name: str, twice: str, kept: str, document) -> None:
    page = office.page
    page.get_by_role("link", name="Kualitas data (tandai ganda)").click()
    table = page.get_by_role("table", name="Kemungkinan orang yang sama tercatat dua kali")
    table.get_by_role("link", name=f"Tandai ganda {name}").click()
    page.get_by_label(f"Pertahankan #{Penduduk.objects.get(nik=kept).pk}").check()
    page.get_by_label(f"Nonaktifkan #{Penduduk.objects.get(nik=twice).pk}").check()
    page.get_by_label("Alasan koreksi").fill("Tercatat dua kali; yang benar menurut KK asli.")
    page.get_by_label("Dokumen pendukung").set_input_files(document)
    office.snap(f"sop2-tandai-ganda-{name.split()[0].lower()}")
    page.get_by_role("button", name="Nonaktifkan data ganda").click()
    expect(page.locator(".alert-success")).to_contain_text("dinonaktifkan sebagai data ganda")


def test_sop2_prepares_does_and_prints_its_work(office, tmp_path):
    case = _case_at_step_5()
    document = tmp_path / "kk-asli.pdf"
    document.write_bytes(render_pdf("print/base_a4.html", {}))
    page = office.page
    office.as_("operator")
    page.goto(f"{office.base}/berkas/{case.pk}/")
    expect(page.get_by_role("cell", name="10 peristiwa")).to_be_visible()  # the plan's table
    form = page.locator("#aksi-selesai")
    for box in form.get_by_role("checkbox").all():
        box.check()
    form.get_by_role("button", name="Selesai").click()
    expect(page.locator(".alert-danger")).to_contain_text("Penyiapan Data Penduduk belum dapat diselesaikan")
    office.snap("sop2-langkah5-ditolak")
    page.get_by_role("button", name="Lampirkan laporan kualitas data").click()
    expect(page.locator(".alert-success")).to_contain_text("Bahan penyiapan data dilampirkan")
    expect(page.locator("#penyiapan-data")).to_contain_text("Kemungkinan orang yang sama tercatat dua kali")
    office.snap("sop2-langkah5-laporan-kualitas")
    office.complete("sop2-langkah5-selesai")

    services.step_disposisi(
        step_run=_open_run(case),
        user=_user("kabid"),
        instruksi="Laksanakan entri dan koreksi",
        kepada=_user("operator"),
    )
    page.reload()
    for name, twice, kept in (("RIZKY FAUZI", CHILD_TWICE, child()["NIK"]), ("SITI AMINAH", WIFE_TWICE, wife()["NIK"])):
        _retire_from_the_case(office, name, twice, kept, document)
        page.goto(f"{office.base}/berkas/{case.pk}/")
        office.snap(f"sop2-langkah7-setelah-{name.split()[0].lower()}")
    import_apply(tmp_path, _user("operator"))  # the month's export, applied by the operator
    births_record(_user("operator"), 10)  # the month's births, entered by the operator
    page.reload()
    panel = page.locator("#catatan-kerja")
    panel.get_by_label("Jenis").select_option(label="Instalasi/pembaruan perangkat dan klien SIAK")
    panel.get_by_label("Perangkat/aplikasi").fill("PC loket 3")
    panel.get_by_label("Uraian pekerjaan").fill("Pembaruan klien SIAK ke versi terbaru")
    panel.get_by_label("Hasil").fill("Berjalan normal")
    panel.get_by_label("Waktu (menit)").fill("40")
    panel.get_by_role("button", name="Catat pemeliharaan").click()
    expect(page.locator(".alert-success")).to_contain_text("Pemeliharaan dicatat")
    totals = page.get_by_role("table", name="Rencana vs realisasi")
    for label, figures in (
        ("Impor ekspor SIAK", "1 1"),
        ("Koreksi data ganda/anomali", "2 2"),
        ("Entri peristiwa kependudukan", "10 10"),
        ("Instalasi", "1 1"),
    ):
        expect(totals.get_by_role("row").filter(has_text=label)).to_contain_text(figures.split()[0])
    office.snap("sop2-langkah7-realisasi")
    office.complete("sop2-langkah7-selesai")
    assert Case.objects.get(pk=case.pk).status == Case.Status.SELESAI
    assert CatatanKerja.objects.filter(case=case).count() == 1 + 2 + 10

    pdf = page.request.get(f"{office.base}/berkas/{case.pk}/lembar.pdf").body()
    text = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    for expected in ("Laporan kualitas data", "Impor ekspor SIAK November", "Entri kelahiran", "Rencana vs realisasi"):
        assert expected in text, expected
    (SCREENSHOT_DIR / "sop2-lembar-kendali.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-", str(SCREENSHOT_DIR / "sop2-lembar-kendali")], input=pdf, check=True
    )
