"""The command palette (ctrl+p) in the UI language, diacritics optional, one theme entry."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import Input, OptionList
from ui_fixtures import make_app

from tui_news.ui.screens.main import MainScreen

SIZES = [(80, 24), (100, 30), (120, 40), (200, 60)]
WAIT = 0.8  # the palette gathers hits in a worker and waits 0.5 s before "no matches"


def options(app) -> list[str]:  # type: ignore[no-untyped-def]
    listed = app.screen.query_one(OptionList)
    return [str(listed.get_option_at_index(n).prompt) for n in range(listed.option_count)]


async def typed(pilot, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    palette.query_one(Input).value = text
    await pilot.pause(WAIT)
    for _ in range(100):  # the hits are gathered in a worker: slow on a loaded machine
        if not any(w.node is palette and not w.is_finished for w in pilot.app.workers):
            break
        await pilot.pause(0.05)
    await pilot.pause(0.1)
    return options(pilot.app)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
async def test_palette_in_vietnamese_without_diacritics(tmp_path: Path,
                                                        size: tuple[int, int]) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await pilot.press("ctrl+p")
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        assert palette.query_one(Input).placeholder == "Tìm lệnh (không cần dấu)…"
        found = await typed(pilot, "lam moi")
        assert found[:2] == ["Làm mới", "Làm mới tất cả"] or set(found[:2]) == {
            "Làm mới", "Làm mới tất cả"}
        found = await typed(pilot, "giao dien")
        assert found == ["Đổi giao diện màu"]  # once: Textual's "Theme" is not offered
        found = await typed(pilot, "xyzzy")
        assert found == ["Không có lệnh nào khớp “xyzzy”"]
        assert "No matches found" not in " ".join(found)
        found = await typed(pilot, "chuyen muc the gioi")
        assert found[0] == "Chuyên mục: Thế giới"
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.view_entry.name == "Thế giới"


async def test_palette_in_english_lists_no_english_only_system_commands(tmp_path: Path) -> None:
    app = make_app(tmp_path, lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        assert app.screen.query_one(Input).placeholder == (
            "Search for commands (accents optional)…")
        found = await typed(pilot, "theme")
        assert found == ["Change the colour theme"]
        assert await typed(pilot, "xyzzy") == ["No command matches “xyzzy”"]
        assert await typed(pilot, "quit") == ["Quit"]


async def test_palette_theme_command_opens_the_theme_picker(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await typed(pilot, "giao dien")
        await pilot.press("enter")
        await pilot.pause(0.3)
        picker = app.screen
        assert isinstance(picker, CommandPalette)
        assert picker.query_one(Input).placeholder == "Tìm giao diện màu…"
        assert "nord" in await typed(pilot, "nord")
        assert await typed(pilot, "xyzzy") == ["Không có lệnh nào khớp “xyzzy”"]
        await typed(pilot, "nord")
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert app.theme == "nord"
