"""Small office data sets built with the real store and services (no mocks)."""

from __future__ import annotations

from survey_app.services.office_applications import ApplicationForm, register_application
from survey_app.services.workspace import Workspace

GRADES = {"zenkai": ("全壊", 55.0), "daikibo": ("大規模半壊", 45.0), "chukibo": ("中規模半壊", 35.0),
          "hankai": ("半壊", 25.0), "junhankai": ("準半壊", 15.0),
          "ichibu": ("準半壊に至らない（一部損壊）", 5.0)}
CAUSE = "令和6年1月1日の令和6年能登半島地震による"


def judgement(code: str) -> dict:
    label, ratio = GRADES[code]
    return {"grade_code": code, "grade": label, "damage_ratio": ratio,
            "rules_version": "2024-05-31", "rules_hash": "test", "explanation": []}


def new_disaster(ws: Workspace, code: str = "172049", name: str = "輪島市") -> str:
    return ws.store.buildings.create_disaster(
        name="令和6年能登半島地震", hazard="earthquake", occurred_on="2024-01-01",
        municipality_code=code, municipality_name=name)


def judged_building(ws: Workspace, disaster_id: str, address: str, grade: str | None = "hankai",
                    owner: str = "山田 太郎", surveyor: str = "佐藤") -> tuple[str, str]:
    """A building with a first survey, judged `grade` (None: surveyed but not judged)."""
    bid = ws.store.buildings.add(disaster_id=disaster_id, address=address, owner_name=owner)
    sid = ws.store.surveys.create(building_id=bid, stage="first", hazard="earthquake",
                                  surveyor=surveyor)
    if grade:
        ws.store.surveys.complete(sid, observations={"test": True}, judgement=judgement(grade),
                                  author=surveyor)
    return bid, sid


def apply(ws: Workspace, disaster_id: str, **fields) -> str:
    form = ApplicationForm(disaster_id=disaster_id, **{
        "applicant_name": "山田 太郎", "household_address": "石川県金沢市広坂1-1-1",
        "damaged_address": "石川県輪島市河井町1-2-3", "cause": CAUSE, **fields})
    return register_application(ws, form).id


def many_judged(ws: Workspace, disaster_id: str, n: int, *, prefix: str = "河井町") -> list[str]:
    """`n` judged buildings each with one application; returns the application ids."""
    codes = list(GRADES)
    out = []
    for i in range(n):
        address = f"石川県輪島市{prefix}{i // 100 + 1}丁目{i % 100 + 1}番地"
        judged_building(ws, disaster_id, address, grade=codes[i % len(codes)])
        out.append(apply(ws, disaster_id, applicant_name=f"住民 {i:04d}",
                         household_address=address, damaged_address=address))
    return out
