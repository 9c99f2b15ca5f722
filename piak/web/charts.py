"""The one chart renderer: plain SVG strings, used as-is by web pages and by WeasyPrint in the PDF, so
a figure is identical on screen and on paper. No JavaScript, no external fonts or files."""

from dataclasses import dataclass
from decimal import Decimal
from html import escape

FONT = "Liberation Sans, Arial, sans-serif"
MALE, FEMALE, BAR = "#2f6ea5", "#c8553d", "#3d7a5a"


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | int


def number_id(value: Decimal | int, decimals: int = 0) -> str:
    """Indonesian number format: 1.234.567,89."""
    text = f"{Decimal(value):,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" font-family="{FONT}" font-size="11">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def pyramid_svg(groups: list[tuple[str, int, int]], title: str) -> str:
    """Population pyramid: one row per age group (youngest at the bottom), men left, women right."""
    width, row_h, top, bottom = 620, 16, 34, 30
    height = top + row_h * len(groups) + bottom
    centre, label_w = width / 2, 52
    half = centre - label_w / 2 - 10
    scale_max = _nice_max(max([m for _, m, _ in groups] + [f for _, _, f in groups] + [1]))
    body = [
        f'<text x="{centre - label_w / 2 - 4}" y="18" text-anchor="end" fill="{MALE}" font-weight="bold">'
        "Laki-laki</text>",
        f'<text x="{centre + label_w / 2 + 4}" y="18" fill="{FEMALE}" font-weight="bold">Perempuan</text>',
    ]
    for i, (label, male, female) in enumerate(reversed(groups)):
        y = top + i * row_h
        male_w, female_w = half * male / scale_max, half * female / scale_max
        body += [
            f'<rect x="{centre - label_w / 2 - male_w:.1f}" y="{y + 2}" width="{male_w:.1f}" '
            f'height="{row_h - 4}" fill="{MALE}"/>',
            f'<rect x="{centre + label_w / 2:.1f}" y="{y + 2}" width="{female_w:.1f}" '
            f'height="{row_h - 4}" fill="{FEMALE}"/>',
            f'<text x="{centre}" y="{y + row_h - 4}" text-anchor="middle">{escape(label)}</text>',
        ]
    axis_y = top + row_h * len(groups) + 14
    for side in (-1, 1):
        edge = centre + side * (label_w / 2 + half)
        anchor = "start" if side < 0 else "end"
        body.append(f'<text x="{edge:.1f}" y="{axis_y}" text-anchor="{anchor}">{number_id(scale_max)}</text>')
    body.append(f'<text x="{centre}" y="{axis_y + 12}" text-anchor="middle" fill="#555">jiwa</text>')
    return _svg(width, height, title, body)


def bars_svg(bars: list[Bar], title: str, decimals: int = 0) -> str:
    """Horizontal bars, one per region, labelled with their values."""
    width, row_h, top = 620, 18, 8
    label_w = min(max(150, 6 * max([len(b.label) for b in bars] + [0]) + 10), 330)  # long names get room
    height = top + row_h * len(bars) + 10
    scale_max = _nice_max(float(max([b.value for b in bars] + [1])))
    usable = width - label_w - 90
    body = []
    for i, bar in enumerate(bars):
        y = top + i * row_h
        w = usable * float(bar.value) / scale_max
        body += [
            f'<text x="{label_w - 6}" y="{y + row_h - 5}" text-anchor="end">{escape(bar.label)}</text>',
            f'<rect x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{row_h - 4}" fill="{BAR}"/>',
            f'<text x="{label_w + w + 4:.1f}" y="{y + row_h - 5}">{number_id(bar.value, decimals)}</text>',
        ]
    return _svg(width, height, title, body)
