"""The end-of-sync check: per kind of record, a count and a digest of "key:value" lines over
what the caller may see; the laptop computes the same over what it holds. On a difference the
manifest (all pairs, paged) and "have" (does the server hold these keys?) find what to repair.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from survey_app.server.auth import CurrentUser, User
from survey_app.server.db import Conn
from survey_app.server.models import Have
from survey_app.server.scope import building_filter
from survey_app.sync.protocol import MAX_PAGE, digest

router = APIRouter()

# Per kind: (key, value, FROM/WHERE over the municipality, column holding the building id).
_KINDS = {
    "buildings": ("b.id", "b.fields_hash", "FROM buildings b WHERE b.municipality_code = ?",
                  "b.id"),
    "surveys": ("s.id", "COALESCE(s.head_version_id, '') || '|' || s.status",
                "FROM surveys s WHERE s.municipality_code = ?", "s.building_id"),
    "versions": ("v.id", "v.content_hash", "FROM survey_versions v JOIN surveys s ON"
                 " s.id = v.survey_id WHERE v.municipality_code = ?", "s.building_id"),
    "links": ("l.survey_id || ':' || l.sha256", "l.tag", "FROM photo_links l JOIN surveys s"
              " ON s.id = l.survey_id WHERE l.deleted = 0 AND l.municipality_code = ?",
              "s.building_id"),
    "conflicts": ("c.id", "c.status", "FROM conflicts c WHERE c.municipality_code = ?",
                  "c.building_id"),
}


def kind_sql(conn: Conn, kind: str, user: User, *, scoped: bool = True) -> tuple[str, list]:
    """A query of (k, v) rows for `kind`, as a subquery aliased q."""
    key, value, source, building = _KINDS[kind]
    sql = f"SELECT {key} AS k, {value} AS v {source}"
    params: list = [user.municipality_code]
    if scoped:
        cond, extra = building_filter(user, building)
        sql += f" AND {cond}"
        params += extra
    return f"({sql}) q", params


def _collate(conn: Conn) -> str:
    # Byte order on both databases, the order the laptop's Python compares in.
    return ' COLLATE "C"' if conn.dialect == "postgresql" else ""


@router.get("/sync/summary", tags=["sync"])
def summary(user: CurrentUser, request: Request) -> dict:
    with request.app.state.server.db.read() as conn:
        rev = conn.scalar("SELECT rev FROM rev_counters WHERE municipality_code = ?",
                          (user.municipality_code,)) or 0
        return {"rev": rev, "kinds": summary_kinds(conn, user)}


def summary_kinds(conn: Conn, user: User) -> dict[str, dict]:
    """Count and digest per kind, inside the caller's transaction (also the last page of
    GET /changes, so a sync needs no separate request for its check)."""
    parts, params = [], []
    for n, kind in enumerate(_KINDS):  # one query for all kinds: one wait, not five
        sql, more = kind_sql(conn, kind, user)
        parts.append(f"SELECT {n} AS kind, k, v FROM {sql}")
        params += more
    lines: dict[int, list[str]] = {n: [] for n in range(len(_KINDS))}
    for r in conn.execute(" UNION ALL ".join(parts), params).fetchall():
        r = dict(r)
        lines[r["kind"]].append(f"{r['k']}:{r['v']}")
    out: dict[str, dict] = {}
    for n, kind in enumerate(_KINDS):
        count, hexdigest = digest(lines[n])
        out[kind] = {"count": count, "digest": hexdigest}
    return out


@router.get("/sync/manifest", tags=["sync"])
def manifest(user: CurrentUser, request: Request,
             kind: str = Query(..., pattern="^(" + "|".join(_KINDS) + ")$"),
             after: str = Query("", max_length=200), limit: int = Query(MAX_PAGE, ge=1,
                                                                         le=MAX_PAGE)) -> dict:
    with request.app.state.server.db.read() as conn:
        sql, params = kind_sql(conn, kind, user)
        c = _collate(conn)
        rows = conn.all(f"SELECT k, v FROM {sql} WHERE k{c} > ? ORDER BY k{c} LIMIT ?",
                        [*params, after, limit])
    return {"items": [[r["k"], r["v"]] for r in rows], "more": len(rows) == limit}


@router.post("/sync/have", tags=["sync"])
def have(user: CurrentUser, body: Have, request: Request) -> dict:
    """Which of these keys the municipality holds, with their values, in the caller's scope or
    not (a laptop may keep a building no longer assigned to it). Ids are unguessable UUIDs,
    so this tells the caller nothing about records it does not already hold."""
    if not body.ids:
        return {"have": {}}
    with request.app.state.server.db.read() as conn:
        sql, params = kind_sql(conn, body.kind, user, scoped=False)
        marks = ",".join("?" * len(body.ids))
        rows = conn.all(f"SELECT k, v FROM {sql} WHERE k IN ({marks})", [*params, *body.ids])
    return {"have": {r["k"]: r["v"] for r in rows}}
