"""Query parameters read safely: a value that is not what the page expects is a 400, never a 500."""

from django.core.exceptions import BadRequest

# Beyond these a number cannot name a year or a version, and would overflow a database integer.
LIMITS = {"tahun": (1900, 9999), "versi": (1, 2**31 - 1)}


def int_param(query, name: str, default: int | None = None) -> int | None:
    """The whole number in `query[name]` (empty or absent: `default`), within its plausible range."""
    raw = query.get(name, "").strip()
    if not raw:
        return default
    low, high = LIMITS.get(name, (-(2**31), 2**31 - 1))
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise BadRequest(f"Parameter '{name}' harus berupa bilangan bulat antara {low} dan {high}.")
    return int(raw)
