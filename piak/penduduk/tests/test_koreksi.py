"""Record corrections with evidence: a field corrected, a duplicate retired; refusals; nothing deleted."""

import threading
from datetime import UTC, date, datetime, timedelta
from functools import cache

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from piak.core import roles
from piak.core.audit import Actor, audit_chain_verify
from piak.core.errors import DomainError, PermissionDeniedError, ValidationFailed
from piak.core.models import AuditEvent
from piak.penduduk import services
from piak.penduduk.impor.run import import_file
from piak.penduduk.models import JenisPeristiwa, KoreksiData, Penduduk, Peristiwa, StatusPenduduk
from piak.penduduk.selectors import (
    data_quality,
    data_quality_frozen,
    events_recorded_by,
    imports_by,
    koreksi_by,
    residents_present_on,
)
from piak.web.pdf import render_pdf

from .helpers import child, family, person, wife, write_csv

NIK_ASLI = child()["NIK"]
NIK_GANDA = "1671010303100004"
TODAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def today():
    """Monday 2 March 2026, 10:00 WIB."""
    with time_machine.travel(datetime(2026, 3, 2, 3, 0, tzinfo=UTC), tick=False):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PIAK_SNAPSHOT_DIR = tmp_path / "snapshot"


@pytest.fixture
def register(db, tmp_path):
    """The family of three, and the child entered a second time under another NIK (a true duplicate)."""
    rows = [*family(), child(NIK=NIK_GANDA)]
    assert import_file(write_csv(tmp_path / "k.csv", rows)).exit_code == 0


@pytest.fixture
def staf(make_official):
    return make_official("staf", roles.STAF)


@cache
def _pdf() -> bytes:
    return render_pdf("print/base_a4.html", {})


def dokumen(name: str = "surat-keterangan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _pdf(), content_type="application/pdf")


def resident(nik: str) -> Penduduk:
    return Penduduk.objects.get(nik=nik)


def retire(user, *, ganda=NIK_GANDA, pengganti=NIK_ASLI, alasan="Rekaman ganda menurut KK asli", **kw):
    return services.koreksi_data_ganda(
        ganda=resident(ganda), pengganti=resident(pengganti), alasan=alasan, dokumen=kw.get("doc", dokumen()), user=user
    )


ATTACHED = object()  # `correct`'s default: a real PDF as the supporting document


def correct(user, kolom="nama", nilai="AHMAD FAUZY", *, nik=None, alasan="Salah ketik menurut akta", doc=ATTACHED):
    return services.koreksi_ubah_data(
        penduduk=resident(nik or person()["NIK"]),
        kolom=kolom,
        nilai_baru=nilai,
        alasan=alasan,
        dokumen=dokumen() if doc is ATTACHED else doc,
        user=user,
    )


# --- correcting a field -----------------------------------------------------------------------------


def test_a_correction_keeps_old_and_new_values_reason_document_and_audit(register, staf):
    koreksi = correct(staf)
    assert resident(person()["NIK"]).nama == "AHMAD FAUZY"
    assert (koreksi.jenis, koreksi.kolom, koreksi.nilai_lama, koreksi.nilai_baru) == (
        "ubah_data",
        "nama",
        "AHMAD FAUZI",
        "AHMAD FAUZY",
    )
    assert koreksi.dokumen_nama == "surat-keterangan.pdf" and koreksi.dokumen.read() == _pdf()
    assert (koreksi.dilakukan_oleh, len(koreksi.dokumen_sha256)) == (staf, 64)
    audit = AuditEvent.objects.get(action="penduduk.koreksi")
    assert audit.payload["nilai_lama"] == "AHMAD FAUZI" and audit.payload["nilai_baru"] == "AHMAD FAUZY"
    assert (audit.role, audit.document_hash, audit.object_id) == ("staf", koreksi.dokumen_sha256, str(koreksi.pk))
    assert audit_chain_verify().ok


@pytest.mark.parametrize(
    ("kolom", "nilai", "stored"),
    [
        ("tanggal_lahir", "1980-05-16", date(1980, 5, 16)),
        ("tanggal_lahir", date(1980, 5, 14), date(1980, 5, 14)),
        ("agama", "2", 2),
        ("pekerjaan", "2", 2),
        ("tempat_lahir", "  ogan   ilir ", "OGAN ILIR"),
        ("nama_ibu", "hajjah  maimunah", "HAJJAH MAIMUNAH"),
    ],
)
def test_each_kind_of_field_is_read_from_text_or_its_value(register, staf, kolom, nilai, stored):
    correct(staf, kolom, nilai)
    assert getattr(resident(person()["NIK"]), kolom) == stored


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"alasan": "   "}, "koreksi_alasan_kosong"),
        ({"doc": None}, "koreksi_tanpa_dokumen"),
        ({"doc": SimpleUploadedFile("surat.pdf", b"<html><script>alert(1)</script>")}, "koreksi_dokumen_ditolak"),
        ({"kolom": "nik", "nilai": "1671011505800009"}, "koreksi_kolom_tidak_dikenal"),
        ({"kolom": "agama", "nilai": "99"}, "koreksi_kode_tidak_dikenal"),
        ({"kolom": "agama", "nilai": "ISLAM"}, "koreksi_kode_tidak_dikenal"),
        ({"kolom": "tanggal_lahir", "nilai": "2026-03-03"}, "koreksi_tanggal_masa_depan"),
        ({"kolom": "tanggal_lahir", "nilai": "kemarin"}, "koreksi_tanggal_tidak_terbaca"),
        ({"kolom": "nama", "nilai": ""}, "koreksi_nilai_kosong"),
        ({"kolom": "nama", "nilai": "AHMAD FAUZI"}, "koreksi_tidak_berubah"),
        ({"kolom": "agama", "nilai": "1"}, "koreksi_tidak_berubah"),
        ({"kolom": "tanggal_lahir", "nilai": "1980-05-15"}, "koreksi_tidak_berubah"),
    ],
)
def test_refused_corrections_change_nothing(register, staf, changes, code):
    with pytest.raises(ValidationFailed) as refused:
        correct(staf, **changes)
    assert refused.value.code == code
    assert resident(person()["NIK"]).nama == "AHMAD FAUZI"
    assert not KoreksiData.objects.exists() and not AuditEvent.objects.filter(action="penduduk.koreksi").exists()


