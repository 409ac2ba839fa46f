"""The survey tasks of a disaster: create the 1st-survey task of every home that has none, and
assign the open tasks to a surveyor, by area or by the rows chosen in the list.

How an assignment reaches the field: the server gives a surveyor's laptop the buildings whose
`assigned_to` names that user (survey_app/server/scope.py, via the server's assignments
table), with everything that hangs off them. A survey's `surveyor` belongs to its identity on
the server and is never changed there. So assigning writes both: the building's `assigned_to`
(an audited update that the outbox trigger sends at the next sync, where it becomes the
surveyor's scope) and the `surveyor` of each open survey (what the list shows). The name must
therefore be the surveyor's user name on the server, which `check_surveyor` enforces.

Work is done in chunks, one transaction each, so a large town shows progress and an interrupted
run can simply be started again: a home with a 1st survey is skipped, an assignment already in
place is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from survey_app.domain.observations import HAZARDS
from survey_app.i18n import tr
from survey_app.services.office import OfficeError
from survey_app.services.workspace import Workspace
from survey_app.store.ids import now_iso

OPEN = ("unsurveyed", "draft")
CHUNK = 500
# The server's rule for a user name (server/users.py); assigned_to splits on these characters.
_USERNAME = re.compile(r"^[^\s,、，]{1,64}$")
Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


@dataclass(frozen=True)
class AreaRow:
    area: str               # "" for homes with no area
    homes: int
    without_first: int      # homes with no 1st survey yet
    open_surveys: int       # not surveyed yet (unsurveyed or draft)
    unassigned: int         # open surveys with no surveyor


@dataclass
class TaskReport:
    """What a run did, or (from `plan`) would do."""

    created: int = 0        # 1st surveys made
    skipped: int = 0        # homes that already had one
    assigned: int = 0       # open surveys given to the surveyor (none before)
    reassigned: int = 0     # open surveys taken from another surveyor
    unchanged: int = 0      # already the surveyor's
    closed: int = 0         # surveyed already: left with whoever surveyed them
    cancelled: bool = False


def check_surveyor(name: str) -> str:
    """The surveyor's user name, as the server knows it: one word, no commas."""
    name = (name or "").strip()
    if not name:
        raise OfficeError(tr("setup.err.surveyor_missing"))
    if not _USERNAME.match(name):
        raise OfficeError(tr("setup.err.surveyor_name", name=name))
    return name


def check_hazard(hazard: str) -> str:
    if hazard not in HAZARDS:
        raise OfficeError(tr("setup.err.hazard", value=hazard,
                             choices="、".join(tr(f"engine.hazard_{h}") for h in HAZARDS)))
    return hazard


def disaster_row(ws: Workspace, disaster_id: str) -> dict:
    rows = list(ws.store.db.query("SELECT * FROM disasters WHERE id = ?", [disaster_id]))
    if not rows:
        raise OfficeError(tr("office.disaster_unknown", disaster=disaster_id))
    return rows[0]


def area_rows(ws: Workspace, disaster_id: str) -> list[AreaRow]:
    """Each area of the disaster's homes with its counts, in area order."""
    db = ws.store.db
    homes = db.execute(
        "SELECT b.area, count(*), sum(NOT EXISTS (SELECT 1 FROM surveys s WHERE"
        " s.building_id = b.id AND s.stage = 'first')) FROM buildings b"
        " WHERE b.disaster_id = ? GROUP BY b.area", [disaster_id]).fetchall()
    open_ = {area: (n, free) for area, n, free in db.execute(
        "SELECT area, count(*), sum(surveyor = '') FROM surveys WHERE disaster_id = ?"
        " AND status IN ('unsurveyed', 'draft') GROUP BY area", [disaster_id])}
    return [AreaRow(area, n, without, *open_.get(area, (0, 0)))
            for area, n, without in sorted(homes, key=lambda r: r[0])]


def known_surveyors(ws: Workspace) -> list[str]:
    """Names already used for surveys or assignments that can be assigned to again."""
    rows = ws.store.db.execute(
        "SELECT surveyor FROM surveys WHERE surveyor <> '' UNION"
        " SELECT assigned_to FROM buildings WHERE assigned_to <> ''").fetchall()
    return sorted({r[0] for r in rows if _USERNAME.match(r[0])})


