"""SOP 1 started from a data request: the Kasi chooses a real snapshot at the requested date, the report
holds exactly the requested tables, and one request has at most one running case."""

import io
import subprocess
import threading
from datetime import date

import openpyxl
import pytest
from django.db import connection
from django.urls import reverse

from piak.core.errors import DomainError
from piak.naskah import services as naskah_services
from piak.naskah import sop_steps
from piak.naskah.models import Naskah
from piak.sop import services
from piak.sop.models import Case
from piak.statistik.models import Snapshot
from piak.statistik.services import snapshot_create, snapshot_create_synthetic
from piak.statistik.synthetic import synthetic_population

CUTOFF = date(2026, 6, 30)


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PIAK_SNAPSHOT_DIR = tmp_path / "snapshot"


def request_for(user, tables=("T1", "T2"), cutoff=CUTOFF, instansi="Badan Pusat Statistik Kota Palembang"):
    return naskah_services.permintaan_create(
        by=user,
        instansi=instansi,
        jabatan_tujuan=f"Kepala {instansi}",
        nomor_surat="B-123/16710/HM.100/2026",
        tanggal_surat=date(2026, 11, 10),
        keperluan="penyusunan publikasi Kota Palembang Dalam Angka 2027",
        tabel_diminta=list(tables),
        tanggal_data=cutoff,
        email_kontak="bps1671@bps.go.id",
        dasar_hukum="Permendagri Nomor 102 Tahun 2019",
    )


def real_snapshot(people: int, cutoff: date = CUTOFF) -> Snapshot:
    """A snapshot as the register would give (generated rows, but not flagged: what the guards see)."""
    return snapshot_create(cutoff=cutoff, penduduk=synthetic_population(people, seed=people))


def synthetic_snapshot(settings, people: int = 333, cutoff: date = CUTOFF) -> Snapshot:
    settings.PIAK_DEMO = True
    snapshot = snapshot_create_synthetic(cutoff=cutoff, people=people)
    settings.PIAK_DEMO = False
    return snapshot


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "berkas.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def attachment(naskah: Naskah, suffix: str) -> bytes:
    with naskah.lampiran.get(aktif=True, nama__endswith=suffix).berkas.open("rb") as handle:
        return handle.read()


def test_by_default_the_newest_real_snapshot_at_the_requested_date_never_a_synthetic_one(office, settings):
    older = real_snapshot(200)
    newest = real_snapshot(210)
    real_snapshot(220, cutoff=date(2025, 12, 31))  # another date: does not fit
    synthetic_snapshot(settings)  # made last, so the newest of all
    case = sop_steps.case_start_for_request(permintaan=request_for(office["kasi_ppd"]), user=office["kasi_ppd"])
    assert case.naskah.snapshot_sha256 == newest.sha256 != older.sha256
    assert case.naskah.snapshot_ref == f"SNAPSHOT-{newest.pk}"


def test_the_chosen_snapshot_is_cited(office):
    older = real_snapshot(200)
    real_snapshot(210)
    case = sop_steps.case_start_for_request(
        permintaan=request_for(office["kasi_ppd"]), user=office["kasi_ppd"], snapshot=older
    )
    assert (case.naskah.snapshot_sha256, case.naskah.snapshot_baris) == (older.sha256, 200)


@pytest.mark.parametrize(
    ("which", "code"),
    [("synthetic", "sop_snapshot_synthetic"), ("other_date", "sop_snapshot_wrong_date"), ("both", "")],
)
def test_a_chosen_snapshot_that_does_not_fit_is_refused_and_nothing_is_made(office, settings, which, code):
    chosen = {
        "synthetic": lambda: synthetic_snapshot(settings),
        "other_date": lambda: real_snapshot(220, cutoff=date(2025, 12, 31)),
        "both": lambda: real_snapshot(200),
    }[which]()
    with pytest.raises(DomainError) as refused:
        sop_steps.case_start_for_request(
            permintaan=request_for(office["kasi_ppd"]),
            user=office["kasi_ppd"],
            snapshot=chosen,
            new_snapshot=which == "both",
        )
    assert refused.value.code == (code or "sop_snapshot_ambiguous")
    assert "sintetis" in refused.value.message or which != "synthetic"
    assert not Case.objects.exists() and not Naskah.objects.exists()


