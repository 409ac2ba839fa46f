"""Japanese text keys for matching: addresses and kana names written many ways mean one thing.

"熊本県益城町宮園 一丁目２番地３号", "熊本県益城町宮園1-2-3" and "熊本県益城町宮園１丁目２番３" share
one key; so do ひらがな and カタカナ readings.
"""

from __future__ import annotations

import re
import unicodedata

_KANJI_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                 "八": 8, "九": 9}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
_KANJI_NUMBER = re.compile(r"[〇一二三四五六七八九十百千]+(?=(丁目|番地|番|号|の|-|$))")
_SEPARATORS = re.compile(r"(丁目|番地|番|号|の|[-‐‑‒–—―−ーｰ])")
_SPACES = re.compile(r"\s+")


def kanji_to_int(text: str) -> int:
    """Kanji numerals as used in addresses: 三 → 3, 十二 → 12, 二十三 → 23, 一〇五 → 105."""
    if not any(ch in _KANJI_UNITS for ch in text):
        return int("".join(str(_KANJI_DIGITS[ch]) for ch in text))
    total, digit = 0, 0
    for ch in text:
        if ch in _KANJI_DIGITS:
            digit = _KANJI_DIGITS[ch]
        else:
            total += (digit or 1) * _KANJI_UNITS[ch]
            digit = 0
    return total + digit


def address_key(address: str) -> str:
    """A comparison key: NFKC, no spaces, kanji numbers as digits, 丁目/番地/号 as '-'."""
    text = _SPACES.sub("", unicodedata.normalize("NFKC", address))
    text = _KANJI_NUMBER.sub(lambda m: str(kanji_to_int(m.group(0))), text)
    text = _SEPARATORS.sub("-", text)
    text = re.sub(r"-+", "-", text).strip("-")
    return text


def to_katakana(text: str) -> str:
    """Hiragana → katakana (NFKC first, so half-width ｶﾅ becomes full-width)."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(chr(ord(ch) + 0x60) if "ぁ" <= ch <= "ゖ" else ch for ch in text)
