"""The engine's message templates exist in Japanese and English, with the same placeholders."""

from __future__ import annotations

import string
import tomllib
from pathlib import Path

import pytest

from survey_app.domain.messages import MESSAGE_KEYS

I18N = Path(__file__).resolve().parents[2] / "resources" / "i18n"
AREAS = ("engine", "rules", "assess", "forms")


def catalogue(lang: str, area: str) -> dict[str, str]:
    with (I18N / lang / f"{area}.toml").open("rb") as fh:
        return tomllib.load(fh)


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("area", AREAS)
def test_japanese_and_english_have_the_same_keys_and_placeholders(area):
    ja, en = catalogue("ja", area), catalogue("en", area)
    assert set(ja) == set(en)
    assert {k: fields(v) for k, v in ja.items()} == {k: fields(v) for k, v in en.items()}


def test_engine_catalogue_has_every_key_the_engine_uses():
    assert set(MESSAGE_KEYS) <= set(catalogue("ja", "engine"))
