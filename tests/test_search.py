"""Searching Vietnamese: folded matching, safe query syntax, exact-accent ranking, highlights."""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tui_news import store as store_module
from tui_news.models import ArticleQuery, Block, BlockKind, FeedConfig, FullText, ParsedEntry
from tui_news.search import (
    _WORD,
    entry_search_text,
    fts_expression,
    highlight_spans,
    index_text,
    parse_query,
    plain_text,
)
from tui_news.store import Store
from tui_news.text import fold

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
NEWS = FeedConfig("https://a.vn/thoi-su.rss", "Thời sự")
BIZ = FeedConfig("https://a.vn/kinh-doanh.rss", "Kinh doanh")

ARTICLES = {
    "hanoi": ("Hà Nội mưa lớn chiều nay", "Nhiều tuyến phố ngập"),
    "danang": ("Đà Nẵng đón khách", "Du lịch phục hồi mạnh"),
    "hoa1": ("Hòa bình và phát triển", "Bài bình luận"),
    "hoa2": ("Giữ gìn hoà khí trong gia đình", "Tâm sự"),
    "caps": ("HỌC SINH TP.HCM đi học lại", "Tin giáo dục"),
    "split": ("Hà Giang và Nội Bài", "Chuyến đi"),
    "people": ("Người dân đổ xô mua vàng", "Giá vàng tăng"),
    "hai": ("Hai đội hòa nhau", "Bóng đá"),
}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "cache.sqlite3")
    s.sync_feeds([NEWS, BIZ])
    s.ingest(NEWS.url, [ParsedEntry(k, t, f"https://a.vn/{k}", summ, T0 + timedelta(minutes=i))
                        for i, (k, (t, summ)) in enumerate(ARTICLES.items())])
    yield s
    s.close()


def keys(store: Store, query: str, **filters: object) -> list[str]:
    """The keys (first word of the title mapped back) an ArticleQuery(search=…) lists, in order."""
    by_title = {t: k for k, (t, _) in ARTICLES.items()}
    q = ArticleQuery(search=query, **filters)  # type: ignore[arg-type]
    found = [by_title.get(a.title, a.title) for a in store.page(q, 0, 100)]
    assert store.count(q) == len(found)
    assert [a.id for a in store.articles(store.ids(q))] == [a.id for a in store.page(q, 0, 100)]
    return found


def test_unaccented_query_finds_accented_text(store: Store) -> None:
    assert keys(store, "ha noi") == ["hanoi", "split"]  # side by side ranks first
    assert keys(store, "da nang") == ["danang"]  # đ folds to d
    assert keys(store, "DA NANG") == ["danang"]
    assert keys(store, "đà nẵng") == ["danang"]


def test_both_tone_placements_meet(store: Store) -> None:
    assert set(keys(store, "hòa")) == {"hoa1", "hoa2", "hai"}
    assert set(keys(store, "hoà")) == {"hoa1", "hoa2", "hai"}
    assert set(keys(store, "hoa")) == {"hoa1", "hoa2", "hai"}


def test_nfd_query_and_case(store: Store) -> None:
    nfd = unicodedata.normalize("NFD", "Hà Nội")
    assert nfd != "Hà Nội"
    assert keys(store, nfd) == ["hanoi", "split"]
    assert keys(store, "học sinh") == ["caps"]
    assert keys(store, "HÀ NỘI") == ["hanoi", "split"]


def test_words_are_anded_and_phrases_are_phrases(store: Store) -> None:
    assert set(keys(store, "ha noi")) == {"hanoi", "split"}  # words anywhere
    assert keys(store, '"ha noi"') == ["hanoi"]
    assert keys(store, '"ha giang" bai') == ["split"]
    assert keys(store, '"noi ha"') == []
    assert keys(store, "ha vang") == []


def test_prefix_from_three_letters(store: Store) -> None:
    assert keys(store, "ngu") == ["people"]  # người
    assert keys(store, "phuc") == ["danang"]  # phục hồi
    assert keys(store, "ng") == []  # two letters match whole words only
    assert set(keys(store, "ha")) == {"hanoi", "split"}  # not "hai"


