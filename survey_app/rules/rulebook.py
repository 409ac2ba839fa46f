"""All rule versions, the survey forms and local sub-bands; picks the version for a survey.

The version is the one named (observations "rules_version" or an explicit argument), else the
latest one in force on the disaster date (highest data_revision among equal dates).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from survey_app.domain.engine import Engine
from survey_app.domain.judgement import Judgement
from survey_app.domain.local_bands import LocalBands
from survey_app.domain.observations import ObservationError, ObservationIssue
from survey_app.domain.ruleset import RuleSet
from survey_app.i18n import tr
from survey_app.paths import forms_dir
from survey_app.rules.build import build_rule_set
from survey_app.rules.errors import RulesError
from survey_app.rules.files import read_checked
from survey_app.rules.forms import FormCatalog
from survey_app.rules.hash_history import EARLIER_HASHES
from survey_app.rules.local import load_local_bands
from survey_app.rules.templates import engine_templates


def load_rule_sets(folder: Path, schema: Path) -> list[RuleSet]:
    found = []
    for path in sorted(folder.glob("*.json")):
        data = read_checked(path, schema)
        if data["version"] != path.stem:
            raise RulesError(tr("rules.id_mismatch", path=path, id=data["version"]))
        try:
            found.append(build_rule_set(data))
        except (RulesError, ValueError) as err:
            raise RulesError(tr("rules.inconsistent", path=path, reason=err)) from None
    if not found:
        raise RulesError(tr("rules.no_rule_files", folder=folder))
    return found


class Rulebook:
    def __init__(
        self,
        rule_sets: Iterable[RuleSet],
        *,
        forms: FormCatalog | None = None,
        local_bands: Mapping[str, LocalBands] | None = None,
        templates: Mapping[str, str] | None = None,
    ) -> None:
        ordered = sorted(rule_sets, key=lambda r: (r.effective_from, r.data_revision))
        self._by_version = {r.version: r for r in ordered}
        if len(self._by_version) != len(ordered):
            raise RulesError(tr("rules.duplicate_version"))
        self.rule_sets: tuple[RuleSet, ...] = tuple(ordered)
        self.forms = forms
        self.local_bands = dict(local_bands or {})
        self.engine = Engine(templates if templates is not None else engine_templates())

    @classmethod
    def load(cls, folder: Path | None = None) -> Rulebook:
        root = folder or forms_dir()
        schema = root / "schema"
        return cls(
            load_rule_sets(root / "rules", schema / "rules.schema.json"),
            forms=FormCatalog.load(root / "forms", schema),
            local_bands=load_local_bands(root / "local", schema / "local.schema.json"),
        )

    def get(self, version: str) -> RuleSet:
        try:
            return self._by_version[version]
        except KeyError:
            raise RulesError(tr("rules.unknown_version", version=version,
                                versions=", ".join(self._by_version))) from None

    def rules_for_hash(self, rules_hash: str) -> RuleSet | None:
        """The rule set a survey's recorded `rules_hash` names (also the hashes recorded before
        translations were left out of the hash); None when no loaded file has that content."""
        for rules in self.rule_sets:
            if rules.sha256 == rules_hash:
                return rules
        version = EARLIER_HASHES.get(rules_hash)
        return self._by_version.get(version) if version else None

    def select(self, when: date) -> RuleSet:
        """The rule set in force on `when`; RulesError if `when` predates every version."""
        for rules in reversed(self.rule_sets):
            if rules.effective_from <= when:
                return rules
        raise RulesError(tr("rules.no_rules_for_date", date=when.isoformat(),
                            first=self.rule_sets[0].effective_from.isoformat()))

    def validate(self, obs: Any, *, version: str | None = None) -> list[ObservationIssue]:
        """Every problem with `obs`, including an unknown version or a date before all rules."""
        issues = self.engine.validate(obs)
        if issues:
            return issues
        try:
            rules, _ = self._rules_for(obs, version)
        except ObservationError as err:
            return err.issues
        return self.engine.validate(obs, rules)

    def judge(self, obs: Any, *, version: str | None = None, local: str | None = None) -> Judgement:
        """Judges one survey; ObservationError names each bad field and why."""
        issues = self.engine.validate(obs)
        if issues:
            raise ObservationError(issues)
        rules, by_date = self._rules_for(obs, version)
        notes = (rules.effective_note,) if by_date and rules.effective_note else ()
        bands = self.local(local) if local else None
        return self.engine.judge(obs, rules, local=bands, notes=notes, prechecked=True)

    def local(self, band_id: str) -> LocalBands:
        try:
            return self.local_bands[band_id]
        except KeyError:
            raise RulesError(tr("rules.unknown_local", id=band_id,
                                ids=", ".join(self.local_bands) or "—")) from None

    def form(self, hazard: str, stage: str, structure: str, *, version: str | None = None,
             when: date | None = None) -> dict[str, Any]:
        """The survey form for one survey, with the component list of the chosen rule set."""
        if self.forms is None:
            raise RulesError(tr("rules.unknown_form", hazard=hazard, stage=stage))
        rules = self.get(version) if version else self.select(when or date.today())
        return self.forms.resolve(hazard, stage, structure, rules)

    def _rules_for(self, obs: Mapping[str, Any], version: str | None) -> tuple[RuleSet, bool]:
        named = version or obs.get("rules_version")
        try:
            if named:
                return self.get(named), False
            return self.select(date.fromisoformat(obs["disaster_date"])), True
        except RulesError as err:
            path = "rules_version" if named else "disaster_date"
            raise ObservationError([ObservationIssue(path, "no_rules", str(err))]) from None
