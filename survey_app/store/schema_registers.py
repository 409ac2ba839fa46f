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


# What exports read of a version, parsed once when the version is written (versions never
# change). Reading the JSON at export time cost more than the rest of a 200,000-row export.
# Malformed JSON gives empty facts instead of failing the version's insert.
_FACTS_SELECT = """
    {src}.id, {src}.survey_id, {src}.version_no, {src}.created_at,
    CASE WHEN NOT json_valid({src}.observations) THEN ''
         WHEN CAST(json_extract({src}.observations, '$.flood.depth_above_floor_cm') AS REAL) > 0
              THEN 'above'
         WHEN json_extract({src}.observations, '$.flood.below_floor_only') = 1 THEN 'below'
         ELSE '' END,
    CASE WHEN json_valid({src}.observations)
         THEN json_extract({src}.observations, '$.flood.depth_above_floor_cm') END,
    CASE WHEN json_valid({src}.observations)
         THEN coalesce(json_extract({src}.observations, '$.remarks'), '') ELSE '' END"""
_FACTS = f"""
CREATE TABLE version_facts (
    version_id TEXT PRIMARY KEY,
    survey_id TEXT NOT NULL,
    version_no INTEGER NOT NULL,
    judged_at TEXT NOT NULL,
    flood TEXT NOT NULL DEFAULT '',
    flood_depth_cm NUMERIC,
    remarks TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE TRIGGER version_facts_insert AFTER INSERT ON survey_versions
BEGIN
    INSERT OR REPLACE INTO version_facts
        (version_id, survey_id, version_no, judged_at, flood, flood_depth_cm, remarks)
    SELECT {_FACTS_SELECT.format(src="new")};
END;
INSERT INTO version_facts
    (version_id, survey_id, version_no, judged_at, flood, flood_depth_cm, remarks)
SELECT {_FACTS_SELECT.format(src="sv")} FROM survey_versions sv;
"""


@migrations()
def m301_registers_version_facts(db: Database) -> None:
    run_script(db, _FACTS)
