"""Migrations for the registers part of the store (registered on the same migration set, after core).

Append new migrations at the end; never edit one that has shipped.
"""

from __future__ import annotations

from survey_app.store.schema import migrations, run_script  # noqa: F401
