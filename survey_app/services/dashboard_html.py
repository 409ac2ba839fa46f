"""The dashboard as one self-contained HTML file: inline SVG charts, a data table and the
definition (Japanese and English) beside every figure; no script, no web font, no CDN, so it
opens offline on any PC and can be mailed or printed as it is."""

from __future__ import annotations

from html import escape
from pathlib import Path

from survey_app.exports import svg_charts
from survey_app.exports.output import atomic_path
from survey_app.i18n import catalogue, current_language, tr
from survey_app.maps.colours import GRADE_COLOURS
from survey_app.services.dashboard import BACKLOG_KEYS, TARGET_DAYS, Dashboard

_CSS = f"""
body {{ font-family: {svg_charts.FONT}; margin: 24px; color: #222; max-width: 1100px; }}
h1 {{ font-size: 22px; margin-bottom: 4px; }}
h2 {{ font-size: 17px; border-bottom: 2px solid #4e79a7; padding-bottom: 3px; }}
section {{ margin-bottom: 28px; page-break-inside: avoid; }}
.fig {{ display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }}
table {{ border-collapse: collapse; font-size: 13px; }}
td, th {{ border: 1px solid #bbb; padding: 3px 8px; }}
td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
.def {{ font-size: 13px; background: #f4f6f9; padding: 6px 10px; border-left: 4px solid #4e79a7; }}
.def .en {{ color: #555; display: block; margin-top: 3px; }}
.big {{ font-size: 28px; font-weight: bold; }}
"""


def _t(key: str, **args: object) -> str:
    return tr(f"exports.dashboard.{key}", **args)


def _definition(figure: str) -> str:
    key = f"exports.dashboard.{figure}.definition"
    here = tr(key)
    other = catalogue("en" if current_language() == "ja" else "ja").get(key, "")
    return (f'<p class="def">{escape(here)}'
            + (f'<span class="en">{escape(other)}</span>' if other else "") + "</p>")


def _table(head: list[str], rows: list[list[object]]) -> str:
    cells = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(f'<td class="n">{v:,}</td>' if isinstance(v, int)
                         else f"<td>{escape(str(v))}</td>" for v in row) + "</tr>"
        for row in rows)
    return f"<table><tr>{cells}</tr>{body}</table>"


def _section(figure: str, chart: str, table: str, extra: str = "") -> str:
    return (f'<section id="{figure}"><h2>{escape(_t(figure + ".title"))}</h2>{extra}'
            f'<div class="fig">{chart}{table}</div>{_definition(figure)}</section>')


def _backlog(d: Dashboard) -> str:
    items = [(_t(f"backlog.{k}"), d.backlog[k]) for k in BACKLOG_KEYS]
    chart = svg_charts.bar_chart(items, label=_t("backlog.title"))
    return _section("backlog", chart, _table([_t("item"), _t("count")],
                                             [[n, v] for n, v in items]))


def _per_day(d: Dashboard) -> str:
    days = sorted({c.day for c in d.per_day})
    groups = sorted({c.group for c in d.per_day})
    values = {(c.day, c.group): c.count for c in d.per_day}
    chart = svg_charts.stacked_columns(days, groups, values, label=_t("surveys_per_day.title"))
    rows = [[day, sum(values.get((day, g), 0) for g in groups)] for day in days]
    return _section("surveys_per_day", chart, _table([_t("day"), _t("count")], rows),
                    f"<p>{escape(_t('grouped_by_' + d.group_by))}</p>")


def _grades(d: Dashboard) -> str:
    items = [(g.label, g.count) for g in d.grades]
    colours = [GRADE_COLOURS.get(g.code, "#777") for g in d.grades]
    chart = svg_charts.bar_chart(items, colours=colours, label=_t("grades.title"))
    return _section("grades", chart, _table([_t("grade"), _t("count")],
                                            [[n, v] for n, v in items]))


def _lead_time(d: Dashboard) -> str:
    lt = d.lead_times
    share = "—" if lt.share_within_target is None else f"{lt.share_within_target:.0%}"
    median = "—" if lt.median_days is None else f"{lt.median_days:g}"
    headline = (f'<p><span class="big">{share}</span> '
                f"{escape(_t('lead_time.headline', days=TARGET_DAYS, issued=lt.issued, median=median, overdue=lt.overdue))}</p>")
    chart = svg_charts.bar_chart([(f"{label} {_t('days')}", n) for label, n in lt.buckets],
                                 label=_t("lead_time.title"))
    return _section("lead_time", chart, _table([_t("days"), _t("count")],
                                               [[label, n] for label, n in lt.buckets]),
                    headline)


def _grade_map(d: Dashboard) -> str:
    points = [(c.lat, c.lon, GRADE_COLOURS.get(c.grade_code, "#777"), c.count)
              for c in d.grade_map]
    chart = svg_charts.dot_map(points, label=_t("grade_map.title"))
    legend = [[g.label, g.count] for g in d.grades]
    return _section("grade_map", chart, _table([_t("grade"), _t("count")], legend))


def render(d: Dashboard) -> str:
    title = _t("title")
    name = d.disaster["name"] if d.disaster else ""
    body = "".join(part(d) for part in (_backlog, _per_day, _grades, _lead_time, _grade_map))
    return (f'<!DOCTYPE html>\n<html lang="{current_language()}"><head><meta charset="utf-8">'
            f"<title>{escape(title)} {escape(name)}</title><style>{_CSS}</style></head><body>"
            f"<h1>{escape(title)}</h1><p>{escape(name)} — {escape(_t('as_of', date=d.as_of))}"
            f"</p>{body}</body></html>\n")


def write_html(d: Dashboard, out: Path | str) -> Path:
    out = Path(out)
    with atomic_path(out) as tmp:
        tmp.write_text(render(d), encoding="utf-8")
    return out
