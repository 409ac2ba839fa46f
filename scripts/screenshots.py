"""Regenerate docs/screenshots/{main_window,survey_form,photo_viewer,map}.png, offscreen.

    .venv/bin/python scripts/screenshots.py [OUT_DIR]

Builds its own small disaster in a temporary folder (homes, finished and draft surveys, photos,
a synthetic basemap), drives the real windows and grabs them. No network is used; the photos
are the real camera files of ../shared/testdata/exif when present, else generated ones.
"""

from __future__ import annotations

import io
import os
import random
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["SURVEY_APP_LANG"] = os.environ.get("SURVEY_APP_LANG", "ja")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageDraw  # noqa: E402

from survey_app.maps.mbtiles import MBTiles, tiles_in_bbox  # noqa: E402
from survey_app.services import fieldwork as fw  # noqa: E402
from survey_app.services import fieldwork_photos as fp  # noqa: E402
from survey_app.services.settings import AppSettings, save_settings  # noqa: E402
from survey_app.services.workspace import Workspace  # noqa: E402

BBOX = (38.238, 140.868, 38.252, 140.892)
EXIF_DIR = ROOT.parent / "shared" / "testdata" / "exif" / "gps"
WALL_SHARES = [None, 20, 45, 60, 80, 100, 100]


def _obs(session: fw.EditSession, rng: random.Random) -> dict:
    wall = rng.choice(WALL_SHARES)
    obs = dict(session.observations)
    obs["components"] = {"roof": {"degrees": [{"degree": rng.choice(["II", "III", "V"]),
                                                "area_percent": rng.choice([30, 60, 100])}]}}
    if wall:
        obs["components"]["exterior_wall"] = {"degrees": [{"degree": "IV",
                                                           "area_percent": wall}]}
    return obs


def build_store(home: Path) -> dict:
    rng = random.Random(11)
    ws = Workspace(home, actor="佐藤")
    store = ws.store
    did = store.buildings.create_disaster(name="令和8年11月 宮城県沖地震", hazard="earthquake",
                                          occurred_on="2026-11-01", municipality_name="仙台市")
    surveys = []
    for i in range(60):
        bid = store.buildings.add(
            disaster_id=did, address=f"宮城県仙台市若林区荒井{i % 4 + 1}丁目{i // 4 + 1}番{i % 7 + 1}号",
            owner_name=rng.choice(["佐藤", "高橋", "伊藤", "渡辺"]) + " " + rng.choice(
                ["一郎", "花子", "健", "美咲"]), owner_kana="サトウ", area=f"荒井{i % 4 + 1}丁目",
            lat=BBOX[0] + rng.random() * (BBOX[2] - BBOX[0]),
            lon=BBOX[1] + rng.random() * (BBOX[3] - BBOX[1]))
        surveys.append(store.surveys.create(building_id=bid, stage="first", hazard="earthquake",
                                            surveyor=rng.choice(["佐藤", "鈴木", "高橋"])))
    for sid in surveys[:36]:
        session = fw.open_for_editing(ws, sid)
        fw.complete_survey(ws, session, _obs(session, rng))
    for sid in surveys[36:44]:
        session = fw.open_for_editing(ws, sid)
        fw.save_draft(ws, sid, _obs(session, rng))
    target = surveys[50]
    fp.import_survey_photos(ws, target, _photos(home / "card"))
    for record, tag in zip(fp.survey_photos(ws, target), fp.PHOTO_TAGS, strict=False):
        fp.tag_photo(ws, target, record["sha256"], tag)
    ws.close()
    return {"disaster_id": did, "photo_survey": target}


def _photos(folder: Path) -> list[Path]:
    if EXIF_DIR.is_dir():
        return sorted(EXIF_DIR.glob("*.jpg"))[:6]
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i, colour in enumerate([(180, 160, 140), (120, 140, 170), (150, 150, 150)]):
        image = Image.new("RGB", (1600, 1200), colour)
        ImageDraw.Draw(image).rectangle([300, 300, 1300, 1000], outline=(60, 40, 20), width=20)
        path = folder / f"IMG_{i:04d}.jpg"
        image.save(path, quality=85)
        out.append(path)
    return out


def build_tiles(path: Path) -> None:
    """A synthetic basemap: blocks and streets, so the screenshot is not a blank grey."""
    with MBTiles(path, writable=True) as mb:
        for z in range(12, 18):
            for x, y in tiles_in_bbox(*BBOX, z):
                mb.put(z, x, y, _tile(z, x, y))
        mb.set_metadata(name="synthetic", format="png",
                        attribution="合成した背景（スクリーンショット用）")


