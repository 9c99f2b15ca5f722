"""Every letter action is bound to what its author's page showed: a stale or replayed form changes nothing."""

import re

import pytest

from piak.core.errors import DomainError
from piak.naskah import selectors, services
from piak.naskah.models import Naskah

from .helpers import passphrase_for

pytestmark = pytest.mark.django_db
STALE = re.compile(r"Surat ini sudah (\w[\w ]*) oleh (.+) pada \d\d-\d\d-\d{4} \d\d:\d\d WIB\. Muat ulang halaman\.")


def _refused(call, done: str, who: str) -> None:
    with pytest.raises(DomainError) as error:
        call()
    match = STALE.fullmatch(error.value.message)
    assert match and match.groups() == (done, who), error.value.message


def test_replayed_send_link_form_makes_no_second_delivery(signed, officials):
    seen = selectors.naskah_seen_seq(signed)
    services.naskah_send_link(naskah=signed, by=officials["kasi"], expected_seq=seen)
    _refused(
        lambda: services.naskah_send_link(naskah=signed, by=officials["kasi"], expected_seq=seen),
        "dikirim",
        "Hendra Saputra, S.T.",
    )
    assert signed.pengiriman.count() == 1


def test_replayed_send_email_form_sends_nothing(signed, officials, mailoutbox):
    seen = selectors.naskah_seen_seq(signed)
    services.naskah_send_email(naskah=signed, by=officials["kabid"], kepada="bps1671@bps.go.id", expected_seq=seen)
    _refused(
        lambda: services.naskah_send_email(
            naskah=signed, by=officials["kabid"], kepada="bps1671@bps.go.id", expected_seq=seen
        ),
        "dikirim",
        "Drs. Ahmad Fauzi, M.Si.",
    )
    assert len(mailoutbox) == 1 and signed.pengiriman.count() == 1


def test_a_form_from_before_the_signature_cannot_send(draft, officials):
    seen_as_draft = selectors.naskah_seen_seq(draft)
    services.naskah_sign(naskah=draft, by=officials["kadis"], passphrase=passphrase_for(officials["kadis"]))
    _refused(
        lambda: services.naskah_send_link(naskah=draft, by=officials["kasi"], expected_seq=seen_as_draft),
        "ditandatangani",
        "Dr. H. Bambang Irawan, M.Si.",
    )


def test_stale_acknowledge_and_archive_forms_are_refused(signed, officials):
    kasi = officials["kasi"]
    pengiriman = services.naskah_send_link(naskah=signed, by=kasi)
    seen = selectors.naskah_seen_seq(signed)
    services.naskah_send_link(naskah=signed, by=officials["kabid"])  # another officer, meanwhile
    _refused(
        lambda: services.pengiriman_acknowledge(pengiriman=pengiriman, nama_penerima="A", by=kasi, expected_seq=seen),
        "dikirim",
        "Drs. Ahmad Fauzi, M.Si.",
    )
    _refused(
        lambda: services.naskah_archive(naskah=signed, by=kasi, expected_seq=seen), "dikirim", "Drs. Ahmad Fauzi, M.Si."
    )
    pengiriman.refresh_from_db()
    signed.refresh_from_db()
    assert pengiriman.diterima_pada is None and signed.status == Naskah.Status.DIKIRIM
    seen = selectors.naskah_seen_seq(signed)
    services.naskah_archive(naskah=signed, by=kasi, expected_seq=seen)
    _refused(
        lambda: services.naskah_archive(naskah=signed, by=kasi, expected_seq=seen), "diarsipkan", "Hendra Saputra, S.T."
    )


def test_stale_withdraw_form_is_refused(signed, officials):
    seen = selectors.naskah_seen_seq(signed)
    services.naskah_send_link(naskah=signed, by=officials["kasi"])
    _refused(
        lambda: services.naskah_withdraw(naskah=signed, by=officials["kadis"], alasan="x", expected_seq=seen),
        "dikirim",
        "Hendra Saputra, S.T.",
    )
    signed.refresh_from_db()
    assert signed.status == Naskah.Status.DIKIRIM


def test_revise_form_for_an_older_version_is_refused(draft, officials):
    seen = draft.versi_terakhir.sha256
    services.naskah_revise(naskah=draft, by=officials["kabid"], sifat="Segera", expected_sha256=seen)
    _refused(
        lambda: services.naskah_revise(naskah=draft, by=officials["kasi"], perihal="Lain", expected_sha256=seen),
        "direvisi",
        "Drs. Ahmad Fauzi, M.Si.",
    )
    draft.refresh_from_db()
    assert draft.versi.count() == 2 and draft.perihal != "Lain"


def test_verification_token_has_no_hyphen_and_old_tokens_still_verify(signed, client):
    assert re.fullmatch(r"[a-z0-9]{32}", signed.token_verifikasi)
    Naskah.objects.filter(pk=signed.pk).update(token_verifikasi="lama-Token_dengan-tanda-hubung")
    assert signed.nomor in client.get("/verifikasi/lama-Token_dengan-tanda-hubung/").text
