"""The office commands, run through argparse exactly as `survey-app` runs them."""

from __future__ import annotations

import argparse

import pytest
from pypdf import PdfReader

from survey_app.cli import CliError, office_cmd
from survey_app.services.office_printing import doc_for
from survey_app.store.certificates import CertificateRegister
from tests.office.office_data import judged_building, judgement


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="survey-app")
    office_cmd.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args([*argv, "--actor", "窓口 CLI"])
    return args.func(args)


@pytest.fixture
def surveyed(ws, disaster):
    return judged_building(ws, disaster, "石川県輪島市河井町1-2-3", grade="hankai")


APPLY = ["apply", "--name", "髙﨑 太郎", "--kana", "たかさき たろう",
         "--household-address", "石川県金沢市広坂1-1-1",
         "--damaged-address", "輪島市河井町一丁目2番地3号",
         "--cause", "令和6年1月1日の令和6年能登半島地震による",
         "--member", "髙﨑 太郎,世帯主,1960-04-01", "--member", "髙﨑 花子,妻,1962-05-02",
         "--method", "site", "--received-on", "2024-01-10"]


def test_apply_issue_list_and_search(ws, disaster, surveyed, capsys, tmp_path):
    assert run(APPLY) == 0
    number, app_id, building = capsys.readouterr().out.strip().split("\t")
    assert number == "A-00001" and building == surveyed[0]
    assert ws.store.applications.get(app_id)["members"][1]["relation"] == "妻"
    out = tmp_path / "c.pdf"
    assert run(["issue", "--application", "A-00001", "--extra2", "床上浸水",
                "--out", str(out)]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("第1号\trisai\t半壊\t")
    text = "".join(PdfReader(str(out)).pages[0].extract_text().split())
    assert "床上浸水" in text and "髙﨑太郎" in text
    assert run(["certificates", "list"]) == 0
    listed = capsys.readouterr().out.strip().split("\t")
    assert listed[:3] == ["第1号", "risai", "issue"] and "printed" in listed
    assert run(["applications", "たかさき"]) == 0
    assert capsys.readouterr().out.startswith("A-00001\t髙﨑 太郎")


def test_missing_field_is_one_clear_error(ws, disaster):
    argv = list(APPLY)
    i = argv.index("--cause")
    del argv[i:i + 2]
    with pytest.raises(CliError, match="必須項目「罹災原因」"):
        run(argv)


def test_reissue_void_and_check(ws, disaster, surveyed, capsys, tmp_path):
    run(APPLY)
    run(["issue", "--application", "A-00001"])
    assert run(["reissue", "第1号", "--reason", "紛失"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("第2号\trisai")
    with pytest.raises(CliError, match="superseded"):
        run(["void", "1", "--reason", "誤交付"])
    assert run(["void", "2", "--reason", "誤交付", "--print", "--out",
                str(tmp_path / "v.pdf")]) == 0
    text = "".join(PdfReader(str(tmp_path / "v.pdf")).pages[0].extract_text().split())
    assert "取消" in text and "誤交付" in text and "第1号の証明書に代えて再交付" in text
    capsys.readouterr()
    assert run(["certificates", "check"]) == 0
    assert "欠番 -" in capsys.readouterr().out


def test_resurvey_request_reissue_and_history(ws, disaster, surveyed, capsys):
    run(APPLY)
    run(["issue", "--application", "A-00001"])
    capsys.readouterr()
    assert run(["resurvey-request", "1", "--reason", "不服", "--assign", "鈴木"]) == 0
    request_id, stage, survey_id, surveyor = capsys.readouterr().out.strip().split("\t")
    assert (stage, surveyor) == ("second", "鈴木")
    with pytest.raises(CliError, match="判定がまだ"):
        run(["resurvey-reissue", request_id])
    ws.store.surveys.complete(survey_id, observations={}, judgement=judgement("zenkai"),
                              author="鈴木")
    assert run(["resurvey-reissue", request_id]) == 0
    assert capsys.readouterr().out.startswith("第2号\trisai\t全壊")
    assert run(["history", "2"]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.strip().splitlines()]
    assert [r[1] for r in rows] == ["第1次調査", "罹災証明書 第1号 交付", "再調査申請",
                                    "第2次調査", "罹災証明書 第2号 再交付"]
    assert rows[2][3] == request_id and rows[3][3] == survey_id  # the ids other commands take
    assert "再交付済み" in rows[2][2] and "担当: 鈴木" in rows[2][2]


def test_print_batch_and_verify_qr(ws, disaster, surveyed, capsys, tmp_path):
    run(APPLY)
    run(["issue", "--all-judged", "--out", str(tmp_path / "all.pdf")])
    capsys.readouterr()
    assert run(["print-batch", "--numbers", "1", "--per-household", "--out",
                str(tmp_path / "each")]) == 0
    assert (tmp_path / "each" / "172049-000001.pdf").exists()
    assert run(["print-batch", "--numbers", "1", "--out", str(tmp_path / "folder")]) == 0
    assert (tmp_path / "folder" / "172049-000001.pdf").exists()  # a folder: one per household
    entry = CertificateRegister(ws.store).by_number(disaster, 1)
    assert entry["print_count"] == 3
    assert run(["certificates", "verify-qr", doc_for(entry).qr_text]) == 0
    assert "有効" in capsys.readouterr().out
    assert run(["certificates", "verify-qr", "RSC1:172049:X:1:0000000000000000"]) == 1
    with pytest.raises(CliError, match="番号の範囲"):
        run(["print-batch", "--numbers", "1-x"])


def test_unknown_certificate_number_and_settings(ws, disaster, capsys):
    with pytest.raises(CliError, match="交付台帳にありません"):
        run(["reissue", "99", "--reason", "紛失"])
    with pytest.raises(CliError, match="読めません"):
        run(["void", "一二", "--reason", "x"])
    assert run(["certificates", "settings", "--set", "mayor_name=見本 太郎",
                "--set", "seal_offset_mm=-5,3"]) == 0
    assert '"mayor_name": "見本 太郎"' in capsys.readouterr().out
    with pytest.raises(CliError, match="設定項目「mayer」"):
        run(["certificates", "settings", "--set", "mayer=x"])
