"""The survey list: a model that loads pages of 200 rows on demand (fetchMore) on the read lane.

A new filter replaces the rows with the first page only; the total count follows as a second,
separate query. Each query has a generation number: a new filter interrupts whatever list query
is running, queued ones of an older generation are skipped, and late results are dropped, so
typing never waits for a count over 200,000 rows.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from survey_app.i18n import tr
from survey_app.store.listing import SurveyFilter
from survey_app.store.surveys import STAGES
from survey_app.ui.ops import Ops

COLUMNS = ("status", "stage", "sync", "grade", "ratio", "address", "owner", "area", "surveyor",
           "updated")
# Starting widths (px): the sync column holds "失敗: …" whose whole reason is in its tooltip.
COLUMN_WIDTHS = (100, 64, 120, 90, 60, 260, 110, 90, 80, 120)  # 100: "Not surveyed"
# Columns the store cannot sort by themselves sort by the nearest key it has (the stage
# follows the status: second surveys and re-surveys come after the first survey).
_SORT_KEYS = {"status": "status", "stage": "status", "sync": "status", "grade": "grade",
              "ratio": "grade", "address": "address", "owner": "applicant", "area": "address",
              "surveyor": "surveyor", "updated": "updated"}
_TOOLTIPS = ("status", "sync", "address", "owner")  # columns whose text is often cut off
_STATUS_COLOURS = {"unsurveyed": "#757575", "draft": "#1565c0", "completed": "#2e7d32",
                   "resurvey_requested": "#6a1b9a"}
Index = QModelIndex | QPersistentModelIndex


def status_label(status: str) -> str:
    return tr(f"ui.status.{status}") if status else ""


def grade_label(grade_code: str | None) -> str:
    return tr(f"ui.grade.{grade_code}") if grade_code else ""


class SurveyListModel(QAbstractTableModel):
    page_loaded = Signal(int)  # rows now held
    total_changed = Signal(int)

    def __init__(self, ops: Ops, *, page_size: int = 200, parent=None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.page_size = page_size
        self.filter: SurveyFilter | None = None
        self.sort_key = "address"
        self.descending = False
        self.total: int | None = None
        self._rows: list[dict] = []
        self._generation = 0
        self._loading = False
        self._exhausted = True

    # -- queries -----------------------------------------------------------------------------

    def set_filter(self, flt: SurveyFilter | None) -> None:
        self.filter = flt
        self.reload()

    def reload(self) -> None:
        self._generation += 1
        self.ops.interrupt_list()
        self.beginResetModel()
        self._rows = []
        self._exhausted = self.filter is None
        self._loading = False
        self.total = None
        self.endResetModel()
        if self.filter is not None:
            self._request_page()
            self._request_count()

    def _current(self, generation: int) -> bool:
        return generation == self._generation  # also read on the worker: a plain int

    def _request_page(self) -> None:
        flt, gen, offset = replace(self.filter), self._generation, len(self._rows)
        sort, desc, limit = self.sort_key, self.descending, self.page_size
        self._loading = True

        def page(ws):
            if not self._current(gen):
                return None
            rows = ws.store.listing.page(flt, sort=sort, descending=desc, offset=offset,
                                         limit=limit)
            return _with_sync_state(ws, rows)

        self.ops.list_query(page, success=lambda rows: self._on_page(gen, rows),
                            failure=lambda err: self._on_error(gen, err, self._request_page),
                            owner=self)

    def _request_count(self) -> None:
        flt, gen = replace(self.filter), self._generation

        def count(ws):
            return ws.store.listing.count(flt) if self._current(gen) else None

        self.ops.list_query(count, success=lambda n: self._on_count(gen, n),
                            failure=lambda err: self._on_error(gen, err, self._request_count),
                            owner=self)

    def _on_error(self, generation: int, error: BaseException, retry) -> None:
        if not self._current(generation):
            return  # interrupted on purpose: a newer filter took over
        if isinstance(error, sqlite3.OperationalError) and "interrupt" in str(error):
            retry()  # the interrupt meant for the previous query caught this one
            return
        self._loading = False
        self.ops.failed.emit(str(error))

    def _on_page(self, generation: int, rows: list[dict] | None) -> None:
        if not self._current(generation) or rows is None:
            return
        self._loading = False
        self._exhausted = len(rows) < self.page_size
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self.page_loaded.emit(len(self._rows))

    def _on_count(self, generation: int, total: int | None) -> None:
        if self._current(generation) and total is not None:
            self.total = total
            self.total_changed.emit(total)

    def refresh_survey(self, survey_id: str) -> None:
        """Re-read one row (after an autosave or completion) without reloading the list."""
        self.ops.read(lambda ws: _with_sync_state(ws, [ws.store.surveys.get(survey_id)])[0],
                      success=self._replace_row, owner=self)

    def _replace_row(self, survey: dict) -> None:
        row = self.row_of(survey["id"])
        if row is not None:
            self._rows[row] = {**self._rows[row], **survey}
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    # -- Qt model ----------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if self.canFetchMore(parent):
            self._request_page()

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(f"ui.list.col_{COLUMNS[section]}")
        return None

    def data(self, index: Index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in _TOOLTIPS:
            return _display(row, column) or None
        if role == Qt.ItemDataRole.ForegroundRole and column == "status":
            return QBrush(QColor(_STATUS_COLOURS.get(row["status"], "#000000")))
        if role == Qt.ItemDataRole.UserRole:
            return row["id"]
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self.sort_key = _SORT_KEYS[COLUMNS[column]]
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.reload()

    def survey_at(self, row: int) -> dict:
        return self._rows[row]

    def row_of(self, survey_id: str) -> int | None:
        for i, row in enumerate(self._rows):
            if row["id"] == survey_id:
                return i
        return None


def _with_sync_state(ws, rows: list[dict]) -> list[dict]:
    """Each row's sync state (下書き / 送信待ち / 同期済 / 失敗 / 競合 / 担当外), read with the
    page."""
    # Imported on the worker at first use: the sync package pulls in the HTTP client, which
    # the window does not need to appear.
    from survey_app.services.sync.state import survey_states

    states = survey_states(ws.store, [r["id"] for r in rows])
    for row in rows:
        state = states[row["id"]]
        row["sync"], row["sync_code"] = state.label, state.code
    return rows


def _display(row: dict, column: str) -> str:
    if column == "status":
        return status_label(row["status"])
    if column == "grade":
        return grade_label(row.get("grade_code"))
    if column == "stage":
        return tr(f"ui.list.stage_{row['stage']}") if row.get("stage") in STAGES else ""
    if column == "owner":  # the list's "applicant" is the register's owner name (所有者)
        return str(row.get("applicant") or "")
    if column == "ratio":
        ratio = row.get("damage_ratio")
        return "" if ratio is None else f"{ratio:.1f}%"
    if column == "updated":
        return (row.get("updated_at") or "")[:16].replace("T", " ")
    return str(row.get(column) or "")
