"""Acceptance (issue 10): an honest attacker in every masked role tries to rebuild NIKs and fails, logged.

The attacker knows the names of its targets (as the review's attacker did). Signed in as the Kasi
TKSDM/TIK, the Sekretaris, the Kepala Dinas or the Admin, it searches each name, reads the result row,
the resident's page and the family page, and — as the Admin — the access log, the import pages and
report, and the audit events in the Django admin. From everything shown it builds each target's set of
possible NIKs (region digits, birth date or year, sex, serial digits), then asks the search to confirm
candidates. A NIK counts as recovered when it appears anywhere in a response, when a search confirms it,
or when what is shown leaves a single candidate. None may be recovered, and every personal-data request
the attacker made must be in the access log (and the audit chain).
"""

import io
import re
from dataclasses import dataclass, field
from datetime import date
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from piak.core import roles
from piak.core.models import AuditEvent
from piak.penduduk.generator import city_write
from piak.penduduk.impor.run import import_file
from piak.penduduk.models import AksesDataPribadi, Impor, Penduduk

from .helpers import IMMEDIATE, PASSWORD, task_backends_reset

TARGETS = 12
CONFIRMATION_TRIES = 6  # per target: the most likely candidates (serial 0001, 0002, ...)
MASKED_ROLES = [roles.KASI_TKSDM_TIK, roles.SEKRETARIS, roles.KEPALA_DINAS, roles.ADMIN]
SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")
FULL_DATE = re.compile(r"(?<!\d)(\d{2})-(\d{2})-(\d{4})(?!\d)")
MASK = re.compile(r"(?<![\dx])([\dx]{16})(?![\dx])")


@dataclass
class Knowledge:
    """What the attacker has learnt about one target."""

    regions: set[str] = field(default_factory=set)  # the digits of the mask that are shown
    birth_dates: set[date] = field(default_factory=set)
    birth_years: set[int] = field(default_factory=set)
    female: bool | None = None

    def candidates(self) -> int:
        """How many NIKs fit what was shown (a shown digit fixes it, a hidden one leaves 10 choices)."""
        masks = self.regions or {"x" * 16}
        best = min(masks, key=lambda m: m.count("x"))
        if self.birth_dates:
            days = 1
        elif self.birth_years:
            days = 366
        else:
            days = 366 * 100
        date_hidden = all(ch == "x" for ch in best[6:12])
        serial_choices = 10 ** best[12:].count("x") - (1 if best[12:].count("x") == 4 else 0)
        region_choices = 10 ** best[:6].count("x")
        sex_choices = 1 if self.female is not None else 2
        if not date_hidden:
            return region_choices * serial_choices
        return region_choices * days * sex_choices * serial_choices

    def likely_niks(self) -> list[str]:
        """The attacker's best guesses, most likely first: known region and date, small serials."""
        region = next((m[:6] for m in self.regions if "x" not in m[:6]), "167101")
        born = next(iter(self.birth_dates), None) or date(min(self.birth_years or {1980}), 1, 1)
        day = born.day + (40 if self.female else 0)
        return [
            f"{region}{day:02d}{born.month:02d}{born.year % 100:02d}{s:04d}" for s in range(1, 1 + CONFIRMATION_TRIES)
        ]


def _text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


def _cells(row_html: str) -> list[str]:
    return [_text(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row_html, flags=re.S)]