def test_symbol_only_query_is_no_search(store: Store) -> None:
    everything = store.count(ArticleQuery())
    for query in ("", "   ", "\u0300\u0301", "!!! ... ---", '""', "*", "()"):
        assert parse_query(query) == []
        assert store.count(ArticleQuery(search=query)) == everything


@pytest.mark.parametrize("query", [
    "[b]hà[/b]", "[/", "\x1b[31mha\x1b[0m", '"', 'ha"noi', "*", "ha*", "NEAR(ha noi", "ha OR noi",
    "ha AND", "NOT ha", "title:ha", "-ha", "^ha", "ha + noi", "{ha}", "'; DROP TABLE articles;--",
    "ha\x00noi", "\ud800", "ha " * 2500, "x" * 5000,
])
def test_hostile_queries_never_raise(store: Store, query: str) -> None:
    q = ArticleQuery(search=query)
    assert store.count(q) >= 0
    assert isinstance(store.page(q, 0, 50), list)
    assert isinstance(store.ids(q), list)
    assert isinstance(highlight_spans("Hà Nội [b] NEAR", query), list)
    assert store.count(ArticleQuery()) == len(ARTICLES)


def test_operators_are_words(store: Store) -> None:
    assert keys(store, "ha OR noi") == []  # "or" is a word to find, not an operator
    assert keys(store, "ha noi NEAR(") == []
    assert fts_expression(parse_query('NEAR(ha "x*')) == '"x" AND "near"* AND "ha"'


def test_exact_accent_ranks_first(tmp_path: Path) -> None:
    s = Store.open(tmp_path / "c.sqlite3")
    s.sync_feeds([NEWS])
    # The folded-only matches are newer and have shorter titles (better bm25): exact still wins.
    s.ingest(NEWS.url, [
        ParsedEntry("exact", "Chuyện hòa giải ở phường cũ trong thành phố", None, "x", T0),
        ParsedEntry("other", "Hoà giải", None, "x", T0 + timedelta(hours=1)),
        ParsedEntry("plain", "Hoa giai", None, "x", T0 + timedelta(hours=2)),
    ])
    titles = [a.title for a in s.page(ArticleQuery(search="hòa giải"), 0, 10)]
    assert titles[0] == "Chuyện hòa giải ở phường cũ trong thành phố"
    assert len(titles) == 3
    titles = [a.title for a in s.page(ArticleQuery(search="hoà giải"), 0, 10)]
    assert titles[0] == "Hoà giải"
    # Unaccented queries rank by relevance, then newest.
    titles = [a.title for a in s.page(ArticleQuery(search="hoa giai"), 0, 10)]
    assert titles[:2] == ["Hoa giai", "Hoà giải"]
    s.close()


def test_an_exact_hit_is_a_whole_word(tmp_path: Path) -> None:
    """"hoà" finds "Hoàng Sa" (a prefix) but only "Hoà Bình" is an exact hit, though older."""
    s = Store.open(tmp_path / "c.sqlite3")
    s.sync_feeds([NEWS])
    s.ingest(NEWS.url, [ParsedEntry("hb", "Thuỷ điện Hoà Bình", None, "x", T0),
                        ParsedEntry("hs", "Quần đảo Hoàng Sa", None, "x", T0 + timedelta(hours=1))])
    assert [a.title for a in s.page(ArticleQuery(search="hoà"), 0, 10)] == [
        "Thuỷ điện Hoà Bình", "Quần đảo Hoàng Sa"]
    assert [a.title for a in s.page(ArticleQuery(search="hoa"), 0, 10)] == [
        "Quần đảo Hoàng Sa", "Thuỷ điện Hoà Bình"]  # nothing exact: newest first
    s.close()


