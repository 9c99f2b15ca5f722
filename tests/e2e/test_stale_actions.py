"""Every action is bound to what its author saw. One official has the case open in two tabs (two browser
sessions here): the action done in the first tab, the old form submitted in the second is refused with a
message saying who did what when, and nothing changes. A double click on a submit button records one action."""

import re

import pytest
from playwright.sync_api import expect

from piak.core.models import User
from piak.sop import services
from piak.sop.models import Case, SopVersion, StepRun

from .conftest import log_in

pytestmark = pytest.mark.e2e
WORK_PLAN = {"judul": "Pemeliharaan server", "kegiatan": ["Pencadangan", "Pembaruan"], "dasar_hukum": "Perpres 96/2018"}


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _work_plan_case(kode: str = "sop-2") -> Case:
    versi = SopVersion.objects.filter(kode=kode).latest("nomor_versi")
    return services.case_start(versi=versi, user=_user("operator"), judul="Uji dua tab", rencana_kerja=WORK_PLAN)


def _open(case: Case):
    return case.step_runs.get(selesai_pada__isnull=True)


def _complete_step_one(case: Case) -> None:
    run = _open(case)
    step = case.versi.definition.step(run.langkah)
    services.step_complete(step_run=run, user=_user("operator"), checklist=list(step.checklist))


def _paraf(case: Case, username: str) -> None:
    services.step_paraf(step_run=_open(case), user=_user(username), document_hash=case.documents.last().sha256)


def _state(case: Case):
    return (
        list(StepRun.objects.filter(case=case).order_by("id").values_list("id", "selesai_pada", "hasil", "pelaku")),
        Case.objects.get(pk=case.pk).status,
        case.documents.count(),
    )


def _two_tabs(new_page, base: str, username: str, case: Case, label: str):
    tabs = _tabs_at(new_page, base, username, f"{base}/berkas/{case.pk}/", label)
    for tab in tabs:
        expect(tab.get_by_role("heading", name=case.judul)).to_be_visible()
    return tabs


def _tabs_at(new_page, base: str, username: str, url: str, label: str):
    """Two tabs of one official on the same page (two browser sessions, photographed separately)."""
    tabs = []
    for n in (1, 2):
        tab = new_page(name=f"{label}-tab{n}")
        log_in(tab, base, username)
        tab.goto(url)
        tabs.append(tab)
    return tabs


def _fill(tab, action: str) -> None:
    """Fill what the action's form asks for, the same way in both tabs."""
    form = tab.locator(f"#aksi-{action}")
    if action == "selesai":
        for box in form.get_by_role("checkbox").all():
            box.check()
    elif action == "kembalikan":
        form.get_by_label("Alasan pengembalian").fill("Kegiatan belum lengkap")
    elif action == "disposisi":
        form.get_by_label("Kepada").select_option(index=1)
        form.get_by_label("Isi disposisi").fill("Siapkan data")
    elif action == "batal":
        tab.get_by_label("Alasan pembatalan").fill("Kegiatan ditunda")


BUTTONS = {
    "selesai": "Selesai",
    "paraf": "Paraf",
    "kembalikan": "Kembalikan",
    "disposisi": "Kirim disposisi",
    "batal": "Batalkan",
}


def _form(tab, action: str):
    return tab.locator("form", has=tab.get_by_role("button", name=BUTTONS[action], exact=True))


def _stale_replay(new_page, live_server, case: Case, username: str, action: str, refusal: re.Pattern) -> None:
    first, second = _two_tabs(new_page, live_server.url, username, case, action)
    for tab in (first, second):
        _fill(tab, action)
    _form(first, action).get_by_role("button", name=BUTTONS[action], exact=True).click()
    expect(first.locator(".alert-success")).to_be_visible()
    first.camera.take(f"{action}-tercatat")
    after_first = _state(case)
    _form(second, action).get_by_role("button", name=BUTTONS[action], exact=True).click()
    expect(second.locator(".alert-danger")).to_contain_text(refusal)
    second.camera.take(f"{action}-ditolak")
    assert _state(case) == after_first, f"{action}: the stale form changed the case"


STALE = re.compile(r"sudah .* oleh .* pada \d\d-\d\d-\d{4} \d\d:\d\d.*(tidak dicatat|muat ulang)", re.IGNORECASE)


CANCELLED = re.compile(r"Berkas ini sudah dibatalkan oleh .* pada \d\d-\d\d-\d{4} \d\d:\d\d")


def test_every_stale_action_is_refused_and_changes_nothing(new_page, live_server, demo, files):
    case = _work_plan_case()
    _stale_replay(new_page, live_server, case, "operator", "selesai", STALE)
    _stale_replay(new_page, live_server, case, "kasi.siak", "paraf", STALE)
    _paraf(case, "kabid")
    _stale_replay(new_page, live_server, case, "kadis", "disposisi", STALE)
    other = _work_plan_case("sop-3")
    _complete_step_one(other)
    _stale_replay(new_page, live_server, other, "kasi.tik", "kembalikan", STALE)
    _stale_replay(new_page, live_server, other, "kabid", "batal", CANCELLED)


