from __future__ import annotations

import os
import uuid

from survey_app.store.ids import new_id


def test_ids_are_uuid7_and_sort_by_creation():
    ids = [new_id() for _ in range(2000)]
    parsed = [uuid.UUID(i) for i in ids]
    assert all(u.version == 7 and u.variant == uuid.RFC_4122 for u in parsed)
    assert len(set(ids)) == len(ids)
    stamps = [u.int >> 80 for u in parsed]
    assert stamps == sorted(stamps)


def test_a_forked_child_does_not_repeat_the_parents_ids():
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.write(write, "".join(new_id() for _ in range(50)).encode())
        os._exit(0)
    os.waitpid(pid, 0)
    child = os.read(read, 1 << 16).decode()
    mine = {new_id()[15:] for _ in range(50)}  # the random tail, past the timestamp
    theirs = {child[i + 15:i + 36] for i in range(0, len(child), 36)}
    assert not mine & theirs