class Attacker:
    def __init__(self, client, truth: dict[str, str]) -> None:
        self.client = client
        self.truth = truth  # name -> real NIK, to score the attack (never sent)
        self.seen_text: list[str] = []
        self.knowledge: dict[str, Knowledge] = {name: Knowledge() for name in truth}
        self.confirmed: set[str] = set()
        self.logged_requests = 0  # requests that show personal data or search: each must be logged

    def _get(self, url: str, *, personal: bool = True):
        response = self.client.get(url)
        self.logged_requests += personal and response.status_code == 200
        self._keep(response)
        return response

    def _keep(self, response) -> None:
        if response.get("Content-Type", "").startswith("text/html"):
            self.seen_text.append(unescape(response.content.decode()))

    def search(self, query: str):
        response = self.client.post(reverse("penduduk:cari"), {"q": query})
        self.logged_requests += 1  # refused or not, a search is an attempt
        self._keep(response)
        return response

    def learn(self, name: str, text: str) -> None:
        facts = self.knowledge[name]
        facts.regions.update(MASK.findall(text))
        for dd, mm, yyyy in FULL_DATE.findall(text):
            facts.birth_dates.add(date(int(yyyy), int(mm), int(dd)))
        if "Perempuan" in text:
            facts.female = True
        elif "Laki-laki" in text:
            facts.female = False

    def study(self, name: str) -> None:
        html = self.search(name).content.decode()
        for row in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S):
            cells = _cells(row)
            if len(cells) < 3 or cells[1] != name:
                continue
            self.learn(name, " ".join(cells))
            if cells[2].isdigit():
                self.knowledge[name].birth_years.add(int(cells[2]))
            detail = re.search(r'href="(/penduduk/\d+/)"', row)
            family = re.search(r'href="(/penduduk/keluarga/\d+/)"', row)
            if detail:
                page = _text(self._get(detail.group(1)).content.decode())
                self.learn(name, page[page.find("NIK") : page.find("Riwayat peristiwa")])
                if year := re.search(r"Tempat, t\w+ lahir\s+[^,]+,\s+(\d{4})\b", page):
                    self.knowledge[name].birth_years.add(int(year.group(1)))
            if family:
                self._get(family.group(1))

    def confirm(self, name: str) -> None:
        for guess in self.knowledge[name].likely_niks():
            response = self.search(guess)
            if response.status_code == 200 and name in _results(response.content.decode()):
                self.confirmed.add(guess)

    def read_admin_pages(self, import_job: Impor) -> None:
        self._get(reverse("penduduk:log_akses"), personal=False)
        self._get(reverse("penduduk:impor_status", args=[import_job.pk]), personal=False)
        report = self.client.get(reverse("penduduk:impor_laporan", args=[import_job.pk]))
        assert report.status_code == 200
        self.logged_requests += 1
        workbook = load_workbook(io.BytesIO(b"".join(report.streaming_content)), read_only=True)
        self.seen_text.append(
            " ".join(str(v) for s in workbook.worksheets for r in s.iter_rows(values_only=True) for v in r)
        )
        self._get("/admin/penduduk/aksesdatapribadi/", personal=False)
        self._get("/admin/core/auditevent/", personal=False)
        for event in AuditEvent.objects.filter(action__startswith="penduduk.")[:40]:
            self._get(reverse("admin:core_auditevent_change", args=[event.pk]), personal=False)

    def recovered(self) -> set[str]:
        shown = {n for text in self.seen_text for n in SIXTEEN_DIGITS.findall(text)}
        pinned = {self.truth[name] for name, facts in self.knowledge.items() if facts.candidates() <= 1}
        return (shown | self.confirmed | pinned) & set(self.truth.values())


def _results(html: str) -> str:
    return html[html.index("<tbody>") : html.index("</tbody>")] if "<tbody>" in html else ""


@pytest.fixture
def city(db, tmp_path, settings, make_official, django_capture_on_commit_callbacks):
    """150 synthetic residents, and a web import by the staff whose report quotes NIKs and dates."""
    city_write(tmp_path / "kota.csv", people=150, seed=10)
    assert import_file(tmp_path / "kota.csv").exit_code == 0
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = IMMEDIATE
    task_backends_reset()
    resident = Penduduk.objects.order_by("id").first()
    rows = (tmp_path / "kota.csv").read_text().splitlines()
    (tmp_path / "ulang.csv").write_text("\n".join([rows[0], rows[1], rows[1].replace(resident.nama, "SALAH KETIK")]))
    make_official("staf-impor", roles.STAF)
    uploader = Client()
    uploader.login(username="staf-impor", password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        uploader.post(
            reverse("penduduk:impor"),
            {
                "berkas": SimpleUploadedFile("ulang.csv", (tmp_path / "ulang.csv").read_bytes()),
                "lewati_tidak_valid": "on",
            },
        )
    yield Impor.objects.get()
    task_backends_reset()


@pytest.mark.parametrize("role", MASKED_ROLES)
def test_no_masked_role_rebuilds_a_nik_and_every_attempt_is_logged(client, city, make_official, settings, role):
    settings.PIAK_CARI_PER_MENIT = 1000  # the attack is not stopped by the rate limit, only by the masking
    targets = list(Penduduk.objects.order_by("?")[:TARGETS])
    truth = {p.nama: p.nik for p in targets if Penduduk.objects.filter(nama=p.nama).count() == 1}
    attacker_user = make_official("penyerang", role, is_staff=True, is_superuser=True)
    client.login(username="penyerang", password=PASSWORD)
    attacker = Attacker(client, truth)
    if role == roles.ADMIN:
        attacker.read_admin_pages(city)
    for name in truth:
        attacker.study(name)
        attacker.confirm(name)

    assert attacker.recovered() == set()
    assert min(facts.candidates() for facts in attacker.knowledge.values()) >= 366 * 9999
    # It did learn what a masked role may see: the region and the year of birth of every target.
    assert all(facts.regions and facts.birth_years for facts in attacker.knowledge.values())
    logged = AksesDataPribadi.objects.filter(pengguna=attacker_user)
    assert logged.count() == attacker.logged_requests
    assert logged.filter(jenis="cari", ditolak="penduduk_cari_nomor_ditolak").count() == len(truth) * CONFIRMATION_TRIES
    chained = AuditEvent.objects.filter(action="penduduk.akses_data_pribadi", actor=attacker_user)
    assert chained.count() == logged.count()
