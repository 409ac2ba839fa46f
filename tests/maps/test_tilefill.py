"""The tile filler, with a local function in place of the network (tests never go online)."""

from __future__ import annotations

import pytest

from survey_app.maps.mbtiles import MBTiles, count_tiles, tiles_in_bbox
from survey_app.maps.tilefill import (
    GSI_STD_URL,
    MAX_TILES,
    TileFillError,
    fill_area,
    gsi_attribution_html,
)

BBOX = (38.25, 140.85, 38.27, 140.89)
ZOOMS = range(12, 15)


class LocalTiles:
    """Answers like the GSI server would: PNG bytes per URL, None (404) for `missing`."""

    def __init__(self, missing: set[str] = frozenset(), broken: set[str] = frozenset()):
        self.urls: list[str] = []
        self.missing, self.broken = missing, broken

    def __call__(self, url: str) -> bytes | None:
        self.urls.append(url)
        if url in self.broken:
            raise OSError("connection reset")
        if url in self.missing:
            return None
        return b"\x89PNG" + url.encode()


def test_fills_every_tile_of_the_area_from_the_gsi_template(tmp_path):
    fetch = LocalTiles()
    path = tmp_path / "area.mbtiles"
    report = fill_area(path, BBOX, ZOOMS, fetch=fetch, delay_s=0)
    total = count_tiles(BBOX, ZOOMS)
    assert report.fetched == total == len(fetch.urls)
    assert all(u.startswith("https://cyberjapandata.gsi.go.jp/xyz/std/") for u in fetch.urls)
    with MBTiles(path) as mb:
        assert mb.tile_count() == total
        assert "地理院タイル" in mb.metadata()["attribution"]
        z, x, y = (int(p) for p in fetch.urls[0].rsplit(".", 1)[0].split("/")[-3:])
        assert mb.tile(z, x, y) == b"\x89PNG" + fetch.urls[0].encode()


def test_a_second_run_resumes_and_fetches_nothing_again(tmp_path):
    path = tmp_path / "area.mbtiles"
    fill_area(path, BBOX, ZOOMS, fetch=LocalTiles(), delay_s=0)
    again = LocalTiles()
    report = fill_area(path, BBOX, ZOOMS, fetch=again, delay_s=0)
    assert again.urls == []
    assert report.already_present == count_tiles(BBOX, ZOOMS)


def test_missing_and_failed_tiles_are_counted_not_fatal(tmp_path):
    (x1, y1), (x2, y2) = next(tiles_in_bbox(*BBOX, 12)), next(tiles_in_bbox(*BBOX, 13))
    missing = {GSI_STD_URL.format(z=12, x=x1, y=y1)}
    broken = {GSI_STD_URL.format(z=13, x=x2, y=y2)}
    report = fill_area(tmp_path / "a.mbtiles", BBOX, ZOOMS, delay_s=0,
                       fetch=LocalTiles(missing=missing, broken=broken))
    assert report.missing == 1 and report.failed == 1
    assert report.fetched == count_tiles(BBOX, ZOOMS) - 2


def test_cancel_stops_and_keeps_what_was_fetched(tmp_path):
    fetch = LocalTiles()
    seen = []
    report = fill_area(tmp_path / "a.mbtiles", BBOX, ZOOMS, fetch=fetch, delay_s=0,
                       progress=lambda done, total: seen.append(done),
                       cancelled=lambda: len(fetch.urls) >= 3)
    assert report.cancelled and report.fetched == 3
    with MBTiles(tmp_path / "a.mbtiles") as mb:
        assert mb.tile_count() == 3


def test_refuses_a_bulk_download_with_a_japanese_message(tmp_path):
    with pytest.raises(TileFillError, match="タイル数が多すぎます"):
        fill_area(tmp_path / "a.mbtiles", (30.0, 129.0, 45.0, 146.0), range(5, 17),
                  fetch=LocalTiles())
    assert not (tmp_path / "a.mbtiles").exists()
    assert count_tiles((30.0, 129.0, 45.0, 146.0), range(5, 17)) > MAX_TILES


def test_attribution_links_to_the_gsi_terms():
    html = gsi_attribution_html()
    assert "地理院タイル" in html and "maps.gsi.go.jp" in html
