"""Bringing a stale draft up to date: a sync pull moved the survey's head (the office or another
laptop completed it) while a surveyor's draft was open on the version before.

The draft (ours) and the new head (theirs) are merged field by field against the version the
draft started from (base; {} for a survey that had no version yet), with the same 3-way merge
sync uses (survey_app.sync.merge). A clean merge rewrites the draft at once; fields both sides
changed differently are returned for the surveyor to choose, and nothing changes until a second
call brings the choices. Nothing is lost: theirs is an immutable version, and the draft as it
was is kept in the audit log (hash-chained, append-only, inside every backup) in the same
transaction that rewrites it. An audit entry rather than a new table: no schema migration, and
the log already is where the store keeps what must never be edited away; `kept_drafts` reads
them back.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from survey_app.i18n import tr
from survey_app.services.fieldwork_labels import field_label
from survey_app.store.canonical import canonical
from survey_app.sync.merge import MISSING, FieldConflict, flatten, merge_tree

if TYPE_CHECKING:
    from survey_app.services.workspace import Workspace

CHOICES = ("ours", "theirs")
AUDIT_ACTION = "rebase_draft"


class RebaseError(Exception):
    """The merge cannot go on as asked; the message says why in plain Japanese."""


@dataclass(frozen=True)
class FieldChange:
    """One field the draft took from the other side: `before` (the draft's) → `after`."""

    path: str
    before: Any
    after: Any


@dataclass
class RebaseOutcome:
    survey_id: str
    # "merged": the draft was rewritten; "conflicts": choices needed, nothing changed;
    # "current": the draft already stands on the head; "no_draft": nothing to merge.
    status: str
    head_version_id: str | None = None
    base_version_id: str | None = None  # the version the draft started from
    taken: list[FieldChange] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # conflicting fields where ours was chosen
    conflicts: list[FieldConflict] = field(default_factory=list)
    token: str = ""  # identifies the draft and head the conflicts were found on


@dataclass
class _Plan:
    draft: dict
    head: str | None
    ours: dict
    merged: dict
    conflicts: list[FieldConflict]
    paths: dict[str, tuple]
    token: str


def is_stale(ws: Workspace, survey_id: str) -> bool:
    """A draft exists and a version arrived after its edit began."""
    draft = ws.store.surveys.draft(survey_id)
    head = ws.store.surveys.get(survey_id)["head_version_id"]
    return draft is not None and draft["base_version_id"] != head


def rebase_draft(ws: Workspace, survey_id: str) -> RebaseOutcome:
    """Merge the new head into the stale draft: applied at once when clean; otherwise the
    conflicting fields are returned (status "conflicts") and nothing is written."""
    store = ws.store
    with store.atomic():
        outcome, plan = _prepare(ws, survey_id)
        if plan is None or plan.conflicts:
            return outcome
        return _apply(ws, survey_id, plan, plan.merged, outcome, kept=[])


def apply_choices(ws: Workspace, survey_id: str, choices: dict[str, str], *,
                  token: str) -> RebaseOutcome:
    """Second step: `choices` maps each conflicting path to "ours" or "theirs". Refused when
    the draft or the head changed since the conflicts were shown (`token`)."""
    with ws.store.atomic():
        outcome, plan = _prepare(ws, survey_id)
        if plan is None or plan.token != token:
            raise RebaseError(tr("fieldwork.rebase_changed"))
        merged = copy.deepcopy(plan.merged)  # the merge shares subtrees with ours and theirs
        kept = []
        for conflict in plan.conflicts:
            choice = choices.get(conflict.path)
            if choice not in CHOICES:
                raise RebaseError(tr("fieldwork.rebase_choose", field=conflict.path))
            if choice == "theirs":
                _set(merged, plan.paths[conflict.path], conflict.theirs)
            else:
                kept.append(conflict.path)
        return _apply(ws, survey_id, plan, merged, outcome, kept=kept)


def kept_drafts(ws: Workspace, survey_id: str) -> list[dict]:
    """The drafts as they were before each merge rewrote them, oldest first (from the audit
    log): {"at", "actor", "base_version_id", "head_version_id", "observations", ...}."""
    rows = ws.store.db.execute(
        "SELECT at, actor, payload FROM audit_log WHERE action = ? AND entity = 'survey'"
        " AND entity_id = ? ORDER BY seq", [AUDIT_ACTION, survey_id]).fetchall()
    return [{"at": at, "actor": actor, **json.loads(payload)} for at, actor, payload in rows]


def field_labels(form: dict, paths: list[str]) -> list[str]:
    """The form's labels for `paths`, each once, in order."""
    return list(dict.fromkeys(field_label(form, p) for p in paths))


def describe_fields(form: dict, paths: list[str]) -> str:
    """「屋根：損傷程度・面積率」、「備考」… for a message."""
    return tr("fieldwork.rebase_list_sep").join(
        tr("fieldwork.rebase_quoted", label=label) for label in field_labels(form, paths))


# -- inside -------------------------------------------------------------------------------------


def _prepare(ws: Workspace, survey_id: str) -> tuple[RebaseOutcome, _Plan | None]:
    store = ws.store
    survey = store.surveys.get(survey_id)
    head = survey["head_version_id"]
    draft = store.surveys.draft(survey_id)
    if draft is None:
        return RebaseOutcome(survey_id, "no_draft", head_version_id=head), None
    base_id = draft["base_version_id"]
    outcome = RebaseOutcome(survey_id, "current", head_version_id=head, base_version_id=base_id)
    if base_id == head:
        return outcome, None
    base = _observations(ws, base_id)
    theirs = _observations(ws, head)
    ours = draft["observations"]
    merged, conflicts = merge_tree(base, ours, theirs)
    token = hashlib.sha256(canonical([base_id, head, ours]).encode("utf-8")).hexdigest()
    plan = _Plan(draft, head, ours, merged, conflicts,
                 _path_index(base, ours, theirs), token)
    outcome.status, outcome.conflicts, outcome.token = (
        "conflicts" if conflicts else "merged", conflicts, token)
    return outcome, plan


def _observations(ws: Workspace, version_id: str | None) -> dict:
    if version_id is None:
        return {}
    row = ws.store.db.execute("SELECT observations FROM survey_versions WHERE id = ?",
                              [version_id]).fetchone()
    if row is None:
        raise RebaseError(tr("fieldwork.rebase_no_base", id=version_id[:8]))
    return json.loads(row[0])


def _apply(ws: Workspace, survey_id: str, plan: _Plan, merged: dict, outcome: RebaseOutcome,
           *, kept: list[str]) -> RebaseOutcome:
    """Keep the draft as it was in the audit log, then rewrite it on the new head: both in
    the caller's transaction, so neither happens without the other."""
    store = ws.store
    store.audit.append(actor=ws.actor, action=AUDIT_ACTION, entity="survey",
                       entity_id=survey_id, payload={
                           "base_version_id": plan.draft["base_version_id"],
                           "head_version_id": plan.head,
                           "observations": plan.ours,
                           "draft_updated_at": plan.draft["updated_at"],
                           "kept_ours": kept})
    store.surveys.save_draft(survey_id, merged, base_version_id=plan.head)
    outcome.status, outcome.kept = "merged", kept
    outcome.taken = _changes(plan.ours, merged)
    return outcome


def _changes(before: dict, after: dict) -> list[FieldChange]:
    """Leaf by leaf, what differs between the draft and the merged result."""
    old, new = flatten(before), flatten(after)
    out = []
    for key in sorted(set(old) | set(new), key=lambda k: tuple(map(str, k))):
        a, b = old.get(key, MISSING), new.get(key, MISSING)
        if a != b:
            out.append(FieldChange(".".join(map(str, key)), _plain(a), _plain(b)))
    return out


def _plain(value: Any) -> Any:
    return None if value is MISSING else value


def _path_index(*docs: dict) -> dict[str, tuple]:
    """Dotted path (as FieldConflict names it) → key tuple, for every leaf and its parents."""
    index: dict[str, tuple] = {}
    for doc in docs:
        for leaf in flatten(doc):
            for cut in range(1, len(leaf) + 1):
                index.setdefault(".".join(map(str, leaf[:cut])), leaf[:cut])
    return index


def _set(doc: dict, path: tuple, value: Any) -> None:
    """Put `value` at `path`; MISSING removes it, and parents it leaves empty."""
    *parents, last = path
    chain = [doc]
    for part in parents:
        chain.append(chain[-1].setdefault(part, {}))
    if value is not MISSING:
        chain[-1][last] = value
        return
    chain[-1].pop(last, None)
    for node, part in zip(reversed(chain[:-1]), reversed(parents), strict=True):
        if node.get(part) == {}:
            node.pop(part)
