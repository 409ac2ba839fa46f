"""Register imports: bad rows reported by line while good rows import; a re-import is a no-op."""

from __future__ import annotations

import pytest

from survey_app.services import register_mapping
from survey_app.services.registers import RegisterFileError, import_register

HEADER = "家屋番号,所在地,所有者氏名,構造,階数,用途,緯度,経度"
GOOD_AND_BAD = "\n".join([
    HEADER,                                                        # line 1
    "101,輪島市河井町1番,山田太郎,木造,2,居宅,37.39,136.9",         # 2 good
    "102,,佐藤花子,木造,1,居宅,,",                                   # 3 no address
    "103,輪島市河井町3番,鈴木一郎,木造,二?,居宅,,",                  # 4 floors unreadable
    '104,"輪島市河井町4番',                                          # 5 good, the address
    '（離れ）",田中次郎,鉄骨造,３,店舗,,',                           # 6 ... spans two lines
    "105,輪島市河井町5番,高橋三郎,木造,1,居宅,137.5,200",           # 7 longitude out of range
    "101,輪島市河井町1番の2,山田太郎,木造,2,居宅,,",                 # 8 same 家屋番号 as line 2
    "106,輪島市河井町6番,伊藤,木造",                                 # 9 too few columns
    "107,輪島市河井町7番,渡辺,プレハブ,1,,,",                       # 10 good
]) + "\n"


def _snapshot(ws) -> dict:
    db = ws.store.db
    return {t: db[t].count for t in ("buildings", "register_buildings", "register_residents",
                                      "register_imports", "audit_log")}


@pytest.fixture
def disaster(ws) -> str:
    return ws.store.buildings.create_disaster(name="取込テスト", hazard="earthquake",
                                              occurred_on="2024-01-01")


def test_bad_rows_are_reported_by_line_and_good_rows_import(ws, disaster, tmp_path):
    path = tmp_path / "kaoku.csv"
    path.write_text(GOOD_AND_BAD, encoding="utf-8")
    report = import_register(ws, "buildings", path, disaster_id=disaster)
    assert [b.line for b in report.bad] == [3, 4, 7, 8, 9]
    assert "所在地" in report.bad[0].reasons[0]
    assert "2行目" in report.bad[3].reasons[0]
    assert (report.rows_read, report.added) == (8, 3)
    (annex,) = ws.store.buildings.find_by_address(disaster, "輪島市河井町4番\n（離れ）")
    assert (annex["structure"], annex["floors"]) == ("non_wood", 3)
    (house,) = ws.store.buildings.find_by_address(disaster, "輪島市河井町1番")
    assert (house["lat"], house["location_source"]) == (37.39, "register")
    assert ws.store.db.execute("SELECT use_class FROM register_buildings WHERE kaoku_no = '104'"
                               ).fetchone()[0] == "other"


def test_importing_the_same_file_twice_changes_nothing(ws, disaster, tmp_path):
    path = tmp_path / "kaoku.csv"
    path.write_text(GOOD_AND_BAD, encoding="utf-8")
    import_register(ws, "buildings", path, disaster_id=disaster)
    before = _snapshot(ws)
    again = import_register(ws, "buildings", path, disaster_id=disaster)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
    assert not again.changed and again.import_id is None
    assert _snapshot(ws) == before
    assert ws.store.audit.verify()


def test_a_changed_row_updates_its_building(ws, disaster, tmp_path):
    path = tmp_path / "kaoku.csv"
    path.write_text(GOOD_AND_BAD, encoding="utf-8")
    import_register(ws, "buildings", path, disaster_id=disaster)
    path.write_text(GOOD_AND_BAD.replace("107,輪島市河井町7番,渡辺,", "107,輪島市河井町7番,渡辺健,"),
                    encoding="utf-8")
    report = import_register(ws, "buildings", path, disaster_id=disaster)
    assert (report.added, report.updated, report.unchanged) == (0, 1, 2)
    (house,) = ws.store.buildings.find_by_address(disaster, "輪島市河井町7番")
    assert house["owner_name"] == "渡辺健"


