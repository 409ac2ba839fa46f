"""The user guides (docs/guide/) say what the app really shows.

- Every image and relative link in docs/guide/**/*.md and README.md points at a file that exists
  (and a #anchor at a heading of that file).
- The surveyor's and office guides quote screen labels in a checkable way: 「…」 in Japanese and
  “…” in English is a label or message of the app (its catalogue, a form label from forms/, or
  one of the application form's survey methods),
  and so is each part of a menu path `A → B`. Inside a quote, … stands for the changing part of
  a message ({count}, {path}…). Buttons of Qt's own dialogs are written 〔OK〕 and must be one of
  Qt's standard buttons as Qt shows them in the guide's language (they are not in our
  catalogue; the app installs Qt's Japanese translation).
- Each guide has the same number of headings per level in Japanese and English.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from survey_app.i18n import catalogue
from survey_app.services.office_applications import METHODS

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "guide"
DOCS = sorted(GUIDE.rglob("*.md")) + [ROOT / "README.md"]
CHECKED = ("surveyor.md", "office.md")  # the guides written to the quoting convention
QUOTES = {"ja": re.compile(r"「([^「」\n]+)」"), "en": re.compile(r"“([^“”\n]+)”")}
MENU_PATH = re.compile(r"`([^`\n]+ → [^`\n]+)`")
QT_BUTTON = re.compile(r"〔([^〔〕\n]+)〕")
QT_BUTTONS = {"en": {"OK", "Cancel", "Save", "Yes", "No", "Close"},
              "ja": {"OK", "キャンセル", "保存", "はい", "いいえ", "閉じる"}}
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^(#{1,6}) (.+)$", re.M)


def _strip_code_blocks(text: str) -> str:
    return re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    kept = "".join(c for c in heading.strip().lower() if c.isalnum() or c in " -_")
    return kept.replace(" ", "-")


def _form_labels(lang: str) -> set[str]:
    key = "label_en" if lang == "en" else "label"
    found: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            if isinstance(node.get(key), str):
                found.add(node[key])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in (ROOT / "forms" / "forms").glob("*.json"):
        walk(json.loads(path.read_text(encoding="utf-8")))
    return found


def _labels(lang: str) -> list[str]:
    """Every text the app can show, with {placeholders} as …; a menu title with and without
    its accelerator letter, as Qt shows it and as one says it."""
    # The application form's survey methods are shown as the unified form words them.
    texts = list(catalogue(lang).values()) + sorted(_form_labels(lang)) + list(METHODS.values())
    out = []
    for text in texts:
        text = text.replace("{{", "{").replace("}}", "}")
        text = re.sub(r"\{[^{}]*\}", "…", text)
        out.append(re.sub(r"\(&(\w)\)", r"(\1)", text).replace("&", ""))  # ファイル(F)
        out.append(re.sub(r"\(&\w\)", "", text).replace("&", ""))  # ファイル
    return out


def _is_label(quote: str, labels: list[str]) -> bool:
    pattern = re.compile(".*".join(re.escape(part) for part in quote.split("…")), re.S)
    return any(pattern.fullmatch(label) for label in labels)


def _guides(lang: str) -> list[Path]:
    return [GUIDE / lang / name for name in CHECKED]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_links_and_images_exist(doc: Path) -> None:
    text = _strip_code_blocks(doc.read_text(encoding="utf-8"))
    broken = []
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target):
            continue  # http:, https:, mailto:
        file_part, _, anchor = target.partition("#")
        path = (doc.parent / file_part).resolve() if file_part else doc
        if not path.exists():
            broken.append(target)
        elif anchor and path.suffix == ".md":
            headings = HEADING.findall(_strip_code_blocks(path.read_text(encoding="utf-8")))
            if anchor not in {_slug(title) for _, title in headings}:
                broken.append(target)
    assert not broken, f"{doc.name}: missing link targets {broken}"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_quoted_labels_are_the_apps_own(lang: str) -> None:
    labels = _labels(lang)
    unknown, seen = [], 0
    for doc in _guides(lang):
        text = _strip_code_blocks(doc.read_text(encoding="utf-8"))
        quotes = QUOTES[lang].findall(text)
        for path in MENU_PATH.findall(text):
            quotes += [part.strip() for part in path.split(" → ")]
        seen += len(quotes)
        unknown += [f"{doc.name}: {q}" for q in quotes if not _is_label(q, labels)]
        unknown += [f"{doc.name}: 〔{b}〕" for b in QT_BUTTON.findall(text)
                    if b not in QT_BUTTONS[lang]]
    assert seen > 100  # the convention is really used, not silently skipped
    assert not unknown, "not a label or message of the app:\n" + "\n".join(unknown)


def test_every_label_check_can_fail() -> None:
    labels = _labels("ja")
    assert _is_label("サーバと同期…", labels)
    assert _is_label("同期しました (送信 … 件、受信 … 件、写真 … 枚)。サーバと一致しています", labels)
    assert not _is_label("サーバと同期する", labels)
    assert not _is_label("保存", labels)


def test_the_japanese_qt_buttons_are_what_qt_shows(qapp) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from survey_app.ui.app import install_qt_translations

    standard = QDialogButtonBox.StandardButton
    try:
        assert install_qt_translations("ja")
        box = QDialogButtonBox(standard.Ok | standard.Cancel | standard.Save | standard.Yes
                               | standard.No | standard.Close)
        shown = {re.sub(r"\(&\w\)|&", "", b.text()) for b in box.buttons()}  # はい(&Y)
    finally:
        install_qt_translations("en")
    assert shown == QT_BUTTONS["ja"]


@pytest.mark.parametrize("name", sorted({p.name for p in (GUIDE / "ja").glob("*.md")}
                                        | {p.name for p in (GUIDE / "en").glob("*.md")}))
def test_japanese_and_english_have_the_same_sections(name: str) -> None:
    ja, en = GUIDE / "ja" / name, GUIDE / "en" / name
    assert ja.exists() and en.exists(), f"{name} must exist in both ja/ and en/"

    def levels(path: Path) -> list[int]:
        text = _strip_code_blocks(path.read_text(encoding="utf-8"))
        return [len(hashes) for hashes, _ in HEADING.findall(text)]

    assert levels(ja) == levels(en), f"{name}: headings differ between ja and en"
