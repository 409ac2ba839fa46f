"""The dashboard's figures against hand-computed ones on the fixed data set (tests/exports/
export_data.py), and the HTML export: self-contained, with each figure's definition."""

from __future__ import annotations

import datetime as dt
import re

from survey_app.i18n import catalogue
from survey_app.services import dashboard, dashboard_html
from survey_app.services.exporting import run_export

AS_OF = dt.date(2024, 2, 29)


def test_backlog(ws, data):
    assert dashboard.backlog(ws.store, data["E"]) == {
        "applications": 8,          # E1, E2, E4 ×2, E5, E6, E9, E10
        "buildings": 13,
        "surveyed": 12,             # all but E9 (E8 only has a draft)
        "judged": 11,               # E1–E7, E10, E11–E13
        "certificates": 2,          # E1 and E2; E4's was voided
        "resurvey_requests": 1,     # E10
        "waiting_survey": 1,        # E9's application
        "waiting_certificate": 5,   # E4 ×2, E5, E6, E10
        "open_resurveys": 1,
    }


def test_grade_distribution(ws, data):
    grades = [(g.code, g.label, g.count) for g in dashboard.grade_distribution(ws.store, data["E"])]
    assert grades == [("zenkai", "全壊", 2), ("daikibo", "大規模半壊", 1),
                      ("chukibo", "中規模半壊", 1), ("hankai", "半壊", 3),
                      ("junhankai", "準半壊", 2), ("ichibu", "準半壊に至らない（一部損壊）", 2)]


def test_days_from_application_to_certificate(ws, data):
    lt = dashboard.lead_times(ws.store, data["E"], AS_OF)
    # E1: 2024-01-05 → 01-20 = 15 days; E2: → 02-20 = 46 days; E4's voided one does not count.
    assert (lt.issued, lt.within_target, lt.share_within_target) == (2, 1, 0.5)
    assert lt.median_days == 30.5
    assert dict(lt.buckets) == {"0–7": 0, "8–14": 0, "15–30": 1, "31–60": 1, "61+": 0}
    assert lt.overdue == 6          # received 2024-01-05, no certificate by 2024-02-29


def test_surveys_per_day_by_surveyor(ws, data):
    today = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=9)).date().isoformat()
    counts = {(c.day, c.group): c.count for c in dashboard.surveys_per_day(ws.store, data["E"])}
    # 班A: E2, E4, E6, E10 and the three non-dwellings; 班B: E1, E3, E5, E7.
    assert counts == {(today, "班A"): 7, (today, "班B"): 4}


def test_grade_map_holds_every_located_judged_building(ws, data):
    cells = dashboard.build(ws.store, data["E"], as_of=AS_OF).grade_map
    assert sum(c.count for c in cells) == 7       # E1–E5, E7, E10 (E6 and the imports: no position)
    assert {c.grade_code for c in cells} <= {"zenkai", "daikibo", "chukibo", "hankai",
                                              "junhankai", "ichibu"}


def test_no_certificates_table_counts_zero(ws, data):
    ws.store.db.execute("ALTER TABLE certificates RENAME TO certificates_elsewhere")
    assert dashboard.backlog(ws.store, data["E"])["certificates"] == 0
    assert dashboard.lead_times(ws.store, data["E"], AS_OF).issued == 0


def test_html_is_self_contained_with_definitions(ws, data, tmp_path):
    out = tmp_path / "dashboard.html"
    run_export(ws.store, kind="dashboard", disaster_ids=[data["E"]], out=out, as_of="2024-02-29")
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html and not re.search(r'(src|href)="https?:', html)
    assert html.count("<svg") == len(dashboard.FIGURES)
    for figure in dashboard.FIGURES:
        for lang in ("ja", "en"):
            definition = catalogue(lang)[f"exports.dashboard.{figure}.definition"]
            assert dashboard_html.escape(definition) in html
    assert "50%" in html and "2024-02-29" in html and "能登テスト地震" in html
