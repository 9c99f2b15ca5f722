"""Every error and warning of IMPORT-FORMAT.md, each triggered by a file, and the import's semantics."""

from pathlib import Path

import pytest

from piak.core.models import AuditEvent
from piak.penduduk.impor.run import import_file
from piak.penduduk.models import Keluarga, Penduduk, StatusPenduduk

from .helpers import KK, child, family, person, wife, write_csv

pytestmark = pytest.mark.django_db


def run(tmp_path: Path, rows, **options):
    return import_file(write_csv(tmp_path / "data.csv", rows), **options)


def codes(result, level: str | None = None) -> set[str]:
    return {i.kode for i in result.issues if level is None or i.tingkat == level}


ROW_ERRORS = [
    ("wajib_kosong", {"NAMA_LGKP": ""}),
    ("wajib_kosong", {"TGL_LHR": " "}),
    ("nik_format", {"NIK": "16710115058000"}),
    ("nik_format", {"NIK": "16710115058000AB"}),
    ("nik_nol", {"NIK": "0000000000000000"}),
    ("nik_tanggal", {"NIK": "1671013213800001"}),
    ("nik_nomor_urut", {"NIK": "1671011505800000"}),
    ("nik_angka", {"NIK": "1.67101E+15"}),
    ("nik_angka", {"NIK": "1671011505800001.0"}),
    ("kk_format", {"NO_KK": "12345"}),
    ("kk_angka", {"NO_KK": "1.67101E+15"}),
    ("kode_tidak_dikenal", {"AGAMA": "99"}),
    ("kode_tidak_dikenal", {"JENIS_KLMIN": "X"}),
    ("kode_tidak_dikenal", {"GOL_DRH": "Z"}),
    ("kode_tidak_dikenal", {"KIA": "MUNGKIN"}),
    ("wilayah_tidak_dikenal", {"NO_KEL": "9999"}),
    ("wilayah_tidak_dikenal", {"NO_KAB": "72"}),
    ("tanggal_tidak_valid", {"TGL_LHR": "31-02-1980"}),
    ("tanggal_tidak_valid", {"TGL_LHR": "kemarin"}),
    ("tanggal_masa_depan", {"TGL_LHR": "01-01-2999"}),
    ("nama_tidak_valid", {"NAMA_LGKP": "AHMAD 123"}),
    ("rt_rw_tidak_valid", {"NO_RT": "1234"}),
]


@pytest.mark.parametrize(("code", "change"), ROW_ERRORS, ids=[f"{c}-{next(iter(v.values()))!s}" for c, v in ROW_ERRORS])
def test_row_error_rejects_the_row_and_writes_nothing(tmp_path, code, change):
    result = run(tmp_path, [wife(), child(), person(**change)])
    assert code in codes(result, "error"), result.issues
    assert result.exit_code == 1
    assert result.rejected >= 1
    assert Penduduk.objects.count() == 0 and Keluarga.objects.count() == 0
    issue = next(i for i in result.issues if i.kode == code)
    assert issue.baris == 4 and issue.pesan


def test_same_nik_twice_rejects_every_such_row(tmp_path):
    result = run(tmp_path, [person(), wife(), child(NIK=wife()["NIK"])])
    assert sorted(i.baris for i in result.issues if i.kode == "nik_ganda") == [3, 4]


def test_family_without_head_rejects_every_row_of_it(tmp_path):
    result = run(tmp_path, [wife(), child()])
    assert sorted(i.baris for i in result.issues if i.kode == "kk_tanpa_kepala") == [2, 3]


def test_family_with_two_heads_rejects_every_row_of_it(tmp_path):
    result = run(tmp_path, [person(), wife(STAT_HBKEL="KEPALA KELUARGA"), child()])
    assert sorted(i.baris for i in result.issues if i.kode == "kk_kepala_ganda") == [2, 3, 4]


def _import_family(tmp_path):
    assert run(tmp_path, family()).exit_code == 0


def test_death_of_existing_resident_must_be_recorded_as_an_event(tmp_path):
    _import_family(tmp_path)
    result = run(tmp_path, [person(), wife(STAT_HIDUP="MATI"), child()])
    issue = next(i for i in result.issues if i.kode == "perlu_peristiwa_mati")
    assert "peristiwa kematian" in issue.pesan
    assert Penduduk.objects.get(nik=wife()["NIK"]).status == StatusPenduduk.HIDUP


