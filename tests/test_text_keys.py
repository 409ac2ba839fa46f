from __future__ import annotations

import pytest

from survey_app.domain.text import address_key, kanji_to_int, to_katakana


@pytest.mark.parametrize("a,b", [
    ("熊本県益城町宮園一丁目２番地３号", "熊本県益城町宮園1-2-3"),
    ("熊本県益城町宮園１丁目２番３", "熊本県 益城町 宮園 1‐2‐3"),
    ("輪島市河井町二十三番地", "輪島市河井町23"),
    ("輪島市河井町１２３の４", "輪島市河井町123-4"),
])
def test_address_variants_share_a_key(a, b):
    assert address_key(a) == address_key(b)


def test_different_addresses_differ():
    assert address_key("宮園1-2-3") != address_key("宮園1-2-4")


@pytest.mark.parametrize("text,value", [("三", 3), ("十", 10), ("十二", 12), ("二十三", 23),
                                        ("百五", 105), ("一〇五", 105), ("千二百", 1200)])
def test_kanji_numerals(text, value):
    assert kanji_to_int(text) == value


def test_kana_folding():
    assert to_katakana("やまだ ﾀﾛｳ") == "ヤマダ タロウ"
