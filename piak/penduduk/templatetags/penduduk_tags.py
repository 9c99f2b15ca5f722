from datetime import date

from django import template
from django.utils.dateformat import format as date_format

from piak.core.masking import personal_text_mask
from piak.penduduk.nik import nik_mask

register = template.Library()


@register.filter
def nomor(value: str, pribadi: bool) -> str:
    """A NIK or No. KK in full for officials allowed to see personal data, masked for everyone else."""
    if not value:
        return ""
    return value if pribadi else nik_mask(value)


@register.filter
def tanggal(value: date | None, pribadi: bool) -> str:
    """A date about a person: in full for officials allowed to see personal data, else its year only
    (a full birth date beside a masked NIK would leave only the serial to guess)."""
    if not value:
        return ""
    return date_format(value, "d-m-Y") if pribadi else str(value.year)


@register.filter
def teks_pribadi(value: str, pribadi: bool) -> str:
    """Free text that may quote a NIK or a birth date (an import message), masked for everyone else."""
    if not value:
        return ""
    return value if pribadi else personal_text_mask(str(value))
