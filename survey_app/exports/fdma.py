"""消防庁 第4号様式（その2）被害状況即報: the housing rows, per municipality and in total.

Each building is counted once, in the row given by exports.source's `fdma` expression
(docs/exports.md has the mapping from our grades and flood findings, with its sources):
全壊; 半壊 (with うち大規模半壊 / うち中規模半壊); 一部破損 (with うち準半壊); 床上浸水;
床下浸水; 非住家 公共建物 / その他 (棟 only). Households and persons follow the rule in
exports.source; households whose persons are unknown are counted and reported, never guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from survey_app.exports import csv_export, xlsx
from survey_app.exports.output import Progress, Ticker
from survey_app.exports.source import count_buildings, disaster, rows

# (code, label, with households and persons?) in the order the report prints them.
LINES: tuple[tuple[str, str, bool], ...] = (
    ("zenkai", "全壊", True),
    ("hankai", "半壊", True),
    ("daikibo", "うち大規模半壊", True),
    ("chukibo", "うち中規模半壊", True),
    ("ichibu", "一部破損", True),
    ("junhankai", "うち準半壊", True),
    ("yukaue", "床上浸水", True),
    ("yukashita", "床下浸水", True),
    ("hijuka_public", "非住家 公共建物", False),
    ("hijuka_other", "非住家 その他", False),
)
# The sub-rows (うち…) are the grade codes inside their parent row.
SUB_ROWS = {"daikibo": "hankai", "chukibo": "hankai", "junhankai": "ichibu"}
# り災世帯 / り災者: households of 全壊, 半壊 and 床上浸水 (⚠ docs/exports.md).
RISAI = ("zenkai", "hankai", "yukaue")


@dataclass
class Tally:
    buildings: int = 0
    households: int = 0
    persons: int = 0
    unknown_households: int = 0    # households whose number of persons is not known

    def add(self, households: int, persons: int | None) -> None:
        self.buildings += 1
        self.households += households
        if persons is None:
            self.unknown_households += households
        else:
            self.persons += persons

    def merge(self, other: Tally) -> None:
        self.buildings += other.buildings
        self.households += other.households
        self.persons += other.persons
        self.unknown_households += other.unknown_households


@dataclass
class FdmaRow:
    municipality_code: str
    municipality_name: str
    lines: dict[str, Tally] = field(default_factory=lambda: {c: Tally() for c, *_ in LINES})
    unjudged: int = 0

    def add(self, category: str, grade_code: str, households: int, persons: int | None) -> None:
        if not category:
            return
        self.lines[category].add(households, persons)
        if SUB_ROWS.get(grade_code) == category:
            self.lines[grade_code].add(households, persons)

    def merge(self, other: FdmaRow) -> None:
        for code, tally in other.lines.items():
            self.lines[code].merge(tally)
        self.unjudged += other.unjudged

    def risai(self) -> Tally:
        out = Tally()
        for code in RISAI:
            out.merge(self.lines[code])
        return out

    def unknown_households(self) -> int:
        return sum(self.lines[c].unknown_households for c, _, people in LINES
                   if people and c not in SUB_ROWS)


@dataclass
class FdmaReport:
    disasters: list[dict]
    rows: list[FdmaRow]
    total: FdmaRow
    as_of: str

    @property
    def title(self) -> str:
        return "・".join(dict.fromkeys(d["name"] for d in self.disasters))


def build_report(db: Database, disaster_ids: Sequence[str], *, as_of: str | None = None,
                 progress: Progress | None = None) -> FdmaReport:
    """Count every building of the disasters; one row per municipality plus the total."""
    found = [d for d in (disaster(db, i) for i in disaster_ids) if d]
    ticker = Ticker(sum(count_buildings(db, d["id"]) for d in found), progress)
    by_code: dict[tuple[str, str], FdmaRow] = {}
    for d in found:
        key = (d["municipality_code"], d["municipality_name"])
        row = by_code.setdefault(key, FdmaRow(*key))
        for category, grade, households, persons in rows(
                db, d["id"], ("fdma", "grade_code", "households", "persons")):
            row.add(category, grade, households, persons)
            ticker.tick()
        row.unjudged += count_buildings(db, d["id"]) - count_buildings(db, d["id"],
                                                                      judged_only=True)
    ticker.finish()
    total = FdmaRow("", "合計")
    for row in by_code.values():
        total.merge(row)
    stamp = as_of or dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
    return FdmaReport(found, sorted(by_code.values(), key=lambda r: r.municipality_code), total,
                      stamp)


def header() -> list[str]:
    out = ["市区町村コード", "市区町村名"]
    for _, label, with_people in LINES:
        out += [f"{label}(棟)"] + ([f"{label}(世帯)", f"{label}(人)"] if with_people else [])
    return out + ["り災世帯数", "り災者数", "人数不明の世帯数", "未判定の棟数"]


def values(row: FdmaRow) -> list[object]:
    out: list[object] = [row.municipality_code, row.municipality_name]
    for code, _, with_people in LINES:
        tally = row.lines[code]
        out += [tally.buildings] + ([tally.households, tally.persons] if with_people else [])
    risai = row.risai()
    return out + [risai.households, risai.persons, row.unknown_households(), row.unjudged]


NOTES = (
    "集計の定義: 1棟は1つの区分にだけ数える（全壊 > 半壊 > 床上浸水 > 床下浸水 > 一部破損）。",
    "うち大規模半壊・うち中規模半壊は半壊の、うち準半壊は一部破損の内数。",
    "世帯・人: 申請の世帯員から。申請がなければ住民基本台帳、なければ1世帯・人数不明として数える。",
    "り災世帯数・り災者数 = 全壊 + 半壊 + 床上浸水。未判定の建物は数えない。",
)


def _table(report: FdmaReport) -> list[list[object]]:
    return [values(r) for r in report.rows] + [values(report.total)]


def write_csv(report: FdmaReport, out: Path | str) -> int:
    return csv_export.write_rows(out, header(), _table(report))


def write_xlsx(report: FdmaReport, out: Path | str) -> int:
    sheet = xlsx.Sheet(title="第4号様式(その2)住家被害", header=header(), rows=_table(report),
                       widths=[12, 14] + [9] * (len(header()) - 2),
                       notes=(f"{report.title}（{report.as_of} 現在）", *NOTES))
    return xlsx.write_xlsx(out, [sheet])