def test_a_search_ranks_and_lists_its_newest_matches_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past SEARCH_CANDIDATES matches, the newest stored are ranked and listed; the filters of
    a view apply before the cap, so a category's older matches are still found."""
    monkeypatch.setattr(store_module, "SEARCH_CANDIDATES", 4)
    s = Store.open(tmp_path / "c.sqlite3")
    s.sync_feeds([NEWS, BIZ])
    # Stored oldest first: ids grow with n. The oldest two are in Kinh doanh only.
    s.ingest(BIZ.url, [ParsedEntry(f"b{n}", f"Giá vàng {n}", None, "x", T0 + timedelta(hours=n))
                       for n in range(2)])
    s.ingest(NEWS.url, [ParsedEntry(f"n{n}", f"Giá vàng hôm nay {n}", None, "x",
                                    T0 + timedelta(hours=n)) for n in range(2, 8)])
    # Stored last and the newest: the words only in its lead.
    s.ingest(NEWS.url, [ParsedEntry("lead", "Thị trường", None, "Giá vàng tăng",
                                    T0 + timedelta(hours=10))])
    query = ArticleQuery(search="gia vang")
    listed = [a.title for a in s.page(query, 0, 100)]
    assert len(listed) == 4 and s.count(query) == 4 and len(s.ids(query)) == 4
    # Ranking still orders the candidates: title hits first, newest first.
    assert listed == ["Giá vàng hôm nay 7", "Giá vàng hôm nay 6", "Giá vàng hôm nay 5",
                      "Thị trường"]
    assert [a.title for a in s.page(ArticleQuery(search="gia vang", category="Kinh doanh"),
                                    0, 100)] == ["Giá vàng 1", "Giá vàng 0"]
    # mark_all_read of a search view marks what the view lists, no more.
    assert s.mark_all_read(query) == 4
    assert s.count(ArticleQuery(search="gia vang", unread_only=True)) == 4
    s.close()


def test_search_with_filters_and_mark_all_read(store: Store) -> None:
    store.ingest(BIZ.url, [ParsedEntry("people", *ARTICLES["people"][:1], None,
                                       ARTICLES["people"][1], T0)])
    store.ingest(BIZ.url, [ParsedEntry("gold", "Vàng miếng", None, "Giá", T0)])
    assert set(keys(store, "vang")) == {"people", "Vàng miếng"}
    assert keys(store, "vang", category="Thời sự") == ["people"]
    assert store.mark_all_read(ArticleQuery(search="vang", category="Kinh doanh")) == 2
    assert keys(store, "vang", unread_only=True) == []
    assert store.count(ArticleQuery(unread_only=True)) == len(ARTICLES) - 1
    store.set_starred(store.ids(ArticleQuery(search="ha noi")))
    assert keys(store, "ha", starred_only=True) == ["split", "hanoi"]
    assert keys(store, "ha giang", starred_only=True) == ["split"]


def test_index_follows_update_full_text_and_purge(store: Store) -> None:
    store.ingest(NEWS.url, [ParsedEntry("hanoi", "Hải Phòng nắng", None, "Khô ráo", T0)])
    assert keys(store, '"ha noi"') == []
    assert keys(store, "ha noi") == ["split"]
    assert keys(store, "hai phong") == ["Hải Phòng nắng"]
    hanoi_id = store.ids(ArticleQuery(search="hai phong"))[0]
    full = FullText(None, None, (Block(BlockKind.PARAGRAPH, "Cảng Lạch Huyện nhộn nhịp"),))
    store.save_full_text(hanoi_id, full)
    assert store.ids(ArticleQuery(search="lach huyen")) == [hanoi_id]
    store.save_full_text(hanoi_id, FullText(None, None, (Block(BlockKind.PARAGRAPH, "Khác"),)))
    assert store.ids(ArticleQuery(search="lach huyen")) == []
    assert store.purge(1, now=datetime.now(UTC) + timedelta(days=5)) == len(ARTICLES)
    assert store.count(ArticleQuery(search="hai phong")) == 0
    assert store.count(ArticleQuery(search="da nang")) == 0
    remaining = store._conn.execute("SELECT count(*) FROM search").fetchone()[0]
    assert remaining == 0


