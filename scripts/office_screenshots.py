"""Regenerate the office shots in docs/screenshots/, offscreen: office_application.png,
office_batch_print.png, resurvey_request.png, certificate_dialog.png, dashboard_window.png.

    .venv/bin/python scripts/office_screenshots.py [OUT_DIR] [--lang ja|en]

Builds a small demo town in a temporary folder, types an application for a home already on
file into the application dialog (so the possible duplicate is shown), prints a dozen
certificates through the batch print dialog, fills in the re-survey request form for one
household, takes another through the re-survey chain up to the reissue (certificate → request →
2nd survey judged) and shows it in the certificate dialog, where 再交付 now says it will print
the 2nd survey's grade and complete the request; then opens the dashboard tab of the main window.
"""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path

from shots import Shots, close_ops, demo_home, output_dir

ACTOR = "窓口 デモ"


def _application(shots: Shots, ops, did: str, on_file: dict) -> None:
    from survey_app.ui.office.application_dialog import ApplicationDialog

    dialog = ApplicationDialog(ops, did)
    dialog.confirm = lambda warnings: False  # leave the warning on screen
    dialog.show()
    shots.wait(lambda: dialog.cause_edit.text() != "")
    surname = on_file["applicant_name"].split()[0]
    dialog.name_edit.setText(f"{surname} 健一")
    dialog.kana_edit.setText("けんいち")
    dialog.household_edit.setText(on_file["damaged_address"])
    dialog.same_checkbox.setChecked(True)
    for row, (given, relation, born) in enumerate((("健一", "世帯主", "昭和52年6月3日"),
                                                  ("由美", "妻", "1980-11-21"),
                                                  ("陽向", "子", "平成27年4月9日"))):
        dialog.set_member(row, f"{surname} {given}", relation, born)
    dialog.contact_edit.setText("090-2345-6789（避難先: 町総合体育館）")
    dialog.method_combo.setCurrentIndex(dialog.method_combo.findData("現地調査"))
    dialog.save()
    shots.wait(lambda: dialog.save_button.isEnabled() and ops.pending == 0)
    shots.save(dialog, "office_application.png")


