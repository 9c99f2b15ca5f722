"""`{{ moment|waktu_wib }}` (or `|waktu_wib:"detik"`): the template side of `piak.core.waktu.waktu_wib`.

Registered as a template builtin (settings.TEMPLATES), so no template needs to load it."""

from django import template

from piak.core.waktu import waktu_wib as format_wib

register = template.Library()


@register.filter
def waktu_wib(moment, precision: str = "") -> str:
    """A moment in WIB with its label; `"detik"` adds the seconds. Empty (so `|default` works) for none."""
    return format_wib(moment, seconds=precision == "detik")