def test_new_articles_wait_for_the_index_and_a_search_indexes_them_first(tmp_path: Path) -> None:
    s = Store.open(tmp_path / "cache.sqlite3")
    s.sync_feeds([NEWS])
    s.ingest(NEWS.url, [ParsedEntry("a", "Bão vào Đà Nẵng", None, "Mưa lớn", T0),
                        ParsedEntry("b", "Hà Nội nắng", None, "Khô ráo", T0)])
    count = s._conn.execute
    assert s.pending_search()
    assert count("SELECT count(*) FROM search").fetchone()[0] == 0
    # Every entry point of a search indexes first: nothing stored is missed.
    assert s.count(ArticleQuery(search="da nang")) == 1
    assert not s.pending_search()
    assert count("SELECT count(*) FROM search_exact").fetchone()[0] == 2
    s.ingest(NEWS.url, [ParsedEntry("c", "Đà Nẵng đón khách", None, "Du lịch", T0)])
    assert len(s.page(ArticleQuery(search="Đà Nẵng"), 0, 10)) == 2
    assert not s.pending_search()
    s.ingest(NEWS.url, [ParsedEntry("d", "Hải Phòng", None, "Cảng", T0)])
    assert s.mark_all_read(ArticleQuery(search="hai phong")) == 1
    # Lists and counts without a search never write.
    s.ingest(NEWS.url, [ParsedEntry("e", "Huế", None, "Mưa", T0)])
    s.page(ArticleQuery(), 0, 10)
    s.counts(["Thời sự"])
    assert s.pending_search()
    assert s.index_pending() == 1 and s.index_pending() == 0
    s.close()


def test_what_changes_while_an_article_waits_is_what_gets_indexed(store: Store) -> None:
    store.ingest(NEWS.url, [ParsedEntry("new", "Hải Phòng nắng", None, "Khô ráo", T0)])
    new_id = store._conn.execute("SELECT id FROM articles WHERE key = 'new'").fetchone()[0]
    # Changed text and a full text, both before the article reaches the index.
    store.ingest(NEWS.url, [ParsedEntry("new", "Quảng Ninh mát", None, "Gió nhẹ", T0)])
    store.save_full_text(new_id,
                         FullText(None, None, (Block(BlockKind.PARAGRAPH, "Vịnh Hạ Long"),)))
    assert store.pending_search()
    assert store.ids(ArticleQuery(search="quang ninh")) == [new_id]
    assert store.ids(ArticleQuery(search="ha long")) == [new_id]
    assert store.ids(ArticleQuery(search="hai phong")) == []


def test_a_purged_article_stops_waiting(store: Store) -> None:
    store.ingest(NEWS.url, [ParsedEntry("old", "Tin cũ", None, "", T0)])
    assert store.pending_search()
    store.purge(1, now=datetime.now(UTC) + timedelta(days=5))
    assert not store.pending_search()
    assert store.index_pending() == 0


def test_a_waiting_id_whose_article_is_gone_stops_waiting(store: Store) -> None:
    # Deleted by another tool with foreign keys off: no article to index, and it must not keep
    # every later search taking the write lock to look for it.
    store.index_pending()
    store._conn.execute("PRAGMA foreign_keys = OFF")
    store.ingest(NEWS.url, [ParsedEntry("gone", "Tin bị xoá", None, "", T0)])
    store._conn.execute("DELETE FROM articles WHERE key = 'gone'")
    store._conn.execute("PRAGMA foreign_keys = ON")
    assert store.pending_search()
    assert store.index_pending() == 0
    assert not store.pending_search()


