from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from survey_app.domain.office_address import home_key, household_key, name_key, same_home

KANJI = "〇一二三四五六七八九"


def kanji_units(n: int) -> str:
    """23 → 二十三, 105 → 百五 (the usual way of writing numbers in words)."""
    out = ""
    for value, unit in ((100, "百"), (10, "十")):
        digit, n = divmod(n, value)
        if digit:
            out += ("" if digit == 1 else KANJI[digit]) + unit
    return out + (KANJI[n] if n else "")


def kanji_digits(n: int) -> str:
    """105 → 一〇五 (digit by digit, as on many forms)."""
    return "".join(KANJI[int(d)] for d in str(n))


def full_width(n: int) -> str:
    return "".join(chr(ord(d) + 0xFEE0) for d in str(n))


STYLES = (str, full_width, kanji_units, kanji_digits)


@pytest.mark.parametrize("a,b", [
    ("〒929-0000 石川県輪島市河井町一丁目２番地の３", "輪島市河井町1-2-3"),
    ("石川県 輪島市 河井町 １丁目２番３号", "石川県輪島市河井町1ノ2ノ3"),
    ("熊本県益城町大字宮園字本町5番地", "益城町宮園本町5"),
    ("東京都府中市緑ヶ丘2-3", "府中市緑が丘２丁目３番"),
])
def test_the_same_home_written_differently(a, b):
    assert same_home(a, b)


@pytest.mark.parametrize("a,b", [
    ("輪島市河井町1-2-3", "輪島市河井町1-2-4"),
    ("輪島市河井町1-2-3", "輪島市鳳至町1-2-3"),
    ("石川県輪島市河井町1-2-3", "石川県輪島市河井町1-23"),
])
def test_different_homes_stay_apart(a, b):
    assert not same_home(a, b)


@given(chome=st.integers(1, 9), ban=st.integers(1, 999), go=st.integers(1, 99),
       style_a=st.sampled_from(STYLES), style_b=st.sampled_from(STYLES),
       town=st.sampled_from(["河井町", "宮園", "鳳至町", "木山"]),
       prefecture=st.booleans())
def test_number_styles_never_change_the_key(chome, ban, go, style_a, style_b, town, prefecture):
    a = f"{'石川県' if prefecture else ''}輪島市{town}{style_a(chome)}丁目{style_a(ban)}番地{style_a(go)}号"
    b = f"輪島市{town}{style_b(chome)}-{style_b(ban)}-{style_b(go)}"
    assert home_key(a) == home_key(b)


@given(a=st.tuples(st.integers(1, 9), st.integers(1, 999)),
       b=st.tuples(st.integers(1, 9), st.integers(1, 999)))
def test_different_numbers_give_different_keys(a, b):
    key_a = home_key(f"輪島市河井町{kanji_units(a[0])}丁目{a[1]}番地")
    key_b = home_key(f"輪島市河井町{b[0]}丁目{full_width(b[1])}番")
    assert (key_a == key_b) == (a == b)


def test_names_fold_variant_kanji_spaces_and_kana():
    assert name_key("髙﨑　太郎") == name_key("高崎 太郎") == "高崎太郎"
    assert name_key("たかさき たろう") == name_key("ﾀｶｻｷ ﾀﾛｳ") == "タカサキタロウ"
    assert name_key("渡邉 花子") == name_key("渡辺花子")


def test_household_is_name_at_address():
    assert household_key("髙﨑 太郎", "金沢市広坂一丁目1番地1号") == household_key(
        "高崎太郎", "石川県金沢市広坂1-1-1")
    assert household_key("高崎 太郎", "金沢市広坂1-1-1") != household_key(
        "高崎 次郎", "金沢市広坂1-1-1")
