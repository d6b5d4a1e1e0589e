"""`articles --search` over a refreshed local corpus: diacritics optional, exact accents first."""

from __future__ import annotations

import unicodedata

from conftest import Cli, Site

ITEMS = [
    ("Đà Nẵng đón mưa lớn", "Mưa lớn ở thành phố biển.", "Sun, 23 Aug 2026 01:00:00 +0700"),
    ("Bão vào Quảng Nam", "Người dân Đà Nẵng sơ tán.", "Sun, 23 Aug 2026 02:00:00 +0700"),
    ("Da Nang hosts an air show", "English-language item.", "Sun, 23 Aug 2026 09:00:00 +0700"),
    ("Giá vàng hôm nay", "Không liên quan.", "Sun, 23 Aug 2026 10:00:00 +0700"),
    ("Thuỷ điện Hoà Bình xả lũ", "Hòa Bình và khoẻ mạnh.", "Sun, 23 Aug 2026 03:00:00 +0700"),
    ("An ninh trật tự được giữ vững", "Phong trào toàn dân.", "Sun, 23 Aug 2026 04:00:00 +0700"),
    ("Trật tự an ninh khu phố", "Đảo thứ tự từ.", "Sun, 23 Aug 2026 05:00:00 +0700"),
    ("[b]Hà Nội[/b] \\x1b[31m", "Tiêu đề có ký tự lạ.", "Sun, 23 Aug 2026 06:00:00 +0700"),
]


def feed() -> bytes:
    items = "".join(
        f"<item><title><![CDATA[{t}]]></title><link>https://vnexpress.net/a-{n}.html</link>"
        f"<guid>a-{n}</guid><pubDate>{d}</pubDate><description><![CDATA[{s}]]></description>"
        "</item>"
        for n, (t, s, d) in enumerate(ITEMS))
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Tin</title><link>https://vnexpress.net</link>{items}</channel></rss>"
            ).encode()


def titles(cli: Cli, *args: str) -> list[str]:
    run = cli("articles", "--json", *args)
    assert run.status == 0, run.err
    return [a["title"] for a in run.json()]


def test_search_ignores_diacritics_and_ranks_exact_first(site: Site, cli: Cli) -> None:
    url = site.add("/tin.rss", feed())
    cli.write_config([(url, "Thời sự")], weather_url=site.url("/v1/forecast"))
    assert cli("refresh").status == 0
    folded = titles(cli, "--search", "da nang")
    assert set(folded) == {"Đà Nẵng đón mưa lớn", "Bão vào Quảng Nam",
                           "Da Nang hosts an air show"}
    exact = titles(cli, "--search", "Đà Nẵng")
    assert set(exact) == set(folded)
    assert exact[-1] == "Da Nang hosts an air show"  # the unaccented match ranks last
    assert titles(cli, "--search", "hòa bình") == ["Thuỷ điện Hoà Bình xả lũ"]
    assert titles(cli, "--search", "hoà") == ["Thuỷ điện Hoà Bình xả lũ"]
    assert titles(cli, "--search", "khoe") == ["Thuỷ điện Hoà Bình xả lũ"]
    nfd = unicodedata.normalize("NFD", "Đà Nẵng")
    assert set(titles(cli, "--search", nfd)) == set(folded)
    assert titles(cli, "--search", '"an ninh trật tự"') == ["An ninh trật tự được giữ vững"]
    assert set(titles(cli, "--search", "trat tu an ninh")) >= {"Trật tự an ninh khu phố"}
    assert titles(cli, "--search", "thuy dien") == ["Thuỷ điện Hoà Bình xả lũ"]
    assert "Thuỷ điện Hoà Bình xả lũ" in titles(cli, "--search", "thu")  # 3-letter prefix
    for hostile in ("[b]", "\x1b[31m", '"', "*", "NEAR(", "x" * 5000, "̀́"):
        run = cli("articles", "--search", hostile, "--json")
        assert run.status == 0 and "Traceback" not in run.err
    assert titles(cli, "--search", "gia vang", "--unread") == ["Giá vàng hôm nay"]
