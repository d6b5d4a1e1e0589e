"""`tui-news add` and `remove` through the real CLI, against a real local HTTP server."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from conftest import Cli, Site

from tui_news.catalogue import DEFAULT_FEEDS

MY_CONFIG = """# my own comment
[general]
language = "vi"  # keep me

[network]
timeout = 5

[weather]
url = "WEATHER"

# the news I read
[[feeds]]
url = "FIRST"
category = "Thời sự"

# keys come last
[keys]
refresh = "r"
"""

OWN_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Báo Làng Tôi</title><link>https://lang.example/</link>
<item><title>Tin một của làng</title><link>https://lang.example/1</link>
<guid>lang-1</guid><pubDate>Sun, 23 Aug 2026 02:00:00 +0700</pubDate>
<description>Một tin.</description></item>
<item><title>Tin hai của làng</title><link>https://lang.example/2</link>
<guid>lang-2</guid><pubDate>Sun, 23 Aug 2026 03:00:00 +0700</pubDate>
<description>Hai tin.</description></item>
</channel></rss>
"""


def page(*links: tuple[str, str]) -> bytes:
    heads = "".join(f'<link rel="alternate" type="{kind}" href="{href}" title="T {n}">'
                    for n, (kind, href) in enumerate(links))
    return (f"<!DOCTYPE html><html><head><title>Làng</title>{heads}"
            '<link rel="stylesheet" href="/x.css"></head><body><p>Trang chủ</p></body></html>'
            ).encode()


@pytest.fixture
def mine(site: Site, cli: Cli) -> tuple[Site, Cli, str]:
    first = site.add_file("/rss/thoi-su.rss", "feeds/cli_thoi_su.xml")
    cli.config.write_text(MY_CONFIG.replace("WEATHER", site.url("/v1/forecast"))
                          .replace("FIRST", first), encoding="utf-8")
    cli.config.chmod(0o600)
    return site, cli, first


def feeds_in(config: Path) -> list[dict[str, str]]:
    return tomllib.loads(config.read_text(encoding="utf-8")).get("feeds", [])


def test_add_a_feed_then_read_only_it(mine) -> None:
    site, cli, first = mine
    url = site.add("/lang/rss.xml", OWN_FEED.encode())
    run = cli("--lang", "en", "add", url, "--category", "Làng", "--title", "Làng tôi")
    assert run.status == 0, run.err
    assert f"Added {url} to Làng" in run.out and "Báo Làng Tôi: 2 articles" in run.out
    assert site.requests_for("/lang/rss.xml"), "the URL was checked with a fetch"
    text = cli.config.read_text(encoding="utf-8")
    # comments and layout kept; the new table after the last feed, before what followed it
    assert "# my own comment" in text and '# keep me' in text and "# the news I read" in text
    assert text.index(url) < text.index("# keys come last") < text.index("[keys]")
    assert oct(cli.config.stat().st_mode & 0o777) == oct(0o600)
    assert feeds_in(cli.config)[-1] == {"url": url, "category": "Làng", "title": "Làng tôi"}
    # its articles come with the next refresh, under its own category
    assert cli("refresh").status == 0
    only = cli("articles", "--category", "Làng", "--json").json()
    assert sorted(a["title"] for a in only) == ["Tin hai của làng", "Tin một của làng"]
    assert {a["feed_url"] for a in only} == {url}


def test_a_page_with_one_feed_link_subscribes_to_that_feed(mine) -> None:
    site, cli, _ = mine
    feed = site.add("/lang/feed/", OWN_FEED.encode())
    home = site.add("/lang/", page(("application/rss+xml", "feed/")), "text/html; charset=utf-8")
    run = cli("--lang", "en", "add", home)
    assert run.status == 0, run.err
    assert f"The feed of {home}: {feed}" in run.out
    assert feeds_in(cli.config)[-1] == {"url": feed, "category": "Khác"}  # relative href
    assert not site.requests_for("/x.css")
    # the feed itself is now a duplicate, found through the page as well
    again = cli("--lang", "en", "add", home)
    assert again.status == 1 and again.err.count("\n") == 1 and "already subscribed" in again.err


def test_a_page_with_several_feeds_offers_them_and_changes_nothing(mine) -> None:
    site, cli, _ = mine
    home = site.add("/many/", page(("application/rss+xml", "/a.rss"),
                                   ("application/atom+xml", "https://other.example/b.atom"),
                                   ("application/rss+xml", "javascript:alert(1)"),
                                   ("text/css", "/c.rss")), "text/html")
    before = cli.config.read_bytes()
    run = cli("--lang", "en", "add", home)
    assert run.status == 2
    assert f"{home} links to 2 feeds:" in run.out
    assert f"1. {site.url('/a.rss')}  T 0" in run.out
    assert "2. https://other.example/b.atom  T 1" in run.out
    assert "javascript" not in run.out and "/c.rss" not in run.out
    assert "run tui-news add again with one of them" in run.err
    assert cli.config.read_bytes() == before


