"""Personal data: the masks, search by POST and by permission, rate limit, access log in the chain, no-store,
and the masked Admin (access log, import report, audit payloads)."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from piak.core import roles
from piak.core.audit import Actor
from piak.core.masking import personal_text_mask
from piak.core.models import AuditEvent
from piak.penduduk.models import AksesDataPribadi, Impor, Keluarga, Penduduk
from piak.penduduk.nik import kk_mask, nik_mask
from piak.penduduk.services import kematian_catat

from .helpers import IMMEDIATE, KK, PASSWORD, family, person, task_backends_reset, write_csv

NIK = person()["NIK"]
MASKED_ROLES = [roles.KASI_TKSDM_TIK, roles.SEKRETARIS, roles.KEPALA_DINAS, roles.ADMIN]


def test_the_mask_keeps_the_region_only():
    assert nik_mask("1671016208840002") == "167101xxxxxxxxxx"
    assert kk_mask(KK) == "167101xxxxxxxxxx"
    assert nik_mask("123") == "xxx"


def test_free_text_loses_numbers_and_dates_but_keeps_the_rest():
    text = "NIK 1671011505800001 lahir 15-05-1980 (2026-01-05T10:00:00), baris 12, 12345678901234567"
    assert personal_text_mask(text) == "NIK 167101xxxxxxxxxx lahir 1980 (2026), baris 12, 12345678901234567"


def _results(html: str) -> str:
    return html[html.index("<table") : html.index("</table>")] if "<table" in html else ""


@pytest.mark.parametrize("role", MASKED_ROLES)
@pytest.mark.parametrize("query", [NIK, KK, "1671.0115.0580.0001", "0001", "fauzi 1980"])
def test_a_masked_role_cannot_search_by_digits_and_the_attempt_is_logged(login, register, role, query):
    response = login(role).post(reverse("penduduk:cari"), {"q": query})
    html = response.content.decode()
    assert response.status_code == 403
    assert "tidak berhak mencari dengan NIK, No. KK atau potongan angkanya" in html
    assert _results(html) == "" and "AHMAD FAUZI" not in html
    entry = AksesDataPribadi.objects.get()
    assert (entry.jenis, entry.ditolak, entry.alamat_ip) == ("cari", "penduduk_cari_nomor_ditolak", "127.0.0.1")
    assert NIK not in entry.objek and KK not in entry.objek


def test_an_unmasked_role_searches_by_nik_with_a_purpose_and_it_is_logged_masked(login, register):
    response = login(roles.KASI_SIAK).post(reverse("penduduk:cari"), {"q": NIK, "tujuan": "Verifikasi surat"})
    assert response.status_code == 200 and NIK in _results(response.content.decode())
    entry = AksesDataPribadi.objects.get()
    assert (entry.objek, entry.tujuan, entry.ditolak) == ("cari: 167101xxxxxxxxxx", "Verifikasi surat", "")


def test_search_never_runs_from_the_url(login, register):
    client = login(roles.STAF)
    response = client.get(reverse("penduduk:cari"), {"q": NIK})
    assert response.status_code == 302 and response["Location"] == reverse("penduduk:cari")
    html = client.get(response["Location"]).content.decode()
    assert NIK not in html and 'method="post"' in html and "csrfmiddlewaretoken" in html
    assert not AksesDataPribadi.objects.exists()


def test_searches_are_limited_per_user_per_minute(login, register, settings, make_official, client):
    settings.PIAK_CARI_PER_MENIT = 3
    staff = login(roles.STAF)
    statuses = [staff.post(reverse("penduduk:cari"), {"q": "fauzi"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = staff.post(reverse("penduduk:cari"), {"q": "fauzi"})
    assert refused.status_code == 429 and "paling banyak 3 per menit" in refused.content.decode()
    assert AksesDataPribadi.objects.filter(ditolak="penduduk_cari_terlalu_sering").count() == 2
    client.logout()
    other = login(roles.KASI_SIAK)  # the limit is per user
    assert other.post(reverse("penduduk:cari"), {"q": "fauzi"}).status_code == 200


def test_the_event_forms_log_each_showing(login, register):
    client = login(roles.STAF)
    resident, kk = Penduduk.objects.get(nik=NIK), Keluarga.objects.get()
    for url in (
        reverse("penduduk:mati", args=[resident.pk]),
        reverse("penduduk:pindah_keluar", args=[resident.pk]),
        reverse("penduduk:lahir", args=[kk.pk]),
        reverse("penduduk:pindah_masuk"),
    ):
        response = client.get(url)
        assert response.status_code == 200 and response["Cache-Control"] == "no-store, private", url
    assert list(AksesDataPribadi.objects.order_by("id").values_list("objek", flat=True)) == [
        f"formulir catat kematian penduduk 167101xxxxxxxxxx #{resident.pk}",
        f"formulir catat pindah keluar penduduk 167101xxxxxxxxxx #{resident.pk}",
        f"formulir kelahiran keluarga 167101xxxxxxxxxx #{kk.pk}",
        "formulir pindah masuk",
    ]


def test_personal_data_pages_are_not_stored_by_browsers(login, register):
    client = login(roles.STAF)
    resident, kk = Penduduk.objects.get(nik=NIK), Keluarga.objects.get()
    for response in (
        client.get(reverse("penduduk:cari")),
        client.post(reverse("penduduk:cari"), {"q": NIK}),
        client.get(reverse("penduduk:detail", args=[resident.pk])),
        client.get(reverse("penduduk:keluarga", args=[kk.pk])),
        client.get(reverse("penduduk:kualitas")),
    ):
        assert (response["Cache-Control"], response["Pragma"]) == ("no-store, private", "no-cache")
    home = client.get(reverse("home"))
    assert "no-store" not in home.get("Cache-Control", "")


def test_every_access_log_entry_is_an_audit_event_without_a_full_number(login, register):
    client = login(roles.STAF)
    resident = Penduduk.objects.get(nik=NIK)
    client.post(reverse("penduduk:cari"), {"q": NIK, "tujuan": "cek"})
    client.get(reverse("penduduk:detail", args=[resident.pk]))
    client.get(reverse("penduduk:keluarga", args=[resident.keluarga_id]))
    entries = list(AksesDataPribadi.objects.order_by("id"))
    chained = list(AuditEvent.objects.filter(action="penduduk.akses_data_pribadi").order_by("seq"))
    assert [e.object_id for e in chained] == [str(a.pk) for a in entries] and len(entries) == 3
    assert chained[0].payload == {
        "jenis": "cari",
        "objek": "cari: 167101xxxxxxxxxx",
        "tujuan": "cek",
        "alamat_ip": "127.0.0.1",
        "ditolak": "",
    }
    assert chained[1].role == roles.STAF
    assert all(NIK not in str(e.payload) and KK not in str(e.payload) for e in chained)


def test_masked_pages_show_dates_of_a_person_as_the_year_only(login, register):
    resident = Penduduk.objects.get(nik=NIK)
    kematian_catat(penduduk=resident, tanggal=date(2026, 1, 5), tanggal_lapor=date(2026, 1, 6), actor=Actor(None))
    secretary = login(roles.SEKRETARIS)
    masked = secretary.get(reverse("penduduk:detail", args=[resident.pk])).content.decode()
    assert "15-05-1980" not in masked and "1980" in masked
    assert "05-01-2026" not in masked and "06-01-2026" not in masked
    family_page = secretary.get(reverse("penduduk:keluarga", args=[resident.keluarga_id]))
    assert "22-08-1984" not in family_page.content.decode() and "1984" in family_page.content.decode()
    full = login(roles.KABID_PIAK).get(reverse("penduduk:detail", args=[resident.pk])).content.decode()
    assert "15-05-1980" in full and "05-01-2026" in full and NIK in full


@pytest.fixture
def import_with_report(login, db, tmp_path, settings, django_capture_on_commit_callbacks):
    """A finished web import whose report quotes a duplicate NIK and a birth date that does not match."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = IMMEDIATE
    task_backends_reset()
    rows = [*family(), person(NAMA_LGKP="AHMAD DUPLIKAT"), person(NIK="1671010101900004", TGL_LHR="02-01-1990")]
    content = write_csv(tmp_path / "up.csv", rows).read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        login(roles.STAF).post(
            reverse("penduduk:impor"),
            {"berkas": SimpleUploadedFile("siak.csv", content, "text/csv"), "lewati_tidak_valid": "on"},
        )
    yield Impor.objects.get()
    task_backends_reset()


