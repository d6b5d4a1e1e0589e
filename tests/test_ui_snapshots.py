"""SVG snapshots of real screens (pytest-textual-snapshot); the clock is fixed by the fixture."""

from __future__ import annotations

import os
import re
from importlib import metadata
from pathlib import Path

import pytest
from ui_fixtures import make_app

CONSTRAINTS = Path(__file__).resolve().parents[1] / "constraints.txt"


def _pinned() -> dict[str, str]:
    """The versions constraints.txt pins (`name==version` lines)."""
    text = CONSTRAINTS.read_text(encoding="utf-8")
    return dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", text, re.MULTILINE))


@pytest.fixture(autouse=True)
def _drawn_with_the_pinned_versions() -> None:
    """Snapshots are drawn with one exact Textual and Rich: with others, skip and say so (fail
    when TUI_NEWS_REQUIRE_SNAPSHOTS=1, as in CI, which installs with constraints.txt)."""
    other = {name: metadata.version(name) for name, version in _pinned().items()
             if metadata.version(name) != version}
    if other:
        reason = (f"the snapshots are drawn with {_pinned()} (constraints.txt), installed: "
                  f"{other}; `pip install -c constraints.txt -e '.[test]'`")
        if os.environ.get("TUI_NEWS_REQUIRE_SNAPSHOTS") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


async def _settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause(0.4)  # the pane follows the cursor after its rest delay


async def _open_seed(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("7")
    await pilot.press("j", "j", "enter")
    await pilot.pause(0.4)


def test_main_screen_vi(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(tmp_path), terminal_size=(140, 40), run_before=_open_seed)


def test_main_screen_en(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(tmp_path, lang="en"), terminal_size=(140, 40),
                        run_before=_open_seed)


def test_narrow_screen(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(tmp_path), terminal_size=(80, 30), run_before=_settle)


def test_narrow_screen_reading(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(tmp_path), terminal_size=(80, 30), run_before=_open_seed)


def test_offline_stale_weather(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(tmp_path, weather="stale"), terminal_size=(140, 40),
                        run_before=_settle)


def test_hostile_titles(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(tmp_path, hostile=True), terminal_size=(140, 40),
                        run_before=_settle)


def test_help_screen(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("question_mark")
        await pilot.pause(0.2)

    assert snap_compare(make_app(tmp_path), terminal_size=(140, 40), run_before=run_before)


# The four sizes of the reader's size tests (test_ui_sizes.py): the screen, help, search, palette.
SIZES = [(80, 24), (100, 30), (120, 40), (200, 60)]
SIZE_IDS = [f"{w}x{h}" for w, h in SIZES]


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_screen_at(snap_compare, tmp_path: Path, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=_settle)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_help_at(snap_compare, tmp_path: Path, size) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("question_mark")
        await pilot.pause(0.2)

    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_search_at(snap_compare, tmp_path: Path, size) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("slash", *"ha noi", "enter")
        await pilot.pause(0.4)

    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_palette_at(snap_compare, tmp_path: Path, size) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        from textual.widgets import Input, OptionList

        await pilot.press("ctrl+p", *"lam moi")
        palette = pilot.app.screen
        palette.query_one(Input).cursor_blink = False  # one frame, whenever it is taken
        for _ in range(100):  # hits are gathered in a worker: slow on a loaded machine
            if palette.query_one(OptionList).option_count >= 2:
                break
            await pilot.pause(0.05)
        await pilot.pause(0.3)

    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=run_before)
