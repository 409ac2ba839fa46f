"""Reading the position from a GNSS receiver (NMEA over a serial port, e.g. a USB GPS mouse) or
from an NMEA log file, through Qt Positioning. The surveyor takes the fix when it is good enough.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFile, QIODevice
from PySide6.QtPositioning import QGeoPositionInfo, QNmeaPositionInfoSource
from PySide6.QtSerialPort import QSerialPort, QSerialPortInfo
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from survey_app.i18n import tr

BAUD_RATES = (4800, 9600, 19200, 38400, 57600, 115200)
# User-equivalent range error of a consumer receiver; Qt turns it into the 95 % horizontal
# accuracy as 2 × HDOP × UERE.
UERE_M = 5.0


class GnssDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("ui.gnss.title"))
        self.fix: tuple[float, float, float | None] | None = None
        self.source: QNmeaPositionInfoSource | None = None
        self.device: QIODevice | None = None
        self.port_combo = QComboBox()
        for info in QSerialPortInfo.availablePorts():
            self.port_combo.addItem(f"{info.portName()} {info.description()}".strip(),
                                    info.portName())
        self.baud_combo = QComboBox()
        self.baud_label = QLabel(tr("ui.gnss.baud"))
        self.baud_label.setBuddy(self.baud_combo)
        self.baud_combo.setToolTip(tr("ui.gnss.baud_hint"))
        for rate in BAUD_RATES:
            self.baud_combo.addItem(str(rate), rate)
        self.baud_combo.setCurrentIndex(BAUD_RATES.index(9600))
        self.connect_btn = QPushButton(tr("ui.gnss.connect"))
        self.log_btn = QPushButton(tr("ui.gnss.open_log"))
        self.status_label = QLabel(tr("ui.gnss.idle"))
        self.status_label.setWordWrap(True)
        self.position_label = QLabel("—")
        self.buttons = QDialogButtonBox()
        self.use_btn = self.buttons.addButton(tr("ui.gnss.use"),
                                              QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_btn = self.buttons.addButton(tr("ui.common.cancel"),
                                                 QDialogButtonBox.ButtonRole.RejectRole)
        self.use_btn.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.connect_btn.clicked.connect(self._connect_serial)
        self.log_btn.clicked.connect(self._choose_log)
        self.connect_btn.setEnabled(self.port_combo.count() > 0)
        self._layout()

    def _layout(self) -> None:
        form = QFormLayout()
        port_row = QHBoxLayout()
        port_row.addWidget(self.port_combo, 1)
        port_row.addWidget(self.baud_label)
        port_row.addWidget(self.baud_combo)
        port_row.addWidget(self.connect_btn)
        form.addRow(tr("ui.gnss.port"), port_row)
        form.addRow(tr("ui.gnss.log"), self.log_btn)
        form.addRow(tr("ui.gnss.status"), self.status_label)
        form.addRow(tr("ui.gnss.position"), self.position_label)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def _connect_serial(self) -> None:
        port = QSerialPort(self.port_combo.currentData(), self)
        port.setBaudRate(int(self.baud_combo.currentData()))
        if not port.open(QIODevice.OpenModeFlag.ReadOnly):
            self.status_label.setText(tr("ui.gnss.open_failed", reason=port.errorString()))
            return
        self._start(port, QNmeaPositionInfoSource.UpdateMode.RealTimeMode)

    def _choose_log(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, tr("ui.gnss.open_log"), "",
                                              tr("ui.gnss.log_filter"))
        if name:
            self.open_log(Path(name))

    def open_log(self, path: Path) -> bool:
        """Replay an NMEA log (sentences paced by their own time stamps)."""
        log_file = QFile(str(path), self)
        if not log_file.open(QIODevice.OpenModeFlag.ReadOnly):
            self.status_label.setText(tr("ui.gnss.open_failed", reason=log_file.errorString()))
            return False
        self._start(log_file, QNmeaPositionInfoSource.UpdateMode.SimulationMode)
        return True

    def _start(self, device: QIODevice, mode: QNmeaPositionInfoSource.UpdateMode) -> None:
        self.stop()
        self.device = device
        self.source = QNmeaPositionInfoSource(mode, self)
        self.source.setUserEquivalentRangeError(UERE_M)
        self.source.setDevice(device)
        self.source.positionUpdated.connect(self._on_position)
        self.source.errorOccurred.connect(self._on_error)
        self.status_label.setText(tr("ui.gnss.waiting"))  # before: a log may fix at once
        self.source.startUpdates()

    def _on_position(self, info: QGeoPositionInfo) -> None:
        coord = info.coordinate()
        if not coord.isValid():
            return
        attribute = QGeoPositionInfo.Attribute.HorizontalAccuracy
        accuracy = info.attribute(attribute) if info.hasAttribute(attribute) else None
        self.fix = (coord.latitude(), coord.longitude(), accuracy)
        text = f"{coord.latitude():.6f}, {coord.longitude():.6f}"
        if accuracy is not None:
            text += " " + tr("ui.location.accuracy", metres=f"{accuracy:.0f}")
        self.position_label.setText(text)
        self.status_label.setText(tr("ui.gnss.fixed"))
        self.use_btn.setEnabled(True)

    def _on_error(self, error) -> None:
        if error != QNmeaPositionInfoSource.Error.NoError:
            self.status_label.setText(tr("ui.gnss.error", reason=str(error.name)))

    def stop(self) -> None:
        if self.source is not None:
            self.source.stopUpdates()
            self.source.deleteLater()
            self.source = None
        if self.device is not None:
            self.device.close()
            self.device = None

    def done(self, result: int) -> None:
        self.stop()
        super().done(result)
