"""The server's schema, for SQLite and PostgreSQL alike, changed only by appending migrations.

The DDL is written once; `{blob}` becomes BLOB or BYTEA. Each migration runs in its own
transaction and is recorded in server_migrations; on PostgreSQL an advisory lock keeps two
servers starting at once from applying the same migration twice.
"""

from __future__ import annotations

from survey_app.server.db import Conn, Database
from survey_app.store.ids import now_iso

_M001 = """
CREATE TABLE municipalities (
    code TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL
);
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    municipality_code TEXT NOT NULL REFERENCES municipalities(code),
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
CREATE TABLE tokens (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at DOUBLE PRECISION NOT NULL
);
CREATE TABLE login_failures (key TEXT NOT NULL, at DOUBLE PRECISION NOT NULL);
CREATE INDEX idx_login_failures ON login_failures(key, at);
CREATE TABLE rev_counters (municipality_code TEXT PRIMARY KEY, rev BIGINT NOT NULL);
CREATE TABLE changes (
    municipality_code TEXT NOT NULL,
    rev BIGINT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    building_id TEXT,
    origin TEXT NOT NULL DEFAULT '',
    op TEXT NOT NULL,
    is_first INTEGER NOT NULL,
    PRIMARY KEY (municipality_code, rev)
);
CREATE INDEX idx_changes_entity ON changes(municipality_code, entity, entity_id);
CREATE INDEX idx_changes_building ON changes(municipality_code, building_id);
CREATE TABLE disasters (
    id TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL REFERENCES municipalities(code),
    name TEXT NOT NULL, hazard TEXT NOT NULL, occurred_on TEXT NOT NULL,
    municipality_name TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE buildings (
    id TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    disaster_id TEXT NOT NULL REFERENCES disasters(id),
    fields TEXT NOT NULL,
    fields_hash TEXT NOT NULL,
    first_fields TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX idx_buildings_muni ON buildings(municipality_code);
CREATE TABLE assignments (
    building_id TEXT NOT NULL REFERENCES buildings(id),
    username TEXT NOT NULL,
    PRIMARY KEY (building_id, username)
);
CREATE INDEX idx_assignments_user ON assignments(username, building_id);
CREATE TABLE surveys (
    id TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    building_id TEXT NOT NULL REFERENCES buildings(id),
    disaster_id TEXT NOT NULL,
    stage TEXT NOT NULL, hazard TEXT NOT NULL, surveyor TEXT NOT NULL DEFAULT '',
    previous_survey_id TEXT,
    status TEXT NOT NULL DEFAULT 'unsurveyed',
    head_version_id TEXT,
    identity_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX idx_surveys_building ON surveys(building_id);
CREATE INDEX idx_surveys_muni ON surveys(municipality_code);
CREATE TABLE survey_versions (
    id TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    survey_id TEXT NOT NULL REFERENCES surveys(id),
    base_version_id TEXT,
    observations TEXT NOT NULL,
    judgement TEXT NOT NULL,
    explanation TEXT NOT NULL,
    form_hash TEXT,
    author TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    photos TEXT NOT NULL DEFAULT '[]',
    state TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE INDEX idx_versions_survey ON survey_versions(survey_id);
CREATE INDEX idx_versions_muni ON survey_versions(municipality_code);
CREATE TABLE blobs (sha256 TEXT PRIMARY KEY, size BIGINT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE blob_owners (
    sha256 TEXT NOT NULL REFERENCES blobs(sha256),
    municipality_code TEXT NOT NULL,
    PRIMARY KEY (sha256, municipality_code)
);
CREATE TABLE photos (
    municipality_code TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    meta TEXT NOT NULL,
    thumbnail {blob},
    PRIMARY KEY (municipality_code, sha256)
);
CREATE TABLE photo_links (
    survey_id TEXT NOT NULL REFERENCES surveys(id),
    sha256 TEXT NOT NULL,
    municipality_code TEXT NOT NULL,
    tag TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0,
    added_at TEXT NOT NULL,
    PRIMARY KEY (survey_id, sha256)
);
CREATE INDEX idx_links_muni ON photo_links(municipality_code);
CREATE TABLE conflicts (
    id TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    survey_id TEXT,
    building_id TEXT,
    base_version_id TEXT,
    ours_version_id TEXT,
    theirs_version_id TEXT,
    fields TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    resolution_version_id TEXT,
    resolved_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    resolved_at TEXT
);
CREATE INDEX idx_conflicts_muni ON conflicts(municipality_code, status);
CREATE TABLE uploads (
    id TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    user_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    chunk_size INTEGER NOT NULL,
    committed INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    UNIQUE (municipality_code, sha256)
);
CREATE TABLE upload_chunks (
    upload_id TEXT NOT NULL REFERENCES uploads(id) ON DELETE CASCADE,
    n INTEGER NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (upload_id, n)
);
"""

# Accounts lent from other municipalities (応援職員): the last day they may sign in (an ISO
# date, NULL = no end) and a free note of where they come from.
_M002 = """
ALTER TABLE users ADD COLUMN valid_until TEXT;
ALTER TABLE users ADD COLUMN home_municipality TEXT NOT NULL DEFAULT '';
CREATE INDEX idx_tokens_user ON tokens(user_id)
"""

MIGRATIONS: list[tuple[str, str]] = [
    ("m001_server_core", _M001),
    ("m002_user_expiry", _M002),
]


def _statements(script: str, dialect: str) -> list[str]:
    text = script.replace("{blob}", "BLOB" if dialect == "sqlite" else "BYTEA")
    return [s.strip() for s in text.split(";") if s.strip()]


def apply_migrations(db: Database) -> list[str]:
    """Apply pending migrations; returns their names."""
    applied: list[str] = []
    with db.write() as conn:
        _lock(conn)
        conn.execute("CREATE TABLE IF NOT EXISTS server_migrations"
                     " (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for name, script in MIGRATIONS:
        with db.write() as conn:
            _lock(conn)
            if conn.one("SELECT name FROM server_migrations WHERE name = ?", (name,)):
                continue
            for statement in _statements(script, db.dialect):
                conn.execute(statement)
            conn.execute("INSERT INTO server_migrations (name, applied_at) VALUES (?, ?)",
                         (name, now_iso()))
            applied.append(name)
    return applied


def _lock(conn: Conn) -> None:
    if conn.dialect == "postgresql":
        conn.execute("SELECT pg_advisory_xact_lock(4242001)")
