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


def _paths(lap) -> list[str]:  # noqa: ANN001 - fieldwork.Laptop
    paths: list[str] = []
    lap.engine.client.http.on_request = lambda method, path, seconds, status: paths.append(
        path.split("?")[0])
    return paths


def test_the_last_push_brings_the_first_page_of_changes(team):
    """A sync that sends asks no GET /changes when the page comes with its last push: one
    round trip fewer on a weak link. What the office did meanwhile still arrives."""
    office, sato = team["office"], team["sato"]
    disaster = office.disaster()
    _, survey = office.assign(disaster, "石川県輪島市河井町一丁目2番地5号", sato.username)
    assert office.sync().agreed
    assert sato.sync().agreed
    _, later = office.assign(disaster, "石川県輪島市河井町一丁目2番地6号", sato.username)
    assert office.sync().agreed

    sato.photo(survey, photo_bytes(7))
    sato.complete(survey, {"外壁": {"損傷率": 30}})
    paths = _paths(sato)
    report = sato.sync()
    assert report.ok and report.agreed, report.message
    assert paths == ["/blobs/missing", "/blobs/batch", "/push"]
    assert sato.store.surveys.get(later) is not None


def test_a_page_that_is_not_the_last_is_followed_by_get_changes(team, monkeypatch):
    from survey_app.services.sync import push

    office, sato = team["office"], team["sato"]
    disaster = office.disaster()
    _, survey = office.assign(disaster, "石川県輪島市河井町一丁目2番地7号", sato.username)
    assert office.sync().agreed
    assert sato.sync().agreed
    later = [office.assign(disaster, f"石川県輪島市河井町一丁目3番地{i}号", sato.username)[1]
             for i in range(3)]
    assert office.sync().agreed

    monkeypatch.setattr(push, "PAGE", 2)  # the push's page: 2 of the office's changes
    sato.complete(survey, {"外壁": {"損傷率": 40}})
    paths = _paths(sato)
    report = sato.sync()
    assert report.ok and report.agreed, report.message
    assert paths[:2] == ["/push", "/changes"]
    assert all(sato.store.surveys.get(s) is not None for s in later)
