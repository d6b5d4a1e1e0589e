"""The reader's first paint rests on Textual's public API only (so Textual can be a compatible
range): its heavy work starts from the screen's layout-refresh signal, right after the first
frame, well before the one-second fallback."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from ui_fixtures import make_app

from tui_news.ui.screens.main import MainScreen

UI = Path(__file__).resolve().parents[1] / "src" / "tui_news" / "ui"


def test_the_reader_uses_no_private_textual_hook() -> None:
    """No `super()._x`, `app._x` or `screen._x`, and no method named like Textual's private
    rendering hooks: the kind of use that pinned Textual to one exact release."""
    private_hooks = {"_compositor_refresh", "_batch_count", "_display", "_refresh_layout"}
    found = []
    for path in UI.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and \
                    node.name in private_hooks:
                found.append(f"{path.name}:{node.lineno} def {node.name}")
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and \
                    not node.attr.startswith("__"):
                owner = node.value
                if isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and \
                        owner.func.id == "super":
                    found.append(f"{path.name}:{node.lineno} super().{node.attr}")
                if isinstance(owner, ast.Attribute) and owner.attr in ("app", "screen"):
                    found.append(f"{path.name}:{node.lineno} .{owner.attr}.{node.attr}")
                if node.attr in private_hooks:
                    found.append(f"{path.name}:{node.lineno} .{node.attr}")
    assert found == []


async def test_the_work_behind_the_first_paint_starts_from_the_first_frame(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(MainScreen, "FIRST_PAINT_FALLBACK_S", 3600.0)  # only the frame can do it
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(3000):
            screen = app.screen
            if isinstance(screen, MainScreen) and screen._painted:  # noqa: SLF001
                break
            await pilot.pause(0.01)
        assert isinstance(screen, MainScreen) and screen._painted  # noqa: SLF001
        assert len(screen.articles.ids) > 3  # every id, loaded after the first frame