def test_a_search_on_a_cache_it_cannot_write_finds_what_is_indexed(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    s = Store.open(path)
    s.sync_feeds([NEWS])
    s.ingest(NEWS.url, [ParsedEntry("a", "Đà Nẵng", None, "", T0)])
    s.index_pending()
    s.ingest(NEWS.url, [ParsedEntry("b", "Đà Nẵng mưa", None, "", T0)])
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock throughout
    try:
        s.busy_timeout = 0.2
        assert s.count(ArticleQuery(search="da nang")) == 1  # no error, the indexed one found
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert s.count(ArticleQuery(search="da nang")) == 2
    s.close()


# --- highlight spans ---------------------------------------------------------------------------


def spans_text(text: str, query: str) -> list[str]:
    return [text[a:b] for a, b in highlight_spans(text, query)]


def test_highlight_folded_words() -> None:
    text = "Hà Nội và Đà Nẵng; hà nội"
    assert highlight_spans(text, "ha noi") == [(0, 2), (3, 6), (19, 21), (22, 25)]
    assert spans_text(text, "da nang") == ["Đà", "Nẵng"]
    assert spans_text(text, "") == []
    assert spans_text(text, "!!!") == []
    assert spans_text("", "ha") == []


def test_highlight_prefix_phrase_and_nfd() -> None:
    assert spans_text("Người dân", "ngu") == ["Ngư"]
    assert spans_text("Hà Giang và Nội Bài, Hà Nội", '"ha noi"') == ["Hà Nội"]
    assert spans_text("hai ha", "ha") == ["ha"]
    nfd = unicodedata.normalize("NFD", "Hà Nội hôm nay")
    assert spans_text(nfd, "hom nay") == [unicodedata.normalize("NFD", "hôm"), "nay"]
    assert spans_text(nfd, '"hom nay"') == [unicodedata.normalize("NFD", "hôm nay")]
    assert spans_text("[b]Hà[/b]", "[b] ha") == ["b", "Hà", "b"]


# --- what the indexes hold: the tokenizer must see the tokens of fold() and of the typed words ---

_VIETNAMESE = "aăâeêioôơuưy"
_TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")


# Every character the fast paths of index_text and plain_text may meet, and some beyond them.
_RANGES = [range(0x20, 0x250), range(0x1E00, 0x1F00), range(0x2000, 0x2070),
           range(0x20A0, 0x20C0), range(0x370, 0x400), range(0xFB00, 0xFB07)]


def _tokens(text: str, remove_diacritics: int) -> list[str]:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize = "
                 f"'unicode61 remove_diacritics {remove_diacritics}')")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    conn.execute("INSERT INTO t (x) VALUES (?)", (text,))
    tokens = [row[0] for row in conn.execute("SELECT term FROM v ORDER BY offset")]
    conn.close()
    return tokens


def _vietnamese_letters() -> str:
    letters = {unicodedata.normalize("NFC", base + tone)
               for base in _VIETNAMESE + _VIETNAMESE.upper() for tone in _TONES}
    return "".join(sorted(letters)) + "đĐ"


def test_index_text_gives_the_tokens_of_fold_for_every_character() -> None:
    # Every character, one per word, between letters; those the fast path leaves to the
    # tokenizer must come out as fold() would make them, the others go through fold() itself.
    chars = [chr(c) for r in _RANGES for c in r] + list(_vietnamese_letters())
    text = " ".join(f"x{ch}y" for ch in chars)
    assert _tokens(index_text(text), 2) == _tokens(fold(text), 2)
    for ch in chars:  # one at a time too: the fast path is taken per text
        word = f"x{ch}y Hà Nội"
        assert _tokens(index_text(word), 2) == _tokens(fold(word), 2), hex(ord(ch))


def test_index_text_takes_the_fast_path_for_vietnamese() -> None:
    text = "Đà Nẵng: Ủy ban “khẩn” – 25₫ … HOÀ hòa"
    assert index_text(text) == text.replace("Đ", "D").replace("đ", "d")
    assert index_text("Ελλάδα") == fold("Ελλάδα")  # outside the checked set: folded by us


def test_plain_text_gives_the_typed_words() -> None:
    letters = _vietnamese_letters()
    text = "Ông " + " ".join(f"x{ch}y" for ch in letters) + " HÀ NỘI, “an-ninh”"
    typed = [w for w in text.casefold().replace("-", " ").replace(",", " ").replace("“", " ")
             .replace("”", " ").split()]
    assert _tokens(plain_text("Tựa đề", text), 0) == ["tựa", "đề", *typed]
    nfd = unicodedata.normalize("NFD", "Hà Nội")
    assert _tokens(plain_text(nfd), 0) == ["hà", "nội"]
    # What an article stores is what plain_text gives (entry_search_text skips the NFC step).
    assert entry_search_text("Tựa đề", text)[2] == plain_text("Tựa đề", text)


def test_plain_text_gives_the_query_side_words_for_every_character() -> None:
    # The query side splits and casefolds in Python (parse_query); the unfolded index must hold
    # the same words, whether the tokenizer or Python made them.
    for ch in [chr(c) for r in _RANGES for c in r] + ["🤣", "ß", "İ", "Σ"]:
        word = f"x{ch}y Hà Nội {ch}"
        python = " ".join(_WORD.findall(unicodedata.normalize("NFC", word).casefold()))
        assert _tokens(plain_text(word), 0) == _tokens(python, 0), hex(ord(ch))
    assert _tokens(plain_text("Hà Nội🤣 mở"), 0) == ["hà", "nội", "mở"]
