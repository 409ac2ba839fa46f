"""The survey list: filtered, sorted pages over hundreds of thousands of rows, and Japanese
full-text search (FTS5 trigram; a LIKE fallback for 1–2 character queries, which trigrams miss).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from survey_app.domain.text import to_katakana
from survey_app.store import search_blocks

if TYPE_CHECKING:
    from survey_app.store.db import Store

# Address order lists the covered name columns too, so ORDER BY follows the indexes exactly.
SORTABLE = {"address": "s.address{d}, s.applicant{d}, s.applicant_kana", "grade": "s.damage_ratio", "status": "s.status",
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


# Above this many full-text hits, walking the address index with LIKE and stopping at the
# page size beats sorting every hit; below it, the FTS hit list is the cheaper driver.
DENSE_HITS = 3000
_SPARSE = "s.rowid IN"


def _search_terms(text: str) -> list[str]:
    # Quotes are never part of an address or a name; dropping them keeps input out of FTS syntax.
    terms = text.replace('"', " ").split()
    return [to_katakana(t) if _is_kana(t) else t for t in terms]


def _bare(term: str) -> str:
    return term.replace("%", "").replace("_", "")


def _like_clause(terms: list[str]) -> tuple[str, list]:
    parts, params = [], []
    for term in terms:
        like = f"%{_bare(term)}%"
        parts.append("(s.address LIKE ? OR s.applicant LIKE ? OR s.applicant_kana LIKE ?)")
        params += [like, like, like]
    return " AND ".join(parts), params


def _text_clause(db, text: str) -> tuple[str, list]:
    terms = _search_terms(text)
    if not terms:
        return "1", []
    if any(len(t) < 3 for t in terms):  # trigrams cannot find 1–2 characters
        return _like_clause(terms)
    query = fts_query(" ".join(terms))
    hits = db.execute("SELECT count(*) FROM surveys_fts WHERE surveys_fts MATCH ?",
                      [query]).fetchone()[0]
    if hits > DENSE_HITS:
        return _dense_clause(terms)
    return _SPARSE + " (SELECT rowid FROM surveys_fts WHERE surveys_fts MATCH ?)", [query]


def _dense_clause(terms: list[str]) -> tuple[str, list]:
    """Many hits: walk the address index in page order (LIKE on the indexed address), and
    find names through the name columns' full-text index, whose hit list stays short."""
    parts, params = [], []
    for term in terms:
        parts.append("(s.address LIKE ? OR s.rowid IN (SELECT rowid FROM surveys_fts"
                     " WHERE surveys_fts MATCH ?))")
        params += [f"%{_bare(term)}%",
                   "{applicant applicant_kana} : " + fts_query(term)]
    return " AND ".join(parts), params


def _is_kana(text: str) -> bool:
    stripped = text.replace(" ", "").replace("　", "")
    return bool(stripped) and all("ぁ" <= ch <= "ヿ" for ch in stripped)


def _in(column: str, values: tuple) -> tuple[str, list]:
    return f"{column} IN ({','.join('?' * len(values))})", list(values)


def where(db, flt: SurveyFilter) -> tuple[str, list]:
    text_sql, text_params = _text_clause(db, flt.text.strip()) if flt.text.strip() else ("", [])
    # When a short full-text hit list drives the query, a leading + keeps SQLite from walking
    # an index for the other filters instead.
    p = "+" if text_sql.startswith(_SPARSE) else ""
    clauses, params = [f"{p}s.disaster_id = ?"], [flt.disaster_id]
    pairs = [("s.status", flt.statuses), ("s.grade_code", flt.grade_codes), ("s.area", flt.areas)]
    for column, values in pairs:
        if values:
            sql, vals = _in(p + column, values)
            clauses.append(sql)
            params += vals
    for column, value in (("s.surveyor", flt.surveyor), ("s.hazard", flt.hazard)):
        if value:
            clauses.append(f"{column} = ?")
            params.append(value)
    if text_sql:
        clauses.append(text_sql)
        params += text_params
    return " AND ".join(clauses), params


class Listing:
    def __init__(self, store: Store) -> None:
        self.db = store.db

    def page(self, flt: SurveyFilter, *, sort: str = "address", descending: bool = False,
             offset: int = 0, limit: int = 200) -> list[dict]:
        clause, params = where(self.db, flt)
        d = " DESC" if descending else ""
        # rowid breaks ties, so pages never overlap or skip a row.
        sql = (f"SELECT {LIST_COLUMNS} FROM surveys s WHERE {clause} AND {{rng}}"
               f" ORDER BY {SORTABLE[sort].format(d=d)}{d}, s.rowid{d} LIMIT ? OFFSET ?")
        ranges = self._short_ranges(flt) if sort == "address" else None
        if ranges is None:
            return list(self.db.query(sql.format(rng="1"), [*params, limit, offset]))
        rows: list[dict] = []
        # Ranges are disjoint address intervals, so walking them in order keeps the sort.
        for rng in reversed(ranges) if descending else ranges:
            rng_sql, rng_params = search_blocks.range_clause(rng)
            got = list(self.db.query(sql.format(rng=rng_sql),
                                     [*params, *rng_params, limit - len(rows), offset]))
            rows += got
            if len(rows) >= limit:
                break
            if offset and not got:  # this whole range lay before the page
                offset = max(0, offset - self._count_in(clause, params, rng))
            else:
                offset = 0
        return rows

    def count(self, flt: SurveyFilter) -> int:
        clause, params = where(self.db, flt)
        ranges = self._short_ranges(flt)
        if ranges is None:
            return self._count_in(clause, params, None)
        return sum(self._count_in(clause, params, rng) for rng in ranges)

    def _count_in(self, clause: str, params: list, rng: search_blocks.Range | None) -> int:
        rng_sql, rng_params = search_blocks.range_clause(rng) if rng else ("1", [])
        return self.db.execute(f"SELECT count(*) FROM surveys s WHERE {clause} AND {rng_sql}",
                               [*params, *rng_params]).fetchone()[0]

    def _short_ranges(self, flt: SurveyFilter) -> list[search_blocks.Range] | None:
        """For a search with a 1–2 character term (a LIKE walk): the address ranges worth
        walking, from the character blocks; None to walk everything."""
        terms = _search_terms(flt.text.strip())
        if not any(len(t) < 3 for t in terms):
            return None
        return search_blocks.candidate_ranges(self.db, flt.disaster_id,
                                              [_bare(t) for t in terms])

    def facets(self, disaster_id: str) -> dict[str, list[str]]:
        """Values offered in the filter boxes."""
        out = {}
        for column in ("area", "surveyor", "status", "grade_code"):
            rows = self.db.execute(
                f"SELECT DISTINCT {column} FROM surveys WHERE disaster_id = ? ORDER BY 1",
                [disaster_id])
            out[column] = [r[0] for r in rows if r[0]]
        return out
