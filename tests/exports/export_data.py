"""A small fixed data set built through the store API, with its hand-computed figures.

Earthquake 「能登テスト地震」 (輪島市 172049), buildings E1–E13; flood 「豪雨テスト」 (珠洲市
172057), buildings F1–F4. Each building's line says what it is meant to test.
"""

from __future__ import annotations

from pathlib import Path

from survey_app.services.registers import import_register
from survey_app.services.workspace import Workspace
from survey_app.store.certificates import CertificateRegister
from survey_app.store.office_resurvey import ResurveyRequests

LABELS = {"zenkai": "全壊", "daikibo": "大規模半壊", "chukibo": "中規模半壊", "hankai": "半壊",
          "junhankai": "準半壊", "ichibu": "準半壊に至らない（一部損壊）"}
TRICKY_REMARK = '瓦がずれ、\n壁に "ひび"\r\n二行目, 三行目'
FORMULA_REMARK = "=HYPERLINK(\"http://x\")"
RECEIVED = "2024-01-05"

# name: (grade, ratio, members per application (None: no application), located?, remarks)
EARTHQUAKE = {
    "E1": ("zenkai", 55.0, [3], True, TRICKY_REMARK),
    "E2": ("daikibo", 45.0, [0], True, ""),
    "E3": ("chukibo", 35.0, None, True, ""),        # no application: 1 household, persons unknown
    "E4": ("hankai", 25.0, [2, 1], True, FORMULA_REMARK),
    "E5": ("junhankai", 15.0, [1], True, ""),
    "E6": ("ichibu", 5.0, [2], False, ""),           # no position: GeoJSON geometry null
    "E7": ("ichibu", 0.0, None, True, ""),           # 0 %: no damage, not in the FDMA report
    "E8": ("draft", None, None, True, ""),           # survey begun, not judged
    "E9": (None, None, [2], True, ""),               # no survey at all; its application waits
    "E10": ("hankai", 22.0, [1], True, ""),          # judged, then a re-survey was requested
}
# Non-dwellings come from the tax-register import (用途) and are then surveyed.
NON_DWELLINGS = {"E11": ("zenkai", 60.0, "倉庫"), "E12": ("hankai", 21.0, "公民館"),
                 "E13": ("junhankai", 12.0, "車庫")}
# name: (grade, flood observations, members)
FLOOD = {
    "F1": ("daikibo", {"external_force": True, "depth_above_floor_cm": 120}, [2]),
    "F2": ("junhankai", {"external_force": False, "depth_above_floor_cm": 5}, [1]),
    "F3": ("ichibu", {"external_force": False, "below_floor_only": True}, None),
    "F4": ("ichibu", {"external_force": False, "below_floor_only": True}, None),
}

# FDMA rows: code -> (棟, 世帯, 人)
FDMA_WAJIMA = {"zenkai": (1, 1, 3), "hankai": (4, 5, 5), "daikibo": (1, 1, 1),
               "chukibo": (1, 1, 0), "ichibu": (2, 2, 3), "junhankai": (1, 1, 1),
               "yukaue": (0, 0, 0), "yukashita": (0, 0, 0), "hijuka_public": (1,),
               "hijuka_other": (1,)}
FDMA_SUZU = {"zenkai": (0, 0, 0), "hankai": (1, 1, 2), "daikibo": (1, 1, 2),
             "chukibo": (0, 0, 0), "ichibu": (0, 0, 0), "junhankai": (0, 0, 0),
             "yukaue": (1, 1, 1), "yukashita": (2, 2, 0), "hijuka_public": (0,),
             "hijuka_other": (0,)}


def _observations(hazard: str, remarks: str = "", flood: dict | None = None) -> dict:
    obs = {"hazard": hazard, "stage": "first", "structure": "wood",
           "disaster_date": "2024-01-01"}
    if remarks:
        obs["remarks"] = remarks
    if flood:
        obs["flood"] = flood
    return obs


def _judge(ws: Workspace, bid: str, hazard: str, grade: str, ratio: float | None,
           surveyor: str, **obs) -> str:
    sid = ws.store.surveys.create(building_id=bid, stage="first", hazard=hazard,
                                  surveyor=surveyor)
    ws.store.surveys.complete(
        sid, observations=_observations(hazard, **obs), author=surveyor,
        judgement={"grade_code": grade, "grade": LABELS[grade], "damage_ratio": ratio,
                   "rules_version": "2024-05", "rules_hash": "h", "explanation": []})
    return sid


