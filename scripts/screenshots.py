"""Save screenshots/main-vi.svg, main-en.svg, narrow.svg, search.svg, help.svg and sources.svg
from the fixture cache (no network).

Run from the project root: `.venv/bin/python scripts/screenshots.py`.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the fixture builder lives beside the UI tests

from ui_fixtures import make_app  # noqa: E402

OUT = ROOT / "screenshots"


async def shoot(name: str, size: tuple[int, int], lang: str, keys: tuple[str, ...], *,
                sources: bool = False) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = sources_app(Path(tmp), lang) if sources else make_app(Path(tmp), lang=lang)
        async with app.run_test(size=size) as pilot:
            await pilot.pause(0.2)
            await pilot.press(*keys)
            await pilot.pause(0.4)  # the pane follows the cursor once it rests
            app.save_screenshot(filename=f"{name}.svg", path=str(OUT))
    print(OUT / f"{name}.svg")


async def main() -> None:
    OUT.mkdir(exist_ok=True)
    # The seed article (Sơn Tây) is the third of its category, the 7th sidebar entry.
    await shoot("main-vi", (140, 40), "vi", ("7", "j", "j", "enter"))
    await shoot("main-en", (140, 40), "en", ("7", "j", "j", "enter"))
    await shoot("narrow", (80, 30), "vi", ("j",))
    await shoot("search", (100, 30), "vi", ("slash", *"ha noi", "enter"))
    await shoot("help", (100, 30), "vi", ("question_mark",))
    # Thời sự's feeds shown (→), the cursor on Tuổi Trẻ, whose last refresh failed.
    await shoot("sources", (120, 32), "vi", ("4", "shift+tab", "right", "j", "j"), sources=True)


def sources_app(tmp: Path, lang: str):  # type: ignore[no-untyped-def]
    """The fixture reader with two saved searches and one feed whose last refresh failed."""
    from dataclasses import replace

    from ui_fixtures import FEEDS, ui_config

    from tui_news.models import SavedSearch
    from tui_news.store import Store

    config = replace(ui_config(tmp), searches=(SavedSearch("Bão lũ", "bao lu"),
                                               SavedSearch("Giá vàng", "gia vang")))
    app = make_app(tmp, lang=lang, config=config)
    store = Store.open(tmp / "cache.sqlite")
    try:
        store.record_fetch(FEEDS[1].url, status="error", error="HTTP 503 Service Unavailable")
    finally:
        store.close()
    return app


if __name__ == "__main__":
    asyncio.run(main())
