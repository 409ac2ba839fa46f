"""調査の作成と割り当て: create the 1st-survey tasks of the homes that have none and give the
open tasks to a surveyor, for the areas ticked here or for the rows chosen in the list.

Before anything is done the dialog shows what would happen (`office_tasks.plan`, recounted on
the read lane whenever a choice changes); the run goes to the write lane in chunks with a
progress bar and can be stopped between chunks. The surveyor is one of the names already in
use or a name typed in: it must be the surveyor's user name on the sync server, since that is
what decides which laptop receives the homes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QWidget,
)

from survey_app.domain.observations import HAZARDS
from survey_app.i18n import tr
from survey_app.services.office_setup import clerk_message
from survey_app.services.office_tasks import (
    AreaRow,
    TaskReport,
    area_rows,
    create_and_assign,
    disaster_row,
    known_surveyors,
    plan,
)
from survey_app.ui.dialogs.home_dialog import ERROR_STYLE, editable_combo
from survey_app.ui.dialogs.rows import button_row, stack
from survey_app.ui.ops import Ops, Progress

PLAN_DELAY_MS = 150  # recount once the clerk pauses, not on every keystroke of a name


def plan_text(p: TaskReport, *, create: bool, surveyor: str) -> str:
    """The forecast shown before the run: what will be done, then what stays as it is."""
    parts = []
    if create and p.created:
        parts.append(tr("setup.tasks.plan_create", created=p.created, skipped=p.skipped))
    if surveyor and p.assigned + p.reassigned:
        parts.append(tr("setup.tasks.plan_assign", count=p.assigned + p.reassigned,
                        surveyor=surveyor, reassigned=p.reassigned))
    if not parts:
        parts.append(tr("setup.tasks.plan_nothing"))
        if create and p.skipped:
            parts.append(tr("setup.tasks.plan_have_first", skipped=p.skipped))
    if surveyor and p.unchanged:
        parts.append(tr("setup.tasks.plan_unchanged", unchanged=p.unchanged))
    if surveyor and p.closed:
        parts.append(tr("setup.tasks.plan_closed", closed=p.closed))
    return "\n".join(parts)


class TasksDialog(QDialog):
    tasks_done = Signal(object)  # the TaskReport of a finished (or stopped) run

    def __init__(self, ops: Ops, disaster_id: str, selected: list[str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops, self.disaster_id = ops, disaster_id
        self.selected = list(selected or [])
        self.running = False
        self.report: TaskReport | None = None
        self.forecast: TaskReport | None = None
        self.progress = Progress(self)
        self.progress.changed.connect(self._on_progress)
        self.plan_timer = QTimer(self, singleShot=True, interval=PLAN_DELAY_MS)
        self.plan_timer.timeout.connect(self.recount)
        self.setWindowTitle(tr("setup.tasks.title"))
        self.resize(760, 600)
        self._build()
        self._layout()
        self._connect()
        self.reload()

    def _build(self) -> None:
        self.area_radio = QRadioButton(tr("setup.tasks.by_area"), checked=True)
        self.rows_radio = QRadioButton(tr("setup.tasks.by_rows", count=len(self.selected)))
        self.rows_radio.setEnabled(bool(self.selected))
        self.scope_group = QButtonGroup(self)
        for radio in (self.area_radio, self.rows_radio):
            self.scope_group.addButton(radio)
        self.area_list = QListWidget()
        self.all_btn = QPushButton(tr("setup.tasks.all_areas"))
        self.none_btn = QPushButton(tr("setup.tasks.no_areas"))
        self.create_check = QCheckBox(tr("setup.tasks.create"), checked=True)
        self.hazard_combo = QComboBox()
        for hazard in HAZARDS:
            self.hazard_combo.addItem(tr(f"ui.hazard.{hazard}"), hazard)
        self.assign_check = QCheckBox(tr("setup.tasks.assign"), checked=True)
        self.surveyor_combo = editable_combo(tr("setup.tasks.surveyor_hint"))
        self.note_label = QLabel(tr("setup.tasks.surveyor_note"), wordWrap=True)
        self.note_label.setStyleSheet("color: #555")
        self.plan_label = QLabel(wordWrap=True)
        self.progress_bar = QProgressBar()
        self.summary_label = QLabel(wordWrap=True)
        self.run_btn = QPushButton(tr("setup.tasks.run"))
        self.stop_btn = QPushButton(tr("ui.common.cancel"))
        self.stop_btn.setEnabled(False)
        self.close_btn = QPushButton(tr("ui.common.close"))

    def _layout(self) -> None:
        area_buttons = QHBoxLayout()
        area_buttons.addWidget(self.all_btn)
        area_buttons.addWidget(self.none_btn)
        area_buttons.addStretch(1)
        grid = QGridLayout()
        grid.addWidget(self.create_check, 0, 0)
        grid.addWidget(QLabel(tr("setup.tasks.hazard")), 0, 1)
        grid.addWidget(self.hazard_combo, 0, 2)
        grid.addWidget(self.assign_check, 1, 0)
        grid.addWidget(QLabel(tr("setup.tasks.surveyor")), 1, 1)
        grid.addWidget(self.surveyor_combo, 1, 2)
        grid.setColumnStretch(2, 1)
        stack(self, QLabel(tr("setup.tasks.scope")), self.area_radio, (self.area_list, 1),
              area_buttons, self.rows_radio, grid, self.note_label, self.plan_label,
              self.progress_bar, self.summary_label,
              button_row(self.run_btn, self.stop_btn, self.close_btn))

    def _connect(self) -> None:
        self.scope_group.buttonToggled.connect(lambda *_: self._choices_changed())
        self.area_list.itemChanged.connect(lambda _item: self._choices_changed())
        self.all_btn.clicked.connect(lambda: self._check_all(True))
        self.none_btn.clicked.connect(lambda: self._check_all(False))
        self.create_check.toggled.connect(lambda _on: self._choices_changed())
        self.assign_check.toggled.connect(lambda _on: self._choices_changed())
        self.surveyor_combo.editTextChanged.connect(lambda _t: self._choices_changed())
        self.run_btn.clicked.connect(self.run)
        self.stop_btn.clicked.connect(self.progress.cancel)
        self.close_btn.clicked.connect(self.reject)

    # -- the choices -------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the areas (with their counts), the known surveyors and the disaster's hazard."""
        did = self.disaster_id
        self.ops.read(lambda ws: (area_rows(ws, did), known_surveyors(ws),
                                  disaster_row(ws, did)["hazard"]),
                      success=self._fill, owner=self)

    def _fill(self, found: tuple[list[AreaRow], list[str], str]) -> None:
        rows, surveyors, hazard = found
        ticked = set(self.chosen_areas() or [])
        self.area_list.blockSignals(True)
        self.area_list.clear()
        for row in rows:
            item = QListWidgetItem(tr("setup.tasks.area_row", area=row.area or tr(
                "setup.tasks.no_area"), homes=row.homes, without=row.without_first,
                open=row.open_surveys, unassigned=row.unassigned))
            item.setData(Qt.ItemDataRole.UserRole, row.area)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if row.area in ticked
                               else Qt.CheckState.Unchecked)
            self.area_list.addItem(item)
        self.area_list.blockSignals(False)
        typed = self.surveyor_combo.currentText()
        self.surveyor_combo.clear()
        self.surveyor_combo.addItems(surveyors)
        self.surveyor_combo.setEditText(typed)
        if self.report is None:  # the first time: the disaster's own hazard
            self.hazard_combo.setCurrentIndex(self.hazard_combo.findData(hazard))
        if len(self.selected) > 1 and self.report is None:
            # Several rows chosen on purpose (one is merely the survey open for browsing).
            self.rows_radio.setChecked(True)
        self._choices_changed()

    def _check_all(self, on: bool) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        self.area_list.blockSignals(True)
        for i in range(self.area_list.count()):
            self.area_list.item(i).setCheckState(state)
        self.area_list.blockSignals(False)
        self._choices_changed()

    def check_areas(self, areas: list[str]) -> None:
        for i in range(self.area_list.count()):
            item = self.area_list.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole)
                               in areas else Qt.CheckState.Unchecked)

    def chosen_areas(self) -> list[str] | None:
        """The ticked areas ("" is the homes with none); None when the rows are the scope."""
        if self.rows_radio.isChecked():
            return None
        return [self.area_list.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.area_list.count())
                if self.area_list.item(i).checkState() == Qt.CheckState.Checked]

    def choices(self) -> dict:
        """create_and_assign's keyword arguments for what is chosen now."""
        by_rows = self.rows_radio.isChecked()
        return {"areas": None if by_rows else self.chosen_areas(),
                "survey_ids": list(self.selected) if by_rows else None,
                "create": self.create_check.isChecked() and not by_rows,
                "hazard": self.hazard_combo.currentData(),
                "surveyor": self.surveyor_combo.currentText().strip()
                if self.assign_check.isChecked() else ""}

    def _scope_empty(self, choice: dict) -> bool:
        return not (choice["survey_ids"] or choice["areas"]) or not (
            choice["create"] or choice["surveyor"])

    def _choices_changed(self) -> None:
        by_rows = self.rows_radio.isChecked()
        self.area_list.setEnabled(not by_rows and not self.running)
        self.create_check.setEnabled(not by_rows and not self.running)
        self.hazard_combo.setEnabled(self.create_check.isChecked() and not by_rows)
        self.surveyor_combo.setEnabled(self.assign_check.isChecked())
        self.forecast = None
        self.run_btn.setEnabled(False)  # until the forecast for these choices is shown
        self.plan_timer.start()

    def recount(self) -> None:
        if not self.isVisible():
            return  # closed meanwhile: nobody reads the forecast
        choice, did = self.choices(), self.disaster_id
        if self._scope_empty(choice):
            self.plan_label.setText(tr("setup.tasks.choose_scope"))
            return
        self.plan_label.setText(tr("setup.tasks.computing"))
        args = {k: choice[k] for k in ("areas", "survey_ids", "create", "surveyor")}
        self.ops.read(lambda ws: plan(ws, did, **args),
                      success=lambda p: self._show_plan(choice, p), owner=self)

    def _show_plan(self, choice: dict, forecast: TaskReport) -> None:
        if choice != self.choices():
            return  # the choices moved on; their own count is on its way
        self.forecast = forecast
        self.plan_label.setText(plan_text(forecast, create=choice["create"],
                                          surveyor=choice["surveyor"]))
        self.run_btn.setEnabled(not self.running and bool(
            forecast.created or forecast.assigned or forecast.reassigned))

    # -- running -----------------------------------------------------------------------------

    def run(self) -> None:
        choice, did = self.choices(), self.disaster_id
        if self.running or self._scope_empty(choice):
            return
        self.progress.cancel_event.clear()
        self._busy(True)
        self.progress_bar.setRange(0, 0)
        self.summary_label.setText(tr("setup.tasks.running"))
        self.summary_label.setStyleSheet("")
        report, stop = self.progress.report, self.progress.cancelled
        self.ops.write(lambda ws: create_and_assign(ws, did, progress=report, cancelled=stop,
                                                    **choice),
                       success=self._on_done, failure=self._on_failed, owner=self)

    def _on_progress(self, done: int, total: int) -> None:
        if self.running:
            self.progress_bar.setRange(0, max(total, 1))
            self.progress_bar.setValue(done)

    def _on_done(self, report: TaskReport) -> None:
        self._busy(False)
        self.report = report
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(1)
        key = "setup.tasks.stopped" if report.cancelled else "setup.tasks.finished"
        self.summary_label.setText(tr(key, created=report.created, assigned=report.assigned,
                                      reassigned=report.reassigned, unchanged=report.unchanged,
                                      closed=report.closed, skipped=report.skipped))
        self.tasks_done.emit(report)
        self.reload()  # the areas' counts changed; the forecast is recounted with them

    def _on_failed(self, error: BaseException) -> None:
        self._busy(False)
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        self.summary_label.setText(tr("setup.tasks.failed", reason=clerk_message(error)))
        self.summary_label.setStyleSheet(ERROR_STYLE)
        self._choices_changed()

    def _busy(self, running: bool) -> None:
        self.running = running
        for widget in (self.area_radio, self.rows_radio, self.all_btn, self.none_btn,
                       self.create_check, self.hazard_combo, self.assign_check,
                       self.surveyor_combo, self.close_btn):
            widget.setEnabled(not running)
        self.rows_radio.setEnabled(not running and bool(self.selected))
        self.stop_btn.setEnabled(running)
        self.run_btn.setEnabled(False)
        self.area_list.setEnabled(not running and not self.rows_radio.isChecked())

    def reject(self) -> None:
        if not self.running:  # each chunk commits; the run's outcome must be seen
            super().reject()

    def done(self, result: int) -> None:  # every way of closing: no recount after it
        self.plan_timer.stop()
        super().done(result)
