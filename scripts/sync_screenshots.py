"""Regenerate the sync shots in docs/screenshots/, offscreen: sync_dialog.png (a sync that went
through), sync_states.png (the list's 同期 column: 同期済, 送信待ち, 下書き, 失敗, 競合) and
conflicts_dialog.png (the office's 競合の解決 with a real conflict).

    .venv/bin/python scripts/sync_screenshots.py [OUT_DIR] [--lang ja|en]

Everything is real and on this machine: a sync server process on a loopback port (SQLite, in a
temporary folder; the test suite's ServerProcess), an office laptop and two surveyors' laptops
(each a Workspace of its own). The office registers the homes and assigns them; 佐藤 signs in
through the sync dialog and surveys; 鈴木 and 佐藤 both change the same wall of the same home,
and 佐藤's copy of one photo is damaged on disk before the last sync.
"""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path

from shots import Shots, close_ops, output_dir

PASSWORD = "pw-demo-2026"
USERS = {"office": "office", "sato": "surveyor", "suzuki": "surveyor"}


def start_server(tmp: Path):
    from survey_app.server.admin import create_admin
    from survey_app.services.demo_data import TOWN
    from survey_app.sync.client import SyncClient
    from tests.sync.support import ServerProcess

    server = ServerProcess("sqlite", f"sqlite:///{tmp / 'server.db'}", tmp / "data").start()
    create_admin(server.settings, municipality_code=TOWN["code"], username="admin",
                 password=PASSWORD, municipality_name=TOWN["name"])
    admin = SyncClient.connect(server.url)
    try:
        admin.login("admin", PASSWORD)
        for name, role in USERS.items():
            admin.admin_add_user(name, PASSWORD, role)
    finally:
        admin.close()
    return server


class Laptop:
    def __init__(self, tmp: Path, name: str, url: str) -> None:
        from survey_app.services.sync import SyncEngine
        from survey_app.services.workspace import Workspace

        self.home = tmp / name
        self.ws = Workspace(self.home, actor=name)
        self.engine = SyncEngine(self.ws, url, username=name, password=PASSWORD)

    def sync(self):
        return self.engine.sync_once()

    def complete(self, survey_id: str, components: dict) -> None:
        from survey_app.services import fieldwork as fw

        session = fw.open_for_editing(self.ws, survey_id)
        fw.complete_survey(self.ws, session, {**session.observations, "components": components,
                                              "inclination": {"offsets_cm": [1, 1.5, 0.5, 1]}})

    def draft(self, survey_id: str, components: dict) -> None:
        from survey_app.services import fieldwork as fw

        session = fw.open_for_editing(self.ws, survey_id)
        fw.save_draft(self.ws, survey_id, {**session.observations, "components": components})

    def photos(self, survey_id: str, count: int, seed: int) -> list[str]:
        from datetime import datetime

        from survey_app.services import fieldwork_photos as fp
        from survey_app.services.demo_photos import SIDES, photo_bytes

        building = self.ws.store.buildings.get(self.ws.store.surveys.get(survey_id)["building_id"])
        folder = self.home.parent / f"card-{seed}"
        folder.mkdir()
        rng = random.Random(seed)
        for n, (_tag, bearing) in enumerate(SIDES[:count]):
            (folder / f"IMG_{n:04d}.JPG").write_bytes(photo_bytes(
                rng, lat=building["lat"], lon=building["lon"], when=datetime(2026, 4, 17, 10, n),
                bearing=bearing, damage=0.5))
        return fp.import_survey_photos(self.ws, survey_id, sorted(folder.iterdir())).added

    def close(self) -> None:
        self.engine.close()
        self.ws.close()



def wall(degree: str, share: int) -> dict:
    return {"roof": {"degrees": [{"degree": "III", "area_percent": 40}]},
            "exterior_wall": {"degrees": [{"degree": degree, "area_percent": share}]}}


def assign_homes(office: Laptop) -> list[str]:
    """The office registers the disaster and ten homes: nine for 佐藤, one for both."""
    from survey_app.services import demo_data as dd
    from survey_app.services.demo import QUAKE

    store, rng = office.ws.store, random.Random(3)
    did = store.buildings.create_disaster(**QUAKE, municipality_code=dd.TOWN["code"],
                                          municipality_name=dd.TOWN["name"], actor="office")
    surveys = []
    for i in range(10):
        area, lat0, lon0 = dd.AREAS[i % len(dd.AREAS)]
        name, kana = dd.person(rng)
        lat, lon = dd.position(rng, lat0, lon0)
        assigned = "sato, suzuki" if i == 4 else "sato"
        bid = store.buildings.add(disaster_id=did, address=dd.address(rng, area), area=area,
                                  owner_name=name, owner_kana=kana, structure="wood", lat=lat,
                                  lon=lon, assigned_to=assigned, actor="office")
        surveys.append(store.surveys.create(building_id=bid, stage="first", hazard="earthquake",
                                            surveyor="sato", actor="office"))
    return surveys


