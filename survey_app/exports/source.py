"""One row per building with its current survey state, read from the store by a single SQL cursor.

Every building export (CSV, XLSX, GeoJSON, KML, the FDMA report) reads these rows, so a building
is described the same way everywhere. Rows are produced one at a time: nothing holds the whole
disaster in memory.

Definitions (also in docs/exports.md):
- the *judged survey* of a building is its most recently created survey that has a completed
  version (a pending re-survey does not hide the judgement that stands until it is replaced);
- the *status* is that of its most recently created survey (unsurveyed / draft / completed /
  resurvey_requested), or "none" when no survey was planned;
- households and persons: the building's applications (members list; an application with an
  empty list counts its applicant as one person); else the resident-register households linked
  to it; else one household of unknown persons (persons = None).
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlite_utils import Database

# Applications in these states are not households of the building (withdrawn or entered twice).
EXCLUDED_APPLICATION_STATUSES = ("withdrawn", "cancelled", "rejected", "duplicate")
# Timestamps are stored in UTC; Japan has no daylight saving, so JST is a fixed +9 h.
LOCAL_SHIFT = "+9 hours"

_EXCLUDED = ", ".join(f"'{s}'" for s in EXCLUDED_APPLICATION_STATUSES)
_LATEST = ("(SELECT id FROM surveys WHERE building_id = b.id {extra}"
           " ORDER BY created_at DESC, id DESC LIMIT 1)")

_SELECT = f"""
SELECT b.id, b.disaster_id, b.address, b.area, b.owner_name, b.owner_kana, b.structure,
       b.floors, b.lat, b.lon, b.location_source, b.location_accuracy_m,
       coalesce(rb.use_class, 'dwelling'), rb.kaoku_no,
       j.id, j.stage, j.hazard, j.grade_code, j.grade, j.damage_ratio, j.rules_version,
       j.surveyor, coalesce(l.status, 'none'), l.stage,
       (SELECT min(v1.created_at) FROM surveys s1 JOIN survey_versions v1 ON v1.survey_id = s1.id
         WHERE s1.building_id = b.id),
       v.created_at,
       json_extract(v.observations, '$.flood.depth_above_floor_cm'),
       json_extract(v.observations, '$.flood.below_floor_only'),
       json_extract(v.observations, '$.remarks'),
       a.households, a.persons, r.households, r.persons
FROM buildings b
LEFT JOIN surveys l ON l.id = {_LATEST.format(extra="")}
LEFT JOIN surveys j ON j.id = {_LATEST.format(extra="AND head_version_id IS NOT NULL")}
LEFT JOIN survey_versions v ON v.id = j.head_version_id
LEFT JOIN register_buildings rb ON rb.building_id = b.id
LEFT JOIN (SELECT building_id, count(*) AS households,
                  sum(max(json_array_length(members), 1)) AS persons
           FROM applications WHERE disaster_id = :did AND building_id IS NOT NULL
             AND status NOT IN ({_EXCLUDED}) GROUP BY building_id) a ON a.building_id = b.id
LEFT JOIN (SELECT building_id, count(DISTINCT household_no) AS households, count(*) AS persons
           FROM register_residents WHERE disaster_id = :did AND building_id IS NOT NULL
           GROUP BY building_id) r ON r.building_id = b.id
WHERE b.disaster_id = :did {{where}}
ORDER BY b.address_key, b.id
"""

_RAW = ("building_id", "disaster_id", "address", "area", "owner_name", "owner_kana", "structure",
        "floors", "lat", "lon", "location_source", "location_accuracy_m", "use_class", "kaoku_no",
        "survey_id", "stage", "hazard", "grade_code", "grade", "damage_ratio", "rules_version",
        "surveyor", "status", "latest_stage", "first_surveyed_at", "judged_at",
        "flood_depth_cm", "below_floor_only", "remarks")


def flood_finding(depth_above_floor_cm: object, below_floor_only: object) -> str:
    """"above" (床上浸水) if water stood above the floor, "below" (床下浸水) if only below it."""
    try:
        if depth_above_floor_cm is not None and float(depth_above_floor_cm) > 0:  # type: ignore[arg-type]
            return "above"
    except (TypeError, ValueError):
        pass  # a malformed depth is not a finding; the survey's own validation reports it
    return "below" if below_floor_only in (1, True, "true") else ""


def _households(a_h: int | None, a_p: int | None, r_h: int | None,
                r_p: int | None) -> tuple[int, int | None, str]:
    if a_h:
        return a_h, a_p, "application"
    if r_h:
        return r_h, r_p, "register"
    return 1, None, "assumed"


def _row(values: tuple) -> dict:
    row = dict(zip(_RAW, values[:29], strict=True))
    row["flood"] = flood_finding(row["flood_depth_cm"], row.pop("below_floor_only"))
    row["households"], row["persons"], row["household_source"] = _households(*values[29:33])
    return row


def building_rows(db: Database, disaster_id: str, *, judged_only: bool = False) -> Iterator[dict]:
    """Stream the disaster's buildings ordered by address (judged ones only if asked)."""
    sql = _SELECT.format(where="AND j.id IS NOT NULL" if judged_only else "")
    cursor = db.conn.execute(sql, {"did": disaster_id})
    try:
        for values in cursor:
            yield _row(values)
    finally:
        cursor.close()


def count_buildings(db: Database, disaster_id: str, *, judged_only: bool = False) -> int:
    if not judged_only:
        sql = "SELECT count(*) FROM buildings WHERE disaster_id = ?"
    else:
        sql = ("SELECT count(DISTINCT s.building_id) FROM surveys s WHERE s.disaster_id = ?"
               " AND s.head_version_id IS NOT NULL")
    return db.execute(sql, [disaster_id]).fetchone()[0]


def disaster(db: Database, disaster_id: str) -> dict | None:
    rows = list(db.query("SELECT * FROM disasters WHERE id = ?", [disaster_id]))
    return rows[0] if rows else None
