"""Regenerate the surveyor's shots in docs/screenshots/, offscreen: main_window.png,
survey_form.png, photos_tab.png, photo_viewer.png, versions_dialog.png, map.png,
gnss_dialog.png, tiles_dialog.png.

    .venv/bin/python scripts/screenshots.py [OUT_DIR] [--lang ja|en]

Builds its own small disaster in a temporary folder (homes, finished and draft surveys, a
survey completed twice, photos, a synthetic basemap), drives the real windows and grabs them.
No network is used; the viewer shows the real camera files of ../shared/testdata/exif when
present, else generated ones; the GNSS dialog replays an NMEA log written here.
"""

from __future__ import annotations

import io
import random
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from shots import ROOT, Shots, output_dir

BBOX = (38.238, 140.868, 38.252, 140.892)
EXIF_DIR = ROOT.parent / "shared" / "testdata" / "exif" / "gps"
WALL_SHARES = [None, 20, 45, 60, 80, 100, 100]


def _obs(session, rng: random.Random) -> dict:
    wall = rng.choice(WALL_SHARES)
    obs = dict(session.observations)
    obs["components"] = {"roof": {"degrees": [{"degree": rng.choice(["II", "III", "V"]),
                                                "area_percent": rng.choice([30, 60, 100])}]}}
    if wall:
        obs["components"]["exterior_wall"] = {"degrees": [{"degree": "IV",
                                                           "area_percent": wall}]}
    return obs


def build_store(home: Path) -> dict:
    from survey_app.services import fieldwork as fw
    from survey_app.services import fieldwork_photos as fp
    from survey_app.services.workspace import Workspace

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
    ws.actor = "鈴木"  # a second visit: the roof was worse than first seen
    session = fw.open_for_editing(ws, surveys[0])
    fw.complete_survey(ws, session, {**session.observations, "components": {
        **session.observations["components"],
        "roof": {"degrees": [{"degree": "IV", "area_percent": 100}]}}})
    ws.actor = "佐藤"
    for sid in surveys[36:44]:
        session = fw.open_for_editing(ws, sid)
        fw.save_draft(ws, sid, _obs(session, rng))
    target = surveys[50]
    fp.import_survey_photos(ws, target, _camera_photos(home / "card"))
    for record, tag in zip(fp.survey_photos(ws, target), fp.PHOTO_TAGS, strict=False):
        fp.tag_photo(ws, target, record["sha256"], tag)
    card = _sd_card(home / "sd", store.buildings.get(store.surveys.get(surveys[20])["building_id"]))
    fp.import_survey_photos(ws, surveys[20], sorted(card.glob("*.JPG"))[:4])
    for record, (tag, _) in zip(fp.survey_photos(ws, surveys[20]), _SIDES, strict=False):
        fp.tag_photo(ws, surveys[20], record["sha256"], tag)
    ws.close()
    return {"disaster_id": did, "photo_survey": target, "versions_survey": surveys[0],
            "card_survey": surveys[20], "card": card}


_SIDES = (("exterior_n", 180), ("exterior_e", 270), ("exterior_s", 0), ("exterior_w", 90),
          ("roof", 180), ("foundation", 0))


