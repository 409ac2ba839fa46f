"""Qt's own texts (standard buttons, file dialogs) follow the app's language: qtbase_ja.qm is
loaded at start-up and swapped on a language switch. Real widgets, Qt's own catalogue."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLineEdit, QMessageBox

from survey_app.i18n import current_language, set_language
from survey_app.ui.app import install_qt_translations
from tests.ui.conftest import wait_idle

Button = QMessageBox.StandardButton


@pytest.fixture
def qt_english_after(qapp):
    yield
    install_qt_translations("en")  # other tests see Qt as it starts: no translator


def _texts() -> dict[str, str]:
    box = QMessageBox()
    box.setStandardButtons(Button.Save | Button.Cancel | Button.Yes | Button.Discard)
    texts = {name: box.button(getattr(Button, name)).text()
             for name in ("Save", "Cancel", "Yes", "Discard")}
    close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    texts["Close"] = close.buttons()[0].text()
    return texts


def test_japanese_mode_shows_qt_buttons_in_japanese(qt_english_after):
    assert install_qt_translations("ja")
    texts = _texts()
    assert texts["Save"] == "保存"
    assert texts["Cancel"] == "キャンセル"
    assert texts["Close"] == "閉じる"
    assert texts["Yes"].startswith("はい")
    assert install_qt_translations("en")
    assert _texts()["Save"] == "Save"


def test_qt_file_dialog_is_japanese_too(qt_english_after, qtbot):
    install_qt_translations("ja")
    dialog = QFileDialog(options=QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    buttons = dialog.findChild(QDialogButtonBox)
    assert "キャンセル" in [b.text() for b in buttons.buttons()]
    assert dialog.findChild(QLineEdit) is not None


def test_switching_language_swaps_qt_translations(qtbot, survey_home, qt_english_after):
    from survey_app.services.settings import AppSettings
    from survey_app.ui.app import App

    before = current_language()
    set_language("ja")
    install_qt_translations("ja")
    app = App(survey_home["home"], AppSettings())
    try:
        first = app.show_window()
        assert _texts()["Save"] == "保存"
        first.language_actions["en"].trigger()  # the App deletes the window it replaces
        assert _texts()["Save"] == "Save"
        app.window.language_actions["ja"].trigger()
        qtbot.addWidget(app.window)
        assert _texts()["Save"] == "保存"
    finally:
        set_language(before)
        app.window.close()
        wait_idle(qtbot, app.ops)
        app.ops.shutdown()
