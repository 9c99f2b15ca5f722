"""The work plan names its work: each activity's kind, target and assignee are stored, checked and covered by
the paraf's hash; plans from before activities had kinds still read."""

import pytest
from django.urls import reverse

from piak.core.errors import ValidationFailed
from piak.sop import services
from piak.sop.models import Case
from piak.sop.rencana import plan_activities

from .conftest import latest

PLAN = {
    "judul": "Rencana kerja Desember",
    "dasar_hukum": "Permendagri 102/2019",
    "kegiatan": [
        {"uraian": "Impor ekspor SIAK November", "jenis": "impor", "sasaran": "Kota", "target": 1, "pelaksana": "staf"},
        {"uraian": "Koreksi data ganda", "jenis": "koreksi", "sasaran": "Ilir Barat I", "target": 2, "pelaksana": ""},
        {"uraian": "Entri kelahiran", "jenis": "entri_peristiwa", "sasaran": "", "target": 10, "pelaksana": "staf"},
    ],
}


def _start(office, plan=PLAN, kode="sop-2"):
    return services.case_start(versi=latest(kode), user=office["staf"], judul="Pelaksanaan SIAK", rencana_kerja=plan)


def _with(index: int, **changes) -> dict:
    kegiatan = [dict(a) for a in PLAN["kegiatan"]]
    kegiatan[index] |= changes
    return {**PLAN, "kegiatan": kegiatan}


def test_the_form_stores_each_activity_with_its_kind_target_and_assignee(client, office):
    client.force_login(office["staf"])
    page = client.get(reverse("sop:start", args=["sop-2"])).content.decode()
    assert "Impor ekspor SIAK" in page and "Pelaksana kegiatan 1" in page
    client.post(
        reverse("sop:start", args=["sop-2"]),
        {
            "judul": "Pelaksanaan SIAK Desember",
            "rk_judul": "RK Desember",
            "kg_1_uraian": "Koreksi data ganda",
            "kg_1_jenis": "koreksi",
            "kg_1_sasaran": "Ilir Barat I",
            "kg_1_target": "2",
            "kg_1_pelaksana": "staf",
            "kg_3_uraian": "Entri kelahiran",
            "kg_3_jenis": "entri_peristiwa",
            "kg_3_target": "10",
        },
    )
    activities = plan_activities("sop-2", Case.objects.get().documents.get().isi)
    assert [(a.jenis, a.target, a.pelaksana) for a in activities] == [
        ("koreksi", 2, "staf"),
        ("entri_peristiwa", 10, ""),
    ]
    assert activities[0].jenis_label == "Koreksi data ganda/anomali" and activities[1].satuan == "peristiwa"
    page = client.get(reverse("sop:case", args=[Case.objects.get().pk])).content.decode()
    assert "Ilir Barat I" in page and "10 peristiwa" in page


def test_a_plan_without_an_activity_is_refused_by_the_form(client, office):
    client.force_login(office["staf"])
    response = client.post(reverse("sop:start", args=["sop-2"]), {"judul": "Kosong", "rk_judul": "RK"})
    assert "Isi sedikitnya satu kegiatan rencana kerja." in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"jenis": "piknik"}, "Kegiatan 2: jenis kegiatan tidak dikenal."),
        ({"target": 0}, "Kegiatan 2: target harus bilangan bulat lebih dari nol."),
        ({"target": "dua"}, "Kegiatan 2: target harus bilangan bulat lebih dari nol."),
        ({"pelaksana": "tidak-ada"}, "Kegiatan 2: pelaksana bukan pengguna aktif PIAK."),
        ({"uraian": "", "target": 3}, "Kegiatan 2: uraian kegiatan wajib diisi."),
    ],
)
def test_a_wrong_activity_is_refused_and_no_case_is_made(office, change, message):
    with pytest.raises(ValidationFailed, match=message):
        _start(office, _with(1, **change))
    assert not Case.objects.exists()


def test_an_inactive_assignee_is_refused(office):
    office["kasi_ppd"].is_active = False
    office["kasi_ppd"].save(update_fields=["is_active"])
    with pytest.raises(ValidationFailed, match="pelaksana bukan pengguna aktif"):
        _start(office, _with(1, pelaksana="kasi_ppd"))


def test_the_paraf_hash_covers_every_activitys_target(office):
    first = _start(office).documents.get().sha256
    second = _start(office, _with(2, target=11)).documents.get().sha256
    third = _start(office, _with(2, pelaksana="")).documents.get().sha256
    assert len({first, second, third}) == 3


def test_an_sop_without_kinds_stores_every_activity_as_other(office):
    plan = {**PLAN, "kegiatan": [{"uraian": "Uji cadangan", "jenis": "impor", "target": 1}]}
    case = services.case_start(versi=latest("sop-3"), user=office["staf"], judul="TIK", rencana_kerja=plan)
    assert case.documents.get().isi["kegiatan"][0]["jenis"] == "lainnya"


def test_an_old_plan_of_plain_strings_still_reads():
    activities = plan_activities("sop-2", {"kegiatan": ["Pembaruan aplikasi"]})
    assert [(a.uraian, a.jenis, a.jenis_label, a.target) for a in activities] == [
        ("Pembaruan aplikasi", "lainnya", "Lainnya", None)
    ]
