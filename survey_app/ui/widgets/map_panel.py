"""The map tab: the map of every home, the open home's location and the ways to fix it
(click on the map, a GNSS receiver). The page is rebuilt on the read lane, only when shown."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from survey_app.i18n import tr
from survey_app.services import fieldwork_location as fl
from survey_app.ui.ops import Ops
from survey_app.ui.widgets.map_view import MapView


def location_text(location: fl.Location | None) -> str:
    if location is None:
        return tr("ui.location.unknown")
    source = tr(f"ui.location.source_{location.source or 'register'}")
    accuracy = ("" if location.accuracy_m is None
                else tr("ui.location.accuracy", metres=f"{location.accuracy_m:.0f}"))
    return tr("ui.location.known", lat=f"{location.lat:.6f}", lon=f"{location.lon:.6f}",
              source=source, accuracy=accuracy)


class MapPanel(QWidget):
    survey_clicked = Signal(str)
    location_saved = Signal()
    gnss_requested = Signal()

    def __init__(self, ops: Ops, tiles_file, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.tiles_file = tiles_file  # a callable returning the MBTiles path
        self.disaster_id: str | None = None
        self.survey_id: str | None = None
        self.building_id: str | None = None
        self.dirty = True
        self.map_view = MapView(self)
        self.pick_btn = QPushButton(tr("ui.map.pick"))
        self.pick_btn.setCheckable(True)
        self.gnss_btn = QPushButton(tr("ui.map.gnss"))
        self.refresh_btn = QPushButton(tr("ui.map.refresh"))
        self.location_label = QLabel(tr("ui.location.none_open"))
        self.pick_btn.toggled.connect(self.map_view.set_picking)
        self.gnss_btn.clicked.connect(self.gnss_requested)
        self.refresh_btn.clicked.connect(self.rebuild)
        self.map_view.survey_clicked.connect(self.survey_clicked)
        self.map_view.location_picked.connect(self._on_picked)
        self.map_view.page_ready.connect(lambda _n: self.map_view.highlight(self.survey_id))
        self._layout()
        self._enable()

    def _layout(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(self.location_label, 1)
        for button in (self.pick_btn, self.gnss_btn, self.refresh_btn):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.map_view, 1)

    def _enable(self) -> None:
        for button in (self.pick_btn, self.gnss_btn):
            button.setEnabled(self.building_id is not None)

    def set_disaster(self, disaster_id: str | None) -> None:
        self.disaster_id = disaster_id
        self.mark_dirty()

    def mark_dirty(self) -> None:
        self.dirty = True
        if self.isVisible():
            self.rebuild()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self.dirty:
            self.rebuild()

    def rebuild(self) -> None:
        if self.disaster_id is None:
            return
        self.dirty = False
        self.map_view.show_building()
        # A system browser cannot read mbtiles:// URLs: without the web view, no basemap layer.
        tiles = self.tiles_file() if self.map_view.has_web_view else None
        did, sid = self.disaster_id, self.survey_id
        page_dir = self.ops.home / "map"

        def build(ws):
            # folium (and numpy) load on the worker the first time a map is built.
            from survey_app.services.map_data import build_disaster_map

            return build_disaster_map(ws, did, page_dir, highlight=sid, tiles_file=tiles)

        self.ops.read(build, success=lambda html: self.map_view.load_page(html, tiles),
                      failure=lambda err: self.map_view.show_error(str(err)), owner=self)

    def set_current(self, survey_id: str | None, building_id: str | None) -> None:
        self.survey_id, self.building_id = survey_id, building_id
        self.pick_btn.setChecked(False)
        self._enable()
        self.map_view.highlight(survey_id)
        self.refresh_location()

    def refresh_location(self) -> None:
        building_id = self.building_id
        if building_id is None:
            self.location_label.setText(tr("ui.location.none_open"))
            return
        self.ops.read(lambda ws: fl.location_of(ws, building_id), owner=self,
                      success=lambda loc: self._show_location(building_id, loc))

    def _show_location(self, building_id: str, location: fl.Location | None) -> None:
        if building_id == self.building_id:
            self.location_label.setText(location_text(location))

    def _on_picked(self, lat: float, lon: float, accuracy_m: float) -> None:
        self.pick_btn.setChecked(False)
        self.save_location(lat, lon, "map", accuracy_m)

    def save_location(self, lat: float, lon: float, source: str,
                      accuracy_m: float | None) -> None:
        building_id = self.building_id
        if building_id is None:
            return
        self.ops.write(lambda ws: fl.set_location(ws, building_id, lat=lat, lon=lon,
                                                  source=source, accuracy_m=accuracy_m),
                       success=lambda _loc: self._after_save(), owner=self)

    def _after_save(self) -> None:
        self.refresh_location()
        self.location_saved.emit()
        self.mark_dirty()
