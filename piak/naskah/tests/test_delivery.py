"""SOP 1 step 6: delivery by email through a real SMTP server, download links, acknowledgement."""

import email
import mailbox
import re
import socket
import subprocess
import sys
import time
from datetime import timedelta
from email import policy

import pytest
import time_machine
from django.utils import timezone

from piak.core.errors import DomainError, PermissionDeniedError, ValidationFailed
from piak.core.models import AuditEvent
from piak.naskah import selectors, services
from piak.naskah.models import Naskah, Pengiriman

from .helpers import version_bytes

pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"aiosmtpd stopped: {process.stderr.read().decode()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("aiosmtpd did not start listening")


@pytest.fixture
def smtp_server(tmp_path, settings):
    """A real SMTP server (aiosmtpd) in its own process on a free loopback port, storing mail in a Maildir."""
    port, maildir = _free_port(), tmp_path / "maildir"
    process = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox",
         str(maildir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        _wait_for_port(port, process)
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
            }
        }
        yield maildir
    finally:
        process.terminate()
        process.wait(timeout=10)


def _received(maildir, expected: int = 1, seconds: float = 5) -> list[email.message.EmailMessage]:
    """The messages the server stored, waiting briefly for `expected` of them (it is another process)."""
    deadline = time.monotonic() + seconds
    while len(mailbox.Maildir(maildir)) < expected and time.monotonic() < deadline:
        time.sleep(0.1)
    return [email.message_from_bytes(bytes(m), policy=policy.default) for m in mailbox.Maildir(maildir)]


def test_email_delivery_reaches_the_smtp_server_with_letter_and_attachments(signed, officials, smtp_server):
    pengiriman = services.naskah_send_email(naskah=signed, by=officials["kasi"], kepada="bps1671@bps.go.id")
    [message] = _received(smtp_server)
    assert message["To"] == "bps1671@bps.go.id"
    assert signed.nomor in message["Subject"]
    files = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    letter_name = "Surat-Pengantar-" + signed.nomor.replace("/", "-") + ".pdf"
    assert files[letter_name] == version_bytes(signed.versi.get(jenis="final"))
    for lampiran in signed.lampiran.all():
        content = files[lampiran.nama]
        assert (content.encode() if isinstance(content, str) else content) == version_bytes(lampiran)
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert f"https://piak.palembang.go.id/verifikasi/{signed.token_verifikasi}/" in body
    # The download token is signed with a timestamp, so read it back rather than recomputing it.
    tokens = set(re.findall(r"https://piak\.palembang\.go\.id/unduh/([^/\s]+)/", body))
    assert tokens
    assert {selectors.pengiriman_by_token(token) for token in tokens} == {pengiriman}
    signed.refresh_from_db()
    assert signed.status == Naskah.Status.DIKIRIM
    [event] = AuditEvent.objects.filter(action="naskah.dikirim")
    assert event.payload["kepada"] == "bps1671@bps.go.id"


def test_unreachable_smtp_server_is_a_clear_error_and_records_nothing(signed, officials, settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": _free_port(), "timeout": 5},
        }
    }
    with pytest.raises(DomainError) as error:
        services.naskah_send_email(naskah=signed, by=officials["kasi"], kepada="bps1671@bps.go.id")
    assert error.value.code == "pengiriman_surel_gagal"
    assert "Surel tidak dapat dikirim" in error.value.message
    assert not Pengiriman.objects.exists()
    signed.refresh_from_db()
    assert signed.status == Naskah.Status.DITANDATANGANI
    assert not AuditEvent.objects.filter(action="naskah.dikirim").exists()


def test_a_draft_cannot_be_sent(draft, officials):
    with pytest.raises(DomainError) as error:
        services.naskah_send_link(naskah=draft, by=officials["kasi"])
    assert error.value.code == "naskah_not_signed"