def test_a_new_snapshot_is_frozen_from_the_register_on_request_and_when_none_fits(office, tmp_path):
    from piak.penduduk.generator import city_write
    from piak.penduduk.services import penduduk_import

    export = tmp_path / "siak.csv"
    city_write(export, people=150, seed=5)
    assert penduduk_import(path=export).rejected == 0
    cutoff = date(2026, 11, 24)
    kasi = office["kasi_ppd"]
    first = sop_steps.case_start_for_request(permintaan=request_for(kasi, cutoff=cutoff), user=kasi)
    frozen = Snapshot.objects.get()  # none fitted: frozen from the register
    assert (frozen.tanggal_potong, frozen.sumber["asal"], frozen.sintetis) == (cutoff, "register", False)
    assert first.naskah.snapshot_sha256 == frozen.sha256
    again = request_for(kasi, cutoff=cutoff, instansi="Bappeda Kota Palembang")
    sop_steps.case_start_for_request(permintaan=again, user=kasi, new_snapshot=True)
    assert Snapshot.objects.filter(tanggal_potong=cutoff).count() == 2


def test_pressing_start_twice_gives_one_case_and_one_draft(office):
    real_snapshot(200)
    permintaan = request_for(office["kasi_ppd"])
    first = sop_steps.case_start_for_request(permintaan=permintaan, user=office["kasi_ppd"])
    second = sop_steps.case_start_for_request(permintaan=permintaan, user=office["kasi_ppd"])
    assert first.pk == second.pk
    assert Case.objects.count() == 1 and Naskah.objects.filter(permintaan=permintaan).count() == 1


def test_a_request_whose_case_was_cancelled_may_start_again(office):
    real_snapshot(200)
    permintaan = request_for(office["kasi_ppd"])
    first = sop_steps.case_start_for_request(permintaan=permintaan, user=office["kasi_ppd"])
    services.case_cancel(case=first, user=office["kabid_piak"], reason="salah tanggal data")
    second = sop_steps.case_start_for_request(permintaan=permintaan, user=office["kasi_ppd"])
    assert second.pk != first.pk and second.status == Case.Status.BERJALAN


def test_only_the_performer_of_step_1_starts_even_when_a_case_runs(office):
    real_snapshot(200)
    permintaan = request_for(office["kasi_ppd"])
    sop_steps.case_start_for_request(permintaan=permintaan, user=office["kasi_ppd"])
    with pytest.raises(DomainError) as refused:
        sop_steps.case_start_for_request(permintaan=permintaan, user=office["sekretaris"])
    assert refused.value.code == "sop_not_performer"


def test_the_report_and_the_letter_carry_exactly_the_three_requested_tables(office, tmp_path):
    """Acceptance (issue 17, item 8): a request for T2, T6 and T7."""
    real_snapshot(300)
    permintaan = request_for(office["kasi_ppd"], tables=["T7", "T2", "T6"])
    naskah = sop_steps.case_start_for_request(permintaan=permintaan, user=office["kasi_ppd"]).naskah

    book = openpyxl.load_workbook(io.BytesIO(attachment(naskah, ".xlsx")))
    assert book.sheetnames == ["2 Umur", "6 Peristiwa", "7 Dokumen"]
    assert [book[name]["A1"].value.split(".")[0] for name in book.sheetnames] == ["Tabel 2", "Tabel 6", "Tabel 7"]

    report = " ".join(pdf_text(attachment(naskah, ".pdf"), tmp_path).split())
    assert "Tabel 2. Penduduk Kota Palembang menurut kelompok umur" in report
    assert "Tabel 6. Peristiwa vital" in report
    assert "Tabel 7. Cakupan dokumen kependudukan" in report
    for absent in ("Tabel 1.", "Tabel 3.", "Tabel 4.", "Tabel 5", "menurut agama", "disabilitas dan", "Lampiran."):
        assert absent not in report, absent
    assert "Memuat tabel yang diminta: T2, T6, T7." in report

    with naskah.versi_terakhir.berkas.open("rb") as handle:
        letter = " ".join(pdf_text(handle.read(), tmp_path).split())
    assert "T2: " in letter and "T6: " in letter and "T7: " in letter
    assert "T1: " not in letter and "T5: " not in letter
    assert "tabel T2, T6, T7" in letter  # the attachment list names the same tables


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_presses_at_the_same_moment_make_one_case(office):
    real_snapshot(200)
    permintaan = request_for(office["kasi_ppd"])
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def start():
        try:
            barrier.wait()
            outcomes.append(sop_steps.case_start_for_request(permintaan=permintaan, user=office["kasi_ppd"]).pk)
        except DomainError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    case = Case.objects.get()
    assert outcomes == [case.pk, case.pk]
    assert Naskah.objects.filter(permintaan=permintaan).count() == 1