def _report_text(response) -> str:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return " ".join(str(v) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for v in row)


def test_the_import_report_is_masked_for_an_admin_and_full_for_the_staff(client, login, import_with_report):
    url = reverse("penduduk:impor_laporan", args=[import_with_report.pk])
    full = client.get(url)
    assert full["Cache-Control"] == "no-store, private"
    full_text = _report_text(full)
    assert NIK in full_text or "1671010101900004" in full_text  # the staff's own report, in full
    client.logout()
    masked = login(roles.ADMIN).get(url)
    masked_text = _report_text(masked)
    assert masked.status_code == 200 and "167101xxxxxxxxxx" in masked_text
    assert NIK not in masked_text and "1671010101900004" not in masked_text
    assert "02-01-1990" not in masked_text and "1990-01-02" not in masked_text
    assert AksesDataPribadi.objects.filter(jenis="ekspor", pengguna__username="u-admin").count() == 1


def test_the_import_status_message_is_masked_for_an_admin(login, db, make_official):
    uploader = make_official("uploader", roles.STAF)
    job = Impor.objects.create(
        berkas="x.csv",
        nama_asli="x.csv",
        status=Impor.Status.GAGAL,
        pesan=f"Baris 2: NIK {NIK} lahir 15-05-1980 tidak terbaca",
        diunggah_oleh=uploader,
    )
    html = login(roles.ADMIN).get(reverse("penduduk:impor_status", args=[job.pk])).content.decode()
    assert "Baris 2: NIK 167101xxxxxxxxxx lahir 1980" in html and NIK not in html


def test_audit_payloads_about_a_resident_are_masked_for_the_admin(client, register, make_official):
    resident = Penduduk.objects.get(nik=NIK)
    kematian_catat(penduduk=resident, tanggal=date(2026, 1, 5), tanggal_lapor=date(2026, 1, 6), actor=Actor(None))
    event = AuditEvent.objects.get(action="penduduk.peristiwa")
    make_official("adm", roles.ADMIN, is_staff=True, is_superuser=True)
    client.login(username="adm", password=PASSWORD)
    page = client.get(reverse("admin:core_auditevent_change", args=[event.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "167101xxxxxxxxxx" in html
    assert NIK not in html and "2026-01-05" not in html
