"""Hostile text reaches the screen literally and inert; only tui_news.ui imports Textual."""

from __future__ import annotations

import ast
from pathlib import Path

from ui_fixtures import FEEDS, HOSTILE_TITLES, make_app, ui_config

from tui_news.models import FeedConfig
from tui_news.ui.screens.main import MainScreen

SIZE = (140, 40)
PACKAGE = Path(__file__).resolve().parents[1] / "src" / "tui_news"
HOSTILE_CATEGORY = "[@click=app.quit]Tin[/]"


def _screen_text(screen: MainScreen) -> tuple[str, list[str]]:
    """Everything the list draws (plain text) and the raw segment texts."""
    lines, raw = [], []
    for y in range(screen.articles.size.height):
        strip = screen.articles.render_line(y)
        lines.append(strip.text)
        raw.extend(segment.text for segment in strip)
    return "\n".join(lines), raw


async def test_hostile_titles_are_shown_literally_and_nothing_runs(tmp_path: Path) -> None:
    config = ui_config(tmp_path)
    config = type(config)(path=config.path, feeds=(*FEEDS, FeedConfig(
        "https://example.vn/rss", HOSTILE_CATEGORY, "[b]Nguồn[/b]")), feeds_configured=True)
    app = make_app(tmp_path, hostile=True, config=config)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        text, raw = _screen_text(screen)
        for title in HOSTILE_TITLES[:3]:
            assert title in text
        assert "[b]Đậm[/b] và [link=https://evil.example]" in text
        # The escape sequence is inert: its ESC and BEL are shown as U+FFFD.
        assert "\ufffd]52;c;SGVsbG8=\ufffd sao chép bí mật" in text
        assert not any(ch in segment for segment in raw for ch in "\x1b\x07\x9b\x9d")
        # Clicking each hostile article opens it; `[@click=app.quit]` does not quit.
        for row in range(len(HOSTILE_TITLES)):
            await pilot.click(screen.articles, offset=(4, 1 + row * 2))
            await pilot.pause()
            assert app.is_running
            shown = [str(w.render()) for w in screen.article_view.children]
            assert screen.store.article(screen.article_view.article_id).title.replace(
                "\x1b", "\ufffd").replace("\x07", "\ufffd") == shown[0]
            await pilot.click(screen.article_view, offset=(2, 1))
            assert app.is_running
        assert "[i]tóm tắt[/i] \ufffd[2J" in shown
        # The hostile category name: drawn literally in the sidebar, and the palette lists it.
        sidebar = screen.categories
        lines = [sidebar.entry_line(n, 40).plain for n in range(len(sidebar.entries))]
        assert any(HOSTILE_CATEGORY in line for line in lines)
        await pilot.click(sidebar, offset=(3, len(sidebar.entries)))  # +1: the border
        assert app.is_running
        await pilot.pause()
        # On screen (the SVG holds the drawn cells): the list's border title shows it literally.
        assert f"·&#160;{HOSTILE_CATEGORY}" in app.export_screenshot()
        await pilot.press("ctrl+p")
        await pilot.press(*"Tin")
        await pilot.pause(0.5)
        assert app.is_running
        await pilot.press("escape")
        await pilot.press("slash", *"[/", "enter")
        await pilot.pause(0.3)
        assert app.is_running


def test_only_the_ui_package_imports_textual() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if (PACKAGE / "ui") in path.parents:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [f"{path.relative_to(PACKAGE)}: {n}" for n in names
                          if n == "textual" or n.startswith("textual.")]
    assert offenders == []
    assert any((PACKAGE / "ui").rglob("*.py"))
