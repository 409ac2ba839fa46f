"""被災者台帳 (災害対策基本法 第90条の3): one row per person of each application's household.

Items follow domain.md §4.1: the statutory ones (氏名, 生年月日, 性別, 住所又は居所, 住家の被害の
状況, 援護の実施の状況, 要配慮者) and the ⚠ unverified ones set by 内閣府令 that the app holds
(連絡先, 世帯の構成, 罹災証明書の交付の状況). 個人番号 is never exported. Where a member lacks
kana or sex, the resident register (住民基本台帳) row with the same name and birth date fills it:
the guidance says register data wins for names, so the register is the better source.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from survey_app.domain.text import address_key
from survey_app.exports import certificate_facts, csv_export, xlsx
from survey_app.exports.columns import FLOOD_LABELS
from survey_app.exports.output import Progress
from survey_app.exports.source import EXCLUDED_APPLICATION_STATUSES, stream

# (header, basis): the basis column of docs/exports.md.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("申請番号", "交付申請"),
    ("世帯主氏名", "第90条の3第2項（世帯の構成）⚠"),
    ("氏名", "第90条の3第2項第1号"),
    ("ふりがな", "第90条の3第2項第1号（データ項目の例示）"),
    ("生年月日", "第90条の3第2項第2号"),
    ("年齢（災害発生日）", "生年月日から導出（データ項目の例示）"),
    ("性別", "第90条の3第2項第3号"),
    ("続柄", "世帯の構成 ⚠ 内閣府令"),
    ("住所", "第90条の3第2項第4号"),
    ("居所", "第90条の3第2項第4号（住所と区別）"),
    ("被災住家の所在地", "第90条の3第2項第5号"),
    ("住家の被害の程度", "第90条の3第2項第5号"),
    ("浸水区分", "第90条の3第2項第5号"),
    ("罹災証明書の交付状況", "⚠ 内閣府令"),
    ("援護の実施の状況", "第90条の3第2項第6号（本アプリでは未管理・空欄）"),
    ("要配慮者", "⚠ 第90条の3第2項第7号"),
    ("連絡先", "⚠ 内閣府令"),
    ("建物ID", "本アプリの建物識別子"),
    ("申請受付日", "交付申請"),
)
_EXCLUDED = ", ".join(f"'{s}'" for s in EXCLUDED_APPLICATION_STATUSES)
_SQL = """
SELECT a.id, a.application_no, a.applicant_name, a.applicant_kana, a.household_address,
       a.damaged_address, a.members, a.contact, a.received_on, a.building_id, d.occurred_on,
       j.grade, f.flood, {certificate}
FROM applications a
JOIN disasters d ON d.id = a.disaster_id
LEFT JOIN surveys j ON j.id = (SELECT id FROM surveys WHERE building_id = a.building_id
    AND head_version_id IS NOT NULL ORDER BY created_at DESC, id DESC LIMIT 1)
LEFT JOIN version_facts f ON f.version_id = j.head_version_id
WHERE a.disaster_id = :did AND a.status NOT IN ({excluded})
ORDER BY a.application_no, a.id
"""


def _age(birth: str, on: str) -> int | str:
    try:
        born, day = dt.date.fromisoformat(birth), dt.date.fromisoformat(on)
    except (TypeError, ValueError):
        return ""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _register(db: Database, disaster_id: str, building_id: str | None,
              household_address: str) -> dict[tuple[str, str], dict]:
    found = db.execute(
        "SELECT name, birth_date, kana, sex FROM register_residents WHERE disaster_id = ?"
        " AND (building_id = ? OR address_key = ?)",
        [disaster_id, building_id or "", address_key(household_address)])
    return {(name.replace(" ", "").replace("　", ""), birth): {"kana": kana, "sex": sex}
            for name, birth, kana, sex in found}


def _members(members_json: str, applicant: str, applicant_kana: str) -> list[dict]:
    try:
        members = json.loads(members_json)
    except (TypeError, ValueError):
        members = []
    members = [m for m in members if isinstance(m, dict) and m.get("name")]
    # The unified form lists the household with its head; with no list, the applicant alone.
    return members or [{"name": applicant, "kana": applicant_kana, "relation": "世帯主"}]


def _rows_of(db: Database, disaster_id: str, app: tuple) -> Iterator[list[object]]:
    (_, number, applicant, applicant_kana, home, damaged, members_json, contact, received,
     building_id, occurred_on, grade, flood, certificate) = app
    register = _register(db, disaster_id, building_id, home)
    for member in _members(members_json, applicant, applicant_kana):
        name, birth = str(member["name"]), str(member.get("birth_date") or "")
        known = register.get((name.replace(" ", "").replace("　", ""), birth), {})
        yield [number, applicant, name, member.get("kana") or known.get("kana", ""), birth,
               _age(birth, occurred_on), member.get("sex") or known.get("sex", ""),
               member.get("relation", ""), home, member.get("residence", ""), damaged,
               grade or "", FLOOD_LABELS.get(flood or "", ""), certificate or "", "",
               member.get("needs_care", ""), contact, building_id or "", received]


def ledger_rows(db: Database, disaster_id: str) -> Iterator[list[object]]:
    """The ledger's rows, one per person, in application-number order."""
    cert = (certificate_facts.application_certificate_sql("a")
            if certificate_facts.available(db) else "NULL")
    sql = _SQL.format(certificate=cert, excluded=_EXCLUDED)
    for app in stream(db, sql, disaster_id):
        yield from _rows_of(db, disaster_id, app)


def _count(db: Database, disaster_id: str) -> int:
    return db.execute(f"SELECT count(*) FROM applications WHERE disaster_id = ? AND status NOT"
                      f" IN ({_EXCLUDED})", [disaster_id]).fetchone()[0]


def export_ledger(db: Database, disaster_id: str, out: Path | str, *, fmt: str = "csv",
                  progress: Progress | None = None) -> int:
    """Write the ledger as CSV or XLSX; returns the number of persons written."""
    header = [h for h, _ in COLUMNS]
    # The progress total is the number of applications; the bar may end past it (households).
    total = _count(db, disaster_id)
    if fmt == "xlsx":
        sheet = xlsx.Sheet(title="被災者台帳", header=header, rows=ledger_rows(db, disaster_id),
                           total=total, widths=[12, 14, 14, 14, 11, 8, 6, 8, 30, 20, 30, 16,
                                                10, 20, 16, 10, 16, 12, 11])
        return xlsx.write_xlsx(out, [sheet], progress=progress)
    return csv_export.write_rows(out, header, ledger_rows(db, disaster_id), total=total,
                                 progress=progress)
