"""Location from a GNSS receiver, fed from an NMEA log file through Qt Positioning."""

from __future__ import annotations

from functools import reduce

from tests.ui.conftest import open_survey, wait_idle

LAT, LON, HDOP = 38.2601, 140.8822, 0.9


def _sentence(body: str) -> str:
    checksum = reduce(lambda acc, ch: acc ^ ord(ch), body, 0)
    return f"${body}*{checksum:02X}"


def _ddmm(value: float, degree_digits: int) -> str:
    degrees = int(value)
    minutes = (value - degrees) * 60
    return f"{degrees:0{degree_digits}d}{minutes:07.4f}"


def nmea_log(path, epochs: int = 3):
    lines = []
    for second in range(epochs):
        t = f"0130{second:02d}.00"
        lat, lon = _ddmm(LAT, 2), _ddmm(LON, 3)
        lines.append(_sentence(f"GPGGA,{t},{lat},N,{lon},E,1,09,{HDOP},42.0,M,39.0,M,,"))
        lines.append(_sentence(f"GPRMC,{t},A,{lat},N,{lon},E,0.0,0.0,261126,,,A"))
    path.write_text("\r\n".join(lines) + "\r\n", encoding="ascii")
    return path


def test_a_fix_from_an_nmea_log_has_position_and_accuracy(qtbot, tmp_path):
    from survey_app.ui.dialogs.gnss_dialog import UERE_M, GnssDialog

    dialog = GnssDialog()
    qtbot.addWidget(dialog)
    assert not dialog.use_btn.isEnabled()
    assert dialog.open_log(nmea_log(tmp_path / "receiver.nmea"))
    qtbot.waitUntil(lambda: dialog.fix is not None, timeout=10000)
    lat, lon, accuracy = dialog.fix
    assert abs(lat - LAT) < 1e-6 and abs(lon - LON) < 1e-6
    assert abs(accuracy - 2 * HDOP * UERE_M) < 0.01  # Qt reports the 95 % radius: 2×HDOP×UERE
    assert dialog.use_btn.isEnabled()
    assert "測位できました" in dialog.status_label.text()


def test_an_unreadable_log_is_reported(qtbot, tmp_path):
    from survey_app.ui.dialogs.gnss_dialog import GnssDialog

    dialog = GnssDialog()
    qtbot.addWidget(dialog)
    assert not dialog.open_log(tmp_path / "missing.nmea")
    assert dialog.status_label.text().startswith("開けませんでした")


def test_the_fix_becomes_the_homes_location_with_source_gnss(check_ws, qtbot, window, tmp_path):
    open_survey(qtbot, window, 1)
    window.map_panel.gnss_btn.click()
    dialog = window.gnss_dialog
    dialog.open_log(nmea_log(tmp_path / "receiver.nmea"))
    qtbot.waitUntil(lambda: dialog.fix is not None, timeout=10000)
    with qtbot.waitSignal(window.map_panel.location_saved, timeout=10000):
        dialog.use_btn.click()
    wait_idle(qtbot, window.ops)
    building = check_ws().store.buildings.get(
        window.survey_panel.session.building["id"])
    assert building["location_source"] == "gnss"
    assert abs(building["lat"] - LAT) < 1e-6
    assert abs(building["location_accuracy_m"] - 9.0) < 0.01
    assert "GNSS 受信機" in window.map_panel.location_label.text()
