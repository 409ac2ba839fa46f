"""Every message key the code uses exists in Japanese and English; both catalogues match."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from survey_app import i18n

PKG = Path(__file__).resolve().parent.parent / "survey_app"


def used_keys() -> set[str]:
    keys: set[str] = set()
    for path in PKG.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "tr" and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                keys.add(node.args[0].value)
    return keys


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_used_key_is_translated(lang):
    missing = sorted(used_keys() - set(i18n.catalogue(lang)))
    assert missing == []


def test_catalogues_have_the_same_keys():
    ja, en = set(i18n.catalogue("ja")), set(i18n.catalogue("en"))
    assert sorted(ja - en) == [] and sorted(en - ja) == []


def test_language_switch():
    i18n.set_language("en")
    try:
        assert i18n.tr("cli.error", message="x") == "Error: x"
    finally:
        i18n._current.pop()
    assert i18n.tr("cli.error", message="x") == "エラー: x"
