"""Headquarters' setup on a real store: register a disaster, add homes by hand, create the 1st
surveys and assign them. Every refusal names the problem in Japanese and writes nothing; every
change is audited and waits in the sync outbox."""

from __future__ import annotations

import datetime as dt

import pytest

from survey_app.services import office_tasks
from survey_app.services.office import OfficeError
from survey_app.services.office_setup import (
    DuplicateHome,
    add_home,
    check_digit,
    create_disaster,
    municipality_code,
    municipality_defaults,
)
from survey_app.services.office_tasks import (
    area_rows,
    assign_surveys,
    create_and_assign,
    create_first_surveys,
    known_surveyors,
    plan,
)
from survey_app.services.workspace import Workspace
from tests.store.conftest import JUDGED

TODAY = dt.date(2026, 4, 20)
QUAKE = {"name": "令和8年4月14日の地震", "hazard": "earthquake", "occurred_on": "2026-04-14",
         "municipality_code_text": "43443", "municipality_name": "益城町"}


@pytest.fixture
def ws(tmp_path):
    workspace = Workspace(tmp_path / "hq", actor="本部 田中")
    yield workspace
    workspace.close()


@pytest.fixture
def disaster(ws) -> str:
    return create_disaster(ws, **QUAKE, today=TODAY)


def homes(ws, disaster, per_area: dict[str, int]) -> list[str]:
    ids = []
    for area, count in per_area.items():
        for i in range(count):
            ids.append(add_home(ws, disaster, address=f"熊本県上益城郡益城町{area}{i + 1}番地",
                                owner_name=f"住民 {area}{i}", area=area).building_id)
    return ids


def counts(ws) -> tuple[int, ...]:
    db = ws.store.db
    return tuple(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                 for t in ("disasters", "buildings", "surveys", "audit_log", "sync_outbox"))


def outbox(ws, kind: str) -> set[str]:
    return {r[0] for r in ws.store.db.execute(
        "SELECT entity_id FROM sync_outbox WHERE kind = ?", [kind])}


# -- the disaster ----------------------------------------------------------------------------

@pytest.mark.parametrize("five,six", [("17204", "172049"), ("43443", "434434"),
                                      ("01100", "011002"), ("13101", "131016")])
def test_check_digits_of_real_municipality_codes(five, six):
    assert five + check_digit(five) == six
    assert municipality_code(six) == six == municipality_code(five)
    assert municipality_code("４３４４３４") == "434434"  # typed full width


def test_a_disaster_is_stored_audited_and_queued_for_the_server(ws, disaster):
    row = ws.store.buildings.disaster(disaster)
    assert (row["name"], row["hazard"], row["occurred_on"]) == (QUAKE["name"], "earthquake",
                                                                "2026-04-14")
    assert (row["municipality_code"], row["municipality_name"]) == ("434434", "益城町")
    entry = ws.store.db.execute("SELECT actor, action, entity FROM audit_log WHERE entity_id = ?",
                                [disaster]).fetchone()
    assert entry == ("本部 田中", "create", "disaster")
    assert outbox(ws, "disaster") == {disaster}
    assert municipality_defaults(ws) == {"code": "434434", "name": "益城町"}


@pytest.mark.parametrize("change,message", [
    ({"name": "  "}, "「災害名」を入力してください"),
    ({"hazard": "tsunami"}, "災害の種類「tsunami」は使えません"),
    ({"occurred_on": "2026-04-21"}, "今日（2026-04-20）より後の日付です"),
    ({"occurred_on": "4月14日"}, "日付として読めません"),
    ({"occurred_on": "1923-09-01"}, "より前の日付です"),
    ({"municipality_code_text": "434433"}, "正しくは 434434 です"),
    ({"municipality_code_text": "益城"}, "数字 6 桁"),
    ({"municipality_name": ""}, "「市町村名」を入力してください"),
])
def test_a_bad_disaster_is_refused_in_japanese_and_nothing_is_written(ws, change, message):
    before = counts(ws)
    with pytest.raises(OfficeError, match=message):
        create_disaster(ws, **{**QUAKE, **change}, today=TODAY)
    assert counts(ws) == before


def test_the_same_disaster_twice_is_refused(ws, disaster):
    before = counts(ws)
    with pytest.raises(OfficeError, match="既に登録されています"):
        create_disaster(ws, **QUAKE, today=TODAY)
    assert counts(ws) == before
    create_disaster(ws, **{**QUAKE, "hazard": "flood", "name": "令和8年7月豪雨",
                           "occurred_on": dt.date(2026, 4, 20)}, today=TODAY)
    assert len(ws.store.buildings.disasters()) == 2


