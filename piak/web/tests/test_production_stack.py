"""Smoke of the real production stack (issue 11): the launcher `make serve` runs (piak.deploy_stack) starts
gunicorn, the task worker and Caddy with its own CA on loopback ports, over a fresh database on the
PostgreSQL server of DATABASE_URL. Through HTTPS the Kepala Dinas signs a letter and the Kasi PPD emails it;
the QR code on the signed PDF (decoded with zbarimg) and both links in the email point at PIAK_PUBLIC_URL,
and the verification page opens over HTTPS with Caddy's certificate."""

import email
import email.policy
import os
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import urllib.parse
import urllib.request
from email.message import EmailMessage
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path

import psycopg
import pytest
from aiosmtpd.controller import Controller

from piak.core.demo_logins import DEMO_LOGINS
from piak.deploy_stack import PROJECT_DIR, Stack, with_user
from piak.naskah.tests.helpers import TEST_PASSPHRASE

DATABASE_URL = os.environ.get("DATABASE_URL", "")
NEEDED = ("caddy", "zbarimg", "pdftoppm")

pytestmark = [
    pytest.mark.stack,
    pytest.mark.skipif(
        not DATABASE_URL.startswith("postgres"),
        reason="the production stack runs on PostgreSQL: set DATABASE_URL=postgres://… to run this smoke",
    ),
    pytest.mark.skipif(
        not all(shutil.which(tool) for tool in NEEDED), reason=f"needs {', '.join(NEEDED)} (scripts/system-deps.sh)"
    ),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An SMTP server on loopback keeping every message the stack sends."""

    def __init__(self):
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


@pytest.fixture
def inbox():
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


@pytest.fixture
def stack_database():
    """A database of its own on DATABASE_URL's server, dropped afterwards (also after a failure)."""
    name = f"piak_stack_{secrets.token_hex(4)}"
    server = urllib.parse.urlsplit(DATABASE_URL)
    user, password = server.username or "postgres", server.password or ""
    admin_url = with_user(DATABASE_URL, user, password, database="postgres")
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield with_user(DATABASE_URL, user, password, database=name)
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def stack(tmp_path, stack_database, inbox):
    _, smtp_port = inbox
    stack = Stack(
        root=tmp_path / "serve",
        database_url=stack_database,
        https_port=free_port(),
        http_port=free_port(),
        app_port=free_port(),
        workers=2,
        # A demo instance only so the demo officials need not change their passwords at the first login.
        extra_env={"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_port), "PIAK_DEMO": "true"},
    )
    try:
        stack.prepare()
        yield stack
    finally:
        stack.stop()


def seed_letter_case(stack: Stack) -> tuple[int, int]:
    result = subprocess.run(
        [sys.executable, "-m", "piak.web.tests.stack_seed"],
        env=stack.environment(), cwd=PROJECT_DIR, capture_output=True, text=True, check=True,
    )  # fmt: skip
    case_id, naskah_id = result.stdout.split()[-2:]
    return int(case_id), int(naskah_id)


class Forms(HTMLParser):
    """The forms of a page: action and the values a browser would post (hidden and filled inputs, checked boxes)."""

    def __init__(self, html: str):
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append((attrs.get("action") or "", {}))
        elif tag in ("input", "textarea") and self.forms and attrs.get("name"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.forms[-1][1][attrs["name"]] = attrs.get("value") or ""

    def with_action(self, ending: str) -> tuple[str, dict[str, str]]:
        return next((action, fields) for action, fields in self.forms if action.endswith(ending))


class Browser:
    """An HTTPS client of the stack that trusts only Caddy's local CA, keeping cookies like a browser."""

    def __init__(self, stack: Stack):
        self.base = stack.public_url
        context = ssl.create_default_context(cafile=stack.root_certificate)
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context), urllib.request.HTTPCookieProcessor(CookieJar())
        )

    def get(self, url: str) -> str:
        with self.opener.open(urllib.parse.urljoin(self.base, url), timeout=60) as response:
            assert response.status == 200, url
            return response.read().decode()

    def post(self, url: str, fields: dict[str, str], referer: str) -> str:
        request = urllib.request.Request(
            urllib.parse.urljoin(referer, url),
            data=urllib.parse.urlencode(fields).encode(),
            headers={"Referer": referer, "Origin": self.base},
        )
        with self.opener.open(request, timeout=60) as response:
            return response.read().decode()

    def log_in(self, username: str) -> None:
        page = self.base + "/masuk/"
        _, fields = Forms(self.get(page)).forms[0]
        home = self.post(page, {**fields, "username": username, "password": DEMO_LOGINS[username]}, page)
        assert "Keluar" in home, f"{username} could not log in"


def qr_codes(pdf: bytes, folder: Path) -> list[str]:
    (folder / "surat.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "150", folder / "surat.pdf", folder / "halaman"], check=True)
    found = []
    for image in sorted(folder.glob("halaman*.png")):
        result = subprocess.run(["zbarimg", "--raw", "-q", image], capture_output=True, text=True, check=False)
        found += result.stdout.split()
    return found


def test_a_letter_signed_through_the_production_stack_points_at_the_public_address(stack, inbox, tmp_path):
    messages = inbox[0].messages
    case_id, naskah_id = seed_letter_case(stack)
    stack.start()
    stack.wait_ready()
    public = stack.public_url

    kadis = Browser(stack)
    kadis.log_in("kadis")
    case_page = f"{public}/berkas/{case_id}/"
    action, fields = Forms(kadis.get(case_page)).with_action("/tanda_tangan/")
    signed_page = kadis.post(action, {**fields, "passphrase": TEST_PASSPHRASE}, case_page)
    assert "ditandatangani" in signed_page.lower()

    kasi = Browser(stack)
    kasi.log_in("kasi.ppd")
    letter_page = f"{public}/naskah/{naskah_id}/"
    action, fields = Forms(kasi.get(letter_page)).with_action("/kirim/surel/")
    assert "Surat dikirim lewat surel." in kasi.post(action, fields, letter_page)

    (message,) = messages
    links = [line.strip() for line in message.get_body(("plain",)).get_content().splitlines() if "://" in line]
    pdf = next(part.get_content() for part in message.iter_attachments() if part.get_filename().startswith("Surat"))
    (qr,) = qr_codes(pdf, tmp_path)
    assert qr.startswith(public + "/verifikasi/")
    assert len(set(links)) == 2 and all(link.startswith(public + "/") for link in links), links
    assert qr in links
    visitor = Browser(stack)
    assert "SAH" in visitor.get(qr)
    download = next(link for link in links if link != qr)
    assert "Konfirmasi penerimaan" in visitor.get(download)