@pytest.mark.parametrize("role", [roles.KASI_PPD, roles.KABID_PIAK, roles.KEPALA_DINAS, roles.ADMIN, None])
def test_roles_other_than_staf_and_kasi_siak_may_not_correct(register, make_official, role):
    user = make_official(f"u-{role}", role)
    with pytest.raises(PermissionDeniedError):
        correct(user)
    with pytest.raises(PermissionDeniedError):
        retire(user)
    assert resident(NIK_GANDA).status == StatusPenduduk.HIDUP and not KoreksiData.objects.exists()


def test_the_kasi_siak_may_correct(register, make_official):
    kasi = make_official("kasi", roles.KASI_SIAK)
    assert correct(kasi).dilakukan_oleh == kasi
    assert retire(kasi).dilakukan_oleh == kasi


# --- retiring a duplicate ---------------------------------------------------------------------------


def test_a_retired_duplicate_stays_in_the_register_and_the_audit_trail(register, staf):
    koreksi = retire(staf)
    ganda = resident(NIK_GANDA)  # not deleted
    assert (ganda.status, ganda.hadir_sampai) == (StatusPenduduk.GANDA, TODAY)
    assert resident(NIK_ASLI).status == StatusPenduduk.HIDUP
    assert (koreksi.penduduk, koreksi.pengganti, koreksi.jenis) == (ganda, resident(NIK_ASLI), "data_ganda")
    assert (koreksi.nilai_lama, koreksi.nilai_baru) == ("hidup", "ganda")
    event = Peristiwa.objects.get(penduduk=ganda)
    assert (event.jenis, event.tanggal_peristiwa, event.dicatat_oleh) == (JenisPeristiwa.DATA_GANDA, TODAY, staf)
    recorded = AuditEvent.objects.get(action="penduduk.peristiwa")
    assert (recorded.payload["nik"], recorded.payload["jenis"]) == (NIK_GANDA, "data_ganda")
    retired = AuditEvent.objects.get(action="penduduk.data_ganda")
    assert (retired.payload["nik"], retired.payload["pengganti_nik"]) == (NIK_GANDA, NIK_ASLI)
    assert retired.payload["alasan"] == "Rekaman ganda menurut KK asli"
    assert audit_chain_verify().ok


