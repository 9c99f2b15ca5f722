"""Import files are bounded: bombs are refused before parsing in bounded memory, and encodings are strict."""

import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from django.core.management import call_command

from piak.penduduk.impor.reader import CELL_MAX_CHARS, LINE_MAX_BYTES, UnreadableFile, _xlsx_check, open_source
from piak.penduduk.impor.run import import_file
from piak.penduduk.models import Penduduk

from .bombs import cell_xlsx, measured_open, rows_xlsx
from .helpers import COLUMNS, child, family, person, wife, write_csv, write_xlsx

RSS_LIMIT_KB = 500 * 1024
MB = 1024 * 1024


def test_xlsx_with_a_1_5_gb_cell_is_refused_from_its_central_directory_in_bounded_memory(tmp_path):
    bomb = cell_xlsx(tmp_path / "sel.xlsx", 1536 * MB)
    assert bomb.stat().st_size < 5 * MB
    outcome = measured_open(bomb)
    assert outcome["code"] == "xlsx_bom"
    assert outcome["message"].startswith("Berkas 'sel.xlsx' ditolak: isinya mengembang menjadi 1,5")
    assert outcome["rss_kb"] < RSS_LIMIT_KB


def test_a_1_5_gb_cell_past_a_lenient_directory_check_is_refused_by_the_cell_scan(tmp_path):
    lenient = {"PIAK_UPLOAD_ZIP_MAX_RATIO": "1000000", "PIAK_IMPOR_MAX_UNPACKED_BYTES": str(8 * 1024 * MB)}
    outcome = measured_open(cell_xlsx(tmp_path / "sel.xlsx", 1536 * MB), **lenient)
    assert outcome["code"] == "xlsx_sel_terlalu_panjang"
    assert outcome["message"] == (
        "Berkas 'sel.xlsx' ditolak: sebuah sel (di xl/sharedStrings.xml) lebih panjang dari 32.767 karakter, "
        "batas Excel sendiri."
    )
    assert outcome["rss_kb"] < RSS_LIMIT_KB


def test_xlsx_of_2_5_gb_of_rows_is_refused_in_bounded_memory(tmp_path):
    outcome = measured_open(rows_xlsx(tmp_path / "baris.xlsx"))
    assert outcome["code"] == "xlsx_bom"
    assert "'baris.xlsx'" in outcome["message"] and "bom dekompresi" in outcome["message"]
    assert outcome["rss_kb"] < RSS_LIMIT_KB


