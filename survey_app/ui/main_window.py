"""The main window: pick a disaster, find a home in the list, survey it, attach photos, place it
on the map. Composition and wiring only; each part lives in its own widget module."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMainWindow,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from survey_app.i18n import LANGUAGES, current_language, tr
from survey_app.services.settings import AppSettings, save_settings
from survey_app.ui.admin_menu import AdminMenu
from survey_app.ui.dashboard_tab import DashboardTab
from survey_app.ui.ops import Ops
from survey_app.ui.sync_controller import SyncController, progress_text
from survey_app.ui.widgets.filter_bar import FilterBar
from survey_app.ui.widgets.map_panel import MapPanel
from survey_app.ui.widgets.photo_panel import PhotoPanel
from survey_app.ui.widgets.survey_list import COLUMN_WIDTHS, COLUMNS, SurveyListModel
from survey_app.ui.widgets.survey_panel import SurveyPanel


class MainWindow(QMainWindow):
    language_requested = Signal(str)
    shown = Signal()

    def __init__(self, ops: Ops, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.settings = settings
        self.sync = SyncController(ops.home, parent=self)
        self.sync_label = QLabel()
        self.disaster_id: str | None = None
        self.setWindowTitle(tr("ui.app_title"))
        self.resize(1400, 860)
        self._build_list()
        self._build_tabs()
        self._build_menus()
        self._layout()
        self._connect()
        self.load_disasters()

    # -- construction ------------------------------------------------------------------------

    def _build_list(self) -> None:
        self.disaster_combo = QComboBox()
        self.disaster_combo.setMinimumWidth(260)
        self.filter_bar = FilterBar()
        self.list_model = SurveyListModel(self.ops, parent=self)
        self.table = QTableView()
        self.table.setModel(self.list_model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several rows: 管理 → 調査の作成と割り当て assigns the rows chosen here.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COLUMNS.index("address"), Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(column, width)
        self.count_label = QLabel()
        self.busy_label = QLabel()

    def _build_tabs(self) -> None:
        self.survey_panel = SurveyPanel(self.ops)
        self.photo_panel = PhotoPanel(self.ops)
        self.map_panel = MapPanel(self.ops, lambda: self.settings.tiles_file(self.ops.home))
        self.tabs = QTabWidget()
        self.tabs.addTab(self.survey_panel, tr("ui.tabs.survey"))
        self.tabs.addTab(self.photo_panel, tr("ui.tabs.photos"))
        self.tabs.addTab(self.map_panel, tr("ui.tabs.map"))
        self.dashboard_tab = DashboardTab()
        self.tabs.addTab(self.dashboard_tab, tr("ui.tabs.dashboard"))

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(tr("ui.menu.file"))
        self.import_action = file_menu.addAction(tr("ui.menu.import_photos"))
        self.tiles_action = file_menu.addAction(tr("ui.menu.fill_tiles"))
        self.export_action = file_menu.addAction(tr("ui.menu.export"))
        self.import_register_action = file_menu.addAction(tr("ui.menu.import_register"))
        self.surveyor_action = file_menu.addAction(tr("ui.menu.surveyor"))
        self.sync_action = file_menu.addAction(tr("ui.menu.sync"))
        self.conflicts_action = file_menu.addAction(tr("ui.menu.conflicts"))
        file_menu.addSeparator()
        self.quit_action = file_menu.addAction(tr("ui.menu.quit"))
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.find_action = QAction(tr("ui.menu.find"), self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.addAction(self.find_action)
        office_menu = self.menuBar().addMenu(tr("ui.menu.office"))
        self.application_action = office_menu.addAction(tr("ui.menu.application"))
        self.certificates_action = office_menu.addAction(tr("ui.menu.certificates"))
        self.batch_print_action = office_menu.addAction(tr("ui.menu.batch_print"))
        self.admin = AdminMenu(self)  # the 管理 menu: disaster, homes, tasks and assignment
        language_menu = self.menuBar().addMenu(tr("ui.menu.language"))
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for lang in LANGUAGES:
            action = language_menu.addAction(tr(f"ui.menu.lang_{lang}"))
            action.setCheckable(True)
            action.setChecked(lang == current_language())
            action.triggered.connect(lambda _=False, code=lang: self._choose_language(code))
            group.addAction(action)
            self.language_actions[lang] = action

    def _layout(self) -> None:
        left = QWidget()
        column = QVBoxLayout(left)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("ui.main.disaster")))
        top.addWidget(self.disaster_combo, 1)
        column.addLayout(top)
        column.addWidget(self.filter_bar)
        column.addWidget(self.admin.panel, 1)  # instead of the list while it has nothing
        column.addWidget(self.table, 1)
        column.addWidget(self.count_label)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.tabs)
        splitter.setSizes([560, 840])
        self.setCentralWidget(splitter)
        self.statusBar().addPermanentWidget(self.sync_label)
        self.statusBar().addPermanentWidget(self.busy_label)

    def _connect(self) -> None:
        self.disaster_combo.currentIndexChanged.connect(self._on_disaster_changed)
        self.filter_bar.changed.connect(self.apply_filter)
        self.list_model.total_changed.connect(self._show_count)
        self.list_model.page_loaded.connect(lambda _n: self._show_count(self.list_model.total))
        self.table.selectionModel().currentRowChanged.connect(self._on_row_changed)
        self.survey_panel.opened.connect(self._on_survey_opened)
        self.survey_panel.saved.connect(self.list_model.refresh_survey)
        self.survey_panel.completed.connect(self._on_completed)
        self.photo_panel.location_changed.connect(self._on_location_changed)
        self.photo_panel.open_viewer.connect(self.show_photo)
        self.map_panel.survey_clicked.connect(self.open_survey)
        self.map_panel.gnss_requested.connect(self.show_gnss)
        self.import_action.triggered.connect(self._import_photos)
        self.tiles_action.triggered.connect(self.show_tile_fill)
        self.surveyor_action.triggered.connect(self._ask_surveyor)
        self.quit_action.triggered.connect(self.close)
        for action, dialog in ((self.application_action, "application"),
                               (self.certificates_action, "certificates"),
                               (self.batch_print_action, "batch_print"),
                               (self.export_action, "export"),
                               (self.import_register_action, "import_register")):
            action.triggered.connect(lambda _=False, name=dialog: self.show_dialog(name))
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.sync_action.triggered.connect(self.show_sync)
        self.conflicts_action.triggered.connect(self.show_conflicts)
        self.sync.progress.connect(self._on_sync_progress)
        self.sync.finished.connect(self._on_sync_finished)
        self.find_action.triggered.connect(self.filter_bar.search_edit.setFocus)
        # Bound methods, not lambdas: Qt drops these connections when the window goes away.
        self.ops.busy_changed.connect(self._on_busy)
        self.ops.failed.connect(self._on_failed)

    def _on_busy(self, busy: bool) -> None:
        self.busy_label.setText(tr("ui.main.busy") if busy else "")

    def _on_tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.dashboard_tab and self.disaster_id:
            self.refresh_dashboard()

    def refresh_dashboard(self) -> None:
        from survey_app.services.dashboard import build

        disaster_id = self.disaster_id
        self.ops.read(lambda ws: build(ws.store, disaster_id),
                      success=self.dashboard_tab.show_dashboard, owner=self)

    def show_sync(self) -> None:
        from survey_app.ui.dialogs.sync_dialog import SyncDialog

        SyncDialog(self.sync, self.settings, parent=self).exec()
        self._save_settings()

    def show_conflicts(self) -> None:
        from survey_app.ui.dialogs.conflicts_dialog import ConflictsDialog

        ConflictsDialog(self.sync, self.ops, parent=self).exec()
        self.apply_filter()

    def _on_sync_progress(self, progress) -> None:
        self.sync_label.setText(tr("ui.sync.status", text=progress_text(progress)))

    def _on_sync_finished(self, report) -> None:
        self.sync_label.setText(tr("ui.sync.status", text=report.message))
        self.load_disasters()  # a new laptop's first sync brings it the disasters
        self.apply_filter()  # sync states, and what the office or other laptops sent down
        self.map_panel.mark_dirty()

    def show_dialog(self, name: str) -> None:
        """Open one of the office / report dialogs for the current disaster (modal)."""
        if not self.disaster_id:
            return
        dialog = _dialog_class(name)(self.ops, self.disaster_id, parent=self)
        dialog.exec()
        if name in ("import_register", "application"):
            self.apply_filter()  # new homes or links may have arrived
            self.map_panel.mark_dirty()

    def _on_failed(self, message: str) -> None:
        self.statusBar().showMessage(tr("ui.main.failed", reason=message), 10000)

    # -- disasters and the list --------------------------------------------------------------

    def load_disasters(self) -> None:
        self.ops.read(lambda ws: ws.store.buildings.disasters(), success=self._fill_disasters,
                      owner=self)

    def _fill_disasters(self, disasters: list[dict]) -> None:
        self.admin.disasters_loaded(disasters)
        self.disaster_combo.blockSignals(True)
        self.disaster_combo.clear()
        for d in disasters:
            self.disaster_combo.addItem(f"{d['name']}（{d['occurred_on']}）", d["id"])
        self.disaster_combo.blockSignals(False)
        if not disasters:
            self.count_label.setText(tr("ui.main.no_disasters"))
            return
        index = self.disaster_combo.findData(self.settings.disaster_id)
        self.disaster_combo.setCurrentIndex(max(index, 0))
        self._on_disaster_changed(self.disaster_combo.currentIndex())

    def _on_disaster_changed(self, _index: int) -> None:
        disaster_id = self.disaster_combo.currentData()
        if not disaster_id or disaster_id == self.disaster_id:
            return
        self.disaster_id = disaster_id
        self.settings.disaster_id = disaster_id
        self._save_settings()
        self.apply_filter()
        self.map_panel.set_disaster(disaster_id)
        self.ops.read(lambda ws: ws.store.listing.facets(disaster_id),
                      success=self.filter_bar.set_facets, owner=self)

    def apply_filter(self) -> None:
        if self.disaster_id is not None:
            self.list_model.set_filter(self.filter_bar.current_filter(self.disaster_id))

    def _show_count(self, total: int | None) -> None:
        shown = self.list_model.rowCount()
        if total is None:
            self.count_label.setText(tr("ui.main.count_pending", shown=shown))
        else:
            self.count_label.setText(tr("ui.main.count", shown=shown, total=total))

    def _on_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.open_survey(self.list_model.survey_at(current.row())["id"])

    # -- the open survey ---------------------------------------------------------------------

    def open_survey(self, survey_id: str) -> None:
        if survey_id != self.survey_panel.survey_id:
            self.survey_panel.open_survey(survey_id)

    def _on_survey_opened(self, survey: dict, building: dict) -> None:
        self.photo_panel.set_survey(survey["id"], building["id"])
        self.map_panel.set_current(survey["id"], building["id"])
        row = self.list_model.row_of(survey["id"])
        if row is not None and self.table.currentIndex().row() != row:
            self.table.selectRow(row)

    def _on_completed(self, survey_id: str) -> None:
        self.list_model.refresh_survey(survey_id)
        self.map_panel.mark_dirty()

    def _on_location_changed(self) -> None:
        self.map_panel.refresh_location()
        self.map_panel.mark_dirty()

    # -- dialogs -----------------------------------------------------------------------------

    def _import_photos(self) -> None:
        self.tabs.setCurrentWidget(self.photo_panel)
        self.photo_panel.import_folder_btn.click()

    def show_photo(self, sha: str) -> None:
        from survey_app.ui.dialogs.photo_viewer import PhotoViewer

        viewer = PhotoViewer(self.ops, self.photo_panel.survey_id, self.photo_panel.records(),
                             sha, self)
        viewer.tag_changed.connect(lambda *_: self.photo_panel.reload())
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        viewer.show()
        self.photo_viewer = viewer

    def show_gnss(self) -> None:
        from survey_app.ui.dialogs.gnss_dialog import GnssDialog

        dialog = GnssDialog(self)
        self.gnss_dialog = dialog
        dialog.accepted.connect(lambda: dialog.fix and self.map_panel.save_location(
            dialog.fix[0], dialog.fix[1], "gnss", dialog.fix[2]))
        dialog.open()

    def show_tile_fill(self) -> None:
        from survey_app.ui.dialogs.tile_fill_dialog import TileFillDialog

        dialog = TileFillDialog(self.ops, self.settings.tiles_file(self.ops.home),
                                self.disaster_id, self)
        self.tile_dialog = dialog
        dialog.finished.connect(lambda _r: self.map_panel.mark_dirty())
        dialog.open()

    # -- settings ----------------------------------------------------------------------------

    def _ask_surveyor(self) -> None:
        name, ok = QInputDialog.getText(self, tr("ui.menu.surveyor"), tr("ui.main.surveyor_prompt"),
                                        text=self.settings.surveyor)
        if ok:
            self.set_surveyor(name.strip())

    def set_surveyor(self, name: str) -> None:
        """The name written into the audit log and on each completed version."""
        self.settings.surveyor = name
        self.ops.set_actor(name or "local")
        self._save_settings()

    def _choose_language(self, lang: str) -> None:
        self.settings.language = lang
        self._save_settings()
        self.language_requested.emit(lang)

    def _save_settings(self) -> None:
        settings, home = replace(self.settings), self.ops.home  # a copy for the worker
        self.ops.files(lambda: save_settings(home, settings), owner=self)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self.shown.emit()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.survey_panel.flush()
        self.sync.stop()
        super().closeEvent(event)


def _dialog_class(name: str) -> type:
    """Dialogs load on first use: they pull in reportlab, openpyxl and the export code."""
    if name == "application":
        from survey_app.ui.office.application_dialog import ApplicationDialog as cls
    elif name == "certificates":
        from survey_app.ui.office.certificate_dialog import CertificateDialog as cls
    elif name == "batch_print":
        from survey_app.ui.office.batch_print_dialog import BatchPrintDialog as cls
    elif name == "export":
        from survey_app.ui.dialogs.export_dialog import ExportDialog as cls
    else:
        from survey_app.ui.dialogs.register_import_dialog import RegisterImportDialog as cls
    return cls
