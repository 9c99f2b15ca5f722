"""Step 7's work log: automatic and manual links, maintenance entries, planned vs done, frozen at completion."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from piak.core.errors import DomainError, PermissionDeniedError
from piak.penduduk.models import Impor, Penduduk
from piak.siak import services
from piak.siak.models import CatatanKerja
from piak.siak.monitoring import work_this_month
from piak.siak.selectors import planned_vs_done
from tests.sops.drive import open_run, perform, start_case, walk_to

from .helpers import births_record, import_apply

pytestmark = pytest.mark.django_db

PLAN = [
    {"uraian": "Impor ekspor SIAK", "jenis": "impor", "sasaran": "", "target": 1, "pelaksana": ""},
    {"uraian": "Entri kelahiran", "jenis": "entri_peristiwa", "sasaran": "", "target": 10, "pelaksana": ""},
    {"uraian": "Pemeliharaan server", "jenis": "pemeliharaan", "sasaran": "", "target": 2, "pelaksana": ""},
    "Rapat koordinasi",
]


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime(2026, 3, 2, 3, 0, tzinfo=UTC), tick=True):
        yield


@pytest.fixture
def case(office):
    case = start_case("sop-2", office)
    document = case.documents.get()
    document.isi = {**document.isi, "kegiatan": PLAN}
    document.save(update_fields=["isi"])
    return walk_to(case, 7, office)


def _maintenance(case, user, **changes):
    data = {
        "jenis": "pemeliharaan",
        "uraian": "Pembaruan klien SIAK",
        "perangkat": "PC loket 3",
        "hasil": "Berjalan normal",
        "menit": 45,
        **changes,
    }
    return services.pemeliharaan_catat(case=case, step_run_id=open_run(case).pk, user=user, **data)


def _row(case, jenis):
    return next(row for row in planned_vs_done(case) if row.jenis == jenis)


def test_performers_work_is_linked_counted_and_frozen_at_completion(case, office, make_official, tmp_path):
    staf = office["staf"]
    assert import_apply(tmp_path, staf).status == Impor.Status.SELESAI
    births_record(staf, 10)
    other = make_official("staf-lain", "staf")
    births_record(other, 1, first=11)  # someone outside the plan: not this case's work
    _maintenance(case, staf)

    assert (_row(case, "impor").target, _row(case, "impor").realisasi) == (1, 1)
    assert (_row(case, "entri_peristiwa").target, _row(case, "entri_peristiwa").realisasi) == (10, 10)
    assert (_row(case, "pemeliharaan").target, _row(case, "pemeliharaan").realisasi) == (2, 1)
    assert _row(case, "lainnya").realisasi is None
    assert not CatatanKerja.objects.exists()  # computed while open, stored at completion

    perform(case, office)
    links = CatatanKerja.objects.filter(case=case)
    assert links.filter(jenis="impor").count() == 1
    assert links.filter(jenis="peristiwa").count() == 10
    assert not links.filter(peristiwa__dicatat_oleh=other).exists()
    assert {link.cara for link in links} == {"otomatis"}

    births_record(staf, 1, first=12)  # after the close: the frozen log does not move
    assert _row(case, "entri_peristiwa").realisasi == 10
    month = work_this_month(datetime(2026, 3, 2, 5, 0, tzinfo=UTC) + timedelta(days=1))
    assert month["per_jenis"] == {"impor": 1, "entri_peristiwa": 10, "pemeliharaan": 1}
    assert month["per_operator"] == {staf.display_name: 12}


def test_a_closed_step_refuses_maintenance(case, office):
    run = open_run(case)
    perform(case, office)
    with pytest.raises(DomainError) as refused:
        services.pemeliharaan_catat(
            case=case,
            step_run_id=run.pk,
            user=office["staf"],
            jenis="pemeliharaan",
            uraian="x",
            perangkat="y",
            hasil="z",
            menit=5,
        )
    assert refused.value.code == "siak_step_closed"


def test_a_non_performer_cannot_add(case, office):
    with pytest.raises(PermissionDeniedError) as refused:
        _maintenance(case, office["kasi_siak"])
    assert refused.value.code == "siak_not_performer"


def test_minutes_must_be_positive(case, office):
    with pytest.raises(DomainError) as refused:
        _maintenance(case, office["staf"], menit=0)
    assert refused.value.code == "siak_menit_invalid"


def test_an_object_links_to_one_case_only(case, office, make_official, tmp_path):
    other = make_official("operator", "staf")
    import_apply(tmp_path, other)
    births_record(other, 1)
    event = Penduduk.objects.get(nik="1671014102260001").peristiwa.get()
    run = open_run(case)
    link = services.kerja_tautkan(
        case=case, step_run_id=run.pk, user=office["staf"], jenis="peristiwa", object_id=event.pk
    )
    assert link.cara == "manual"
    with pytest.raises(DomainError) as refused:
        services.kerja_tautkan(
            case=case, step_run_id=run.pk, user=office["staf"], jenis="peristiwa", object_id=event.pk
        )
    assert refused.value.code == "siak_already_linked"
    assert f"berkas #{case.pk}" in refused.value.message
    services.kerja_lepas(catatan=link, user=office["staf"])
    assert not CatatanKerja.objects.exists()


def test_case_page_shows_the_panel_and_the_form_records_maintenance(case, office, client):
    client.force_login(office["staf"])
    page = client.get(reverse("sop:case", args=[case.pk])).content.decode()
    assert "Rencana vs realisasi" in page and "Entri peristiwa kependudukan" in page  # a planned kind's row
    response = client.post(
        reverse("siak:pemeliharaan", args=[case.pk]),
        {
            "langkah_id": open_run(case).pk,
            "jenis": "instalasi",
            "uraian": "Pasang klien",
            "perangkat": "PC 2",
            "hasil": "Terpasang",
            "menit": "30",
        },
    )
    assert response.status_code == 302
    assert case.pemeliharaan.get().jenis == "instalasi"
    assert "Pasang klien" in client.get(reverse("sop:case", args=[case.pk])).content.decode()
    client.force_login(office["kasi_siak"])
    client.post(
        reverse("siak:pemeliharaan", args=[case.pk]),
        {
            "langkah_id": open_run(case).pk,
            "jenis": "instalasi",
            "uraian": "x",
            "perangkat": "y",
            "hasil": "z",
            "menit": "5",
        },
    )
    assert case.pemeliharaan.count() == 1


def test_lembar_kendali_panel_prints_the_frozen_totals_without_forms(case, office):
    from django.template.loader import render_to_string

    from piak.siak.sop_steps import Sop2Handler

    _maintenance(case, office["staf"])
    perform(case, office)
    panel = next(p for p in Sop2Handler().lembar_panels(case=case) if p.template == "siak/_lembar_kerja.html")
    html = render_to_string(panel.template, {"panel": panel.context})
    assert "Rencana vs realisasi" in html and "Pembaruan klien SIAK" in html
    assert "<form" not in html
