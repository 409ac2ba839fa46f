"""Filling an MBTiles file for an area from 地理院タイル (GSI standard map), while online.

The app itself never fetches tiles while showing a map; this runs only when the user asks for it
before going into the field. Already-present tiles are skipped, so an interrupted fill resumes.
`fetch` is a parameter so tests (which must never touch the network) pass a local function.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from survey_app.i18n import tr
from survey_app.maps.mbtiles import MBTiles, count_tiles, tiles_in_bbox

GSI_STD_URL = "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png"
GSI_LINK = "https://maps.gsi.go.jp/development/ichiran.html"
GSI_MAX_ZOOM = 18
MAX_TILES = 20_000  # one town at street level; more would be a bulk download GSI asks us to avoid

Fetch = Callable[[str], "bytes | None"]
Progress = Callable[[int, int], None]


class TileFillError(Exception):
    """The request cannot be done (too many tiles, bad zoom); the message is for the user."""


@dataclass
class FillReport:
    fetched: int = 0
    already_present: int = 0
    missing: int = 0  # the source has no tile there (sea, outside Japan)
    failed: int = 0
    cancelled: bool = False


def gsi_attribution_html() -> str:
    return f'<a href="{GSI_LINK}">{tr("maps.gsi_attribution")}</a>'


def http_fetch(url: str, *, timeout: float = 15.0) -> bytes | None:
    """The tile's bytes, None for 404; other errors raise OSError."""
    request = urllib.request.Request(url, headers={"User-Agent": "survey-app tile filler"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.read()
    except urllib.error.HTTPError as err:
        if err.code == 404:
            return None
        raise


def fill_area(path: Path, bbox: tuple[float, float, float, float], zooms: range, *,
              url_template: str = GSI_STD_URL, fetch: Fetch = http_fetch,
              progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
              delay_s: float = 0.02) -> FillReport:
    """Download every tile of `bbox` = (south, west, north, east) at `zooms` into `path`."""
    total = count_tiles(bbox, zooms)
    if total > MAX_TILES:
        raise TileFillError(tr("maps.too_many_tiles", count=total, limit=MAX_TILES))
    if zooms.start < 0 or zooms.stop - 1 > GSI_MAX_ZOOM:
        raise TileFillError(tr("maps.bad_zoom", max=GSI_MAX_ZOOM))
    report = FillReport()
    done = 0
    with MBTiles(path, writable=True) as mb:
        mb.set_metadata(name=path.stem, format="png", attribution=gsi_attribution_html(),
                        minzoom=zooms.start, maxzoom=zooms.stop - 1,
                        bounds=f"{bbox[1]},{bbox[0]},{bbox[3]},{bbox[2]}")
        for z in zooms:
            for x, y in tiles_in_bbox(*bbox, z):
                if cancelled is not None and cancelled():
                    report.cancelled = True
                    return report
                _fill_one(mb, url_template, fetch, (z, x, y), report, delay_s)
                done += 1
                if progress is not None:
                    progress(done, total)
    return report


def _fill_one(mb: MBTiles, url_template: str, fetch: Fetch, zxy: tuple[int, int, int],
              report: FillReport, delay_s: float) -> None:
    z, x, y = zxy
    if mb.has(z, x, y):
        report.already_present += 1
        return
    try:
        data = fetch(url_template.format(z=z, x=x, y=y))
    except OSError:
        report.failed += 1
        return
    if data is None:
        report.missing += 1
        return
    mb.put(z, x, y, data)
    report.fetched += 1
    if delay_s:
        time.sleep(delay_s)  # a light load on GSI's servers, as their terms ask