def test_a_fresh_store_offers_an_empty_municipality(ws):
    assert municipality_defaults(ws) == {"code": "", "name": ""}


# -- a home by hand --------------------------------------------------------------------------

def test_a_home_with_its_first_survey_assigned(ws, disaster):
    added = add_home(ws, disaster, address="熊本県上益城郡益城町宮園１丁目２番３号",
                     owner_name="山田 太郎", owner_kana="やまだ たろう", area="宮園",
                     structure="non_wood", floors=2, lat=32.7921, lon=130.8122,
                     first_survey=True, surveyor="佐藤")
    b = ws.store.buildings.get(added.building_id)
    assert b["address"] == "熊本県上益城郡益城町宮園1丁目2番3号"  # NFKC, as registers are read
    assert (b["owner_kana"], b["structure"], b["floors"]) == ("ヤマダ タロウ", "non_wood", 2)
    assert (b["lat"], b["lon"], b["location_source"], b["assigned_to"]) == (
        32.7921, 130.8122, "manual", "佐藤")
    s = ws.store.surveys.get(added.survey_id)
    assert (s["stage"], s["hazard"], s["surveyor"], s["area"]) == ("first", "earthquake",
                                                                   "佐藤", "宮園")
    assert outbox(ws, "building") == {added.building_id}
    assert outbox(ws, "survey") == {added.survey_id}


def test_a_second_home_at_the_same_address_needs_confirming(ws, disaster):
    add_home(ws, disaster, address="益城町宮園一丁目2番地3号", owner_name="山田 太郎")
    before = counts(ws)
    with pytest.raises(DuplicateHome, match="同じ所在地の住家が既に 1 件あります") as err:
        add_home(ws, disaster, address="益城町宮園1-2-3", owner_name="山田 花子")
    assert err.value.existing[0]["owner_name"] == "山田 太郎"
    assert counts(ws) == before
    add_home(ws, disaster, address="益城町宮園1-2-3", owner_name="山田 花子",
             allow_duplicate=True)
    assert ws.store.buildings.count(disaster) == 2


@pytest.mark.parametrize("fields,message", [
    ({"address": " "}, "「所在地」を入力してください"),
    ({"lat": 32.79}, "緯度と経度は両方"),
    ({"lat": 130.81, "lon": 32.79}, "日本の範囲外です"),
    ({"floors": 0}, "階数 0 は 1〜200"),
    ({"structure": "steel"}, "構造「steel」は使えません"),
    ({"first_survey": True, "surveyor": "佐藤 一郎"}, "空白や「,」「、」を使えません"),
])
def test_a_bad_home_is_refused_and_nothing_is_written(ws, disaster, fields, message):
    before = counts(ws)
    with pytest.raises(OfficeError, match=message):
        add_home(ws, disaster, **{"address": "益城町宮園5番地", **fields})
    assert counts(ws) == before


# -- tasks -----------------------------------------------------------------------------------

def test_first_surveys_for_an_area_skip_homes_that_have_one(ws, disaster):
    homes(ws, disaster, {"宮園": 4, "木山": 3})
    early = add_home(ws, disaster, address="益城町宮園99番地", area="宮園", first_survey=True)
    forecast = plan(ws, disaster, areas=["宮園"], create=True)
    report = create_first_surveys(ws, disaster, areas=["宮園"])
    assert (report.created, report.skipped) == (forecast.created, forecast.skipped) == (4, 1)
    again = create_first_surveys(ws, disaster, areas=["宮園"])
    assert (again.created, again.skipped) == (0, 5)
    rows = {r.area: r for r in area_rows(ws, disaster)}
    assert (rows["宮園"].homes, rows["宮園"].without_first, rows["宮園"].open_surveys) == (5, 0, 5)
    assert (rows["木山"].without_first, rows["木山"].open_surveys) == (3, 0)
    made = ws.store.db.execute("SELECT stage, hazard, count(*) FROM surveys GROUP BY 1, 2")
    assert made.fetchall() == [("first", "earthquake", 5)]
    assert len(outbox(ws, "survey")) == 5 and early.survey_id in outbox(ws, "survey")
    assert ws.store.audit.verify().ok


