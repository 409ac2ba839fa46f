"""The components grid: one row per 部位, one column per damage degree, cells are area shares (%).

Built for the keyboard: typing a digit starts editing a cell, Tab and Enter move on, and Tab at
the end of a row goes to the next row. Row totals, the points each component scores and any
message about the row ("面積率の合計が100%を超えています") sit at the end of the row.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from survey_app.i18n import tr
from survey_app.ui.widgets.form_fields import ERROR_STYLE, format_number, label_of, parse_number

DEGREES: tuple[Any, ...] = (0, "I", "II", "III", "IV", "V")
_TOTAL, _POINTS, _MESSAGE = len(DEGREES), len(DEGREES) + 1, len(DEGREES) + 2
_READ_ONLY = Qt.ItemFlag.ItemIsEnabled
MIN_SECTION = 40  # px: "100" and its cell margins, and the check column's first words


# How tightly row titles wrap, tried in turn until the columns fit: one line, then titles
# wider than 1.5× (1.25×, 1×) their weight ("(weight 10)") wrapped onto lines that wide.
_TITLE_LIMITS = (None, 1.5, 1.25, 1.0)
_TITLE_PADDING = 14  # px around a vertical header's text


def _row_title(component: dict, metrics: QFontMetrics, factor: float | None) -> str:
    one_line = component_title(component)
    weight = tr("ui.form.component_weight", weight=component["weight"])
    limit = int(metrics.horizontalAdvance(weight) * (factor or 0))
    if factor is None or metrics.horizontalAdvance(one_line) <= limit:
        return one_line
    return f"{_wrapped(label_of(component), limit, metrics)}\n{weight}"


def _title_width(titles: list[str], metrics: QFontMetrics) -> int:
    return max((metrics.horizontalAdvance(line) for t in titles for line in t.split("\n")),
               default=0) + _TITLE_PADDING


def _wrapped(text: str, width: int, metrics: QFontMetrics) -> str:
    """Words on lines of at most `width` px ("Doors, windows and fittings" on two lines);
    a title without spaces (Japanese) stays on one line."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and metrics.horizontalAdvance(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "\n".join(lines)


def _two_lines(text: str) -> str:
    """A header of several words on two lines ("Degree III" → "Degree" over "III")."""
    return "\n".join(text.split(" ", 1))


def component_title(component: dict) -> str:
    return tr("ui.form.component_title", label=label_of(component), weight=component["weight"])


