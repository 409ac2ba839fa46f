"""他の端末の変更を取り込む: a sync pull brought a new version of the survey while the surveyor's
draft was open. A clean merge is applied at once; when both sides changed a field differently,
this dialog lists those fields (the form's labels, the value before, 自分の値, 他の端末の値) and the
surveyor chooses per field, by mouse or keyboard (Tab from field to field, arrows between the
two values, Alt+O / Alt+T for all of one side). Nothing is chosen for them.

`RebaseFlow` runs the whole exchange on the write lane and says, when done, what to tell the
surveyor after the form reloads."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from survey_app.i18n import tr
from survey_app.services import fieldwork_rebase as rb
from survey_app.services.errors import user_message
from survey_app.services.fieldwork_labels import display_value, field_label
from survey_app.ui.ops import Ops

VALUE_WIDTH = 330  # px: longer values (remarks) are cut in the row, the tooltip has them whole
CHOICE_IDS = {"ours": 0, "theirs": 1}


def _shown(widget: QLabel | QRadioButton, text: str) -> None:
    widget.setText(widget.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight,
                                                   VALUE_WIDTH))
    widget.setToolTip(text)


class RebaseDialog(QDialog):
    def __init__(self, outcome: rb.RebaseOutcome, form: dict,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.outcome, self.form = outcome, form
        self.groups: dict[str, QButtonGroup] = {}
        self.setWindowTitle(tr("fieldwork.rebase_title"))
        intro = QLabel(tr("fieldwork.rebase_intro", count=len(outcome.conflicts)) + "\n"
                       + tr("fieldwork.rebase_keys"))
        intro.setWordWrap(True)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = self._table()
        scroll.setWidget(body)
        # Wide enough for every column (values are cut at VALUE_WIDTH); scrolls past ~12 rows.
        hint = body.sizeHint()
        self.resize(min(hint.width() + 48, 1280), min(hint.height() + 150, 640))
        self.status_label = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.status_label)
        layout.addLayout(self._buttons())
        self._update()
        first = next(iter(self.groups.values()), None)
        if first is not None:
            first.buttons()[0].setFocus()

    def _table(self) -> QWidget:
        body = QWidget()
        grid = QGridLayout(body)
        for col, key in enumerate(("field", "base", "ours", "theirs")):
            head = QLabel(tr(f"fieldwork.rebase_col_{key}"))
            head.setStyleSheet("font-weight: bold;")
            grid.addWidget(head, 0, col)
        for row, conflict in enumerate(self.outcome.conflicts, start=1):
            name = QLabel(field_label(self.form, conflict.path))
            name.setToolTip(conflict.path)
            name.setWordWrap(True)
            base = self._value_label(conflict.path, conflict.base)
            group = QButtonGroup(self)
            for choice, value in (("ours", conflict.ours), ("theirs", conflict.theirs)):
                button = QRadioButton()
                _shown(button, display_value(self.form, conflict.path, value))
                group.addButton(button, CHOICE_IDS[choice])
                grid.addWidget(button, row, 2 + CHOICE_IDS[choice])
            group.idClicked.connect(self._update)
            self.groups[conflict.path] = group
            grid.addWidget(name, row, 0)
            grid.addWidget(base, row, 1)
        grid.setVerticalSpacing(12)
        grid.setColumnMinimumWidth(0, 170)
        for col, stretch in enumerate((2, 2, 3, 3)):
            grid.setColumnStretch(col, stretch)
        grid.setRowStretch(len(self.outcome.conflicts) + 1, 1)  # rows stay at the top
        return body

    def _value_label(self, path: str, value: object) -> QLabel:
        label = QLabel()
        label.setStyleSheet("color: #555;")
        _shown(label, display_value(self.form, path, value))
        return label

    def _buttons(self) -> QHBoxLayout:
        self.all_ours = QPushButton(tr("fieldwork.rebase_all_ours"))
        self.all_theirs = QPushButton(tr("fieldwork.rebase_all_theirs"))
        self.apply_button = QPushButton(tr("fieldwork.rebase_apply"))
        self.cancel_button = QPushButton(tr("fieldwork.rebase_cancel"))
        self.apply_button.setDefault(True)
        self.all_ours.clicked.connect(lambda: self.choose_all("ours"))
        self.all_theirs.clicked.connect(lambda: self.choose_all("theirs"))
        self.apply_button.clicked.connect(self.accept)
        self.cancel_button.clicked.connect(self.reject)
        row = QHBoxLayout()
        for button in (self.all_ours, self.all_theirs):
            button.setAutoDefault(False)
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.apply_button)
        row.addWidget(self.cancel_button)
        return row

    def choose(self, path: str, choice: str) -> None:
        self.groups[path].button(CHOICE_IDS[choice]).setChecked(True)
        self._update()

    def choose_all(self, choice: str) -> None:
        for path in self.groups:
            self.choose(path, choice)

    def choices(self) -> dict[str, str]:
        names = {v: k for k, v in CHOICE_IDS.items()}
        return {path: names[g.checkedId()] for path, g in self.groups.items()
                if g.checkedId() in names}

    def _update(self, *_: object) -> None:
        left = len(self.groups) - len(self.choices())
        self.apply_button.setEnabled(left == 0)
        self.status_label.setText(tr("fieldwork.rebase_remaining", count=left) if left
                                  else tr("fieldwork.rebase_ready"))


class RebaseFlow(QObject):
    """Merge on the write lane; ask with RebaseDialog when needed. Emits `finished` with the
    message for the reloaded form, or `failed` (the draft is then as it was)."""

    finished = Signal(str)
    failed = Signal(str)

    def __init__(self, ops: Ops, survey_id: str, form: dict, parent: QWidget) -> None:
        super().__init__(parent)
        self.ops, self.survey_id, self.form, self.window = ops, survey_id, form, parent
        self.dialog: RebaseDialog | None = None

    def start(self) -> None:
        sid = self.survey_id
        self.ops.write(lambda ws: rb.rebase_draft(ws, sid), owner=self,
                       success=self._on_outcome, failure=self._on_failure)

    def _on_outcome(self, outcome: rb.RebaseOutcome) -> None:
        if outcome.status != "conflicts":
            self.finished.emit(self.notice(outcome))
            return
        self.dialog = RebaseDialog(outcome, self.form, self.window)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.accepted.connect(lambda: self._apply(outcome.token))
        self.dialog.rejected.connect(lambda: self.failed.emit(tr("fieldwork.rebase_cancelled")))
        self.dialog.open()

    def _apply(self, token: str) -> None:
        sid, choices = self.survey_id, self.dialog.choices()
        self.ops.write(lambda ws: rb.apply_choices(ws, sid, choices, token=token), owner=self,
                       success=lambda o: self.finished.emit(self.notice(o)),
                       failure=self._on_failure)

    def _on_failure(self, error: BaseException) -> None:
        reason = str(error) if isinstance(error, rb.RebaseError) else user_message(error)
        self.failed.emit(tr("fieldwork.rebase_failed", reason=reason))

    def notice(self, outcome: rb.RebaseOutcome) -> str:
        if outcome.status == "no_draft":
            return tr("fieldwork.rebase_no_draft")
        if outcome.status == "current":
            return tr("fieldwork.rebase_current")
        paths = [c.path for c in outcome.taken]
        count = len(rb.field_labels(self.form, paths))
        text = (tr("fieldwork.rebase_merged", count=count,
                   fields=rb.describe_fields(self.form, paths))
                if paths else tr("fieldwork.rebase_merged_none"))
        if outcome.kept:
            text += " " + tr("fieldwork.rebase_kept",
                             fields=rb.describe_fields(self.form, outcome.kept))
        return text