def _areas_sql(column: str, areas: list[str] | None) -> tuple[str, list]:
    if areas is None:
        return "", []
    return f" AND {column} IN ({','.join('?' * len(areas))})", list(areas)


def _chunks(items: list) -> Iterator[list]:
    size = CHUNK  # read at call time: a test can make it small
    for i in range(0, len(items), size):
        yield items[i:i + size]


def homes_without_first(ws: Workspace, disaster_id: str, areas: list[str] | None
                        ) -> tuple[list[str], int]:
    """(ids of the homes in scope that need a 1st survey, how many already have one)."""
    sql, params = _areas_sql("b.area", areas)
    rows = ws.store.db.execute(
        "SELECT b.id, EXISTS (SELECT 1 FROM surveys s WHERE s.building_id = b.id"
        f" AND s.stage = 'first') FROM buildings b WHERE b.disaster_id = ?{sql}"
        " ORDER BY b.address, b.id", [disaster_id, *params]).fetchall()
    return [bid for bid, has in rows if not has], sum(1 for _bid, has in rows if has)


def _targets(ws: Workspace, disaster_id: str, areas: list[str] | None,
             survey_ids: list[str] | None) -> list[tuple[str, str, str, str, str]]:
    """(survey id, building id, surveyor, status, building's assigned_to) of the scope."""
    base = ("SELECT s.id, s.building_id, s.surveyor, s.status, b.assigned_to FROM surveys s"
            " JOIN buildings b ON b.id = s.building_id WHERE s.disaster_id = ?")
    sql, params = _areas_sql("s.area", areas)
    db = ws.store.db
    if survey_ids is None:
        return db.execute(base + sql + " ORDER BY s.address, s.id",
                          [disaster_id, *params]).fetchall()
    out = []
    for part in _chunks(sorted(set(survey_ids))):
        out += db.execute(base + sql + f" AND s.id IN ({','.join('?' * len(part))})",
                          [disaster_id, *params, *part]).fetchall()
    return out


def _classify(row: tuple, name: str) -> str:
    _sid, _bid, surveyor, status, assigned_to = row
    if status not in OPEN:
        return "closed"
    if surveyor == name and assigned_to == name:
        return "unchanged"
    return "reassigned" if surveyor not in ("", name) else "assigned"


def plan(ws: Workspace, disaster_id: str, *, areas: list[str] | None = None,
         survey_ids: list[str] | None = None, create: bool = False,
         surveyor: str = "") -> TaskReport:
    """What `create_and_assign` would do with the same arguments, without doing it."""
    out = TaskReport()
    if create and survey_ids is None:
        todo, out.skipped = homes_without_first(ws, disaster_id, areas)
        out.created = len(todo)
    if surveyor.strip():
        name = surveyor.strip()
        for row in _targets(ws, disaster_id, areas, survey_ids):
            kind = _classify(row, name)
            setattr(out, kind, getattr(out, kind) + 1)
        out.assigned += out.created  # the new tasks are assigned too
    return out


def create_first_surveys(ws: Workspace, disaster_id: str, *, areas: list[str] | None = None,
                         hazard: str | None = None, progress: Progress | None = None,
                         cancelled: Cancelled | None = None) -> TaskReport:
    """A 1st-survey task for every home in `areas` (None: all) that has none yet."""
    disaster = disaster_row(ws, disaster_id)
    hazard = check_hazard(hazard or disaster["hazard"])
    todo, report = homes_without_first(ws, disaster_id, areas), TaskReport()
    report.skipped = todo[1]
    for part in _chunks(todo[0]):
        if cancelled and cancelled():
            report.cancelled = True
            break
        with ws.store.atomic():
            for bid in part:
                ws.store.surveys.create(building_id=bid, stage="first", hazard=hazard,
                                        actor=ws.actor)
        report.created += len(part)
        if progress:
            progress(report.created, len(todo[0]))
    _summary(ws, disaster_id, "create_first_surveys",
             {"areas": areas, "hazard": hazard, "created": report.created,
              "skipped": report.skipped, "cancelled": report.cancelled})
    return report