def test_a_retired_duplicate_is_absent_from_the_next_snapshot(register, staf):
    from piak.statistik.services import snapshot_freeze_register

    before = snapshot_freeze_register(cutoff=TODAY - timedelta(days=1))
    retire(staf)
    # Whatever the cut-off: the duplicate was a second record of a child counted once.
    for cutoff in (TODAY - timedelta(days=1), TODAY):
        after = snapshot_freeze_register(cutoff=cutoff)
        assert (before.jumlah_baris, after.jumlah_baris) == (4, 3)
        assert after.jumlah_peristiwa == 0  # a retirement is a correction, not a demographic event
    assert residents_present_on(TODAY - timedelta(days=1)).filter(nik=NIK_GANDA).count() == 0


def test_data_quality_before_and_after_a_retirement_matches_the_register(register, staf):
    before = data_quality()
    assert [(d["nama"], d["jumlah"]) for d in before.possible_duplicates] == [("RIZKY FAUZI", 2)]
    retire(staf)
    after = data_quality()
    assert len(after.possible_duplicates) == len(before.possible_duplicates) - 1
    present = Penduduk.objects.filter(status=StatusPenduduk.HIDUP)
    assert [(k["keluarga__kelurahan__kode"], k["jumlah"], k["laki"]) for k in after.per_kelurahan] == [
        ("16.71.01.1001", present.count(), present.filter(jenis_kelamin=1).count())
    ]
    assert [k["jumlah"] for k in before.per_kelurahan] == [4] and present.count() == 3


def test_the_frozen_data_quality_report_is_json_and_masked(register, staf):
    import json

    frozen = data_quality_frozen()
    text = json.dumps(frozen)
    for number in (NIK_ASLI, NIK_GANDA, person()["NIK"], wife()["NIK"], person()["NO_KK"], "2010-03-03"):
        assert number not in text
    assert frozen["kemungkinan_ganda"] == [
        {
            "nama": "RIZKY FAUZI",
            "tahun_lahir": 2010,
            "nama_ibu": "SITI AMINAH",
            "jumlah": 2,
            "penduduk_id": resident(NIK_ASLI).pk,
        }
    ]
    assert frozen["per_kelurahan"][0]["jumlah"] == 4
    assert {"label": "Kemungkinan orang yang sama tercatat dua kali", "jumlah": 1} in frozen["ringkasan"]
    retire(staf)
    assert data_quality_frozen()["kemungkinan_ganda"] == []


@pytest.mark.parametrize(
    ("ganda", "pengganti", "code"),
    [
        (NIK_GANDA, NIK_GANDA, "ganda_diri_sendiri"),
        (NIK_GANDA, person()["NIK"], None),  # any present record may be the one kept
    ],
)
def test_a_record_is_not_retired_into_itself(register, staf, ganda, pengganti, code):
    if code is None:
        assert retire(staf, ganda=ganda, pengganti=pengganti).pengganti.nik == pengganti
        return
    with pytest.raises(ValidationFailed) as refused:
        retire(staf, ganda=ganda, pengganti=pengganti)
    assert refused.value.code == code and resident(ganda).status == StatusPenduduk.HIDUP