class ComponentGrid(QTableWidget):
    changed = Signal()

    def __init__(self, components: list[dict], parent: QWidget | None = None) -> None:
        super().__init__(len(components), len(DEGREES) + 3, parent)
        self.codes = [c["code"] for c in components]
        self.titles = {c["code"]: label_of(c) for c in components}
        self._kept: dict[str, dict] = {}  # unit tallies, which this grid cannot show
        # Every column stays in view in a form ~500 px wide: multi-word headers ("Degree III")
        # and long row titles go on two lines; on one line the English pushed Points and Check
        # out of sight.
        degrees = [tr(f"ui.form.degree_{d}") for d in DEGREES]
        self.setHorizontalHeaderLabels([_two_lines(h) for h in degrees]
                                       + [tr("ui.form.total"), tr("ui.form.points"),
                                          tr("ui.form.check")])
        for column, text in enumerate(degrees):
            self.horizontalHeaderItem(column).setToolTip(text)
        metrics = self.verticalHeader().fontMetrics()
        self._title_sets = [[_row_title(c, metrics, f) for c in components]
                            for f in _TITLE_LIMITS]
        self._titles_shown = self._title_sets[0]
        self.setVerticalHeaderLabels(self._titles_shown)
        for row in range(len(components)):
            for column in (_TOTAL, _POINTS, _MESSAGE):
                item = QTableWidgetItem("")
                item.setFlags(_READ_ONLY)
                self.setItem(row, column, item)
        self.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(True)
        header = self.horizontalHeader()
        for column in range(len(DEGREES) + 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(_MESSAGE, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(MIN_SECTION)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Still too narrow (a small screen, a wide judgement pane): scroll sideways rather
        # than hide the points and the check; the bar's height is then part of the size.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.horizontalScrollBar().rangeChanged.connect(lambda *_: self.updateGeometry())
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.itemChanged.connect(self._on_item_changed)

    def sizeHint(self) -> QSize:  # noqa: N802
        # Tall enough for every row: the grid sits in a scrolling form, never scrolls itself.
        rows = sum(self.rowHeight(r) for r in range(self.rowCount()))
        height = self.horizontalHeader().sizeHint().height() + rows + 2 * self.frameWidth()
        bar = self.horizontalScrollBar()
        if bar.maximum() > 0:
            height += bar.sizeHint().height()
        return QSize(super().sizeHint().width(), height)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.sizeHint()

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802
        super().resizeEvent(event)
        self._fit_titles()

    def _fit_titles(self) -> None:
        """The least wrapped row titles that leave every column in view: one line when there
        is room, wrapped tighter when there is not; beyond that the grid scrolls sideways."""
        header = self.horizontalHeader()
        columns = sum(header.sectionSize(c) for c in range(_MESSAGE)) + MIN_SECTION
        room = self.width() - 2 * self.frameWidth() - columns
        metrics = self.verticalHeader().fontMetrics()
        titles = next((s for s in self._title_sets if _title_width(s, metrics) <= room),
                      self._title_sets[-1])
        if titles != self._titles_shown:
            self._titles_shown = titles
            self.setVerticalHeaderLabels(titles)
            self.resizeRowsToContents()
            self.updateGeometry()

    def moveCursor(self, action, modifiers) -> QModelIndex:  # noqa: N802
        """Tab past the last degree goes to the next row's first cell (and back with Shift+Tab)."""
        current = self.currentIndex()
        last = len(DEGREES) - 1
        if action == QAbstractItemView.CursorAction.MoveNext and current.column() >= last:
            return self.model().index(min(current.row() + 1, self.rowCount() - 1), 0)
        if action == QAbstractItemView.CursorAction.MovePrevious and current.column() == 0:
            return self.model().index(max(current.row() - 1, 0), last)
        return super().moveCursor(action, modifiers)

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() < len(DEGREES):
            self._update_total(item.row())
            self.changed.emit()

    def _update_total(self, row: int) -> None:
        values = [self._cell(row, c) for c in range(len(DEGREES))]
        total = sum(v for v in values if isinstance(v, int | float))
        self.blockSignals(True)
        self.item(row, _TOTAL).setText(f"{format_number(total)}%" if total else "")
        self.blockSignals(False)

    def _cell(self, row: int, column: int) -> Any:
        item = self.item(row, column)
        return parse_number(item.text()) if item is not None else None

    def set_share(self, code: str, degree: Any, value: Any) -> None:
        row, column = self.codes.index(code), DEGREES.index(degree)
        item = self.item(row, column)
        if item is None:
            self.setItem(row, column, QTableWidgetItem(format_number(value)))
        else:
            item.setText(format_number(value))

    def value(self) -> dict[str, dict]:
        out = dict(self._kept)
        for row, code in enumerate(self.codes):
            rows = [{"degree": degree, "area_percent": value}
                    for column, degree in enumerate(DEGREES)
                    if (value := self._cell(row, column)) is not None]
            if rows:
                out[code] = {"degrees": rows}
        return out

    def set_value(self, components: dict[str, dict]) -> None:
        self.blockSignals(True)
        self._kept = {}
        for row, code in enumerate(self.codes):
            entry = components.get(code) or {}
            if "total_units" in entry:
                self._kept[code] = entry
            shares = {r.get("degree"): r.get("area_percent") for r in entry.get("degrees", [])}
            for column, degree in enumerate(DEGREES):
                text = format_number(shares.get(degree))
                if self.item(row, column) is None:
                    self.setItem(row, column, QTableWidgetItem(text))
                else:
                    self.item(row, column).setText(text)
            self._update_total(row)
        self.blockSignals(False)

    def show_scores(self, scores: dict[str, int]) -> None:
        self.blockSignals(True)
        for row, code in enumerate(self.codes):
            points = scores.get(code)
            self.item(row, _POINTS).setText("" if points is None else
                                            tr("ui.form.points_value", points=points))
        self.blockSignals(False)

    def show_errors(self, messages: dict[str, str]) -> None:
        self.blockSignals(True)
        for row, code in enumerate(self.codes):
            message = messages.get(code, "")
            item = self.item(row, _MESSAGE)
            item.setText(message)
            item.setToolTip(message)
            item.setForeground(QBrush(QColor("#c62828")))
        self.blockSignals(False)
        self.resizeRowsToContents()  # a long message wraps onto more lines, next to its row
        self.updateGeometry()


class LengthComponents(QWidget):
    """基礎 and other length-measured components: damaged length and perimeter (m)."""

    changed = Signal()

    def __init__(self, components: list[dict], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.codes = [c["code"] for c in components]
        self.edits: dict[str, tuple[QLineEdit, QLineEdit]] = {}
        self.points_labels: dict[str, QLabel] = {}
        self.error_labels: dict[str, QLabel] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for row, component in enumerate(components):
            code = component["code"]
            damaged, perimeter = QLineEdit(), QLineEdit()
            for edit in (damaged, perimeter):
                edit.setMaximumWidth(90)
                edit.textChanged.connect(self.changed)
            self.edits[code] = (damaged, perimeter)
            self.points_labels[code] = QLabel()
            self.error_labels[code] = QLabel()
            self.error_labels[code].setStyleSheet(ERROR_STYLE)
            cells = (QLabel(component_title(component)), QLabel(tr("ui.form.damaged_length")),
                     damaged, QLabel(tr("ui.form.perimeter")), perimeter,
                     self.points_labels[code], self.error_labels[code])
            for column, widget in enumerate(cells):
                grid.addWidget(widget, row, column)
        grid.setColumnStretch(6, 1)

    def value(self) -> dict[str, dict]:
        out = {}
        for code, (damaged, perimeter) in self.edits.items():
            d, p = parse_number(damaged.text()), parse_number(perimeter.text())
            if d is not None or p is not None:
                out[code] = {"damaged_length_m": d, "perimeter_m": p}
        return out

    def set_value(self, components: dict[str, dict]) -> None:
        for code, (damaged, perimeter) in self.edits.items():
            entry = components.get(code) or {}
            damaged.setText(format_number(entry.get("damaged_length_m")))
            perimeter.setText(format_number(entry.get("perimeter_m")))

    def show_scores(self, scores: dict[str, int]) -> None:
        for code, label in self.points_labels.items():
            points = scores.get(code)
            label.setText("" if points is None else tr("ui.form.points_value", points=points))

    def show_errors(self, messages: dict[str, str]) -> None:
        for code, label in self.error_labels.items():
            label.setText(messages.get(code, ""))
