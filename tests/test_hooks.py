"""[hooks] new_articles through `tui-news refresh`: a real program, an argument list, {count}
and {categories} filled in, failures and timeouts in one line, nothing for --offline."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import Cli, Site

RECORDER = """import json, sys, time
out = sys.argv[1]
with open(out, "a", encoding="utf-8") as handle:
    handle.write(json.dumps(sys.argv[2:]) + "\\n")
if "--fail" in sys.argv:
    sys.stderr.write("cannot reach the notification daemon\\nsecond line\\n")
    sys.exit(3)
if "--slow" in sys.argv:
    time.sleep(30)
"""


@pytest.fixture
def hooked(tmp_path: Path, site: Site, cli: Cli):
    script = tmp_path / "recorder.py"
    script.write_text(RECORDER, encoding="utf-8")
    calls = tmp_path / "calls.jsonl"
    urls = [site.add_file("/rss/thoi-su.rss", "feeds/cli_thoi_su.xml"),
            site.add_file("/rss/an-ninh.rss", "feeds/cli_an_ninh.xml")]

    def configure(*extra: str, timeout: float = 10) -> None:
        argv = [sys.executable, str(script), str(calls), "{count} bài mới", "{categories}",
                "$(touch pwned)", *extra]
        cli.write_config([(urls[0], "Thời sự"), (urls[1], "An ninh")],
                         weather_url=site.url("/v1/forecast"),
                         extra=f"\n[hooks]\nnew_articles = {json.dumps(argv)}\n"
                               f"timeout = {timeout}\n")

    def recorded() -> list[list[str]]:
        if not calls.exists():
            return []
        return [json.loads(line) for line in calls.read_text(encoding="utf-8").splitlines()]

    return cli, configure, recorded, tmp_path


def test_the_hook_runs_after_new_articles_only(hooked, monkeypatch: pytest.MonkeyPatch) -> None:
    cli, configure, recorded, tmp_path = hooked
    monkeypatch.chdir(tmp_path)
    configure()
    run = cli("refresh")
    assert run.status == 0, run.err
    assert run.err == ""
    stored = len(cli("articles", "--json").json())  # every article is new on a first refresh
    assert f"{stored} new articles" in run.out and stored > 2
    # an argument list: "$(touch pwned)" reached the program as written
    assert recorded() == [[f"{stored} bài mới", "Thời sự, An ninh", "$(touch pwned)"]]
    assert not (tmp_path / "pwned").exists()
    # nothing new: not run again
    assert cli("refresh").status == 0
    assert len(recorded()) == 1
    # --offline: refresh refuses, and no hook
    assert cli("--offline", "refresh").status != 0
    assert len(recorded()) == 1


def test_a_failing_hook_is_one_line_and_the_refresh_still_succeeds(hooked) -> None:
    cli, configure, recorded, _ = hooked
    configure("--fail")
    run = cli("--lang", "en", "refresh")
    assert run.status == 0
    assert "0 new articles" not in run.out
    assert len([line for line in run.err.splitlines() if "new_articles" in line]) == 1, run.err
    assert "The new_articles hook (" in run.err
    assert "failed: exit 3: cannot reach the notification daemon" in run.err
    assert len(recorded()) == 1


def test_a_hook_that_hangs_is_stopped(hooked) -> None:
    cli, configure, recorded, _ = hooked
    configure("--slow", timeout=1)
    run = cli("--lang", "en", "refresh")
    assert run.status == 0
    hook_lines = [line for line in run.err.splitlines() if "new_articles" in line]
    assert len(hook_lines) == 1 and "ran over 1 s and was stopped" in hook_lines[0], run.err
    assert len(recorded()) == 1


def test_a_missing_program_is_one_line(site: Site, cli: Cli) -> None:
    url = site.add_file("/rss/thoi-su.rss", "feeds/cli_thoi_su.xml")
    missing = "tui-news-test-no-such-program"  # looked up on PATH, found nowhere
    cli.write_config([(url, "Thời sự")], weather_url=site.url("/v1/forecast"),
                     extra=f'\n[hooks]\nnew_articles = ["{missing}", "{{count}}"]\n')
    run = cli("--lang", "en", "refresh")
    assert run.status == 0
    hook_lines = [line for line in run.err.splitlines() if "new_articles" in line]
    assert hook_lines == [f"tui-news: The new_articles hook ({missing}) failed: "
                          "No such file or directory"], run.err


def test_a_hook_that_is_not_a_list_is_a_config_error(cli: Cli) -> None:
    cli.config.write_text('[hooks]\nnew_articles = "notify-send hi"\n', encoding="utf-8")
    run = cli("articles")
    assert run.status == 2 and "hooks.new_articles must be an array" in run.err
