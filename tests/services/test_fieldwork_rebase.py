"""A surveyor's draft stays theirs when a sync pull moves the survey's head under it: the other
side's version is merged in field by field, conflicts wait for the surveyor's choice, the old
draft is kept, and completing afterwards builds on the new head. Real SQLite stores; the pulled
version goes through the sync client's own apply code, and one test runs two laptops against a
real server process."""

from __future__ import annotations

import pytest

from survey_app.services import fieldwork as fw
from survey_app.services import fieldwork_rebase as rb
from survey_app.services.fieldwork_labels import display_value, field_label
from survey_app.services.sync.apply import apply_changes, guarded, settle_heads
from survey_app.services.workspace import Workspace
from survey_app.store.canonical import canonical, judged_tuple, version_content_hash
from survey_app.store.ids import new_id, now_iso

ROOF_V = {"roof": {"degrees": [{"degree": "V", "area_percent": 100}]}}
JUDGED = {"grade_code": "junhankai", "grade": "準半壊", "damage_ratio": 15.0,
          "rules_version": "2024-05-31", "rules_hash": "r", "explanation": ["屋根 15%"]}


@pytest.fixture
def ws(tmp_path):
    workspace = Workspace(tmp_path / "home", actor="鈴木")
    store = workspace.store
    did = store.buildings.create_disaster(name="テスト地震", hazard="earthquake",
                                          occurred_on="2026-11-01", actor="テスト")
    bid = store.buildings.add(disaster_id=did, address="宮城県仙台市若林区荒井1丁目1番",
                              owner_name="調査 太郎", owner_kana="チョウサ タロウ",
                              area="荒井1丁目", structure="wood")
    workspace.sid = store.surveys.create(building_id=bid, stage="first", hazard="earthquake")
    yield workspace
    workspace.close()


def first_version(ws, **extra) -> tuple[str, dict]:
    """v1, already synced (a version still waiting to be pushed keeps the head where it is);
    returns (v1, its observations)."""
    obs = {**fw.open_for_editing(ws, ws.sid).observations, "components": ROOF_V, **extra}
    return pull_version(ws, obs, author="鈴木"), obs


def pull_version(ws, observations: dict, *, author: str = "事務所",
                 survey_id: str | None = None) -> str:
    """Another device's version arriving the way a sync pull writes it (apply_changes and
    settle_heads inside the guarded page transaction); returns its id."""
    store = ws.store
    sid = survey_id or ws.sid
    survey = store.surveys.get(sid)
    vid = new_id()
    content = version_content_hash(canonical(observations), judged_tuple(JUDGED))
    version = {"id": vid, "survey_id": sid, "base_version_id": survey["head_version_id"],
               "observations": observations, "judgement": JUDGED, "explanation": [],
               "form_hash": "", "author": author, "reason": "", "created_at": now_iso(),
               "content_hash": content}
    head = {**{k: survey[k] for k in ("id", "building_id", "disaster_id", "stage", "hazard",
                                        "surveyor", "previous_survey_id", "created_at")},
            "status": "completed", "head_version_id": vid}
    with guarded(store):
        touched = apply_changes(store, [
            {"rev": 1, "entity": "version", "id": vid, "op": "put", "data": version},
            {"rev": 2, "entity": "survey", "id": sid, "op": "put", "data": head}])
        settle_heads(store, touched)
    assert store.surveys.get(sid)["head_version_id"] == vid
    return vid


def test_a_pull_leaves_the_draft_on_its_own_base_and_completing_is_refused(ws):
    v1, obs = first_version(ws)
    fw.save_draft(ws, ws.sid, {**obs, "remarks": "追記"})
    v2 = pull_version(ws, {**obs, "floor_area": {"lost_m2": 10, "total_m2": 100}})
    fw.save_draft(ws, ws.sid, {**obs, "remarks": "追記の続き"})  # the autosave after the pull
    assert ws.store.surveys.draft(ws.sid)["base_version_id"] == v1
    assert rb.is_stale(ws, ws.sid)
    session = fw.open_for_editing(ws, ws.sid)
    assert session.stale and session.base_version_id == v1
    with pytest.raises(fw.StaleDraftError, match="他の端末の変更を取り込む"):
        fw.complete_survey(ws, session, session.observations)
    assert ws.store.surveys.get(ws.sid)["head_version_id"] == v2
    assert ws.store.surveys.draft(ws.sid)["observations"]["remarks"] == "追記の続き"


