"""The layout every dialog shares: parts stacked top to bottom, and a row of buttons at the
foot with the main ones on the right."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLayout, QVBoxLayout, QWidget

Part = QWidget | QLayout | tuple[QWidget | QLayout, int]


def button_row(*buttons: QWidget, leading: tuple[QWidget, ...] = ()) -> QHBoxLayout:
    """`leading` widgets on the left, `buttons` on the right."""
    row = QHBoxLayout()
    for widget in leading:
        row.addWidget(widget)
    row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    return row


def stack(parent: QWidget, *parts: Part) -> QVBoxLayout:
    """`parent`'s layout: the parts top to bottom; (part, stretch) for one that grows."""
    layout = QVBoxLayout(parent)
    for part in parts:
        item, stretch = part if isinstance(part, tuple) else (part, 0)
        if isinstance(item, QLayout):
            layout.addLayout(item, stretch)
        else:
            layout.addWidget(item, stretch)
    return layout
