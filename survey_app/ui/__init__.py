"""The only layer that imports PySide6."""
