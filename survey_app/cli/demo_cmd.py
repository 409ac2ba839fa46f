"""`survey-app demo`: fill the local store with a demo disaster (used by the Quick start)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from survey_app.cli import CliError
from survey_app.i18n import tr


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="デモ用の災害・建物・調査・申請・写真をローカルに作る")
    p.add_argument("--home", type=Path, help="作成先フォルダ (既定: SURVEY_APP_HOME)")
    p.add_argument("--buildings", type=int, default=3000, help="建物数 (既定 3000)")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--force", action="store_true", help="既にデータがあっても追加する")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from survey_app.services.demo import build_demo, has_data
    from survey_app.services.workspace import Workspace

    if not 10 <= args.buildings <= 300_000:
        raise CliError(tr("demo.bad_count", count=args.buildings))
    ws = Workspace(args.home, actor="demo") if args.home else Workspace.open_default(actor="demo")
    try:
        if has_data(ws) and not args.force:
            print(tr("demo.exists", path=ws.home))
            return 0

        def progress(done: int, total: int) -> None:
            print(f"\r{tr('demo.progress', done=done, total=total)}", end="", file=sys.stderr)

        summary = build_demo(ws, buildings=args.buildings, seed=args.seed, progress=progress)
        print(file=sys.stderr)
        print(tr("demo.done", path=ws.home, **vars(summary)))
    finally:
        ws.close()
    return 0
