"""The built-in catalogue is DOMAIN.md's table, as re-checked against 2026 evidence."""

from __future__ import annotations

import re

from shared_data import shared_path

from tui_news.catalogue import DEFAULT_FEEDS


def domain_table() -> list[tuple[str, str]]:
    """(category, url) pairs of DOMAIN.md's "Default catalogue" table, in its order."""
    text = shared_path("DOMAIN.md").read_text(encoding="utf-8")
    section = text.split("## Default catalogue", 1)[1].split("\n## ", 1)[0]
    pairs = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 2 or cells[0] in ("category", "---"):
            continue
        pairs += [(cells[0], url) for url in re.findall(r"`(https?://[^`]+)`", cells[1])]
    return pairs


def test_the_catalogue_is_domain_md_table() -> None:
    table = domain_table()
    assert len(table) >= 38
    assert [(f.category, f.url) for f in DEFAULT_FEEDS] == table


def test_retired_feeds_are_gone_and_no_category_rests_on_one_outlet_section() -> None:
    urls = [f.url for f in DEFAULT_FEEDS]
    assert "https://vnexpress.net/rss/khoa-hoc.rss" not in urls
    assert "https://vnexpress.net/rss/so-hoa.rss" not in urls
    assert len(urls) == len(set(urls)) == 40
    by_category: dict[str, list[str]] = {}
    for feed in DEFAULT_FEEDS:
        by_category.setdefault(feed.category, []).append(feed.url)
    assert len(by_category) == 12
    assert len(by_category["Nội chính - An ninh - Quốc phòng"]) == 5
    assert len(by_category["Hà Nội"]) == 3
    assert all(len(feeds) >= 3 for feeds in by_category.values())
