"""Row checks of IMPORT-FORMAT.md that need nothing but the row itself.

`RowParser.parse` turns one row of raw cells into a clean staging record (a tuple in `STAGING` order)
plus the problems found. It never raises for bad data: every problem becomes an `Issue`.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from piak.penduduk.nik import NikError, clean_number, nik_check

from .codes import NO, YES, CodeTable, normalise_label

ERROR, WARNING, INFO = "error", "warning", "info"

# Staging table columns, in record order, with their SQL type.
STAGING: list[tuple[str, str]] = [
    ("baris", "integer"),
    ("nik", "text"),
    ("no_kk", "text"),
    ("nama", "text"),
    ("jenis_kelamin", "smallint"),
    ("tempat_lahir", "text"),
    ("tanggal_lahir", "date"),
    ("agama", "smallint"),
    ("status_kawin", "smallint"),
    ("shdk", "smallint"),
    ("kelurahan_id", "text"),
    ("rw", "smallint"),
    ("rt", "smallint"),
    ("alamat", "text"),
    ("kode_pos", "text"),
    ("golongan_darah", "smallint"),
    ("pendidikan", "smallint"),
    ("pekerjaan", "smallint"),
    ("cacat", "smallint"),
    ("nik_ibu", "text"),
    ("nama_ibu", "text"),
    ("nik_ayah", "text"),
    ("nama_ayah", "text"),
    ("akta_lahir", "boolean"),
    ("no_akta_lahir", "text"),
    ("akta_kawin", "boolean"),
    ("no_akta_kawin", "text"),
    ("tanggal_kawin", "date"),
    ("akta_cerai", "boolean"),
    ("no_akta_cerai", "text"),
    ("tanggal_cerai", "date"),
    ("status_ktp", "smallint"),
    ("kia", "boolean"),
    ("stat_hidup", "smallint"),
]
STAGING_NAMES = [name for name, _ in STAGING]
# Columns of the family (taken from the head's row) and of the resident itself.
FAMILY_FIELDS = ["kelurahan_id", "rw", "rt", "alamat", "kode_pos"]
RESIDENT_FIELDS = [
    n for n in STAGING_NAMES if n not in {"baris", "nik", "no_kk", "stat_hidup", *FAMILY_FIELDS}
]

REQUIRED = [
    "NIK",
    "NO_KK",
    "NAMA_LGKP",
    "JENIS_KLMIN",
    "TMPT_LHR",
    "TGL_LHR",
    "AGAMA",
    "STAT_KWN",
    "STAT_HBKEL",
    "NO_PROP",
    "NO_KAB",
    "NO_KEC",
    "NO_KEL",
    "NO_RW",
    "NO_RT",
    "ALAMAT",
]
OPTIONAL = [
    "GOL_DRH",
    "PDDK_AKH",
    "JENIS_PKRJN",
    "PNYDNG_CCT",
    "NIK_IBU",
    "NAMA_LGKP_IBU",
    "NIK_AYAH",
    "NAMA_LGKP_AYAH",
    "AKTA_LHR",
    "NO_AKTA_LHR",
    "AKTA_KWN",
    "NO_AKTA_KWN",
    "TGL_KWN",
    "AKTA_CRAI",
    "NO_AKTA_CRAI",
    "TGL_CRAI",
    "STAT_HIDUP",
    "STAT_KTP",
    "KIA",
    "KODE_POS",
]
# Optional coded columns: column -> (code table, staging field).
OPTIONAL_CODED = {
    "GOL_DRH": ("golongan_darah", "golongan_darah"),
    "PDDK_AKH": ("pendidikan_kk", "pendidikan"),
    "JENIS_PKRJN": ("pekerjaan", "pekerjaan"),
    "PNYDNG_CCT": ("cacat", "cacat"),
    "STAT_KTP": ("status_ktp_el.status_rekam", "status_ktp"),
    "STAT_HIDUP": ("status_dasar", "stat_hidup"),
}
OPTIONAL_FLAGS = {"AKTA_LHR": "akta_lahir", "AKTA_KWN": "akta_kawin", "AKTA_CRAI": "akta_cerai", "KIA": "kia"}
OPTIONAL_DATES = {"TGL_KWN": "tanggal_kawin", "TGL_CRAI": "tanggal_cerai"}
OPTIONAL_TEXT = {
    "NO_AKTA_LHR": "no_akta_lahir",
    "NO_AKTA_KWN": "no_akta_kawin",
    "NO_AKTA_CRAI": "no_akta_cerai",
}

_NAME = re.compile(r"(?:[^\W\d_]|[ .,'\-])+")
_DATE_DMY = re.compile(r"(\d{1,2})[-/](\d{1,2})[-/](\d{4})")
_DATE_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
SPREADSHEET_EPOCH = date(1899, 12, 30)
OLDEST_PLAUSIBLE_AGE = 110


@dataclass(frozen=True, slots=True)
class Issue:
    baris: int
    kolom: str
    nilai: str
    kode: str
    pesan: str
    tingkat: str = ERROR


class RowProblem(Exception):
    def __init__(self, kolom: str, nilai: object, kode: str, pesan: str) -> None:
        self.kolom, self.nilai, self.kode, self.pesan = kolom, nilai, kode, pesan


def parse_date(value: object) -> date:
    """dd-mm-yyyy, dd/mm/yyyy, yyyy-mm-dd, a spreadsheet serial number, or a spreadsheet date cell."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        if match := _DATE_DMY.fullmatch(text):
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        if match := _DATE_YMD.fullmatch(text):
            year, month, day = (int(g) for g in match.groups())
            return date(year, month, day)
        if text.isdigit() and 1 <= int(text) <= 80000:
            return SPREADSHEET_EPOCH + timedelta(days=int(text))
    except ValueError:
        pass
    raise ValueError(text)


