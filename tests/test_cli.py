"""End-to-end: the commands against a real local server, a real cache file and real config."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Cli, Site

THOI_SU, AN_NINH = "Thời sự", "Nội chính - An ninh - Quốc phòng"


@pytest.fixture
def served(site: Site, cli: Cli) -> tuple[Site, Cli, dict[str, str]]:
    urls = {
        "thoi_su": site.add_file("/rss/thoi-su.rss", "feeds/cli_thoi_su.xml"),
        "an_ninh": site.add_file("/rss/an-ninh.rss", "feeds/cli_an_ninh.xml"),
    }
    cli.write_config([(urls["thoi_su"], THOI_SU), (urls["an_ninh"], AN_NINH)],
                     weather_url=site.url("/v1/forecast"))
    return site, cli, urls


def by_title(items: list[dict], title: str) -> dict:
    matches = [a for a in items if a["title"] == title]
    assert len(matches) == 1, f"{title!r} appears {len(matches)} times"
    return matches[0]


def test_refresh_fills_the_cache_with_every_pubdate_shape(served) -> None:
    site, cli, urls = served
    run = cli("refresh")
    assert run.status == 0, run.err
    assert "2/2 feeds refreshed" in run.out
    assert "10 new articles" not in run.out  # one article arrives twice: 9 distinct
    items = cli("articles", "--json").json()
    assert len(items) == 9
    expected = {
        "Hà Nội mở rộng tuyến đường vành đai 4": "2026-08-23T02:00:00+07:00",
        "Đà Nẵng đón mưa lớn, nhiều tuyến phố ngập": "2026-08-23T05:52:00+07:00",
        "Giá vàng hôm nay tăng mạnh": "2026-08-22T22:58:22+07:00",
        "Công an TP Hồ Chí Minh triệt phá đường dây lừa đảo": "2026-08-23T05:49:00+07:00",
        "Học sinh Hà Nội chuẩn bị năm học mới": "2026-08-23T05:20:00+07:00",
        "Thủ tướng chủ trì phiên họp Chính phủ": "2026-08-22T23:00:00+07:00",
        "Tỷ giá USD hôm nay": "2026-08-22T09:02:15+07:00",
        "Bão số 5 đổ bộ miền Trung": "2026-08-22T17:06:43+07:00",
        "Thuỷ điện Hoà Bình xả lũ": "2026-08-23T06:00:00+07:00",
    }
    for title, published in expected.items():
        assert by_title(items, title)["published"] == published
    # newest first
    stamps = [a["published"] for a in items]
    assert stamps == sorted(stamps, reverse=True)
    fields = {"id", "title", "link", "feed_title", "feed_url", "categories", "published",
              "read", "starred", "summary", "full_text"}
    assert all(fields <= set(a) for a in items)


def test_cleaning_at_ingest(served) -> None:
    _, cli, _ = served
    cli("refresh")
    items = cli("articles", "--json").json()
    vanh_dai = by_title(items, "Hà Nội mở rộng tuyến đường vành đai 4")
    assert vanh_dai["link"] == "https://vnexpress.net/ha-noi-mo-rong-vanh-dai-4-100001.html"
    assert vanh_dai["summary"].startswith("Thành phố Hà Nội khởi công")
    gold = by_title(items, "Giá vàng hôm nay tăng mạnh")
    assert "Tin liên quan" not in gold["summary"]
    pm = by_title(items, "Thủ tướng chủ trì phiên họp Chính phủ")
    assert not pm["summary"].startswith("(Chinhphu.vn)")
    # the NFD title was stored as NFC: the NFC spelling matches exactly (by_title asserts)
    assert by_title(items, "Thuỷ điện Hoà Bình xả lũ")["categories"] == [AN_NINH]


def test_one_article_from_two_category_feeds(served) -> None:
    _, cli, _ = served
    cli("refresh")
    items = cli("articles", "--json").json()
    shared = by_title(items, "Hà Nội mở rộng tuyến đường vành đai 4")
    assert sorted(shared["categories"]) == sorted([THOI_SU, AN_NINH])
    in_an_ninh = cli("articles", "--category", AN_NINH, "--json").json()
    in_thoi_su = cli("articles", "--category", THOI_SU, "--json").json()
    assert shared["id"] in {a["id"] for a in in_an_ninh}
    assert shared["id"] in {a["id"] for a in in_thoi_su}
    assert cli("mark", str(shared["id"]), "--read").status == 0
    for category in (THOI_SU, AN_NINH):
        listed = cli("articles", "--category", category, "--json").json()
        assert by_title(listed, shared["title"])["read"] is True
    unread = cli("articles", "--unread", "--json").json()
    assert shared["id"] not in {a["id"] for a in unread}


def test_second_refresh_is_conditional_and_keeps_state(served) -> None:
    site, cli, urls = served
    cli("refresh")
    first = cli("articles", "--json").json()
    target = first[0]["id"]
    assert cli("mark", str(target), "--read").status == 0
    assert cli("mark", str(target), "--star").status == 0
    first_etag = site.requests_for("/rss/thoi-su.rss")[-1]
    assert "If-None-Match" not in first_etag
    run = cli("refresh")
    assert run.status == 0
    assert "2 not modified" in run.out
    sent = site.requests_for("/rss/thoi-su.rss")[-1]
    assert sent.get("If-None-Match", "").startswith('"')
    assert sent.get("If-Modified-Since") == "Sat, 22 Aug 2026 10:00:00 GMT"
    after = {a["id"]: a for a in cli("articles", "--json").json()}
    assert after[target]["read"] is True and after[target]["starred"] is True
    assert len(after) == len(first)


def test_refresh_with_the_server_down_keeps_the_cache(served, httpserver) -> None:
    _, cli, _ = served
    cli("refresh")
    cli("mark", "1", "--star")
    before = cli("articles", "--json").json()
    httpserver.stop()
    run = cli("refresh")
    assert run.status == 1
    assert "0/2 feeds refreshed" in run.out
    failed = [line for line in run.err.splitlines() if "/rss/" in line]
    assert len(failed) == 2 and all("refused" in line or "connect" in line for line in failed)
    assert "Traceback" not in run.err
    assert cli("articles", "--json").json() == before
    httpserver.start()


def test_show_prints_the_product_layout(site: Site, cli: Cli) -> None:
    url = site.add_file("/seed.xml", "seed/sontay-feed.xml")
    cli.write_config([(url, AN_NINH)], weather_url=site.url("/v1/forecast"))
    assert cli("refresh").status == 0
    (item,) = cli("articles", "--json").json()
    run = cli("show", str(item["id"]))
    assert run.status == 0
    lines = run.out.splitlines()
    assert lines[0] == "Sơn Tây quan tâm đẩy mạnh phong trào toàn dân bảo vệ an ninh Tổ quốc"
    assert lines[1] == (f"Ngày đăng 19/08/2020 | 14:17 · Nội chính an ninh quốc phòng - Thị xã "
                        f"Sơn Tây · {AN_NINH}")
    assert lines[2] == item["link"]
    assert lines[3] == ""
    assert lines[4].startswith("Trong những năm gần đây, thị xã luôn quan tâm")
    assert "\x1b" not in run.out
    english = cli("--lang", "en", "show", str(item["id"]))
    assert english.out.splitlines()[1].startswith("Published 19/08/2020 | 14:17")


def test_unknown_article_and_usage_errors(served) -> None:
    _, cli, _ = served
    cli("refresh")
    run = cli("show", "99999")
    assert run.status == 1 and "no article with id 99999" in run.err
    run = cli("mark", "99999", "--read")
    assert run.status == 1 and "99999" in run.err
    run = cli("articles", "--category", "Không có")
    assert run.status == 2 and "unknown category" in run.err
    assert cli("mark", "1").status == 2  # one of --read/--unread/--star/--unstar is required


def test_feeds_lists_the_last_result(served, httpserver) -> None:
    _, cli, urls = served
    cli("refresh")
    rows = cli("feeds", "--json").json()
    assert [r["url"] for r in rows] == [urls["thoi_su"], urls["an_ninh"]]
    assert rows[0]["category"] == THOI_SU and rows[0]["last_status"] == "ok"
    assert rows[0]["articles"] == 8


def test_opml_import_then_export_round_trip(tmp_path: Path, cli: Cli) -> None:
    cli.config.write_text("# my own comment\n[general]\nlanguage = \"vi\"  # keep me\n\n"
                          "[[feeds]]\nurl = \"https://vnexpress.net/rss/thoi-su.rss\"\n"
                          "category = \"Thời sự\"\n", encoding="utf-8")
    cli.config.chmod(0o600)
    opml = tmp_path / "subs.opml"
    opml.write_text("""<?xml version="1.0"?>
