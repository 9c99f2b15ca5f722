"""Withdrawal (pencabutan) of a signed letter and void of a draft whose case was cancelled."""

from datetime import date

import pytest

from piak.core import roles
from piak.core.errors import DomainError, PermissionDeniedError, ValidationFailed
from piak.core.models import AuditEvent, Capacity
from piak.naskah import selectors, services
from piak.naskah.models import ArsipBerkas, Naskah

from .helpers import passphrase_for, pdf_text, version_bytes

pytestmark = pytest.mark.django_db
REASON = "Data yang dilampirkan keliru; diganti dengan surat baru."


@pytest.fixture
def sent(signed, officials):
    services.naskah_send_link(naskah=signed, by=officials["kasi"])
    signed.refresh_from_db()
    return signed


def test_withdrawn_letter_is_dicabut_everywhere_keeps_its_number_and_cannot_be_sent(sent, officials, client):
    """Acceptance: verification page DICABUT with date and reason, sending refused, number kept."""
    nomor = sent.nomor
    services.naskah_withdraw(naskah=sent, by=officials["kadis"], alasan=REASON)
    sent.refresh_from_db()
    assert sent.status == Naskah.Status.DICABUT and sent.nomor == nomor
    assert sent.dicabut_oleh == officials["kadis"] and sent.dicabut_kedudukan == "definitif"
    page = client.get(f"/verifikasi/{sent.token_verifikasi}/").text
    assert "DICABUT" in page and REASON in page
    assert services.tanggal_indonesia(date.today()) in page
    assert nomor in page and "Dr. H. Bambang Irawan, M.Si." in page
    for send in (
        lambda: services.naskah_send_link(naskah=sent, by=officials["kasi"]),
        lambda: services.naskah_send_email(naskah=sent, by=officials["kasi"], kepada="bps1671@bps.go.id"),
    ):
        with pytest.raises(DomainError) as error:
            send()
        assert error.value.code == "naskah_withdrawn" and "telah dicabut" in error.value.message
    assert sent.pengiriman.count() == 1
    assert nomor in [n.nomor for n in selectors.sent_letters()]
    assert [u.nomor for u in selectors.number_ledger(sent.tahun)] == [nomor]
    [event] = AuditEvent.objects.filter(action="naskah.dicabut")
    assert event.payload["alasan"] == REASON and event.payload["status_sebelumnya"] == "dikirim"


def test_download_link_of_a_withdrawn_letter_stops(sent, officials, client):
    token = selectors.delivery_token(sent.pengiriman.get())
    assert client.get(f"/unduh/{token}/berkas/0/").status_code == 200
    services.naskah_withdraw(naskah=sent, by=officials["kadis"], alasan=REASON)
    assert client.get(f"/unduh/{token}/berkas/0/").status_code == 404
    assert "DICABUT" in client.get(f"/unduh/{token}/").text


@pytest.mark.parametrize("who", ["kasi", "kabid", "sekretaris", "admin"])
def test_only_the_kepala_dinas_withdraws(signed, officials, who):
    with pytest.raises(PermissionDeniedError) as error:
        services.naskah_withdraw(naskah=signed, by=officials[who], alasan=REASON)
    assert error.value.code == "naskah_withdraw_not_kepala_dinas"
    signed.refresh_from_db()
    assert signed.status == Naskah.Status.DITANDATANGANI


def test_acting_kepala_dinas_withdraws_in_their_capacity(signed, make_official):
    plt = make_official(
        "plt-kadis", roles.KEPALA_DINAS, capacity=Capacity.PLT, mulai=date.today(), selesai=date.today()
    )
    services.naskah_withdraw(naskah=signed, by=plt, alasan=REASON)
    signed.refresh_from_db()
    assert signed.dicabut_kedudukan == "plt"
    assert AuditEvent.objects.get(action="naskah.dicabut").acting_as == "plt"


def test_former_kepala_dinas_cannot_withdraw(signed, make_official):
    former = make_official("mantan", roles.KEPALA_DINAS, mulai=date(2020, 1, 1), selesai=date(2021, 1, 1))
    with pytest.raises(PermissionDeniedError):
        services.naskah_withdraw(naskah=signed, by=former, alasan=REASON)


def test_withdrawal_needs_a_signed_letter_a_reason_and_happens_once(signed, officials):
    kadis = officials["kadis"]
    with pytest.raises(DomainError) as error:
        services.naskah_withdraw(naskah=_new_draft(signed), by=kadis, alasan=REASON)
    assert error.value.code == "naskah_not_signed"
    with pytest.raises(ValidationFailed) as error:
        services.naskah_withdraw(naskah=signed, by=kadis, alasan="  ")
    assert error.value.code == "naskah_withdraw_reason_required"
    services.naskah_withdraw(naskah=signed, by=kadis, alasan=REASON)
    with pytest.raises(DomainError) as error:
        services.naskah_withdraw(naskah=signed, by=kadis, alasan="lagi")
    assert error.value.code == "naskah_already_withdrawn"
    assert "Surat ini sudah dicabut oleh Dr. H. Bambang Irawan, M.Si. pada " in error.value.message
    signed.refresh_from_db()
    assert signed.alasan_cabut == REASON