def assign_surveys(ws: Workspace, disaster_id: str, surveyor: str, *,
                   areas: list[str] | None = None, survey_ids: list[str] | None = None,
                   progress: Progress | None = None,
                   cancelled: Cancelled | None = None) -> TaskReport:
    """Give the open surveys of the scope (areas, or the chosen surveys) to `surveyor`, and
    their homes too (the building's assigned_to, which decides what the server sends)."""
    name = check_surveyor(surveyor)
    disaster_row(ws, disaster_id)
    rows = _targets(ws, disaster_id, areas, survey_ids)
    report, done = TaskReport(), 0
    for part in _chunks(rows):
        if cancelled and cancelled():
            report.cancelled = True
            break
        with ws.store.atomic():
            for row in part:
                kind = _classify(row, name)
                setattr(report, kind, getattr(report, kind) + 1)
                if kind in ("assigned", "reassigned"):
                    _assign_one(ws, row, name)
        done += len(part)
        if progress:
            progress(done, len(rows))
    _summary(ws, disaster_id, "assign_surveys",
             {"surveyor": name, "areas": areas, "surveys": len(survey_ids or []),
              "assigned": report.assigned, "reassigned": report.reassigned,
              "unchanged": report.unchanged, "closed": report.closed,
              "cancelled": report.cancelled})
    return report


def _assign_one(ws: Workspace, row: tuple, name: str) -> None:
    sid, bid, surveyor, _status, _assigned = row
    if surveyor != name:
        ws.store.db.execute("UPDATE surveys SET surveyor = ?, updated_at = ? WHERE id = ?",
                            [name, now_iso(), sid])
        ws.store.audit.append(actor=ws.actor, action="assign", entity="survey", entity_id=sid,
                              payload={"surveyor": name, "previous": surveyor})
    # Read again, not from `row`: an earlier survey of the same home may have just set it.
    current = ws.store.db.execute("SELECT assigned_to FROM buildings WHERE id = ?",
                                  [bid]).fetchone()[0]
    if current != name:
        ws.store.buildings.update(bid, actor=ws.actor, assigned_to=name)


def create_and_assign(ws: Workspace, disaster_id: str, *, areas: list[str] | None = None,
                      survey_ids: list[str] | None = None, create: bool = True,
                      hazard: str | None = None, surveyor: str = "",
                      progress: Progress | None = None,
                      cancelled: Cancelled | None = None) -> TaskReport:
    """The dialog's one action: create the missing 1st surveys of the areas (not for chosen
    rows: those are surveys already), then assign the scope's open surveys to `surveyor`."""
    if surveyor.strip():
        check_surveyor(surveyor)  # before anything is written
    total = plan(ws, disaster_id, areas=areas, survey_ids=survey_ids, create=create)
    steps = total.created + (len(_targets(ws, disaster_id, areas, survey_ids)) + total.created
                             if surveyor.strip() else 0)
    report = TaskReport()
    if create and survey_ids is None:
        made = create_first_surveys(ws, disaster_id, areas=areas, hazard=hazard,
                                    cancelled=cancelled,
                                    progress=progress and (lambda d, _t: progress(d, steps)))
        report.created, report.skipped, report.cancelled = (made.created, made.skipped,
                                                            made.cancelled)
    if surveyor.strip() and not report.cancelled:
        offset = report.created
        given = assign_surveys(ws, disaster_id, surveyor, areas=areas, survey_ids=survey_ids,
                               cancelled=cancelled, progress=progress and (
                                   lambda d, _t: progress(offset + d, steps)))
        for key in ("assigned", "reassigned", "unchanged", "closed", "cancelled"):
            setattr(report, key, getattr(given, key))
    return report


def _summary(ws: Workspace, disaster_id: str, action: str, payload: dict) -> None:
    """One entry for the whole run (each survey and home has its own entries too)."""
    with ws.store.atomic():
        ws.store.audit.append(actor=ws.actor, action=action, entity="disaster",
                              entity_id=disaster_id, payload=payload)
