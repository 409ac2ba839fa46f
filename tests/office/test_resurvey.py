"""A disputed grade: request → 2nd survey → new judgement → reissued certificate → history."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from survey_app.services.office import OfficeError
from survey_app.services.office_issuing import (
    issue_certificate,
    reissue_certificate,
    void_certificate,
)
from survey_app.services.office_printing import doc_for, verify_qr
from survey_app.services.office_resurvey import (
    history,
    open_request,
    reissue_after_resurvey,
    reissue_latest,
    reissue_plan,
    request_resurvey,
    resurvey_form,
)
from survey_app.store.certificates import CertificateRegister
from tests.office.office_data import apply, judged_building, judgement

ADDRESS = "石川県輪島市河井町1-2-3"


@pytest.fixture
def issued(ws, disaster):
    building, survey = judged_building(ws, disaster, ADDRESS, grade="hankai")
    app = apply(ws, disaster, damaged_address=ADDRESS)
    extras = ("世帯人員 2人", "床上浸水", "")
    return building, survey, issue_certificate(ws, app, extras=extras).entry


def test_request_creates_an_assigned_second_survey_and_marks_the_first(ws, issued):
    _, first_survey, entry = issued
    request = request_resurvey(ws, entry["id"], reason="屋根の被害が反映されていない",
                               surveyor="鈴木", requested_on="2024-02-10")
    new = ws.store.surveys.get(request["new_survey_id"])
    assert new["stage"] == "second" and new["surveyor"] == "鈴木"
    # The home goes to 鈴木's laptop: the building's assignment is what the server acts on.
    assert ws.store.buildings.get(new["building_id"])["assigned_to"] == "鈴木"
    assert new["previous_survey_id"] == first_survey and new["status"] == "unsurveyed"
    assert ws.store.surveys.get(first_survey)["status"] == "resurvey_requested"
    assert request["certificate_id"] == entry["id"] and request["status"] == "requested"
    with pytest.raises(OfficeError, match="既に受け付け"):
        request_resurvey(ws, entry["id"], reason="再度", surveyor="鈴木")
    with pytest.raises(OfficeError, match="空白"):  # a user name: the server splits on spaces
        request_resurvey(ws, entry["id"], reason="再度", surveyor="鈴木 一郎")


def test_a_second_request_follows_on_with_a_resurvey_stage(ws, issued):
    _, _, entry = issued
    first = request_resurvey(ws, entry["id"], reason="不服", surveyor="鈴木")
    ws.store.surveys.complete(first["new_survey_id"], observations={"n": 2},
                              judgement=judgement("hankai"), author="鈴木")
    again = reissue_after_resurvey(ws, first["id"])
    second = request_resurvey(ws, again.entry["id"], reason="まだ不服", surveyor="高橋")
    assert ws.store.surveys.get(second["new_survey_id"])["stage"] == "resurvey"


def test_reissue_waits_for_the_new_judgement(ws, issued):
    _, _, entry = issued
    request = request_resurvey(ws, entry["id"], reason="不服", surveyor="鈴木")
    with pytest.raises(OfficeError, match="判定がまだ終わっていません"):
        reissue_after_resurvey(ws, request["id"])


def test_new_judgement_gives_a_reissue_referring_to_the_old_number(ws, issued):
    building, _, entry = issued
    request = request_resurvey(ws, entry["id"], reason="不服", surveyor="鈴木")
    ws.store.surveys.complete(request["new_survey_id"], observations={"n": 2},
                              judgement=judgement("daikibo"), author="鈴木")
    outcome = reissue_after_resurvey(ws, request["id"])
    new = outcome.entry
    assert new["number"] == 2 and new["event"] == "reissue"
    assert new["previous_id"] == entry["id"] and new["grade"] == "大規模半壊"
    assert new["survey_id"] == request["new_survey_id"]
    assert new["payload"]["extras"] == ["世帯人員 2人", "床上浸水", ""]  # carried over
    text = "".join(PdfReader(str(outcome.pdf_path)).pages[0].extract_text().split())
    assert "再交付" in text and "第1号の証明書に代えて再交付" in text
    assert "■大規模半壊" in text and "□半壊" in text and "再調査の結果による" in text
    printed_code = re.search(r"RSC1:[0-9A-Z:-]+", text).group(0)
    assert verify_qr(ws, printed_code).ok and f":{new['number']}:" in printed_code
    old_code = doc_for(CertificateRegister(ws.store).get(entry["id"])).qr_text
    assert "再交付により無効" in verify_qr(ws, old_code).message  # the old paper
    with pytest.raises(OfficeError, match="処理済み"):
        reissue_after_resurvey(ws, request["id"])


def test_history_shows_the_chain_in_order(ws, issued):
    building, first_survey, entry = issued
    request = request_resurvey(ws, entry["id"], reason="不服", surveyor="鈴木")
    ws.store.surveys.complete(request["new_survey_id"], observations={"n": 2},
                              judgement=judgement("daikibo"), author="鈴木")
    reissue_after_resurvey(ws, request["id"])
    events = history(ws, building)
    assert [e.kind for e in events] == ["survey", "certificate", "request", "survey",
                                        "certificate"]
    assert [e.ref_id for e in events] == [first_survey, entry["id"], request["id"],
                                          request["new_survey_id"], events[-1].ref_id]
    assert events[0].title == "第1次調査" and "半壊" in events[0].detail
    assert events[1].title == "罹災証明書 第1号 交付"
    assert "再交付済み" in events[2].detail and "不服" in events[2].detail
    assert events[3].title == "第2次調査" and "大規模半壊" in events[3].detail
    assert events[4].title == "罹災証明書 第2号 再交付" and "第1号 に代わる" in events[4].detail


def test_history_records_a_void(ws, issued):
    building, _, entry = issued
    void_certificate(ws, entry["id"], reason="世帯主の誤記")
    kinds = [(e.kind, e.detail) for e in history(ws, building)]
    assert kinds[-1] == ("void", "世帯主の誤記")


def test_resurvey_needs_a_valid_risai_certificate(ws, disaster, issued):
    _, _, entry = issued
    void_certificate(ws, entry["id"], reason="誤交付")
    with pytest.raises(OfficeError):
        request_resurvey(ws, entry["id"], reason="不服")
    hisai = issue_certificate(ws, apply(ws, disaster, applicant_name="別 人",
                                        household_address="輪島市鳳至町1-1",
                                        damaged_address="輪島市鳳至町1-1"), kind="hisai")
    with pytest.raises(OfficeError, match="罹災証明書"):
        request_resurvey(ws, hisai.entry["id"], reason="不服")


def test_the_plan_names_the_grade_a_reissue_prints_and_warns_while_a_survey_is_open(ws, issued):
    _, first_survey, entry = issued
    plan = reissue_plan(ws, entry["id"])
    assert plan.survey_id == first_survey and plan.warning == "" and plan.request is None
    assert "第1次調査" in plan.text and "「半壊」" in plan.text and "同じ判定" in plan.text
    request = request_resurvey(ws, entry["id"], reason="不服", surveyor="鈴木")
    plan = reissue_plan(ws, entry["id"])
    assert plan.survey_id == first_survey  # the 2nd survey has no grade yet
    assert "第2次調査（担当: 鈴木・未調査）はまだ判定されていません" in plan.warning
    ws.store.surveys.complete(request["new_survey_id"], observations={"n": 2},
                              judgement=judgement("daikibo"), author="鈴木")
    plan = reissue_plan(ws, entry["id"])
    assert plan.survey_id == request["new_survey_id"] and plan.warning == ""
    assert plan.request["id"] == request["id"] and request["id"] in plan.text
    assert "第2次調査（判定済み・調査員 鈴木）の判定「大規模半壊」" in plan.text


def test_reissue_latest_prints_the_new_grade_and_closes_the_request(ws, issued):
    _, _, entry = issued
    request = request_resurvey(ws, entry["id"], reason="不服", surveyor="鈴木")
    ws.store.surveys.complete(request["new_survey_id"], observations={"n": 2},
                              judgement=judgement("daikibo"), author="鈴木")
    outcome = reissue_latest(ws, entry["id"], reason="再調査の結果による",
                             expect_survey_id=request["new_survey_id"], expect_grade="daikibo")
    assert outcome.entry["grade"] == "大規模半壊" and outcome.entry["previous_id"] == entry["id"]
    closed = ws.store.db.execute("SELECT status, reissued_certificate_id FROM resurvey_requests"
                                 " WHERE id = ?", [request["id"]]).fetchone()
    assert tuple(closed) == ("reissued", outcome.entry["id"])
    assert open_request(ws, outcome.entry["id"]) is None


def test_reissue_latest_refuses_a_plan_that_changed_since_it_was_shown(ws, issued):
    _, first_survey, entry = issued
    request = request_resurvey(ws, entry["id"], reason="不服", surveyor="鈴木")
    shown = reissue_plan(ws, entry["id"])  # the clerk reads 「半壊」 and the warning
    ws.store.surveys.complete(request["new_survey_id"], observations={"n": 2},
                              judgement=judgement("zenkai"), author="鈴木")
    with pytest.raises(OfficeError, match="確認した後に変わりました.*全壊"):
        reissue_latest(ws, entry["id"], reason="紛失", expect_survey_id=shown.survey_id,
                       expect_grade="hankai")
    assert CertificateRegister(ws.store).get(entry["id"])["validity"] == "valid"


def test_a_lost_paper_reissued_during_a_resurvey_keeps_the_chain_going(ws, issued):
    _, _, entry = issued
    request = request_resurvey(ws, entry["id"], reason="不服", surveyor="鈴木")
    lost = reissue_certificate(ws, entry["id"], reason="紛失")  # same grade, new number
    assert open_request(ws, lost.entry["id"])["id"] == request["id"]
    ws.store.surveys.complete(request["new_survey_id"], observations={"n": 2},
                              judgement=judgement("daikibo"), author="鈴木")
    outcome = reissue_after_resurvey(ws, request["id"])
    assert outcome.entry["previous_id"] == lost.entry["id"]
    assert outcome.entry["grade"] == "大規模半壊" and outcome.entry["number"] == 3


def test_another_household_of_the_home_gets_the_new_grade_without_closing_the_request(
        ws, disaster, issued):
    _, _, entry = issued
    other = issue_certificate(ws, apply(ws, disaster, applicant_name="河井 次郎",
                                        household_address="輪島市鳳至町2-2",
                                        damaged_address=ADDRESS)).entry
    request = request_resurvey(ws, entry["id"], reason="不服", surveyor="鈴木")
    ws.store.surveys.complete(request["new_survey_id"], observations={"n": 2},
                              judgement=judgement("daikibo"), author="鈴木")
    plan = reissue_plan(ws, other["id"])
    assert plan.survey_id == request["new_survey_id"] and plan.request is None
    outcome = reissue_latest(ws, other["id"], reason="再調査の結果による",
                             expect_survey_id=plan.survey_id)
    assert outcome.entry["grade"] == "大規模半壊"
    assert reissue_plan(ws, entry["id"]).request["id"] == request["id"]  # still open


def test_the_request_form_offers_known_surveyors_and_refuses_a_second_open_request(ws, issued):
    _, _, entry = issued
    form = resurvey_form(ws, entry["id"])
    assert form["stage"] == "second" and form["surveyors"] == ["佐藤"]
    request_resurvey(ws, entry["id"], reason="不服", surveyor="鈴木")
    with pytest.raises(OfficeError, match="既に受け付け"):
        resurvey_form(ws, entry["id"])


def test_history_follows_the_request_through_its_states_and_names_its_id(ws, issued):
    building, _, entry = issued
    request = request_resurvey(ws, entry["id"], reason="不服", surveyor="鈴木")

    def request_detail() -> str:
        [event] = [e for e in history(ws, building) if e.kind == "request"]
        assert event.ref_id == request["id"] and request["id"] in event.detail
        return event.detail

    assert "受付済み（調査待ち）・第2次調査（担当: 鈴木）" in request_detail()
    ws.store.surveys.save_draft(request["new_survey_id"], {"n": 1})
    assert "調査中" in request_detail()
    ws.store.surveys.complete(request["new_survey_id"], observations={"n": 2},
                              judgement=judgement("daikibo"), author="鈴木")
    assert "判定済み（再交付待ち）" in request_detail()
    reissue_after_resurvey(ws, request["id"])
    assert "再交付済み" in request_detail()


def test_a_hisai_reissue_is_planned_without_a_grade(ws, disaster):
    hisai = issue_certificate(ws, apply(ws, disaster, applicant_name="別 人",
                                        household_address="輪島市鳳至町1-1",
                                        damaged_address="輪島市鳳至町1-1"), kind="hisai").entry
    plan = reissue_plan(ws, hisai["id"])
    assert plan.survey is None and "被災証明書" in plan.text and plan.warning == ""
    again = reissue_latest(ws, hisai["id"], reason="紛失", expect_survey_id=None)
    assert again.entry["kind"] == "hisai" and again.entry["previous_id"] == hisai["id"]
