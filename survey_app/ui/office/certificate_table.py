"""The issuance register as a table model: one row per register entry, thousands of rows
without one widget item per cell."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from survey_app.i18n import tr

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("number", "kind", "household", "damaged_address", "issued_on", "validity", "printed")


class CertificateTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.entries: list[dict] = []
        self._headers = [tr("office.ui_batch.col_number"), tr("office.ui_batch.col_kind"),
                         tr("office.ui_batch.col_household"), tr("office.ui_batch.col_damaged"),
                         tr("office.ui_batch.col_issued_on"), tr("office.ui_batch.col_validity"),
                         tr("office.ui_batch.col_printed")]
        self._kinds = {"risai": tr("office.ui_batch.kind_risai"),
                       "hisai": tr("office.ui_batch.kind_hisai")}
        self._validity = {"valid": tr("office.ui.validity_valid"),
                          "voided": tr("office.ui.validity_voided"),
                          "superseded": tr("office.ui.validity_superseded")}
        self._printed = {"allocated": tr("office.ui_batch.not_printed"),
                         "printed": tr("office.print_status_printed")}

    def set_entries(self, entries: list[dict]) -> None:
        self.beginResetModel()
        self.entries = entries
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> str | None:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> str | None:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole,
                                               Qt.ItemDataRole.ToolTipRole):
            return None
        entry = self.entries[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return entry["pdf_path"] if column == "printed" else None
        return self._text(entry, column)

    def _text(self, entry: dict, column: str) -> str:
        payload = entry["payload"]
        values = {
            "number": entry["number_text"],
            "kind": self._kinds.get(entry["kind"], entry["kind"]),
            "household": payload.get("household_name", ""),
            "damaged_address": payload.get("damaged_address", ""),
            "issued_on": entry["issued_on"],
            "validity": self._validity.get(entry["validity"], entry["validity"]),
            "printed": self._printed.get(entry["print_status"], entry["print_status"]),
        }
        return values[column]