def test_a_record_no_longer_present_or_kept_by_one_gone_is_not_retired(register, staf):
    services.kematian_catat(penduduk=resident(wife()["NIK"]), tanggal=TODAY, tanggal_lapor=TODAY, actor=Actor(staf))
    for ganda, pengganti, code in (
        (wife()["NIK"], person()["NIK"], "ganda_tidak_hidup"),
        (NIK_GANDA, wife()["NIK"], "ganda_pengganti_tidak_hidup"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            retire(staf, ganda=ganda, pengganti=pengganti)
        assert refused.value.code == code
    assert not KoreksiData.objects.exists()


@pytest.mark.parametrize(
    ("alasan", "doc", "code"), [("", dokumen, "koreksi_alasan_kosong"), ("x", None, "koreksi_tanpa_dokumen")]
)
def test_a_retirement_needs_a_reason_and_a_document(register, staf, alasan, doc, code):
    with pytest.raises(ValidationFailed) as refused:
        services.koreksi_data_ganda(
            ganda=resident(NIK_GANDA),
            pengganti=resident(NIK_ASLI),
            alasan=alasan,
            dokumen=doc() if doc else None,
            user=staf,
        )
    assert refused.value.code == code and resident(NIK_GANDA).status == StatusPenduduk.HIDUP


def test_a_second_retirement_of_the_same_record_is_refused(register, staf):
    retire(staf)
    with pytest.raises(ValidationFailed) as refused:
        retire(staf)
    assert refused.value.code == "ganda_tidak_hidup"
    with pytest.raises(ValidationFailed) as swapped:
        retire(staf, ganda=NIK_ASLI, pengganti=NIK_GANDA)
    assert swapped.value.code == "ganda_pengganti_tidak_hidup"
    assert KoreksiData.objects.count() == 1 and Peristiwa.objects.filter(jenis="data_ganda").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_retirements_of_one_record_only_one_succeeds(tmp_path, make_official):
    """Two officials retire the same duplicate at the same moment: the row locks let one succeed, the
    other waits and then finds the record already retired. (SQLite's test database is an in-memory shared
    cache that refuses instead of waiting; production SQLite takes the write lock at BEGIN.)"""
    rows = [*family(), child(NIK=NIK_GANDA)]
    assert import_file(write_csv(tmp_path / "k.csv", rows)).exit_code == 0
    officials = [make_official("staf-a", roles.STAF), make_official("staf-b", roles.KASI_SIAK)]
    start = threading.Barrier(len(officials))
    outcomes: list[object] = []

    def attempt(user) -> None:
        try:
            start.wait()
            outcomes.append(retire(user))
        except DomainError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(user,)) for user in officials]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(isinstance(o, KoreksiData) for o in outcomes) == 1 and outcomes.count("ganda_tidak_hidup") == 1
    assert KoreksiData.objects.count() == 1 and Peristiwa.objects.filter(jenis="data_ganda").count() == 1


def test_a_retired_duplicate_takes_no_more_events_and_no_correction(register, staf):
    retire(staf)
    actor = Actor(staf)
    with pytest.raises(ValidationFailed) as death:
        services.kematian_catat(penduduk=resident(NIK_GANDA), tanggal=TODAY, tanggal_lapor=TODAY, actor=actor)
    assert death.value.code == "peristiwa_data_ganda"
    with pytest.raises(ValidationFailed) as corrected:
        correct(staf, nik=NIK_GANDA, nilai="RIZKI FAUZI")
    assert corrected.value.code == "koreksi_data_ganda"


def test_an_import_naming_a_retired_duplicate_reports_it(register, staf, tmp_path):
    retire(staf)
    result = import_file(write_csv(tmp_path / "lagi.csv", [*family(), child(NIK=NIK_GANDA)]))
    assert [issue.kode for issue in result.issues] == ["penduduk_data_ganda"]
    assert resident(NIK_GANDA).status == StatusPenduduk.GANDA


# --- what one official did in a window (SOP 2 step 7) ----------------------------------------------


def test_work_of_one_official_in_a_window(register, staf, make_official):
    other = make_official("lain", roles.KASI_SIAK)
    opened = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    correct(staf)
    retire(staf)
    correct(other, "tempat_lahir", "BANYUASIN")
    services.kelahiran_catat(
        keluarga=resident(person()["NIK"]).keluarga,
        nik="1671014102260001",
        nama="Aisyah Fauzi",
        jenis_kelamin=2,
        tempat_lahir="Palembang",
        tanggal_lahir=date(2026, 2, 1),
        tanggal_lapor=TODAY,
        actor=Actor(staf),
    )
    assert [k.jenis for k in koreksi_by(staf, opened, None)] == ["ubah_data", "data_ganda"]
    assert [k.kolom for k in koreksi_by(other, opened, None)] == ["tempat_lahir"]
    assert list(koreksi_by(staf, opened, opened + timedelta(minutes=30))) == []
    assert [e.jenis for e in events_recorded_by(staf, opened, None)] == ["lahir"]  # not the retirement
    assert list(events_recorded_by(other, opened, None)) == []
    assert list(imports_by(staf, opened, None)) == []
