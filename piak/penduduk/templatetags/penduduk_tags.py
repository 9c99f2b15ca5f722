from django import template

from piak.penduduk.nik import nik_mask

register = template.Library()


@register.filter
def nomor(value: str, pribadi: bool) -> str:
    """A NIK or No. KK in full for officials allowed to see personal data, masked for everyone else."""
    if not value:
        return ""
    return value if pribadi else nik_mask(value)
