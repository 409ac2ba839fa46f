"""Errors of the rules layer: a broken rule/form file, or no rules for a survey."""

from __future__ import annotations


class RulesError(Exception):
    """A rule or form file in forms/ is unreadable or inconsistent; the message names the file."""