<opml version="2.0"><head><title>x</title></head><body>
  <outline text="Kinh tế">
    <outline type="rss" text="Thanh Niên" xmlUrl="https://thanhnien.vn/rss/kinh-te.rss"/>
    <outline type="rss" text="Bad" xmlUrl="javascript:alert(1)"/>
  </outline>
  <outline type="rss" text="VOV" xmlUrl="https://vov.vn/rss.xml" category="Thời sự"/>
  <outline type="rss" text="again" xmlUrl="https://vnexpress.net/rss/thoi-su.rss"/>
</body></opml>""", encoding="utf-8")
    run = cli("import", str(opml))
    assert run.status == 0, run.err
    assert "2 subscriptions added" in run.out and "1 skipped" in run.out
    text = cli.config.read_text(encoding="utf-8")
    assert "# my own comment" in text and "# keep me" in text
    assert oct(cli.config.stat().st_mode & 0o777) == oct(0o600)
    exported = cli("export")
    assert exported.status == 0
    out = tmp_path / "out.opml"
    assert cli("export", str(out)).status == 0
    assert out.read_text(encoding="utf-8") == exported.out
    # importing our own export into a fresh config gives the same subscriptions back
    other = Cli(config=tmp_path / "other.toml", data_dir=tmp_path / "d2")
    other.config.write_text("[[feeds]]\nurl = \"https://x.example/placeholder.rss\"\n"
                            "category = \"Tạm\"\n", encoding="utf-8")
    assert other("import", str(out)).status == 0
    assert other("export").out.replace("Tạm", "") != ""
    mine = [(r["url"], r["category"]) for r in cli("feeds", "--json").json()]
    theirs = [(r["url"], r["category"]) for r in other("feeds", "--json").json()][1:]
    # the export groups feeds by category, so compare as sets; category order is kept
    assert sorted(mine) == sorted(theirs) == sorted([
        ("https://vnexpress.net/rss/thoi-su.rss", "Thời sự"),
        ("https://thanhnien.vn/rss/kinh-te.rss", "Kinh tế"),
        ("https://vov.vn/rss.xml", "Thời sự"),
    ])
    assert list(dict.fromkeys(c for _, c in theirs)) == ["Thời sự", "Kinh tế"]


def test_opml_import_failure_changes_nothing(tmp_path: Path, cli: Cli) -> None:
    original = "[[feeds]]\nurl = \"https://a.example/rss\"\ncategory = \"A\"\n"
    cli.config.write_text(original, encoding="utf-8")
    bad = tmp_path / "bad.opml"
    bad.write_text("<opml><body><outline xmlUrl='x'", encoding="utf-8")
    run = cli("import", str(bad))
    assert run.status == 1 and str(bad) in run.err
    assert cli.config.read_text(encoding="utf-8") == original


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"[general\nlanguage = 'vi'\n", ":1: invalid TOML"),
        (b"[general]\nlanguage = '\xff'\n", ":2: is not valid UTF-8"),
        (b"[network]\n\ntimeout = 'slow'\n", ":3: network.timeout must be a number"),
        (b"[[feeds]]\nurl = 'file:///etc/passwd'\n", ":2: feeds[1].url 'file:///etc/passwd' is "
                                                     "not an http or https URL"),
        (b"[[feeds]]\nurl = 'javascript:alert(1)'\n", "is not an http or https URL"),
        (b"[[feeds]]\nurl = 'vnexpress.net/rss'\n", "is not an http or https URL"),
        (b"[[feeds]]\nurl = 'https://user:secret@a.example/rss'\ncategory = 3\n",
         "feeds[1].category must be a string"),
    ],
)
def test_broken_config_exits_2_and_is_not_overwritten(cli: Cli, content: bytes,
                                                      expected: str) -> None:
    cli.config.write_bytes(content)
    run = cli("articles")
    assert run.status == 2
    assert str(cli.config) in run.err and expected in run.err
    assert "Traceback" not in run.err and "secret" not in run.err
    assert cli.config.read_bytes() == content


def test_config_errors_for_paths(tmp_path: Path) -> None:
    directory = Cli(config=tmp_path, data_dir=tmp_path / "d")
    run = directory("articles")
    assert run.status == 2 and "is a directory" in run.err
    long = Cli(config=tmp_path / "long.toml", data_dir=tmp_path / "d")
    long.config.write_text(f"[[feeds]]\nurl = 'https://a.example/{'x' * 100_000}'\n")
    run = long("articles")
    assert run.status == 2 and "longer than" in run.err and len(run.err) < 300
    creds = Cli(config=tmp_path / "creds.toml", data_dir=tmp_path / "d")
    creds.config.write_text("[[feeds]]\nurl = 'ftp://user:secret@a.example/rss'\n")
    run = creds("articles")
    assert run.status == 2 and "secret" not in run.err and "***@a.example" in run.err


def test_unknown_keys_warn_but_work(cli: Cli) -> None:
    cli.config.write_text("[general]\nlanguage = 'en'\ncolour = 'blue'\n[extra]\nx = 1\n")
    run = cli("articles")
    assert run.status == 0
    assert "general.colour" in run.err and "'extra'" in run.err


def test_builtin_catalogue_when_no_feeds(cli: Cli) -> None:
    rows = cli("feeds", "--json").json()
    assert rows[0] == {**rows[0], "url": "https://vnexpress.net/rss/thoi-su.rss",
                       "category": "Thời sự"}
    assert "Nội chính - An ninh - Quốc phòng" in {r["category"] for r in rows}
    assert not cli.config.exists()  # reading defaults never writes a config


def test_env_variables_choose_config_and_data(tmp_path: Path, site: Site) -> None:
    url = site.add_file("/seed.xml", "seed/sontay-feed.xml")
    config = tmp_path / "env.toml"
    config.write_text(f'[weather]\nurl = "{site.url("/v1/forecast")}"\n[[feeds]]\n'
                      f'url = "{url}"\ncategory = "An ninh"\n', encoding="utf-8")
    env = {**os.environ, "TUI_NEWS_CONFIG": str(config),
           "TUI_NEWS_DATA_DIR": str(tmp_path / "envdata")}
    result = subprocess.run([sys.executable, "-m", "tui_news", "refresh"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    db = tmp_path / "envdata" / "cache.sqlite3"
    assert db.exists()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    listed = subprocess.run([sys.executable, "-m", "tui_news", "articles"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert "Sơn Tây quan tâm" in listed.stdout


def test_corrupted_cache_is_moved_aside(cli: Cli) -> None:
    cli.data_dir.mkdir()
    broken = cli.data_dir / "cache.sqlite3"
    broken.write_bytes(os.urandom(8192))
    run = cli("articles")
    assert run.status == 0
    assert str(broken) in run.err and "moved it to" in run.err
    moved = [p for p in cli.data_dir.iterdir() if p.name != "cache.sqlite3"
             and p.name.startswith("cache.sqlite3") and not p.name.endswith(("-wal", "-shm"))]
    assert moved and moved[0].stat().st_size == 8192


def test_an_internal_error_is_one_line(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    # A bug cannot be produced on purpose through real input, so one command is made to fail.
    from dataclasses import replace

    from tui_news.commands import COMMANDS

    def broken(ctx: object, args: object) -> int:
        raise RuntimeError("boom\x1b[2J")

    monkeypatch.setitem(COMMANDS, "feeds", replace(COMMANDS["feeds"], run=broken))
    run = cli("feeds")
    assert run.status == 1
    assert run.err == ("tui-news: internal error: RuntimeError: boom "
                       "(set TUI_NEWS_DEBUG=1 to see where)\n")
    monkeypatch.setenv("TUI_NEWS_DEBUG", "1")
    with pytest.raises(RuntimeError):
        cli("feeds")