def test_move_of_existing_resident_must_be_recorded_as_an_event(tmp_path):
    _import_family(tmp_path)
    moved = [person(NO_KEL="1002"), wife(NO_KEL="1002"), child(NO_KEL="1002")]
    result = run(tmp_path, moved)
    assert codes(result, "error") == {"perlu_peristiwa_pindah"}
    assert "pindah" in result.issues[0].pesan
    assert Keluarga.objects.get(no_kk=KK).kelurahan_id == "16.71.01.1001"


def test_resident_who_left_cannot_come_back_by_import(tmp_path, make_official):
    from datetime import date

    from piak.core.audit import Actor
    from piak.penduduk.services import pindah_keluar_catat

    _import_family(tmp_path)
    pindah_keluar_catat(
        penduduk=Penduduk.objects.get(nik=child()["NIK"]),
        tanggal=date(2026, 1, 5),
        tanggal_lapor=date(2026, 1, 6),
        tingkat=3,
        alamat_tujuan="Jakarta",
        actor=Actor(None),
    )
    result = run(tmp_path, family())
    assert codes(result, "error") == {"penduduk_tidak_aktif"}


WARNINGS = [
    ("nik_tanggal_beda", [person(TGL_LHR="16-05-1980"), wife(), child()]),
    ("nik_kelamin_beda", [person(JENIS_KLMIN="P"), wife(), child()]),
    ("ortu_tidak_ditemukan", [person(), wife(), child(NIK_IBU="1671014407700009")]),
    ("umur_tidak_wajar", [person(), wife(), child(), child(NIK="1671010101000004", TGL_LHR="01-01-1900")]),
]


@pytest.mark.parametrize(("code", "rows"), WARNINGS, ids=[c for c, _ in WARNINGS])
def test_warning_is_reported_and_the_row_is_accepted(tmp_path, code, rows):
    result = run(tmp_path, rows)
    assert code in codes(result, "warning")
    assert result.exit_code == 0
    assert result.warnings >= 1
    assert Penduduk.objects.count() == len(rows)


def test_name_differing_only_in_spelling_is_a_warning_and_updates(tmp_path):
    _import_family(tmp_path)
    result = run(tmp_path, [person(NAMA_LGKP="ACHMAD FAUZI"), wife(), child()])
    assert codes(result, "warning") == {"nama_beda_ejaan"}
    assert (result.updated, result.unchanged) == (1, 2)
    assert Penduduk.objects.get(nik=person()["NIK"]).nama == "ACHMAD FAUZI"


def test_nik_issued_elsewhere_is_accepted_without_a_warning(tmp_path):
    result = run(tmp_path, [person(NIK="3171011505800001"), wife(), child(NIK_AYAH="3171011505800001")])
    assert result.exit_code == 0 and result.warnings == 0
    from piak.penduduk.nik import nik_issued_elsewhere

    assert nik_issued_elsewhere(Penduduk.objects.get(nama="AHMAD FAUZI").nik)


def test_one_bad_row_without_skip_invalid_writes_nothing(tmp_path):
    audit_before = AuditEvent.objects.count()
    rows = [*family(), person(NIK="1671012002900001", NO_KK="1671012003150002", AGAMA="PASTAFARI")]
    result = run(tmp_path, rows)
    assert (result.exit_code, result.read, result.rejected, result.inserted) == (1, 4, 1, 0)
    assert Penduduk.objects.count() == 0 and Keluarga.objects.count() == 0
    assert AuditEvent.objects.count() == audit_before


def test_skip_invalid_writes_the_valid_rows(tmp_path):
    rows = [*family(), person(NIK="1671012002900001", NO_KK="1671012003150002", AGAMA="PASTAFARI")]
    result = run(tmp_path, rows, skip_invalid=True)
    assert (result.exit_code, result.inserted, result.rejected) == (1, 3, 1)
    assert Penduduk.objects.count() == 3


def test_reimport_changes_nothing_and_says_so(tmp_path):
    first = run(tmp_path, family())
    assert (first.inserted, first.updated, first.unchanged) == (3, 0, 0)
    audit_before = AuditEvent.objects.exclude(action="penduduk.impor").count()
    again = run(tmp_path, family())
    assert (again.read, again.inserted, again.updated, again.unchanged, again.rejected) == (3, 0, 0, 3, 0)
    assert AuditEvent.objects.exclude(action="penduduk.impor").count() == audit_before


