from datetime import date

import pytest
from django.urls import reverse

from piak.core import roles
from piak.statistik.models import Snapshot

PASSWORD = "rahasia-uji-123"


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


def test_snapshot_pages_need_a_piak_role(client, make_official, hand_snapshots):
    outsider = make_official("tamu")  # no role
    client.force_login(outsider)
    assert client.get(reverse("statistik:snapshots")).status_code == 403
    snapshot = hand_snapshots["current"]
    assert client.get(reverse("statistik:snapshot", args=[snapshot.pk])).status_code == 403
    assert client.get(reverse("statistik:report_pdf", args=[snapshot.pk])).status_code == 403


def test_any_role_sees_the_list_with_metadata_and_the_detail_with_charts(login, make_official, hand_snapshots):
    client = login(make_official("staf", roles.STAF))
    page = client.get(reverse("statistik:snapshots")).content.decode()
    assert "30-06-2026" in page and hand_snapshots["current"].sha256[:12] in page
    assert "Buat snapshot baru" not in page  # staff may read, not create
    detail = client.get(reverse("statistik:snapshot", args=[hand_snapshots["current"].pk])).content.decode()
    assert "<svg" in detail and "Piramida penduduk" in detail
    assert "Rasio jenis kelamin" in detail and "100,00" in detail


def test_staff_cannot_create_a_snapshot(login, make_official, snapshot_dir, settings):
    settings.PIAK_DEMO = True
    client = login(make_official("staf", roles.STAF))
    response = client.post(reverse("statistik:snapshots"), {"tanggal_potong": "2026-06-30", "sumber": "sintetis"})
    assert response.status_code == 403
    assert not Snapshot.objects.exists()


def test_kasi_ppd_creates_a_synthetic_snapshot_on_a_demo_instance(login, make_official, snapshot_dir, settings):
    settings.PIAK_DEMO = True
    client = login(make_official("kasi", roles.KASI_PPD))
    assert 'value="sintetis"' in client.get(reverse("statistik:snapshots")).content.decode()
    response = client.post(reverse("statistik:snapshots"), {"tanggal_potong": "2026-06-30", "sumber": "sintetis"})
    snapshot = Snapshot.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("statistik:snapshot", args=[snapshot.pk])
    assert snapshot.tanggal_potong == date(2026, 6, 30) and snapshot.runs.count() == 1
    assert snapshot.sintetis


def test_the_synthetic_option_is_not_offered_nor_accepted_outside_a_demo_instance(
    login, make_official, snapshot_dir, settings
):
    settings.DEBUG = True  # a developer's DEBUG is not a demo instance
    client = login(make_official("kasi", roles.KASI_PPD))
    page = client.get(reverse("statistik:snapshots")).content.decode()
    assert "Buat snapshot baru" in page and 'value="register"' in page
    assert 'value="sintetis"' not in page and "Data sintetis" not in page
    response = client.post(reverse("statistik:snapshots"), {"tanggal_potong": "2026-06-30", "sumber": "sintetis"})
    assert response.status_code == 400
    assert "data sintetis hanya ada pada instans demo" in response.content.decode()
    assert not Snapshot.objects.exists()


def test_the_service_refuses_synthetic_data_outside_a_demo_instance(make_official, snapshot_dir):
    from piak.core.errors import DomainError
    from piak.statistik.services import snapshot_create, snapshot_create_synthetic

    kasi = make_official("kasi", roles.KASI_PPD)
    with pytest.raises(DomainError) as refused:
        snapshot_create_synthetic(cutoff=date(2026, 6, 30), people=100, by=kasi)
    assert refused.value.code == "snapshot_synthetic_not_demo"
    from piak.statistik.synthetic import synthetic_population

    with pytest.raises(DomainError, match="instans demo"):
        snapshot_create(cutoff=date(2026, 6, 30), penduduk=synthetic_population(10), sintetis=True, by=kasi)
    assert not Snapshot.objects.exists()


def test_unavailable_or_empty_registry_is_a_clear_message_not_an_error_page(login, make_official, snapshot_dir):
    client = login(make_official("kabid", roles.KABID_PIAK))
    response = client.post(reverse("statistik:snapshots"), {"tanggal_potong": "2026-06-30", "sumber": "register"})
    assert response.status_code == 400
    assert "Tidak ada penduduk untuk dibekukan" in response.content.decode()


def test_future_date_is_refused_in_the_form(login, make_official, snapshot_dir):
    client = login(make_official("admin", roles.ADMIN))
    response = client.post(reverse("statistik:snapshots"), {"tanggal_potong": "2999-01-01", "sumber": "register"})
    assert response.status_code == 400
    assert not Snapshot.objects.exists()


def test_unknown_snapshot_is_404(login, make_official, db):
    client = login(make_official("kasi", roles.KASI_PPD))
    assert client.get(reverse("statistik:snapshot", args=[999])).status_code == 404


def test_downloads(login, make_official, hand_snapshots):
    client = login(make_official("kasi", roles.KASI_PPD))
    pk = hand_snapshots["current"].pk
    pdf = client.get(reverse("statistik:report_pdf", args=[pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("statistik:report_xlsx", args=[pk]))
    assert "attachment" in xlsx["Content-Disposition"] and xlsx.content.startswith(b"PK")
