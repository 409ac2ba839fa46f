"""The progress dashboard's figures (見える化) for one disaster, computed from the store.

Each figure's definition is in the message catalogue beside its title
(`exports.dashboard.<figure>.definition`, Japanese and English) and in docs/exports.md; the
dashboard tab and the HTML export print it next to the chart. Days are Japan days (JST).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from survey_app.exports import certificate_facts
from survey_app.exports.source import DAMAGED_GRADES, EXCLUDED_APPLICATION_STATUSES
from survey_app.services.dashboard_map import GradeCell, grade_cells
from survey_app.store.db import Store

FIGURES = ("surveys_per_day", "backlog", "grades", "lead_time", "grade_map")
GRADE_ORDER = (*DAMAGED_GRADES, "junhankai", "ichibu", "hankai_miman")
BACKLOG_KEYS = ("applications", "buildings", "surveyed", "judged", "certificates",
                "resurvey_requests", "waiting_survey", "waiting_certificate", "open_resurveys")
TARGET_DAYS = 30      # the national target: a certificate within one month of the application
BUCKETS = ((0, 7), (8, 14), (15, 30), (31, 60), (61, None))
_EXCLUDED = ", ".join(f"'{s}'" for s in EXCLUDED_APPLICATION_STATUSES)
_APPS = f"FROM applications a WHERE a.disaster_id = :did AND a.status NOT IN ({_EXCLUDED})"
_JUDGED_BUILDING = ("EXISTS (SELECT 1 FROM surveys s WHERE s.building_id = a.building_id"
                    " AND s.head_version_id IS NOT NULL)")


@dataclass(frozen=True)
class DailyCount:
    day: str          # YYYY-MM-DD (JST)
    group: str        # surveyor or team
    count: int


@dataclass(frozen=True)
class GradeCount:
    code: str
    label: str
    count: int


@dataclass
class LeadTimes:
    issued: int = 0
    within_target: int = 0
    median_days: float | None = None
    buckets: list[tuple[str, int]] = field(default_factory=list)
    overdue: int = 0      # applications older than the target still without a certificate

    @property
    def share_within_target(self) -> float | None:
        return self.within_target / self.issued if self.issued else None


@dataclass
class Dashboard:
    disaster: dict
    as_of: str
    group_by: str
    per_day: list[DailyCount]
    backlog: dict[str, int]
    grades: list[GradeCount]
    lead_times: LeadTimes
    grade_map: list[GradeCell]


def _scalar(store: Store, sql: str, did: str) -> int:
    return store.db.execute(sql, {"did": did}).fetchone()[0] or 0


def surveys_per_day(store: Store, disaster_id: str, group_by: str = "surveyor") -> list[DailyCount]:
    """Surveys completed for the first time, per JST day and surveyor (or assigned team)."""
    group = "s.surveyor" if group_by == "surveyor" else "b.assigned_to"
    sql = (f"SELECT date(f.judged_at, '+9 hours') AS day, coalesce({group}, '') AS g, count(*)"
           " FROM version_facts f JOIN surveys s ON s.id = f.survey_id"
           " JOIN buildings b ON b.id = s.building_id"
           " WHERE s.disaster_id = :did AND f.version_no = 1 GROUP BY day, g ORDER BY day, g")
    return [DailyCount(day, g, n) for day, g, n in store.db.execute(sql, {"did": disaster_id})]


def _certificate_counts(store: Store, did: str) -> tuple[int, int]:
    """(罹災証明書 issued, applications judged but still without one)."""
    waiting_sql = f"SELECT count(*) {_APPS} AND {_JUDGED_BUILDING}"
    if not certificate_facts.available(store.db):
        return 0, _scalar(store, waiting_sql, did)
    issued = _scalar(store, "SELECT count(*) FROM certificates WHERE disaster_id = :did AND"
                            " kind = 'risai' AND event = 'issue' AND validity <> 'voided'", did)
    waiting = _scalar(store, waiting_sql + " AND NOT EXISTS (SELECT 1 FROM certificates c"
                      " WHERE c.application_id = a.id AND c.kind = 'risai'"
                      " AND c.validity <> 'voided')", did)
    return issued, waiting


def _resurvey_counts(store: Store, did: str) -> tuple[int, int]:
    """(re-survey requests received, requests still open)."""
    if store.db["resurvey_requests"].exists():
        base = "SELECT count(*) FROM resurvey_requests WHERE disaster_id = :did AND status"
        return (_scalar(store, base + " <> 'withdrawn'", did),
                _scalar(store, base + " = 'requested'", did))
    # Without the office's request table, the re-survey tasks themselves are the requests.
    base = "SELECT count(*) FROM surveys WHERE disaster_id = :did AND stage IN ('second', 'resurvey')"
    return _scalar(store, base, did), _scalar(store, base + " AND head_version_id IS NULL", did)


def backlog(store: Store, disaster_id: str) -> dict[str, int]:
    did = disaster_id
    certificates, waiting_certificate = _certificate_counts(store, did)
    requests, open_requests = _resurvey_counts(store, did)
    per_building = "SELECT count(DISTINCT building_id) FROM surveys WHERE disaster_id = :did AND"
    return {
        "applications": _scalar(store, f"SELECT count(*) {_APPS}", did),
        "buildings": _scalar(store, "SELECT count(*) FROM buildings WHERE disaster_id = :did", did),
        "surveyed": _scalar(store, per_building + " status <> 'unsurveyed'", did),
        "judged": _scalar(store, per_building + " head_version_id IS NOT NULL", did),
        "certificates": certificates,
        "resurvey_requests": requests,
        "waiting_survey": _scalar(store, f"SELECT count(*) {_APPS} AND NOT {_JUDGED_BUILDING}",
                                  did),
        "waiting_certificate": waiting_certificate,
        "open_resurveys": open_requests,
    }


def grade_distribution(store: Store, disaster_id: str) -> list[GradeCount]:
    """Judged buildings by their current grade (most severe first)."""
    sql = ("SELECT j.grade_code, max(j.grade), count(*) FROM buildings b JOIN surveys j"
           " ON j.id = (SELECT id FROM surveys WHERE building_id = b.id AND head_version_id"
           " IS NOT NULL ORDER BY created_at DESC, id DESC LIMIT 1)"
           " WHERE b.disaster_id = :did GROUP BY j.grade_code")
    found = {code: (label, n) for code, label, n in store.db.execute(sql, {"did": disaster_id})}
    order = [c for c in GRADE_ORDER if c in found] + sorted(set(found) - set(GRADE_ORDER))
    return [GradeCount(code, found[code][0] or code, found[code][1]) for code in order]


def _bucket_label(low: int, high: int | None) -> str:
    return f"{low}–{high}" if high is not None else f"{low}+"


def lead_times(store: Store, disaster_id: str, as_of: dt.date) -> LeadTimes:
    """Days from application (received_on) to the first 罹災証明書 not voided (issued_on)."""
    out = LeadTimes(buckets=[(_bucket_label(lo, hi), 0) for lo, hi in BUCKETS])
    cutoff = (as_of - dt.timedelta(days=TARGET_DAYS)).isoformat()
    if not certificate_facts.available(store.db):
        out.overdue = _scalar(store, f"SELECT count(*) {_APPS} AND a.received_on < '{cutoff}'",
                              disaster_id)
        return out
    sql = ("SELECT CAST(julianday(issued_on) - julianday(received_on) AS INTEGER) AS days"
           f" FROM ({certificate_facts.FIRST_ISSUES_SQL}) ORDER BY days")
    days = [d for (d,) in store.db.execute(sql, {"did": disaster_id}) if d is not None]
    out.issued = len(days)
    out.within_target = sum(1 for d in days if d <= TARGET_DAYS)
    if days:
        mid = len(days) // 2
        out.median_days = float(days[mid]) if len(days) % 2 else (days[mid - 1] + days[mid]) / 2
    counts = [sum(1 for d in days if lo <= max(d, 0) and (hi is None or d <= hi))
              for lo, hi in BUCKETS]
    out.buckets = [(label, n) for (label, _), n in zip(out.buckets, counts, strict=True)]
    out.overdue = _scalar(store, f"SELECT count(*) {_APPS} AND a.received_on < '{cutoff}' AND"
                          " NOT EXISTS (SELECT 1 FROM certificates c WHERE c.application_id ="
                          " a.id AND c.kind = 'risai' AND c.validity <> 'voided')", disaster_id)
    return out


def build(store: Store, disaster_id: str, *, as_of: dt.date | None = None,
          group_by: str = "surveyor") -> Dashboard:
    """Every figure of the dashboard; `as_of` (default: today in Japan) fixes "overdue"."""
    disaster = store.buildings.disaster(disaster_id)
    today = as_of or (dt.datetime.now(dt.UTC) + dt.timedelta(hours=9)).date()
    return Dashboard(
        disaster=disaster, as_of=today.isoformat(), group_by=group_by,
        per_day=surveys_per_day(store, disaster_id, group_by),
        backlog=backlog(store, disaster_id),
        grades=grade_distribution(store, disaster_id),
        lead_times=lead_times(store, disaster_id, today),
        grade_map=grade_cells(store.db, disaster_id),
    )
