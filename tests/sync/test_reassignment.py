"""A home reassigned by the office after a sync, on a real server (SQLite and PostgreSQL): the
new surveyor's list names them, the old surveyor's laptop keeps its copy and still agrees with
the server, and nothing the old surveyor entered is lost: what was synced is on the server,
what was not stays in the outbox, reported, until it can go."""

from __future__ import annotations

from survey_app.services import office_tasks
from survey_app.services.sync.outbox import Outbox
from survey_app.store.listing import SurveyFilter
from tests.sync.fieldwork import Laptop, photo_bytes

AREA = "河井町"


def _homes(office: Laptop, *addresses: str) -> tuple[str, dict[str, str]]:
    """A disaster with these homes, their 1st surveys made by the office's task dialog."""
    disaster = office.disaster()
    for address in addresses:
        office.store.buildings.add(disaster_id=disaster, address=address, area=AREA,
                                   owner_name="山田 太郎", actor=office.username)
    office_tasks.create_first_surveys(office.ws, disaster)
    surveys = {r["address"]: r["id"] for r in office.store.db.query(
        "SELECT id, address FROM surveys WHERE disaster_id = ?", [disaster])}
    return disaster, surveys


def _assign(office: Laptop, disaster: str, surveyor: Laptop) -> office_tasks.TaskReport:
    return office_tasks.assign_surveys(office.ws, disaster, surveyor.username, areas=[AREA])


def _list(lap: Laptop, disaster: str) -> dict[str, str]:
    """What the laptop's survey list shows: survey id → surveyor."""
    return {r["id"]: r["surveyor"] for r in lap.store.listing.page(SurveyFilter(disaster))}


def _sync_ok(*laptops: Laptop) -> None:
    for lap in laptops:
        report = lap.sync()
        assert report.ok and report.agreed, f"{lap.name}: {report.message}"


def test_reassigned_home_goes_to_the_new_surveyor_and_the_old_one_still_agrees(team, tenant):
    office, sato, suzuki = team["office"], team["sato"], team["suzuki"]
    done_addr, open_addr = "石川県輪島市河井町一丁目1番地", "石川県輪島市河井町一丁目2番地"
    disaster, surveys = _homes(office, done_addr, open_addr)
    done, still_open = surveys[done_addr], surveys[open_addr]
    assert _assign(office, disaster, sato).assigned == 2
    _sync_ok(office, sato, suzuki)
    assert _list(sato, disaster) == {done: sato.username, still_open: sato.username}
    assert _list(suzuki, disaster) == {}

    # 佐藤 surveys one home and starts on the other (a photo, a draft), and syncs.
    shas = [sato.photo(done, photo_bytes(1)), sato.photo(still_open, photo_bytes(2))]
    version = sato.complete(done, {"外壁": {"損傷率": 30}})
    sato.store.surveys.save_draft(still_open, {"外壁": {"損傷率": 10}})
    _sync_ok(sato, office)
    assert office.head(done) == version

    # The office gives the area to 鈴木: the surveyed home stays with 佐藤.
    report = _assign(office, disaster, suzuki)
    assert (report.reassigned, report.closed) == (1, 1)
    _sync_ok(office, suzuki, sato)
    assert _list(suzuki, disaster) == {still_open: suzuki.username}
    assert suzuki.store.surveys.get(still_open)["status"] == "unsurveyed"
    assert set(suzuki.ws.blobs.iter_shas()) == {shas[1]}  # 佐藤's photo of it came along
    assert Outbox(suzuki.store).count() == 0  # taking the name queued nothing
    assert [r["surveyor"] for r in tenant.server.query(
        "SELECT surveyor FROM surveys WHERE id = ?", (still_open,))] == [sato.username]

    # 佐藤 keeps the copy and the draft; the check agrees, sync after sync. His laptop marks
    # the home given away 担当外, so he does not survey it again; his own stays 同期済.
    assert sato.store.surveys.draft(still_open)["observations"] == {"外壁": {"損傷率": 10}}
    assert sato.store.surveys.get(done)["head_version_id"] == version
    _sync_ok(sato, sato)
    assert Outbox(sato.store).count() == 0
    assert sato.engine.survey_state(still_open).label == "担当外"
    assert sato.engine.survey_state(done).label == "同期済"
    assert suzuki.engine.survey_state(still_open).label == "同期済"

    # Everyone sees 佐藤's completed work; 鈴木 completes the reassigned home.
    mine = suzuki.complete(still_open, {"外壁": {"損傷率": 50}})
    _sync_ok(suzuki, office, sato)
    assert office.head(done) == version and office.head(still_open) == mine
    assert _list(office, disaster) == {done: sato.username, still_open: suzuki.username}
    assert set(office.ws.blobs.iter_shas()) == set(shas)


def test_work_done_offline_on_a_home_taken_away_is_kept_reported_and_sent_later(team, tenant):
    office, sato, suzuki = team["office"], team["sato"], team["suzuki"]
    disaster, surveys = _homes(office, "石川県輪島市河井町二丁目5番地")
    (survey,) = surveys.values()
    _assign(office, disaster, sato)
    _sync_ok(office, sato)

    # Offline, 佐藤 surveys the home, while the office gives it to 鈴木.
    sha = sato.photo(survey, photo_bytes(7))
    version = sato.complete(survey, {"屋根": {"損傷率": 40}})
    _assign(office, disaster, suzuki)
    _sync_ok(office, suzuki)

    report = sato.sync()
    assert report.ok and not report.agreed  # never "all agreed" while work is stuck here
    # Each record of the home that could not go is named, not only the survey's version.
    assert set(report.disagreements) == {"buildings", "surveys", "versions", "links"}
    state = sato.engine.survey_state(survey)
    assert state.label.startswith("失敗") and "担当外" in state.label, state.label
    assert sato.head(survey) == version  # the survey and its photo stay on the laptop
    assert sato.ws.blobs.has(sha)
    assert ("version", version) in {(e.kind, e.entity_id) for e in Outbox(sato.store).entries()}
    assert not tenant.server.query("SELECT id FROM survey_versions WHERE id = ?", (version,))

    # The office gives it back: the waiting work goes up at the next sync, and the home is
    # 佐藤's again on his laptop. 鈴木, whose home it no longer is, keeps his copy as it was,
    # marked 担当外, and agrees too.
    _assign(office, disaster, sato)
    _sync_ok(office, sato)
    assert Outbox(sato.store).count() == 0
    assert sato.engine.survey_state(survey).label == "同期済"
    _sync_ok(office, suzuki)
    assert office.head(survey) == version
    assert office.ws.blobs.has(sha)
    assert suzuki.store.surveys.get(survey)["status"] == "unsurveyed"
    assert suzuki.engine.survey_state(survey).code == "released"


def test_a_home_assigned_to_several_shows_each_laptop_its_own_name(team):
    office, sato, suzuki = team["office"], team["sato"], team["suzuki"]
    disaster, surveys = _homes(office, "石川県輪島市河井町三丁目8番地")
    (survey,) = surveys.values()
    _assign(office, disaster, sato)
    building = office.store.surveys.get(survey)["building_id"]
    office.store.buildings.update(building, actor=office.username,
                                  assigned_to=f"{suzuki.username}、{sato.username}")
    _sync_ok(office, sato, suzuki)
    assert _list(sato, disaster) == {survey: sato.username}
    assert _list(suzuki, disaster) == {survey: suzuki.username}
