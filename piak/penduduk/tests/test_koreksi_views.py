"""The correction pages: who may use them, refusals shown on the form, the way back to a case."""

import html
from functools import cache

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from piak.core import roles
from piak.penduduk.impor.run import import_file
from piak.penduduk.models import KoreksiData, Penduduk, StatusPenduduk
from piak.web.pdf import render_pdf

from .helpers import child, family, person, write_csv

NIK = person()["NIK"]
NIK_ASLI, NIK_GANDA = child()["NIK"], "1671010303100004"
MASKED = "167101xxxxxxxxxx"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def register(db, tmp_path):
    assert import_file(write_csv(tmp_path / "k.csv", [*family(), child(NIK=NIK_GANDA)])).exit_code == 0


@cache
def _pdf() -> bytes:
    return render_pdf("print/base_a4.html", {})


def pk(nik: str) -> int:
    return Penduduk.objects.get(nik=nik).pk


def fix_name(client, query: str = "", **changes):
    data = {"nilai_baru": "AHMAD FAUZY", "alasan": "Salah ketik menurut akta kelahiran", **changes}
    if "dokumen" not in data:
        data["dokumen"] = SimpleUploadedFile("akta.pdf", _pdf(), content_type="application/pdf")
    elif data["dokumen"] is None:
        del data["dokumen"]
    url = reverse("penduduk:koreksi_ubah", args=[pk(NIK), "nama"])
    return client.post(url + query, data)


def retire(client, **changes):
    data = {
        "pengganti": pk(NIK_ASLI),
        "ganda": pk(NIK_GANDA),
        "alasan": "Dua rekaman untuk satu anak",
        "dokumen": SimpleUploadedFile("kk.png", _png(), content_type="image/png"),
        **changes,
    }
    return client.post(reverse("penduduk:tandai_ganda", args=[pk(NIK_GANDA)]), data)


@cache
def _png() -> bytes:
    import subprocess
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "d.pdf"
        pdf.write_bytes(_pdf())
        subprocess.run(["pdftoppm", "-png", "-r", "20", "-singlefile", pdf, Path(folder) / "d"], check=True)
        return (Path(folder) / "d.png").read_bytes()


@pytest.mark.parametrize(
    ("role", "status"),
    [(roles.STAF, 200), (roles.KASI_SIAK, 200), (roles.KASI_PPD, 403), (roles.ADMIN, 403), (roles.KABID_PIAK, 403)],
)
def test_only_staf_and_kasi_siak_open_the_correction_pages(login, register, role, status):
    client = login(role)
    for url in (
        reverse("penduduk:koreksi_pilih", args=[pk(NIK)]),
        reverse("penduduk:koreksi_ubah", args=[pk(NIK), "agama"]),
        reverse("penduduk:tandai_ganda", args=[pk(NIK_GANDA)]),
    ):
        assert client.get(url).status_code == status, url


@pytest.mark.parametrize("role", [roles.KASI_PPD, roles.ADMIN, roles.KEPALA_DINAS])
def test_a_role_that_may_not_correct_is_refused_on_post(login, register, role):
    client = login(role)
    assert fix_name(client).status_code == 403
    assert retire(client).status_code == 403
    assert Penduduk.objects.get(nik=NIK).nama == "AHMAD FAUZI" and not KoreksiData.objects.exists()
    assert Penduduk.objects.get(nik=NIK_GANDA).status == StatusPenduduk.HIDUP


def test_a_correction_from_the_resident_page(login, register):
    client = login(roles.STAF)
    detail = client.get(reverse("penduduk:detail", args=[pk(NIK)])).content.decode()
    assert reverse("penduduk:koreksi_pilih", args=[pk(NIK)]) in detail
    fields = client.get(reverse("penduduk:koreksi_pilih", args=[pk(NIK)])).content.decode()
    assert "ISLAM (1)" in fields and reverse("penduduk:koreksi_ubah", args=[pk(NIK), "agama"]) in fields
    response = fix_name(client)
    assert response.status_code == 302 and response["Location"] == reverse("penduduk:detail", args=[pk(NIK)])
    page = client.get(response["Location"]).content.decode()
    assert "Koreksi tersimpan: Nama lengkap AHMAD FAUZI → AHMAD FAUZY." in html.unescape(page)
    assert "Riwayat koreksi" in page and "akta.pdf" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"alasan": "  "}, "alasan", None),
        ({"dokumen": None}, "dokumen", None),
        ({"nilai_baru": "AHMAD FAUZI"}, "__all__", "Nama lengkap baru sama dengan yang tercatat"),
        ({"dokumen": SimpleUploadedFile("akta.pdf", b"MZ\x90\x00program")}, "dokumen", "Berkas 'akta.pdf' bukan PDF"),
    ],
)
def test_a_refused_correction_is_shown_on_its_form(login, register, changes, field, message):
    response = fix_name(login(roles.STAF), **changes)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors
    if message:
        assert message in html.unescape(response.content.decode())
    assert Penduduk.objects.get(nik=NIK).nama == "AHMAD FAUZI" and not KoreksiData.objects.exists()


