"""Migrations for the registers part of the store (registered on the same migration set, after core).

Append new migrations at the end; never edit one that has shipped.

Register imports (家屋課税台帳 / 住民基本台帳 extracts) keep their own tables, so the core
`buildings` table stays as the field app defines it:
- `register_imports`: one row per import run (file digest, mapping, counts), for the audit trail.
- `register_buildings`: the natural key of each imported building row (家屋番号, or address key
  plus owner) → the building it created or matched; `row_hash` makes a re-import a no-op.
- `register_residents`: persons from the resident register, linked to a building by address.
"""

from __future__ import annotations

from sqlite_utils import Database

from survey_app.store.schema import migrations, run_script

_REGISTERS = """
CREATE TABLE register_imports (
    id TEXT PRIMARY KEY,
    disaster_id TEXT NOT NULL REFERENCES disasters(id),
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    mapping TEXT NOT NULL,
    rows_read INTEGER NOT NULL DEFAULT 0,
    rows_added INTEGER NOT NULL DEFAULT 0,
    rows_updated INTEGER NOT NULL DEFAULT 0,
    rows_unchanged INTEGER NOT NULL DEFAULT 0,
    rows_bad INTEGER NOT NULL DEFAULT 0,
    actor TEXT NOT NULL DEFAULT '',
    imported_at TEXT NOT NULL
);
CREATE TABLE register_buildings (
    disaster_id TEXT NOT NULL REFERENCES disasters(id),
    natural_key TEXT NOT NULL,
    building_id TEXT NOT NULL REFERENCES buildings(id),
    kaoku_no TEXT NOT NULL DEFAULT '',
    use_class TEXT NOT NULL DEFAULT 'dwelling',
    floor_area REAL,
    row_hash TEXT NOT NULL,
    import_id TEXT REFERENCES register_imports(id),
    PRIMARY KEY (disaster_id, natural_key)
);
CREATE INDEX idx_register_buildings_building ON register_buildings(building_id);
CREATE TABLE register_residents (
    disaster_id TEXT NOT NULL REFERENCES disasters(id),
    natural_key TEXT NOT NULL,
    household_no TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    kana TEXT NOT NULL DEFAULT '',
    birth_date TEXT NOT NULL DEFAULT '',
    sex TEXT NOT NULL DEFAULT '',
    relation TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL,
    address_key TEXT NOT NULL,
    building_id TEXT REFERENCES buildings(id),
    row_hash TEXT NOT NULL,
    import_id TEXT REFERENCES register_imports(id),
    PRIMARY KEY (disaster_id, natural_key)
);
CREATE INDEX idx_register_residents_building ON register_residents(building_id);
CREATE INDEX idx_register_residents_address ON register_residents(disaster_id, address_key);
"""


@migrations()
def m300_registers_imports(db: Database) -> None:
    run_script(db, _REGISTERS)
