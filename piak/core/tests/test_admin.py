"""The Admin enters role holdings in Django's admin: Plt/Plh with their SK, never for himself, one per role per
day, with the status of each appointment in the list; every refusal is a form error in Indonesian."""

from datetime import timedelta

import pytest
from django.utils import timezone

from piak.core import roles
from piak.core.models import HoldingStatus, RoleHolding
from piak.core.services import role_acting_confirm, role_acting_reject

ADD = "/admin/core/roleholding/add/"
LIST = "/admin/core/roleholding/"


@pytest.fixture
def office(make_official):
    return {
        "admin": make_official("admin", roles.ADMIN, is_staff=True, is_superuser=True),
        "kadis": make_official("kadis", roles.KEPALA_DINAS),
        "kasi": make_official("kasi", roles.KASI_SIAK, nama_cetak="Dewi Anggraini"),
        "kasi2": make_official("kasi2", roles.KASI_PPD, nama_cetak="Hendra Saputra"),
    }


@pytest.fixture
def admin_client(client, office):
    client.force_login(office["admin"])
    return client


def _form(user, capacity="plt", **fields):
    today = timezone.localdate()
    return {
        "user": user.pk,
        "role": roles.KABID_PIAK,
        "capacity": capacity,
        "mulai": f"{today:%d-%m-%Y}",
        "selesai": f"{today + timedelta(days=14):%d-%m-%Y}",
        "nomor_sk": "800/0456/Disdukcapil/2026",
        "tanggal_sk": f"{today:%d-%m-%Y}",
        "keterangan": "Kepala Bidang cuti tahunan",
    } | fields


def test_the_admin_enters_a_plt_which_waits_for_the_kepala_dinas(admin_client, office):
    response = admin_client.post(ADD, _form(office["kasi"]), follow=True)
    assert response.status_code == 200
    holding = RoleHolding.objects.get(user=office["kasi"], role_id=roles.KABID_PIAK)
    assert (holding.status, holding.diangkat_oleh, holding.tanggal_sk) == (
        HoldingStatus.MENUNGGU,
        office["admin"],
        timezone.localdate(),
    )
    html = response.content.decode()
    assert "menunggu konfirmasi Kepala Dinas" in html
    assert "Menunggu konfirmasi" in html


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"nomor_sk": ""}, "wajib mencantumkan nomor dan tanggal SK"),
        ({"tanggal_sk": ""}, "wajib mencantumkan nomor dan tanggal SK"),
        ({"selesai": ""}, "harus mempunyai tanggal selesai"),
    ],
)
def test_a_plt_without_its_sk_or_end_is_refused_on_the_form(admin_client, office, fields, message):
    response = admin_client.post(ADD, _form(office["kasi"], **fields))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not RoleHolding.objects.filter(user=office["kasi"], role_id=roles.KABID_PIAK).exists()


def test_the_admin_cannot_appoint_himself(admin_client, office):
    response = admin_client.post(ADD, _form(office["admin"], role=roles.KEPALA_DINAS))
    assert response.status_code == 200
    assert "Anda tidak dapat mengangkat diri sendiri" in response.content.decode()
    assert not RoleHolding.objects.filter(user=office["admin"], role_id=roles.KEPALA_DINAS).exists()


def test_a_second_acting_official_on_the_same_days_is_a_form_error_naming_the_first(admin_client, office):
    admin_client.post(ADD, _form(office["kasi"]))
    response = admin_client.post(ADD, _form(office["kasi2"], capacity="plh"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "sudah ada Plt. Kepala Bidang" in html
    assert "Dewi Anggraini" in html
    assert "Hanya satu Plt/Plh untuk satu jabatan pada hari yang sama." in html
    assert not RoleHolding.objects.filter(user=office["kasi2"], role_id=roles.KABID_PIAK).exists()


def test_a_definitive_holding_needs_no_sk_and_is_in_force(admin_client, office):
    admin_client.post(ADD, _form(office["kasi2"], capacity="definitif", selesai="", nomor_sk="", tanggal_sk=""))
    holding = RoleHolding.objects.get(user=office["kasi2"], role_id=roles.KABID_PIAK)
    assert holding.status == HoldingStatus.BERLAKU


def test_the_list_shows_each_appointment_status_and_filters_by_it(admin_client, office):
    admin_client.post(ADD, _form(office["kasi"]))
    admin_client.post(ADD, _form(office["kasi2"], role=roles.KASI_SIAK, capacity="plh"))
    confirmed = RoleHolding.objects.get(user=office["kasi"], role_id=roles.KABID_PIAK)
    role_acting_confirm(holding=confirmed, by=office["kadis"])
    rejected = RoleHolding.objects.get(user=office["kasi2"], role_id=roles.KASI_SIAK)
    role_acting_reject(holding=rejected, by=office["kadis"], alasan="SK belum terbit")
    html = admin_client.get(LIST).content.decode()
    assert "Berlaku (dikonfirmasi kadis)" in html
    assert "Ditolak: SK belum terbit" in html
    rejected_only = admin_client.get(LIST, {"status": "ditolak"}).content.decode()
    assert "SK belum terbit" in rejected_only
    assert "dikonfirmasi kadis" not in rejected_only


def test_an_existing_holding_shows_who_entered_and_confirmed_it(admin_client, office):
    admin_client.post(ADD, _form(office["kasi"]))
    holding = RoleHolding.objects.get(user=office["kasi"], role_id=roles.KABID_PIAK)
    role_acting_confirm(holding=holding, by=office["kadis"])
    html = admin_client.get(f"{LIST}{holding.pk}/change/").content.decode()
    assert "Dikonfirmasi oleh" in html
    assert "Dicatat oleh" in html


@pytest.mark.parametrize("page", ["/admin/", LIST, "/admin/penduduk/aksesdatapribadi/", "/admin/core/auditevent/"])
def test_no_admin_page_is_kept_by_the_browser_or_a_proxy(admin_client, page):
    response = admin_client.get(page)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
