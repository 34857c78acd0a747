"""A heat map as inline SVG (rows x columns, the value written in each cell), like `charts.py`: no library,
nothing from the internet, readable when printed in black and white.

The colour scale is one hue from light to dark, so its order survives grayscale; the value is written in
every cell anyway. A suppressed cell is hatched and says "< 5"; a cell without answers says "—". The SVG
is hidden from screen readers: the page shows the same numbers in a real table.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

# ColorBrewer "Blues" (7 classes): light to dark, monotonic in lightness. Dark text on the first five,
# white on the last two; every pair has a contrast of at least 4.5:1.
COLOURS = ("#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594")
LIGHT_TEXT_FROM = 5
CELL_WIDTH = 50
CELL_HEIGHT = 28
LABEL_WIDTH = 200  # at least; wider when a row label needs it
HEADER_HEIGHT = 110  # at least; column labels are written at an angle
LEGEND_HEIGHT = 70
CHAR_WIDTH = 7.5  # a generous average width of a label character (12 px text): labels are never clipped


def _text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


@dataclass(frozen=True)
class HeatCell:
    """One cell: its value on the scale (None: no colour), the text written in it, and whether it is hidden
    because the group is too small."""

    value: float | None
    text: str
    suppressed: bool = False


def colour_index(value: float, low: float, high: float) -> int:
    """The class of the colour scale (0 = lightest) for a value between `low` and `high`."""
    share = (min(max(value, low), high) - low) / (high - low)
    return min(int(share * len(COLOURS)), len(COLOURS) - 1)


def _cell(x: float, y: float, cell: HeatCell, low: float, high: float) -> str:
    centre_x, centre_y = x + CELL_WIDTH / 2, y + CELL_HEIGHT / 2 + 4
    if cell.suppressed:
        fill, ink, kind = "url(#kb-heatmap-hatch)", "#000", "suppressed"
    elif cell.value is None:
        fill, ink, kind = "none", "currentColor", "empty"
    else:
        index = colour_index(cell.value, low, high)
        fill, ink, kind = COLOURS[index], "#fff" if index >= LIGHT_TEXT_FROM else "#000", f"c{index}"
    dashed = ' stroke-dasharray="3 3"' if cell.value is None and not cell.suppressed else ""
    return (
        f'<rect class="kb-heatmap__cell kb-heatmap__cell--{kind}" x="{x}" y="{y}" width="{CELL_WIDTH - 2}" '
        f'height="{CELL_HEIGHT - 2}" fill="{fill}" stroke="#767676" stroke-width="0.5"{dashed}/>'
        f'<text class="kb-heatmap__value" x="{centre_x - 1}" y="{centre_y - 1}" text-anchor="middle" '
        f'fill="{ink}">{escape(cell.text)}</text>'
    )


def heat_map(
    rows: list[tuple[str, list[HeatCell]]],
    columns: list[str],
    scale: tuple[float, float],
    scale_labels: tuple[str, ...],
    suppressed_label: str,
    empty_label: str,
) -> str:
    """The SVG of a heat map; `rows` are (label, one cell per column), `scale_labels` name the whole numbers
    from `scale[0]` to `scale[1]` in the legend. Labels are HTML-escaped."""
    low, high = scale
    # Room for the longest labels (a taxonomy label may be long): the row labels on the left, and the column
    # labels at 45 degrees above the grid and past its right edge.
    label_width = max([LABEL_WIDTH, *(_text_width(label) + 16 for label, _ in rows)])
    slanted = max((_text_width(label) * 0.71 for label in columns), default=0)
    header_height = max(HEADER_HEIGHT, slanted + 24)
    legend_width = 30 * len(COLOURS) + 66 + _text_width(max(suppressed_label, empty_label, key=len))
    width = label_width + max(len(columns) * CELL_WIDTH + slanted, legend_width) + 16
    grid_height = len(rows) * CELL_HEIGHT
    height = header_height + grid_height + LEGEND_HEIGHT
    parts = [
        f'<svg class="kb-heatmap" viewBox="0 0 {width} {height}" width="100%" aria-hidden="true" '
        'xmlns="http://www.w3.org/2000/svg">',
        '<defs><pattern id="kb-heatmap-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#9e9e9e" stroke-width="2"/></pattern></defs>',
    ]
    for index, label in enumerate(columns):
        x = label_width + index * CELL_WIDTH + CELL_WIDTH / 2
        parts.append(
            f'<text class="kb-heatmap__label" x="{x}" y="{header_height - 8}" '
            f'transform="rotate(-45 {x} {header_height - 8})">{escape(label)}</text>'
        )
    for row_index, (label, cells) in enumerate(rows):
        y = header_height + row_index * CELL_HEIGHT
        parts.append(
            f'<text class="kb-heatmap__label" x="{label_width - 8}" y="{y + CELL_HEIGHT / 2 + 4}" '
            f'text-anchor="end">{escape(label)}</text>'
        )
        parts += [_cell(label_width + i * CELL_WIDTH, y, cell, low, high) for i, cell in enumerate(cells)]
    parts.append(_legend(label_width, header_height + grid_height + 16, scale_labels, suppressed_label, empty_label))
    parts.append("</svg>")
    return "".join(parts)


def _legend(left: float, top: float, labels: tuple[str, ...], suppressed: str, empty: str) -> str:
    """The colour band with the named levels under it, and the two cells without a colour."""
    swatch = 30
    parts = []
    for index, colour in enumerate(COLOURS):
        parts.append(
            f'<rect x="{left + index * swatch}" y="{top}" width="{swatch}" height="12" fill="{colour}" '
            'stroke="#767676" stroke-width="0.5"/>'
        )
    band = swatch * len(COLOURS)
    for step, label in enumerate(labels):
        x = left + band * step / max(len(labels) - 1, 1)
        parts.append(
            f'<text class="kb-heatmap__label" x="{x}" y="{top + 28}" text-anchor="middle">{escape(label)}</text>'
        )
    x = left + band + 30
    parts.append(
        f'<rect x="{x}" y="{top}" width="{swatch}" height="12" fill="url(#kb-heatmap-hatch)" stroke="#767676" '
        f'stroke-width="0.5"/><text class="kb-heatmap__label" x="{x + swatch + 6}" y="{top + 11}">'
        f"{escape(suppressed)}</text>"
        f'<rect x="{x}" y="{top + 22}" width="{swatch}" height="12" fill="none" stroke="#767676" stroke-width="0.5" '
        f'stroke-dasharray="3 3"/><text class="kb-heatmap__label" x="{x + swatch + 6}" y="{top + 33}">'
        f"{escape(empty)}</text>"
    )
    return "".join(parts)
