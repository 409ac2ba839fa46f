"""The everyday round trip on a real server: the office assigns, the surveyor receives it,
surveys with photos, and the office receives the survey, its photos and their bytes."""

from __future__ import annotations

from tests.sync.fieldwork import laptop_snapshot, photo_bytes, server_snapshot


def test_assignment_goes_down_and_the_survey_with_photos_comes_back(team, tenant):
    office, sato = team["office"], team["sato"]
    disaster = office.disaster()
    building, survey = office.assign(disaster, "石川県輪島市河井町一丁目2番地3号", sato.username)
    assert office.sync().agreed
    report = sato.sync()
    assert report.ok and report.agreed, report.message
    assert sato.store.surveys.get(survey)["building_id"] == building
    assert sato.engine.survey_state(survey).label == "同期済"

    shas = [sato.photo(survey, photo_bytes(i)) for i in range(3)]
    version = sato.complete(survey, {"外壁": {"損傷率": 30}, "屋根": {"損傷率": 10}})
    assert sato.engine.survey_state(survey).label == "送信待ち"
    report = sato.sync()
    assert report.ok and report.agreed, report.message
    assert sato.engine.survey_state(survey).label == "同期済"

    report = office.sync()
    assert report.ok and report.agreed, report.message
    assert office.head(survey) == version
    assert set(office.ws.blobs.iter_shas()) == set(shas)
    assert all(office.ws.blobs.verify(s) for s in shas)
    assert laptop_snapshot(office) == laptop_snapshot(sato) == server_snapshot(tenant)


def test_the_check_rides_on_the_last_page_of_changes(team):
    """The end-of-sync digests come with the final /changes page (same snapshot), so an
    agreeing sync asks /sync/summary nothing; a page that is not the last carries none."""
    office, sato = team["office"], team["sato"]
    disaster = office.disaster()
    office.assign(disaster, "石川県輪島市河井町一丁目2番地4号", sato.username)
    assert office.sync().agreed
    paths: list[str] = []
    sato.engine.client.http.on_request = lambda method, path, seconds, status: paths.append(path)
    report = sato.sync()
    assert report.ok and report.agreed, report.message
    assert any(p.startswith("/changes") for p in paths)
    assert not any(p.startswith("/sync/summary") for p in paths)

    first = sato.engine.client.changes(0, limit=1, own=True, summary=True)
    assert first["more"] and "summary" not in first
    last = sato.engine.client.changes(first["next_since"], limit=500, own=True, summary=True)
    assert not last["more"] and set(last["summary"]["kinds"]) >= {"buildings", "surveys"}
