"""Use over time as an inline SVG bar chart, rendered on the server (no script, no CDN, no style attribute).

Colours come from classes in static/style.css, so the strict CSP (style-src 'self') holds. Each
bar has a <title> (hover) and the figure a table of the same numbers for screen readers.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 720, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 16, 40
MAX_YEARS = 60  # wider spans are cut to the last sixty years


@dataclass(frozen=True)
class Series:
    label: str  # the query
    counts: dict[str, int]  # year -> occurrences
    docs: dict[str, int]  # year -> documents
    css: str  # "s1" | "s2"


def years_of(series: list[Series]) -> list[str]:
    """Every year from the first to the last any series has, gaps included (a gap is a finding)."""
    found = sorted({y for s in series for y in s.counts if y.isdigit()})
    if not found:
        return []
    years = [str(y) for y in range(int(found[0]), int(found[-1]) + 1)]
    return years[-MAX_YEARS:]


def _ticks(top: int) -> list[int]:
    """Up to five round values from 0 to top."""
    if top <= 0:
        return [0]
    step = max(1, top // 4)
    magnitude = 10 ** (len(str(step)) - 1)
    step = -(-step // magnitude) * magnitude
    return list(range(0, top + step, step))


def usage_svg(series: list[Series]) -> Markup:
    """Bars per year (one per series, side by side), y = occurrences; empty markup with no dated use."""
    years = years_of(series)
    if not years:
        return Markup("")
    top = max([s.counts.get(y, 0) for s in series for y in years] + [1])
    ticks = _ticks(top)
    top = max(top, ticks[-1])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(years)
    bar = max(1.0, slot * 0.8 / len(series))
    out = [f'<svg class="usage-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="usage-title">'
           f'<title id="usage-title">{escape(_title(series))}</title>']
    for tick in ticks:
        y = TOP + plot_h - plot_h * tick / top
        out.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
                   f'<text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>')
    label_every = max(1, len(years) // 12)
    for i, year in enumerate(years):
        x0 = LEFT + i * slot + slot * 0.1
        for k, s in enumerate(series):
            n = s.counts.get(year, 0)
            h = plot_h * n / top
            out.append(f'<rect class="bar {s.css}" x="{x0 + k * bar:.1f}" y="{TOP + plot_h - h:.1f}" width="{bar:.1f}" '
                       f'height="{h:.1f}"><title>{escape(s.label)} · {year}：{n} 次，{s.docs.get(year, 0)} 个文件'
                       f'</title></rect>')
        if i % label_every == 0:
            out.append(f'<text class="year" x="{LEFT + (i + 0.5) * slot:.1f}" y="{HEIGHT - BOTTOM + 16}" '
                       f'text-anchor="middle">{year}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def _title(series: list[Series]) -> str:
    return "每年出现次数：" + " 对比 ".join(f"“{s.label}”" for s in series)
