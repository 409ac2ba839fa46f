"""The map page is complete offline: every script, style and font it names is a local file."""

from __future__ import annotations

import json
import re

from survey_app.maps.fonts import find_japanese_font
from survey_app.maps.page import TileSpec, build_map_page, style_index

POINTS = [
    (38.25, 140.86, "s1", "荒井1丁目1番", "completed", "zenkai"),
    (38.26, 140.87, "s2", "荒井1丁目2番", "draft", None),
    (38.27, 140.88, "s3", "荒井1丁目3番", "unsurveyed", None),
    (None, None, "s4", "位置不明", "unsurveyed", None),
]


def _links(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', html)


def test_page_links_only_local_files(tmp_path):
    page = build_map_page(POINTS, tmp_path / "map", tiles=TileSpec(attribution="地理院タイル"),
                          font=find_japanese_font())
    html = page.read_text(encoding="utf-8")
    links = _links(html)
    assert links, "the page should link its assets"
    for link in links:
        assert not link.startswith(("http:", "https:", "//")), link
        assert (page.parent / link).is_file(), link
    assert "cdn" not in html.lower()


def test_japanese_font_is_declared_with_font_face(tmp_path):
    font = find_japanese_font()
    page = build_map_page(POINTS, tmp_path / "map", font=font)
    html = page.read_text(encoding="utf-8")
    if font is None:
        assert "@font-face" not in html
        return
    url = re.search(r"@font-face \{ font-family: 'AppJP'; src: url\('([^']+)'\)", html).group(1)
    assert (page.parent / url).stat().st_size == font.stat().st_size


def test_points_file_holds_located_homes_with_their_style(tmp_path):
    page = build_map_page(POINTS, tmp_path / "map")
    text = (page.parent / "points.js").read_text(encoding="utf-8")
    rows = json.loads(re.search(r"window.SURVEY_POINTS=(.*);", text).group(1))
    assert [r[3] for r in rows] == ["s1", "s2", "s3"]
    assert rows[0][2] == style_index("completed", "zenkai")
    assert rows[0][4] == "荒井1丁目1番"  # kept readable, not \\u-escaped
    styles = json.loads(re.search(r"window.SURVEY_STYLES=(.*?);\n", text).group(1))
    assert styles[rows[0][2]]["label"] == "全壊"


def test_status_wins_over_grade_until_completed():
    assert style_index("draft", "zenkai") == style_index("draft", None)
    assert style_index("completed", "zenkai") != style_index("completed", "hankai")
    assert style_index("completed", None) != style_index("unsurveyed", None)


def test_highlight_and_tiles_are_in_the_page(tmp_path):
    page = build_map_page(POINTS, tmp_path / "map", highlight="s2",
                          tiles=TileSpec(attribution="地理院タイル", max_native_zoom=16))
    html = page.read_text(encoding="utf-8")
    assert 'highlight("s2", true)' in html
    assert "mbtiles://local/{z}/{x}/{y}.png" in html
    assert "maxNativeZoom" in html and "16" in html


def test_rebuilding_reuses_the_copied_assets(tmp_path):
    build_map_page(POINTS, tmp_path / "map")
    leaflet = tmp_path / "map" / "assets" / "leaflet" / "leaflet.js"
    first = leaflet.stat().st_mtime_ns
    build_map_page(POINTS[:1], tmp_path / "map")
    assert leaflet.stat().st_mtime_ns == first


def test_legend_follows_the_language(tmp_path):
    from survey_app.i18n import current_language, set_language

    before = current_language()
    set_language("en")
    try:
        page = build_map_page(POINTS, tmp_path / "map")
    finally:
        set_language(before)
    text = (page.parent / "points.js").read_text(encoding="utf-8")
    styles = json.loads(re.search(r"window.SURVEY_STYLES=(.*?);\n", text).group(1))
    assert {s["label"] for s in styles} >= {"Total collapse", "Not surveyed", "Draft"}
