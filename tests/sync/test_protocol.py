"""The pieces both ends compute alike: blob batches, digests, building fields, and the
checks on server replies."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from survey_app.store.buildings import BUILDING_FIELDS as STORE_FIELDS
from survey_app.sync import replies
from survey_app.sync.errors import ProtocolError
from survey_app.sync.protocol import (
    BUILDING_FIELDS,
    BatchFormatError,
    assigned_users,
    decode_batch,
    digest,
    encode_batch,
    merge_version_id,
    normalize_building_fields,
)

blobs = st.lists(st.binary(max_size=300), max_size=8)


@given(blobs)
def test_a_batch_decodes_to_what_was_encoded(datas):
    items = [(hashlib.sha256(d).hexdigest(), d) for d in datas]
    assert decode_batch(b"".join(encode_batch(items))) == items


@given(blobs, st.integers(1, 40))
def test_a_truncated_batch_is_refused_whole(datas, cut):
    items = [(hashlib.sha256(d).hexdigest(), d) for d in datas]
    body = b"".join(encode_batch(items))
    if not body:
        return
    with pytest.raises(BatchFormatError):
        decode_batch(body[:-cut] if cut < len(body) else body[:1])


def test_a_batch_with_a_path_as_its_hash_is_refused():
    with pytest.raises(BatchFormatError):
        decode_batch(b"../../etc/passwd 3\nabc")


@given(st.lists(st.text(max_size=10), max_size=10), st.randoms())
def test_the_digest_ignores_order(lines, rnd):
    shuffled = list(lines)
    rnd.shuffle(shuffled)
    assert digest(lines) == digest(shuffled)
    assert digest(lines)[0] == len(lines)


def test_the_protocol_syncs_every_building_field_of_the_store():
    assert set(BUILDING_FIELDS) == set(STORE_FIELDS)


def test_building_fields_have_one_type_each_so_hashes_agree():
    out = normalize_building_fields({"address": "輪島市", "lat": 37, "floors": 2})
    assert out["lat"] == 37.0 and isinstance(out["lat"], float) and out["floors"] == 2
    assert out["structure"] == "wood" and out["owner_name"] == ""
    with pytest.raises(ValueError):
        normalize_building_fields({"address": "x", "lat": "37"})
    with pytest.raises(ValueError):
        normalize_building_fields({"address": "x", "password": "y"})


def test_assigned_users_reads_japanese_and_ascii_lists():
    assert assigned_users("sato、suzuki, tanaka  ito") == {"sato", "suzuki", "tanaka", "ito"}
    assert assigned_users("") == set()


def test_a_merge_id_is_the_same_on_every_replay():
    assert merge_version_id("a", "b") == merge_version_id("a", "b") != merge_version_id("b", "a")


@pytest.mark.parametrize("bad", [
    {"token": 1, "username": "u", "role": "office", "municipality_code": "1"},
    {"token": "t", "username": "u", "role": "god", "municipality_code": "1"},
    {"token": "t", "username": "u", "role": "office"},
    ["token"],
    None,
])
def test_a_malformed_login_reply_is_refused_in_japanese(bad):
    with pytest.raises(ProtocolError, match="サーバの応答が不正です"):
        replies.check(bad, replies.LOGIN, "login")


def test_booleans_are_not_numbers_in_replies():
    with pytest.raises(ProtocolError):
        replies.check({"rev": True, "kinds": {}}, replies.SUMMARY)
