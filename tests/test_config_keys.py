"""config [keys] checked like every other section: an unknown action, a key name no terminal
sends and a key another action keeps are warnings naming their line, and that line is ignored;
the reader's footer and help go on showing every action with a key."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Cli
from ui_fixtures import make_app

from tui_news.config import load_config
from tui_news.keymap import DEFAULT_KEYS, check_keys, key_name
from tui_news.ui.keys import reader_bindings
from tui_news.ui.screens.help import HelpScreen
from tui_news.ui.screens.main import MainScreen

CONFIG = """[general]
language = "vi"

[keys]
refreshh = "z"          # a typo of refresh
help = "ctl+h"          # no such modifier
star = "r"              # refresh keeps r
quit = "ctrl+q"
search = "?,ctrl+f"     # help keeps ?
mark_all_read = "A"
"""


@pytest.mark.parametrize(("key", "name"), [
    ("r", "r"), ("R", "R"), ("ctrl+r", "ctrl+r"), ("f5", "f5"), ("?", "question_mark"),
    ("question_mark", "question_mark"), ("/", "slash"), ("slash", "slash"), ("-", "minus"),
    ("shift+tab", "shift+tab"), ("ctrl+shift+up", "ctrl+shift+up"), ("pagedown", "pagedown"),
    ("1", "1"), ("full_stop", "full_stop"),
    ("ctl+r", None), ("rr", None), ("F5", None), ("ctrl+", None), ("ctrl+ctrl+r", None),
    (" ", None), ("page_down", None), ("enterr", None), ("a_b", None),
])
def test_key_names_as_the_terminal_sends_them(key: str, name: str | None) -> None:
    assert key_name(key) == name


def test_every_binding_of_the_reader_is_in_the_table() -> None:
    ids = {b.id for b in reader_bindings()}  # type: ignore[union-attr]
    assert ids == set(DEFAULT_KEYS)


def test_swapped_keys_do_not_clash() -> None:
    valid, problems = check_keys({"star": "r", "refresh": "s"})
    assert valid == {"star": "r", "refresh": "s"} and problems == []


def test_problems_are_warnings_naming_their_line(cli: Cli) -> None:
    cli.config.write_text(CONFIG, encoding="utf-8")
    run = cli("articles")
    assert run.status == 0
    warnings = run.err.splitlines()
    path = cli.config
    assert warnings[0].startswith(f"tui-news: {path}:5: keys.refreshh ignored: unknown action "
                                  "'refreshh' (actions: refresh, ")
    assert warnings[1:] == [
        f"tui-news: {path}:6: keys.help ignored: 'ctl+h' is not a key name (such as r, R, "
        "ctrl+r, f5, question_mark)",
        f"tui-news: {path}:7: keys.star ignored: 'r' is already the key of refresh; star keeps "
        "its own",
        f"tui-news: {path}:9: keys.search ignored: 'question_mark' is already the key of help; "
        "search keeps its own",
    ]
    assert load_config(path).keys == {"quit": "ctrl+q", "mark_all_read": "A"}


async def test_footer_and_help_keep_every_key(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG, encoding="utf-8")
    config = load_config(path)
    assert len(config.warnings) == 4
    app = make_app(tmp_path, config=config)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        footer = str(screen.query_one("#keys").render())
        assert "r Làm mới" in footer and "s Lưu" in footer and "/ Tìm" in footer
        await pilot.press("question_mark")  # help kept its key
        assert isinstance(app.screen, HelpScreen)
        rows = {action: key for key, action in app.screen._rows}
        assert rows["Làm mới"] == "r" and rows["Lưu"] == "s" and rows["Thoát"] == "^q"
        assert rows["Đánh dấu cả mục đã đọc"] == "A"