class RowParser:
    """Checks rows of one file; `columns` maps each known header to its position in the row."""

    def __init__(self, *, columns: dict[str, int], tables: dict[str, CodeTable], kelurahan: set[str]):
        self.columns = columns
        self.tables = tables
        self.kelurahan = kelurahan
        self.today = date.today()
        self._dates: dict[object, date] = {}

    # -- cell helpers -------------------------------------------------------------------------
    def _cell(self, row: list, column: str) -> object:
        index = self.columns.get(column)
        if index is None or index >= len(row):
            return None
        value = row[index]
        if isinstance(value, str):
            value = value.strip()
            return value or None
        return value

    def _required(self, row: list, column: str) -> object:
        value = self._cell(row, column)
        if value is None:
            raise RowProblem(column, "", "wajib_kosong", f"Kolom {column} wajib diisi.")
        return value

    def _code(self, row: list, column: str, table: str, required: bool = True) -> int | None:
        value = self._required(row, column) if required else self._cell(row, column)
        if value is None:
            return None
        code = self.tables[table].code_of(str(value))
        if code is None:
            raise RowProblem(
                column, value, "kode_tidak_dikenal", f"Nilai '{value}' tidak dikenal untuk kolom {column}."
            )
        return code

    def _date(self, row: list, column: str, required: bool = True) -> date | None:
        value = self._required(row, column) if required else self._cell(row, column)
        if value is None:
            return None
        try:
            parsed = self._dates.get(value) or parse_date(value)
        except (ValueError, TypeError):
            raise RowProblem(
                column,
                value,
                "tanggal_tidak_valid",
                f"Tanggal '{value}' tidak valid (gunakan dd-mm-yyyy, dd/mm/yyyy atau yyyy-mm-dd).",
            ) from None
        if parsed > self.today:
            raise RowProblem(
                column, value, "tanggal_masa_depan", f"Tanggal {column} tidak boleh di masa depan."
            )
        self._dates[value] = parsed
        return parsed

    def _number(self, row: list, column: str, what: str) -> str:
        value = str(self._required(row, column))
        try:
            return clean_number(value, what)
        except NikError as problem:
            raise RowProblem(column, value, problem.code, problem.message) from None

    def _small(self, row: list, column: str, digits: int = 3) -> int:
        value = str(self._required(row, column))
        if not value.isdigit() or len(value) > digits:
            raise RowProblem(
                column, value, "rt_rw_tidak_valid", f"{column} harus angka 1–{digits} digit, bukan '{value}'."
            )
        return int(value)

    def _flag(self, row: list, column: str) -> bool:
        value = self._cell(row, column)
        if value is None:
            return False
        label = normalise_label(str(value))
        if label in YES:
            return True
        if label in NO:
            return False
        raise RowProblem(
            column, value, "kode_tidak_dikenal", f"Kolom {column} harus Y atau N, bukan '{value}'."
        )

    def _name(self, row: list, column: str, required: bool = True) -> str:
        value = self._required(row, column) if required else self._cell(row, column)
        if value is None:
            return ""
        text = " ".join(str(value).split())
        if not _NAME.fullmatch(text) or not any(ch.isalpha() for ch in text):
            raise RowProblem(
                column,
                value,
                "nama_tidak_valid",
                f"Nama '{value}' hanya boleh berisi huruf, spasi dan tanda . , ' -",
            )
        return text

    def _text(self, row: list, column: str, required: bool = False) -> str:
        value = self._required(row, column) if required else self._cell(row, column)
        return "" if value is None else " ".join(str(value).split())

    def _kelurahan(self, row: list) -> str:
        parts = [self._required(row, c) for c in ("NO_PROP", "NO_KAB", "NO_KEC", "NO_KEL")]
        try:
            prop, kab, kec, kel = (int(str(p)) for p in parts)
        except ValueError:
            prop = kab = kec = kel = -1
        kode = f"{prop:02d}.{kab:02d}.{kec:02d}.{kel:04d}"
        if kode not in self.kelurahan:
            raise RowProblem(
                "NO_KEL",
                "/".join(str(p) for p in parts),
                "wilayah_tidak_dikenal",
                f"Kode wilayah {'.'.join(str(p) for p in parts)} bukan salah satu kelurahan Kota Palembang.",
            )
        return kode

    def _parent_nik(self, row: list, column: str, baris: int, issues: list[Issue]) -> str:
        value = self._cell(row, column)
        if value is None:
            return ""
        try:
            return clean_number(str(value))
        except NikError:
            issues.append(
                Issue(
                    baris,
                    column,
                    str(value),
                    "ortu_tidak_ditemukan",
                    f"{column} '{value}' bukan NIK yang sah.",
                    WARNING,
                )
            )
            return ""

    # -- the row --------------------------------------------------------------------------------
    def parse(self, baris: int, row: list) -> tuple[tuple | None, list[Issue]]:
        """A clean record and the row's warnings, or None and the first error found."""
        issues: list[Issue] = []
        try:
            record = self._record(baris, row, issues)
        except RowProblem as problem:
            issue = Issue(baris, problem.kolom, _text_of(problem.nilai), problem.kode, problem.pesan)
            return None, [issue]
        return record, issues

    def _record(self, baris: int, row: list, issues: list[Issue]) -> tuple:
        nik = self._number(row, "NIK", "NIK")
        try:
            nik_check(nik)
        except NikError as problem:
            raise RowProblem("NIK", nik, problem.code, problem.message) from None
        no_kk = self._number(row, "NO_KK", "No. KK")
        nama = self._name(row, "NAMA_LGKP")
        sex = self._code(row, "JENIS_KLMIN", "jenis_kelamin")
        tempat = self._text(row, "TMPT_LHR", required=True)
        born = self._date(row, "TGL_LHR")
        agama = self._code(row, "AGAMA", "agama")
        kawin = self._code(row, "STAT_KWN", "status_kawin")
        shdk = self._code(row, "STAT_HBKEL", "shdk")
        kelurahan = self._kelurahan(row)
        rw, rt = self._small(row, "NO_RW"), self._small(row, "NO_RT")
        alamat = self._text(row, "ALAMAT", required=True)
        coded = {
            field: self._code(row, column, table, required=False)
            for column, (table, field) in OPTIONAL_CODED.items()
        }
        flags = {field: self._flag(row, column) for column, field in OPTIONAL_FLAGS.items()}
        dates = {field: self._date(row, column, required=False) for column, field in OPTIONAL_DATES.items()}
        texts = {field: self._text(row, column) for column, field in OPTIONAL_TEXT.items()}
        self._nik_agrees(baris, nik, born, sex, issues)
        self._age_plausible(baris, born, issues)
        return (
            baris,
            nik,
            no_kk,
            nama,
            sex,
            tempat,
            born,
            agama,
            kawin,
            shdk,
            kelurahan,
            rw,
            rt,
            alamat,
            self._text(row, "KODE_POS")[:5],
            coded["golongan_darah"],
            coded["pendidikan"],
            coded["pekerjaan"],
            coded["cacat"],
            self._parent_nik(row, "NIK_IBU", baris, issues),
            self._name(row, "NAMA_LGKP_IBU", required=False),
            self._parent_nik(row, "NIK_AYAH", baris, issues),
            self._name(row, "NAMA_LGKP_AYAH", required=False),
            flags["akta_lahir"],
            texts["no_akta_lahir"],
            flags["akta_kawin"],
            texts["no_akta_kawin"],
            dates["tanggal_kawin"],
            flags["akta_cerai"],
            texts["no_akta_cerai"],
            dates["tanggal_cerai"],
            coded["status_ktp"],
            flags["kia"],
            coded["stat_hidup"] or 1,
        )

    def _nik_agrees(self, baris: int, nik: str, born: date, sex: int, issues: list[Issue]) -> None:
        day = int(nik[6:8])
        female_in_nik = day > 40
        if (day - 40 if female_in_nik else day, int(nik[8:10]), int(nik[10:12])) != (
            born.day,
            born.month,
            born.year % 100,
        ):
            issues.append(
                Issue(
                    baris,
                    "NIK",
                    nik,
                    "nik_tanggal_beda",
                    f"Tanggal lahir pada NIK ({nik[6:12]}) berbeda dengan TGL_LHR {born:%d-%m-%Y}.",
                    WARNING,
                )
            )
        if female_in_nik != (sex == 2):
            issues.append(
                Issue(
                    baris,
                    "NIK",
                    nik,
                    "nik_kelamin_beda",
                    "Jenis kelamin yang tersirat pada NIK berbeda dengan JENIS_KLMIN.",
                    WARNING,
                )
            )

    def _age_plausible(self, baris: int, born: date, issues: list[Issue]) -> None:
        if (self.today.year - born.year) > OLDEST_PLAUSIBLE_AGE:
            issues.append(
                Issue(
                    baris,
                    "TGL_LHR",
                    f"{born:%d-%m-%Y}",
                    "umur_tidak_wajar",
                    f"Umur lebih dari {OLDEST_PLAUSIBLE_AGE} tahun; periksa tanggal lahir.",
                    WARNING,
                )
            )


def _text_of(value: object) -> str:
    if isinstance(value, date):
        return f"{value:%d-%m-%Y}"
    return "" if value is None else str(value)
