from __future__ import annotations

import shutil
import subprocess

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from survey_app.certificates import fonts
from survey_app.certificates.model import CertificateDoc
from survey_app.certificates.qr import parse_qr_text, qr_image, qr_matrix, qr_text
from survey_app.certificates.render import CertificateRenderer
from survey_app.certificates.settings import CertificateSettings, SettingsError
from survey_app.services.office_issuing import issue_certificate
from survey_app.services.office_printing import doc_for, verify_qr
from tests.office.office_data import many_judged

HASH = "0123456789abcdef" * 4


@given(code=st.from_regex(r"[0-9]{6}", fullmatch=True), number=st.integers(1, 10**7),
       digest=st.from_regex(r"[0-9a-f]{64}", fullmatch=True), disaster=st.uuids())
def test_qr_text_round_trips(code, number, digest, disaster):
    text = qr_text(code, str(disaster), number, digest)
    ref = parse_qr_text(text)
    assert (ref.municipality_code, ref.disaster_id, ref.number) == (code, str(disaster), number)
    assert digest.startswith(ref.hash_prefix) and len(ref.hash_prefix) == 16


def test_qr_image_is_the_code_matrix():
    text = qr_text("172049", "01a21760-6b69-7431-9d81-c89344c5ede9", 123, HASH)
    matrix = qr_matrix(text)
    reader = qr_image(text)
    size, _ = reader.getSize()
    pixels = reader.getRGBData()
    depth = len(pixels) // (size * size)
    n = len(matrix)
    assert size == (n + 8) * 4  # quiet zone of 4 modules, 4 pixels per module
    for y in range(n):
        for x in range(n):
            offset = (((y + 4) * 4 + 1) * size + (x + 4) * 4 + 1) * depth
            assert (pixels[offset] == 0) == matrix[y][x]


def test_verify_qr_spots_an_altered_entry_and_bad_text(ws, disaster):
    [app] = many_judged(ws, disaster, 1)
    entry = issue_certificate(ws, app).entry
    code = doc_for(entry).qr_text
    assert verify_qr(ws, code).ok
    assert not verify_qr(ws, "https://example.com").ok
    db = ws.store.db
    db.execute("DROP TRIGGER certificates_fixed_content")  # a determined tamperer
    assert entry["grade"] == "全壊"
    db.execute("UPDATE certificates SET grade = '半壊' WHERE id = ?", [entry["id"]])
    check = verify_qr(ws, code)
    assert not check.ok and "一致しません" in check.message


def test_settings_round_trip_and_clear_errors(tmp_path):
    path = tmp_path / "settings.json"
    CertificateSettings(municipality_name="輪島市", mayor_name="見本 太郎",
                        seal_offset_mm=(-5.0, 3.0)).save(path)
    loaded = CertificateSettings.load(path)
    assert loaded.issuer() == "輪島市長　見本 太郎" and loaded.seal_offset_mm == (-5.0, 3.0)
    path.write_text('{"mayor": "x"}', encoding="utf-8")
    with pytest.raises(SettingsError, match="不明な項目.*mayor"):
        CertificateSettings.load(path)
    path.write_text('{"number_format": "第{no}号"}', encoding="utf-8")
    with pytest.raises(SettingsError, match="番号の書式"):
        CertificateSettings.load(path)
    path.write_text("{", encoding="utf-8")
    with pytest.raises(SettingsError, match="読めません"):
        CertificateSettings.load(path)


def test_number_format_and_mayor_title_are_configurable(ws, disaster):
    from survey_app.services.office import load_settings, save_settings

    settings = load_settings(ws)
    settings.number_format = "輪島第{number:05d}号"
    settings.mayor_title = "輪島市長職務代理者 副市長"
    save_settings(ws, settings)
    [app] = many_judged(ws, disaster, 1)
    entry = issue_certificate(ws, app).entry
    assert entry["number_text"] == "輪島第00001号"
    assert entry["payload"]["issuer"] == "輪島市長職務代理者 副市長"


def _red_box(png) -> tuple[int, int, int, int]:
    image = Image.open(png).convert("RGB")
    red = Image.eval(image.split()[0], lambda v: 255 if v > 200 else 0)
    mask = Image.composite(red, Image.new("L", image.size, 0),
                           Image.eval(image.split()[1], lambda v: 255 if v < 60 else 0))
    return mask.getbbox()


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils not installed")
def test_seal_image_is_placed_where_configured(tmp_path):
    seal = tmp_path / "seal.png"
    Image.new("RGB", (100, 100), (230, 0, 0)).save(seal)
    doc = CertificateDoc(kind="risai", number_text="第1号", issued_on="2024-02-01",
                         household_name="山田 太郎", household_address="輪島市河井町1-2-3",
                         damaged_address="輪島市河井町1-2-3", cause="地震による",
                         issuer="輪島市長", grade_code="hankai")
    boxes = []
    for offset in ((0.0, 0.0), (-30.0, 10.0)):
        settings = CertificateSettings(seal_image=str(seal), seal_offset_mm=offset)
        CertificateRenderer(settings).render_pdf([doc], tmp_path / "c.pdf")
        subprocess.run(["pdftoppm", "-r", "80", "-png", "-singlefile", str(tmp_path / "c.pdf"),
                        str(tmp_path / "c")], check=True)
        boxes.append(_red_box(tmp_path / "c.png"))
    px_per_mm = 80 / 25.4
    assert boxes[0][2] - boxes[0][0] == pytest.approx(18 * px_per_mm, abs=2)
    assert boxes[1][0] - boxes[0][0] == pytest.approx(-30 * px_per_mm, abs=2)
    assert boxes[1][1] - boxes[0][1] == pytest.approx(-10 * px_per_mm, abs=2)


def test_font_finder_knows_windows_and_bundled_places(monkeypatch, tmp_path):
    monkeypatch.setenv("WINDIR", str(tmp_path / "Windows"))
    names = [p.name for p in fonts.candidates("mincho")]
    assert names.index("ipaexm.ttf") < names.index("BIZ-UDMinchoM.ttc")
    assert "msmincho.ttc" in names and "BIZ-UDGothicR.ttc" in [
        p.name for p in fonts.candidates("gothic")]
    assert any("resources/fonts" in p.as_posix() for p in fonts.candidates("gothic"))


def test_a_bad_font_file_is_skipped_and_no_font_gives_a_clear_message(monkeypatch, tmp_path):
    bogus = tmp_path / "bogus.ttf"
    bogus.write_bytes(b"not a font at all" * 10)
    name = fonts.register("gothic", override=str(bogus))
    assert "bogus" not in name  # fell through to a real font
    monkeypatch.setattr(fonts, "_LINUX", {"mincho": (), "gothic": ()})
    monkeypatch.setattr(fonts, "_BUNDLED", {"mincho": (), "gothic": ()})
    monkeypatch.setenv("WINDIR", str(tmp_path / "Windows"))
    with pytest.raises(fonts.FontNotFoundError, match="fonts-ipaexfont") as err:
        fonts.register("mincho", override=str(bogus))
    assert str(bogus) in str(err.value)