def test_assigning_an_area_reaches_the_buildings_and_leaves_surveyed_homes_alone(ws, disaster):
    ids = homes(ws, disaster, {"宮園": 3, "木山": 2})
    create_first_surveys(ws, disaster)
    done = ws.store.surveys.for_building(ids[0])[0]["id"]
    ws.store.surveys.complete(done, observations={}, judgement=JUDGED, author="鈴木")
    ws.store.db.execute("DELETE FROM sync_outbox")  # as after a sync: what follows is new
    report = assign_surveys(ws, disaster, "佐藤", areas=["宮園"])
    assert (report.assigned, report.reassigned, report.unchanged, report.closed) == (2, 0, 0, 1)
    assigned = dict(ws.store.db.execute("SELECT id, assigned_to FROM buildings").fetchall())
    assert assigned == {ids[0]: "", ids[1]: "佐藤", ids[2]: "佐藤", ids[3]: "", ids[4]: ""}
    assert outbox(ws, "building") == {ids[1], ids[2]}  # the assignment travels to the server
    surveyors = dict(ws.store.db.execute("SELECT building_id, surveyor FROM surveys"))
    assert surveyors[ids[0]] == "" and surveyors[ids[1]] == surveyors[ids[2]] == "佐藤"
    assert ws.store.listing.facets(disaster)["surveyor"] == ["佐藤"]


def test_reassigning_chosen_rows_and_running_again_changes_nothing(ws, disaster):
    ids = homes(ws, disaster, {"宮園": 4})
    create_and_assign(ws, disaster, areas=["宮園"], surveyor="佐藤")
    sids = [ws.store.surveys.for_building(b)[0]["id"] for b in ids[:2]]
    forecast = plan(ws, disaster, survey_ids=sids, surveyor="鈴木")
    report = assign_surveys(ws, disaster, "鈴木", survey_ids=sids)
    assert (report.reassigned, report.assigned) == (forecast.reassigned, forecast.assigned) == (2, 0)
    assert [ws.store.buildings.get(b)["assigned_to"] for b in ids] == ["鈴木", "鈴木", "佐藤",
                                                                     "佐藤"]
    actions = ws.store.db.execute("SELECT payload FROM audit_log WHERE action = 'assign'"
                                  " AND entity_id = ?", [sids[0]]).fetchall()
    assert '"previous":"佐藤"' in actions[-1][0] and '"surveyor":"鈴木"' in actions[-1][0]
    audit_before = counts(ws)[3]
    again = assign_surveys(ws, disaster, "鈴木", survey_ids=sids)
    assert (again.unchanged, again.reassigned) == (2, 0)
    assert counts(ws)[3] == audit_before + 1  # only the run's own summary entry
    assert known_surveyors(ws) == ["佐藤", "鈴木"]


def test_create_and_assign_counts_match_the_forecast_and_progress_reaches_the_end(ws, disaster):
    homes(ws, disaster, {"宮園": 3, "": 2})
    forecast = plan(ws, disaster, areas=["宮園", ""], create=True, surveyor="sato")
    seen: list[tuple[int, int]] = []
    report = create_and_assign(ws, disaster, areas=["宮園", ""], hazard="liquefaction",
                               surveyor="sato", progress=lambda d, t: seen.append((d, t)))
    assert (report.created, report.assigned) == (forecast.created, forecast.assigned) == (5, 5)
    assert seen[-1][0] == seen[-1][1] == 10 and seen == sorted(seen)
    hazards = {r[0] for r in ws.store.db.execute("SELECT hazard FROM surveys")}
    assert hazards == {"liquefaction"}


def test_a_stopped_run_keeps_its_chunks_and_the_next_run_finishes(ws, disaster, monkeypatch):
    monkeypatch.setattr(office_tasks, "CHUNK", 2)  # small chunks: a small town has several
    homes(ws, disaster, {"宮園": 5})
    calls = []
    report = create_first_surveys(ws, disaster, cancelled=lambda: calls.append(1) or
                                  len(calls) > 1)
    assert report.cancelled and report.created == 2
    rest = create_first_surveys(ws, disaster)
    assert (rest.created, rest.skipped) == (3, 2)


def test_a_surveyor_name_with_a_space_is_refused_before_anything_is_written(ws, disaster):
    homes(ws, disaster, {"宮園": 2})
    before = counts(ws)
    with pytest.raises(OfficeError, match="空白や「,」「、」を使えません"):
        create_and_assign(ws, disaster, areas=["宮園"], surveyor="益城町 第1班")
    with pytest.raises(OfficeError, match="調査員を選ぶか"):
        assign_surveys(ws, disaster, " ", areas=["宮園"])
    assert counts(ws) == before


def test_known_surveyors_leave_out_names_the_server_cannot_hold(ws, disaster):
    ids = homes(ws, disaster, {"宮園": 3})
    ws.store.buildings.update(ids[0], actor="t", assigned_to="益城町 第1班")
    ws.store.buildings.update(ids[1], actor="t", assigned_to="sato")
    ws.store.surveys.create(building_id=ids[2], stage="first", hazard="earthquake",
                            surveyor="佐藤")
    assert known_surveyors(ws) == ["sato", "佐藤"]