def test_a_form_left_open_while_the_case_moved_on_cannot_cancel_it(new_page, live_server, demo, files):
    case = _work_plan_case()
    tab = new_page(name="kabid")
    log_in(tab, live_server.url, "kabid")
    tab.goto(f"{live_server.url}/berkas/{case.pk}/")
    _complete_step_one(case)  # meanwhile the operator finishes step 1
    before = _state(case)
    _fill(tab, "batal")
    tab.get_by_role("button", name="Batalkan", exact=True).click()
    expect(tab.locator(".alert-danger")).to_contain_text(re.compile("Langkah 1 .* sudah diselesaikan oleh"))
    tab.camera.take("batal-usang-ditolak")
    assert _state(case) == before


def test_a_double_click_records_one_action(new_page, live_server, demo, files):
    case = _work_plan_case()
    steps = [("operator", "selesai"), ("kasi.siak", "paraf"), ("kabid", "paraf"), ("kadis", "disposisi")]
    for number, (username, action) in enumerate(steps, 1):
        tab = new_page(name=f"{number}-{username}")
        log_in(tab, live_server.url, username)
        tab.goto(f"{live_server.url}/berkas/{case.pk}/")
        _fill(tab, action)
        _form(tab, action).get_by_role("button", name=BUTTONS[action], exact=True).dblclick()
        expect(tab.locator(".alert-success")).to_be_visible()
        tab.camera.take(f"{action}-klik-ganda")
        expect(tab.locator(".alert-danger")).to_have_count(0)
        assert StepRun.objects.filter(case=case, selesai_pada__isnull=False).count() == number
        assert StepRun.objects.filter(case=case).count() == number + 1


def _letter_case_at_signature() -> Case:
    """An SOP 1 case from a data request, initialled up to the Kepala Dinas's signature (step 5)."""
    from piak.naskah.tests.helpers import passphrase_for
    from tests.sops.drive import start_letter_case

    case = start_letter_case(_user("kasi.ppd"))
    _complete_step_one_as(case, "kasi.ppd")
    for username in ("kabid", "kabid", "sekretaris"):
        _paraf(case, username)
    passphrase_for(_user("kadis"))
    assert _open(case).langkah == 5
    return case


def _complete_step_one_as(case: Case, username: str) -> None:
    run = _open(case)
    step = case.versi.definition.step(run.langkah)
    services.step_complete(step_run=run, user=_user(username), checklist=list(step.checklist))


def test_a_stale_signature_and_stale_letter_actions_are_refused(new_page, live_server, demo, files):
    from piak.naskah.models import Naskah, Pengiriman
    from piak.naskah.tests.helpers import TEST_PASSPHRASE

    case = _letter_case_at_signature()
    first, second = _two_tabs(new_page, live_server.url, "kadis", case, "tanda-tangan")
    for tab in (first, second):
        tab.get_by_label("Passphrase penandatanganan").fill(TEST_PASSPHRASE)
    first.locator("#aksi-tanda_tangan").get_by_role("button", name="Tandatangani").click()
    expect(first.locator(".alert-success")).to_be_visible()
    first.camera.take("ditandatangani")
    after = _state(case)
    second.locator("#aksi-tanda_tangan").get_by_role("button", name="Tandatangani").click()
    expect(second.locator(".alert-danger")).to_contain_text(STALE)
    second.camera.take("tanda-tangan-usang-ditolak")
    assert _state(case) == after
    naskah = Naskah.objects.get(case=case)
    assert naskah.status == "ditandatangani" and naskah.nomor

    # The letter page: a download link made in one tab, the old form pressed again in the other.
    letter = f"{live_server.url}/naskah/{naskah.pk}/"
    tabs = _tabs_at(new_page, live_server.url, "kasi.ppd", letter, "surat")
    tabs[0].get_by_role("button", name="Buat tautan unduh").click()
    expect(tabs[0].locator(".alert-success")).to_be_visible()
    tabs[0].camera.take("tautan-dibuat")
    tabs[1].get_by_role("button", name="Buat tautan unduh").click()
    expect(tabs[1].locator(".alert-danger").first).to_contain_text(re.compile("oleh .* pada"))
    tabs[1].camera.take("tautan-usang-ditolak")
    assert Pengiriman.objects.filter(naskah=naskah).count() == 1

    # Withdrawal by the Kepala Dinas in two tabs: recorded once.
    withdraw = _tabs_at(new_page, live_server.url, "kadis", letter, "cabut")
    for tab in withdraw:
        tab.locator("#judul-cabut").locator("..").get_by_role("textbox").first.fill("Angka kecamatan keliru")
    withdraw[0].get_by_role("button", name="Cabut surat").click()
    expect(withdraw[0].locator(".alert-success")).to_be_visible()
    withdraw[0].camera.take("dicabut")
    withdraw[1].get_by_role("button", name="Cabut surat").click()
    expect(withdraw[1].get_by_role("alert").first).to_contain_text(re.compile("sudah dicabut oleh .* pada"))
    withdraw[1].camera.take("cabut-usang-ditolak")
    naskah.refresh_from_db()
    assert naskah.status == "dicabut" and naskah.nomor