def test_a_clean_merge_rewrites_the_draft_on_the_new_head_and_completes_on_it(ws):
    v1, obs = first_version(ws)
    ours = {**obs, "remarks": "二階の窓ガラス破損",
            "components": {**ROOF_V, "exterior_wall": {"degrees": [
                {"degree": "IV", "area_percent": 20}]}}}
    fw.save_draft(ws, ws.sid, ours)
    incline = {"offsets_cm": [1, 2, 1, 0], "plumb_cm": 120}
    v2 = pull_version(ws, {**obs, "inclination": incline})

    outcome = rb.rebase_draft(ws, ws.sid)

    assert outcome.status == "merged" and outcome.conflicts == []
    assert (outcome.base_version_id, outcome.head_version_id) == (v1, v2)
    assert [(c.path, c.before, c.after) for c in outcome.taken] == [
        ("inclination.offsets_cm", None, [1, 2, 1, 0]), ("inclination.plumb_cm", None, 120)]
    draft = ws.store.surveys.draft(ws.sid)
    assert draft["base_version_id"] == v2
    assert draft["observations"] == {**ours, "inclination": incline}
    [kept] = rb.kept_drafts(ws, ws.sid)
    assert kept["observations"] == ours and kept["base_version_id"] == v1
    assert kept["head_version_id"] == v2 and kept["actor"] == "鈴木"
    assert ws.store.audit.verify().ok

    session = fw.open_for_editing(ws, ws.sid)
    assert not session.stale
    v3 = fw.complete_survey(ws, session, session.observations)
    version = ws.store.surveys.version(v3)
    assert version["base_version_id"] == v2
    assert version["observations"]["inclination"] == incline
    assert version["observations"]["remarks"] == "二階の窓ガラス破損"
    assert ws.store.surveys.draft(ws.sid) is None


def _conflicting(ws):
    v1, obs = first_version(ws)
    ours = {**obs, "remarks": "自分の備考", "components": {"roof": {"degrees": [
        {"degree": "V", "area_percent": 50}]}}}
    fw.save_draft(ws, ws.sid, ours)
    theirs = {**obs, "remarks": "事務所の備考", "floor_area": {"lost_m2": 5, "total_m2": 90},
              "components": {"roof": {"degrees": [{"degree": "IV", "area_percent": 100}]}}}
    v2 = pull_version(ws, theirs)
    return v1, v2, obs, ours, theirs


def test_conflicts_are_returned_and_nothing_changes_until_the_surveyor_chooses(ws):
    v1, v2, obs, ours, theirs = _conflicting(ws)
    before = ws.store.surveys.draft(ws.sid)

    outcome = rb.rebase_draft(ws, ws.sid)

    assert outcome.status == "conflicts" and outcome.token
    assert [(c.path, c.base, c.ours, c.theirs) for c in outcome.conflicts] == [
        ("components.roof.degrees", ROOF_V["roof"]["degrees"],
         ours["components"]["roof"]["degrees"], theirs["components"]["roof"]["degrees"]),
        ("remarks", rb.MISSING, "自分の備考", "事務所の備考")]
    assert ws.store.surveys.draft(ws.sid) == before
    assert rb.kept_drafts(ws, ws.sid) == []
    with pytest.raises(rb.RebaseError, match="どちらを残すか"):
        rb.apply_choices(ws, ws.sid, {"remarks": "ours"}, token=outcome.token)
    assert ws.store.surveys.draft(ws.sid) == before