def _sd_card(folder: Path, building: dict) -> Path:
    """A camera card: six photos of one home with EXIF GPS, and one file cut short in copying."""
    from survey_app.services.demo_photos import photo_bytes

    card = folder / "DCIM" / "100CAMERA"
    card.mkdir(parents=True)
    rng = random.Random(5)
    when = datetime(2026, 11, 3, 10, 12)
    for n, (_tag, bearing) in enumerate(_SIDES):
        data = photo_bytes(rng, lat=building["lat"], lon=building["lon"],
                           when=when + timedelta(minutes=n), bearing=bearing, damage=0.6)
        (card / f"IMG_{n + 1:04d}.JPG").write_bytes(data)
    whole = (card / "IMG_0001.JPG").read_bytes()
    (card / "IMG_0007.JPG").write_bytes(whole[: len(whole) // 3])
    return card


def _camera_photos(folder: Path) -> list[Path]:
    if EXIF_DIR.is_dir():
        return sorted(EXIF_DIR.glob("*.jpg"))[:6]
    from PIL import Image, ImageDraw

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
    from survey_app.maps.mbtiles import MBTiles, tiles_in_bbox

    with MBTiles(path, writable=True) as mb:
        for z in range(12, 18):
            for x, y in tiles_in_bbox(*BBOX, z):
                mb.put(z, x, y, _tile(z, x, y))
        mb.set_metadata(name="synthetic", format="png",
                        attribution="合成した背景（スクリーンショット用）")


def _tile(z: int, x: int, y: int) -> bytes:
    from PIL import Image, ImageDraw

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


def nmea_log(path: Path, lat: float, lon: float) -> Path:
    """A receiver's log: one GGA+RMC pair a second, HDOP 0.9, eight satellites."""
    def sentence(body: str) -> str:
        checksum = 0
        for char in body:
            checksum ^= ord(char)
        return f"${body}*{checksum:02X}\r\n"

    def dm(value: float, width: int) -> str:
        degrees = int(value)
        return f"{degrees:0{width}d}{(value - degrees) * 60:07.4f}"

    lines = []
    for second in range(5):
        t = f"0112{second:02d}.00"
        lines.append(sentence(f"GPGGA,{t},{dm(lat, 2)},N,{dm(lon, 3)},E,1,08,0.9,12.0,M,38.0,M,,"))
        lines.append(sentence(f"GPRMC,{t},A,{dm(lat, 2)},N,{dm(lon, 3)},E,0.0,0.0,031126,,,A"))
    path.write_text("".join(lines), encoding="ascii")
    return path


class FieldShots:
    def __init__(self, shots: Shots, home: Path, info: dict) -> None:
        self.shots, self.home, self.info = shots, home, info

    def run(self) -> None:
        from survey_app.services.settings import AppSettings
        from survey_app.ui.main_window import MainWindow
        from survey_app.ui.ops import Ops

        ops = Ops(self.home, actor="佐藤")
        window = MainWindow(ops, AppSettings(disaster_id=self.info["disaster_id"],
                                             surveyor="佐藤"))
        window.resize(1440, 880)
        window.show()
        try:
            self.shots.wait(lambda: window.list_model.rowCount() == 60 and ops.pending == 0)
            self.main_and_form(window)
            self.versions(window)
            self.photos(window)
            self.photo_viewer(window)
            self.map(window)
            self.gnss(window)
            self.tiles(window)
        finally:
            window.close()
            self.shots.wait(lambda: ops.pending == 0)
            ops.shutdown()

    def open_survey(self, window, survey_id: str) -> None:
        window.table.selectRow(window.list_model.row_of(survey_id))
        self.shots.wait(lambda: window.survey_panel.session is not None
                        and window.survey_panel.session.survey["id"] == survey_id
                        and window.ops.pending == 0)

    def main_and_form(self, window) -> None:
        row = next(r for r in range(60) if window.list_model.survey_at(r)["status"] == "unsurveyed")
        self.open_survey(window, window.list_model.survey_at(row)["id"])
        form = window.survey_panel.form
        for edit, value in zip(form.fields["inclination.offsets_cm"].edits,
                               ("2.5", "3", "2", "2.8"), strict=True):
            edit.setText(value)
        for degree, share in (("III", 40), ("V", 60)):
            form.grid.set_share("exterior_wall", degree, share)
        form.grid.set_share("roof", "IV", 100)
        self.shots.save(window, "main_window.png", settle=0.6)
        form.fields["inclination.offsets_cm"].edits[1].setText("300")
        form.grid.set_share("roof", "I", 30)
        self.shots.save(window.survey_panel, "survey_form.png", settle=0.6)
        form.fields["inclination.offsets_cm"].edits[1].setText("3")
        form.grid.set_share("roof", "I", None)
        self.shots.settle(0.6)

    def versions(self, window) -> None:
        self.open_survey(window, self.info["versions_survey"])
        window.survey_panel.versions_btn.click()
        dialog = window.survey_panel.versions_dialog
        self.shots.wait(lambda: dialog.version_list.count() >= 2)
        self.shots.save(dialog, "versions_dialog.png")
        dialog.close()

    def photos(self, window) -> None:
        self.open_survey(window, self.info["card_survey"])
        panel = window.photo_panel
        window.tabs.setCurrentWidget(panel)
        self.shots.wait(lambda: panel.strip.count() == 4)
        panel.import_paths([self.info["card"]])  # the whole card again: 2 new, 4 known, 1 cut
        self.shots.wait(lambda: panel.import_progress is None and window.ops.pending == 0)
        self.shots.wait(lambda: panel.strip.count() == 6)
        panel.strip.setCurrentRow(4)
        self.shots.save(window, "photos_tab.png")

    def photo_viewer(self, window) -> None:
        self.open_survey(window, self.info["photo_survey"])
        panel = window.photo_panel
        window.tabs.setCurrentWidget(panel)
        self.shots.wait(lambda: panel.strip.count() > 0)
        panel.strip.setCurrentRow(0)
        panel.view_btn.click()
        viewer = window.photo_viewer
        self.shots.wait(lambda: viewer.image is not None)
        self.shots.save(viewer, "photo_viewer.png")
        viewer.close()

    def map(self, window) -> None:
        panel = window.map_panel
        window.tabs.setCurrentWidget(panel)
        if not panel.map_view.has_web_view:
            raise SystemExit("QtWebEngine is needed for the map screenshot")
        self.shots.wait(lambda: panel.map_view.ready, timeout=60)
        self.shots.settle(1.5)  # the pan to the open home finishes first
        panel.map_view.run_js("window.surveyApp.map.setZoom(16, {animate: false});")
        self.shots.save(window, "map.png", settle=3.0)  # tiles and clusters draw after ready

    def gnss(self, window) -> None:
        from survey_app.ui.dialogs.gnss_dialog import GnssDialog

        dialog = GnssDialog(window)
        dialog.show()
        dialog.open_log(nmea_log(self.home / "receiver.nmea", 38.245521, 140.879312))
        self.shots.wait(lambda: dialog.fix is not None, timeout=20)
        self.shots.save(dialog, "gnss_dialog.png")
        dialog.reject()

    def tiles(self, window) -> None:
        window.show_tile_fill()
        dialog = window.tile_dialog
        self.shots.wait(lambda: window.ops.pending == 0)
        self.shots.save(dialog, "tiles_dialog.png")
        dialog.reject()


def main(out: Path) -> int:
    shots = Shots(out, web=True)
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        info = build_store(home)
        build_tiles(home / "tiles" / "basemap.mbtiles")
        FieldShots(shots, home, info).run()
    return 0


if __name__ == "__main__":
    sys.exit(main(output_dir(sys.argv[1:], __doc__)))