def _new_draft(like: Naskah) -> Naskah:
    from .conftest import SNAPSHOT

    return services.naskah_draft(permintaan=like.permintaan, by=like.penyusun, snapshot=SNAPSHOT)


def test_withdrawal_after_archive_adds_a_withdrawal_sheet_and_keeps_the_archive(sent, officials, tmp_path):
    arsip = services.naskah_archive(naskah=sent, by=officials["kasi"])
    before = {b.nama: b.sha256 for b in arsip.berkas.all()}
    services.naskah_withdraw(naskah=sent, by=officials["kadis"], alasan=REASON)
    after = {b.nama: b.sha256 for b in arsip.berkas.all()}
    assert {k: after[k] for k in before} == before  # stored files are never rewritten
    assert set(after) - set(before) == {"jejak-audit-pencabutan.json", "lembar-arsip-pencabutan.pdf"}
    sheet = arsip.berkas.get(peran=ArsipBerkas.Peran.LEMBAR_ARSIP, nama="lembar-arsip-pencabutan.pdf")
    text = pdf_text(version_bytes(sheet), tmp_path)
    assert "DICABUT" in text and REASON in text and "Pencabutan naskah yang sudah ditandatangani" in text
    sent.refresh_from_db()
    assert sent.status == Naskah.Status.DICABUT and sent.arsip == arsip


def test_draft_void_closes_the_draft(draft, officials):
    services.naskah_draft_void(naskah=draft, by=officials["kabid"], alasan="Berkas dibatalkan")
    draft.refresh_from_db()
    assert draft.status == Naskah.Status.DIBATALKAN and draft.dibatalkan_oleh == officials["kabid"]
    with pytest.raises(DomainError) as error:
        services.naskah_revise(naskah=draft, by=officials["kasi"], perihal="Lain")
    assert error.value.code == "naskah_not_draft" and "dibatalkan oleh Drs. Ahmad Fauzi" in error.value.message
    with pytest.raises(DomainError) as error:
        services.naskah_sign(naskah=draft, by=officials["kadis"], passphrase=passphrase_for(officials["kadis"]))
    assert error.value.code == "naskah_not_draft"
    with pytest.raises(DomainError) as error:
        services.naskah_send_link(naskah=draft, by=officials["kasi"])
    assert error.value.code == "naskah_not_signed"
    with pytest.raises(DomainError) as error:
        services.naskah_draft_void(naskah=draft, by=officials["kabid"], alasan="lagi")
    assert error.value.code == "naskah_already_void"
    assert draft.nomor == "" and draft not in selectors.sent_letters()
    assert AuditEvent.objects.filter(action="naskah.dibatalkan").count() == 1


def test_a_signed_letter_is_not_voided_but_needs_withdrawal(signed, officials):
    with pytest.raises(DomainError) as error:
        services.naskah_draft_void(naskah=signed, by=officials["kabid"], alasan="Berkas dibatalkan")
    assert error.value.code == "naskah_signed_needs_withdrawal"
    signed.refresh_from_db()
    assert signed.status == Naskah.Status.DITANDATANGANI


@pytest.mark.parametrize("who", ["kasi", "staf", "admin"])
def test_only_kabid_and_above_void_a_draft(draft, officials, who):
    with pytest.raises(PermissionDeniedError):
        services.naskah_draft_void(naskah=draft, by=officials[who], alasan="Berkas dibatalkan")
    draft.refresh_from_db()
    assert draft.status == Naskah.Status.DRAF


def test_draft_void_needs_a_reason(draft, officials):
    with pytest.raises(ValidationFailed) as error:
        services.naskah_draft_void(naskah=draft, by=officials["sekretaris"], alasan="")
    assert error.value.code == "naskah_void_reason_required"


def test_letter_page_offers_withdrawal_to_the_kepala_dinas_only(signed, officials, client):
    client.force_login(officials["kasi"])
    assert "Cabut surat" not in client.get(f"/naskah/{signed.pk}/").text
    seen = selectors.naskah_seen_seq(signed)
    client.force_login(officials["kabid"])
    assert client.post(f"/naskah/{signed.pk}/cabut/", {"alasan": REASON, "terlihat": seen}).status_code == 403
    client.force_login(officials["kadis"])
    kadis = client
    assert "Cabut surat" in kadis.get(f"/naskah/{signed.pk}/").text
    response = kadis.post(f"/naskah/{signed.pk}/cabut/", {"alasan": REASON, "terlihat": seen}, follow=True)
    assert "Surat dicabut." in response.text and "DICABUT" in response.text and REASON in response.text
    replay = kadis.post(f"/naskah/{signed.pk}/cabut/", {"alasan": "lagi", "terlihat": seen}, follow=True)
    assert "Surat ini sudah dicabut oleh Dr. H. Bambang Irawan, M.Si. pada " in replay.text
    signed.refresh_from_db()
    assert signed.alasan_cabut == REASON
