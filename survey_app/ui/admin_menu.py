"""The 管理 menu and the main window's "nothing here yet" panel: how headquarters sets up a
disaster (register it, bring in the homes, create the survey tasks and assign them).

These are headquarters' jobs, not the counter's (窓口 serves residents: applications and
certificates), so they get their own menu, named like the administrators' guide. The panel
takes the place of the survey list while there is nothing to list: no disaster at all (it
offers 災害の登録), or a disaster without surveys (it offers the next steps), since homes
imported from a register show in the list only once they have a survey task.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from survey_app.i18n import tr

if TYPE_CHECKING:
    from survey_app.ui.main_window import MainWindow


class EmptyPanel(QWidget):
    """Shown instead of the list: a sentence and the buttons for the next step."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text_label = QLabel(wordWrap=True)
        font = self.text_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)  # the one thing to read on an empty screen
        self.text_label.setFont(font)
        self.register_btn = QPushButton(tr("setup.menu.disaster"))
        self.import_btn = QPushButton(tr("ui.menu.import_register"))
        self.home_btn = QPushButton(tr("setup.menu.home"))
        self.tasks_btn = QPushButton(tr("setup.menu.tasks"))
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.text_label)
        row = QHBoxLayout()
        for button in (self.register_btn, self.import_btn, self.home_btn, self.tasks_btn):
            button.setMinimumHeight(34)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        self.hide()

    def show_state(self, state: str, homes: int = 0) -> None:
        """"no_disaster", "no_surveys" (with the disaster's number of homes) or "" (hidden)."""
        self.register_btn.setVisible(state == "no_disaster")
        for button in (self.import_btn, self.home_btn, self.tasks_btn):
            button.setVisible(state == "no_surveys")
        self.tasks_btn.setEnabled(homes > 0)
        if state:
            self.text_label.setText(tr(f"setup.empty.{state}", homes=homes))
        self.setVisible(bool(state))


class AdminMenu(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        menu = window.menuBar().addMenu(tr("setup.menu.title"))
        self.disaster_action = menu.addAction(tr("setup.menu.disaster"))
        self.import_action = menu.addAction(tr("ui.menu.import_register"))
        self.home_action = menu.addAction(tr("setup.menu.home"))
        self.tasks_action = menu.addAction(tr("setup.menu.tasks"))
        self.panel = EmptyPanel()
        self.disaster_action.triggered.connect(self.show_disaster)
        self.import_action.triggered.connect(self.show_import)
        self.home_action.triggered.connect(self.show_home)
        self.tasks_action.triggered.connect(self.show_tasks)
        self.panel.register_btn.clicked.connect(self.show_disaster)
        self.panel.import_btn.clicked.connect(self.show_import)
        self.panel.home_btn.clicked.connect(self.show_home)
        self.panel.tasks_btn.clicked.connect(self.show_tasks)
        window.list_model.total_changed.connect(self._on_total)
        self.dialog: QWidget | None = None  # the open one, for tests and screenshots

    # -- the panel ---------------------------------------------------------------------------

    def disasters_loaded(self, disasters: list[dict]) -> None:
        for action in (self.import_action, self.home_action, self.tasks_action):
            action.setEnabled(bool(disasters))
        self._show("" if disasters else "no_disaster")

    def _on_total(self, total: int) -> None:
        flt, did = self.window.list_model.filter, self.window.disaster_id
        blank = flt is not None and not (flt.text.strip() or flt.statuses or flt.grade_codes
                                         or flt.areas or flt.surveyor or flt.hazard)
        if total or not blank or did is None:
            self._show("")
            return
        self.window.ops.read(lambda ws: ws.store.buildings.count(did),
                             success=lambda homes: self._no_surveys(did, homes), owner=self)

    def _no_surveys(self, disaster_id: str, homes: int) -> None:
        if disaster_id == self.window.disaster_id and self.window.list_model.total == 0:
            self._show("no_surveys", homes)

    def _show(self, state: str, homes: int = 0) -> None:
        self.panel.show_state(state, homes)
        self.window.table.setVisible(not state)

    # -- the dialogs -------------------------------------------------------------------------

    def show_disaster(self) -> None:
        from survey_app.ui.dialogs.disaster_dialog import DisasterDialog

        self.dialog = dialog = DisasterDialog(self.window.ops, parent=self.window)
        dialog.created.connect(self._on_disaster_created)
        dialog.open()

    def _on_disaster_created(self, disaster_id: str) -> None:
        self.window.settings.disaster_id = disaster_id  # load_disasters selects it
        self.window.load_disasters()

    def show_import(self) -> None:
        from survey_app.ui.dialogs.register_import_dialog import RegisterImportDialog

        if not self.window.disaster_id:
            return
        self.dialog = dialog = RegisterImportDialog(self.window.ops, self.window.disaster_id,
                                                    parent=self.window)
        dialog.imported.connect(lambda _report: self.refresh())
        dialog.open()

    def show_home(self) -> None:
        from survey_app.ui.dialogs.home_dialog import HomeDialog

        if not self.window.disaster_id:
            return
        self.dialog = dialog = HomeDialog(self.window.ops, self.window.disaster_id,
                                          parent=self.window)
        dialog.added.connect(lambda _bid: self.refresh())
        dialog.open()

    def show_tasks(self) -> None:
        from survey_app.ui.dialogs.tasks_dialog import TasksDialog

        if not self.window.disaster_id:
            return
        self.dialog = dialog = TasksDialog(self.window.ops, self.window.disaster_id,
                                           selected=self.selected_surveys(), parent=self.window)
        dialog.tasks_done.connect(lambda _report: self.refresh())
        dialog.open()

    def selected_surveys(self) -> list[str]:
        model = self.window.list_model
        return [model.survey_at(index.row())["id"]
                for index in self.window.table.selectionModel().selectedRows()]

    def refresh(self) -> None:
        """The list, its filter choices (new areas and surveyors) and the map."""
        window, did = self.window, self.window.disaster_id
        if did is None:
            return
        window.apply_filter()
        window.map_panel.mark_dirty()
        window.ops.read(lambda ws: ws.store.listing.facets(did),
                        success=window.filter_bar.set_facets, owner=window)
