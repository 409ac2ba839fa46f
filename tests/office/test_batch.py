"""Batches: hundreds of certificates in one PDF or one PDF per household, with progress and
cancel; an interrupted batch leaves entries that print later."""

from __future__ import annotations

from pypdf import PdfReader

from survey_app.services.office_issuing import allocate, issue_all_judged
from survey_app.services.office_printing import pending, print_entries, print_pending
from survey_app.store.certificates import CertificateRegister
from tests.office.office_data import apply, judged_building, many_judged


def allocated(ws, disaster, n):
    return [allocate(ws, a) for a in many_judged(ws, disaster, n)]


def test_one_pdf_holds_every_certificate_in_number_order(ws, disaster, tmp_path):
    entries = allocated(ws, disaster, 30)
    calls = []
    outcome = print_entries(ws, entries, out=tmp_path / "batch.pdf",
                            progress=lambda done, total: calls.append((done, total)))
    reader = PdfReader(str(tmp_path / "batch.pdf"))
    assert len(reader.pages) == 30 and outcome.printed == 30
    assert calls == [(i, 30) for i in range(1, 31)]
    for i in (0, 17, 29):
        assert f"第{i + 1}号" in reader.pages[i].extract_text()
    register = CertificateRegister(ws.store)
    pages = [(e["pdf_page"], e["print_status"]) for e in register.entries(disaster)]
    assert pages == [(i, "printed") for i in range(1, 31)]


def test_one_pdf_per_household(ws, disaster, tmp_path):
    entries = allocated(ws, disaster, 12)
    outcome = print_entries(ws, entries, out=tmp_path / "out", single_file=False)
    files = sorted((tmp_path / "out").glob("*.pdf"))
    assert len(files) == 12 == len(outcome.files)
    assert files[0].name == "172049-000001.pdf"
    assert all(len(PdfReader(str(f)).pages) == 1 for f in files)
    assert pending(ws, disaster) == []


def test_cancelled_single_file_batch_writes_nothing_and_stays_pending(ws, disaster, tmp_path):
    entries = allocated(ws, disaster, 20)
    seen = []
    out = tmp_path / "out"
    outcome = print_entries(ws, entries, out=out / "batch.pdf",
                            progress=lambda done, total: seen.append(done),
                            cancel=lambda: len(seen) >= 5)
    assert outcome.cancelled and outcome.files == []
    assert not out.exists() or list(out.iterdir()) == []  # no half file, no temporary
    assert len(pending(ws, disaster)) == 20
    assert print_pending(ws, disaster, out=tmp_path / "later.pdf").printed == 20


def test_cancelled_per_household_batch_keeps_finished_files(ws, disaster, tmp_path):
    entries = allocated(ws, disaster, 10)
    seen = []
    outcome = print_entries(ws, entries, out=tmp_path / "out", single_file=False,
                            progress=lambda done, total: seen.append(done),
                            cancel=lambda: len(seen) >= 4)
    assert outcome.cancelled and len(outcome.files) == 4
    assert len(list((tmp_path / "out").iterdir())) == 4
    assert len(pending(ws, disaster)) == 6


def test_issue_all_judged_skips_unjudged_homes_with_the_reason(ws, disaster, tmp_path):
    many_judged(ws, disaster, 5)
    judged_building(ws, disaster, "輪島市鳳至町9-9", grade=None)
    unjudged = apply(ws, disaster, applicant_name="未判定 世帯",
                     household_address="輪島市鳳至町9-9", damaged_address="輪島市鳳至町9-9")
    batch = issue_all_judged(ws, disaster, out=tmp_path / "all.pdf")
    assert [e["number"] for e in batch.issued] == [1, 2, 3, 4, 5]
    assert [(a["id"], "被害の程度が判定されていない" in why) for a, why in batch.skipped] == [
        (unjudged, True)]
    assert len(PdfReader(str(tmp_path / "all.pdf")).pages) == 5
    again = issue_all_judged(ws, disaster, out=tmp_path / "again.pdf")
    assert again.issued == [] and not (tmp_path / "again.pdf").exists()
