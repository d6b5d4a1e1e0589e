"""Full article text through the CLI: download, extract, store, read offline, and failures."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from conftest import FIXTURES, Cli, Site
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tui_news.text import clean

SEED_LINK = "/tin-tuc/son-tay-quan-tam-day-manh-phong-trao.html"
AN_NINH = "Nội chính - An ninh - Quốc phòng"


def seed_paragraphs() -> list[str]:
    """The body paragraphs of the source page, as its text file shows them."""
    text = (FIXTURES / "seed" / "sontay-article.txt").read_text(encoding="utf-8")
    body = text.split("View count: 345", 1)[1]
    blocks = [b.strip() for b in body.split("\n\n") if b.strip()]
    captions = {"Bệnh viện Quân y 105 duy trì tuần tra đảm bảo an ninh trật tự",
                "Phường Quang Trung động viên, giúp đỡ người lầm lỡ tái hòa nhập cộng đồng"}
    return [clean(b) for b in blocks if b not in captions and b != "HOÀNG PHƯƠNG - PHẠM HẢO"]


@pytest.fixture
def seeded(site: Site, cli: Cli) -> tuple[Site, Cli, int]:
    feed = site.add_file("/seed.rss", "seed/sontay-feed.xml")
    site.add_file(SEED_LINK, "seed/sontay-article.html", "text/html; charset=utf-8")
    cli.write_config([(feed, AN_NINH)], weather_url=site.url("/v1/forecast"))
    assert cli("refresh").status == 0
    (item,) = cli("articles", "--json").json()
    assert item["full_text"] is False
    return site, cli, item["id"]


def test_show_full_prints_the_whole_seed_article(seeded) -> None:
    site, cli, article_id = seeded
    run = cli("show", str(article_id), "--full")
    assert run.status == 0, run.err
    out = run.out
    lines = out.splitlines()
    assert lines[0] == "Sơn Tây quan tâm đẩy mạnh phong trào toàn dân bảo vệ an ninh Tổ quốc"
    assert lines[1].startswith("Ngày đăng 19/08/2020 | 14:17 · ")
    for paragraph in seed_paragraphs():
        assert f"\n{paragraph}\n" in out, paragraph[:60]
    assert "\nBệnh viện Quân y 105 duy trì tuần tra đảm bảo an ninh trật tự\n" in out
    assert "\nPhường Quang Trung động viên, giúp đỡ người lầm lỡ tái hòa nhập cộng đồng\n" in out
    assert out.rstrip().endswith("HOÀNG PHƯƠNG - PHẠM HẢO")
    page = (FIXTURES / "seed" / "sontay-article.html").read_text(encoding="utf-8")
    assert "View count" not in out and "Thời tiết các vùng" not in out
    if "Bản quyền" in page:
        assert "Bản quyền" not in out
    assert "\x1b" not in out
    # the full text is now cached and reported
    (item,) = cli("articles", "--json").json()
    assert item["full_text"] is True
    assert len(site.requests_for(SEED_LINK)) == 1
    again = cli("show", str(article_id), "--full")
    assert again.out == out
    assert len(site.requests_for(SEED_LINK)) == 1  # never the same page twice


def test_refresh_full_then_offline_show(seeded, httpserver) -> None:
    site, cli, article_id = seeded
    fresh = Cli(config=cli.config, data_dir=cli.data_dir.parent / "fresh")
    assert fresh("refresh", "--full").status == 0
    assert len(site.requests_for(SEED_LINK)) == 1
    httpserver.stop()
    try:
        offline = fresh("--offline", "show", str(article_id))
        assert offline.status == 0
        assert offline.out.rstrip().endswith("HOÀNG PHƯƠNG - PHẠM HẢO")
        for paragraph in seed_paragraphs():
            assert paragraph in offline.out
        # without a cached full text, --offline keeps the summary and says so
        summary = cli("--offline", "show", str(article_id), "--full")
        assert summary.status == 0
        assert "not cached" in summary.err
        assert "HOÀNG PHƯƠNG" not in summary.out
        assert "Trong những năm gần đây" in summary.out
    finally:
        httpserver.start()


def test_prefetch_from_config(site: Site, cli: Cli) -> None:
    feed = site.add_file("/seed.rss", "seed/sontay-feed.xml")
    site.add_file(SEED_LINK, "seed/sontay-article.html", "text/html; charset=utf-8")
    cli.write_config([(feed, AN_NINH)], weather_url=site.url("/v1/forecast"),
                     extra="\n[offline]\nprefetch = true\n")
    assert cli("refresh").status == 0
    (item,) = cli("articles", "--json").json()
    assert item["full_text"] is True


def _serve_bad_page(site: Site, kind: str) -> None:
    if kind == "404":
        return  # the site answers 404 for unknown paths
    if kind == "login":
        site.add(SEED_LINK, "<html><body><form><input type=password name=p></form>"
                            "<p>Vui lòng đăng nhập</p></body></html>".encode(), "text/html")
    elif kind == "binary":
        site.add(SEED_LINK, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "image/png")
    elif kind == "binary-as-html":
        site.add(SEED_LINK, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "text/html")
    elif kind == "huge":
        site.add(SEED_LINK, b"<html><body>" + b"<p>x</p>" * (20 << 20 >> 3) + b"</body></html>",
                 "text/html")
    elif kind == "bomb":
        site.add(SEED_LINK, gzip.compress(b"<p>" + b"a" * (30 << 20)), "text/html")


@pytest.mark.parametrize(
    ("kind", "message"),
    [("404", "HTTP 404"), ("login", "no article text"), ("binary", "not HTML"),
     ("binary-as-html", "no article text"), ("huge", "larger than")],
)
def test_a_page_that_is_not_an_article_keeps_the_summary(seeded, kind: str,
                                                         message: str) -> None:
    site, cli, article_id = seeded
    site.files.pop(SEED_LINK, None)
    _serve_bad_page(site, kind)
    run = cli("show", str(article_id), "--full")
    assert run.status == 0
    assert message in run.err and "showing the summary" in run.err
    assert len(run.err.strip().splitlines()) == 1 and "Traceback" not in run.err
    assert "Trong những năm gần đây" in run.out
    (item,) = cli("articles", "--json").json()
    assert item["full_text"] is False


def test_redirect_loop_page(site: Site, cli: Cli, httpserver) -> None:
    feed_xml = (FIXTURES / "seed" / "sontay-feed.xml").read_bytes().replace(
        SEED_LINK.encode(), b"/loop")
    feed = site.add("/seed.rss", feed_xml)
    cli.write_config([(feed, AN_NINH)], weather_url=site.url("/v1/forecast"))
    assert cli("refresh").status == 0
    (item,) = cli("articles", "--json").json()
    from werkzeug import Response

    httpserver.expect_oneshot_request("/loop")  # placeholder so ordering is explicit
    httpserver.clear()
    httpserver.expect_request("/loop").respond_with_response(
        Response(status=302, headers={"Location": "/loop"}))
    run = cli("show", str(item["id"]), "--full")
    assert run.status == 0
    assert "redirect" in run.err and "showing the summary" in run.err


def test_keep_days_and_compact(seeded, tmp_path: Path) -> None:
    _, cli, article_id = seeded
    # the seed article was first seen now, so nothing is old enough to drop
    cli.config.write_text(cli.config.read_text(encoding="utf-8") + "\n[cache]\nkeep_days = 1\n",
                          encoding="utf-8")
    run = cli("compact")
    assert run.status == 0 and "0 old articles dropped, 1 kept" in run.out
    assert cli("show", str(article_id)).status == 0


# Lao Động answers a first visit with a few bytes of script that set a cookie and reload the page
# (seen by public scrapers of laodong.vn); a browser then gets the article.
COOKIE_CHECK = (
    b'<html><body><script>document.cookie="D1N=9f8e7d6c5b4a39281706f5e4d3c2b1a0"+"; expires='
    b'Fri, 31 Dec 2099 23:59:59 GMT; path=/";window.location.reload(true);</script></body></html>'
)


def _cookie_checked(site: Site, httpserver: HTTPServer, *, passes: bool) -> None:
    """Serve SEED_LINK's page only to a request carrying the cookie (never, unless `passes`)."""

    def handle(request: Request) -> Response:
        cookie = request.headers.get("Cookie", "")
        if request.path == SEED_LINK and not (passes and "D1N=9f8e7d6c5b4a" in cookie):
            site.requests.append((request.path, dict(request.headers)))
            return Response(COOKIE_CHECK, content_type="text/html")
        return site.handle(request)

    httpserver.clear()
    httpserver.expect_request(re.compile(".*")).respond_with_handler(handle)


def test_a_cookie_check_is_answered_once_like_a_browser(seeded, httpserver) -> None:
    site, cli, article_id = seeded
    _cookie_checked(site, httpserver, passes=True)
    run = cli("show", str(article_id), "--full")
    assert run.status == 0 and run.err == "", run.err
    assert run.out.rstrip().endswith("HOÀNG PHƯƠNG - PHẠM HẢO")
    first, second = site.requests_for(SEED_LINK)
    assert "D1N" not in first.get("Cookie", "")
    assert "D1N=9f8e7d6c5b4a39281706f5e4d3c2b1a0" in second.get("Cookie", "")


def test_a_cookie_check_that_never_lets_us_in_keeps_the_summary(seeded, httpserver) -> None:
    site, cli, article_id = seeded
    _cookie_checked(site, httpserver, passes=False)
    run = cli("show", str(article_id), "--full")
    assert run.status == 0
    assert "no article text" in run.err and "showing the summary" in run.err
    assert len(site.requests_for(SEED_LINK)) == 2  # asked again once, not in a loop
    (item,) = cli("articles", "--json").json()
    assert item["full_text"] is False
