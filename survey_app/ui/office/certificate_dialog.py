"""The counter's certificate dialog: find an application, issue, reissue, void, request a
re-survey (with the surveyor who goes again), and see the home's history with each request's
id and state. Before a reissue it says which survey's grade will be printed, and warns when the
newest survey is not judged yet. All work runs on the ops lanes (never on the GUI thread);
every rule and message comes from the office services.
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
    void_certificate,
)
from survey_app.services.office_resurvey import (
    ReissuePlan,
    history,
    open_request,
    reissue_latest,
    reissue_plan,
    request_resurvey,
    resurvey_form,
)
from survey_app.ui.office.resurvey_dialog import ResurveyRequestDialog
from survey_app.ui.ops import Ops

COLUMNS = ("application_no", "applicant_name", "damaged_address", "certificate")


def details(ws, application_id: str) -> dict:
    """What the dialog shows for one application (runs on a worker)."""
    application = ws.store.applications.get(application_id)
    certificates = register_of(ws).for_application(application_id)
    valid = [c for c in certificates if c["validity"] == "valid"]
    events = history(ws, application["building_id"]) if application["building_id"] else []
    current = valid[-1] if valid else None
    return {"application": application, "certificates": certificates, "valid": current,
            "events": events, "plan": reissue_plan(ws, current["id"]) if current else None,
            "open_request": open_request(ws, current["id"]) if current else None}


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
        # Ask the clerk; None when cancelled (tests replace them, or drive the real form).
        self.ask_text: Callable[[str, str], str | None] = self._ask_text
        self.ask_resurvey: Callable[[dict], dict | None] = self._ask_resurvey
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
        self.plan_label = QLabel(wordWrap=True)
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
        layout.addWidget(self.plan_label)
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
        self._show_plan(info["plan"])
        self._enable()

    def _show_plan(self, plan: ReissuePlan | None) -> None:
        """The grade a reissue would print, in red with the warning when the newest survey of
        the chain is still open: the clerk sees it before pressing 再交付."""
        if plan is None:
            self.plan_label.clear()
            return
        text = tr("office.ui.plan", plan=plan.text)
        self.plan_label.setText(f"{text}\n{plan.warning}" if plan.warning else text)
        self.plan_label.setStyleSheet("color: #b00020" if plan.warning else "")

    def _enable(self) -> None:
        has_app = self.info is not None
        valid = self.info["valid"] if self.info else None
        for name in ("issue", "hisai"):
            self.buttons[name].setEnabled(has_app and not valid)
        for name in ("reissue", "void"):
            self.buttons[name].setEnabled(bool(valid))
        disputable = bool(valid and valid["kind"] == "risai" and valid["survey_id"])
        pending = bool(self.info and self.info["open_request"])
        self.buttons["resurvey"].setEnabled(disputable and not pending)
        self.buttons["resurvey"].setToolTip(tr("office.ui.resurvey_pending") if pending else "")

    # -- actions -------------------------------------------------------------------------

    def issue(self) -> None:
        app_id = self.info["application"]["id"]
        self._write(lambda ws: issue_certificate(ws, app_id), _issued)

    def issue_hisai(self) -> None:
        app_id = self.info["application"]["id"]
        self._write(lambda ws: issue_certificate(ws, app_id, kind="hisai"), _issued)

    def reissue(self) -> None:
        """Plan first (a fresh read), say it, ask why, then reissue exactly as said."""
        entry_id = self.info["valid"]["id"]
        self.ops.read(lambda ws: reissue_plan(ws, entry_id), owner=self, failure=self._failed,
                      success=lambda plan: self._reissue_as(plan, entry_id))

    def _reissue_as(self, plan: ReissuePlan, entry_id: str) -> None:
        self._show_plan(plan)
        label = "\n\n".join(t for t in (plan.text, plan.warning, tr("office.ui.ask_reissue")) if t)
        reason = self.ask_text(label, tr("office.reissue_reason_resurvey") if plan.request else "")
        if not reason:
            return
        survey_id = plan.survey_id
        grade = plan.survey["grade_code"] if plan.survey else None
        self._write(lambda ws: reissue_latest(ws, entry_id, reason=reason,
                                              expect_survey_id=survey_id, expect_grade=grade),
                    _reissued)

    def void(self) -> None:
        reason, entry_id = self.ask_text(tr("office.ui.ask_void"), ""), self.info["valid"]["id"]
        if reason:
            self._write(lambda ws: void_certificate(ws, entry_id, reason=reason),
                        lambda r: tr("office.ui.done_voided", number=r.entry["number_text"]))

    def resurvey(self) -> None:
        entry_id = self.info["valid"]["id"]
        self.ops.read(lambda ws: resurvey_form(ws, entry_id), owner=self, failure=self._failed,
                      success=lambda form: self._request_resurvey(form, entry_id))

    def _request_resurvey(self, form: dict, entry_id: str) -> None:
        values = self.ask_resurvey(form)
        if values:
            self._write(lambda ws: _requested(ws, entry_id, values), _requested_message)

    def _write(self, op, message: Callable[[object], str]) -> None:
        self._say(tr("office.ui.working"))

        def success(result) -> None:
            self._say(message(result))
            self.run_search(announce=False)

        self.ops.write(op, success=success, failure=self._failed, owner=self)

    def _say(self, message: str, *, error: bool = False) -> None:
        self.status.setText(message)
        self.status.setStyleSheet("color: #b00020" if error else "")

    def _failed(self, error: BaseException) -> None:
        self._say(str(error) if isinstance(error, OfficeError)
                  else tr("office.ui.unexpected", error=error), error=True)

    def _ask_text(self, label: str, default: str = "") -> str | None:
        text, ok = QInputDialog.getText(self, tr("office.ui.title"), label, text=default)
        return text.strip() if ok and text.strip() else None

    def _ask_resurvey(self, form: dict) -> dict | None:
        dialog = ResurveyRequestDialog(form, self)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None


def _issued(outcome) -> str:
    return tr("office.ui.done_issued", number=outcome.entry["number_text"],
              path=outcome.pdf_path or "—", warnings=" ".join(outcome.warnings or []))


def _reissued(outcome) -> str:
    return tr("office.ui.done_reissued", number=outcome.entry["number_text"],
              grade=outcome.entry["grade"] or "—", path=outcome.pdf_path or "—",
              warnings=" ".join(outcome.warnings or []))


def _requested(ws, entry_id: str, values: dict) -> dict:
    """Record the request (runs on the writer); returns it with the survey it created."""
    request = request_resurvey(ws, entry_id, reason=values["reason"],
                               surveyor=values["surveyor"], requested_on=values["requested_on"])
    return {"request": request, "survey": ws.store.surveys.get(request["new_survey_id"])}


def _requested_message(done: dict) -> str:
    survey = done["survey"]
    key = "office.ui.done_requested_to" if survey["surveyor"] else "office.ui.done_requested_open"
    return tr(key, id=done["request"]["id"], stage=tr(f"office.stage_{survey['stage']}"),
              surveyor=survey["surveyor"])
