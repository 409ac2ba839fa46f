"""The printed certificate: every field read back from the PDF, fonts embedded, bad input."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from PIL import Image
from pypdf import PdfReader

from survey_app.certificates.model import CertificateDoc
from survey_app.certificates.render import CertificateRenderer
from survey_app.certificates.settings import CertificateSettings
from survey_app.services.office import OfficeError, load_settings, save_settings
from survey_app.services.office_issuing import issue_certificate
from survey_app.services.office_printing import pending
from tests.office.office_data import CAUSE, apply, judged_building

HOUSEHOLD = "石川県金沢市広坂一丁目1番地1号"
DAMAGED = "石川県輪島市河井町一丁目2番地3号"


def page_text(path, page: int = 0) -> str:
    return "".join(PdfReader(str(path)).pages[page].extract_text().split())


def compact(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def configured(ws, disaster):
    settings = load_settings(ws, ws.store.buildings.disaster(disaster))
    settings.mayor_name = "見本　太郎"
    save_settings(ws, settings)
    return settings


def test_risai_certificate_holds_every_field(ws, disaster, configured):
    judged_building(ws, disaster, DAMAGED, grade="daikibo")
    app = apply(ws, disaster, applicant_name="髙﨑 太郎", household_address=HOUSEHOLD,
                damaged_address=DAMAGED)
    extras = ("世帯構成員：髙﨑太郎（世帯主）、髙﨑花子（妻）", "床上浸水", "車両1台 全損（届出）")
    outcome = issue_certificate(ws, app, extras=extras, issued_on="2024-02-01")
    text = page_text(outcome.pdf_path)
    for expected in ("罹災証明書", "第1号", "令和6年2月1日", "髙﨑太郎", compact(HOUSEHOLD),
                     compact(DAMAGED), compact(CAUSE), "■大規模半壊", "□全壊", "□半壊",
                     "輪島市長見本太郎", "上記のとおり相違ないことを証明します。",
                     *map(compact, extras), "RSC1:172049:"):
        assert expected in text, expected
    assert "被災証明書" not in text
    assert outcome.entry["print_status"] == "printed"
    assert outcome.warnings == []


def test_the_japanese_fonts_are_embedded(ws, disaster, configured):
    if not shutil.which("pdffonts"):
        pytest.skip("poppler-utils (pdffonts) is not installed")
    judged_building(ws, disaster, DAMAGED)
    outcome = issue_certificate(ws, apply(ws, disaster, damaged_address=DAMAGED))
    listing = subprocess.run(["pdffonts", str(outcome.pdf_path)], capture_output=True,
                             text=True, check=True).stdout.splitlines()[2:]
    assert listing, "no fonts in the PDF"
    for line in listing:
        assert " yes yes yes " in line, line  # emb sub uni
    assert not any("Helvetica" in line for line in listing)


def test_page_renders_with_glyphs_in_the_title_area(ws, disaster, configured, tmp_path):
    if not shutil.which("pdftoppm"):
        pytest.skip("poppler-utils (pdftoppm) is not installed")
    judged_building(ws, disaster, DAMAGED)
    outcome = issue_certificate(ws, apply(ws, disaster, applicant_name="髙﨑 太郎",
                                          damaged_address=DAMAGED))
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-singlefile", str(outcome.pdf_path),
                    str(tmp_path / "page")], check=True)
    image = Image.open(tmp_path / "page.png").convert("L")
    assert abs(image.size[0] - 661) <= 1 and abs(image.size[1] - 935) <= 1  # A4, 80 dpi
    title = image.crop((200, 90, 460, 135))  # 罹災証明書
    assert title.getextrema()[0] < 80, "the title rendered no dark pixels"


def test_without_a_grade_no_risai_but_a_hisai_certificate(ws, disaster, configured):
    judged_building(ws, disaster, DAMAGED, grade=None)
    app = apply(ws, disaster, damaged_address=DAMAGED)
    with pytest.raises(OfficeError, match="被害の程度が判定されていない"):
        issue_certificate(ws, app)
    assert ws.store.db["certificates"].count == 0
    outcome = issue_certificate(ws, app, kind="hisai", reported_damage="屋根瓦の一部落下（届出）")
    text = page_text(outcome.pdf_path)
    assert "被災証明書" in text and "罹災証明書" not in text
    assert "屋根瓦の一部落下（届出）" in text
    assert "上記のとおり届出があったことを証明します。" in text
    for grade in ("全壊", "大規模半壊", "半壊", "準半壊"):
        assert grade not in text
    assert outcome.entry["grade_code"] is None


def test_renderer_refuses_a_risai_doc_without_grade(tmp_path):
    renderer = CertificateRenderer(CertificateSettings(municipality_name="輪島市"))
    doc = CertificateDoc(kind="risai", number_text="第1号", issued_on="2024-02-01",
                         household_name="山田", household_address="a", damaged_address="b",
                         cause="c", issuer="輪島市長")
    with pytest.raises(ValueError, match="judged grade"):
        renderer.render_pdf([doc], tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_different_addresses_both_printed_and_same_address_printed_twice(ws, disaster,
                                                                          configured):
    judged_building(ws, disaster, DAMAGED)
    same = apply(ws, disaster, household_address=DAMAGED, damaged_address="同上")
    text = page_text(issue_certificate(ws, same).pdf_path)
    assert text.count(compact(DAMAGED)) == 2


def test_extras_are_kept_on_reprint_and_absent_when_not_given(ws, disaster, configured):
    judged_building(ws, disaster, DAMAGED)
    outcome = issue_certificate(ws, apply(ws, disaster, damaged_address=DAMAGED))
    text = page_text(outcome.pdf_path)
    assert "追加記載事項" in text and "①" in text and "③" in text
    assert outcome.entry["payload"]["extras"] == ["", "", ""]


def test_jis_x_0208_outsiders_render_and_a_missing_glyph_is_warned(ws, disaster, configured):
    judged_building(ws, disaster, DAMAGED)
    fine = issue_certificate(ws, apply(ws, disaster, applicant_name="髙﨑 彅",
                                       damaged_address=DAMAGED))
    assert fine.warnings == []
    assert "髙﨑彅" in page_text(fine.pdf_path)
    judged_building(ws, disaster, "輪島市河井町9-9")
    odd = issue_certificate(ws, apply(ws, disaster, applicant_name="𠮷田 太郎",
                                      household_address="輪島市河井町9-9",
                                      damaged_address="輪島市河井町9-9"))
    assert len(odd.warnings) == 1
    assert "世帯主氏名" in odd.warnings[0] and "U+20BB7" in odd.warnings[0]
    assert odd.entry["payload"]["household_name"] == "𠮷田 太郎"  # nothing lost


def test_a_500_character_address_wraps_and_shrinks_but_is_all_there(ws, disaster, configured):
    long_address = "石川県輪島市河井町一丁目2番地3号" + "".join(
        f"（{i}）輪島朝市通り沿い東側の倉庫兼住宅" for i in range(30))
    long_address = long_address[:500]
    judged_building(ws, disaster, DAMAGED)
    outcome = issue_certificate(ws, apply(ws, disaster, household_address=long_address,
                                          damaged_address=DAMAGED))
    text = page_text(outcome.pdf_path)
    assert compact(long_address) in text
    assert compact(DAMAGED) in text and "■半壊" in text


def test_text_too_long_for_the_page_is_refused_clearly_and_stays_reprintable(
        ws, disaster, configured):
    judged_building(ws, disaster, DAMAGED)
    app = apply(ws, disaster, household_address="輪" * 1900, damaged_address=DAMAGED,
                cause="令和6年1月1日の地震による" * 120)
    with pytest.raises(OfficeError) as err:
        issue_certificate(ws, app)
    assert "長すぎて証明書の欄に収まりません" in str(err.value)
    assert "世帯主住所" in str(err.value) or "罹災原因" in str(err.value)
    [entry] = pending(ws, disaster)
    assert entry["number"] == 1 and entry["print_status"] == "allocated"


def test_household_members_fill_extra_one_unless_the_clerk_writes_it(ws, disaster, configured):
    judged_building(ws, disaster, DAMAGED)
    members = [{"name": "髙﨑 太郎", "relation": "世帯主"}, {"name": "髙﨑 花子", "relation": "妻"}]
    app = apply(ws, disaster, damaged_address=DAMAGED, members=members)
    outcome = issue_certificate(ws, app)
    assert outcome.entry["payload"]["extras"][0] == "世帯構成員　髙﨑 太郎（世帯主）、髙﨑 花子（妻）"
    assert "髙﨑花子（妻）" in page_text(outcome.pdf_path)
    judged_building(ws, disaster, "輪島市河井町7-7")
    other = apply(ws, disaster, applicant_name="別 世帯", household_address="輪島市河井町7-7",
                  damaged_address="輪島市河井町7-7", members=members)
    written = issue_certificate(ws, other, extras=("", "床下浸水", ""))
    assert written.entry["payload"]["extras"] == ["", "床下浸水", ""]


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils not installed")
@pytest.mark.parametrize("grade", ["ichibu", "daikibo"])
def test_nothing_is_drawn_outside_the_table_on_the_right(tmp_path, grade):
    doc = CertificateDoc(kind="risai", number_text="第1号", issued_on="2024-02-01",
                         household_name="山田 太郎", household_address="輪島市河井町1-2-3",
                         damaged_address="輪島市河井町1-2-3", cause="地震による",
                         issuer="輪島市長", grade_code=grade)
    CertificateRenderer(CertificateSettings()).render_pdf([doc], tmp_path / "c.pdf")
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", str(tmp_path / "c.pdf"),
                    str(tmp_path / "c")], check=True)
    image = Image.open(tmp_path / "c.png").convert("L")
    right_border = round((210 - 20) / 25.4 * 100)
    table = (right_border + 3, round(47 / 25.4 * 100), image.size[0], round(200 / 25.4 * 100))
    assert image.crop(table).getextrema()[0] > 200, "ink right of the table"