def test_bad_address_is_refused(signed, officials):
    with pytest.raises(ValidationFailed) as error:
        services.naskah_send_email(naskah=signed, by=officials["kasi"], kepada="bps di kantor")
    assert error.value.code == "naskah_bad_email"


@pytest.mark.parametrize("who", ["staf", "sekretaris", "kadis", "admin"])
def test_only_kasi_ppd_or_kabid_deliver(signed, officials, who):
    with pytest.raises(PermissionDeniedError):
        services.naskah_send_link(naskah=signed, by=officials[who])
    assert not Pengiriman.objects.exists()


def test_download_link_serves_the_signed_files_until_it_expires(signed, officials, client):
    pengiriman = services.naskah_send_link(naskah=signed, by=officials["kasi"], berlaku_hari=7)
    token = selectors.delivery_token(pengiriman)
    page = client.get(f"/unduh/{token}/")
    assert page.status_code == 200 and signed.nomor in page.text
    letter = client.get(f"/unduh/{token}/berkas/0/")
    assert b"".join(letter.streaming_content) == version_bytes(signed.versi.get(jenis="final"))
    attachment = client.get(f"/unduh/{token}/berkas/1/")
    assert b"".join(attachment.streaming_content) == version_bytes(signed.lampiran.get(urutan=1))
    assert client.get(f"/unduh/{token}/berkas/9/").status_code == 404
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert client.get(f"/unduh/{token}/berkas/0/").status_code == 404
        assert "sudah kedaluwarsa" in client.get(f"/unduh/{token}/").text


def test_a_forged_link_is_not_found(signed, officials, client):
    pengiriman = services.naskah_send_link(naskah=signed, by=officials["kasi"])
    token = selectors.delivery_token(pengiriman)
    assert client.get(f"/unduh/{token[:-2]}xx/").status_code == 404
    assert client.get("/unduh/1/berkas/0/").status_code == 404


def test_agency_acknowledges_through_the_link_once(signed, officials, client):
    pengiriman = services.naskah_send_link(naskah=signed, by=officials["kasi"])
    token = selectors.delivery_token(pengiriman)
    response = client.post(f"/unduh/{token}/terima/", {"nama_penerima": "Siti Aminah (BPS)"}, follow=True)
    assert "Penerimaan surat telah dicatat" in response.text
    pengiriman.refresh_from_db()
    assert pengiriman.diterima_oleh == "Siti Aminah (BPS)" and pengiriman.diterima_via == "tautan"
    signed.refresh_from_db()
    assert signed.status == Naskah.Status.DITERIMA
    again = client.post(f"/unduh/{token}/terima/", {"nama_penerima": "Orang lain"}, follow=True)
    assert "Penerimaan sudah dicatat" in again.text
    [event] = AuditEvent.objects.filter(action="naskah.diterima")
    assert event.actor is None and event.payload["penerima"] == "Siti Aminah (BPS)"


def test_acknowledgement_without_a_name_is_refused(signed, officials, client):
    token = selectors.delivery_token(services.naskah_send_link(naskah=signed, by=officials["kasi"]))
    response = client.post(f"/unduh/{token}/terima/", {"nama_penerima": ""}, follow=True)
    assert "Isi nama penerima" in response.text
    assert not AuditEvent.objects.filter(action="naskah.diterima").exists()


def test_officer_records_a_paper_receipt(signed, officials):
    pengiriman = services.naskah_send_link(naskah=signed, by=officials["kasi"])
    with pytest.raises(PermissionDeniedError):
        services.pengiriman_acknowledge(pengiriman=pengiriman, nama_penerima="X", by=officials["staf"])
    services.pengiriman_acknowledge(
        pengiriman=pengiriman,
        nama_penerima="Budi (Bappeda)",
        by=officials["kabid"],
        catatan="tanda terima kertas",
    )
    pengiriman.refresh_from_db()
    assert pengiriman.diterima_via == "petugas"
    [event] = AuditEvent.objects.filter(action="naskah.diterima")
    assert event.actor == officials["kabid"]
