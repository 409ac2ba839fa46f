"""A coarse character index that lets a 1–2 character search skip most of the address order.

Trigram full-text search cannot look up fewer than three characters, so such a search walks the
address index with LIKE. When the matches sit late in address order (「荒」 in a town that sorts
near the end) that walk reads most of the disaster's surveys: about 35 ms at 200,000, on every
first keystroke. Here each disaster's address order is cut into blocks of about BLOCK_ROWS
surveys, and each block keeps the set of characters its surveys' address and names contain; a
search walks only the blocks that hold every character it asks for.

The sets only ever err on the side of too many characters, so a search never misses a row: a
trigger marks a block dirty when a survey is added to it or renamed, a dirty block is always
walked, and the writer rebuilds dirty blocks when its transaction ends (Store.atomic).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

BLOCK_ROWS = 512

SCHEMA = """
CREATE TABLE search_blocks (
    disaster_id TEXT NOT NULL,
    lo TEXT NOT NULL,           -- the block's first address; a disaster's first block has ''
    chars TEXT NOT NULL,        -- every character (ASCII lower-cased) in its rows' text
    dirty INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (disaster_id, lo)
) WITHOUT ROWID;
CREATE INDEX search_blocks_dirty ON search_blocks(disaster_id) WHERE dirty = 1;
-- Disasters with surveys but no blocks yet: searched by walking everything until built.
CREATE TABLE search_unblocked (disaster_id TEXT PRIMARY KEY);
CREATE TRIGGER search_blocks_insert AFTER INSERT ON surveys BEGIN {mark} END;
CREATE TRIGGER search_blocks_update
AFTER UPDATE OF address, applicant, applicant_kana, disaster_id ON surveys BEGIN {mark} END;
""".format(mark="""
    UPDATE search_blocks SET dirty = 1 WHERE disaster_id = new.disaster_id AND lo = (
        SELECT max(lo) FROM search_blocks WHERE disaster_id = new.disaster_id
        AND lo <= new.address);
    INSERT OR IGNORE INTO search_unblocked (disaster_id) SELECT new.disaster_id
    WHERE NOT EXISTS (SELECT 1 FROM search_blocks WHERE disaster_id = new.disaster_id);
""")

Range = tuple[str, str | None]  # [lo, hi) in address order; hi None: to the end


def fold(text: str) -> str:
    """LIKE ignores ASCII case only; folding both sides the same way keeps the sets supersets."""
    return text.lower()


def candidate_ranges(db: Database, disaster_id: str, terms: Iterable[str]) -> list[Range] | None:
    """Address ranges that may hold a row containing every term; None when the disaster has
    no blocks yet (search everything)."""
    if db.execute("SELECT 1 FROM search_unblocked WHERE disaster_id = ?",
                  [disaster_id]).fetchone():
        return None
    blocks = db.execute("SELECT lo, chars, dirty FROM search_blocks WHERE disaster_id = ?"
                        " ORDER BY lo", [disaster_id]).fetchall()
    if not blocks:
        return None
    needed = set(fold("".join(terms)))
    ranges: list[Range] = []
    start = None
    for lo, chars, dirty in blocks:
        wanted = dirty or all(ch in chars for ch in needed)
        if wanted and start is None:
            start = lo
        elif not wanted and start is not None:
            ranges.append((start, lo))
            start = None
    if start is not None:
        ranges.append((start, None))
    return ranges


def range_clause(rng: Range) -> tuple[str, list]:
    lo, hi = rng
    if hi is None:
        return "s.address >= ?", [lo]
    return "s.address >= ? AND s.address < ?", [lo, hi]


def refresh(db: Database) -> None:
    """Rebuild what changed: whole disasters without blocks, then each dirty block. Runs inside
    the writer's transaction, so readers never see half a rebuild."""
    for (disaster_id,) in db.execute("SELECT disaster_id FROM search_unblocked").fetchall():
        db.execute("DELETE FROM search_blocks WHERE disaster_id = ?", [disaster_id])
        _rebuild(db, disaster_id, ("", None))
        db.execute("DELETE FROM search_unblocked WHERE disaster_id = ?", [disaster_id])
    dirty = db.execute("SELECT disaster_id, lo FROM search_blocks WHERE dirty = 1").fetchall()
    for disaster_id, lo in dirty:
        hi = db.execute("SELECT min(lo) FROM search_blocks WHERE disaster_id = ? AND lo > ?",
                        [disaster_id, lo]).fetchone()[0]
        db.execute("DELETE FROM search_blocks WHERE disaster_id = ? AND lo = ?",
                   [disaster_id, lo])
        _rebuild(db, disaster_id, (lo, hi))


def needs_refresh(db: Database) -> bool:
    return bool(db.execute(
        "SELECT EXISTS (SELECT 1 FROM search_unblocked)"
        " OR EXISTS (SELECT 1 FROM search_blocks WHERE dirty = 1)").fetchone()[0])


def rebuild_all(db: Database) -> None:
    """Every disaster from scratch (the migration that introduces the index)."""
    db.execute("DELETE FROM search_blocks")
    db.execute("INSERT OR IGNORE INTO search_unblocked (disaster_id)"
               " SELECT DISTINCT disaster_id FROM surveys")
    refresh(db)


def _rebuild(db: Database, disaster_id: str, rng: Range) -> None:
    where, params = range_clause(rng)
    rows = db.execute(
        f"SELECT s.address, s.applicant, s.applicant_kana FROM surveys s"
        f" INDEXED BY idx_surveys_address WHERE s.disaster_id = ? AND {where}"
        " ORDER BY s.address", [disaster_id, *params])
    db.conn.executemany(
        "INSERT INTO search_blocks (disaster_id, lo, chars) VALUES (?, ?, ?)",
        ((disaster_id, lo, chars) for lo, chars in _blocks(rows, rng[0])))


def _blocks(rows: Iterable[tuple[str, str, str]], first_lo: str):
    """Cut at an address change once a block has BLOCK_ROWS rows, so one address never spans
    two blocks and a block is fully described by its first address."""
    lo, seen, count, previous = first_lo, set(), 0, None
    for address, applicant, kana in rows:
        if count >= BLOCK_ROWS and address != previous:
            yield lo, "".join(sorted(seen))
            lo, seen, count = address, set(), 0
        seen.update(fold(f"{address}{applicant}{kana}"))
        count += 1
        previous = address
    yield lo, "".join(sorted(seen))
