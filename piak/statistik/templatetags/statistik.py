from decimal import Decimal

from django import template
from django.utils.safestring import mark_safe

from piak.web.charts import number_id

register = template.Library()


@register.filter
def angka(value) -> str:
    """Numbers in Indonesian format (1.234,56); text unchanged; no value as a dash."""
    if value is None:
        return "—"
    if isinstance(value, int):
        return number_id(value)
    if isinstance(value, Decimal):
        decimals = max(0, -value.as_tuple().exponent)
        return number_id(value, decimals)
    return str(value)


@register.filter
def is_number(value) -> bool:
    return isinstance(value, int | Decimal)


@register.simple_tag
def svg(markup: str):
    """Charts come from statistik.charts, which escapes every text it puts in the SVG."""
    return mark_safe(markup)
