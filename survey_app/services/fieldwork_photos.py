"""Photos of a survey: import (folder, SD card, dropped files), tag, locate the home from EXIF.

Each photo is stored and recorded on its own (blob, photo record, link to the survey), so an
import cancelled or killed half-way keeps every photo done so far, and running it again skips
them: a photo already attached is recognised by its SHA-256, never duplicated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from survey_app.photos import IntakeFailure, IntakeResult, PhotoError, import_photo
from survey_app.photos.intake import IMAGE_EXTENSIONS, iter_image_files

if TYPE_CHECKING:
    from survey_app.services.workspace import Workspace

# What a photo shows, in the order the guideline asks for them (4 sides, parts, corners, rooms).
PHOTO_TAGS = ("exterior_n", "exterior_e", "exterior_s", "exterior_w", "roof", "exterior_wall",
              "foundation", "flood_depth", "tilt_1", "tilt_2", "tilt_3", "tilt_4", "interior",
              "other")


@dataclass
class PhotoImportReport:
    added: list[str] = field(default_factory=list)  # sha256 of photos newly attached
    duplicates: list[Path] = field(default_factory=list)  # already attached to this survey
    failures: list[IntakeFailure] = field(default_factory=list)
    cancelled: bool = False
    located_from: str | None = None  # the photo whose GPS fixed the home's location


def expand_sources(sources: Iterable[Path]) -> list[Path]:
    """Files as given, folders (an SD card) walked for photos; order kept, repeats dropped."""
    out: list[Path] = []
    for source in sources:
        source = Path(source)
        found = iter_image_files(source) if source.is_dir() else [source]
        out += [p for p in found if p not in out]
    return out


def is_photo_file(path: Path) -> bool:
    return path.suffix.lower() in IMAGE_EXTENSIONS


def import_survey_photos(ws: Workspace, survey_id: str, sources: Iterable[Path], *,
                         tag: str = "", progress: Callable[[int, int], None] | None = None,
                         cancelled: Callable[[], bool] | None = None) -> PhotoImportReport:
    """Import photos into a survey; bad files are reported in `failures` and skipped."""
    paths = expand_sources(sources)
    report = PhotoImportReport()
    if progress:
        progress(0, len(paths))
    for done, path in enumerate(paths, start=1):
        if cancelled and cancelled():
            report.cancelled = True
            break
        _import_one(ws, survey_id, path, tag, report)
        if progress:
            progress(done, len(paths))
    report.located_from = _locate_if_unknown(ws, survey_id, report.added)
    return report


def _import_one(ws: Workspace, survey_id: str, path: Path, tag: str,
                report: PhotoImportReport) -> None:
    try:
        result = import_photo(path, ws.blobs)
    except PhotoError as err:
        report.failures.append(IntakeFailure(source=path, code=err.code, message=err.message))
        return
    ws.store.photos.add(result.sha256, actor=ws.actor, **_record(result))
    if ws.store.photos.attach(survey_id, result.sha256, tag=tag, actor=ws.actor):
        report.added.append(result.sha256)
    else:
        report.duplicates.append(path)


def _record(result: IntakeResult) -> dict:
    meta = result.meta
    camera = " ".join(p for p in (meta.make, meta.model) if p)
    return {"size": result.size, "mime": result.mime, "original_name": result.source.name,
            "taken_at": meta.taken_at.isoformat() if meta.taken_at else None,
            "lat": meta.latitude, "lon": meta.longitude, "altitude": meta.altitude_m,
            "direction": meta.direction_deg, "orientation": meta.orientation,
            "camera": camera, "width": result.width, "height": result.height,
            "thumbnail": result.thumbnail}


def _locate_if_unknown(ws: Workspace, survey_id: str, shas: list[str]) -> str | None:
    """A home with no location yet takes the first imported photo that has GPS."""
    building = ws.store.buildings.get(ws.store.surveys.get(survey_id)["building_id"])
    if building["lat"] is not None:
        return None
    for sha in shas:
        if locate_from_photo(ws, building["id"], sha):
            return sha
    return None


def locate_from_photo(ws: Workspace, building_id: str, sha: str) -> bool:
    """Set the home's location from the photo's EXIF GPS; False if the photo has none."""
    photo = ws.store.photos.get(sha)
    if photo["lat"] is None or photo["lon"] is None:
        return False
    ws.store.buildings.set_location(building_id, lat=photo["lat"], lon=photo["lon"],
                                    source="exif", accuracy_m=None, actor=ws.actor)
    return True


def survey_photos(ws: Workspace, survey_id: str) -> list[dict]:
    return ws.store.photos.for_survey(survey_id)


def tag_photo(ws: Workspace, survey_id: str, sha: str, tag: str) -> None:
    if tag and tag not in PHOTO_TAGS:
        raise ValueError(f"unknown photo tag {tag!r}")
    ws.store.photos.set_tag(survey_id, sha, tag, actor=ws.actor)


def photo_file(ws: Workspace, sha: str) -> Path:
    return ws.blobs.path_for(sha)
