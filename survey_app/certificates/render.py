"""Certificates to PDF files: one file with many pages, or one file per household.

Every file is written to a temporary name in the target folder and renamed into place, so a
crash never leaves a half-written PDF under the real name. Long batches report progress as
(done, total) and stop between pages when `cancel()` returns True.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from survey_app.certificates.fonts import FontPair, missing_glyphs, register_pair
from survey_app.certificates.layout import PAGE_H, PAGE_W, draw_certificate
from survey_app.certificates.model import CertificateDoc
from survey_app.certificates.qr import qr_image
from survey_app.certificates.settings import CertificateSettings
from survey_app.i18n import tr

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]
TEXT_FIELDS = (("household_name", "世帯主氏名"), ("household_address", "世帯主住所"),
               ("damaged_address", "被災住家の所在地"), ("cause", "罹災原因"),
               ("reported_damage", "被害の状況"), ("issuer", "交付者"))


@dataclass
class RenderResult:
    path: Path | None
    pages: int
    warnings: list[str] = field(default_factory=list)
    cancelled: bool = False


@contextlib.contextmanager
def _binary_streams():
    """Plain binary streams instead of ASCII85: smaller files, and reportlab's pure-Python
    ASCII85 encoder was a tenth of the time per certificate. (reportlab reads this global.)"""
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` under a temporary name in the same folder, fsync, then rename over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


class CertificateRenderer:
    """Holds the registered fonts and seal image; make one and reuse it for a whole batch."""

    def __init__(self, settings: CertificateSettings) -> None:
        self.settings = settings
        self.fonts: FontPair = register_pair(settings.mincho_font, settings.gothic_font)
        self.seal = ImageReader(settings.seal_image) if settings.seal_image else None

    def glyph_warnings(self, doc: CertificateDoc) -> list[str]:
        """One message per field holding characters the embedded font cannot show."""
        texts = [(label, getattr(doc, attr)) for attr, label in TEXT_FIELDS]
        texts += [(f"追加記載事項{m}", t) for m, t in zip("①②③", doc.extras, strict=True)]
        out = []
        for label, text in texts:
            missing = missing_glyphs(self.fonts.mincho, text) if text else []
            if missing:
                out.append(tr("office.glyph_missing", number=doc.number_text, field=label,
                              chars="".join(missing),
                              codes=" ".join(f"U+{ord(ch):04X}" for ch in missing)))
        return out

    def _canvas(self, sink: io.BytesIO, title: str, compress: bool) -> Canvas:
        # initialFontName: otherwise every page names an unembedded Helvetica.
        c = Canvas(sink, pagesize=(PAGE_W, PAGE_H), pageCompression=int(compress),
                   initialFontName=self.fonts.gothic)
        c.setTitle(title)
        c.setAuthor(self.settings.issuer_title() or self.settings.municipality_name)
        c.setCreator("survey-app")
        return c

    def _page(self, c: Canvas, doc: CertificateDoc) -> list[str]:
        doc.check()
        qr = qr_image(doc.qr_text) if doc.qr_text else None
        draw_certificate(c, doc, self.fonts, self.settings, qr=qr, seal=self.seal)
        c.showPage()
        return self.glyph_warnings(doc)

    def render_pdf(self, docs: Sequence[CertificateDoc], out: Path, *,
                   progress: Progress | None = None, cancel: Cancel | None = None,
                   offset: int = 0, total: int | None = None,
                   compress: bool = True) -> RenderResult:
        """All `docs` as pages of one PDF at `out`. Cancelled → no file is written.
        `compress` also deflates the embedded font subsets (reportlab ties the two)."""
        with _binary_streams():
            return self._render_pdf(docs, out, progress, cancel, offset,
                                    len(docs) if total is None else total, compress)

    def _render_pdf(self, docs, out, progress, cancel, offset, total,
                    compress) -> RenderResult:
        sink = io.BytesIO()
        c = self._canvas(sink, docs[0].title if docs else "", compress)
        warnings: list[str] = []
        for i, doc in enumerate(docs):
            if cancel is not None and cancel():
                return RenderResult(None, 0, warnings, cancelled=True)
            warnings += self._page(c, doc)
            if progress is not None:
                progress(offset + i + 1, total)
        c.save()
        write_atomically(Path(out), sink.getvalue())
        return RenderResult(Path(out), len(docs), warnings)

    def render_files(self, groups: Sequence[tuple[Path, Sequence[CertificateDoc]]], *,
                     progress: Progress | None = None, cancel: Cancel | None = None,
                     on_file: Callable[[RenderResult, int], None] | None = None,
                     compress: bool = False) -> list[RenderResult]:
        """One PDF per group (e.g. per household). Files finished before a cancel are kept;
        `on_file(result, group index)` runs after each file is in place (to record it).

        Not compressed by default: each small file would deflate its own font subsets again,
        a quarter of its time, to save about 30 KB (69 → 101 KB per certificate)."""
        total = sum(len(docs) for _, docs in groups)
        done, results = 0, []
        for index, (path, docs) in enumerate(groups):
            if cancel is not None and cancel():
                results.append(RenderResult(None, 0, cancelled=True))
                break
            result = self.render_pdf(docs, path, progress=progress, offset=done, total=total,
                                     compress=compress)
            done += len(docs)
            results.append(result)
            if on_file is not None:
                on_file(result, index)
        return results
