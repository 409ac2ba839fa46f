"""The 被災者台帳 export: one row per household member, with the register filling gaps."""

from __future__ import annotations

import csv
import json

from openpyxl import load_workbook

from survey_app.exports.ledger import COLUMNS
from survey_app.services.exporting import run_export
from survey_app.services.registers import import_register


def _rows(path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _persons_in_store(ws, did) -> int:
    rows = ws.store.db.execute("SELECT members FROM applications WHERE disaster_id = ?", [did])
    return sum(max(len(json.loads(m)), 1) for (m,) in rows)


def test_one_row_per_person(ws, data, tmp_path):
    out = tmp_path / "ledger.csv"
    result = run_export(ws.store, kind="ledger", disaster_ids=[data["E"]], out=out)
    rows = _rows(out)
    assert list(rows[0]) == [h for h, _ in COLUMNS]
    assert len(rows) == result.count == _persons_in_store(ws, data["E"]) == 13
    e1 = [r for r in rows if r["申請番号"] == "E1-0"]
    assert [r["氏名"] for r in e1] == ["E1世帯0員0", "E1世帯0員1", "E1世帯0員2"]
    assert {r["住家の被害の程度"] for r in e1} == {"全壊"}
    assert e1[0]["年齢（災害発生日）"] == "43"                # born 1980-04-01, disaster 2024-01-01
    assert e1[0]["罹災証明書の交付状況"] == "第1号（2024-01-20）"
    e4 = [r for r in rows if r["申請番号"] == "E4-0"]
    assert e4[0]["罹災証明書の交付状況"] == ""                 # its certificate was voided
    e2 = [r for r in rows if r["申請番号"] == "E2-0"]
    assert [(r["氏名"], r["続柄"]) for r in e2] == [("E2世帯0員0", "世帯主")]   # applicant alone


def test_resident_register_fills_sex_and_kana(ws, data, tmp_path):
    register = tmp_path / "juki.csv"
    register.write_text("氏名,氏名カナ,生年月日,性別,住所\n"
                        "E1世帯0員1,いちたろう,昭和55年4月1日,女,輪島市河井町1番\n",
                        encoding="cp932")
    report = import_register(ws, "residents", register, disaster_id=data["E"])
    assert report.added == 1 and not report.bad
    out = tmp_path / "ledger.xlsx"
    run_export(ws.store, kind="ledger", disaster_ids=[data["E"]], out=out)
    sheet = load_workbook(out).worksheets[0]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[2] == "E1世帯0員1")
    assert row[header.index("性別")] == "女"
    assert row[header.index("ふりがな")] == "イチタロウ"