def _batch(shots: Shots, ops, did: str, tmp: Path) -> None:
    from survey_app.ui.office.batch_print_dialog import BatchPrintDialog

    dialog = BatchPrintDialog(ops, did)
    dialog.show()
    dialog.filter_combo.setCurrentIndex(1)  # すべて
    shots.wait(lambda: ops.pending == 0 and dialog.model.rowCount() > 0)
    dialog.table.selectRow(0)
    selection = dialog.table.selectionModel()
    for row in range(1, min(12, dialog.model.rowCount())):
        selection.select(dialog.model.index(row, 0),
                         selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
    dialog.output_path = tmp / "印刷" / "罹災証明書_一括.pdf"
    dialog.print_selected()
    shots.wait(lambda: dialog.last_outcome is not None and ops.pending == 0)
    shots.save(dialog, "office_batch_print.png")


DISPUTABLE = ("SELECT c.id, a.applicant_name FROM certificates c JOIN applications a"
              " ON a.id = c.application_id JOIN surveys s ON s.id = c.survey_id"
              " WHERE c.kind = 'risai' AND c.validity = 'valid' AND s.stage = 'first'"
              " AND s.hazard = 'earthquake' AND s.grade_code IN ('hankai', 'junhankai')"
              " ORDER BY c.rowid LIMIT 2")


def disputable(home: Path) -> list[dict]:
    """Two households with a valid 1st-survey certificate (半壊 or 準半壊) to dispute."""
    from survey_app.services.workspace import Workspace

    ws = Workspace(home, actor=ACTOR)
    try:
        return list(ws.store.db.query(DISPUTABLE))
    finally:
        ws.close()


def resurvey_chain(home: Path, entry: dict) -> str:
    """One household disputes its 1st-survey certificate: the request assigns a 2nd survey and
    the surveyor completes it; the reissue is left to the clerk. Returns the applicant's name."""
    from survey_app.services import fieldwork as fw
    from survey_app.services.demo_data import earthquake_observations
    from survey_app.services.office_resurvey import request_resurvey
    from survey_app.services.workspace import Workspace

    ws = Workspace(home, actor=ACTOR)
    try:
        request = request_resurvey(ws, entry["id"], reason="内部の損傷が調査されていない",
                                   surveyor="益城町第2班")
        ws.actor = "益城町第2班"
        session = fw.open_for_editing(ws, request["new_survey_id"])
        fw.complete_survey(ws, session, _heavier(session, fw, earthquake_observations))
        return entry["applicant_name"]
    finally:
        ws.close()


def _resurvey_form(shots: Shots, home: Path, entry: dict) -> None:
    """The 再調査申請 form for a household's certificate, filled in as the clerk would."""
    from survey_app.services.office_resurvey import resurvey_form
    from survey_app.services.workspace import Workspace
    from survey_app.ui.office.resurvey_dialog import ResurveyRequestDialog

    ws = Workspace(home, actor=ACTOR)
    try:
        form = resurvey_form(ws, entry["id"])
    finally:
        ws.close()
    dialog = ResurveyRequestDialog(form)
    dialog.reason_edit.setPlainText("屋根の被害（瓦のずれ・雨漏り）と内部の損傷が調査されていない")
    dialog.surveyor_combo.setEditText("益城町第2班")
    dialog.show()
    shots.save(dialog, "resurvey_request.png")
    dialog.close()


def _heavier(session, fw, make) -> dict:
    """2nd-survey observations (interior entry) that find more damage than the 1st did, as
    when a household disputes its grade with reason."""
    occurred = session.disaster["occurred_on"][:10]
    for seed in range(200):
        obs = {**session.observations, **make(random.Random(seed), occurred, stage="second")}
        judged = fw.judge_live(session.rulebook, obs).judgement
        if judged is not None and judged.grade_code in ("chukibo", "daikibo"):
            return obs
    raise RuntimeError("no demo observations reach 中規模半壊")


def _certificates(shots: Shots, ops, did: str, name: str) -> None:
    from survey_app.ui.office.certificate_dialog import CertificateDialog

    dialog = CertificateDialog(ops, did)
    dialog.resize(1180, 640)
    dialog.show()
    dialog.search.setText(name)
    dialog.run_search()
    shots.wait(lambda: dialog.info is not None and ops.pending == 0)
    assert dialog.info["plan"].request is not None  # 再交付 will complete the request
    shots.save(dialog, "certificate_dialog.png")


def _dashboard(shots: Shots, ops, did: str) -> None:
    from survey_app.services.settings import AppSettings
    from survey_app.ui.main_window import MainWindow

    window = MainWindow(ops, AppSettings(disaster_id=did))
    window.resize(1440, 880)
    window.show()
    shots.wait(lambda: window.list_model.rowCount() > 0 and ops.pending == 0)
    window.tabs.setCurrentWidget(window.dashboard_tab)
    shots.wait(lambda: bool(window.dashboard_tab.charts) and ops.pending == 0)
    shots.save(window, "dashboard_window.png", settle=1.0)
    window.close()


def main(out_dir: Path) -> int:
    shots = Shots(out_dir)
    from survey_app.ui.ops import Ops

    with tempfile.TemporaryDirectory() as tmp:
        home, did = demo_home(Path(tmp), buildings=60)
        from survey_app.services.workspace import Workspace

        ws = Workspace(home)
        on_file = next(iter(ws.store.db.query(
            "SELECT * FROM applications WHERE disaster_id = ? ORDER BY application_no LIMIT 1",
            [did])))
        ws.close()
        chained, other = disputable(home)
        name = resurvey_chain(home, chained)
        _resurvey_form(shots, home, other)
        ops = Ops(home, actor=ACTOR)
        try:
            _application(shots, ops, did, on_file)
            _batch(shots, ops, did, Path(tmp))
            _certificates(shots, ops, did, name)
            _dashboard(shots, ops, did)
        finally:
            close_ops(shots, ops)
    return 0


if __name__ == "__main__":
    sys.exit(main(output_dir(sys.argv[1:], __doc__)))