def _apply(ws: Workspace, did: str, bid: str, name: str, sizes: list[int]) -> list[str]:
    out = []
    for n, size in enumerate(sizes):
        members = [{"name": f"{name}世帯{n}員{k}", "relation": "世帯主" if k == 0 else "子",
                    "birth_date": "1980-04-01"} for k in range(size)]
        out.append(ws.store.applications.add(
            disaster_id=did, application_no=f"{name}-{n}", applicant_name=f"{name}世帯{n}員0",
            household_address=f"石川県{name}", damaged_address=f"石川県{name}",
            received_on=RECEIVED, members=members, building_id=bid))
    return out


def _earthquake(ws: Workspace, data: dict) -> None:
    store = ws.store
    did = store.buildings.create_disaster(name="能登テスト地震", hazard="earthquake",
                                          occurred_on="2024-01-01", municipality_code="172049",
                                          municipality_name="輪島市")
    data["E"] = did
    for i, (name, (grade, ratio, apps, located, remarks)) in enumerate(EARTHQUAKE.items()):
        where = {"lat": 37.39 + i * 0.001, "lon": 136.89 + i * 0.002} if located else {}
        bid = store.buildings.add(disaster_id=did, address=f"輪島市河井町{i + 1}番",
                                  owner_name=f"所有者{name}", **where)
        data[name] = bid
        if grade == "draft":
            sid = store.surveys.create(building_id=bid, stage="first", hazard="earthquake")
            store.surveys.save_draft(sid, _observations("earthquake"))
        elif grade:
            data[name + "_survey"] = _judge(ws, bid, "earthquake", grade, ratio,
                                            "班A" if i % 2 else "班B", remarks=remarks)
        data[name + "_apps"] = _apply(ws, did, bid, name, apps or [])


def _non_dwellings(ws: Workspace, data: dict, tmp: Path) -> None:
    lines = ["家屋番号,所在地,所有者氏名,用途"]
    lines += [f"K-{name},輪島市河井町{10 + k}番地の2,所有者{name},{use}"
              for k, (name, (_, _, use)) in enumerate(NON_DWELLINGS.items(), start=1)]
    path = tmp / "kaoku.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_register(ws, "buildings", path, disaster_id=data["E"])
    for k, (name, (grade, ratio, _)) in enumerate(NON_DWELLINGS.items(), start=1):
        (building,) = ws.store.buildings.find_by_address(data["E"], f"輪島市河井町{10 + k}番地の2")
        data[name] = building["id"]
        _judge(ws, building["id"], "earthquake", grade, ratio, "班A")


def _flood(ws: Workspace, data: dict) -> None:
    did = ws.store.buildings.create_disaster(name="豪雨テスト", hazard="flood",
                                             occurred_on="2024-07-01",
                                             municipality_code="172057",
                                             municipality_name="珠洲市")
    data["F"] = did
    for i, (name, (grade, flood, apps)) in enumerate(FLOOD.items()):
        bid = ws.store.buildings.add(disaster_id=did, address=f"珠洲市飯田町{i + 1}番",
                                     lat=37.43 + i * 0.001, lon=137.26)
        data[name] = bid
        _judge(ws, bid, "flood", grade, 0.0 if name == "F4" else None, "班C", flood=flood)
        _apply(ws, did, bid, name, apps or [])


def _office(ws: Workspace, data: dict) -> None:
    """E1 issued after 15 days, E2 after 46 days; E4's certificate was voided."""
    register = CertificateRegister(ws.store)
    for name, issued_on in (("E1", "2024-01-20"), ("E2", "2024-02-20"), ("E4", "2024-01-10")):
        entry = register.allocate(disaster_id=data["E"], municipality_code="172049",
                                  kind="risai", event="issue", payload={},
                                  number_format="第{number}号", issued_on=issued_on,
                                  actor="窓口", application_id=data[name + "_apps"][0],
                                  building_id=data[name])
        data[name + "_cert"] = entry["id"]
    register.void(data["E4_cert"], reason="誤交付", actor="窓口")
    previous = ws.store.surveys.get(data["E10_survey"])
    ResurveyRequests(ws.store).add(previous_survey=previous, stage="resurvey",
                                   requested_on="2024-02-01", reason="再調査の申請",
                                   actor="窓口", surveyor="班A")


def build(ws: Workspace, tmp: Path) -> dict:
    """Fill the workspace; returns names → ids ("E", "F" are the disasters)."""
    data: dict = {}
    _earthquake(ws, data)
    _non_dwellings(ws, data, tmp)
    _flood(ws, data)
    _office(ws, data)
    return data
