"""Photos through the real widgets: import real camera files (with GPS), tag, view, duplicates,
corrupt files, cancel, drag and drop."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from survey_app.services.settings import AppSettings
from tests.ui.conftest import make_store, open_survey, wait_idle


@pytest.fixture
def photo_window(app_home, qtbot):
    """A window on homes that have no location yet (so a photo's GPS can fix it)."""
    from survey_app.ui.main_window import MainWindow
    from survey_app.ui.ops import Ops

    make_store(app_home, homes=4, located=False)
    ops = Ops(app_home, actor="テスト")
    window = MainWindow(ops, AppSettings())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.list_model.rowCount() == 4, timeout=15000)
    yield window
    window.close()
    wait_idle(qtbot, ops)
    ops.shutdown()


@pytest.fixture
def card(tmp_path, exif_samples):
    """An SD card: the GPS photos in DCIM, one copied twice, a truncated and a fake JPEG."""
    dcim = tmp_path / "card" / "DCIM" / "100NIKON"
    dcim.mkdir(parents=True)
    for photo in sorted((exif_samples / "gps").glob("*.jpg"))[:4]:
        shutil.copy(photo, dcim / photo.name)
    shutil.copy(dcim / "DSCN0010.jpg", dcim / "COPY0010.jpg")
    data = (dcim / "DSCN0012.jpg").read_bytes()
    (dcim / "BROKEN.jpg").write_bytes(data[: len(data) // 3])
    (dcim / "NOTES.jpg").write_text("これは写真ではありません", encoding="utf-8")
    return tmp_path / "card"



def _import(qtbot, panel, paths):
    """Import and wait for both the report and the strip showing the photos again."""
    reports = []
    panel.import_finished.connect(reports.append)
    with qtbot.waitSignals([panel.import_finished, panel.photos_changed], timeout=60000):
        panel.import_paths(paths)
    panel.import_finished.disconnect(reports.append)
    return reports[0]


def test_sd_card_import_reports_duplicates_and_corrupt_files_and_locates_the_home(
        check_ws, qtbot, photo_window, card):
    survey_id = open_survey(qtbot, photo_window)
    panel = photo_window.photo_panel
    photo_window.tabs.setCurrentWidget(panel)
    report = _import(qtbot, panel, [card])
    assert len(report.added) == 4
    assert [p.name for p in report.duplicates] == ["DSCN0010.jpg"]  # COPY0010 came first
    assert sorted(f.source.name for f in report.failures) == ["BROKEN.jpg", "NOTES.jpg"]
    assert all(f.message for f in report.failures)
    qtbot.waitUntil(lambda: panel.strip.count() == 4, timeout=5000)
    assert "追加 4 枚、取り込み済み 1 枚、読み込めなかったもの 2 枚" in panel.message_label.text()
    assert not panel.strip.item(0).icon().isNull()
    building = check_ws().store.buildings.get(photo_window.survey_panel.session.building["id"])
    assert building["location_source"] == "exif"
    assert round(building["lat"], 5) == 43.46745 and round(building["lon"], 5) == 11.88513
    qtbot.waitUntil(lambda: "写真の GPS" in photo_window.map_panel.location_label.text(),
                    timeout=5000)
    again = _import(qtbot, panel, [card])
    assert again.added == [] and len(again.duplicates) == 5
    assert len(check_ws().store.photos.for_survey(survey_id)) == 4


def test_tagging_a_photo_from_the_strip(check_ws, qtbot, photo_window, exif_samples):
    survey_id = open_survey(qtbot, photo_window)
    panel = photo_window.photo_panel
    _import(qtbot, panel, [exif_samples / "gps" / "DSCN0021.jpg"])
    panel.strip.setCurrentRow(0)
    panel.tag_combo.setFocus()
    qtbot.keyClick(panel.tag_combo, Qt.Key.Key_Down)  # untagged → 外観（北面）
    qtbot.waitUntil(lambda: panel.records()[0]["tag"] == "exterior_n", timeout=5000)
    assert panel.strip.item(0).text() == "外観（北面）"
    assert check_ws().store.photos.for_survey(survey_id)[0]["tag"] == "exterior_n"


def test_viewer_shows_the_photo_upright_with_its_exif(qtbot, photo_window, exif_samples):
    open_survey(qtbot, photo_window)
    panel = photo_window.photo_panel
    _import(qtbot, panel, [exif_samples / "orientation" / "portrait_6.jpg",
                           exif_samples / "gps" / "DSCN0010.jpg"])
    panel.strip.setCurrentRow(0)
    panel.view_btn.click()
    viewer = photo_window.photo_viewer
    qtbot.waitUntil(lambda: viewer.image is not None, timeout=10000)
    assert viewer.image.height() > viewer.image.width()  # orientation 6 turned upright
    assert viewer.detail_labels["original_name"].text() == "portrait_6.jpg"
    viewer.next_btn.click()
    qtbot.waitUntil(lambda: viewer.image is not None, timeout=10000)
    assert viewer.detail_labels["lat"].text() == "43.467448"
    assert "NIKON" in viewer.detail_labels["camera"].text()
    viewer.tag_combo.setCurrentIndex(viewer.tag_combo.findData("roof"))
    viewer.tag_combo.activated.emit(viewer.tag_combo.currentIndex())
    qtbot.waitUntil(lambda: any(r["tag"] == "roof" for r in panel.records()), timeout=5000)
    viewer.close()


def test_cancel_keeps_what_was_imported(qtbot, photo_window, exif_samples):
    open_survey(qtbot, photo_window)
    panel = photo_window.photo_panel
    photos = sorted((exif_samples / "gps").glob("*.jpg"))

    def cancel_after_two(done, _total):
        if done >= 2:
            panel.cancel_import()

    with qtbot.waitSignal(panel.import_finished, timeout=60000) as finished:
        panel.import_paths(photos)
        panel.import_progress.changed.connect(cancel_after_two)
    report = finished.args[0]
    assert report.cancelled
    assert 2 <= len(report.added) < len(photos)
    assert "中止しました" in panel.message_label.text()


def test_photos_dropped_on_the_panel_are_imported(qtbot, photo_window, exif_samples):
    open_survey(qtbot, photo_window)
    panel = photo_window.photo_panel
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(exif_samples / "gps" / "DSCN0025.jpg"))])
    enter = QDragEnterEvent(panel.rect().center(), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(panel, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(panel.rect().center()), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(panel.import_finished, timeout=30000) as finished:
        QApplication.sendEvent(panel, drop)
    assert len(finished.args[0].added) == 1
