"""[[filters]]: hidden from every list and count, `articles --filtered`, `feeds` reporting unused
ones, and `tui-news filter` writing them, through the real CLI against a local server."""

from __future__ import annotations

import tomllib

import pytest
from conftest import Cli, Site

from tui_news import paths
from tui_news.config import Config
from tui_news.models import ArticleQuery, Filter
from tui_news.store import Store


def rss(title: str, items: list[tuple[str, str, str]]) -> bytes:
    """A feed of (guid, title, description) items, newest first."""
    body = "".join(
        f"<item><title>{t}</title><link>https://bao.example/{g}</link><guid>{g}</guid>"
        f"<pubDate>Sun, 23 Aug 2026 {10 - n:02d}:00:00 +0700</pubDate>"
        f"<description>{d}</description></item>"
        for n, (g, t, d) in enumerate(items))
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>{title}</title>{body}</channel></rss>").encode()


NEWS = [
    ("n1", "Quảng cáo: mua nhà giá rẻ", "Liên hệ ngay."),
    ("n2", "Giá vàng hôm nay", "Nội dung QUẢNG CÁO được tài trợ."),
    ("n3", "Quảng Ninh mở cao tốc mới", "Tuyến cao tốc dài 60 km."),  # quang … cao, apart
    ("n4", "Bão lũ miền Trung", "Mưa lớn kéo dài."),
]
MONEY = [
    ("m1", "Xổ số miền Bắc hôm nay", "Kết quả xổ số."),
    ("m2", "Chứng khoán tăng điểm", "Thị trường xanh."),
    ("m3", "Quang cao mua sắm cuối năm", "Khuyến mãi."),  # no marks: still the phrase, folded
]


@pytest.fixture
def news(site: Site, cli: Cli) -> tuple[Site, Cli, dict[str, str]]:
    urls = {"news": site.add("/news.rss", rss("Báo Tin", NEWS)),
            "money": site.add("/money.rss", rss("Báo Tiền", MONEY))}
    cli.write_config([(urls["news"], "Thời sự"), (urls["money"], "Kinh tế")],
                     weather_url=site.url("/v1/forecast"))
    assert cli("refresh").status == 0
    return site, cli, urls


def titles(cli: Cli, *args: str) -> set[str]:
    run = cli("articles", "--json", *args)
    assert run.status == 0, run.err
    return {a["title"] for a in run.json()}


ADS = {"Quảng cáo: mua nhà giá rẻ", "Giá vàng hôm nay", "Quang cao mua sắm cuối năm"}
EVERYTHING = {t for _, t, _ in NEWS + MONEY}


def test_filter_command_hides_every_quang_cao_article_everywhere(news) -> None:
    site, cli, _ = news
    before = cli.config.read_text(encoding="utf-8")
    run = cli("--lang", "en", "filter", '"quảng cáo"')
    assert run.status == 0, run.err
    assert "it hides 3 cached articles" in run.out
    text = cli.config.read_text(encoding="utf-8")
    assert text.startswith(before.rstrip("\n")) and "# test config" in text
    assert tomllib.loads(text)["filters"] == [{"match": '"quảng cáo"'}]
    # gone from every list: all, unread, a category, a search; still stored
    assert titles(cli) == EVERYTHING - ADS
    assert titles(cli, "--unread") == EVERYTHING - ADS
    assert titles(cli, "--category", "Kinh tế") == {"Xổ số miền Bắc hôm nay",
                                                  "Chứng khoán tăng điểm"}
    assert titles(cli, "--search", "mua sam") == set()
    assert titles(cli, "--filtered") == ADS
    # a new article arriving later is hidden too
    site.add("/news.rss", rss("Báo Tin", [("n5", "Tin quảng cáo mới", "Mua ngay."), *NEWS]))
    assert cli("refresh").status == 0
    assert titles(cli, "--filtered") == ADS | {"Tin quảng cáo mới"}
    assert titles(cli) == EVERYTHING - ADS
    run = cli("filter", "--remove", '"quảng cáo"')
    assert run.status == 0 and titles(cli) == EVERYTHING | {"Tin quảng cáo mới"}
    assert "filters" not in tomllib.loads(cli.config.read_text(encoding="utf-8")) or \
        tomllib.loads(cli.config.read_text(encoding="utf-8"))["filters"] == []


def test_words_limited_to_a_category_or_a_feed(news) -> None:
    _, cli, urls = news
    assert cli("filter", "mua", "--category", "Kinh tế").status == 0  # words, not a phrase
    assert titles(cli, "--filtered") == {"Quang cao mua sắm cuối năm"}
    assert cli("filter", "hom nay", "--feed", urls["news"]).status == 0
    assert titles(cli, "--filtered") == {"Quang cao mua sắm cuối năm", "Giá vàng hôm nay"}
    assert "Xổ số miền Bắc hôm nay" in titles(cli)  # "hôm nay" in the other feed stays
    bad = cli("--lang", "en", "filter", "x", "--feed", "https://nowhere.example/rss")
    assert bad.status == 2 and "No subscription" in bad.err


