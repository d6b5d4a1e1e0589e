"""The README's promises for the command line, through the real CLI (in this process, or in a
subprocess when a terminal, the environment or the absence of one matters): the reader refuses
without a terminal, one-line usage errors, help for everything, an explicit config that must
exist, `articles` that says what it left out, categories typed the way people type, export and
import that say what they did, `feeds` in the UI language and zone, `paths`, TERM=dumb/NO_COLOR."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Cli, Site

from tui_news.catalogue import DEFAULT_FEEDS
from tui_news.commands import COMMANDS
from tui_news.config import load_config
from tui_news.i18n import label

THOI_SU, AN_NINH = "Thời sự", "Nội chính - An ninh - Quốc phòng"
SRC = Path(__file__).resolve().parents[1] / "src"


def tui_news(*args: str, env: dict[str, str] | None = None, **kwargs: object
             ) -> subprocess.CompletedProcess[bytes]:
    """`python -m tui_news ARGS` in a process of its own (its stdin is not a terminal)."""
    streams = {"stdin": subprocess.DEVNULL, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "tui_news", *args], timeout=120,
        env={**os.environ, "PYTHONPATH": str(SRC), **(env or {})}, **{**streams, **kwargs})


def rss(count: int, prefix: str = "Tin") -> bytes:
    items = "".join(
        f"<item><title>{prefix} số {n}</title><link>https://example.vn/{prefix}/{n}</link>"
        f"<pubDate>Sun, 23 Aug 2026 {n // 60:02d}:{n % 60:02d}:00 +0700</pubDate></item>"
        for n in range(count))
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>{prefix}</title><link>https://example.vn/</link>{items}</channel></rss>"
            ).encode()


@pytest.fixture
def two_categories(site: Site, cli: Cli) -> Cli:
    thoi_su = site.add("/thoi-su.rss", rss(40, "ThoiSu"))
    an_ninh = site.add("/an-ninh.rss", rss(20, "AnNinh"))
    cli.write_config([(thoi_su, THOI_SU), (an_ninh, AN_NINH)],
                     weather_url=site.url("/v1/forecast"))
    run = cli("refresh")
    assert run.status == 0, run.err
    return cli


# --- the reader without a terminal --------------------------------------------------------------

def test_the_reader_refuses_to_start_without_a_terminal(cli: Cli, tmp_path: Path) -> None:
    cli.config.write_text("[general]\nlanguage = 'vi'\n", encoding="utf-8")
    args = ("--config", str(cli.config), "--data-dir", str(cli.data_dir))
    out_file = tmp_path / "out"
    with out_file.open("wb") as out:  # `tui-news </dev/null >file`, as cron runs it
        result = tui_news(*args, stdout=out, stderr=subprocess.PIPE)
    assert result.returncode == 2
    assert out_file.read_bytes() == b""  # no screen of escape sequences in the file
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and "terminal" in lines[0] and "`tui-news articles`" in lines[0]
    # stdin a terminal but stdout a pipe (`tui-news | less`): refused the same way
    master, slave = os.openpty()
    try:
        piped = tui_news(*args, stdin=slave)
    finally:
        os.close(slave)
        os.close(master)
    assert piped.returncode == 2 and piped.stdout == b""
    assert "`tui-news articles`" in piped.stderr.decode()
    assert not (cli.data_dir / "cache.sqlite3").exists()  # nothing was opened


# --- usage errors, help ---------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ("articles", "--limit", "0"),
    ("articles", "--limit", "many"),
    ("articles", "--colour"),
    ("articles", "--limit", "3", "--all"),
    ("mark", "1"),
    ("mark", "one", "--read"),
    ("show",),
    ("frobnicate",),
    ("--lang", "fr", "articles"),
])
def test_usage_errors_are_one_line_with_status_2(cli: Cli, args: tuple[str, ...]) -> None:
    run = cli(*args)
    assert run.status == 2 and run.out == ""
    lines = run.err.splitlines()
    assert len(lines) == 1, run.err
    assert lines[0].startswith("tui-news: ") and "usage:" not in run.err
    assert "--help" in lines[0]  # says where to look


def test_a_usage_error_in_a_process_of_its_own_is_one_line(tmp_path: Path) -> None:
    result = tui_news("--data-dir", str(tmp_path / "d"), "articles", "--limit", "-3")
    assert result.returncode == 2 and result.stdout == b""
    assert result.stderr.decode().count("\n") == 1 and b"Traceback" not in result.stderr


def _option_lines(help_text: str) -> dict[str, str]:
    """Each option or positional of a --help text → its help (the rest of its entry)."""
    entries: dict[str, str] = {}
    name = None
    for line in help_text.splitlines():
        m = re.match(r"^  (\S.*?)(?:\s{2,}(\S.*))?$", line)
        if m and not line.startswith("   "):
            name = m.group(1)
            entries[name] = m.group(2) or ""
        elif name and line.startswith("   ") and line.strip():
            entries[name] = (entries[name] + " " + line.strip()).strip()
        elif not line.strip():
            name = None
    return entries


def test_every_command_has_a_line_and_every_option_its_help(cli: Cli) -> None:
    top = cli("--help")
    assert top.status == 0
    for name in COMMANDS:
        assert re.search(rf"^ +{name} {{2,}}\w", top.out, re.MULTILINE), (
            f"`{name}` has no line in tui-news --help")
    for name in COMMANDS:
        run = cli(name, "--help")
        assert run.status == 0
        options = _option_lines(run.out)
        assert len(options) >= 5  # -h and the four global options at least
        missing = [option for option, text in options.items() if not text]
        assert not missing, f"tui-news {name}: options without help: {missing}"


# --- the config ----------------------------------------------------------------------------------

def test_an_explicit_config_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    result = tui_news("--config", str(missing), "--data-dir", str(tmp_path / "d"), "feeds")
    assert result.returncode == 2 and result.stdout == b""
    assert result.stderr.decode().splitlines() == [
        f"tui-news: {missing}: config file not found (given by --config)"]
    by_env = tui_news("--data-dir", str(tmp_path / "d"), "feeds",
                      env={"TUI_NEWS_CONFIG": str(missing)})
    assert by_env.returncode == 2 and "given by TUI_NEWS_CONFIG" in by_env.stderr.decode()
    assert not missing.exists() and not (tmp_path / "d").exists()


def test_import_may_create_the_config_it_is_given(tmp_path: Path) -> None:
    opml = tmp_path / "subs.opml"
    opml.write_text('<opml version="2.0"><body><outline text="Thế giới" xmlUrl='
                    '"https://a.example/rss"/></body></opml>', encoding="utf-8")
    fresh = Cli(config=tmp_path / "new" / "config.toml", data_dir=tmp_path / "d")
    run = fresh("import", str(opml))
    assert run.status == 0, run.err
    assert len(load_config(fresh.config).feeds) == len(DEFAULT_FEEDS) + 1


# --- articles ------------------------------------------------------------------------------------

def test_articles_says_how_many_it_left_out(two_categories: Cli) -> None:
    cli = two_categories
    default = cli("articles")
    lines = default.out.splitlines()
    assert len(lines) == 51  # 50 articles, then the line about the other 10
    assert lines[-1] == "… còn 10 bài nữa: --limit 60 hoặc --all để xem hết"
    english = cli("--lang", "en", "articles", "--unread")
    assert english.out.splitlines()[-1] == "… 10 more: --limit 60 or --all shows them"
    for args in (("--all",), ("--limit", "60"), ("--limit", "100")):
        every = cli("articles", *args).out.splitlines()
        assert len(every) == 60 and not every[-1].startswith("…"), args
    asked = cli("articles", "--limit", "5").out.splitlines()  # what was asked for, no more
    assert len(asked) == 5 and not asked[-1].startswith("…")
    assert len(cli("articles", "--json").json()) == 60  # type: ignore[arg-type]
    assert len(cli("articles", "--json", "--limit", "7").json()) == 7  # type: ignore[arg-type]


@pytest.mark.parametrize("typed", ["Thời sự", "thời sự", "THỜI SỰ", "thoi su", "  Thoi   Su "])
def test_category_matches_as_people_type_it(two_categories: Cli, typed: str) -> None:
    items = two_categories("articles", "--json", "--category", typed).json()
    assert len(items) == 40  # type: ignore[arg-type]
    assert all(THOI_SU in a["categories"] for a in items)  # type: ignore[union-attr, index]


def test_category_folding_for_refresh_and_unknown_names(two_categories: Cli) -> None:
    cli = two_categories
    run = cli("refresh", "--category", "noi chinh - an ninh - quoc phong")
    assert run.status == 0, run.err
    assert "1/1 feeds refreshed" in run.out
    unknown = cli("articles", "--category", "thoi")
    assert unknown.status == 2 and len(unknown.err.splitlines()) == 1
    assert "unknown category 'thoi'" in unknown.err and THOI_SU in unknown.err


# --- export, import -------------------------------------------------------------------------------

def test_export_into_a_missing_folder_fails_with_one_line(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "dir" / "x.opml"
    run = cli("export", str(target))
    assert run.status == 1 and run.out == ""
    assert run.err.splitlines() == [
        f"tui-news: {target}: cannot be written (folder {target.parent} does not exist)"]
    assert not (tmp_path / "no").exists()  # no folder made on the way


def test_import_says_the_catalogue_was_written_out_too(cli: Cli, tmp_path: Path) -> None:
    cli.config.write_text("# mine\n[general]\nlanguage = 'vi'\n", encoding="utf-8")
    opml = tmp_path / "subs.opml"
    opml.write_text('<opml version="2.0"><body>'
                    '<outline text="A" category="Riêng" xmlUrl="https://a.example/rss"/>'
                    '<outline text="B" category="Riêng" xmlUrl="https://b.example/rss"/>'
                    "</body></opml>", encoding="utf-8")
    run = cli("import", str(opml))
    assert run.status == 0, run.err
    written = load_config(cli.config).feeds
    assert len(written) == len(DEFAULT_FEEDS) + 2
    assert run.out.splitlines() == [
        f"2 subscriptions added to {cli.config} (0 already there)",
        label("catalogue_written", "vi", count=len(DEFAULT_FEEDS)),
    ]
    again = cli("import", str(opml))  # a config with [[feeds]]: only what was added is said
    assert again.out.splitlines() == [f"0 subscriptions added to {cli.config} (2 already there)"]


# --- feeds, paths --------------------------------------------------------------------------------

def test_feeds_in_the_ui_language_and_time_zone(two_categories: Cli) -> None:
    cli = two_categories
    vi = cli("feeds").out
    assert "40 bài · tải lúc " in vi and " · ok" in vi
    assert "articles" not in vi and "never fetched" not in vi
    en = cli("--lang", "en", "feeds").out
    assert "40 articles · fetched " in en and "20 articles" in en
    rows = cli("feeds", "--json").json()
    assert all(str(r["last_fetched"]).endswith("+07:00") for r in rows)  # type: ignore[union-attr, index]
    text = cli.config.read_text(encoding="utf-8")
    cli.config.write_text("[general]\ntimezone = 'Europe/Paris'\n" + text, encoding="utf-8")
    paris = cli("feeds", "--json").json()
    assert all(str(r["last_fetched"]).endswith(("+01:00", "+02:00"))  # type: ignore[index]
               for r in paris)  # type: ignore[union-attr]


def test_feeds_before_any_fetch_and_one_article(cli: Cli, site: Site) -> None:
    url = site.add("/one.rss", rss(1))
    cli.write_config([(url, THOI_SU)], weather_url=site.url("/v1/forecast"))
    assert "0 bài · chưa tải lần nào" in cli("feeds").out
    cli("refresh")
    assert "1 article · fetched " in cli("--lang", "en", "feeds").out


def test_paths_prints_what_is_in_use_and_creates_nothing(cli: Cli) -> None:
    run = cli("paths")
    assert run.status == 0, run.err
    lines = run.out.splitlines()
    assert lines[0].startswith("version  tui-news ")
    assert lines[1] == (f"config   {cli.config} (not found: the defaults and the built-in "
                        "catalogue are in use)")
    assert lines[2] == f"data     {cli.data_dir}"
    assert lines[3] == f"cache    {cli.data_dir / 'cache.sqlite3'} (not created yet)"
    assert not cli.data_dir.exists() and not cli.config.exists()


# --- TERM=dumb, NO_COLOR -------------------------------------------------------------------------

@pytest.mark.parametrize("env", [{"TERM": "dumb"}, {"TERM": "xterm-256color", "NO_COLOR": "1"}])
def test_no_escape_sequence_on_a_terminal_with_term_dumb_or_no_color(
        two_categories: Cli, env: dict[str, str]) -> None:
    cli = two_categories
    base = ("--config", str(cli.config), "--data-dir", str(cli.data_dir))
    (first,) = cli("articles", "--json", "--limit", "1").json()  # type: ignore[misc]
    for args in (("refresh",), ("articles",), ("feeds",), ("show", str(first["id"])),
                 ("weather", "--offline"), ("paths",), ("export",), ("--help",)):
        master, slave = os.openpty()  # stdout and stderr a terminal, as for a person
        proc = subprocess.Popen(
            [sys.executable, "-m", "tui_news", *base, *args], stdin=subprocess.DEVNULL,
            stdout=slave, stderr=slave, env={**os.environ, "PYTHONPATH": str(SRC), **env})
        os.close(slave)
        written = b""
        try:
            while chunk := os.read(master, 65536):
                written += chunk
        except OSError:  # EIO: the other end is closed
            pass
        finally:
            os.close(master)
        assert proc.wait(timeout=120) == 0, (args, written)
        assert written.strip(), args
        assert b"\x1b" not in written, (args, written[:300])
