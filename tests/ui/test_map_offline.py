"""The map in a real QWebEngineView, offscreen: it loads, draws tiles from the local MBTiles file
through the URL scheme handler, and not one request leaves the machine."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from survey_app.maps.mbtiles import MBTiles, tiles_in_bbox
from survey_app.maps.page import TileSpec, build_map_page
from survey_app.ui import web
from tests.ui.conftest import open_survey, wait_idle

pytestmark = pytest.mark.skipif(not web.available(), reason="QtWebEngine is not installed")

BBOX = (38.24, 140.86, 38.26, 140.89)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (256, 256), (200, 230, 200)).save(out, "PNG")
    return out.getvalue()


def _tiles(path, zooms=range(12, 17)):
    data = _png()
    with MBTiles(path, writable=True) as mb:
        for z in zooms:
            for x, y in tiles_in_bbox(*BBOX, z):
                mb.put(z, x, y, data)
    return path


def _points(n: int):
    return [(BBOX[0] + (i % 100) / 5000, BBOX[1] + (i // 100) / 5000, f"s{i}", f"荒井{i}番",
             "completed", "zenkai") for i in range(n)]


def _profile():
    from survey_app.ui.web.offline import OfflineProfile

    return OfflineProfile.get()


def _load(qtbot, html, tiles=None):
    from survey_app.ui.widgets.map_view import MapView

    view = MapView()
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    with qtbot.waitSignal(view.page_ready, timeout=30000) as ready:
        view.load_page(html, tiles)
    return view, ready.args[0]


def test_map_loads_offline_with_tiles_and_no_network_request(qtbot, tmp_path):
    profile = _profile()
    blocked_before, served_before = len(profile.interceptor.blocked), profile.tiles.served
    html = build_map_page(_points(2000), tmp_path / "map", highlight="s5",
                          tiles=TileSpec(attribution="地理院タイル", max_native_zoom=16))
    view, count = _load(qtbot, html, _tiles(tmp_path / "base.mbtiles"))
    assert count == 2000
    qtbot.waitUntil(lambda: profile.tiles.served > served_before, timeout=30000)
    qtbot.wait(300)
    assert profile.interceptor.blocked[blocked_before:] == []
    assert view.page.console_errors == []


def test_the_interceptor_blocks_and_counts_internet_requests(qtbot, tmp_path):
    """The control for the test above: a page that does ask the internet is caught."""
    profile = _profile()
    before = len(profile.interceptor.blocked)
    page = tmp_path / "online.html"
    page.write_text('<html><body><img src="https://tile.example.invalid/1/1/1.png">'
                    '<script>console.log("survey-app:{\\"kind\\":\\"ready\\",\\"payload\\":{}}")'
                    "</script></body></html>", encoding="utf-8")
    _load(qtbot, page)
    qtbot.waitUntil(lambda: len(profile.interceptor.blocked) > before, timeout=30000)
    assert profile.interceptor.blocked[before:] == ["https://tile.example.invalid/1/1/1.png"]


def _run_js(qtbot, view, script):
    result = []
    view.run_js(script, result.append)
    qtbot.waitUntil(lambda: bool(result), timeout=10000)
    return result[0]


def _show_map(qtbot, window):
    window.tabs.setCurrentWidget(window.map_panel)
    view = window.map_panel.map_view
    qtbot.waitUntil(lambda: view.ready, timeout=30000)
    return view


CLICK_MARKER = """(function () {
  var map = window.surveyApp.map, found = null;
  Object.values(map._layers).forEach(function (l) {
    if (l.getLayers) { l.getLayers().forEach(function (m) {
      if (m.getLatLng && !found && m.getTooltip && m.getTooltip().getContent().indexOf(%r) === 0)
        { found = m; } }); }
  });
  if (!found) { return false; }
  found.fire('click'); return true; })()"""


def test_clicking_a_home_on_the_map_opens_its_survey(qtbot, window):
    view = _show_map(qtbot, window)
    target = window.list_model.survey_at(4)
    with qtbot.waitSignal(window.survey_panel.opened, timeout=30000):
        assert _run_js(qtbot, view, CLICK_MARKER % target["address"]) is True
    assert window.survey_panel.survey_id == target["id"]
    assert window.table.currentIndex().row() == 4


def test_clicking_the_map_sets_the_location_with_source_and_accuracy(check_ws, qtbot, window):
    survey_id = open_survey(qtbot, window, 2)
    view = _show_map(qtbot, window)
    window.map_panel.pick_btn.click()
    with qtbot.waitSignal(window.map_panel.location_saved, timeout=30000):
        _run_js(qtbot, view, "window.surveyApp.map.setZoom(17);"
                "window.surveyApp.map.fire('click', {latlng: L.latLng(38.2512, 140.8734)}); 1")
    wait_idle(qtbot, window.ops)
    building = check_ws().store.buildings.get(
        window.survey_panel.session.building["id"])
    assert (round(building["lat"], 4), round(building["lon"], 4)) == (38.2512, 140.8734)
    assert building["location_source"] == "map"
    assert 0 < building["location_accuracy_m"] < 10  # a few pixels at zoom 17
    assert "38.251200" in window.map_panel.location_label.text()
    assert survey_id == window.survey_panel.survey_id


def test_the_app_serves_its_tile_file_to_the_map(qtbot, window, survey_home):
    _tiles(survey_home["home"] / "tiles" / "basemap.mbtiles", zooms=range(12, 18))
    profile = _profile()
    served, blocked = profile.tiles.served, len(profile.interceptor.blocked)
    _show_map(qtbot, window)
    qtbot.waitUntil(lambda: profile.tiles.served > served, timeout=30000)
    assert profile.interceptor.blocked[blocked:] == []
