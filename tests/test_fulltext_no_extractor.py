"""A missing or broken trafilatura: the summary stays and one line in the UI language says why.

The CLI runs in a real process whose sitecustomize (on PYTHONPATH) makes `import trafilatura`
fail the way a missing install does, or raise like a broken one; so does the reader's refresh
child (refresh_process.py), which inherits the reader's environment.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, Cli, Site

from tui_news.config import Config
from tui_news.i18n import label
from tui_news.models import FeedConfig
from tui_news.refresh_process import run_refresh_process
from tui_news.ui.app import TuiNewsApp
from tui_news.ui.screens.main import MainScreen

SEED_LINK = "/tin-tuc/son-tay-quan-tam-day-manh-phong-trao.html"
AN_NINH = "Nội chính - An ninh - Quốc phòng"

BLOCKS = {
    "missing": "import sys\nsys.modules['trafilatura'] = None\n",
    "broken": (
        "import importlib.abc, sys\n"
        "class Broken(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'trafilatura':\n"
        "            raise RuntimeError('half-installed trafilatura')\n"
        "sys.meta_path.insert(0, Broken())\n"
    ),
}


def _run(cli: Cli, block: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(block)}
    return subprocess.run(
        [sys.executable, "-m", "tui_news", "--config", str(cli.config),
         "--data-dir", str(cli.data_dir), *args],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip


@pytest.fixture
def no_container(site: Site, cli: Cli) -> tuple[Cli, int]:
    """The seed article with no obvious body container: only trafilatura can read it."""
    feed = site.add_file("/seed.rss", "seed/sontay-feed.xml")
    page = (FIXTURES / "seed" / "sontay-article.html").read_bytes()
    site.add(SEED_LINK, page.replace(b'class="news-content"', b'class="x"'), "text/html")
    cli.write_config([(feed, AN_NINH)], weather_url=site.url("/v1/forecast"))
    assert cli("refresh").status == 0
    (item,) = cli("articles", "--json").json()
    return cli, item["id"]


@pytest.mark.parametrize("how", sorted(BLOCKS))
def test_show_full_keeps_the_summary_and_says_why(
    no_container: tuple[Cli, int], tmp_path: Path, how: str
) -> None:
    cli, article_id = no_container
    block = tmp_path / "block"
    block.mkdir()
    (block / "sitecustomize.py").write_text(BLOCKS[how])
    run = _run(cli, block, "show", str(article_id), "--full")
    assert run.returncode == 0, run.stderr
    assert run.stderr.splitlines() == [f"tui-news: {label('fulltext_no_extractor', 'vi')}"]
    assert "Traceback" not in run.stderr
    assert "Trong những năm gần đây" in run.stdout
    assert "HOÀNG PHƯƠNG - PHẠM HẢO" not in run.stdout  # the summary, not a full text
    (item,) = cli("articles", "--json").json()
    assert item["full_text"] is False


def test_refresh_full_says_it_once_in_english_when_asked(
    no_container: tuple[Cli, int], tmp_path: Path
) -> None:
    cli, _ = no_container
    config = cli.config.read_text(encoding="utf-8")
    cli.config.write_text('[general]\nlanguage = "en"\n' + config, encoding="utf-8")
    block = tmp_path / "block"
    block.mkdir()
    (block / "sitecustomize.py").write_text(BLOCKS["missing"])
    fresh = Cli(config=cli.config, data_dir=tmp_path / "fresh")
    run = _run(fresh, block, "refresh", "--full")
    assert run.returncode == 0, run.stderr
    message = label("fulltext_no_extractor", "en")
    assert run.stderr.count(message) == 1 and "Traceback" not in run.stderr
    (item,) = fresh("articles", "--json").json()
    assert item["full_text"] is False


def test_without_the_block_the_same_page_is_read_in_full(
    no_container: tuple[Cli, int], tmp_path: Path
) -> None:
    cli, article_id = no_container
    empty = tmp_path / "empty"
    empty.mkdir()
    run = _run(cli, empty, "show", str(article_id), "--full")
    assert run.returncode == 0 and run.stderr == ""
    assert run.stdout.rstrip().endswith("HOÀNG PHƯƠNG - PHẠM HẢO")


# --- the reader: its refresh runs in a child process (refresh_process.py) ------------------------


def _prefetch_config(tmp_path: Path, site: Site) -> Config:
    """[offline] prefetch on, English; the seed page without an obvious body container."""
    feed = site.add_file("/seed.rss", "seed/sontay-feed.xml")
    page = (FIXTURES / "seed" / "sontay-article.html").read_bytes()
    site.add(SEED_LINK, page.replace(b'class="news-content"', b'class="x"'), "text/html")
    return Config(path=tmp_path / "config.toml", timeout=5, language="en", prefetch=True,
                  weather_url=site.url("/v1/forecast"), feeds_configured=True,
                  feeds=(FeedConfig(feed, AN_NINH, "Sơn Tây"),))  # fmt: skip


def _blocked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    block = tmp_path / "block"
    block.mkdir()
    (block / "sitecustomize.py").write_text(BLOCKS["missing"])
    monkeypatch.setenv("PYTHONPATH", str(block))  # the child inherits the reader's environment


async def test_the_readers_refresh_child_carries_the_full_text_error(
    tmp_path: Path, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _prefetch_config(tmp_path, site)
    _blocked(tmp_path, monkeypatch)
    summary = await run_refresh_process(config, tmp_path / "cache.sqlite", weather=False)
    assert summary.new == 1
    assert summary.full_text_error == label("fulltext_no_extractor", "en")


async def test_the_reader_says_it_once_and_keeps_the_summary(
    tmp_path: Path, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _prefetch_config(tmp_path, site)
    _blocked(tmp_path, monkeypatch)
    message = label("fulltext_no_extractor", "en")
    app = TuiNewsApp(config, tmp_path / "cache.sqlite", offline=False, lang="en")
    said: list[str] = []  # every notification, kept after its toast has timed out
    notify = app.notify

    def spy(message: str, *args: Any, **kwargs: Any) -> None:
        said.append(message)
        notify(message, *args, **kwargs)

    monkeypatch.setattr(app, "notify", spy)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 30
        while not (screen.articles.ids and not screen._refreshing):
            assert loop.time() < deadline, "the refresh did not finish"
            await pilot.pause(0.05)
        await pilot.pause(0.1)
        toasts = [str(t.render()) for t in app.screen.query("Toast")]
        assert toasts.count(message) == 1, toasts
        article = screen.store.article(screen.articles.ids[0])
        assert article is not None and not article.has_full_text  # the summary stays
        # A second refresh brings a new article whose page meets the same fault: nothing more
        # is said.
        feed = (FIXTURES / "seed" / "sontay-feed.xml").read_bytes()
        second = (
            "<item><title>Tin thứ hai</title><link>http://127.0.0.1:PORT/tin-2.html</link>"
            "<guid isPermaLink=\"false\">sontay-2</guid>"
            "<pubDate>Thu, 20 Aug 2020 08:00:00 +0700</pubDate></item></channel>"
        ).encode()
        site.add("/seed.rss", feed.replace(b"</channel>", second))
        site.add("/tin-2.html", site.files[SEED_LINK][0], "text/html")
        screen.start_refresh(None, weather=False)
        deadline = loop.time() + 30
        while screen._refreshing:
            assert loop.time() < deadline, "the second refresh did not finish"
            await pilot.pause(0.05)
        await pilot.pause(0.1)
        assert len(site.requests_for("/tin-2.html")) == 1  # the prefetch did meet it
        assert said.count(message) == 1, said
