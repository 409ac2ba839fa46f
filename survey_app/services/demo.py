"""`survey-app demo`: fill a workspace with a realistic disaster in one town.

Two disasters in 益城町 (an earthquake with liquefaction, and heavy rain with flooding), a few
thousand buildings with addresses and coordinates, surveys across every grade and hazard
(drafts, completed 1st surveys, 2nd surveys after a request), applications, and photos with
EXIF GPS on the first homes. Reproducible from the seed.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from survey_app.services import demo_data as dd
from survey_app.services.demo_photos import SIDES, photo_bytes
from survey_app.services.fieldwork_photos import import_survey_photos
from survey_app.services.judging import judge_record
from survey_app.services.office import default_cause
from survey_app.services.office_issuing import allocate
from survey_app.services.workspace import Workspace

ProgressFn = Callable[[int, int], None]
QUAKE = {"name": "令和8年益城町周辺の地震（デモ）", "hazard": "earthquake",
         "occurred_on": "2026-04-14"}
RAIN = {"name": "令和8年7月豪雨（デモ）", "hazard": "flood", "occurred_on": "2026-07-03"}


@dataclass
class DemoSummary:
    disasters: int = 0
    buildings: int = 0
    surveys: int = 0
    versions: int = 0
    applications: int = 0
    certificates: int = 0
    photos: int = 0


def has_data(ws: Workspace) -> bool:
    return bool(ws.store.buildings.disasters())


def build_demo(ws: Workspace, *, buildings: int = 3000, photo_homes: int = 12, seed: int = 2026,
               progress: ProgressFn | None = None) -> DemoSummary:
    rng = random.Random(seed)
    summary = DemoSummary()
    plan = [(QUAKE, int(buildings * 0.8)), (RAIN, buildings - int(buildings * 0.8))]
    done = 0
    for disaster, count in plan:
        did = ws.store.buildings.create_disaster(
            **disaster, municipality_code=dd.TOWN["code"], municipality_name=dd.TOWN["name"],
            actor="demo")
        summary.disasters += 1
        with ws.store.atomic():  # one commit for the whole town: seconds, not minutes
            for i in range(count):
                _home(ws, rng, did, disaster, i, summary)
                done += 1
                if progress and done % 100 == 0:
                    progress(done, buildings)
    _certificates(ws, rng, summary)
    _photos(ws, rng, photo_homes, summary)
    if progress:
        progress(buildings, buildings)
    return summary


def _home(ws: Workspace, rng: random.Random, did: str, disaster: dict, i: int,
          summary: DemoSummary) -> None:
    area, lat0, lon0 = rng.choice(dd.AREAS)
    name, kana = dd.person(rng)
    lat, lon = dd.position(rng, lat0, lon0)
    surveyor = rng.choice(dd.SURVEYORS)
    bid = ws.store.buildings.add(
        disaster_id=did, address=dd.address(rng, area), area=area, owner_name=name,
        owner_kana=kana, structure="wood", floors=rng.choice((1, 2, 2, 2)), lat=lat, lon=lon,
        location_source="register", location_accuracy_m=10.0, assigned_to=surveyor,
        actor="demo")
    summary.buildings += 1
    hazard = _hazard(rng, disaster)
    sid = ws.store.surveys.create(building_id=bid, stage="first", hazard=hazard,
                                  surveyor=surveyor, actor="demo")
    summary.surveys += 1
    if rng.random() < 0.7:
        _application(ws, rng, did, bid, i, name, kana, disaster)
        summary.applications += 1
    roll = rng.random()
    if roll < 0.12:
        return  # 未調査
    observations = _observations(rng, hazard, disaster["occurred_on"], "first")
    if roll < 0.17:
        ws.store.surveys.save_draft(sid, observations)
        return
    # Teams start two days after the event and work through the town over about five weeks.
    _complete(ws, sid, observations, surveyor, summary, day=2 + int(35 * (i / 3000) ** 0.8))
    if hazard == "earthquake" and rng.random() < 0.08:
        _second_survey(ws, rng, bid, sid, disaster, summary)


def _hazard(rng: random.Random, disaster: dict) -> str:
    if disaster["hazard"] == "earthquake":
        return "liquefaction" if rng.random() < 0.03 else "earthquake"
    return "wind" if rng.random() < 0.05 else "flood"


def _observations(rng: random.Random, hazard: str, when: str, stage: str) -> dict:
    if hazard == "flood":
        return dd.flood_observations(rng, when)
    if hazard == "liquefaction":
        offsets = [round(rng.uniform(0.5, 7), 1) for _ in range(4)]
        sinking = rng.choice(("none", "none", "foundation_25cm", "floor", "above_floor_1m"))
        return {"hazard": "liquefaction", "stage": "first", "structure": "wood",
                "disaster_date": when, "inclination": {"offsets_cm": offsets},
                "liquefaction": {"sinking": sinking}}
    if hazard == "wind":  # mostly roof damage, rarely more than 一部損壊 (domain.md §6.3)
        obs = dd.earthquake_observations(rng, when, stage="first")
        roof = {"degrees": [{"degree": rng.choice(("I", "II", "III")),
                             "area_percent": rng.choice((10, 20, 40, 60))}]}
        return {**obs, "hazard": "wind", "appearance": {},
                "components": {**obs.get("components", {}), "roof": roof}}
    return dd.earthquake_observations(rng, when, stage=stage)


def _complete(ws: Workspace, sid: str, observations: dict, author: str,
              summary: DemoSummary, *, reason: str = "", day: int = 0) -> None:
    """Judge and record; `day` counts days after the disaster (the survey's working day)."""
    head = ws.store.surveys.get(sid)["head_version_id"]
    occurred = datetime.fromisoformat(observations["disaster_date"])
    when = occurred + timedelta(days=day, hours=9 + (summary.versions % 8))
    ws.store.surveys.complete(sid, observations=observations,
                              judgement=judge_record(ws.rulebook, observations),
                              author=author, base_version_id=head, reason=reason,
                              created_at=when.strftime("%Y-%m-%dT%H:%M:%S.000Z"))
    summary.versions += 1


def _second_survey(ws: Workspace, rng: random.Random, bid: str, first: str, disaster: dict,
                   summary: DemoSummary) -> None:
    """The household disputed the 1st result: a 2nd survey with interior entry."""
    ws.store.surveys.set_status(first, "resurvey_requested", actor="demo",
                                reason="世帯主から第2次調査の依頼")
    surveyor = rng.choice(dd.SURVEYORS)
    sid = ws.store.surveys.create(building_id=bid, stage="second", hazard="earthquake",
                                  surveyor=surveyor, previous_survey_id=first, actor="demo")
    summary.surveys += 1
    if rng.random() < 0.6:
        obs = dd.earthquake_observations(rng, disaster["occurred_on"], stage="second")
        _complete(ws, sid, obs, surveyor, summary, reason="第2次調査",
                  day=30 + rng.randint(0, 20))


def _application(ws: Workspace, rng: random.Random, did: str, bid: str, i: int, name: str,
                 kana: str, disaster: dict) -> None:
    building = ws.store.buildings.get(bid)
    evacuated = rng.random() < 0.1
    household = (f"熊本県熊本市東区健軍{rng.randint(1, 5)}丁目{rng.randint(1, 20)}番"
                 f"{rng.randint(1, 15)}号" if evacuated else building["address"])
    received = datetime.fromisoformat(disaster["occurred_on"]) + timedelta(
        days=rng.randint(2, 40))
    members = dd.household(rng, name)
    ws.store.applications.add(
        disaster_id=did, application_no=f"R8-{disaster['hazard'][:1].upper()}{i + 1:05d}",
        applicant_name=name, applicant_kana=kana, household_address=household,
        damaged_address=building["address"], received_on=received.date().isoformat(),
        members=members, building_id=bid, contact=f"090-{rng.randint(1000, 9999)}-"
        f"{rng.randint(1000, 9999)}", cause=default_cause(disaster),
        requested_method="現地調査", actor="demo")


def _certificates(ws: Workspace, rng: random.Random, summary: DemoSummary) -> None:
    """Numbers for about three in four judged applications, a few days after the survey;
    the rest is the office's backlog. Not printed: the office prints them from the app."""
    rows = list(ws.store.db.query(
        "SELECT a.id, v.created_at FROM applications a JOIN surveys s ON"
        " s.building_id = a.building_id AND s.stage = 'first' AND s.status = 'completed'"
        " JOIN survey_versions v ON v.id = s.head_version_id ORDER BY v.created_at"))
    with ws.store.atomic():
        for row in rows:
            if rng.random() < 0.75:
                issued = datetime.fromisoformat(row["created_at"][:10]) + timedelta(
                    days=rng.randint(2, 12))
                allocate(ws, row["id"], issued_on=issued.date().isoformat(), actor="demo")
                summary.certificates += 1


def _photos(ws: Workspace, rng: random.Random, homes: int, summary: DemoSummary) -> None:
    rows = list(ws.store.db.query(
        "SELECT s.id, s.grade_code, s.damage_ratio, b.lat, b.lon FROM surveys s"
        " JOIN buildings b ON b.id = s.building_id WHERE s.status = 'completed'"
        " ORDER BY s.rowid LIMIT ?", [homes]))
    with tempfile.TemporaryDirectory() as tmp:
        for n, row in enumerate(rows):
            damage = min(1.0, (row["damage_ratio"] or 60) / 60)
            when = datetime(2026, 4, 20, 9, 0) + timedelta(minutes=17 * n)
            for tag, bearing in SIDES:
                path = Path(tmp) / f"IMG_{n:03d}_{bearing:03d}.JPG"
                path.write_bytes(photo_bytes(rng, lat=row["lat"], lon=row["lon"], when=when,
                                             bearing=bearing, damage=damage))
                report = import_survey_photos(ws, row["id"], [path], tag=tag)
                summary.photos += len(report.added)
