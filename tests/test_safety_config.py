"""SAFETY.md "Config and CLI": broken configs and hostile feed URLs, through every entry point.

Each broken config: exit 2, one line naming the file (and line) and the fault, no traceback, the
file byte-for-byte unchanged, credentials never shown — for a command, `refresh` and the reader.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Cli, Site
from safety_helpers import (
    FORBIDDEN,
    assert_feed_message,
    assert_no_traceback,
    closed_port,
    error_lines,
    good_feed,
)

SRC = Path(__file__).resolve().parents[1] / "src"

BROKEN = [
    ("invalid-toml", b"[general\nlanguage = 'vi'\n", ":1: invalid TOML"),
    ("invalid-utf8", b"[general]\nlanguage = 'vi'\ntimezone = '\xff\xfe'\n",
     ":3: is not valid UTF-8"),
    ("wrong-type", b"[network]\n\ntimeout = 'slow'\n", ":3: network.timeout must be a number"),
    ("wrong-type-bool", b"[network]\nconcurrency = true\n", ":2: network.concurrency must be"),
    ("wrong-type-feeds", b"feeds = 'https://a.example/rss'\n", "feeds must be an array"),
    ("file-url", b"[[feeds]]\nurl = 'file:///etc/passwd'\n", ":2: feeds[1].url"),
    ("javascript-url", b"[[feeds]]\nurl = 'javascript:alert(1)'\n", "not an http or https URL"),
    ("scheme-less", b"[[feeds]]\nurl = 'vnexpress.net/rss/thoi-su.rss'\n",
     "not an http or https URL"),
    ("data-url", b"[[feeds]]\nurl = 'data:text/xml,<rss/>'\n", "not an http or https URL"),
    ("long-url", b"[[feeds]]\nurl = 'https://a.example/" + b"x" * 100_000 + b"'\n",
     "longer than 2048"),
    ("credentials-bad-scheme", b"[[feeds]]\nurl = 'ftp://user:s3cr3t@a.example/rss'\n",
     "***@a.example"),
    ("credentials-bad-type", b"[[feeds]]\nurl = 'https://user:s3cr3t@a.example/rss'\n"
                             b"category = 3\n", "feeds[1].category must be a string"),
    ("raw-escape", b"[general]\nlanguage = '\x1b]52;c;eA==\x07'\n", ":2: invalid TOML"),
    ("escaped-escape", b'[general]\nlanguage = "\\u001b]52;c;eA==\\u0007"\n',
     ":2: general.language must be"),
    ("bad-weather-url", b"[weather]\nurl = 'file:///etc/hostname'\n", "weather.url must be"),
]


@pytest.mark.parametrize(("name", "content", "expected"), BROKEN, ids=[b[0] for b in BROKEN])
@pytest.mark.parametrize("command", [("refresh",), ("articles",), ("import", "x.opml")])
def test_broken_config(cli: Cli, name: str, content: bytes, expected: str,
                       command: tuple[str, ...]) -> None:
    cli.config.write_bytes(content)
    run = cli(*command)
    assert run.status == 2
    assert_no_traceback(run.err)
    lines = error_lines(run.err)
    assert len(lines) == 1, run.err
    assert lines[0].startswith(f"tui-news: {cli.config}") and expected in lines[0], lines[0]
    assert "s3cr3t" not in run.err and len(lines[0]) < 400
    assert not FORBIDDEN.search(lines[0])
    assert cli.config.read_bytes() == content  # never overwritten
    assert not (cli.data_dir / "cache.sqlite3").exists()  # nothing else was touched either


def test_broken_config_stops_the_reader_before_the_screen(tmp_path: Path) -> None:
    """`tui-news` (the reader) with a broken config: exit 2 and one line, no screen drawn."""
    config = tmp_path / "config.toml"
    config.write_bytes(b"[network]\ntimeout = 'slow'\n")
    result = subprocess.run([sys.executable, "-m", "tui_news", "--config", str(config),
                             "--data-dir", str(tmp_path / "d")],
                            capture_output=True, timeout=60, stdin=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONPATH": str(SRC)})
    assert result.returncode == 2
    assert b"\x1b" not in result.stdout + result.stderr
    lines = result.stderr.decode().splitlines()
    assert lines == [f"tui-news: {config}:2: network.timeout must be a number, not str"]


def test_directory_as_config_path(tmp_path: Path) -> None:
    cli = Cli(config=tmp_path, data_dir=tmp_path / "d")
    for command in (("refresh",), ("articles",)):
        run = cli(*command)
        assert run.status == 2 and error_lines(run.err) == [
            f"tui-news: {tmp_path}: is a directory, not a config file"]


def test_unknown_keys_warn_and_work(site: Site, cli: Cli) -> None:
    url = site.add("/a.xml", good_feed("a", 2))
    cli.config.write_text(
        f'[general]\ncolour = "blue"\n[weather]\nurl = "{site.url("/v1/forecast")}"\n'
        f'[extra]\nx = 1\n[[feeds]]\nurl = "{url}"\ncategory = "A"\nicon = "x"\n',
        encoding="utf-8")
    original = cli.config.read_bytes()
    run = cli("refresh")
    assert run.status == 0
    lines = error_lines(run.err)
    assert len(lines) == 3 and all(str(cli.config) in line and "ignored" in line
                                   for line in lines)
    assert cli.config.read_bytes() == original


def test_hostile_text_in_config_values_is_cleaned(site: Site, cli: Cli) -> None:
    url = site.add("/a.xml", good_feed("a", 2))
    cli.config.write_text(
        f'[weather]\nurl = "{site.url("/v1/forecast")}"\n[[feeds]]\nurl = "{url}"\n'
        'category = "Thời sự\\u001b[2J\\u202e"\ntitle = "\\u001b]0;pwned\\u0007VnE"\n',
        encoding="utf-8")
    assert cli("refresh").status == 0
    items = cli("articles", "--json").json()
    assert items and all(a["categories"] == ["Thời sự"] for a in items)  # type: ignore[index]
    assert all(a["feed_title"] == "VnE" for a in items)  # type: ignore[index]


def test_credentials_redacted_in_every_refresh_message(site: Site, cli: Cli) -> None:
    dead = f"http://reader:s3cr3t@127.0.0.1:{closed_port()}/rss.xml"
    cli.write_config([(dead, "A")],
                     weather_url=f"http://wx:s3cr3t@127.0.0.1:{closed_port()}/v1/forecast")
    run = cli("refresh")
    assert run.status == 1 and "s3cr3t" not in run.err + run.out
    assert_feed_message(run.err, dead, "connection refused")
    weather = [line for line in error_lines(run.err) if "weather" in line]
    assert len(weather) == 1 and "127.0.0.1" in weather[0]
    assert "s3cr3t" not in cli("feeds", "--json").err


def test_opml_import_takes_only_web_outlines_and_is_atomic(tmp_path: Path, cli: Cli) -> None:
    cli.config.write_text("# mine\n[[feeds]]\nurl = \"https://a.example/rss\"\ncategory = \"A\"\n",
                          encoding="utf-8")
    cli.config.chmod(0o600)
    opml = tmp_path / "in.opml"
    long = "https://b.example/" + "x" * 100_000
    opml.write_text(
        '<?xml version="1.0"?>\n'
        '<opml version="2.0"><body><outline text="Tin">'
        '<outline xmlUrl="file:///etc/passwd"/><outline xmlUrl="javascript:alert(1)"/>'
        '<outline xmlUrl="vnexpress.net/rss"/><outline xmlUrl="data:text/xml,x"/>'
        f'<outline xmlUrl="{long}"/>'
        '<outline xmlUrl="https://ok.example/rss" title="[b]x[/b]&#x9b;2J&#x202e;"/>'
        "</outline></body></opml>", encoding="utf-8")
    run = cli("import", str(opml))
    assert run.status == 0, run.err
    assert "1 subscriptions added" in run.out and "5 skipped" in run.out
    text = cli.config.read_text(encoding="utf-8")
    assert text.startswith("# mine") and "https://ok.example/rss" in text
    for bad in ("file:", "javascript:", "data:", "xxxxxxxx", "\x9b", "\u202e", "\\u009b"):
        assert bad not in text
    assert (cli.config.stat().st_mode & 0o777) == 0o600  # mode kept
    assert [p.name for p in cli.config.parent.iterdir() if p.name.startswith(".config")] == []


def test_opml_import_strips_invisible_characters_and_refuses_malformed_urls(
        tmp_path: Path, cli: Cli) -> None:
    """Issue #16 case 8: BOMs and zero-width spaces in titles and categories are dropped (else
    "Thời sự\u200b" is a category of its own); URLs with spaces or quotes are refused and
    counted."""
    cli.config.write_text('[[feeds]]\nurl = "https://a.example/rss"\ncategory = "Thời sự"\n',
                          encoding="utf-8")
    opml = tmp_path / "in.opml"
    opml.write_text(
        '<?xml version="1.0"?>\n'
        '<opml version="2.0"><body><outline text="\ufeffThời sự\u200b">'
        '<outline xmlUrl="\ufeffhttps://ok.example/rss\u200b " title="Tin\u200b mới\ufeff"/>'
        '<outline xmlUrl="https://b.example/a b.rss"/>'
        '<outline xmlUrl="https://c.example/&quot;x&quot;.rss"/>'
        '<outline xmlUrl="https://d.example/&lt;x&gt;.rss"/>'
        "</outline>"
        '<outline xmlUrl="https://e.example/rss" category="\u200bKinh t\u1ebf\u2060"/>'
        "</body></opml>", encoding="utf-8")
    run = cli("import", str(opml))
    assert run.status == 0, run.err
    assert "2 subscriptions added" in run.out and "3 skipped" in run.out, run.out
    assert "malformed" in run.out
    from tui_news.config import load_config

    feeds = {f.url: f for f in load_config(cli.config).feeds}
    assert set(feeds) == {"https://a.example/rss", "https://ok.example/rss",
                          "https://e.example/rss"}
    assert feeds["https://ok.example/rss"].category == "Thời sự"  # the same category as a's
    assert feeds["https://ok.example/rss"].title == "Tin mới"
    assert feeds["https://e.example/rss"].category == "Kinh tế"
    text = cli.config.read_text(encoding="utf-8")
    for invisible in ("\ufeff", "\u200b", "\u2060", "a b.rss", "&quot;", '\\"x'):
        assert invisible not in text


def test_opml_import_into_a_broken_config_changes_nothing(tmp_path: Path, cli: Cli) -> None:
    content = b"[[feeds]\nurl = 'https://a.example/rss'\n"
    cli.config.write_bytes(content)
    opml = tmp_path / "in.opml"
    opml.write_text('<opml version="2.0"><body><outline xmlUrl="https://b.example/rss"/>'
                    "</body></opml>", encoding="utf-8")
    run = cli("import", str(opml))
    assert run.status == 2 and cli.config.read_bytes() == content


def test_opml_with_an_external_entity_is_refused(tmp_path: Path, cli: Cli) -> None:
    content = b"[[feeds]]\nurl = 'https://a.example/rss'\n"
    cli.config.write_bytes(content)
    opml = tmp_path / "xxe.opml"
    opml.write_text('<?xml version="1.0"?>\n<!DOCTYPE opml [<!ENTITY xxe SYSTEM '
                    '"file:///etc/hostname">]><opml version="2.0"><body>'
                    '<outline xmlUrl="https://b.example/rss" title="&xxe;"/></body></opml>',
                    encoding="utf-8")
    run = cli("import", str(opml))
    assert run.status == 1
    assert_no_traceback(run.err)
    lines = error_lines(run.err)
    assert len(lines) == 1 and str(opml) in lines[0]
    assert cli.config.read_bytes() == content
