"""Small inline SVG charts: no chart library, nothing loaded from the internet, readable when printed."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

BAR_HEIGHT = 22
LABEL_WIDTH = 190
CHART_WIDTH = 640


@dataclass(frozen=True)
class Bar:
    label: str
    values: tuple[int, ...]  # stacked parts, e.g. (open, resolved)


def bar_chart(title: str, bars: list[Bar], legend: tuple[str, ...] = ()) -> str:
    """Horizontal (stacked) bars with the numbers written beside them; labels are HTML-escaped."""
    top = 24 if legend else 4
    height = top + len(bars) * BAR_HEIGHT + 4
    largest = max((sum(b.values) for b in bars), default=0) or 1
    scale = (CHART_WIDTH - LABEL_WIDTH - 50) / largest
    parts = [
        f'<svg class="kb-chart" viewBox="0 0 {CHART_WIDTH} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for index, name in enumerate(legend):
        legend_x = LABEL_WIDTH + index * 140
        parts.append(f'<rect class="kb-chart__part{index}" x="{legend_x}" y="4" width="12" height="12"/>')
        parts.append(f'<text x="{legend_x + 16}" y="14">{escape(name)}</text>')
    for row, bar in enumerate(bars):
        y = top + row * BAR_HEIGHT
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">{escape(bar.label)}</text>')
        x = float(LABEL_WIDTH)
        for index, value in enumerate(bar.values):
            width = value * scale
            if width:
                parts.append(
                    f'<rect class="kb-chart__part{index}" x="{x:.1f}" y="{y + 3}" width="{width:.1f}" '
                    f'height="{BAR_HEIGHT - 6}"/>'
                )
            x += width
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 15}">{" + ".join(map(str, bar.values))}</text>')
    parts.append("</svg>")
    return "".join(parts)