# --- the data-request page ---------------------------------------------------------------------------


def test_the_request_page_offers_the_real_snapshots_newest_preselected_and_a_new_freeze(client, office, settings):
    older, newest = real_snapshot(200), real_snapshot(210)
    synthetic = synthetic_snapshot(settings)
    permintaan = request_for(office["kasi_ppd"])
    client.force_login(office["kasi_ppd"])
    page = client.get(reverse("naskah:permintaan_detail", args=[permintaan.pk])).content.decode()
    assert f'value="{newest.pk}"' in page and f'value="{older.pk}"' in page
    assert f'value="{synthetic.pk}"' not in page
    radio = page[page.index(f'value="{newest.pk}"') :]
    assert "checked" in radio[: radio.index(">")]
    assert "Bekukan snapshot baru dari register" in page


def test_pressing_start_again_on_the_page_opens_the_running_case(client, office):
    chosen = real_snapshot(200)
    permintaan = request_for(office["kasi_ppd"])
    client.force_login(office["kasi_ppd"])
    url = reverse("naskah:start_request", args=[permintaan.pk])
    first = client.post(url, {"snapshot": str(chosen.pk)})
    case = Case.objects.get()
    assert first.status_code == 302 and first["Location"] == reverse("sop:case", args=[case.pk])
    second = client.post(url, {"snapshot": str(chosen.pk)}, follow=True)
    assert second.redirect_chain[-1][0] == reverse("sop:case", args=[case.pk])
    assert "Berkas SOP 1 untuk permintaan ini sudah berjalan." in second.content.decode()
    assert Case.objects.count() == 1 and Naskah.objects.count() == 1


def test_a_synthetic_snapshot_posted_to_the_start_form_is_refused(client, office, settings):
    synthetic = synthetic_snapshot(settings)
    permintaan = request_for(office["kasi_ppd"])
    client.force_login(office["kasi_ppd"])
    response = client.post(
        reverse("naskah:start_request", args=[permintaan.pk]), {"snapshot": str(synthetic.pk)}, follow=True
    )
    assert "tidak sesuai dengan permintaan ini" in response.content.decode()
    assert not Case.objects.exists() and not Naskah.objects.exists()


def test_someone_who_may_not_start_sop1_is_refused_on_the_page(client, office):
    chosen = real_snapshot(200)
    permintaan = request_for(office["kasi_ppd"])
    client.force_login(office["staf"])
    response = client.post(reverse("naskah:start_request", args=[permintaan.pk]), {"snapshot": str(chosen.pk)})
    assert response.status_code in (302, 403)
    assert not Case.objects.exists() and not Naskah.objects.exists()


def test_on_a_demo_instance_the_register_snapshot_is_cited_and_its_report_stamped(office, settings, tmp_path):
    """`make run`: the register holds the generated demo city; its snapshots are not `sintetis`, so demo
    letters are drafted, but the report they carry says it is not official data."""
    settings.PIAK_DEMO = True
    real_snapshot(200)
    naskah = sop_steps.case_start_for_request(
        permintaan=request_for(office["kasi_ppd"]), user=office["kasi_ppd"]
    ).naskah
    report = pdf_text(attachment(naskah, ".pdf"), tmp_path)
    assert report.count("DATA SINTETIS — BUKAN DATA RESMI") >= report.count("\f")
    book = openpyxl.load_workbook(io.BytesIO(attachment(naskah, ".xlsx")))
    assert all(book[name]["A1"].value == "DATA SINTETIS — BUKAN DATA RESMI" for name in book.sheetnames)