@pytest.mark.parametrize(("path", "body", "ctype", "reason"), [
    ("/plain/", page(), "text/html", "the page links to no RSS or Atom feed"),
    ("/data.json", b'{"not": "a feed"}', "application/json", "not an RSS or Atom feed"),
    ("/missing.rss", None, "", "cannot be fetched (HTTP 404"),
])
def test_what_is_not_a_feed_is_refused_in_one_line(mine, path: str, body: bytes | None,
                                                  ctype: str, reason: str) -> None:
    site, cli, _ = mine
    url = site.add(path, body, ctype) if body is not None else site.url(path)
    before = cli.config.read_bytes()
    run = cli("--lang", "en", "add", url)
    assert run.status == 1
    assert run.err.count("\n") == 1 and url in run.err and reason in run.err, run.err
    assert cli.config.read_bytes() == before


@pytest.mark.parametrize("url", ["file:///etc/passwd", "javascript:alert(1)", "ftp://x.example/f",
                                 "lang.example/rss", "https://x.example/a b"])
def test_non_web_urls_are_refused_without_a_request(mine, url: str) -> None:
    site, cli, _ = mine
    before = cli.config.read_bytes()
    run = cli("--lang", "en", "add", url)
    assert run.status == 1 and run.err.count("\n") == 1
    assert "not an http or https URL" in run.err
    assert cli.config.read_bytes() == before and not site.requests


def test_duplicates_are_refused_before_any_request(mine) -> None:
    site, cli, first = mine
    before = cli.config.read_bytes()
    run = cli("add", first.replace("http://127.0.0.1", "HTTP://127.0.0.1") + "/")
    assert run.status == 1 and run.err.count("\n") == 1
    assert "đã có trong danh sách theo dõi (mục Thời sự)" in run.err  # Vietnamese by default
    assert cli.config.read_bytes() == before and not site.requests


def test_offline_adds_without_checking(mine) -> None:
    site, cli, _ = mine
    url = site.url("/not-there-yet.rss")
    run = cli("--offline", "--lang", "en", "add", url, "--category", "Sau")
    assert run.status == 0 and "not checked (--offline)" in run.out
    assert not site.requests
    assert feeds_in(cli.config)[-1] == {"url": url, "category": "Sau"}


def test_the_catalogue_is_written_out_first_and_said(site: Site, cli: Cli) -> None:
    cli.config.write_text("# only a comment\n[general]\nlanguage = \"en\"\n", encoding="utf-8")
    url = site.add("/lang/rss.xml", OWN_FEED.encode())
    run = cli("add", url)
    assert run.status == 0, run.err
    assert (f"the built-in catalogue ({len(DEFAULT_FEEDS)} feeds) was written out first"
            in run.out)
    feeds = feeds_in(cli.config)
    assert [f["url"] for f in feeds] == [f.url for f in DEFAULT_FEEDS] + [url]
    assert "# only a comment" in cli.config.read_text(encoding="utf-8")
    # and the same for remove, on a config still without feeds
    other = Cli(config=cli.config.with_name("other.toml"), data_dir=cli.data_dir)
    gone = DEFAULT_FEEDS[3]
    run = other("--lang", "en", "remove", gone.url)
    assert run.status == 0 and "was written out first" in run.out
    assert [f["url"] for f in feeds_in(other.config)] == [
        f.url for f in DEFAULT_FEEDS if f.url != gone.url]


def test_remove_by_url_or_title(mine) -> None:
    site, cli, first = mine
    url = site.add("/lang/rss.xml", OWN_FEED.encode())
    assert cli("add", url, "--category", "Làng").status == 0
    assert cli("refresh").status == 0
    # the feed's own title, as the reader shows it, folded: no accents needed
    run = cli("--lang", "en", "remove", "bao lang toi")
    assert run.status == 0, run.err
    assert f"Removed {url} (Làng)" in run.out
    assert [f["url"] for f in feeds_in(cli.config)] == [first]
    text = cli.config.read_text(encoding="utf-8")
    assert "# keys come last\n[keys]" in text and "# the news I read" in text
    # unknown, and by URL
    missing = cli("--lang", "en", "remove", url)
    assert missing.status == 1 and missing.err.count("\n") == 1 and "No subscription" in missing.err
    assert cli("remove", first).status == 0
    assert feeds_in(cli.config) == []


def test_remove_refuses_an_ambiguous_title(mine) -> None:
    site, cli, first = mine
    for path in ("/a.rss", "/b.rss"):
        url = site.add(path, OWN_FEED.encode())
        assert cli("add", url, "--title", "Tuổi Trẻ").status == 0
    before = cli.config.read_bytes()
    run = cli("--lang", "en", "remove", "tuoi tre")
    assert run.status == 1 and "Several subscriptions are called" in run.err
    assert cli.config.read_bytes() == before