def test_200_mb_csv_in_one_line_is_refused_naming_the_row_in_bounded_memory(tmp_path):
    path = tmp_path / "besar.csv"
    with path.open("wb") as out:
        out.write(",".join(COLUMNS).encode() + b"\n")
        block = b"1671" * (MB // 4)
        for _ in range(200):
            out.write(block)
    outcome = measured_open(path)
    assert outcome["code"] == "baris_terlalu_panjang"
    assert outcome["message"].startswith("Berkas 'besar.csv' ditolak: baris 2 lebih panjang dari 64 KB")
    assert outcome["rss_kb"] < RSS_LIMIT_KB


def test_a_cell_one_character_longer_than_excel_allows_is_refused(tmp_path):
    with pytest.raises(UnreadableFile) as refused:
        open_source(cell_xlsx(tmp_path / "panjang.xlsx", CELL_MAX_CHARS + 1))
    assert refused.value.code == "xlsx_sel_terlalu_panjang"


def test_a_cell_of_exactly_excels_limit_is_read(tmp_path):
    path = write_xlsx(tmp_path / "batas.xlsx", [person(ALAMAT="J" * CELL_MAX_CHARS)])
    rows = list(open_source(path).rows)
    assert len(rows) == 1 and "J" * CELL_MAX_CHARS in rows[0][1]
    _xlsx_check(cell_xlsx(tmp_path / "pas.xlsx", CELL_MAX_CHARS))  # the scan alone: passes


def test_a_line_at_the_limit_is_read_and_one_byte_more_is_refused(tmp_path):
    header = ",".join(COLUMNS).encode() + b"\n"
    (tmp_path / "pas.csv").write_bytes(header + b"x" * LINE_MAX_BYTES + b"\n")
    assert len(list(open_source(tmp_path / "pas.csv").rows)) == 1
    (tmp_path / "lebih.csv").write_bytes(header + b"x" * (LINE_MAX_BYTES + 1) + b"\n")
    with pytest.raises(UnreadableFile, match="baris 2 lebih panjang"):
        open_source(tmp_path / "lebih.csv")


# --- encodings ------------------------------------------------------------------------------------


def _one_bad_byte(tmp_path: Path) -> Path:
    """A UTF-8 export where one address was typed in Windows-1252: 'Ö' as the single byte 0xD6."""
    path = write_csv(tmp_path / "satu-byte.csv", [person(ALAMAT="JL. KONIG"), wife(), child()])
    data = path.read_bytes()
    assert data.count(b"JL. KONIG") == 1
    path.write_bytes(data.replace(b"JL. KONIG", b"JL. K\xd6NIG"))
    return path


@pytest.mark.django_db
def test_utf8_file_with_one_bad_byte_is_refused_naming_row_and_column_and_nothing_is_stored(tmp_path):
    result = import_file(_one_bad_byte(tmp_path))
    assert result.exit_code == 2
    column = COLUMNS.index("ALAMAT") + 1
    assert result.file_error == (
        f"Berkas 'satu-byte.csv' bukan UTF-8 yang sah: byte 0xD6 pada baris 2, kolom {column} (ALAMAT). "
        "Pilih pengodean Windows-1252 bila berkas disimpan dari Excel lama, atau simpan ulang berkas sebagai "
        "CSV UTF-8."
    )
    assert result.issues[0].kode == "berkas_bukan_utf8"
    assert not Penduduk.objects.exists()


@pytest.mark.django_db
def test_the_same_file_read_as_the_chosen_windows_1252_is_stored_without_mojibake(tmp_path):
    result = import_file(_one_bad_byte(tmp_path), encoding="windows-1252")
    assert result.exit_code == 0, result.issues
    assert Penduduk.objects.get(nik=wife()["NIK"]).keluarga.alamat == "JL. KÖNIG"
    assert not Penduduk.objects.filter(nama__contains="Ã").exists()


@pytest.mark.django_db
def test_valid_utf8_is_read_as_utf8_even_when_windows_1252_is_chosen(tmp_path):
    path = write_csv(tmp_path / "utf8.csv", [person(NAMA_LGKP="AHMAD FAUZÏ"), wife(), child()])
    assert import_file(path, encoding="windows-1252").exit_code == 0
    assert Penduduk.objects.get(nik=person()["NIK"]).nama == "AHMAD FAUZÏ"


@pytest.mark.django_db
def test_bytes_windows_1252_leaves_undefined_are_refused_even_when_it_is_chosen(tmp_path):
    path = write_csv(tmp_path / "rusak.csv", family())
    path.write_bytes(path.read_bytes().replace(b"SITI", b"S\x81TI", 1))
    result = import_file(path, encoding="windows-1252")
    assert result.exit_code == 2 and result.issues[0].kode == "berkas_pengodean_tidak_sah"
    assert "byte 0x81 pada baris 3" in result.file_error
    assert not Penduduk.objects.exists()


@pytest.mark.django_db
def test_import_command_takes_the_encoding_option(tmp_path):
    path = _one_bad_byte(tmp_path)

    def run(*options: str) -> tuple[int, str]:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err), pytest.raises(SystemExit) as exit_:
            call_command("import", str(path), *options, stdout=out, stderr=err)
        return exit_.value.code, err.getvalue()

    code, errors = run()
    assert code == 2 and "[berkas_bukan_utf8]" in errors and "baris 2" in errors
    assert not Penduduk.objects.exists()
    code, _ = run("--encoding", "windows-1252")
    assert code == 0 and Penduduk.objects.get(nik=wife()["NIK"]).keluarga.alamat == "JL. KÖNIG"


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-8", "windows-1252"])
def test_a_quoted_field_running_past_the_csv_field_limit_is_refused_naming_the_row(tmp_path, encoding):
    """An unclosed quote swallows the following lines (each under the line limit) into one field."""
    path = write_csv(tmp_path / "kutip.csv", [person(), wife(), child()], encoding=encoding)
    lines = path.read_bytes().split(b"\r\n")
    lines[2] = lines[2].replace(b",", b',"', 1)  # the wife's row opens a quote it never closes
    filler = [b"X" * (LINE_MAX_BYTES - 10) for _ in range(3)]
    path.write_bytes(b"\r\n".join([*lines[:3], *filler, *lines[3:]]))
    result = import_file(path, encoding=encoding)
    assert result.exit_code == 2
    assert result.issues[0].kode == "csv_rusak"
    assert "rusak pada baris 3" in result.file_error
    assert not Penduduk.objects.exists()


@pytest.mark.django_db
def test_a_file_of_junk_rows_stops_being_read_when_its_problems_pass_the_bound(tmp_path, monkeypatch):
    from piak.penduduk.impor import run

    monkeypatch.setattr(run, "ISSUES_MAX", 5)
    junk = [person(NIK=f"12345{n}", NO_KK="1") for n in range(20)]
    result = import_file(write_csv(tmp_path / "sampah.csv", [*family(), *junk]), skip_invalid=True)
    assert result.exit_code == 2
    assert result.issues[0].kode == "terlalu_banyak_masalah"
    assert "lebih dari 5 masalah" in result.file_error
    assert not Penduduk.objects.exists()  # not even the valid family: the file is refused as a whole
