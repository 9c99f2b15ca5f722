"""Row checks of IMPORT-FORMAT.md that need nothing but the row itself.

`RowParser.parse` turns one row of raw cells into a clean staging record (a tuple in `STAGING` order)
plus the problems found. It never raises for bad data: every problem becomes an `Issue`.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from operator import itemgetter

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
RESIDENT_FIELDS = [n for n in STAGING_NAMES if n not in {"baris", "nik", "no_kk", "stat_hidup", *FAMILY_FIELDS}]

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


COLUMNS = REQUIRED + OPTIONAL
DAYS_IN_MONTH = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # leap year: 29 Feb is possible


def nik_date_possible(nik: str) -> bool:
    day, month = int(nik[6:8]), int(nik[8:10])
    if day > 40:
        day -= 40
    return 1 <= month <= 12 and 1 <= day <= DAYS_IN_MONTH[month]


class RowParser:
    """Checks rows of one file; `columns` maps each known header to its position in the row.

    The common case (a clean value) takes one dictionary lookup or string test per cell; anything
    else goes to a slower helper that explains what is wrong.
    """

    def __init__(self, *, columns: dict[str, int], tables: dict[str, CodeTable], kelurahan: set[str]):
        self.columns = columns
        self.tables = tables
        self.kelurahan = kelurahan
        self.today = date.today()
        self.width = max(columns.values()) + 1
        # An absent optional column reads the always-empty slot just past the row's end.
        self.get = itemgetter(*(columns.get(c, self.width) for c in COLUMNS))
        self.padding = [""] * (self.width + 1)
        self._dates: dict[object, date] = {}
        self._regions: dict[tuple, str] = {}
        self._lookups = {name: table.lookup for name, table in tables.items()}

    # -- slow paths: explain what is wrong ---------------------------------------------------------
    def _code(self, value: object, column: str, table: str) -> int:
        code = self.tables[table].code_of(str(value))
        if code is None:
            raise RowProblem(
                column, value, "kode_tidak_dikenal", f"Nilai '{value}' tidak dikenal untuk kolom {column}."
            )
        return code

    def _date(self, value: object, column: str) -> date:
        parsed = self._dates.get(value)
        if parsed is not None:
            return parsed
        try:
            parsed = parse_date(value)
        except (ValueError, TypeError):
            raise RowProblem(
                column,
                value,
                "tanggal_tidak_valid",
                f"Tanggal '{value}' tidak valid (gunakan dd-mm-yyyy, dd/mm/yyyy atau yyyy-mm-dd).",
            ) from None
        if parsed > self.today:
            raise RowProblem(column, value, "tanggal_masa_depan", f"Tanggal {column} tidak boleh di masa depan.")
        self._dates[value] = parsed
        return parsed

    def _nik(self, value: str) -> str:
        nik = value if len(value) == 16 and value.isdigit() else self._number(value, "NIK", "NIK")
        try:
            if nik == "0" * 16 or nik.endswith("0000") or not nik_date_possible(nik):
                nik_check(nik)
        except NikError as problem:
            raise RowProblem("NIK", nik, problem.code, problem.message) from None
        return nik

    @staticmethod
    def _number(value: str, column: str, what: str) -> str:
        try:
            return clean_number(value, what)
        except NikError as problem:
            raise RowProblem(column, value, problem.code, problem.message) from None

    @staticmethod
    def _small(value: str, column: str) -> int:
        if not value.isdigit() or len(value) > 3:
            raise RowProblem(column, value, "rt_rw_tidak_valid", f"{column} harus angka 1–3 digit, bukan '{value}'.")
        return int(value)

    @staticmethod
    def _flag(value: object, column: str) -> bool:
        if not value:
            return False
        label = normalise_label(str(value))
        if label in YES:
            return True
        if label in NO:
            return False
        raise RowProblem(column, value, "kode_tidak_dikenal", f"Kolom {column} harus Y atau N, bukan '{value}'.")

    @staticmethod
    def _name(value: str, column: str) -> str:
        text = " ".join(value.split()) if "  " in value else value
        if not _NAME.fullmatch(text) or not any(ch.isalpha() for ch in text):
            raise RowProblem(
                column,
                value,
                "nama_tidak_valid",
                f"Nama '{value}' hanya boleh berisi huruf, spasi dan tanda . , ' -",
            )
        return text

    def _kelurahan(self, parts: tuple) -> str:
        kode = self._regions.get(parts)
        if kode is not None:
            return kode
        try:
            prop, kab, kec, kel = (int(str(p)) for p in parts)
            kode = f"{prop:02d}.{kab:02d}.{kec:02d}.{kel:04d}"
        except ValueError:
            kode = ""
        if kode not in self.kelurahan:
            shown = ".".join(str(p) for p in parts)
            raise RowProblem(
                "NO_KEL",
                shown,
                "wilayah_tidak_dikenal",
                f"Kode wilayah {shown} bukan salah satu kelurahan Kota Palembang.",
            )
        self._regions[parts] = kode
        return kode

    def _parent_nik(self, value: str, column: str, baris: int, issues: list[Issue]) -> str:
        if not value:
            return ""
        if len(value) == 16 and value.isdigit():
            return value
        try:
            return clean_number(value)
        except NikError:
            issues.append(
                Issue(
                    baris,
                    column,
                    value,
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

    def _cells(self, row: list) -> list:
        if len(row) <= self.width:
            row = row + self.padding[len(row) :]
        return [v.strip() if isinstance(v, str) else ("" if v is None else v) for v in self.get(row)]

    def _record(self, baris: int, row: list, issues: list[Issue]) -> tuple:
        cells = self._cells(row)
        for column, value in zip(REQUIRED, cells, strict=False):
            if value == "":
                raise RowProblem(column, "", "wajib_kosong", f"Kolom {column} wajib diisi.")
        (nik, no_kk, nama, sex, tempat, born, agama, kawin, shdk, prop, kab, kec, kel, rw, rt, alamat,
         gol, pddk, kerja, cacat, nik_ibu, nama_ibu, nik_ayah, nama_ayah, akta_lahir, no_akta_lahir,
         akta_kawin, no_akta_kawin, tgl_kawin, akta_cerai, no_akta_cerai, tgl_cerai, hidup, ktp, kia,
         kode_pos) = cells  # fmt: skip
        lookups = self._lookups
        nik = self._nik(str(nik))
        no_kk = no_kk if len(no_kk) == 16 and no_kk.isdigit() else self._number(str(no_kk), "NO_KK", "No. KK")
        nama = self._name(nama, "NAMA_LGKP")
        sex = lookups["jenis_kelamin"].get(sex) or self._code(sex, "JENIS_KLMIN", "jenis_kelamin")
        born = self._dates.get(born) or self._date(born, "TGL_LHR")
        record = (
            baris,
            nik,
            no_kk,
            nama,
            sex,
            " ".join(str(tempat).split()),
            born,
            lookups["agama"].get(agama) or self._code(agama, "AGAMA", "agama"),
            lookups["status_kawin"].get(kawin) or self._code(kawin, "STAT_KWN", "status_kawin"),
            lookups["shdk"].get(shdk) or self._code(shdk, "STAT_HBKEL", "shdk"),
            self._kelurahan((prop, kab, kec, kel)),
            int(rw) if rw.isdigit() and len(rw) <= 3 else self._small(rw, "NO_RW"),
            int(rt) if rt.isdigit() and len(rt) <= 3 else self._small(rt, "NO_RT"),
            " ".join(str(alamat).split()),
            str(kode_pos)[:5],
            self._optional_code(gol, "GOL_DRH"),
            self._optional_code(pddk, "PDDK_AKH"),
            self._optional_code(kerja, "JENIS_PKRJN"),
            self._optional_code(cacat, "PNYDNG_CCT"),
            self._parent_nik(str(nik_ibu), "NIK_IBU", baris, issues),
            self._name(nama_ibu, "NAMA_LGKP_IBU") if nama_ibu else "",
            self._parent_nik(str(nik_ayah), "NIK_AYAH", baris, issues),
            self._name(nama_ayah, "NAMA_LGKP_AYAH") if nama_ayah else "",
            akta_lahir == "Y" or (akta_lahir != "N" and self._flag(akta_lahir, "AKTA_LHR")),
            str(no_akta_lahir),
            akta_kawin == "Y" or (akta_kawin != "N" and self._flag(akta_kawin, "AKTA_KWN")),
            str(no_akta_kawin),
            self._date(tgl_kawin, "TGL_KWN") if tgl_kawin else None,
            akta_cerai == "Y" or (akta_cerai != "N" and self._flag(akta_cerai, "AKTA_CRAI")),
            str(no_akta_cerai),
            self._date(tgl_cerai, "TGL_CRAI") if tgl_cerai else None,
            self._optional_code(ktp, "STAT_KTP"),
            kia == "Y" or (kia != "N" and self._flag(kia, "KIA")),
            self._optional_code(hidup, "STAT_HIDUP") or 1,
        )
        self._nik_agrees(baris, nik, born, sex, issues)
        if self.today.year - born.year > OLDEST_PLAUSIBLE_AGE:
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
        return record

    def _optional_code(self, value: object, column: str) -> int | None:
        if value == "":
            return None
        table = OPTIONAL_CODED[column][0]
        return self._lookups[table].get(value) or self._code(value, column, table)

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


def _text_of(value: object) -> str:
    if isinstance(value, date):
        return f"{value:%d-%m-%Y}"
    return "" if value is None else str(value)
