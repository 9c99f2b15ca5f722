"""NIK rules of IMPORT-FORMAT.md: `PP KK CC DDMMYY SSSS`, women's day + 40, serial from 0001."""

from datetime import date

from piak.core.masking import identity_number_mask

PALEMBANG_PREFIX = "1671"


class NikError(ValueError):
    """An identity number that cannot be right; `code` is the report's stable error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _looks_numeric_formatted(raw: str) -> bool:
    upper = raw.upper()
    return "E+" in upper or "E-" in upper or upper.endswith(".0")


def clean_number(raw: str, what: str = "NIK") -> str:
    """The 16 digits of a NIK or No. KK as typed, tolerating a leading apostrophe, spaces and dots."""
    if _looks_numeric_formatted(raw):
        raise NikError(
            "nik_angka" if what == "NIK" else "kk_angka",
            f"{what} '{raw}' tersimpan sebagai angka di spreadsheet (notasi ilmiah/desimal) sehingga "
            f"digitnya hilang; ekspor ulang dengan kolom {what} berformat teks.",
        )
    digits = raw.lstrip("'").replace(" ", "").replace(".", "")
    if len(digits) != 16 or not digits.isdigit():
        raise NikError("nik_format" if what == "NIK" else "kk_format", f"{what} harus 16 digit angka, bukan '{raw}'.")
    return digits


def nik_check(nik: str) -> None:
    """Refuse a 16-digit NIK whose date part or serial is impossible."""
    if nik == "0" * 16:
        raise NikError("nik_nol", "NIK tidak boleh berisi nol semua.")
    if nik.endswith("0000"):
        raise NikError(
            "nik_nomor_urut",
            "Nomor urut NIK (4 digit terakhir) tidak boleh 0000; jika NIK pernah diformat sebagai "
            "angka di spreadsheet, digit terakhirnya hilang — ekspor ulang sebagai teks.",
        )
    if nik_birth_date(nik) is None:
        raise NikError("nik_tanggal", f"Bagian tanggal lahir NIK ({nik[6:12]}) bukan tanggal yang mungkin.")


def nik_birth_date(nik: str, reference_year: int | None = None) -> date | None:
    """The birth date coded in a NIK (century guessed: not in the future), or None if impossible."""
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:
        day -= 40
    this_year = reference_year or date.today().year
    year = 2000 + yy if 2000 + yy <= this_year else 1900 + yy
    try:
        return date(year, month, day)
    except ValueError:
        # 29 February of a year the guessed century makes common: try the other century.
        try:
            return date(year - 100, month, day)
        except ValueError:
            return None


def nik_is_female(nik: str) -> bool:
    return int(nik[6:8]) > 40


def nik_date_part(born: date, female: bool) -> str:
    return f"{born.day + (40 if female else 0):02d}{born.month:02d}{born.year % 100:02d}"


def nik_issued_elsewhere(nik: str) -> bool:
    """True when the NIK was first issued outside Kota Palembang (the resident moved in)."""
    return not nik.startswith(PALEMBANG_PREFIX)


def nik_mask(nik: str) -> str:
    """`167101xxxxxxxxxx` for an official without `lihat data pribadi`.

    Only the region of issue (province, city, kecamatan) stays. The birth date (which also codes the
    sex) and the serial are hidden together: the serial is small for most people, so a mask that keeps
    it leaves only the date to find, and the date is what pages show beside the NIK. Pages that show
    this mask show a resident's dates as the year only, and searching by digits is refused, so nothing
    shown or answered narrows the ten hidden digits (`docs/data-pribadi.md`).
    """
    return identity_number_mask(nik)


def kk_mask(no_kk: str) -> str:
    """`167101xxxxxxxxxx`: a No. KK has the NIK's shape (region, issue date, serial) and the same mask."""
    return identity_number_mask(no_kk)
