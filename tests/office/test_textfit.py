from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from survey_app.certificates.fonts import register
from survey_app.certificates.textfit import NO_LINE_END, NO_LINE_START, fit, wrap

FONT = register("mincho")
ALPHABET = "輪島市河井町一丁目番地号髙﨑（）「」、。ー1234567890abc 　"


@given(text=st.text(alphabet=ALPHABET, min_size=1, max_size=600),
       width=st.floats(min_value=40, max_value=400), size=st.sampled_from([5.0, 8.0, 12.0]))
@settings(max_examples=200, deadline=None)
def test_wrapping_loses_nothing_and_never_overflows(text, width, size):
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines = wrap(text, FONT, size, width)
    assert "".join(lines) == text
    for line in lines:
        assert len(line) == 1 or stringWidth(line, FONT, size) <= width + 1e-6


def test_no_line_starts_with_closing_or_ends_with_opening_punctuation():
    text = "被災住家の所在地は「輪島市河井町一丁目」、世帯主は髙﨑（たかさき）。" * 6
    for width in range(60, 200, 7):
        lines = wrap(text, FONT, 10, width)
        assert "".join(lines) == text
        for before, after in zip(lines, lines[1:], strict=False):
            assert after[0] not in NO_LINE_START, (before, after)
            assert before[-1] not in NO_LINE_END, (before, after)


def test_fit_shrinks_before_giving_up():
    short = fit("輪島市河井町", FONT, 300, 20, max_size=12, min_size=5)
    long = fit("輪島市河井町" * 40, FONT, 300, 40, max_size=12, min_size=5)
    assert short.size == 12 and len(short.lines) == 1
    assert 5 <= long.size < 12 and "".join(long.lines) == "輪島市河井町" * 40
    assert fit("輪" * 5000, FONT, 300, 40, max_size=12, min_size=5) is None