def test_the_way_back_to_a_case_is_a_local_address_only(login, register):
    client = login(roles.STAF)
    form = client.get(reverse("penduduk:koreksi_ubah", args=[pk(NIK), "nama"]) + "?berkas=7&next=/sop/berkas/7/")
    page = form.content.decode()
    assert "Koreksi ini dikerjakan untuk berkas #7." in page and 'name="next" value="/sop/berkas/7/"' in page
    back = fix_name(client, query="?berkas=7&next=/sop/berkas/7/")
    assert back.status_code == 302 and back["Location"] == "/sop/berkas/7/"
    elsewhere = fix_name(client, nilai_baru="AHMAD FAUZAN", query="?next=https://contoh.example/curi")
    assert elsewhere["Location"] == reverse("penduduk:detail", args=[pk(NIK)])
    unsafe = client.get(reverse("penduduk:koreksi_pilih", args=[pk(NIK)]) + "?next=//contoh.example")
    assert "Kembali ke berkas" not in unsafe.content.decode()


def test_a_duplicate_found_by_data_quality_is_retired_from_its_page(login, register):
    client = login(roles.KASI_SIAK)
    quality = client.get(reverse("penduduk:kualitas")).content.decode()
    link = reverse("penduduk:tandai_ganda", args=[pk(NIK_ASLI)])
    assert "Tandai ganda" in quality and link in quality
    form = client.get(link).content.decode()
    assert form.count('name="ganda"') == 2 and NIK_GANDA in form
    response = retire(client)
    assert response.status_code == 302 and response["Location"] == reverse("penduduk:kualitas")
    after = client.get(response["Location"]).content.decode()
    assert "dinonaktifkan sebagai data ganda" in after and link not in after
    ganda = Penduduk.objects.get(nik=NIK_GANDA)
    assert ganda.status == StatusPenduduk.GANDA and KoreksiData.objects.get().dokumen_nama == "kk.png"
    detail = client.get(reverse("penduduk:detail", args=[ganda.pk])).content.decode()
    assert "Data ganda (dinonaktifkan)" in detail and "Penonaktifan data ganda" in detail
    assert reverse("penduduk:koreksi_pilih", args=[ganda.pk]) not in detail


def test_retiring_a_record_into_itself_is_shown_on_the_form(login, register):
    response = retire(login(roles.STAF), pengganti=pk(NIK_GANDA))
    assert response.status_code == 400
    assert "harus dua rekaman yang berbeda" in response.content.decode()
    assert Penduduk.objects.get(nik=NIK_GANDA).status == StatusPenduduk.HIDUP


def test_the_history_is_masked_for_the_admin_and_the_document_is_theirs_who_see_personal_data(login, register, client):
    staf = login(roles.STAF)
    retire(staf)
    fix_name(staf)
    koreksi = KoreksiData.objects.get(kolom="nama")
    download = staf.get(reverse("penduduk:koreksi_dokumen", args=[koreksi.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == _pdf()
    assert download["Content-Type"] == "application/pdf" and "attachment" in download["Content-Disposition"]
    client.logout()
    admin = login(roles.ADMIN)
    page = admin.get(reverse("penduduk:koreksi_riwayat"))
    text = page.content.decode()
    assert (
        page.status_code == 200
        and "AHMAD FAUZI" in text
        and "AHMAD FAUZY" in text
        and "Penonaktifan data ganda" in text
    )
    assert NIK not in text and NIK_GANDA not in text and MASKED in text
    assert admin.get(reverse("penduduk:koreksi_dokumen", args=[koreksi.pk])).status_code == 403
    assert login(roles.SEKRETARIS).get(reverse("penduduk:koreksi_riwayat")).status_code == 403


def test_from_a_case_the_data_quality_page_carries_the_way_back_to_the_retirement(login, register):
    client = login(roles.STAF)
    query = "?berkas=3&next=%2Fsop%2Fberkas%2F3%2F"
    quality = client.get(reverse("penduduk:kualitas") + query).content.decode()
    link = reverse("penduduk:tandai_ganda", args=[pk(NIK_ASLI)]) + query
    assert html.escape(link) in quality and "Koreksi ini dikerjakan untuk berkas #3." in quality
    data = {
        "pengganti": pk(NIK_ASLI),
        "ganda": pk(NIK_GANDA),
        "alasan": "Dua rekaman untuk satu anak",
        "dokumen": SimpleUploadedFile("kk.pdf", _pdf(), content_type="application/pdf"),
    }
    response = client.post(link, data)
    assert response.status_code == 302 and response["Location"] == "/sop/berkas/3/"
