"""Why a sync failed, in words a surveyor can act on: every error code the server can send has a
plain Japanese and English sentence; the server's English detail and the code stay in the
outbox (for the support bundle), never in the sentence; a specific local cause (this photo is
damaged) is not overwritten by the server's generic consequence (photos missing); the
end-of-sync check names the kinds of record in words. Real server, real laptops."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest
from PIL import Image

from survey_app.i18n import catalogue, current_language, set_language
from survey_app.services.fieldwork_photos import import_survey_photos
from survey_app.sync.errors import ForbiddenError, RejectedError, server_message
from survey_app.sync.protocol import SUMMARY_KINDS

SERVER = Path(__file__).resolve().parents[2] / "survey_app" / "server"
# Every way the server names an error: ApiError(status, "code"), a push item's "code": "…",
# the error handlers' _reply(status, "code") and the code given to a 413.
_CODE_PATTERNS = (r'ApiError\(\s*\d+,\s*"([a-z_]+)"', r'"code":\s*"([a-z_]+)"',
                  r'_reply\(\s*\d+,\s*"([a-z_]+)"', r'code = "([a-z_]+)" if')
ASCII_WORD = re.compile(r"[A-Za-z_]{3,}")


def server_codes() -> set[str]:
    codes: set[str] = set()
    for path in SERVER.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for pattern in _CODE_PATTERNS:
            codes.update(re.findall(pattern, text))
    return codes


def test_every_code_the_server_sends_has_a_plain_message():
    codes = server_codes()
    assert {"missing_blobs", "invalid", "integrity", "stale", "forbidden_role",
            "db_unavailable", "too_large"} <= codes  # the scan itself works
    for lang in ("ja", "en"):
        missing = sorted(c for c in codes if f"sync.code.{c}" not in catalogue(lang))
        assert missing == [], f"{lang}: server codes without a message"
    japanese = {c: server_message(c) for c in codes}
    assert all(not ASCII_WORD.search(m) for m in japanese.values()), japanese
    assert len(set(japanese.values())) > len(codes) // 2  # real sentences, not one fallback


def test_an_unknown_code_gets_the_general_sentence_in_both_languages():
    assert "HTTP 418" in server_message("brand_new_code", 418)
    assert "HTTP 405" in server_message("http_405")
    before = current_language()
    set_language("en")
    try:
        assert server_message("missing_blobs").startswith("The server refused")
        assert "HTTP 409" in server_message("", 409)
    finally:
        set_language(before)


def test_every_kind_the_check_compares_has_a_name():
    for lang in ("ja", "en"):
        assert all(f"sync.kind.{k}" in catalogue(lang) for k in SUMMARY_KINDS)


def _jpeg(path: Path, seed: int) -> Path:
    Image.effect_noise((160, 120), 40 + seed).convert("RGB").save(path, quality=90)
    return path


def _damage(path: Path) -> None:
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size: only the hash tells
    path.write_bytes(bytes(data))


def _outbox_errors(lap) -> list[str]:
    return [r[0] for r in lap.store.db.execute("SELECT last_error FROM sync_outbox")]


def test_a_damaged_photo_stays_the_reason_and_importing_it_again_repairs_it(team, tenant,
                                                                             tmp_path):
    office, sato = team["office"], team["sato"]
    disaster = office.disaster()
    _, survey = office.assign(disaster, "石川県輪島市河井町一丁目2番地3号", sato.username)
    assert office.sync().agreed and sato.sync().agreed
    original = _jpeg(tmp_path / "IMG_0001.JPG", 1)
    added = import_survey_photos(sato.ws, survey, [original]).added
    sato.complete(survey, {"外壁": {"損傷率": 30}})
    _damage(sato.ws.blobs.path_for(added[0]))

    report = sato.sync()

    state = sato.engine.survey_state(survey)
    assert state.code == "failed"
    # The cause and what to do, not the server's later "photos must be uploaded" refusal.
    assert "壊れている" in state.label and "取り込む" in state.label, state.label
    assert "missing_blobs" not in state.label and "must" not in state.label
    # The code and the server's own words are kept for the support bundle.
    assert any(e.startswith("missing_blobs: ") and "uploaded" in e
               for e in _outbox_errors(sato)), _outbox_errors(sato)
    # The end-of-sync check names what differs in words.
    assert not report.agreed
    assert "調査版" in report.message and "写真の添付" in report.message, report.message
    assert not re.search(r"\b(versions|links|surveys)\b", report.message)

    again = import_survey_photos(sato.ws, survey, [original])
    assert again.failures == [] and again.duplicates == [original]  # already attached
    assert sato.ws.blobs.verify(added[0])
    report = sato.sync()
    assert report.ok and report.agreed, report.message
    assert sato.engine.survey_state(survey).label == "同期済"
    assert office.sync().agreed and office.ws.blobs.verify(added[0])


def test_a_refused_record_reads_as_a_sentence_and_keeps_its_code(team):
    office, sato = team["office"], team["sato"]
    disaster = office.disaster()
    _, survey = office.assign(disaster, "石川県輪島市河井町二丁目5番", sato.username)
    assert office.sync().agreed and sato.sync().agreed
    # Only the office decides a re-survey: the server refuses it item by item.
    sato.store.surveys.set_status(survey, "resurvey_requested", actor=sato.username)

    sato.sync()

    state = sato.engine.survey_state(survey)
    assert state.code == "failed"
    assert state.label == "失敗: " + server_message("forbidden_role")
    assert not ASCII_WORD.search(state.label)
    assert any(e.startswith("forbidden_role: ") and "office" in e for e in _outbox_errors(sato))
    before = current_language()
    set_language("en")
    try:
        assert "office" in server_message("forbidden_role")
    finally:
        set_language(before)


def test_request_errors_carry_a_sentence_and_keep_the_detail_aside(team):
    office, sato = team["office"], team["sato"]
    _, survey = office.assign(office.disaster(), "石川県輪島市河井町三丁目1番", sato.username)
    assert office.sync().agreed and sato.sync().agreed
    client = sato.engine.client
    with pytest.raises(ForbiddenError) as err:
        client.http.call("GET", "/blobs/" + "ab" * 32, raw=True)
    assert err.value.code == "not_found" and err.value.detail == "blob"
    assert err.value.message == server_message("not_found")
    with pytest.raises(RejectedError) as err:
        client.set_status(survey, "completed")
    assert err.value.code == "forbidden_role"
    assert "office" in err.value.detail and not ASCII_WORD.search(err.value.message)