def test_counts_leave_hidden_articles_out(news) -> None:
    _, cli, urls = news
    cli.config.write_text(cli.config.read_text(encoding="utf-8")
                          + '\n[[filters]]\nmatch = "\\"quảng cáo\\""\n', encoding="utf-8")
    from tui_news.config import load_config

    config: Config = load_config(cli.config)
    assert config.filters == (Filter('"quảng cáo"'),)
    store = Store.open(paths.database(cli.data_dir))
    try:
        plain = store.counts(config.categories, feeds=True)
        store.set_filters(config.filters)
        counts = store.counts(config.categories, searches=["mua sam", "bao lu"], feeds=True)
        assert (plain.total, plain.unread) == (7, 7)
        assert (counts.total, counts.unread, counts.starred) == (4, 4, 0)
        assert counts.by_category == {"Thời sự": 2, "Kinh tế": 2}
        assert counts.by_feed == {urls["news"]: 2, urls["money"]: 2}
        assert counts.by_search == {"mua sam": 0, "bao lu": 1}
        assert store.count(ArticleQuery(filtered=True)) == 3
    finally:
        store.close()


def test_feeds_reports_unused_filters(news) -> None:
    _, cli, _ = news
    cli.config.write_text(cli.config.read_text(encoding="utf-8")
                          + '\n[[filters]]\nmatch = "xo so"\n\n[[filters]]\n'
                          'match = "tàu vũ trụ"\ncategory = "Thời sự"\n', encoding="utf-8")
    run = cli("--lang", "en", "feeds")
    assert run.status == 0, run.err
    assert "'xo so': hides 1 articles" in run.out
    assert "'tàu vũ trụ' (Thời sự): unused: matches nothing in the cache" in run.out
    as_json = cli("--lang", "en", "feeds", "--json")
    assert isinstance(as_json.json(), list)
    assert as_json.err.strip() == ("tui-news: 'tàu vũ trụ' (Thời sự): unused: matches nothing "
                                   "in the cache")


@pytest.mark.parametrize(("table", "line", "message"), [
    ('[[filters]]\ncategory = "X"\n', 3, "filters[1] needs a match with at least one word"),
    ('[[filters]]\nmatch = "a"\nfeed = "file:///etc/passwd"\n', 5,
     "filters[1].feed must be a feed's http or https URL"),
    ('[[filters]]\nmatch = 3\n', 4, "filters[1].match must be a string"),
    ('[[filters]]\nmatch = "  ,. "\n', 4, "filters[1] needs a match with at least one word"),
])
def test_a_broken_filter_is_a_config_error(cli: Cli, table: str, line: int,
                                           message: str) -> None:
    cli.config.write_text(f"# mine\n\n{table}", encoding="utf-8")
    before = cli.config.read_bytes()
    run = cli("articles")
    assert run.status == 2 and run.err.count("\n") == 1
    assert f"{cli.config}:{line}: {message}" in run.err, run.err
    assert cli.config.read_bytes() == before


def test_articles_by_saved_search_name_and_by_feed(news) -> None:
    _, cli, urls = news
    cli.config.write_text(cli.config.read_text(encoding="utf-8")
                          + '\n[[searches]]\nname = "Bão lũ"\nquery = "bao lu"\n',
                          encoding="utf-8")
    assert titles(cli, "--search-name", "Bão lũ") == {"Bão lũ miền Trung"}
    assert titles(cli, "--search-name", "Bão lũ", "--search", "mien trung") == {
        "Bão lũ miền Trung"}
    unknown = cli("articles", "--search-name", "Không có")
    assert unknown.status == 2 and "unknown saved search 'Không có'; saved searches: Bão lũ" \
        in unknown.err
    assert titles(cli, "--feed", urls["money"]) == {t for _, t, _ in MONEY}
    assert cli("articles", "--feed", "https://nowhere.example/rss").status == 2


def test_an_article_waiting_for_the_search_index_is_hidden_once_indexed(tmp_path) -> None:
    """Filters match through the search index: while another process holds the write lock,
    new articles cannot be indexed; they are hidden as soon as they are, not later."""
    import sqlite3
    from datetime import UTC, datetime

    from tui_news.models import FeedConfig, ParsedEntry

    db = tmp_path / "cache.sqlite"
    writer = Store.open(db)
    writer.sync_feeds([FeedConfig("https://bao.example/rss", "Thời sự")])
    reader = Store.open(db, busy_timeout=0.05)
    reader.set_filters([Filter('"quảng cáo"')])
    try:
        assert reader.count(ArticleQuery()) == 0
        writer.ingest("https://bao.example/rss", [
            ParsedEntry(key=f"k{n}", title=t, link=None, summary="", published=datetime.now(UTC))
            for n, t in enumerate(["Quảng cáo nhà đất", "Tin thời sự"])])
        assert writer.pending_search()
        lock = sqlite3.connect(db, isolation_level=None)
        lock.execute("BEGIN IMMEDIATE")
        try:
            assert reader.count(ArticleQuery()) == 2  # not indexed yet: nothing can match
        finally:
            lock.execute("ROLLBACK")
            lock.close()
        assert reader.count(ArticleQuery()) == 1
        assert [a.title for a in reader.page(ArticleQuery(filtered=True), 0, 10)] == [
            "Quảng cáo nhà đất"]
    finally:
        reader.close()
        writer.close()