class SyncShots:
    def __init__(self, shots: Shots, tmp: Path, url: str) -> None:
        self.shots, self.tmp, self.url = shots, tmp, url

    def run(self) -> None:
        from survey_app.services.settings import AppSettings
        from survey_app.ui.main_window import MainWindow
        from survey_app.ui.ops import Ops
        from survey_app.ui.widgets.survey_list import COLUMNS

        office = Laptop(self.tmp, "office", self.url)
        surveys = assign_homes(office)
        assert office.sync().agreed
        sato, suzuki = Laptop(self.tmp, "sato", self.url), Laptop(self.tmp, "suzuki", self.url)
        ops = Ops(sato.home, actor="sato")
        window = MainWindow(ops, AppSettings(surveyor="sato", sync_server=self.url,
                                             sync_user="sato"))
        window.resize(1440, 880)
        window.show()
        try:
            self.first_syncs(window, sato, suzuki, surveys)
            self.conflict_and_failure(window, sato, suzuki, surveys)
            sato.complete(surveys[7], wall("II", 30))   # done after the last sync: 送信待ち
            sato.draft(surveys[8], wall("IV", 20))      # begun, not completed: 下書き
            window.apply_filter()
            self.shots.wait(lambda: window.list_model.rowCount() == 10 and ops.pending == 0)
            # Widened by hand, as the guide says, to read why one failed: the list's pane and
            # its 状況 and 同期 columns. Only the list is shot (the form beside it is empty).
            window.resize(2300, 700)
            splitter = window.centralWidget()
            splitter.setSizes([1300, 1000])
            window.table.resizeColumnToContents(COLUMNS.index("status"))
            window.table.setColumnWidth(COLUMNS.index("sync"), 1000)
            self.shots.save(splitter.widget(0), "sync_states.png", settle=0.6)
        finally:
            window.close()
            close_ops(self.shots, ops)
        assert office.sync().ok
        self.conflicts(office)
        for laptop in (office, sato, suzuki):
            laptop.close()

    def sync_in_dialog(self, window, *, password: str = "") -> object:
        """Press 今すぐ同期 in the sync dialog; wait for the result; the dialog stays open."""
        from survey_app.ui.dialogs.sync_dialog import SyncDialog

        dialog = SyncDialog(window.sync, window.settings, parent=window)
        dialog.resize(480, dialog.sizeHint().height())  # wide enough to read the address
        dialog.show()
        before = window.sync.last
        dialog.password_edit.setText(password)
        dialog.start()
        self.shots.wait(lambda: window.sync.last is not before, timeout=120)
        return dialog

    def first_syncs(self, window, sato: Laptop, suzuki: Laptop, surveys: list[str]) -> None:
        dialog = self.sync_in_dialog(window, password=PASSWORD)  # sign in: the homes come down
        dialog.close()
        assert window.sync.last.ok, window.sync.last.message
        self.shots.wait(lambda: window.list_model.rowCount() == 10, timeout=15)
        for n, sid in enumerate(surveys[:4]):
            sato.complete(sid, wall("IV", 20 + 20 * n))
        sato.photos(surveys[0], 4, seed=1)
        sato.complete(surveys[4], wall("IV", 40))    # the home 鈴木 will visit too
        dialog = self.sync_in_dialog(window)         # signed in: 今すぐ同期 sends them
        self.shots.save(dialog, "sync_dialog.png")
        dialog.close()
        assert suzuki.sync().agreed

    def conflict_and_failure(self, window, sato: Laptop, suzuki: Laptop,
                             surveys: list[str]) -> None:
        suzuki.complete(surveys[4], wall("IV", 60))  # 鈴木 sees 60 %, sends it first
        assert suzuki.sync().agreed
        sato.complete(surveys[4], wall("V", 60))     # 佐藤, offline, records 程度Ⅴ
        [sha, *_] = sato.photos(surveys[5], 2, seed=2)
        sato.complete(surveys[5], wall("III", 50))
        blob = sato.ws.blobs.path_for(sha)           # the laptop's copy goes bad on disk
        blob.chmod(0o644)
        blob.write_bytes(blob.read_bytes()[:-2000] + bytes(2000))
        dialog = self.sync_in_dialog(window)
        dialog.close()
        window.sync.stop()

    def conflicts(self, office: Laptop) -> None:
        from survey_app.ui.dialogs.conflicts_dialog import ConflictsDialog
        from survey_app.ui.ops import Ops
        from survey_app.ui.sync_controller import SyncController

        ops = Ops(office.home, actor="office")
        dialog = ConflictsDialog(SyncController(office.home), ops)
        dialog.resize(1100, 400)  # its own width: fields and values are short, readable labels
        dialog.show()
        try:
            self.shots.wait(lambda: dialog.table.rowCount() > 0 and ops.pending == 0)
            self.shots.save(dialog, "conflicts_dialog.png")
        finally:
            dialog.close()
            close_ops(self.shots, ops)


def main(out: Path) -> int:
    shots = Shots(out)
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(Path(tmp))
        try:
            SyncShots(shots, Path(tmp), server.url).run()
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(output_dir(sys.argv[1:], __doc__)))
