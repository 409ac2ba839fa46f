"""サーバと同期: the server's address and the surveyor's account, a 今すぐ同期 button, the
progress (records, photos, bytes) and the last result. Sync itself runs in the background
(SyncController) and goes on after the dialog is closed."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from survey_app.i18n import tr
from survey_app.services.settings import AppSettings
from survey_app.ui.sync_controller import SyncController, progress_text

MIN_WIDTH = 520


class SyncDialog(QDialog):
    def __init__(self, controller: SyncController, settings: AppSettings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.settings = settings
        self.setWindowTitle(tr("ui.sync.title"))
        # Wide enough for a whole server address (https://saigai.example.lg.jp:8443) and the
        # result sentences, which otherwise wrap into a tall narrow column.
        self.setMinimumWidth(max(MIN_WIDTH, self.fontMetrics().averageCharWidth() * 60))
        self.server_edit = QLineEdit(settings.sync_server, placeholderText="https://…")
        self.user_edit = QLineEdit(settings.sync_user)
        self.password_edit = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.sync_button = QPushButton(tr("ui.sync.now"))
        self.progress_bar = QProgressBar()
        self.progress_label = QLabel(wordWrap=True)
        self.result_label = QLabel(wordWrap=True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("ui.common.close"))
        form = QFormLayout()
        form.addRow(tr("ui.sync.server"), self.server_edit)
        form.addRow(tr("ui.sync.user"), self.user_edit)
        form.addRow(tr("ui.sync.password"), self.password_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        for widget in (self.sync_button, self.progress_bar, self.progress_label,
                       self.result_label, buttons):
            layout.addWidget(widget)
        buttons.rejected.connect(self.reject)
        self.sync_button.clicked.connect(self.start)
        controller.progress.connect(self.show_progress)
        controller.finished.connect(self.show_result)
        if controller.last is not None:
            self.show_result(controller.last)

    def start(self) -> None:
        server, user = self.server_edit.text().strip(), self.user_edit.text().strip()
        if not server.startswith(("http://", "https://")) or not user:
            self.result_label.setText(tr("ui.sync.need_server"))
            return
        self.settings.sync_server, self.settings.sync_user = server, user
        if self.controller.running and not self.password_edit.text():
            self.controller.sync_now()  # already signed in: just sync again
        else:
            self.controller.start(server, user, self.password_edit.text())
        self.password_edit.clear()  # kept by the running engine only, never saved
        self.result_label.setText(tr("ui.sync.started"))

    def show_progress(self, p) -> None:  # a services.sync SyncProgress
        done, total = p.records_done + p.photos_done, p.records_total + p.photos_total
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done if total else 0)
        self.progress_label.setText(progress_text(p))

    def show_result(self, report) -> None:  # a services.sync SyncReport
        self.result_label.setText(report.message)
        if report.ok:
            self.progress_bar.setValue(self.progress_bar.maximum())