def test_changed_row_updates_and_is_audited_with_old_and_new_values(tmp_path):
    run(tmp_path, family())
    result = run(tmp_path, [person(), wife(AGAMA="KRISTEN", STAT_KTP="SUDAH REKAM"), child()])
    assert (result.updated, result.unchanged) == (1, 2)
    event = AuditEvent.objects.get(action="penduduk.diubah_impor")
    assert event.payload["nik"] == wife()["NIK"]
    assert event.payload["perubahan"] == {"agama": [1, 2], "status_ktp": [8, 3]}


def test_changed_address_updates_the_family_and_counts_its_rows(tmp_path):
    run(tmp_path, family())
    rows = [r | {"ALAMAT": "JL. SUDIRMAN NO. 1"} for r in family()]
    result = run(tmp_path, rows)
    assert (result.updated, result.unchanged) == (3, 0)
    assert Keluarga.objects.get(no_kk=KK).alamat == "JL. SUDIRMAN NO. 1"
    event = AuditEvent.objects.get(action="keluarga.diubah_impor")
    assert event.payload["perubahan"] == {"alamat": ["JL. MERDEKA NO. 10", "JL. SUDIRMAN NO. 1"]}


def test_the_import_itself_is_audited_with_the_file_hash(tmp_path):
    run(tmp_path, family())
    event = AuditEvent.objects.get(action="penduduk.impor")
    assert event.payload["inserted"] == 3 and len(event.document_hash) == 64


def test_tolerant_values_are_accepted(tmp_path):
    rows = [
        person(NIK="'1671.0115.0580.0001", JENIS_KLMIN="L", TGL_LHR="1980-05-15", AGAMA="1", STAT_KWN="K"),
        wife(NO_KK="1671 0120 0315 0001", JENIS_KLMIN="Pr", TGL_LHR="22/08/1984", STAT_KWN="KAWIN TERCATAT"),
        child(TGL_LHR="40240", STAT_HBKEL="4", NO_RT="005", NO_RW="002", STAT_KWN="BK"),
    ]
    result = run(tmp_path, rows)
    assert result.exit_code == 0 and result.warnings == 0, result.issues
    head = Penduduk.objects.get(nik="1671011505800001")
    assert (head.jenis_kelamin, head.status_kawin, head.keluarga.rt, head.keluarga.rw) == (1, 2, 5, 2)


def test_semicolon_windows_1252_file_is_read_when_chosen(tmp_path):
    rows = [person(NAMA_LGKP="AHMAD FAUZÏ"), wife(ALAMAT="JL. KÖNIG"), child()]
    path = write_csv(tmp_path / "ansi.csv", rows, delimiter=";", encoding="cp1252")
    result = import_file(path, encoding="windows-1252")
    assert result.exit_code == 0, result.issues
    assert Penduduk.objects.get(nik=person()["NIK"]).nama == "AHMAD FAUZÏ"


def test_utf8_bom_and_header_case_and_spaces_are_accepted(tmp_path):
    path = write_csv(tmp_path / "bom.csv", family(), encoding="utf-8-sig")
    text = path.read_text(encoding="utf-8-sig").replace("NAMA_LGKP,", " nama_lgkp ,", 1)
    path.write_text(text, encoding="utf-8-sig")
    assert import_file(path).exit_code == 0


def test_unknown_columns_are_ignored_and_listed(tmp_path):
    rows = [r | {"CATATAN_PETUGAS": "x"} for r in family()]
    result = run(tmp_path, rows)
    assert result.exit_code == 0
    listed = [i for i in result.issues if i.kode == "kolom_diabaikan"]
    assert [(i.baris, i.kolom, i.tingkat) for i in listed] == [(1, "CATATAN_PETUGAS", "info")]


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("kosong.csv", b"", "berkas_tidak_terbaca"),
        ("kolom.csv", b"NIK,NAMA\n1671011505800001,A\n", "kolom_wajib_hilang"),
        ("rusak.xlsx", b"bukan zip", "berkas_tidak_terbaca"),
        ("data.pdf", b"%PDF-1.4", "berkas_tidak_terbaca"),
    ],
)
def test_unreadable_file_exits_2(tmp_path, name, content, code):
    path = tmp_path / name
    path.write_bytes(content)
    result = import_file(path)
    assert result.exit_code == 2
    assert [i.kode for i in result.issues] == [code]


def test_missing_file_exits_2(tmp_path):
    assert import_file(tmp_path / "tidak-ada.csv").exit_code == 2
