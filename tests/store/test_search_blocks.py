"""The character blocks behind 1–2 character searches: whatever the blocks hold, the list
returns exactly the rows (and order, and pages) that a plain walk of every survey returns."""

from __future__ import annotations

import random

import pytest

from survey_app.store import search_blocks
from survey_app.store.listing import SurveyFilter

TOWNS = ["荒井", "六丁の目", "卸町", "遠見塚", "霞目", "Ａ棟", "abc町"]
NAMES = ["佐藤", "鈴木", "髙橋", "荻野", "", "田中"]


@pytest.fixture
def small_blocks(monkeypatch):
    monkeypatch.setattr(search_blocks, "BLOCK_ROWS", 8)


def add_homes(store, disaster, n, seed=1):
    rng = random.Random(seed)
    for i in range(n):
        town = rng.choice(TOWNS)
        bid = store.buildings.add(disaster_id=disaster, address=f"宮城県{town}{i % 7 + 1}丁目{i}番",
                                  owner_name=f"{rng.choice(NAMES)} {i}", area=town)
        store.surveys.create(building_id=bid, stage="first", hazard="earthquake")


def walk_everything(store, disaster, text, descending=False):
    """The answer without blocks: the same LIKE over every survey, sorted in Python."""
    rows = store.db.execute(
        "SELECT address, applicant, applicant_kana, rowid FROM surveys WHERE disaster_id = ?",
        [disaster]).fetchall()
    terms = [_ascii_lower(t) for t in text.split()]
    hits = [r for r in rows
            if all(any(t in _ascii_lower(c or "") for c in r[:3]) for t in terms)]
    return [r[0] for r in sorted(hits, reverse=descending)]


def _ascii_lower(text):
    """SQLite's LIKE folds ASCII letters only: Ａ and ａ stay different."""
    return "".join(ch.lower() if ch.isascii() else ch for ch in text)


def listed(store, flt, **kw):
    out, offset = [], 0
    while page := store.listing.page(flt, offset=offset, limit=7, **kw):
        out += [r["address"] for r in page]
        offset += len(page)
    return out


QUERIES = ["荒", "荒井", "井", "目", "荻", "髙", "a", "A", "Ｂ", "ａ", "c町", "1", "霞 9", "%", "_荒"]


@pytest.mark.parametrize("descending", [False, True])
def test_short_searches_match_a_full_walk(store, disaster, small_blocks, descending):
    add_homes(store, disaster, 300)
    blocks = store.db.execute("SELECT count(*), sum(dirty) FROM search_blocks"
                              " WHERE disaster_id = ?", [disaster]).fetchone()
    assert blocks[0] > 20 and blocks[1] == 0  # built and clean after the writes
    for text in QUERIES:
        flt = SurveyFilter(disaster, text=text)
        expected = walk_everything(store, disaster, text.replace("%", "").replace("_", ""),
                                   descending)
        assert listed(store, flt, descending=descending) == expected, text
        assert store.listing.count(flt) == len(expected), text


def test_blocks_skip_ranges_without_the_characters(store, disaster, small_blocks):
    add_homes(store, disaster, 300)
    ranges = search_blocks.candidate_ranges(store.db, disaster, ["荻"])
    everything = search_blocks.candidate_ranges(store.db, disaster, [""])
    assert everything == [("", None)]
    assert ranges and ranges != everything
    assert search_blocks.candidate_ranges(store.db, disaster, ["鬱"]) == []


def test_a_write_outside_the_writer_is_still_found(store, disaster, small_blocks):
    """A row added without Store.atomic marks its block dirty; a dirty block is always walked,
    and the next transaction cleans it."""
    add_homes(store, disaster, 100)
    sid = store.db.execute("SELECT id FROM surveys WHERE disaster_id = ? ORDER BY address"
                           " LIMIT 1 OFFSET 50", [disaster]).fetchone()[0]
    store.db.execute("UPDATE surveys SET applicant = '鬱金 香' WHERE id = ?", [sid])
    store.db.conn.commit()
    assert store.db.execute("SELECT sum(dirty) FROM search_blocks").fetchone()[0] == 1
    assert store.listing.count(SurveyFilter(disaster, text="鬱")) == 1
    with store.atomic():
        pass
    assert store.db.execute("SELECT sum(dirty) FROM search_blocks").fetchone()[0] == 0
    assert [r["id"] for r in store.listing.page(SurveyFilter(disaster, text="鬱金"))] == [sid]


def test_a_new_disaster_is_searched_before_and_after_its_blocks(store, small_blocks):
    other = store.buildings.create_disaster(name="令和8年台風", hazard="wind",
                                            occurred_on="2026-09-01")
    store.db.execute("INSERT INTO search_unblocked (disaster_id) VALUES (?)", [other])
    assert search_blocks.candidate_ranges(store.db, other, ["荒"]) is None
    add_homes(store, other, 40, seed=5)
    assert store.db.execute("SELECT count(*) FROM search_unblocked").fetchone()[0] == 0
    flt = SurveyFilter(other, text="荒")
    assert listed(store, flt) == walk_everything(store, other, "荒")