def _tile(z: int, x: int, y: int) -> bytes:
    image = Image.new("RGB", (256, 256), (242, 239, 233))
    draw = ImageDraw.Draw(image)
    step = max(16, 256 >> max(0, 17 - z))
    for offset in range(0, 256, step):
        draw.line([(offset, 0), (offset, 255)], fill=(255, 255, 255), width=max(1, step // 8))
        draw.line([(0, offset), (255, offset)], fill=(255, 255, 255), width=max(1, step // 8))
    if (x + y) % 5 == 0:
        draw.rectangle([40, 40, 120, 110], fill=(200, 225, 190))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


class Shooter:
    def __init__(self, home: Path, out: Path, info: dict) -> None:
        from PySide6.QtWidgets import QApplication

        from survey_app.ui import web
        from survey_app.ui.fonts import install_japanese_font

        web.prepare_before_qapplication()
        self.app = QApplication.instance() or QApplication([])
        install_japanese_font(self.app)
        self.home, self.out, self.info = home, out, info

    def wait(self, condition, seconds: float = 30) -> None:
        import time

        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("screenshot state not reached")
            self.app.processEvents()
            time.sleep(0.01)

    def settle(self, seconds: float = 0.5) -> None:
        import time

        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.app.processEvents()
            time.sleep(0.01)

    def run(self) -> list[Path]:
        from survey_app.ui.main_window import MainWindow
        from survey_app.ui.ops import Ops

        ops = Ops(self.home, actor="佐藤")
        window = MainWindow(ops, AppSettings())
        window.resize(1440, 880)
        window.show()
        try:
            self.wait(lambda: window.list_model.rowCount() == 60 and ops.pending == 0)
            return [self.main_and_form(window), self.photo_viewer(window), self.map(window)]
        finally:
            window.close()
            self.wait(lambda: ops.pending == 0)
            ops.shutdown()

    def open_row(self, window, row: int) -> None:
        window.table.selectRow(row)
        survey_id = window.list_model.survey_at(row)["id"]
        self.wait(lambda: window.survey_panel.session is not None
                  and window.survey_panel.session.survey["id"] == survey_id
                  and window.ops.pending == 0)

    def main_and_form(self, window) -> Path:
        row = next(r for r in range(60) if window.list_model.survey_at(r)["status"] == "unsurveyed")
        self.open_row(window, row)
        form = window.survey_panel.form
        for edit, value in zip(form.fields["inclination.offsets_cm"].edits,
                               ("2.5", "3", "2", "2.8"), strict=True):
            edit.setText(value)
        for degree, share in (("III", 40), ("V", 60)):
            form.grid.set_share("exterior_wall", degree, share)
        form.grid.set_share("roof", "IV", 100)
        self.settle()
        window.grab().save(str(self.out / "main_window.png"))
        form.fields["inclination.offsets_cm"].edits[1].setText("300")
        form.grid.set_share("roof", "I", 30)
        self.settle()
        window.survey_panel.grab().save(str(self.out / "survey_form.png"))
        form.fields["inclination.offsets_cm"].edits[1].setText("3")
        form.grid.set_share("roof", "I", None)
        self.settle()
        return self.out / "main_window.png"

    def photo_viewer(self, window) -> Path:
        row = window.list_model.row_of(self.info["photo_survey"])
        self.open_row(window, row)
        panel = window.photo_panel
        window.tabs.setCurrentWidget(panel)
        self.wait(lambda: panel.strip.count() > 0)
        panel.strip.setCurrentRow(0)
        panel.view_btn.click()
        viewer = window.photo_viewer
        self.wait(lambda: viewer.image is not None)
        self.settle()
        viewer.grab().save(str(self.out / "photo_viewer.png"))
        viewer.close()
        return self.out / "photo_viewer.png"

    def map(self, window) -> Path:
        panel = window.map_panel
        window.tabs.setCurrentWidget(panel)
        if not panel.map_view.has_web_view:
            raise SystemExit("QtWebEngine is needed for the map screenshot")
        self.wait(lambda: panel.map_view.ready, seconds=60)
        self.settle(1.5)  # the pan to the open home finishes first
        panel.map_view.run_js("window.surveyApp.map.setZoom(16, {animate: false});")
        self.settle(3.0)  # tiles and clusters draw after the page reports ready
        window.grab().save(str(self.out / "map.png"))
        return self.out / "map.png"


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        info = build_store(home)
        build_tiles(home / "tiles" / "basemap.mbtiles")
        save_settings(home, AppSettings(disaster_id=info["disaster_id"]))
        for path in Shooter(home, out, info).run():
            print(path)
    print(out / "survey_form.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
