"""Printing register entries to PDF, finishing interrupted prints, and checking a QR code.

A PDF is always made from the register entry (its stored payload), never from live data, so a
reprint years later shows exactly what was certified.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from survey_app.certificates.model import CertificateDoc
from survey_app.certificates.qr import parse_qr_text, qr_text
from survey_app.certificates.render import CertificateRenderer, RenderResult
from survey_app.certificates.textfit import TextDoesNotFit
from survey_app.i18n import tr
from survey_app.services.office import OfficeError, certificates_dir, load_settings, register_of
from survey_app.services.workspace import Workspace
from survey_app.store.ids import now_iso

MARK_EVERY = 100


@dataclass
class PrintOutcome:
    files: list[Path] = field(default_factory=list)
    printed: int = 0
    warnings: list[str] = field(default_factory=list)
    cancelled: bool = False


def doc_for(entry: dict) -> CertificateDoc:
    """What to print for a register entry."""
    p = entry["payload"]
    return CertificateDoc(
        kind=entry["kind"], number_text=entry["number_text"], issued_on=entry["issued_on"],
        household_name=p["household_name"], household_address=p["household_address"],
        damaged_address=p["damaged_address"], cause=p["cause"], issuer=p["issuer"],
        grade_code=entry["grade_code"], reported_damage=p.get("reported_damage", ""),
        extras=tuple(p.get("extras") or ("", "", "")), reissue_of=p.get("reissue_of", ""),
        reissue_reason=p.get("reissue_reason", ""),
        voided_on=(entry["voided_at"] or "")[:10] if entry["validity"] == "voided" else "",
        void_reason=entry["void_reason"] or "",
        qr_text=qr_text(entry["municipality_code"], entry["disaster_id"], entry["number"],
                        entry["entry_hash"]))


def default_path(ws: Workspace, entry: dict) -> Path:
    name = f"{entry['municipality_code']}-{entry['number']:06d}"
    suffix = "-voided" if entry["validity"] == "voided" else ""
    return certificates_dir(ws) / entry["disaster_id"] / f"{name}{suffix}.pdf"


def _renderer(ws: Workspace, entries: Sequence[dict]) -> CertificateRenderer:
    disaster = ws.store.buildings.disaster(entries[0]["disaster_id"])
    return CertificateRenderer(load_settings(ws, disaster))


def print_entries(ws: Workspace, entries: Sequence[dict], *, out: Path | None = None,
                  single_file: bool = True, progress: Callable[[int, int], None] | None = None,
                  cancel: Callable[[], bool] | None = None) -> PrintOutcome:
    """Render entries and mark them printed. `single_file`: all pages in one PDF at `out`
    (a .pdf path); else one PDF per household in the folder `out`. Default places are
    under <home>/certificates/<disaster>/."""
    if not entries:
        return PrintOutcome()
    renderer = _renderer(ws, entries)
    docs = [doc_for(e) for e in entries]
    try:
        if single_file:
            return _one_file(ws, renderer, entries, docs, out, progress, cancel)
        return _per_household(ws, renderer, entries, docs, out, progress, cancel)
    except TextDoesNotFit as err:
        raise OfficeError(tr("office.text_too_long", field=err.field, length=err.length)) from err


def _one_file(ws, renderer, entries, docs, out, progress, cancel) -> PrintOutcome:
    if out is None:
        out = default_path(ws, entries[0]) if len(entries) == 1 else (
            certificates_dir(ws) / entries[0]["disaster_id"]
            / f"batch-{now_iso().replace(':', '')[:17]}.pdf")
    result = renderer.render_pdf(docs, Path(out), progress=progress, cancel=cancel)
    if result.cancelled:
        return PrintOutcome(warnings=result.warnings, cancelled=True)
    _mark(ws, [(e, i + 1) for i, e in enumerate(entries)], result.path)
    return PrintOutcome([result.path], len(entries), result.warnings)


def _household_plan(ws, entries, docs, out) -> list[tuple[Path, list, list[dict]]]:
    """(file, its pages, their entries) per household (application), first number first."""
    groups: dict[str, list[int]] = {}
    for i, e in enumerate(entries):
        groups.setdefault(e["application_id"] or e["id"], []).append(i)
    plan = []
    for indices in groups.values():
        path = default_path(ws, entries[indices[0]])
        plan.append(((Path(out) / path.name) if out is not None else path,
                     [docs[i] for i in indices], [entries[i] for i in indices]))
    return plan


def _per_household(ws, renderer, entries, docs, out, progress, cancel) -> PrintOutcome:
    plan = _household_plan(ws, entries, docs, out)
    outcome = PrintOutcome()
    unmarked: list[tuple[dict, int, Path]] = []

    def on_file(result: RenderResult, index: int) -> None:
        # Marks are written in groups (one transaction, one disk sync each). A crash before
        # a group is marked only means those PDFs are printed again: same name, same content.
        unmarked.extend((e, i + 1, result.path) for i, e in enumerate(plan[index][2]))
        outcome.files.append(result.path)
        outcome.printed += result.pages
        outcome.warnings += result.warnings
        if len(unmarked) >= MARK_EVERY:
            _mark_files(ws, unmarked)

    try:
        results = renderer.render_files([(p, d) for p, d, _ in plan], progress=progress,
                                        cancel=cancel, on_file=on_file)
    finally:
        _mark_files(ws, unmarked)
    outcome.cancelled = any(r.cancelled for r in results)
    return outcome


def _mark(ws: Workspace, pages: list[tuple[dict, int]], path: Path) -> None:
    _mark_files(ws, [(e, page, path) for e, page in pages])


def _mark_files(ws: Workspace, unmarked: list[tuple[dict, int, Path]]) -> None:
    if unmarked:
        register_of(ws).mark_printed_many([(e["id"], page, str(path))
                                           for e, page, path in unmarked], actor=ws.actor)
        unmarked.clear()


def pending(ws: Workspace, disaster_id: str) -> list[dict]:
    """Entries whose PDF was never finished (a crash, a cancelled batch)."""
    return register_of(ws).entries(disaster_id, print_status="allocated", limit=1_000_000)


def print_pending(ws: Workspace, disaster_id: str, **options) -> PrintOutcome:
    return print_entries(ws, pending(ws, disaster_id), **options)


@dataclass
class QrCheck:
    ok: bool
    entry: dict | None
    message: str


def verify_qr(ws: Workspace, text: str) -> QrCheck:
    """Does a scanned code match a register entry, unchanged and still valid?"""
    ref = parse_qr_text(text)
    if ref is None:
        return QrCheck(False, None, tr("office.qr_unreadable"))
    entry = register_of(ws).by_number(ref.disaster_id, ref.number, ref.municipality_code)
    if entry is None:
        return QrCheck(False, None, tr("office.qr_no_entry", number=ref.number))
    register = register_of(ws)
    if not register.hash_ok(entry["id"]) or not entry["entry_hash"].startswith(ref.hash_prefix):
        return QrCheck(False, entry, tr("office.qr_mismatch", number=entry["number_text"]))
    if entry["validity"] != "valid":
        return QrCheck(False, entry, tr(f"office.qr_{entry['validity']}",
                                        number=entry["number_text"]))
    return QrCheck(True, entry, tr("office.qr_ok", number=entry["number_text"]))

