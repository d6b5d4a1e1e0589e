"""Save screenshots/main-vi.svg, main-en.svg, narrow.svg, search.svg and help.svg from the fixture
cache (no network).

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


async def shoot(name: str, size: tuple[int, int], lang: str, keys: tuple[str, ...]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(Path(tmp), lang=lang)
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


if __name__ == "__main__":
    asyncio.run(main())
