"""Migrations for the list's search (registered on the same migration set, after the others).

Append new migrations at the end; never edit one that has shipped.
"""

from __future__ import annotations

from sqlite_utils import Database

from survey_app.store import search_blocks
from survey_app.store.schema import migrations, run_script


@migrations()
def m400_search_blocks(db: Database) -> None:
    run_script(db, search_blocks.SCHEMA)
    search_blocks.rebuild_all(db)