def test_the_choices_are_applied_and_neither_side_is_lost(ws):
    v1, v2, obs, ours, theirs = _conflicting(ws)
    token = rb.rebase_draft(ws, ws.sid).token

    outcome = rb.apply_choices(ws, ws.sid, {"components.roof.degrees": "theirs",
                                            "remarks": "ours"}, token=token)

    assert outcome.status == "merged" and outcome.kept == ["remarks"]
    assert {c.path for c in outcome.taken} == {"components.roof.degrees",
                                               "floor_area.lost_m2", "floor_area.total_m2"}
    draft = ws.store.surveys.draft(ws.sid)
    assert draft["base_version_id"] == v2
    assert draft["observations"] == {**theirs, "remarks": "自分の備考"}
    # Neither side is lost: the old draft is in the audit log, theirs is version v2.
    [kept] = rb.kept_drafts(ws, ws.sid)
    assert kept["observations"] == ours and kept["kept_ours"] == ["remarks"]
    assert ws.store.surveys.version(v2)["observations"] == theirs
    session = fw.open_for_editing(ws, ws.sid)
    v3 = fw.complete_survey(ws, session, session.observations)
    assert ws.store.surveys.version(v3)["base_version_id"] == v2
    assert [v["id"] for v in ws.store.surveys.versions(ws.sid)] == [v1, v2, v3]


def test_choices_made_on_an_older_draft_are_refused(ws):
    _, _, obs, ours, _ = _conflicting(ws)
    token = rb.rebase_draft(ws, ws.sid).token
    fw.save_draft(ws, ws.sid, {**ours, "remarks": "さらに追記"})  # edited meanwhile
    with pytest.raises(rb.RebaseError, match="もう一度"):
        rb.apply_choices(ws, ws.sid, {"components.roof.degrees": "ours",
                                      "remarks": "ours"}, token=token)
    assert ws.store.surveys.draft(ws.sid)["observations"]["remarks"] == "さらに追記"
    assert rb.kept_drafts(ws, ws.sid) == []


def test_a_field_cleared_in_the_draft_stays_cleared_when_ours_is_chosen(ws):
    _, obs = first_version(ws, remarks="元の備考")
    cleared = {k: v for k, v in obs.items() if k != "remarks"}
    fw.save_draft(ws, ws.sid, cleared)  # the surveyor cleared them on this laptop
    pull_version(ws, {**obs, "remarks": "事務所が直した備考"})
    outcome = rb.rebase_draft(ws, ws.sid)
    [conflict] = outcome.conflicts
    assert (conflict.path, conflict.ours, conflict.theirs) == (
        "remarks", rb.MISSING, "事務所が直した備考")
    rb.apply_choices(ws, ws.sid, {"remarks": "ours"}, token=outcome.token)
    assert "remarks" not in ws.store.surveys.draft(ws.sid)["observations"]


def test_a_draft_begun_before_any_version_merges_against_nothing(ws):
    session = fw.open_for_editing(ws, ws.sid)
    ours = {**session.observations, "components": ROOF_V}
    fw.save_draft(ws, ws.sid, ours, base_version_id=session.base_version_id)
    theirs = {**session.observations, "appearance": {"total_collapse": True}}
    v1 = pull_version(ws, theirs)
    assert ws.store.surveys.draft(ws.sid)["base_version_id"] is None
    outcome = rb.rebase_draft(ws, ws.sid)
    assert outcome.status == "merged" and outcome.base_version_id is None
    assert [c.path for c in outcome.taken] == ["appearance.total_collapse"]
    assert ws.store.surveys.draft(ws.sid) | {"updated_at": ""} == {
        "survey_id": ws.sid, "base_version_id": v1, "updated_at": "",
        "observations": {**ours, "appearance": {"total_collapse": True}}}


def test_nothing_to_merge_is_said_so(ws):
    assert rb.rebase_draft(ws, ws.sid).status == "no_draft"
    _, obs = first_version(ws)
    fw.save_draft(ws, ws.sid, obs)
    assert rb.rebase_draft(ws, ws.sid).status == "current"
    assert rb.kept_drafts(ws, ws.sid) == []