def test_a_field_entered_building_is_linked_not_duplicated(ws, disaster, tmp_path):
    bid = ws.store.buildings.add(disaster_id=disaster, address="輪島市河井町１番地",
                                 lat=37.5, lon=136.5, location_source="gnss")
    path = tmp_path / "kaoku.csv"
    path.write_text(GOOD_AND_BAD, encoding="utf-8")
    import_register(ws, "buildings", path, disaster_id=disaster)
    house = ws.store.buildings.get(bid)
    assert house["owner_name"] == "山田太郎"                  # a blank filled
    assert (house["lat"], house["location_source"]) == (37.5, "gnss")   # the field's position kept
    assert len(ws.store.buildings.find_by_address(disaster, "輪島市河井町1番")) == 1


def test_shift_jis_with_a_remembered_mapping(ws, disaster, tmp_path):
    path = tmp_path / "sjis.csv"
    path.write_text("番号,場所,持ち主\nA1,輪島市鳳至町1番,髙橋\n", encoding="cp932")
    mapping = {"kaoku_no": "番号", "address": "場所", "owner_name": "持ち主"}
    first = import_register(ws, "buildings", path, disaster_id=disaster, mapping=mapping)
    assert first.added == 1 and first.mapping == mapping
    assert register_mapping.remembered(ws.home, "buildings") == mapping
    path.write_text("番号,場所,持ち主\nA2,輪島市鳳至町2番,﨑山\n", encoding="cp932")
    second = import_register(ws, "buildings", path, disaster_id=disaster)   # no mapping given
    assert second.added == 1 and second.mapping == mapping
    assert ws.store.buildings.find_by_address(disaster, "輪島市鳳至町2番")[0]["owner_name"] == "﨑山"


def test_a_mapping_without_the_address_is_refused_before_anything_is_written(ws, disaster,
                                                                          tmp_path):
    path = tmp_path / "kaoku.csv"
    path.write_text(GOOD_AND_BAD, encoding="utf-8")
    before = _snapshot(ws)
    with pytest.raises(RegisterFileError, match="所在地"):
        import_register(ws, "buildings", path, disaster_id=disaster, mapping={"kaoku_no": "家屋番号"})
    with pytest.raises(RegisterFileError, match="列がファイルにありません"):
        import_register(ws, "buildings", path, disaster_id=disaster, mapping={"address": "住所"})
    assert _snapshot(ws) == before


def test_residents_link_to_their_building_and_reimport_is_a_noop(ws, disaster, tmp_path):
    kaoku = tmp_path / "kaoku.csv"
    kaoku.write_text(GOOD_AND_BAD, encoding="utf-8")
    juki = tmp_path / "juki.csv"
    juki.write_text("世帯番号,氏名,生年月日,性別,続柄,住所\n"
                    "1,山田太郎,S45.3.1,男,世帯主,輪島市河井町１番地\n"
                    "1,山田花子,1972/5/6,2,妻,輪島市河井町1番\n"
                    "2,無番地,令和元年5月1日,女,世帯主,輪島市どこか\n"
                    "3,日付誤り,平成2年2月30日,女,世帯主,輪島市河井町7番\n",
                    encoding="utf-8")
    people = import_register(ws, "residents", juki, disaster_id=disaster)
    assert [b.line for b in people.bad] == [5] and people.added == 3 and people.unlinked == 3
    import_register(ws, "buildings", kaoku, disaster_id=disaster)   # links the Yamadas later
    linked = ws.store.db.execute("SELECT count(*) FROM register_residents WHERE building_id"
                                 " IS NOT NULL").fetchone()[0]
    assert linked == 2
    before = _snapshot(ws)
    again = import_register(ws, "residents", juki, disaster_id=disaster)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
    assert _snapshot(ws) == before
    birth = ws.store.db.execute("SELECT birth_date FROM register_residents WHERE name = '山田太郎'"
                                ).fetchone()[0]
    assert birth == "1970-03-01"
