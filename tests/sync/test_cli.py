"""The commands: create-admin and serve run the server's own command line; sync syncs the
laptop's default store and says whether it agrees with the server."""

from __future__ import annotations

import argparse
import subprocess
import sys

from survey_app.cli import CliError, serve_cmd, sync_cmd
from tests.sync.fieldwork import Laptop, add_users
from tests.sync.support import REPO, TEST_ENV, Tenant


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    serve_cmd.register(sub)
    sync_cmd.register(sub)
    return parser.parse_args(argv)


def test_create_admin_reads_the_password_from_stdin_and_the_admin_can_log_in(server):
    code = "cli" + str(abs(hash(server.port)))[:6]
    args = _parse(["create-admin", "--municipality", code, "--username", f"boss-{code}",
                   "--db", server.db_url, "--data", str(server.data_dir)])
    cmd = [sys.executable, "-m", "survey_app.server", *serve_cmd.server_argv(args)]
    env = {**__import__("os").environ, **TEST_ENV, "SURVEY_APP_LANG": "ja"}
    done = subprocess.run(cmd, input="correct-horse-9\n", text=True, capture_output=True,
                          cwd=REPO, env=env)
    assert done.returncode == 0, done.stderr
    assert f"boss-{code}" in done.stdout and "correct-horse-9" not in done.stdout
    again = subprocess.run(cmd, input="correct-horse-9\n", text=True, capture_output=True,
                           cwd=REPO, env=env)
    assert again.returncode == 2 and "既に存在します" in again.stderr
    weak = subprocess.run([*cmd[:-2], "--username", f"x-{code}"], input="short\n", text=True,
                          capture_output=True, cwd=REPO, env=env)
    assert weak.returncode == 2 and "8 文字以上" in weak.stderr
    tenant = Tenant(server, code, f"boss-{code}", "correct-horse-9")
    add_users(tenant, {"office": "office"})  # logs in as the new admin


def test_sync_command_uses_the_password_from_the_environment(tenant, tmp_path, monkeypatch,
                                                              capsys):
    add_users(tenant, {"office": "office"})
    office = Laptop(tmp_path, tenant, "office")
    office.disaster()
    office.close()
    monkeypatch.setenv("SURVEY_APP_HOME", str(tmp_path / "office"))
    monkeypatch.setenv("SURVEY_APP_PASSWORD", "pw-office-123")
    args = _parse(["sync", "--server", tenant.server.url, "--user", tenant.user("office")])
    assert sync_cmd.run(args) == 0
    assert "一致しています" in capsys.readouterr().out
    monkeypatch.setenv("SURVEY_APP_PASSWORD", "wrong-one")
    try:
        sync_cmd.run(args)
    except CliError as err:
        assert "パスワードが違います" in str(err) and err.status == 1
    else:
        raise AssertionError("a wrong password must fail")