def test_fields_are_named_and_shown_as_the_form_names_them(ws):
    form = fw.open_for_editing(ws, ws.sid).form
    assert field_label(form, "remarks") == "備考"
    assert field_label(form, "components.roof.degrees") == "屋根：損傷程度・面積率"
    assert field_label(form, "inclination.offsets_cm") == "水平距離①〜④（四隅）"
    assert field_label(form, "structure") == "構造"
    assert field_label(form, "unknown.path") == "unknown.path"
    assert display_value(form, "components.roof.degrees", [
        {"degree": "V", "area_percent": 60}, {"degree": "III", "area_percent": 40}]
    ) == "程度Ⅴ 60%、程度Ⅲ 40%"
    assert display_value(form, "inclination.offsets_cm", [1, 2.5, 0, 3]) == "1・2.5・0・3 cm"
    assert display_value(form, "appearance.total_collapse", True) == "はい"
    assert display_value(form, "remarks", rb.MISSING) == "（未入力）"
    assert rb.describe_fields(form, ["remarks", "floor_area.lost_m2"]) == (
        "「備考」、「損壊・焼失・流失した床面積」")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from tests.sync.conftest import start_server, stop_server

    srv = start_server("sqlite", tmp_path_factory.mktemp("rebase-server"))
    yield srv
    stop_server(srv)


def test_two_laptops_and_a_real_server(server, tmp_path):
    """鈴木's laptop has a draft when 佐藤's new version arrives by sync: the draft survives the
    pull, takes 佐藤's change in, and the version completed afterwards is accepted by the
    server as built on 佐藤's (created, not merged or in conflict)."""
    from tests.sync.fieldwork import Laptop, add_users
    from tests.sync.support import new_tenant

    tenant = new_tenant(server)
    add_users(tenant, {"office": "office", "sato": "surveyor", "suzuki": "surveyor"})
    office, sato, suzuki = (Laptop(tmp_path, tenant, n) for n in ("office", "sato", "suzuki"))
    try:
        _, sid = office.assign(office.disaster(), "輪島市河井町2-1",
                               f"{sato.username}, {suzuki.username}")
        assert office.sync().agreed and sato.sync().agreed
        obs = {**fw.open_for_editing(sato.ws, sid).observations, "components": ROOF_V}
        v1 = sato.complete(sid, obs)
        assert sato.sync().agreed and suzuki.sync().agreed

        session = fw.open_for_editing(suzuki.ws, sid)
        fw.save_draft(suzuki.ws, sid, {**session.observations, "remarks": "鈴木の追記"},
                      base_version_id=session.base_version_id)
        v2 = sato.complete(sid, {**obs, "floor_area": {"lost_m2": 8, "total_m2": 96}})
        assert sato.sync().agreed
        assert suzuki.sync().agreed

        assert suzuki.head(sid) == v2
        assert suzuki.store.surveys.draft(sid)["base_version_id"] == v1
        outcome = rb.rebase_draft(suzuki.ws, sid)
        assert outcome.status == "merged"
        assert [c.path for c in outcome.taken] == ["floor_area.lost_m2", "floor_area.total_m2"]
        session = fw.open_for_editing(suzuki.ws, sid)
        v3 = fw.complete_survey(suzuki.ws, session, session.observations)
        report = suzuki.sync()
        assert report.ok and report.agreed, report.message
        assert report.push.outcomes.get("created") == 1, report.push.outcomes
        [row] = server.query("SELECT head_version_id FROM surveys WHERE id = ?", (sid,))
        assert row["head_version_id"] == v3
        [row] = server.query("SELECT base_version_id, observations FROM survey_versions"
                             " WHERE id = ?", (v3,))
        assert row["base_version_id"] == v2
        assert "鈴木の追記" in row["observations"] and '"lost_m2":8' in row["observations"]
    finally:
        for lap in (office, sato, suzuki):
            lap.close()
