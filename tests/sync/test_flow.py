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
