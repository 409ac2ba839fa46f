"""Small inline-SVG charts for self-contained HTML reports (no script, no CDN, no image files).

Text is real SVG text in the page's font stack, so Japanese labels stay sharp, searchable and
readable by a screen reader. Every chart also has a data table beside it in the report.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from xml.sax.saxutils import escape

FONT = ("'BIZ UDPGothic', 'IPAexGothic', 'Hiragino Sans', 'Yu Gothic', 'Meiryo',"
        " 'Noto Sans CJK JP', sans-serif")
PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1",
           "#ff9da7", "#9c755f", "#bab0ac")


def _svg(width: int, height: int, body: list[str], label: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}"'
            f' width="{width}" height="{height}" role="img" aria-label="{escape(label)}"'
            f' font-family="{FONT}" font-size="13">' + "".join(body) + "</svg>")


def _text(x: float, y: float, text: str, anchor: str = "start", extra: str = "") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>'
            f"{escape(text)}</text>")


def bar_chart(items: Sequence[tuple[str, float]], *, colours: Sequence[str] = PALETTE,
              label: str = "", width: int = 640, unit: str = "") -> str:
    """Horizontal bars, one per (label, value), the value printed at the bar's end."""
    row, left, right = 28, 190, 70
    top = max((v for _, v in items), default=0) or 1
    body = []
    for i, (name, value) in enumerate(items):
        y = 8 + i * row
        length = (width - left - right) * value / top
        body.append(_text(left - 8, y + 15, name, "end"))
        body.append(f'<rect x="{left}" y="{y}" width="{length:.1f}" height="20"'
                    f' fill="{colours[i % len(colours)]}"/>')
        body.append(_text(left + length + 6, y + 15, f"{value:,g}{unit}"))
    return _svg(width, 16 + row * len(items), body, label)


def stacked_columns(days: Sequence[str], groups: Sequence[str],
                    values: dict[tuple[str, str], int], *, label: str = "",
                    width: int = 720, height: int = 260, marker: int | None = None) -> str:
    """One column per day, stacked by group, with a legend; `marker` draws a dashed line."""
    left, bottom, top_pad = 44, 52, 12
    plot_h = height - bottom - top_pad
    totals = [sum(values.get((d, g), 0) for g in groups) for d in days]
    top = max([*totals, marker or 0, 1])
    step = min((width - left - 10) / max(len(days), 1), 48)   # a lone day is not a wall
    body = [f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{width - 10}"'
            f' y2="{top_pad + plot_h}" stroke="#333"/>', _text(left - 6, top_pad + 10, f"{top:,}",
                                                              "end")]
    for i, day in enumerate(days):
        y = top_pad + plot_h
        for k, group in enumerate(groups):
            h = plot_h * values.get((day, group), 0) / top
            y -= h
            body.append(f'<rect x="{left + i * step + 2:.1f}" y="{y:.1f}"'
                        f' width="{max(step - 4, 1):.1f}" height="{h:.1f}"'
                        f' fill="{PALETTE[k % len(PALETTE)]}"><title>{escape(day)} '
                        f"{escape(group)}: {values.get((day, group), 0)}</title></rect>")
        if len(days) <= 16 or i % math.ceil(len(days) / 16) == 0:
            body.append(_text(left + (i + 0.5) * step, height - bottom + 16, day[5:], "middle",
                              ' font-size="11"'))
    if marker is not None:
        y = top_pad + plot_h * (1 - marker / top)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}"'
                    ' stroke="#c00" stroke-dasharray="5,4"/>')
    body += _legend(groups, height - 18, left)
    return _svg(width, height, body, label)


def _legend(groups: Sequence[str], y: float, x0: float) -> list[str]:
    out, x = [], x0
    for k, group in enumerate(groups[:12]):
        out.append(f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="10" height="10"'
                   f' fill="{PALETTE[k % len(PALETTE)]}"/>')
        out.append(_text(x + 14, y, group or "（未設定）", extra=' font-size="11"'))
        x += 24 + 12 * len(group or "（未設定）")
    return out


def dot_map(points: Sequence[tuple[float, float, str, int]], *, label: str = "",
            width: int = 520) -> str:
    """Points (lat, lon, colour, count) on an equirectangular frame, north up."""
    if not points:
        return _svg(width, 40, [_text(10, 25, "位置情報のある判定済みの建物がありません")], label)
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    # Shrink longitude by cos(latitude) so the map is not stretched east–west.
    k = math.cos(math.radians(sum(lats) / len(lats)))
    span_x = (max(lons) - min(lons)) * k or 1e-6
    span_y = (max(lats) - min(lats)) or 1e-6
    height = int(min(max(width * span_y / span_x, 200), 700))
    scale = min((width - 20) / span_x, (height - 20) / span_y)
    body = [f'<rect width="{width}" height="{height}" fill="#f7f7f2"/>']
    for lat, lon, colour, count in points:
        x = 10 + (lon - min(lons)) * k * scale
        y = height - 10 - (lat - min(lats)) * scale
        r = 2.5 + min(math.log10(count + 1) * 2, 5)
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colour}"'
                    f' fill-opacity="0.8"><title>{count}</title></circle>')
    return _svg(width, height, body, label)
