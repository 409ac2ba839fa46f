"""The counter's certificate dialog: find an application, issue, reissue, void, request a
re-survey, and see the home's history. All work runs on the ops lanes (never on the GUI
thread); every rule and message comes from the office services.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from survey_app.i18n import tr
from survey_app.services.office import OfficeError, register_of
from survey_app.services.office_applications import search_applications
from survey_app.services.office_issuing import (
    issue_certificate,
    reissue_certificate,
    void_certificate,
)
from survey_app.services.office_resurvey import history, request_resurvey
from survey_app.ui.ops import Ops

COLUMNS = ("application_no", "applicant_name", "damaged_address", "certificate")


def details(ws, application_id: str) -> dict:
    """What the dialog shows for one application (runs on a worker)."""
    application = ws.store.applications.get(application_id)
    certificates = register_of(ws).for_application(application_id)
    valid = [c for c in certificates if c["validity"] == "valid"]
    events = history(ws, application["building_id"]) if application["building_id"] else []
    return {"application": application, "certificates": certificates,
            "valid": valid[-1] if valid else None, "events": events}


def details_text(info: dict) -> str:
    a = info["application"]
    lines = [tr("office.ui.detail_head", no=a["application_no"], name=a["applicant_name"]),
             tr("office.ui.detail_addresses", household=a["household_address"],
                damaged=a["damaged_address"]), ""]
    for c in info["certificates"]:
        lines.append(tr("office.ui.detail_certificate", number=c["number_text"],
                        grade=c["grade"] or "—", validity=tr(f"office.ui.validity_{c['validity']}"),
                        path=c["pdf_path"] or tr("office.print_status_allocated")))
    if info["events"]:
        lines += ["", tr("office.ui.history")]
        lines += [f"{e.at[:10]}  {e.title}  {e.detail}" for e in info["events"]]
    return "\n".join(lines)


class CertificateDialog(QDialog):
    def __init__(self, ops: Ops, disaster_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops, self.disaster_id = ops, disaster_id
        self.rows: list[dict] = []
        self.info: dict | None = None
        # Asks for a reason; returns None when cancelled (tests replace it).
        self.ask_text: Callable[[str], str | None] = self._ask_text
        self.setWindowTitle(tr("office.ui.title"))
        self.resize(1000, 620)
        self._build()
        self._enable()

    def _build(self) -> None:
        self.search = QLineEdit(placeholderText=tr("office.ui.search_hint"))
        self.search.returnPressed.connect(self.run_search)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([tr(f"office.ui.col_{c}") for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.itemSelectionChanged.connect(self._selected)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(
            COLUMNS.index("damaged_address"), QHeaderView.ResizeMode.Stretch)
        self.detail = QPlainTextEdit(readOnly=True)
        self.status = QLabel(wordWrap=True)
        self.buttons = {name: QPushButton(tr(f"office.ui.button_{name}"))
                        for name in ("issue", "hisai", "reissue", "void", "resurvey", "close")}
        for name, slot in (("issue", self.issue), ("hisai", self.issue_hisai),
                           ("reissue", self.reissue), ("void", self.void),
                           ("resurvey", self.resurvey), ("close", self.accept)):
            self.buttons[name].clicked.connect(slot)
        body = QHBoxLayout()
        body.addWidget(self.table, 3)
        body.addWidget(self.detail, 2)
        row = QHBoxLayout()
        for button in self.buttons.values():
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addLayout(body, 1)
        layout.addWidget(self.status)
        layout.addLayout(row)

    # -- searching and showing -----------------------------------------------------------

    def run_search(self, *, announce: bool = True) -> None:
        text, did = self.search.text(), self.disaster_id
        self.ops.read(lambda ws: [(a, register_of(ws).for_application(a["id"]))
                                  for a in search_applications(ws, did, text)],
                      success=lambda found: self._fill(found, announce), failure=self._failed,
                      owner=self)

    def _fill(self, found: list[tuple[dict, list[dict]]], announce: bool = True) -> None:
        current = self.info["application"]["id"] if self.info else None
        self.rows = [a for a, _ in found]
        self.table.setRowCount(len(found))
        for r, (a, certs) in enumerate(found):
            valid = [c["number_text"] for c in certs if c["validity"] == "valid"]
            values = (a["application_no"], a["applicant_name"], a["damaged_address"],
                      ", ".join(valid) or "—")
            for col, value in enumerate(values):
                self.table.setItem(r, col, QTableWidgetItem(value))
        if announce:
            self._say(tr("office.ui.found", count=len(found)))
        ids = [a["id"] for a in self.rows]
        if found:
            self.table.blockSignals(True)
            self.table.selectRow(ids.index(current) if current in ids else 0)
            self.table.blockSignals(False)
        self._selected()  # reload the details even when the same row stays selected

    def _selected(self) -> None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        if len(rows) != 1:
            self.info = None
            self._enable()
            return
        app_id = self.rows[rows.pop()]["id"]
        self.ops.read(lambda ws: details(ws, app_id), success=self._show, owner=self)

    def _show(self, info: dict) -> None:
        self.info = info
        self.detail.setPlainText(details_text(info))
        self._enable()

    def _enable(self) -> None:
        has_app = self.info is not None
        valid = bool(self.info and self.info["valid"])
        for name in ("issue", "hisai"):
            self.buttons[name].setEnabled(has_app and not valid)
        for name in ("reissue", "void", "resurvey"):
            self.buttons[name].setEnabled(valid)

    # -- actions -------------------------------------------------------------------------

    def issue(self) -> None:
        app_id = self.info["application"]["id"]
        self._write(lambda ws: issue_certificate(ws, app_id), "issued")

    def issue_hisai(self) -> None:
        app_id = self.info["application"]["id"]
        self._write(lambda ws: issue_certificate(ws, app_id, kind="hisai"), "issued")

    def reissue(self) -> None:
        reason, entry_id = self.ask_text(tr("office.ui.ask_reissue")), self.info["valid"]["id"]
        if reason:
            self._write(lambda ws: reissue_certificate(ws, entry_id, reason=reason), "issued")

    def void(self) -> None:
        reason, entry_id = self.ask_text(tr("office.ui.ask_void")), self.info["valid"]["id"]
        if reason:
            self._write(lambda ws: void_certificate(ws, entry_id, reason=reason), "voided")

    def resurvey(self) -> None:
        reason, entry_id = self.ask_text(tr("office.ui.ask_resurvey")), self.info["valid"]["id"]
        if reason:
            self._write(lambda ws: request_resurvey(ws, entry_id, reason=reason), "requested")

    def _write(self, op, done: str) -> None:
        self._say(tr("office.ui.working"))

        def success(result) -> None:
            entry = getattr(result, "entry", None)
            self._say(tr(f"office.ui.done_{done}", number=entry["number_text"] if entry else "",
                         path=getattr(result, "pdf_path", None) or "—",
                         warnings=" ".join(getattr(result, "warnings", []) or [])))
            self.run_search(announce=False)

        self.ops.write(op, success=success, failure=self._failed, owner=self)

    def _say(self, message: str, *, error: bool = False) -> None:
        self.status.setText(message)
        self.status.setStyleSheet("color: #b00020" if error else "")

    def _failed(self, error: BaseException) -> None:
        self._say(str(error) if isinstance(error, OfficeError)
                  else tr("office.ui.unexpected", error=error), error=True)

    def _ask_text(self, label: str) -> str | None:
        text, ok = QInputDialog.getText(self, tr("office.ui.title"), label)
        return text.strip() if ok and text.strip() else None
