"""Where a home is: fixed from a photo's EXIF GPS, a GNSS receiver or a click on the map.

The source and the accuracy go with the coordinates, so an office can tell a receiver fix at
±5 m from a rough click on a town-level map.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from survey_app.services.workspace import Workspace


SOURCES = ("exif", "gnss", "map", "register")


@dataclass(frozen=True)
class Location:
    lat: float
    lon: float
    source: str | None
    accuracy_m: float | None


def set_location(ws: Workspace, building_id: str, *, lat: float, lon: float, source: str,
                 accuracy_m: float | None = None) -> Location:
    if source not in SOURCES:
        raise ValueError(f"unknown location source {source!r}")
    ws.store.buildings.set_location(building_id, lat=lat, lon=lon, source=source,
                                    accuracy_m=accuracy_m, actor=ws.actor)
    return Location(lat, lon, source, accuracy_m)


def location_of(ws: Workspace, building_id: str) -> Location | None:
    building = ws.store.buildings.get(building_id)
    if building["lat"] is None or building["lon"] is None:
        return None
    return Location(building["lat"], building["lon"], building["location_source"],
                    building["location_accuracy_m"])
