"""The engine's message templates, taken from the `engine` area of the i18n catalogue."""

from __future__ import annotations

from survey_app.domain.messages import MESSAGE_KEYS
from survey_app.i18n import tr


def engine_templates() -> dict[str, str]:
    """Templates in the current language (tr without values returns the raw template)."""
    return {key: tr(f"engine.{key}") for key in MESSAGE_KEYS}
