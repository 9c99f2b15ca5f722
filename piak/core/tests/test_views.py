"""The confirmation page of the Kepala Dinas and the Sekretaris: what waits for them, Konfirmasi and Tolak bound
to the appointment, and every refusal (wrong person, replayed form) leaving the appointment as it was."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from piak.core import roles
from piak.core.models import AuditEvent, Capacity, HoldingStatus, Role
from piak.core.permissions import acting_role_codes
from piak.core.services import role_assign

PAGE = reverse("core:acting_confirmations")


@pytest.fixture
def office(make_official):
    return {
        "admin": make_official("admin", roles.ADMIN),
        "kadis": make_official("kadis", roles.KEPALA_DINAS, nama_cetak="Dr. Bambang Irawan"),
        "sekretaris": make_official("sekretaris", roles.SEKRETARIS),
        "kasi": make_official("kasi", roles.KASI_SIAK, nama_cetak="Dewi Anggraini"),
        "staf": make_official("staf", roles.STAF),
    }


@pytest.fixture
def plt_kabid(office):
    today = timezone.localdate()
    return role_assign(
        user=office["kasi"],
        role=Role.objects.get(code=roles.KABID_PIAK),
        capacity=Capacity.PLT,
        mulai=today,
        selesai=today + timedelta(days=14),
        nomor_sk="800/0456/Disdukcapil/2026",
        tanggal_sk=today,
        keterangan="Kepala Bidang cuti tahunan",
        by=office["admin"],
    )


def _as(client, user):
    client.force_login(user)
    return client


def _confirm(client, holding):
    return client.post(reverse("core:acting_confirm", args=[holding.pk]), follow=True)


def _reject(client, holding, alasan):
    return client.post(reverse("core:acting_reject", args=[holding.pk]), {"alasan": alasan}, follow=True)


def test_the_kepala_dinas_sees_the_appointment_and_a_link_to_it(client, office, plt_kabid):
    html = _as(client, office["kadis"]).get(reverse("home")).content.decode()
    assert f'href="{PAGE}"' in html
    assert "Konfirmasi Plt/Plh (1)" in html
    page = client.get(PAGE).content.decode()
    assert "Plt. Kepala Bidang Pengelolaan Informasi Administrasi Kependudukan — Dewi Anggraini" in page
    assert "800/0456/Disdukcapil/2026" in page
    assert "Kepala Bidang cuti tahunan" in page
    assert reverse("core:acting_confirm", args=[plt_kabid.pk]) in page
    assert reverse("core:acting_reject", args=[plt_kabid.pk]) in page


def test_confirming_puts_the_plt_in_force_and_a_replay_is_refused_naming_who_when(client, office, plt_kabid):
    assert roles.KABID_PIAK not in acting_role_codes(office["kasi"])
    response = _confirm(_as(client, office["kadis"]), plt_kabid)
    assert response.status_code == 200
    assert "Dikonfirmasi: Plt. Kepala Bidang" in response.content.decode()
    plt_kabid.refresh_from_db()
    assert plt_kabid.status == HoldingStatus.BERLAKU
    assert roles.KABID_PIAK in acting_role_codes(office["kasi"])
    assert "Konfirmasi Plt/Plh" not in client.get(reverse("home")).content.decode()

    events_before = AuditEvent.objects.count()
    replay = _confirm(client, plt_kabid).content.decode()
    assert "Penunjukan ini sudah dikonfirmasi oleh Dr. Bambang Irawan pada" in replay
    assert AuditEvent.objects.count() == events_before
    assert "Yang terakhir Anda putuskan" in replay


def test_rejecting_needs_a_reason_and_the_appointment_never_takes_effect(client, office, plt_kabid):
    _as(client, office["kadis"])
    assert "Alasan penolakan wajib diisi." in _reject(client, plt_kabid, " ").content.decode()
    plt_kabid.refresh_from_db()
    assert plt_kabid.status == HoldingStatus.MENUNGGU
    assert "Ditolak: Plt. Kepala Bidang" in _reject(client, plt_kabid, "SK belum ditandatangani").content.decode()
    plt_kabid.refresh_from_db()
    assert (plt_kabid.status, plt_kabid.ditolak_oleh) == (HoldingStatus.DITOLAK, office["kadis"])
    assert roles.KABID_PIAK not in acting_role_codes(office["kasi"])
    assert "sudah ditolak oleh Dr. Bambang Irawan" in _confirm(client, plt_kabid).content.decode()


@pytest.mark.parametrize("who", ["staf", "kasi", "admin"])  # a Staf, the appointee, the Admin who entered it
def test_others_are_refused_the_page_and_both_actions(client, office, plt_kabid, who):
    _as(client, office[who])
    assert client.get(PAGE).status_code == 403
    assert client.post(reverse("core:acting_confirm", args=[plt_kabid.pk])).status_code == 403
    assert client.post(reverse("core:acting_reject", args=[plt_kabid.pk]), {"alasan": "x"}).status_code == 403
    assert f'href="{PAGE}"' not in client.get(reverse("home")).content.decode()
    plt_kabid.refresh_from_db()
    assert plt_kabid.status == HoldingStatus.MENUNGGU


def test_the_sekretaris_does_not_decide_a_kabid_substitute(client, office, plt_kabid):
    _as(client, office["sekretaris"])
    assert "Tidak ada penunjukan yang menunggu konfirmasi Anda." in client.get(PAGE).content.decode()
    html = _confirm(client, plt_kabid).content.decode()
    assert "Penunjukan ini hanya dapat dikonfirmasi oleh Kepala Dinas." in html
    plt_kabid.refresh_from_db()
    assert plt_kabid.status == HoldingStatus.MENUNGGU


def test_the_sekretaris_confirms_the_kepala_dinas_substitute_on_the_page(client, office, make_official):
    kabid = make_official("kabid", roles.KABID_PIAK)
    today = timezone.localdate()
    plh = role_assign(
        user=kabid,
        role=Role.objects.get(code=roles.KEPALA_DINAS),
        capacity=Capacity.PLH,
        mulai=today,
        selesai=today + timedelta(days=2),
        nomor_sk="800/0500/Disdukcapil/2026",
        tanggal_sk=today,
        by=office["admin"],
    )
    assert "Plh. Kepala Dinas" not in _as(client, office["kadis"]).get(PAGE).content.decode()
    assert "Konfirmasi Plt/Plh (1)" in _as(client, office["sekretaris"]).get(PAGE).content.decode()
    _confirm(client, plh)
    plh.refresh_from_db()
    assert plh.dikonfirmasi_oleh == office["sekretaris"]


def test_anonymous_goes_to_the_login_and_a_get_changes_nothing(client, office, plt_kabid):
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert _as(client, office["kadis"]).get(reverse("core:acting_confirm", args=[plt_kabid.pk])).status_code == 405
    assert client.post(reverse("core:acting_confirm", args=[99999])).status_code == 404
