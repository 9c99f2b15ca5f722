"""The register's pages: permissions, masking, access logging, event forms, upload and data quality."""

import html
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from piak.core import roles
from piak.penduduk.models import AksesDataPribadi, Impor, Keluarga, Penduduk
from piak.penduduk.tasks import import_dir

from .helpers import KK, PASSWORD, child, family, person, write_csv

NIK = person()["NIK"]
MASKED = "167101xxxxxxxxxx"


def _detail_url() -> str:
    return reverse("penduduk:detail", args=[Penduduk.objects.get(nik=NIK).pk])


def test_pages_need_login(client, register):
    response = client.get(reverse("penduduk:cari"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("role", "page", "status"),
    [
        (None, "penduduk:cari", 403),
        (roles.KEPALA_DINAS, "penduduk:cari", 200),
        (roles.KEPALA_DINAS, "penduduk:pindah_masuk", 403),
        (roles.KASI_PPD, "penduduk:pindah_masuk", 403),
        (roles.STAF, "penduduk:pindah_masuk", 200),
        (roles.KABID_PIAK, "penduduk:impor", 403),
        (roles.KASI_SIAK, "penduduk:impor", 200),
        (roles.ADMIN, "penduduk:impor", 200),
        (roles.SEKRETARIS, "penduduk:kualitas", 403),
        (roles.KASI_PPD, "penduduk:kualitas", 200),
        (roles.STAF, "penduduk:log_akses", 403),
        (roles.ADMIN, "penduduk:log_akses", 200),
    ],
)
def test_each_page_is_open_only_to_its_roles(login, register, role, page, status):
    assert login(role).get(reverse(page)).status_code == status


def test_event_forms_are_refused_to_roles_that_do_not_record(login, register):
    client = login(roles.KEPALA_DINAS)
    pk = Penduduk.objects.get(nik=NIK).pk
    for name, arg in [("penduduk:mati", pk), ("penduduk:pindah_keluar", pk), ("penduduk:lahir", pk)]:
        assert client.post(reverse(name, args=[arg]), {}).status_code == 403


def test_search_by_nik_name_and_kk_with_full_numbers_for_staf(login, register):
    client = login(roles.STAF)
    for query in (NIK, "fauzi", KK, "1671.0115.0580.0001"):
        html = client.post(reverse("penduduk:cari"), {"q": query}).content.decode()
        assert "AHMAD FAUZI" in html and NIK in html, query
    assert "Tidak ada penduduk yang cocok" in client.post(reverse("penduduk:cari"), {"q": "zzzz"}).content.decode()


def test_roles_without_personal_data_permission_see_masked_numbers(login, register):
    client = login(roles.KEPALA_DINAS)
    html = client.post(reverse("penduduk:cari"), {"q": "fauzi"}).content.decode()
    results = html[html.index("<table") : html.index("</table>")]
    assert MASKED in results and NIK not in results and KK not in results
    detail = client.get(_detail_url()).content.decode()
    assert MASKED in detail and NIK not in detail and KK not in detail
    family_page = client.get(reverse("penduduk:keluarga", args=[Keluarga.objects.get().pk])).content.decode()
    assert NIK not in family_page and child()["NIK"] not in family_page


def test_every_detail_view_is_logged_and_the_admin_sees_the_log(client, login, register, make_official):
    staff = login(roles.STAF)
    staff.get(_detail_url())
    staff.get(_detail_url())
    staff.get(reverse("penduduk:keluarga", args=[Keluarga.objects.get().pk]))
    log = list(AksesDataPribadi.objects.order_by("terjadi_pada").values_list("pengguna__username", "jenis", "objek"))
    resident, family_card = Penduduk.objects.get(nik=NIK), Keluarga.objects.get()
    assert log == [
        ("u-staf", "lihat", f"penduduk {MASKED} #{resident.pk}"),
        ("u-staf", "lihat", f"penduduk {MASKED} #{resident.pk}"),
        ("u-staf", "lihat", f"keluarga {KK[:6]}xxxxxxxxxx #{family_card.pk}"),
    ]
    client.logout()
    admin = login(roles.ADMIN)
    html = admin.get(reverse("penduduk:log_akses")).content.decode()
    assert html.count(f"penduduk {MASKED} #{resident.pk}") == 2 and NIK not in html and KK not in html
    make_official("adm", roles.ADMIN, is_staff=True, is_superuser=True)
    client.login(username="adm", password=PASSWORD)
    page = client.get("/admin/penduduk/aksesdatapribadi/")
    assert page.status_code == 200 and f"penduduk {MASKED}" in page.content.decode()
    assert NIK not in page.content.decode()


def test_death_form_records_and_redirects(login, register):
    client = login(roles.STAF)
    pk = Penduduk.objects.get(nik=NIK).pk
    response = client.post(
        reverse("penduduk:mati", args=[pk]), {"tanggal": "2026-01-05", "tanggal_lapor": "2026-01-06"}
    )
    assert response.status_code == 302
    assert Penduduk.objects.get(pk=pk).status == "mati"


def test_impossible_sequence_shows_the_message_not_an_error_page(login, register):
    client = login(roles.STAF)
    pk = Penduduk.objects.get(nik=NIK).pk
    data = {
        "tanggal": "2026-01-05",
        "tanggal_lapor": "2026-01-06",
        "tingkat": "3",
        "alamat_tujuan": "Jakarta",
    }
    assert client.post(reverse("penduduk:pindah_keluar", args=[pk]), data).status_code == 302
    response = client.post(
        reverse("penduduk:mati", args=[pk]), {"tanggal": "2026-02-01", "tanggal_lapor": "2026-02-01"}
    )
    assert response.status_code == 400
    assert "sudah pindah keluar pada 05-01-2026" in response.content.decode()


def test_form_with_missing_fields_is_shown_again(login, register):
    response = login(roles.STAF).post(reverse("penduduk:pindah_masuk"), {"nik": "1"})
    assert response.status_code == 400
    assert "Bidang ini tidak boleh kosong" in response.content.decode()


def test_move_in_form_creates_a_family(login, register):
    client = login(roles.KASI_SIAK)
    response = client.post(
        reverse("penduduk:pindah_masuk"),
        {
            "nik": "3171015507950001",
            "nama": "Dewi Lestari",
            "jenis_kelamin": "2",
            "tempat_lahir": "Jakarta",
            "tanggal_lahir": "1995-07-15",
            "agama": "1",
            "status_kawin": "1",
            "shdk": "1",
            "tanggal": "2026-02-20",
            "tanggal_lapor": "2026-02-21",
            "alamat_asal": "Jakarta",
            "no_kk_baru": "1671020103260001",
            "kelurahan": "16.71.02.1002",
            "rw": "1",
            "rt": "2",
            "alamat": "Jl. Veteran 5",
        },
    )
    assert response.status_code == 302
    assert Penduduk.objects.get(nik="3171015507950001").keluarga.no_kk == "1671020103260001"


def test_birth_form_offers_the_family_members_as_parents(login, register):
    client = login(roles.STAF)
    kk = Keluarga.objects.get()
    html = client.get(reverse("penduduk:lahir", args=[kk.pk])).content.decode()
    assert "SITI AMINAH" in html and "AHMAD FAUZI" in html


def test_upload_runs_the_import_and_offers_the_report(
    login, db, tmp_path, settings, immediate_tasks, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    client = login(roles.STAF)
    content = write_csv(tmp_path / "up.csv", [*family(), person(NIK="1", NO_KK="1671012003150002")]).read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("penduduk:impor"),
            {"berkas": SimpleUploadedFile("siak.csv", content, "text/csv"), "lewati_tidak_valid": "on"},
        )
    job = Impor.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("penduduk:impor_status", args=[job.pk])
    assert (job.status, job.ringkasan["inserted"], job.ringkasan["rejected"]) == ("selesai", 3, 1)
    page = client.get(response["Location"]).content.decode()
    assert "Unduh laporan" in page
    partial = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert 'id="kemajuan"' in partial and "<html" not in partial
    download = client.get(reverse("penduduk:impor_laporan", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert AksesDataPribadi.objects.filter(jenis="ekspor", pengguna__username="u-staf").count() == 1


def test_upload_with_a_bad_row_and_no_skip_writes_nothing(
    login, db, tmp_path, settings, immediate_tasks, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    content = write_csv(tmp_path / "up.csv", [*family(), person(NIK="1", NO_KK="1671012003150002")]).read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        login(roles.STAF).post(reverse("penduduk:impor"), {"berkas": SimpleUploadedFile("siak.csv", content)})
    assert Impor.objects.get().status == "ditolak" and Penduduk.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.pdf", b"%PDF-1.7\n%%EOF\n", "Berkas 'a.pdf' tidak diterima (terdeteksi: PDF). Yang diterima: CSV, XLSX."),
        ("siak.csv", b"MZ\x90\x00\x03", "Berkas 'siak.csv' bukan CSV (terdeteksi: program Windows (EXE/DLL))."),
        ("siak.csv", b"<html><script>x()</script>", "Berkas 'siak.csv' bukan CSV (terdeteksi: HTML)."),
    ],
)
def test_upload_refuses_other_file_types_by_content(login, db, tmp_path, settings, name, content, message):
    settings.MEDIA_ROOT = tmp_path / "media"
    response = login(roles.STAF).post(reverse("penduduk:impor"), {"berkas": SimpleUploadedFile(name, content)})
    assert response.status_code == 400 and message in html.unescape(response.content.decode())
    assert not Impor.objects.exists() and not any(import_dir().iterdir())


def test_upload_is_queued_for_the_worker_by_default(login, db, tmp_path, settings, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path / "media"
    from django_tasks_db.models import DBTaskResult

    content = write_csv(tmp_path / "up.csv", family()).read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        login(roles.STAF).post(reverse("penduduk:impor"), {"berkas": SimpleUploadedFile("siak.csv", content)})
    assert Impor.objects.get().status == "antre"
    assert DBTaskResult.objects.get().args_kwargs["args"] == [Impor.objects.get().pk]


def test_data_quality_page_and_command(login, register, capsys):
    html = login(roles.KASI_SIAK).get(reverse("penduduk:kualitas")).content.decode()
    assert "Jumlah penduduk per kelurahan" in html and "35 Ilir" in html
    from django.core.management import call_command

    call_command("check_data")
    out = capsys.readouterr().out
    assert "Keluarga tanpa tepat satu kepala keluarga: 0" in out
    assert "16.71.01.1001 35 Ilir: 3 (L 2, P 1, 1 KK)" in out


def test_family_without_a_head_is_listed_by_the_quality_check(register):
    from piak.core.audit import Actor
    from piak.penduduk.selectors import data_quality
    from piak.penduduk.services import kematian_catat

    kematian_catat(
        penduduk=Penduduk.objects.get(nik=NIK),
        tanggal=date(2026, 1, 1),
        tanggal_lapor=date(2026, 1, 2),
        actor=Actor(None),
    )
    assert [f["no_kk"] for f in data_quality().families_without_one_head] == [KK]


@pytest.mark.parametrize(
    ("role", "expected", "absent"),
    [
        (roles.STAF, ["Register penduduk", "Impor SIAK", "Kualitas data"], ["Log akses"]),
        (roles.KEPALA_DINAS, ["Register penduduk"], ["Impor SIAK", "Kualitas data"]),
        (roles.ADMIN, ["Register penduduk", "Impor SIAK", "Log akses"], []),
        (None, [], ["Register penduduk"]),
    ],
)
def test_menu_shows_only_the_pages_the_role_may_use(login, db, role, expected, absent):
    html = login(role).get(reverse("home")).content.decode()
    for label in expected:
        assert label in html
    for label in absent:
        assert label not in html
