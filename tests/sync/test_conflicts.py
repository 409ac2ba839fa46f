"""Two surveyors editing the same home: different fields merge, the same field becomes a
conflict the office resolves, and the resolution reaches both laptops. Nothing is lost."""

from __future__ import annotations

from survey_app.services.sync import resolve_conflict
from tests.sync.fieldwork import laptop_snapshot, server_snapshot
from tests.sync.support import JUDGED

BASE = {"外壁": {"損傷率": 30}, "屋根": {"損傷率": 10}, "備考": ""}


def _shared_home(team):
    office, sato, suzuki = team["office"], team["sato"], team["suzuki"]
    disaster = office.disaster()
    _, survey = office.assign(disaster, "輪島市河井町2-1", f"{sato.username}, {suzuki.username}")
    assert office.sync().agreed
    assert sato.sync().agreed
    first = sato.complete(survey, BASE)
    assert sato.sync().agreed
    assert suzuki.sync().agreed
    assert suzuki.head(survey) == first
    return survey, first


def _all_agree(team, tenant) -> None:
    for lap in team.values():
        report = lap.sync()
        assert report.ok and report.agreed, (lap.name, report.message)
    server = server_snapshot(tenant)
    for lap in team.values():
        mine = laptop_snapshot(lap)
        assert mine["versions"] == server["versions"], lap.name
        assert mine["heads"] == server["heads"], lap.name
        assert mine["links"] == server["links"], lap.name


def test_edits_to_different_fields_merge(team, tenant):
    sato, suzuki = team["sato"], team["suzuki"]
    survey, first = _shared_home(team)
    mine = sato.complete(survey, {**BASE, "外壁": {"損傷率": 40}},
                         {**JUDGED, "damage_ratio": 28.0})
    theirs = suzuki.complete(survey, {**BASE, "屋根": {"損傷率": 20}})
    assert sato.sync().agreed
    report = suzuki.sync()
    assert report.ok and report.agreed, report.message
    assert report.push.outcomes["merged"] == 1
    _all_agree(team, tenant)
    merged = sato.store.surveys.version(sato.head(survey))
    assert merged["observations"] == {"外壁": {"損傷率": 40}, "屋根": {"損傷率": 20}, "備考": ""}
    assert merged["damage_ratio"] == 28.0  # only sato changed the judgement
    assert merged["base_version_id"] == mine
    versions = {v["id"] for v in suzuki.store.surveys.versions(survey)}
    assert {first, mine, theirs, merged["id"]} == versions
    assert suzuki.engine.survey_state(survey).label == "同期済"


def test_same_field_conflict_reaches_the_office_and_its_resolution_both_laptops(team, tenant):
    office, sato, suzuki = team["office"], team["sato"], team["suzuki"]
    survey, _ = _shared_home(team)
    mine = sato.complete(survey, {**BASE, "外壁": {"損傷率": 40}})
    theirs = suzuki.complete(survey, {**BASE, "外壁": {"損傷率": 50}})
    assert sato.sync().agreed
    report = suzuki.sync()
    assert report.ok and report.agreed, report.message
    assert report.push.outcomes["conflict"] == 1
    assert suzuki.engine.survey_state(survey).label == "競合"
    assert suzuki.head(survey) == mine  # the server's head; suzuki's version is kept beside it
    assert {mine, theirs} <= {r["id"] for r in tenant.server.query(
        "SELECT id FROM survey_versions WHERE survey_id = ?", (survey,))}

    assert office.sync().agreed
    [conflict] = office.engine.open_conflicts()
    assert conflict["survey_id"] == survey
    assert '"path":"observations.外壁.損傷率"' in conflict["fields"]
    report = resolve_conflict(office.engine, conflict["id"], "theirs", reason="現地再確認")
    assert report.ok and report.agreed, report.message

    _all_agree(team, tenant)
    for lap in (sato, suzuki, office):
        assert lap.observations(survey)["外壁"] == {"損傷率": 50}, lap.name
        assert lap.engine.survey_state(survey).label == "同期済", lap.name
        assert lap.engine.open_conflicts() == []
    resolution = sato.store.surveys.version(sato.head(survey))
    assert resolution["base_version_id"] == mine and resolution["reason"].startswith("resolve")


def test_applicant_identity_conflict_keeps_the_office_value_until_resolved(team, tenant):
    office, sato = team["office"], team["sato"]
    disaster = office.disaster()
    building, survey = office.assign(disaster, "輪島市河井町3-3", sato.username)
    assert office.sync().agreed and sato.sync().agreed
    office.store.buildings.update(building, actor="office", owner_name="山田 花子")
    sato.store.buildings.update(building, actor="sato", owner_name="山田 一郎",
                                lat=37.39, lon=136.90)
    assert office.sync().agreed
    report = sato.sync()
    assert report.ok and report.agreed, report.message
    assert report.push.outcomes["conflict"] == 1
    row = sato.store.buildings.get(building)
    assert (row["owner_name"], row["lat"]) == ("山田 花子", 37.39)  # location merged
    assert sato.engine.survey_state(survey).label == "競合"
    assert office.sync().agreed
    [conflict] = office.engine.open_conflicts()
    assert resolve_conflict(office.engine, conflict["id"], "theirs").agreed
    assert sato.sync().agreed
    assert sato.store.buildings.get(building)["owner_name"] == "山田 一郎"
    assert sato.engine.survey_state(survey).label == "同期済"
