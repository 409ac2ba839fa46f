"""One row per building with its current survey state, read from the store by a single SQL cursor.

Every building export (CSV, XLSX, GeoJSON, KML, the FDMA report) selects named expressions from
the same FROM/JOIN core below, so a building is described the same way everywhere. Rows come one
at a time from the cursor: nothing holds the whole disaster in memory. Exports that must be fast
let SQLite format each row (exports.csv_export, exports.geojson): at 200,000 rows, creating one
Python object per cell costs more than the query itself.

Definitions (also in docs/exports.md):
- the *judged survey* of a building is its most recently created survey that has a completed
  version (a pending re-survey does not hide the judgement that stands until it is replaced);
- the *status* is that of its most recently created survey, or "none" when none was planned;
- households and persons: the building's applications (an application with an empty members
  list counts its applicant as one person); else the resident-register households linked to
  it; else one household of unknown persons (persons = NULL).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlite_utils import Database

# Applications in these states are not households of the building (withdrawn or entered twice).
EXCLUDED_APPLICATION_STATUSES = ("withdrawn", "cancelled", "rejected", "duplicate")
DAMAGED_GRADES = ("zenkai", "daikibo", "chukibo", "hankai")
# Timestamps are stored in UTC; Japan has no daylight saving, so JST is a fixed +9 hours.
JST = "'+9 hours'"
FETCH = 2000

_EXCLUDED = ", ".join(f"'{s}'" for s in EXCLUDED_APPLICATION_STATUSES)
_JUDGED = ("(SELECT id FROM surveys WHERE building_id = b.id AND head_version_id IS NOT NULL"
           " ORDER BY created_at DESC, id DESC LIMIT 1)")
# Most buildings have one survey: then the judged one is the latest, and no search is needed.
_STATUS = ("CASE WHEN j.id IS NOT NULL AND (SELECT count(*) FROM surveys WHERE building_id = b.id)"
           " = 1 THEN j.status ELSE coalesce((SELECT status FROM surveys WHERE building_id = b.id"
           " ORDER BY created_at DESC, id DESC LIMIT 1), 'none') END")
_USE = "coalesce(rb.use_class, 'dwelling')"
_DAMAGED = ", ".join(f"'{g}'" for g in DAMAGED_GRADES)
# The 第4号様式 row a building is counted in; docs/exports.md gives the rule and its sources.
_FDMA = f"""CASE
  WHEN j.id IS NULL THEN ''
  WHEN {_USE} <> 'dwelling' THEN CASE WHEN coalesce(j.grade_code, '') NOT IN ({_DAMAGED}) THEN ''
       WHEN {_USE} = 'public' THEN 'hijuka_public' ELSE 'hijuka_other' END
  WHEN j.grade_code = 'zenkai' THEN 'zenkai'
  WHEN j.grade_code IN ('daikibo', 'chukibo', 'hankai') THEN 'hankai'
  WHEN f.flood = 'above' THEN 'yukaue'
  WHEN f.flood = 'below' THEN 'yukashita'
  WHEN j.grade_code IN ('junhankai', 'ichibu', 'hankai_miman')
       AND coalesce(j.damage_ratio, 1) > 0 THEN 'ichibu'
  ELSE '' END"""
# Named expressions over the core's aliases: b building, j judged survey, f the facts of its
# head version (store.schema_registers.version_facts), rb the building's register entry,
# a / r its households from applications / the resident register (aggregated once per query:
# correlated subqueries per building cost more at 200,000 buildings).
EXPR: dict[str, str] = {
    "building_id": "b.id",
    "disaster_id": "b.disaster_id",
    "address": "b.address",
    "area": "b.area",
    "owner_name": "b.owner_name",
    "owner_kana": "b.owner_kana",
    "structure": "b.structure",
    "floors": "b.floors",
    "lat": "round(b.lat, 7)",
    "lon": "round(b.lon, 7)",
    "location_source": "b.location_source",
    "location_accuracy_m": "b.location_accuracy_m",
    "use_class": _USE,
    "kaoku_no": "rb.kaoku_no",
    "survey_id": "j.id",
    "stage": "j.stage",
    "hazard": "j.hazard",
    "grade_code": "j.grade_code",
    "grade": "j.grade",
    "damage_ratio": "j.damage_ratio",
    "rules_version": "j.rules_version",
    "surveyor": "j.surveyor",
    "status": _STATUS,
    "first_judged_at": ("CASE WHEN j.version_count = 1 THEN f.judged_at ELSE"
                        " (SELECT judged_at FROM version_facts WHERE survey_id = j.id"
                        " AND version_no = 1) END"),
    "judged_at": "f.judged_at",
    "flood": "f.flood",
    "flood_depth_cm": "f.flood_depth_cm",
    "fdma": _FDMA,
    "remarks": "f.remarks",
    "households": "coalesce(a.households, r.households, 1)",
    "persons": "CASE WHEN a.households THEN a.persons ELSE r.persons END",
}

_CORE = f"""FROM buildings b
LEFT JOIN surveys j ON j.id = {_JUDGED}
LEFT JOIN version_facts f ON f.version_id = j.head_version_id
LEFT JOIN register_buildings rb ON rb.building_id = b.id
LEFT JOIN (SELECT building_id, count(*) AS households,
                  sum(max(json_array_length(members), 1)) AS persons
           FROM applications WHERE disaster_id = :did AND building_id IS NOT NULL
             AND status NOT IN ({_EXCLUDED}) GROUP BY building_id) a ON a.building_id = b.id
LEFT JOIN (SELECT building_id, count(DISTINCT household_no) AS households, count(*) AS persons
           FROM register_residents WHERE disaster_id = :did AND building_id IS NOT NULL
           GROUP BY building_id) r ON r.building_id = b.id
WHERE b.disaster_id = :did {{where}}
ORDER BY b.address, b.id"""


def select_sql(expressions: Sequence[str], *, judged_only: bool = False) -> str:
    """The core query selecting `expressions` (SQL over the aliases above)."""
    core = _CORE.format(where="AND j.id IS NOT NULL" if judged_only else "")
    return f"SELECT {', '.join(expressions)}\n{core}"


def stream(db: Database, sql: str, disaster_id: str) -> Iterator[tuple]:
    """Rows of `sql` (from select_sql) for one disaster, fetched in batches."""
    cursor = db.conn.execute(sql, {"did": disaster_id})
    try:
        while batch := cursor.fetchmany(FETCH):
            yield from batch
    finally:
        cursor.close()


def rows(db: Database, disaster_id: str, keys: Sequence[str], *,
         judged_only: bool = False) -> Iterator[tuple]:
    """Tuples of the named expressions `keys`, one per building, in address order."""
    return stream(db, select_sql([EXPR[k] for k in keys], judged_only=judged_only), disaster_id)


def count_buildings(db: Database, disaster_id: str, *, judged_only: bool = False) -> int:
    if not judged_only:
        sql = "SELECT count(*) FROM buildings WHERE disaster_id = ?"
    else:
        sql = ("SELECT count(DISTINCT s.building_id) FROM surveys s WHERE s.disaster_id = ?"
               " AND s.head_version_id IS NOT NULL")
    return db.execute(sql, [disaster_id]).fetchone()[0]


def disaster(db: Database, disaster_id: str) -> dict | None:
    found = list(db.query("SELECT * FROM disasters WHERE id = ?", [disaster_id]))
    return found[0] if found else None


def local_time(expr: str, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """SQL for a stored UTC timestamp shown in Japan time (JST)."""
    return f"strftime('{fmt}', {expr}, {JST})"
