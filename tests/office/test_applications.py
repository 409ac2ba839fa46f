from __future__ import annotations

import pytest

from survey_app.services.office import OfficeError
from survey_app.services.office_applications import (
    ApplicationForm,
    application_flags,
    register_application,
    search_applications,
)
from survey_app.services.office_issuing import issue_certificate
from tests.office.office_data import CAUSE, apply, judged_building


def form(disaster: str, **fields) -> ApplicationForm:
    base = {"applicant_name": "髙﨑 太郎", "applicant_kana": "たかさき たろう",
            "household_address": "石川県金沢市広坂1-1-1",
            "damaged_address": "石川県輪島市河井町一丁目2番地3号", "cause": CAUSE,
            "members": [{"name": "髙﨑 太郎", "relation": "世帯主", "birth_date": "1960-04-01"},
                        {"name": "髙﨑 花子", "relation": "妻", "birth_date": "1962-05-02"}],
            "contact": "090-1234-5678 (避難先: 輪島中学校)", "requested_method": "site"}
    return ApplicationForm(disaster_id=disaster, **{**base, **fields})


def test_registered_application_keeps_every_field(ws, disaster):
    result = register_application(ws, form(disaster, received_on="2024-01-10"))
    row = ws.store.applications.get(result.id)
    assert result.application_no == "A-00001"
    assert row["applicant_name"] == "髙﨑 太郎"
    assert row["applicant_kana"] == "タカサキ タロウ"
    assert row["household_address"] == "石川県金沢市広坂1-1-1"
    assert row["damaged_address"] == "石川県輪島市河井町一丁目2番地3号"
    assert row["members"][1] == {"name": "髙﨑 花子", "relation": "妻", "birth_date": "1962-05-02"}
    assert row["contact"].startswith("090-1234-5678")
    assert row["cause"] == CAUSE and row["requested_method"] == "現地調査"
    assert row["received_on"] == "2024-01-10"


def test_numbers_follow_on_and_a_written_number_is_kept(ws, disaster):
    first = register_application(ws, form(disaster))
    written = register_application(ws, form(disaster, applicant_name="別 人",
                                            application_no="窓口-77"))
    third = register_application(ws, form(disaster, applicant_name="三 人"))
    assert (first.application_no, written.application_no, third.application_no) == (
        "A-00001", "窓口-77", "A-00002")
    with pytest.raises(OfficeError, match="窓口-77"):
        register_application(ws, form(disaster, application_no="窓口-77"))


def test_missing_required_fields_are_all_named_in_japanese(ws, disaster):
    with pytest.raises(OfficeError) as err:
        register_application(ws, form(disaster, applicant_name=" ", household_address="",
                                      cause=""))
    message = str(err.value)
    for field in ("世帯主氏名", "世帯主住所", "罹災原因"):
        assert f"必須項目「{field}」" in message
    assert "被災住家の所在地" not in message
    assert ws.store.db["applications"].count == 0


@pytest.mark.parametrize("fields,expected", [
    ({"applicant_kana": "Takasaki"}, "ふりがな"),
    ({"received_on": "令和6年1月10日"}, "受付日"),
    ({"requested_method": "drone"}, "希望する調査方法"),
    ({"members": [{"name": "", "relation": "子"}]}, "世帯構成員 1 人目"),
    ({"household_address": "あ" * 2001}, "上限2000文字"),
])
def test_bad_values_get_a_message_naming_the_field(ws, disaster, fields, expected):
    with pytest.raises(OfficeError, match=expected):
        register_application(ws, form(disaster, **fields))


def test_same_as_above_copies_the_household_address(ws, disaster):
    result = register_application(ws, form(disaster, damaged_address="同上"))
    assert ws.store.applications.get(result.id)["damaged_address"] == "石川県金沢市広坂1-1-1"


def test_second_application_for_same_household_and_home_is_flagged(ws, disaster):
    first = register_application(ws, form(disaster))
    again = register_application(ws, form(
        disaster, applicant_name="高崎太郎", household_address="金沢市広坂一丁目1番地1号",
        damaged_address="〒929-0000 輪島市河井町１－２－３"))
    other_household = register_application(ws, form(
        disaster, applicant_name="鈴木 一郎", household_address="輪島市河井町1-2-3",
        damaged_address="輪島市河井町1丁目2番3号"))
    assert [a["id"] for a in again.same_household] == [first.id]
    assert {a["id"] for a in other_household.same_home} == {first.id, again.id}
    assert other_household.same_household == []
    assert "同じ住家" in other_household.warnings()[0]
    assert "同じ世帯" in again.warnings()[0]
    flags = application_flags(ws, again.id)
    assert {(f["flag"], f["related_application_id"]) for f in flags} == {
        ("same_household", first.id), ("same_home", first.id)}


def test_unrelated_application_is_not_flagged(ws, disaster):
    register_application(ws, form(disaster))
    other = register_application(ws, form(disaster, applicant_name="鈴木 一郎",
                                          household_address="輪島市鳳至町5-6",
                                          damaged_address="同上"))
    assert other.same_home == [] and other.same_household == []


def test_application_is_linked_to_the_surveyed_building_by_address(ws, disaster):
    bid, _ = judged_building(ws, disaster, "石川県輪島市河井町1丁目2番地3号")
    result = register_application(ws, form(disaster, damaged_address="輪島市河井町一丁目２－３"))
    assert result.building_id == bid


def test_search_by_name_kana_address_and_numbers(ws, disaster):
    judged_building(ws, disaster, "石川県輪島市河井町1-2-3")
    takasaki = apply(ws, disaster, applicant_name="髙﨑 太郎", applicant_kana="たかさき たろう",
                     damaged_address="石川県輪島市河井町1-2-3")
    suzuki = apply(ws, disaster, applicant_name="鈴木 花子", applicant_kana="スズキ ハナコ",
                   household_address="輪島市鳳至町5-6", damaged_address="輪島市鳳至町5-6")
    issued = issue_certificate(ws, takasaki)

    def found(text):
        return [a["id"] for a in search_applications(ws, disaster, text)]

    assert found("高崎") == [takasaki]
    assert found("髙﨑") == [takasaki]
    assert found("たかさき") == [takasaki]
    assert found("すずき はなこ") == [suzuki]
    assert found("輪島市鳳至町五番地の六") == [suzuki]
    assert found("A-00002") == [suzuki]
    assert found(issued.entry["number_text"]) == [takasaki]
    assert found("第1号") == [takasaki]
    assert found("存在しない人") == []
