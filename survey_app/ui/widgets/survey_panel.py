"""The survey tab: the open home's header, its generated form, the live judgement, and the
buttons to complete it or see earlier versions.

Every change is judged at once (the engine is pure and takes well under a millisecond) and
autosaved as the draft 300 ms after the typing pauses, on the write lane. Opening and completing
also run on the write lane, so they always see the latest autosave.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from survey_app.i18n import tr
from survey_app.services import fieldwork as fw
from survey_app.ui.ops import Ops
from survey_app.ui.widgets.judgement_view import JudgementView
from survey_app.ui.widgets.survey_form import SurveyForm
from survey_app.ui.widgets.survey_list import status_label

AUTOSAVE_MS = 300


def _applicants(ws, building_id: str) -> list[str]:  # noqa: ANN001 - a Workspace
    """Who applied for this home's certificate (withdrawn or duplicate applications left out,
    as the exports count them)."""
    from survey_app.exports.source import EXCLUDED_APPLICATION_STATUSES

    names = [a["applicant_name"] for a in ws.store.applications.for_building(building_id)
             if a["status"] not in EXCLUDED_APPLICATION_STATUSES]
    return list(dict.fromkeys(n for n in names if n))


class SurveyPanel(QWidget):
    opened = Signal(dict, dict)  # survey, building
    saved = Signal(str)  # survey id, after each autosave
    completed = Signal(str)
    judged = Signal()  # the live judgement (or the issues) were shown

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.survey_id: str | None = None
        self.session: fw.EditSession | None = None
        self.form: SurveyForm | None = None
        self.last_result: fw.LiveResult | None = None
        self.rebase_flow = None  # a RebaseFlow while the other device's changes are merged
        self._notice_after_open = ""
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.save_draft_now)
        self._build()

    def _build(self) -> None:
        self.title_label = QLabel(tr("ui.form.none_open"))
        self.title_label.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.info_label = QLabel()
        self.save_label = QLabel()
        self.save_label.setStyleSheet("color: #555;")
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet("color: #c62828;")
        self.notice_label = QLabel()  # what a merge took from the other device
        self.notice_label.setWordWrap(True)
        self.notice_label.setStyleSheet("color: #1b5e20;")
        self.rebase_btn = QPushButton(tr("fieldwork.rebase_button"))
        self.rebase_btn.clicked.connect(self.rebase)
        self.rebase_btn.hide()
        self.complete_btn = QPushButton(tr("ui.form.complete"))
        self.versions_btn = QPushButton(tr("ui.form.versions"))
        self.complete_btn.clicked.connect(self.complete)
        self.versions_btn.clicked.connect(self.show_versions)
        self.form_holder = QVBoxLayout()
        self.judgement_view = JudgementView()
        holder = QWidget()
        holder.setLayout(self.form_holder)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(holder)
        splitter.addWidget(self.judgement_view)
        splitter.setSizes([620, 300])
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_label, 1)
        buttons.addWidget(self.rebase_btn)
        buttons.addWidget(self.versions_btn)
        buttons.addWidget(self.complete_btn)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.info_label)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.notice_label)
        layout.addWidget(self.message_label)
        layout.addLayout(buttons)
        self._enable(False)

    def _enable(self, on: bool) -> None:
        self.complete_btn.setEnabled(on)
        self.versions_btn.setEnabled(on)

    # -- opening -----------------------------------------------------------------------------

    def open_survey(self, survey_id: str) -> None:
        self.flush()
        self.survey_id = survey_id
        self.ops.write(lambda ws: fw.open_for_editing(ws, survey_id), owner=self,
                       success=self._on_opened, failure=self._on_open_failed)

    def _on_open_failed(self, error: BaseException) -> None:
        self.message_label.setText(tr("ui.form.open_failed", reason=str(error)))

    def _on_opened(self, session: fw.EditSession) -> None:
        if session.survey["id"] != self.survey_id:
            return
        self.session = session
        if self.form is not None:
            self.form.deleteLater()
        self.form = SurveyForm(session.form, self)
        self.form.set_observations(session.observations)
        self.form.changed.connect(self._on_changed)
        self.form_holder.addWidget(self.form)
        self._show_header(session)
        self.message_label.setText("")
        self.save_label.setText(tr("ui.form.resumed_draft") if session.from_draft else "")
        self.notice_label.setText(self._notice_after_open)
        self._notice_after_open = ""
        self._enable(True)
        stale = session.from_draft and session.stale
        self.rebase_btn.setVisible(stale)
        if stale:
            self.message_label.setText(tr("fieldwork.rebase_stale_notice"))
        self.judge()
        self.opened.emit(session.survey, session.building)

    def _show_header(self, session: fw.EditSession) -> None:
        survey, building = session.survey, session.building
        self.title_label.setText(building["address"])
        header = tr(
            "ui.form.info", owner=building.get("owner_name") or "—",
            hazard=tr(f"ui.hazard.{survey['hazard']}"), stage=tr(f"ui.stage.{survey['stage']}"),
            status=status_label(survey["status"]), versions=survey["version_count"],
            rules=session.form["rules_version"])
        self.info_label.setText(header)
        # The register's owner is not always who applies for the certificate: show both.
        survey_id, building_id = survey["id"], building["id"]
        self.ops.read(lambda ws: _applicants(ws, building_id), owner=self,
                      success=lambda names: self._show_applicants(survey_id, header, names))

    def _show_applicants(self, survey_id: str, header: str, names: list[str]) -> None:
        if names and survey_id == self.survey_id:
            self.info_label.setText(header + tr(
                "ui.form.applicants", names=tr("ui.common.separator").join(names)))

    # -- editing -----------------------------------------------------------------------------

    def _on_changed(self) -> None:
        self.judge()
        self.autosave_timer.start()

    def judge(self) -> None:
        if self.session is None or self.form is None:
            return
        result = fw.judge_live(self.session.rulebook, self.form.observations())
        self.last_result = result
        shown = [i for i in result.issues if i.code != "no_route"]
        self.form.show_issues(shown)
        if result.judgement is not None:
            judged = result.judgement.to_dict()
            self.judgement_view.show_judgement(judged)
            self.form.show_scores({c["code"]: c["points"] for c in judged["components"]})
        else:
            self.form.show_scores({})
            waiting = not shown and result.issues
            self.judgement_view.show_pending(len(shown), tr("ui.judgement.nothing_yet")
                                             if waiting else "")
        self.judged.emit()

    def save_draft_now(self) -> None:
        self.autosave_timer.stop()
        if self.session is None or self.form is None:
            return
        survey_id, observations = self.session.survey["id"], self.form.observations()
        base = self.session.base_version_id
        self.ops.write(lambda ws: fw.save_draft(ws, survey_id, observations,
                                                base_version_id=base), owner=self,
                       success=lambda _: self._on_saved(survey_id))

    def _on_saved(self, survey_id: str) -> None:
        if survey_id == self.survey_id:
            self.save_label.setText(tr("ui.form.saved_at",
                                       time=datetime.now().strftime("%H:%M:%S")))
        self.saved.emit(survey_id)

    def flush(self) -> None:
        """Save a pending edit now (switching homes, closing the window)."""
        if self.autosave_timer.isActive():
            self.save_draft_now()

    # -- completing --------------------------------------------------------------------------

    def complete(self) -> None:
        if self.session is None or self.form is None:
            return
        self.flush()
        session, observations = self.session, self.form.observations()
        self.complete_btn.setEnabled(False)
        self.ops.write(lambda ws: fw.complete_survey(ws, session, observations), owner=self,
                       success=self._on_completed, failure=self._on_complete_failed)

    def _on_completed(self, _version_id: str) -> None:
        survey_id = self.session.survey["id"]
        self.save_label.setText(tr("ui.form.completed"))
        self.completed.emit(survey_id)
        self.survey_id = None  # so that reopening reloads the new head version
        self.open_survey(survey_id)

    def _on_complete_failed(self, error: BaseException) -> None:
        self.complete_btn.setEnabled(True)
        if isinstance(error, fw.CompletionError):
            self.message_label.setText(str(error))
            self.rebase_btn.setVisible(isinstance(error, fw.StaleDraftError))
            if self.form is not None and error.issues:
                self.form.show_issues(error.issues)
        else:
            self.message_label.setText(tr("ui.form.complete_failed", reason=str(error)))

    # -- another device's version arrived under the draft ----------------------------------------

    def rebase(self) -> None:
        """Merge the new head into the draft (asking per field when both changed it), then
        reload the form with what came from the other side."""
        from survey_app.ui.dialogs.rebase_dialog import RebaseFlow

        if self.session is None or self.form is None:
            return
        self.flush()
        self.form.setEnabled(False)  # an edit now would be saved on the old base
        self._enable(False)
        self.rebase_btn.setEnabled(False)
        self.notice_label.setText(tr("fieldwork.rebase_working"))
        if self.rebase_flow is not None:
            self.rebase_flow.deleteLater()
        self.rebase_flow = RebaseFlow(self.ops, self.session.survey["id"], self.session.form,
                                      self)
        self.rebase_flow.finished.connect(self._on_rebased)
        self.rebase_flow.failed.connect(self._on_rebase_failed)
        self.rebase_flow.start()

    def _on_rebased(self, notice: str) -> None:
        survey_id = self.rebase_flow.survey_id
        self.rebase_btn.setEnabled(True)
        if survey_id != self.survey_id:
            return  # another home was opened meanwhile; the merged draft waits on disk
        self._notice_after_open = notice
        self.saved.emit(survey_id)
        self.survey_id = None  # so that reopening reloads the merged draft
        self.open_survey(survey_id)

    def _on_rebase_failed(self, message: str) -> None:
        self.rebase_btn.setEnabled(True)
        if self.rebase_flow.survey_id != self.survey_id:
            return
        self.notice_label.setText("")
        self.message_label.setText(message)
        self._enable(True)
        if self.form is not None:
            self.form.setEnabled(True)

    def show_versions(self) -> None:
        from survey_app.ui.dialogs.versions_dialog import VersionsDialog

        if self.session is not None:
            self.versions_dialog = VersionsDialog(self.ops, self.session.survey["id"], self)
            self.versions_dialog.open()
