"""How identity numbers and the dates beside them are hidden from officials without `lihat data pribadi`.

A NIK is `PP KK CC DDMMYY SSSS`: region of issue (province, city, kecamatan), birth date (women's day
+ 40) and a serial that is small for most people. A No. KK has the same shape with the card's issue
date. Anyone who knows a resident's region, birth date and sex is left with the serial alone, so a mask
that keeps the serial (or pages that show the full birth date beside any mask) gives the number away.
The masked view therefore keeps only the region of issue and hides all ten digits of date and serial,
and every date about a person is shown to such officials as its year only (see `docs/data-pribadi.md`).
"""

import re

REGION_DIGITS = 6
IDENTITY_NUMBER = re.compile(r"(?<!\d)\d{16}(?!\d)")
# 15-05-1980, 15/05/1980, 1980-05-15 (ISO, as audit payloads store dates), optionally with a time.
PERSONAL_DATE = re.compile(
    r"(?<!\d)(?:\d{1,2}[-/.]\d{1,2}[-/.](?P<year_last>\d{4})|(?P<year_first>\d{4})-\d{2}-\d{2})(?:[T ][\d:.+Z]+)?(?!\d)"
)


def identity_number_mask(number: str) -> str:
    """`167101xxxxxxxxxx`: the region of issue stays; birth (or issue) date and serial are hidden."""
    if len(number) != 16:
        return "x" * len(number)
    return number[:REGION_DIGITS] + "x" * (16 - REGION_DIGITS)


def personal_text_mask(text: str) -> str:
    """Free text (a message, a report cell, an audit payload) with every NIK/KK masked and every date
    cut to its year, so nothing in it helps to rebuild an identity number."""
    masked = IDENTITY_NUMBER.sub(lambda m: identity_number_mask(m.group()), text)
    return PERSONAL_DATE.sub(lambda m: m.group("year_last") or m.group("year_first"), masked)


def identity_numbers_mask(text: str) -> str:
    """Only the NIK/KK in `text` masked (for error pages, where dates are not about a person)."""
    return IDENTITY_NUMBER.sub(lambda m: identity_number_mask(m.group()), text)
