"""The SOP flowchart (PermenPANRB 35/2012 symbols) drawn as one small SVG per procedure row.

Each row's SVG spans the performer columns and has the same height, so rows join into one chart and a
page break between rows does not break it. Symbols: a capsule for the first and last step, a diamond for
a step that may return the document, a box otherwise. Return arrows run up a lane at the right edge, one
lane per target step.
"""

from dataclasses import dataclass
from html import escape

from .definition import Definition, Step

COLUMN = 100  # user units per performer column
ROW = 73  # user units per row: 26 mm columns and 19 mm rows keep the aspect ratio exact
COLUMN_MM, ROW_MM = 26, 19
BOX_W, BOX_H = 60, 30
DIAMOND_W, DIAMOND_H = 64, 40
MID = ROW / 2
STROKE = 'stroke="#000" stroke-width="1.2" fill="none"'


@dataclass(frozen=True)
class RowSvg:
    step: Step
    svg: str


def _arrowhead(x: float, y: float, direction: str) -> str:
    points = {
        "down": f"{x - 4},{y - 7} {x + 4},{y - 7} {x},{y}",
        "left": f"{x + 7},{y - 4} {x + 7},{y + 4} {x},{y}",
    }[direction]
    return f'<polygon points="{points}" fill="#000"/>'


def _symbol(step: Step, x: float, last: bool) -> tuple[str, float]:
    """The step's symbol centred at (x, MID) and its half height."""
    label = f'<text x="{x}" y="{MID + 4}" text-anchor="middle" font-size="12" font-family="sans-serif">{step.no}</text>'
    if step.no == 1 or last:
        shape = (
            f'<rect x="{x - BOX_W / 2}" y="{MID - BOX_H / 2}" width="{BOX_W}" height="{BOX_H}" '
            f'rx="{BOX_H / 2}" {STROKE}/>'
        )
        return shape + label, BOX_H / 2
    if step.kembali_ke:
        w, h = DIAMOND_W / 2, DIAMOND_H / 2
        shape = f'<polygon points="{x},{MID - h} {x + w},{MID} {x},{MID + h} {x - w},{MID}" {STROKE}/>'
        return shape + label, h
    shape = f'<rect x="{x - BOX_W / 2}" y="{MID - BOX_H / 2}" width="{BOX_W}" height="{BOX_H}" {STROKE}/>'
    return shape + label, BOX_H / 2


def _lanes(definition: Definition, width: int) -> dict[int, float]:
    targets = sorted({t for step in definition.langkah for t in step.kembali_ke})
    return {target: width - 8 - 7 * i for i, target in enumerate(targets)}


def _return_segments(definition: Definition, step: Step, x: float, lanes: dict[int, float]) -> list[str]:
    """Pieces of every return arrow that pass through this row."""
    parts = []
    for source in definition.langkah:
        for target in source.kembali_ke:
            lane = lanes[target]
            if source.no == step.no:  # leaves the diamond to the right, then up
                parts.append(f'<path d="M{x + DIAMOND_W / 2},{MID} H{lane} V0" {STROKE}/>')
                parts.append(
                    f'<text x="{x + DIAMOND_W / 4 + 2}" y="{MID - DIAMOND_H / 4 - 2}" font-size="9" '
                    'font-family="sans-serif">tidak</text>'
                )
            elif target < step.no < source.no:
                parts.append(f'<path d="M{lane},0 V{ROW}" {STROKE}/>')
            elif step.no == target:  # comes up the lane and into the target's right side
                parts.append(f'<path d="M{lane},{ROW} V{MID} H{x + BOX_W / 2 + 1}" {STROKE}/>')
                parts.append(_arrowhead(x + BOX_W / 2 + 1, MID, "left"))
    return parts


def flowchart_rows(definition: Definition) -> list[RowSvg]:
    columns = definition.column_index
    width = COLUMN * len(definition.pelaksana)
    lanes = _lanes(definition, width)
    rows = []
    steps = definition.langkah
    for i, step in enumerate(steps):
        x = columns[step.pelaksana] * COLUMN + COLUMN / 2
        symbol, half = _symbol(step, x, last=i == len(steps) - 1)
        parts = [symbol]
        if i > 0:  # the arrow from the previous step, jogging across columns near the top
            px = columns[steps[i - 1].pelaksana] * COLUMN + COLUMN / 2
            parts.append(f'<path d="M{px},0 V8 H{x} V{MID - half - 1}" {STROKE}/>')
            parts.append(_arrowhead(x, MID - half - 1, "down"))
        if i < len(steps) - 1:
            parts.append(f'<path d="M{x},{MID + half} V{ROW}" {STROKE}/>')
            if step.kembali_ke:
                parts.append(
                    f'<text x="{x + 3}" y="{MID + half + 10}" font-size="9" font-family="sans-serif">ya</text>'
                )
        parts.extend(_return_segments(definition, step, x, lanes))
        # Escaped for both the attribute and the element: quotes too, so a text cannot add attributes.
        title = escape(f"Langkah {step.no}: {step.aktivitas}", quote=True)
        svg = (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {ROW}" '
            f'width="{COLUMN_MM * len(definition.pelaksana)}mm" height="{ROW_MM}mm" role="img" '
            f'aria-label="{title}"><title>{title}</title>{"".join(parts)}</svg>'
        )
        rows.append(RowSvg(step, svg))
    return rows
