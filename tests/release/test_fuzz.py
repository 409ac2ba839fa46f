"""Hostile input: arbitrary and mutated survey JSON, garbage files for `survey-app assess`, and
broken photos for intake. Each gets a clear error naming what is wrong; nothing crashes and a
bad file never stops the good ones."""

from __future__ import annotations

import contextlib
import copy
import io
import json
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survey_app import paths
from survey_app.cli import main as cli_main
from survey_app.domain.observations import TOP_KEYS, ObservationError
from survey_app.photos import (
    BlobStore,
    IntakeFailure,
    IntakeResult,
    PhotoError,
    import_many,
    import_photo,
    inspect_photo,
)
from survey_app.rules import default_rulebook

BOOK = default_rulebook()
EXAMPLES = sorted((paths.forms_dir() / "examples").glob("*.json"))
SEEDS = [json.loads(p.read_text(encoding="utf-8")) for p in EXAMPLES]
DOCUMENT_CODES = ("not_object", "no_route")  # issues about the whole document, not one field
FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=True)
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=5),
    max_leaves=12,
)


def locations(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from locations(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from locations(item, (*prefix, i))


def mutated(seed: dict, where: tuple, new, delete: bool):
    obs = copy.deepcopy(seed)
    if not where:
        return new
    parent = obs
    for step in where[:-1]:
        parent = parent[step]
    if delete:
        del parent[where[-1]]
    else:
        parent[where[-1]] = new
    return obs


def judge_or_observation_error(obs) -> None:
    """validate() and judge() agree; a refusal is an ObservationError naming each field."""
    issues = BOOK.validate(obs)
    try:
        judgement = BOOK.judge(obs)
    except ObservationError as err:
        assert err.issues, "an ObservationError without issues"
        for issue in err.issues:
            assert issue.message
            if issue.path:  # it starts with a field of the document (or one it should have)
                assert any(issue.path == k or issue.path.startswith((f"{k}.", f"{k}["))
                           for k in {*TOP_KEYS, *obs}), issue
            else:
                # No field to name: the document is not an object, nothing in it can be
                # judged, or the unknown key is the empty string itself.
                assert issue.code in DOCUMENT_CODES or (
                    issue.code == "unknown_key" and "" in obs), issue
        return
    assert issues == [], issues
    assert json.dumps(judgement.to_dict(), ensure_ascii=False)


@FUZZ
@given(json_values)
def test_arbitrary_json_gets_a_judgement_or_named_fields(value):
    judge_or_observation_error(value)


@FUZZ
@given(st.sampled_from(SEEDS), st.data(), json_values, st.booleans())
def test_mutated_examples_get_a_judgement_or_named_fields(seed, data, new, delete):
    where = data.draw(st.sampled_from(list(locations(seed))))
    judge_or_observation_error(mutated(seed, where, new, delete and bool(where)))


def test_every_example_is_judged():
    for seed in SEEDS:
        assert BOOK.judge(seed).to_dict()["grade_code"]


# -- survey-app assess on garbage files ------------------------------------------------------

def run_assess(path: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli_main(["assess", str(path)])
    return status, out.getvalue(), err.getvalue()


garbage = (
    st.binary(max_size=400)
    | st.text(max_size=200).map(lambda t: t.encode("utf-8"))
    | json_values.map(lambda v: json.dumps(v).encode("utf-8"))
    | st.tuples(st.sampled_from(EXAMPLES), st.floats(0, 1)).map(
        lambda pair: pair[0].read_bytes()[: int(len(pair[0].read_bytes()) * pair[1])])
)


@FUZZ
@given(garbage)
def test_assess_refuses_garbage_with_one_line(tmp_path_factory, content):
    path = tmp_path_factory.getbasetemp() / "assess-input.json"
    path.write_bytes(content)
    status, out, err = run_assess(path)
    if status == 0:  # it happened to be a complete survey
        assert "grade_code" in json.loads(out)
        return
    assert status == 2 and out == ""
    # One message (a key may itself hold a line break, so lines are not counted).
    assert err.startswith("エラー: ") and err.endswith("\n") and "Traceback" not in err


@pytest.mark.parametrize("content", [b"", b"\xff\xfe\x00garbage", b"{\"hazard\": ",
                                     b"[1, 2, 3]", "{\"hazard\": \"地震\"}".encode()])
def test_assess_command_exits_2_without_traceback(tmp_path, content):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    done = subprocess.run([sys.executable, "-m", "survey_app", "assess", str(path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("エラー: ") and done.stdout == ""


# -- photo intake ------------------------------------------------------------------------------

def sample_jpegs(exif_samples: Path) -> list[Path]:
    return sorted(exif_samples.rglob("*.jpg"))


def png_with_size(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` x `height` (a decompression bomb's calling card)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


def jpeg_with_size(original: bytes, width: int, height: int) -> bytes:
    """A real JPEG with its frame header rewritten to claim another size. The segments are
    walked from the start: the EXIF block holds a thumbnail JPEG with a frame header of its own."""
    at = 2  # after SOI
    while original[at + 1] not in (0xC0, 0xC1, 0xC2):
        at += 2 + struct.unpack(">H", original[at + 2:at + 4])[0]
    at += 5  # marker, length, precision
    return original[:at] + struct.pack(">HH", height, width) + original[at + 4:]


def check_intake(data: bytes, name: str = "photo.jpg") -> IntakeResult | None:
    """import_photo and inspect_photo on `data`: a result, or a PhotoError and nothing stored."""
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / name
        path.write_bytes(data)
        blobs = BlobStore(Path(work) / "blobs")
        info = inspect_photo(path)
        try:
            result = import_photo(path, blobs)
        except PhotoError as err:
            assert err.message and err.code and name in err.message
            assert list(blobs.iter_shas()) == []
            assert info["error_code"] and info["error"]
            return None
        assert blobs.verify(result.sha256) and blobs.path_for(result.sha256).read_bytes() == data
        assert info["sha256"] == result.sha256
        return result


# Pillow warns about the broken EXIF blocks these make; the photo still gets a clean verdict.
PIL_EXIF_WARNINGS = pytest.mark.filterwarnings("ignore::UserWarning:PIL.TiffImagePlugin")


@PIL_EXIF_WARNINGS
@FUZZ
@given(st.data())
def test_truncated_photos_fail_cleanly(exif_samples, data):
    original = data.draw(st.sampled_from(sample_jpegs(exif_samples))).read_bytes()
    cut = data.draw(st.integers(0, len(original) - 1))
    result = check_intake(original[:cut])
    if cut < len(original) * 0.9:  # the image data itself is cut off: never accepted
        assert result is None


@PIL_EXIF_WARNINGS
@FUZZ
@given(st.data())
def test_corrupted_photos_fail_cleanly_or_import_intact(exif_samples, data):
    original = bytearray(data.draw(st.sampled_from(sample_jpegs(exif_samples))).read_bytes())
    for _ in range(data.draw(st.integers(1, 20))):
        at = data.draw(st.integers(0, len(original) - 1))
        original[at] = data.draw(st.integers(0, 255))
    check_intake(bytes(original))


@pytest.mark.parametrize(("data", "code"), [
    (b"", "empty"),
    (b"just some text, not a photo\n" * 20, "not_image"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "not_image"),
    (png_with_size(100_000, 100_000), "too_large"),
])
def test_unusable_files_get_their_code(data, code):
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "IMG_0001.JPG"
        path.write_bytes(data)
        with pytest.raises(PhotoError) as caught:
            import_photo(path, BlobStore(Path(work) / "blobs"))
        assert caught.value.code == code
        assert "IMG_0001.JPG" in caught.value.message
        assert inspect_photo(path)["error_code"] == code


def test_a_jpeg_claiming_a_huge_size_is_refused_before_decoding(exif_samples):
    original = sample_jpegs(exif_samples)[0].read_bytes()
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "huge.jpg"
        path.write_bytes(jpeg_with_size(original, 65_000, 65_000))
        with pytest.raises(PhotoError) as caught:
            import_photo(path, BlobStore(Path(work) / "blobs"))
        assert caught.value.code in ("too_large", "corrupt", "truncated")


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_import_many_imports_the_good_and_reports_each_bad(exif_samples, tmp_path_factory, data):
    samples = sample_jpegs(exif_samples)
    good = data.draw(st.lists(st.sampled_from(samples), min_size=1, max_size=4, unique=True))
    bad = data.draw(st.lists(st.sampled_from([
        b"", b"not a photo", png_with_size(100_000, 100_000),
        samples[0].read_bytes()[:2000]]), min_size=1, max_size=4))
    work = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp()))
    files = [(p, True) for p in good]
    for i, content in enumerate(bad):
        path = work / f"bad_{i}.jpg"
        path.write_bytes(content)
        files.append((path, False))
    order = data.draw(st.permutations(files))
    blobs = BlobStore(work / "blobs")
    results = import_many([p for p, _ in order], blobs)
    assert len(results) == len(order)
    for (path, ok), result in zip(order, results, strict=True):
        assert result.source == path
        if ok:
            assert isinstance(result, IntakeResult) and blobs.verify(result.sha256)
        else:
            assert isinstance(result, IntakeFailure) and path.name in result.message
    assert len(list(blobs.iter_shas())) == len(good)
