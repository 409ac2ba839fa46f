"""The main window: finding a home in the list (search, filters, sorting, paging), the disaster
choice remembered, the map without QtWebEngine, preparing tiles, switching language."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from survey_app.i18n import current_language, set_language
from survey_app.services.settings import load_settings
from survey_app.ui.widgets.survey_list import COLUMNS
from tests.ui.conftest import open_survey, type_text, wait_idle


def test_window_lists_the_homes_of_the_disaster(window, survey_home):
    assert window.list_model.rowCount() == 30
    assert window.count_label.text() == "30 件中 30 件を表示"
    assert window.disaster_combo.currentData() == survey_home["disaster_id"]
    assert window.list_model.data(window.list_model.index(0, 0)) == "未調査"
    assert window.windowTitle() == "住家被害認定調査"


def test_typing_filters_once_after_a_pause(qtbot, window):
    queries = []
    window.list_model.modelReset.connect(lambda: queries.append(1))
    type_text(qtbot, window.filter_bar.search_edit, "2丁目")
    assert window.list_model.rowCount() == 30  # nothing yet: the query waits for the pause
    qtbot.waitUntil(lambda: window.list_model.rowCount() == 10, timeout=5000)
    assert len(queries) == 1  # one query for four keystrokes
    addresses = [window.list_model.survey_at(r)["address"] for r in range(10)]
    assert all("荒井2丁目" in a for a in addresses)
    qtbot.waitUntil(lambda: window.count_label.text() == "10 件中 10 件を表示", timeout=5000)


def test_kana_search_finds_the_applicant(qtbot, window):
    type_text(qtbot, window.filter_bar.search_edit, "チョウサ")
    qtbot.waitUntil(lambda: window.list_model.total == 30, timeout=5000)
    window.filter_bar.search_edit.clear()
    qtbot.keyClicks(window.filter_bar.search_edit, "no such home")
    qtbot.waitUntil(lambda: window.list_model.total == 0, timeout=5000)
    assert window.count_label.text() == "0 件中 0 件を表示"


def test_status_grade_area_and_surveyor_filters(qtbot, window):
    bar = window.filter_bar
    bar.surveyor_combo.setCurrentIndex(bar.surveyor_combo.findData("佐藤"))
    qtbot.waitUntil(lambda: window.list_model.total == 15, timeout=5000)
    bar.area_combo.setCurrentIndex(bar.area_combo.findData("荒井1丁目"))
    qtbot.waitUntil(lambda: window.list_model.total == 5, timeout=5000)
    bar.status_combo.setCurrentIndex(bar.status_combo.findData("completed"))
    qtbot.waitUntil(lambda: window.list_model.total == 0, timeout=5000)
    bar.status_combo.setCurrentIndex(0)
    bar.grade_combo.setCurrentIndex(bar.grade_combo.findData("zenkai"))
    qtbot.waitUntil(lambda: window.list_model.total == 0, timeout=5000)
    assert [bar.area_combo.itemText(i) for i in range(bar.area_combo.count())] == [
        "すべての地区", "荒井1丁目", "荒井2丁目", "荒井3丁目"]


def test_more_rows_load_as_the_list_scrolls(qtbot, window):
    model = window.list_model
    window.table.setFixedHeight(150)  # a few rows visible, so the view stops asking for more
    model.page_size = 8
    model.reload()
    qtbot.waitUntil(lambda: model.rowCount() == 8, timeout=5000)
    window.table.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() == 16, timeout=5000)
    while model.rowCount() < 30:
        before = model.rowCount()
        window.table.scrollToBottom()
        qtbot.waitUntil(lambda before=before: model.rowCount() > before, timeout=5000)
    assert not model.canFetchMore()
    assert len({model.survey_at(r)["id"] for r in range(30)}) == 30


def test_clicking_a_header_sorts_in_the_store(qtbot, window):
    header = window.table.horizontalHeader()
    surveyor = COLUMNS.index("surveyor")
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=header.viewport().rect().topLeft() + _section_centre(header, surveyor))
    qtbot.waitUntil(lambda: window.list_model.sort_key == "surveyor", timeout=5000)
    wait_idle(qtbot, window.ops)
    names = [window.list_model.survey_at(r)["surveyor"] for r in range(30)]
    assert names == sorted(names) or names == sorted(names, reverse=True)


def _section_centre(header, section):
    from PySide6.QtCore import QPoint

    return QPoint(header.sectionViewportPosition(section) + header.sectionSize(section) // 2,
                  header.height() // 2)


def test_the_chosen_disaster_is_remembered(qtbot, window, survey_home):
    wait_idle(qtbot, window.ops)
    assert load_settings(survey_home["home"]).disaster_id == survey_home["disaster_id"]
    saved = json.loads((survey_home["home"] / "settings.json").read_text(encoding="utf-8"))
    assert saved["language"] == "ja"


def test_a_completed_survey_updates_its_row(qtbot, window):
    open_survey(qtbot, window, 3)
    panel = window.survey_panel
    panel.form.fields["appearance.total_collapse"].check.click()
    with qtbot.waitSignal(panel.completed, timeout=10000):
        panel.complete_btn.click()
    grade = COLUMNS.index("grade")
    qtbot.waitUntil(lambda: window.list_model.data(window.list_model.index(3, grade)) == "全壊",
                    timeout=5000)
    assert window.list_model.data(window.list_model.index(3, 0)) == "調査済"


def test_without_webengine_the_map_opens_in_the_browser(qtbot, survey_home, monkeypatch):
    from survey_app.services.settings import AppSettings
    from survey_app.ui import web
    from survey_app.ui.main_window import MainWindow
    from survey_app.ui.ops import Ops

    monkeypatch.setenv("SURVEY_APP_NO_WEBENGINE", "1")
    web.available.cache_clear()
    ops = Ops(survey_home["home"])
    window = MainWindow(ops, AppSettings())
    qtbot.addWidget(window)
    try:
        window.show()
        opened = []
        window.map_panel.map_view.open_url = opened.append
        window.tabs.setCurrentWidget(window.map_panel)
        view = window.map_panel.map_view
        qtbot.waitUntil(lambda: view.open_browser_btn.isEnabled(), timeout=30000)
        assert view.web is None
        assert "ブラウザ" in view.fallback_label.text()
        view.open_browser_btn.click()
        assert opened and opened[0].toLocalFile().endswith("map/index.html")
        assert (survey_home["home"] / "map" / "points.js").is_file()
    finally:
        window.close()
        wait_idle(qtbot, ops)
        ops.shutdown()
        web.available.cache_clear()


def test_preparing_tiles_fills_the_tile_file_for_the_homes_area(qtbot, window, survey_home):
    from survey_app.maps.mbtiles import MBTiles

    window.tiles_action.trigger()
    dialog = window.tile_dialog
    qtbot.waitUntil(lambda: dialog.south.value() != 38.20, timeout=5000)  # the homes' area
    assert 38.2 < dialog.south.value() < dialog.north.value() < 38.3
    dialog.min_zoom.setValue(12)
    dialog.max_zoom.setValue(13)
    fetched = []
    dialog.fetch = lambda url: fetched.append(url) or b"\x89PNG fake"
    dialog.start_btn.click()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20000)
    assert dialog.report.fetched == len(fetched) > 0
    assert "完了" in dialog.message_label.text()
    with MBTiles(survey_home["home"] / "tiles" / "basemap.mbtiles") as mb:
        assert mb.tile_count() == len(fetched)
    dialog.close()


def test_choosing_english_rebuilds_the_window_in_english(qtbot, survey_home):
    from survey_app.services.settings import AppSettings
    from survey_app.ui.app import App

    app = App(survey_home["home"], AppSettings())
    before = current_language()
    try:
        first = app.show_window()  # the App closes and deletes it when rebuilding
        first.language_actions["en"].trigger()
        second = app.window
        qtbot.addWidget(second)
        assert second is not first
        assert second.windowTitle() == "Housing damage survey"
        assert second.tabs.tabText(0) == "Survey form"
        qtbot.waitUntil(lambda: load_settings(survey_home["home"]).language == "en",
                        timeout=5000)
    finally:
        set_language(before)
        app.window.close()
        wait_idle(qtbot, app.ops)
        app.ops.shutdown()


def test_the_surveyor_name_signs_the_next_version(qtbot, window, survey_home, check_ws):
    window.set_surveyor("佐藤 花子")
    open_survey(qtbot, window, 5)
    panel = window.survey_panel
    panel.form.fields["appearance.total_collapse"].check.click()
    with qtbot.waitSignal(panel.completed, timeout=10000):
        panel.complete_btn.click()
    wait_idle(qtbot, window.ops)
    versions = check_ws().store.surveys.versions(panel.survey_id)
    assert versions[-1]["author"] == "佐藤 花子"
    assert load_settings(survey_home["home"]).surveyor == "佐藤 花子"
