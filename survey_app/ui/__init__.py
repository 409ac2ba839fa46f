"""The only layer that imports PySide6."""

from survey_app.ui import refcount_guard

# Before any Qt call: see refcount_guard (a PySide6 6.12 bug that aborts Python 3.11).
refcount_guard.apply()
