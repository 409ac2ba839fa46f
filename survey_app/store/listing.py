"""The survey list: filtered, sorted pages over hundreds of thousands of rows, and Japanese
full-text search (FTS5 trigram; a LIKE fallback for 1–2 character queries, which trigrams miss).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from survey_app.domain.text import to_katakana

if TYPE_CHECKING:
    from survey_app.store.db import Store

SORTABLE = {"address": "s.address", "grade": "s.damage_ratio", "status": "s.status",
            "updated": "s.updated_at", "applicant": "s.applicant", "surveyor": "s.surveyor"}
LIST_COLUMNS = ("s.id, s.building_id, s.stage, s.hazard, s.status, s.surveyor, s.grade_code,"
                " s.grade, s.damage_ratio, s.rules_version, s.address, s.applicant, s.area,"
                " s.updated_at, s.version_count")


@dataclass
class SurveyFilter:
    disaster_id: str
    text: str = ""
    statuses: tuple[str, ...] = ()
    grade_codes: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    surveyor: str = ""
    hazard: str = ""
    extra: dict = field(default_factory=dict)


def fts_query(text: str) -> str:
    """Each whitespace-separated term as a quoted phrase (AND), so user input is never syntax."""
    terms = [t.replace('"', '""') for t in text.split()]
    return " ".join(f'"{t}"' for t in terms)


def _text_clause(text: str) -> tuple[str, list]:
    terms = text.split()
    if terms and all(len(t) >= 3 for t in terms):
        return ("s.building_id IN (SELECT b.id FROM buildings b WHERE b.rowid IN"
                " (SELECT rowid FROM buildings_fts WHERE buildings_fts MATCH ?))",
                [fts_query(to_katakana(text) if _is_kana(text) else text)])
    parts, params = [], []
    for term in terms:
        like = f"%{term.replace('%', '').replace('_', '')}%"
        parts.append("(s.address LIKE ? OR s.applicant LIKE ? OR s.building_id IN"
                     " (SELECT id FROM buildings WHERE owner_kana LIKE ?))")
        params += [like, like, f"%{to_katakana(term)}%"]
    return " AND ".join(parts), params


def _is_kana(text: str) -> bool:
    stripped = text.replace(" ", "").replace("　", "")
    return bool(stripped) and all("ぁ" <= ch <= "ヿ" for ch in stripped)


def _in(column: str, values: tuple) -> tuple[str, list]:
    return f"{column} IN ({','.join('?' * len(values))})", list(values)


def where(flt: SurveyFilter) -> tuple[str, list]:
    clauses, params = ["s.disaster_id = ?"], [flt.disaster_id]
    pairs = [("s.status", flt.statuses), ("s.grade_code", flt.grade_codes), ("s.area", flt.areas)]
    for column, values in pairs:
        if values:
            sql, vals = _in(column, values)
            clauses.append(sql)
            params += vals
    for column, value in (("s.surveyor", flt.surveyor), ("s.hazard", flt.hazard)):
        if value:
            clauses.append(f"{column} = ?")
            params.append(value)
    if flt.text.strip():
        sql, vals = _text_clause(flt.text.strip())
        clauses.append(sql)
        params += vals
    return " AND ".join(clauses), params


class Listing:
    def __init__(self, store: Store) -> None:
        self.db = store.db

    def page(self, flt: SurveyFilter, *, sort: str = "address", descending: bool = False,
             offset: int = 0, limit: int = 200) -> list[dict]:
        clause, params = where(flt)
        order = SORTABLE[sort] + (" DESC" if descending else "")
        sql = (f"SELECT {LIST_COLUMNS} FROM surveys s WHERE {clause}"
               f" ORDER BY {order}, s.id LIMIT ? OFFSET ?")
        return list(self.db.query(sql, [*params, limit, offset]))

    def count(self, flt: SurveyFilter) -> int:
        clause, params = where(flt)
        return self.db.execute(f"SELECT count(*) FROM surveys s WHERE {clause}",
                               params).fetchone()[0]

    def facets(self, disaster_id: str) -> dict[str, list[str]]:
        """Values offered in the filter boxes."""
        out = {}
        for column in ("area", "surveyor", "status", "grade_code"):
            rows = self.db.execute(
                f"SELECT DISTINCT {column} FROM surveys WHERE disaster_id = ? ORDER BY 1",
                [disaster_id])
            out[column] = [r[0] for r in rows if r[0]]
        return out
