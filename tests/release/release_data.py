"""Workspaces and archives for the release tests, built with the real services (no mocks)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
from pathlib import Path

from PIL import Image

from survey_app.services.demo import build_demo
from survey_app.services.workspace import Workspace

DEMO_BUILDINGS = 30
DEMO_PHOTO_HOMES = 2  # 4 photos each


def build_demo_home(home: Path) -> Path:
    """A small demo town with surveys, applications and photos, plus office files."""
    ws = Workspace(home, actor="test")
    try:
        build_demo(ws, buildings=DEMO_BUILDINGS, photo_homes=DEMO_PHOTO_HOMES, seed=11)
    finally:
        ws.close()
    (home / "office").mkdir(exist_ok=True)
    (home / "office" / "certificate_settings.json").write_text(
        json.dumps({"municipality_name": "益城町"}, ensure_ascii=False), encoding="utf-8")
    (home / "settings.json").write_text('{"language": "ja"}', encoding="utf-8")
    (home / "map").mkdir(exist_ok=True)
    (home / "map" / "page.html").write_text("<html></html>", encoding="utf-8")
    return home


def copy_home(source: Path, dest: Path) -> Path:
    shutil.copytree(source, dest)
    return dest


def tree_digest(folder: Path) -> dict[str, str]:
    """sha256 of every file under `folder`, by relative path: to prove nothing changed."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def rezip(archive: Path, out: Path, *, replace: dict[str, bytes] | None = None,
          manifest_edit=None, fix_hashes: bool = True) -> Path:
    """Copy a backup with some members replaced; `fix_hashes` keeps the manifest consistent
    so that only the deeper checks (database, audit chain) can catch the change."""
    replace = replace or {}
    with zipfile.ZipFile(archive) as src:
        manifest = json.loads(src.read("manifest.json"))
        contents = {n: replace.get(n, src.read(n)) for n in src.namelist() if n != "manifest.json"}
    for name, data in replace.items():
        contents[name] = data
        if fix_hashes and name in manifest["members"]:
            manifest["members"][name].update(size=len(data),
                                             sha256=hashlib.sha256(data).hexdigest())
    if manifest_edit:
        manifest_edit(manifest)
    with zipfile.ZipFile(out, "w") as dst:
        for name, data in contents.items():
            dst.writestr(name, data)
        dst.writestr("manifest.json", json.dumps(manifest))
    return out


def make_surveys(home: Path, count: int) -> list[str]:
    """A disaster with `count` buildings, each with an unsurveyed first survey; their ids."""
    ws = Workspace(home, actor="setup")
    try:
        did = ws.store.buildings.create_disaster(
            name="令和8年 試験地震", hazard="earthquake", occurred_on="2026-04-14",
            municipality_code="434434", municipality_name="益城町", actor="setup")
        out = []
        for i in range(count):
            bid = ws.store.buildings.add(disaster_id=did, address=f"益城町宮園{i + 1}番地",
                                         owner_name=f"住民 {i:03d}", actor="setup")
            out.append(ws.store.surveys.create(building_id=bid, stage="first",
                                               hazard="earthquake", surveyor="調査員",
                                               actor="setup"))
        return out
    finally:
        ws.close()


def noise_jpeg(path: Path, size: tuple[int, int] = (320, 240)) -> Path:
    """A real JPEG of random pixels: new bytes every time, about 3 bytes per pixel."""
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(path, quality=90)
    return path
