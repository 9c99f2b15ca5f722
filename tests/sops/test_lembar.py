"""The Lembar Kendali: a real PDF of a case's paper trail, for whoever may see the case."""

import copy
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from piak.core.models import Capacity
from piak.core.testing import acting_appoint_confirmed
from piak.sop import handlers, services
from piak.sop.lembar import case_hash, lembar_context, lembar_pdf
from piak.sop.models import DocumentVersion
from tests.sops.drive import current_hash, open_run, perform, start_case, walk_to, walk_to_end

RETURN_REASON = "Sasaran kegiatan impor belum disebut"
INSTRUCTION = "Siapkan data penduduk kecamatan Ilir Barat I"


def pdf_text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    result = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())  # in content order, as one line: table cells wrap


@pytest.fixture
def plt_kabid(make_official):
    """A Kasi standing in as Plt. Kabid PIAK today."""
    today = timezone.localdate()
    plt = make_official("plt_kabid", "kasi_siak", nama_cetak="Budi Santoso, S.Kom", nip="198001012005011001")
    acting_appoint_confirmed(user=plt, role="kabid_piak", capacity=Capacity.PLT, mulai=today, selesai=today)
    return plt


@pytest.fixture
def sop2_case(office, plt_kabid):
    """SOP 2 returned once by the Kabid, approved by the Plt. Kabid, disposed by the Kepala Dinas, at step 5."""
    case = walk_to(start_case("sop-2", office), 3, office)
    services.step_return(
        step_run=open_run(case), user=office["kabid_piak"], to_step=1, reason=RETURN_REASON, document_hash=None
    )
    perform(case, office)  # step 1 again
    perform(case, office)  # step 2: Kasi SIAK's paraf
    services.step_paraf(step_run=open_run(case), user=plt_kabid, document_hash=current_hash(case))
    services.step_disposisi(
        step_run=open_run(case), user=office["kepala_dinas"], instruksi=INSTRUCTION, kepada=office["staf"]
    )
    return case


def test_lembar_is_a_pdf_with_the_whole_paper_trail(sop2_case):
    text = pdf_text(lembar_pdf(sop2_case))
    assert "LEMBAR KENDALI DAN DISPOSISI" in text
    assert f"Hash berkas {sop2_case.pk}:" in text  # the case number on every page
    for step in sop2_case.versi.definition.langkah[:5]:
        assert step.aktivitas in text
    assert "(percobaan 2)" in text
    assert "Budi Santoso, S.Kom NIP. 198001012005011001 Plt. Kabid PIAK Diparaf" in text
    assert f"Alasan: {RETURN_REASON}" in text
    assert INSTRUCTION in text
    assert "Disposisi kepada Pejabat staf" in text
    assert "Mengetahui" in text
    assert case_hash(sop2_case) in text.replace(" ", "")


def test_lembar_prints_each_paraf_with_the_hash_it_is_bound_to(sop2_case):
    context = lembar_context(sop2_case)
    parafs = [row for row in context["rows"] if row.entry.run.hasil == "paraf"]
    assert parafs and all(row.entry.run.document_hash == current_hash(sop2_case) for row in parafs)
    text = pdf_text(lembar_pdf(sop2_case)).replace(" ", "")
    assert current_hash(sop2_case) in text


def test_lembar_lists_structured_activities_and_old_plain_ones(sop2_case, office):
    document = sop2_case.documents.order_by("-nomor").first()
    isi = copy.deepcopy(document.isi)
    isi["kegiatan"] = [
        {
            "uraian": "Impor ekspor SIAK Juni",
            "jenis": "lainnya",
            "sasaran": "Kec. Ilir Barat I",
            "target": 3,
            "pelaksana": "staf",
        },
        "Uji cadangan",
    ]
    DocumentVersion.objects.create(
        case=sop2_case, nomor=document.nomor + 1, isi=isi, sha256="a" * 64, dibuat_oleh=office["staf"]
    )
    activities = lembar_context(sop2_case)["activities"]
    assert [(a.uraian, a.jenis_label, a.sasaran, a.target, a.pelaksana_nama) for a in activities] == [
        ("Impor ekspor SIAK Juni", "Lainnya", "Kec. Ilir Barat I", 3, "Pejabat staf"),
        ("Uji cadangan", "Lainnya", "", None, ""),
    ]
    assert "Kec. Ilir Barat I" in pdf_text(lembar_pdf(sop2_case))


def test_case_hash_changes_with_every_step(sop2_case, office):
    before = case_hash(sop2_case)
    assert case_hash(sop2_case) == before  # deterministic
    perform(sop2_case, office)
    assert case_hash(sop2_case) != before


class PanelHandler(handlers.SopHandler):
    kode = "sop-3"

    def lembar_panels(self, *, case):
        return [handlers.Panel("uji/_panel_lembar.html", {"catatan": f"Panel uji berkas {case.pk}"})]


@pytest.fixture
def panel_handler(settings, tmp_path, monkeypatch):
    folder = tmp_path / "templates" / "uji"
    folder.mkdir(parents=True)
    (folder / "_panel_lembar.html").write_text("<h2>Catatan kerja</h2><p>{{ panel.catatan }}</p>")
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [tmp_path / "templates"]
    settings.TEMPLATES = templates
    monkeypatch.setitem(handlers._HANDLERS, "sop-3", PanelHandler())


def test_lembar_includes_the_owning_apps_panels(office, panel_handler):
    case = start_case("sop-3", office)
    text = pdf_text(lembar_pdf(case))
    assert f"Panel uji berkas {case.pk}" in text
    assert text.index("CATATAN KERJA") < text.index("Mengetahui")


def test_case_page_links_the_lembar_and_the_link_downloads_it(client, sop2_case, office):
    client.force_login(office["staf"])
    page = client.get(reverse("sop:case", args=[sop2_case.pk])).content.decode()
    url = reverse("sop:lembar", args=[sop2_case.pk])
    assert url == f"/berkas/{sop2_case.pk}/lembar.pdf" or url.endswith(f"berkas/{sop2_case.pk}/lembar.pdf")
    assert f'href="{url}"' in page and "Cetak Lembar Kendali (PDF)" in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="lembar-kendali-{sop2_case.pk}.pdf"' in response["Content-Disposition"]
    assert str(sop2_case.pk) in pdf_text(response.content)


def test_lembar_is_refused_to_who_may_not_see_the_case(client, office, make_official):
    case = start_case("sop-2", office)
    client.force_login(make_official("tanpa_peran"))
    assert client.get(reverse("sop:case", args=[case.pk])).status_code == 403
    assert client.get(reverse("sop:lembar", args=[case.pk])).status_code == 403
    client.logout()
    response = client.get(reverse("sop:lembar", args=[case.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_lembar_of_a_finished_sop1_case_shows_its_signature(office):
    case = walk_to_end(start_case("sop-1", office), office)
    text = pdf_text(lembar_pdf(case))
    assert "Ditandatangani" in text and "Selesai" in text
    assert case.documents.order_by("-nomor").first().sha256 in text.replace(" ", "")
