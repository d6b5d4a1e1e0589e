"""A synthetic Vietnamese news corpus: RSS 2.0 feeds shaped like the real samples, the Open-Meteo
answer, and ParsedEntry batches for filling a cache through Store.ingest.

Deterministic for a given seed. Links and images point at the local server, so nothing a client
might follow leaves the machine.
"""

from __future__ import annotations

import itertools
import json
import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from xml.sax.saxutils import escape

VN = timezone(timedelta(hours=7))

# The 12 default categories (DOMAIN.md), in catalogue order.
CATEGORIES = (
    "Thời sự", "Thế giới", "Kinh tế", "Nội chính - An ninh - Quốc phòng", "Pháp luật",
    "Giáo dục", "Sức khỏe", "Thể thao", "Giải trí", "Khoa học - Công nghệ", "Du lịch", "Hà Nội",
)
CATEGORY_SLUGS = (
    "thoi-su", "the-gioi", "kinh-te", "an-ninh", "phap-luat", "giao-duc", "suc-khoe",
    "the-thao", "giai-tri", "khoa-hoc", "du-lich", "ha-noi",
)

# outlet, pubDate shape (see _date), description style, lead prefix
OUTLETS = (
    ("vnexpress", "rfc822", "vne", ""),
    ("tuoitre", "us_ampm_nnbsp", "plain", ""),
    ("thanhnien", "year2", "plain", ""),
    ("dantri", "rfc822", "plain", "(Dân trí) - "),
    ("vov", "rfc822", "plain", "VOV.VN - "),
    ("nhandan", "colon_offset", "related", ""),
    ("vietnamplus", "colon_offset", "related", ""),
    ("cand", "colon_offset", "related", ""),
    ("sggp", "colon_offset", "plain", ""),
    ("cafef", "short_offset", "plain", ""),
    ("vtv", "short_offset", "plain", "VTV.vn - "),
    ("kenh14", "short_offset", "vne", ""),
    ("baochinhphu", "us_ampm", "plain", "(Chinhphu.vn) - "),
    ("vietnambiz", "gmt_plus", "plain", ""),
    ("bbc", "gmt", "plain", ""),
    ("nld", "rfc822", "plain", "(NLĐO)- "),
    ("hanoimoi", "rfc822", "vne", ""),
)

_WORD_TEXT = (
    "Hà Nội Đà Nẵng thành phố Hồ Chí Minh kinh tế xã hội thời sự thể thao giáo dục sức khỏe "
    "khoẻ hòa hoà bình chính phủ quốc hội người dân giá vàng xăng dầu bão lũ miền Trung mưa lớn "
    "học sinh đại học bóng đá đội tuyển Việt Nam doanh nghiệp ngân hàng lãi suất chứng khoán "
    "bất động sản công an điều tra vụ án giao thông tai nạn cao tốc sân bay Thủ tướng bộ trưởng "
    "ủy ban nhân dân tỉnh huyện xã phường thủy lợi thuỷ điện nông nghiệp lúa gạo xuất khẩu nhập "
    "khẩu du lịch khách quốc tế bệnh viện bác sĩ y tế dịch bệnh vắc xin trường học giáo viên "
    "thi tốt nghiệp tuyển sinh công nghệ trí tuệ nhân tạo điện thoại dữ liệu an ninh mạng quốc "
    "phòng biên giới hải quân năng lượng điện gió mặt trời môi trường rác thải nước sạch nhà ở "
    "giá thuê tăng giảm mạnh nhẹ tiếp tục dự kiến hôm nay tuần này tháng tới năm nay lần đầu tiên "
    "khởi công hoàn thành vận hành triển khai đề xuất phê duyệt kiểm tra xử phạt cảnh báo "
    "Cần Thơ Hải Phòng Huế Nghệ An Thanh Hóa Quảng Ninh Khánh Hòa Lâm Đồng Đồng Nai Bình Dương"
)
# Syllables as frequent as they are in news text come first (Zipf ranks 1…).
_COMMON = ("của và các những được cho với có là này trong một người đã đến không để khi từ "
           "theo về sẽ tại cũng như nhiều năm ngày sau đó ra vào trên bị hơn còn đang")
_INITIALS = ("b c ch d đ g gi h kh l m n ng nh ph qu s t th tr v x")
_RHYMES = ("a ai am an ang anh ao au ay ăn ăng âm ân âu ây e em en eo ê êm ên ênh i im in inh "
           "iêu iên o oi om on ong ô ôi ôm ông ơ ơi ơn u ui um un ung uy ư ưa ưng ươn ương")
# No mark, then huyền, sắc, hỏi, ngã, nặng.
_TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")


def _tone_at(rhyme: str) -> int:
    """Where the tone mark goes: a hatted vowel (the last one, for ươ), else the last vowel
    before a final consonant, else the first vowel."""
    vowels = "aăâeêioôơuưy"
    hatted = [i for i, ch in enumerate(rhyme) if ch in "ăâêôơư"]
    if hatted:
        return hatted[-1]
    indexes = [i for i, ch in enumerate(rhyme) if ch in vowels]
    if rhyme[-1] not in vowels:
        return indexes[-1]
    return indexes[0]


def _syllables() -> list[str]:
    """Pseudo-Vietnamese syllables (initial + rhyme + tone) for the vocabulary's long tail."""
    out = []
    for initial in _INITIALS.split():
        for rhyme in _RHYMES.split():
            at = _tone_at(rhyme)
            for tone in _TONES:
                out.append(unicodedata.normalize(
                    "NFC", initial + rhyme[: at + 1] + tone + rhyme[at + 1:]))
    return out


def _vocabulary() -> tuple[tuple[str, ...], tuple[float, ...]]:
    """Words and Zipf weights: function syllables, the news words, then a shuffled long tail."""
    news = list(dict.fromkeys(_WORD_TEXT.split()))
    common = _COMMON.split()
    seen = set(common) | {w.lower() for w in news}
    tail = [w for w in _syllables() if w not in seen]
    random.Random(3).shuffle(tail)
    words = tuple([*common, *news, *tail])
    return words, tuple(1.0 / (rank + 2) for rank in range(len(words)))


WORDS, WEIGHTS = _vocabulary()
_CUM = tuple(itertools.accumulate(WEIGHTS))

CITIES_ANSWER_COORDS = ((21.0, 105.875), (16.0, 108.25), (10.875, 106.625))


@dataclass(frozen=True)
class FeedSpec:
    """One synthetic feed: where it is served and what category it belongs to."""

    index: int
    outlet: str
    host_index: int  # which loopback address serves it (0-based)
    path: str
    category: str


def _sentence(rng: random.Random, lo: int, hi: int) -> str:
    words = rng.choices(WORDS, cum_weights=_CUM, k=rng.randint(lo, hi))
    text = " ".join(words)
    return text[0].upper() + text[1:]


def lead_text(rng: random.Random, lo: int = 350, hi: int = 650) -> str:
    """A lead of lo..hi characters of Vietnamese text in sentences."""
    target = rng.randint(lo, hi)
    parts: list[str] = []
    size = 0
    while size < target:
        sentence = _sentence(rng, 8, 22) + rng.choice((".", ".", ",", ";"))
        parts.append(sentence)
        size += len(sentence) + 1
    return " ".join(parts)[:target].rstrip(" ,;") + "."


def title_text(rng: random.Random) -> str:
    return _sentence(rng, 10, 18)


def _date(shape: str, when: datetime) -> str:
    """`when` in one of the pubDate shapes of DOMAIN.md."""
    local = when.astimezone(VN)
    rfc = local.strftime("%a, %d %b %Y %H:%M:%S")
    if shape == "rfc822":
        return f"{rfc} +0700"
    if shape == "year2":
        return local.strftime("%a, %d %b %y %H:%M:%S") + " +0700"
    if shape == "colon_offset":
        return f"{rfc} +07:00"
    if shape == "short_offset":
        return f"{rfc} +07"
    if shape in ("us_ampm", "us_ampm_nnbsp"):
        hour = local.hour % 12 or 12
        sep = "\u202f" if shape == "us_ampm_nnbsp" else " "
        return (f"{local.month}/{local.day}/{local.year} {hour}:{local:%M:%S}{sep}"
                f"{'AM' if local.hour < 12 else 'PM'}")
    if shape == "gmt_plus":
        return f"{rfc} GMT+7"
    return when.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")


def feed_specs(n_feeds: int, n_hosts: int) -> list[FeedSpec]:
    """`n_feeds` feeds, outlets round-robin, categories spread evenly over the 12."""
    specs = []
    for i in range(n_feeds):
        outlet_i = i % len(OUTLETS)
        cat_i = (i // len(OUTLETS) + i) % len(CATEGORIES)
        outlet = OUTLETS[outlet_i][0]
        suffix = "" if outlet == "hanoimoi" else ".rss"  # Hà Nội Mới has no .rss suffix
        specs.append(FeedSpec(index=i, outlet=outlet, host_index=outlet_i % n_hosts,
                              path=f"/rss/{outlet}/{CATEGORY_SLUGS[cat_i]}-{i}{suffix}",
                              category=CATEGORIES[cat_i]))
    return specs


def feed_xml(spec: FeedSpec, n_items: int, base: str, now: datetime, seed: int = 1) -> bytes:
    """One RSS 2.0 feed of `n_items` items; `base` is the serving origin (http://host:port)."""
    rng = random.Random(seed * 1_000_003 + spec.index)
    _, shape, style, prefix = OUTLETS[[o[0] for o in OUTLETS].index(spec.outlet)]
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n<channel>\n',
        f"<title>{escape(spec.category)} - {spec.outlet} RSS</title>\n",
        f"<link>{base}{spec.path}</link>\n<description>{spec.outlet} RSS</description>\n",
        f"<pubDate>{_date('rfc822', now)}</pubDate>\n<generator>{spec.outlet}</generator>\n",
    ]
    for j in range(n_items):
        article = spec.index * 10_000 + j
        if j % 10 == 9 and spec.index >= len(OUTLETS):
            # An outlet's category feeds overlap: the same article arrives from two feeds.
            article = (spec.index - len(OUTLETS)) * 10_000 + j
        when = now - timedelta(minutes=7 * j + (spec.index % 60) + 1)
        title = title_text(rng)
        lead = prefix + lead_text(rng)
        if rng.random() < 0.015:  # a few items arrive decomposed (NFD), as in real feeds
            title = unicodedata.normalize("NFD", title)
            lead = unicodedata.normalize("NFD", lead)
        link = f"{base}/bai-viet/{spec.outlet}/{article}.html"
        image = (f"{base}/anh/{now:%Y/%m/%d}/{spec.outlet}-{now:%Y%m%d}-{article}-"
                 f"{rng.getrandbits(64):x}-v1-highres-{rng.getrandbits(40):x}.jpg"
                 f"?w=1200&h=0&q=100&dpr=1&fit=crop&s={rng.getrandbits(128):x}")
        if style == "vne":
            desc = (f'<a href="{link}"><img src="{escape(image)}"></a></br>{escape(lead)}')
        elif style == "related":
            desc = (f"<p>{escape(lead)}</p><ul><li><a href=\"{base}/r/{article}a\">"
                    f"{escape(title_text(rng))}</a></li><li><a href=\"{base}/r/{article}b\">"
                    f"{escape(title_text(rng))}</a></li></ul>")
        else:
            desc = escape(lead)
        date = _date(shape, when)
        if shape == "gmt_plus" and j % 2:
            date = f"<![CDATA[{date}]]>"
        title_xml = f"<![CDATA[{title}]]>" if style != "plain" else escape(title)
        pad = "\n            "  # real feeds are indented like this
        out.append(
            f"        <item>{pad}<title>{title_xml}</title>{pad}<description>{pad}"
            f"<![CDATA[ {desc} ]]>{pad}</description>{pad}<pubDate>{date}</pubDate>"
            f"{pad}<link>{link}</link>{pad}<guid isPermaLink=\"true\">{link}</guid>"
            f"{pad}<category>{escape(spec.category)}</category>"
            f'{pad}<enclosure type="image/jpeg" length="1200" url="{escape(image)}"/>'
            "\n        </item>\n")
    out.append("</channel>\n</rss>\n")
    return "".join(out).encode("utf-8")


def weather_answer(now: datetime) -> bytes:
    """An Open-Meteo answer for 3 cities (a JSON array in input order)."""
    observed = (now.astimezone(VN) - timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M")
    answer = []
    for (lat, lon), (temp, code) in zip(CITIES_ANSWER_COORDS, ((21.4, 3), (25.2, 63), (31.0, 2)),
                                        strict=True):
        answer.append({
            "latitude": lat, "longitude": lon, "utc_offset_seconds": 25200,
            "timezone": "Asia/Ho_Chi_Minh",
            "current_units": {"time": "iso8601", "temperature_2m": "°C"},
            "current": {"time": observed, "interval": 900, "temperature_2m": temp,
                        "relative_humidity_2m": 80, "apparent_temperature": temp + 1,
                        "is_day": 1, "weather_code": code, "wind_speed_10m": 5.0},
        })
    return json.dumps(answer, ensure_ascii=False).encode("utf-8")


def write_corpus(directory: Path, specs: list[FeedSpec], n_items: int,
                 bases: list[str], now: datetime) -> int:
    """Write every feed (named by its index) and the weather answer; returns total bytes."""
    directory.mkdir(parents=True, exist_ok=True)
    total = 0
    manifest = []
    for spec in specs:
        body = feed_xml(spec, n_items, bases[spec.host_index], now)
        (directory / f"{spec.index}.xml").write_bytes(body)
        manifest.append({"path": spec.path, "file": f"{spec.index}.xml",
                         "host": spec.host_index})
        total += len(body)
    (directory / "weather.json").write_bytes(weather_answer(now))
    (directory / "manifest.json").write_text(json.dumps(manifest))
    return total


def config_toml(specs: list[FeedSpec], bases: list[str], weather_base: str) -> str:
    """A tui-news config listing the feeds and pointing the weather at the local server."""
    lines = ['[general]', 'language = "vi"', '', '[weather]',
             f'url = "{weather_base}/v1/forecast"', '']
    for spec in specs:
        lines += ["[[feeds]]", f'url = "{bases[spec.host_index]}{spec.path}"',
                  f'category = "{spec.category}"', ""]
    return "\n".join(lines)


def cache_entries(n: int, feed_urls: list[str], *, seed: int = 7,
                  batch: int = 50) -> Iterator[tuple[str, list]]:
    """(feed_url, [ParsedEntry…]) batches for n articles spread over `feed_urls`, newest last."""
    from tui_news.models import ParsedEntry

    rng = random.Random(seed)
    start = datetime.now(UTC) - timedelta(minutes=n + 10)
    for base in range(0, n, batch):
        feed = feed_urls[(base // batch) % len(feed_urls)]
        entries = []
        for i in range(base, min(n, base + batch)):
            entries.append(ParsedEntry(
                key=f"https://bench.invalid/a/{i}", title=title_text(rng),
                link=f"https://bench.invalid/a/{i}.html", summary=lead_text(rng),
                published=start + timedelta(minutes=i), author=None))
        yield feed, entries


def build_cache(db_path: Path, n: int, feeds: list, *, read_fraction: float = 0.5) -> float:
    """Fill a cache with n articles via Store.ingest; returns seconds taken."""
    import time

    from tui_news.models import ArticleQuery
    from tui_news.store import Store

    t = time.perf_counter()
    store = Store.open(db_path)
    try:
        store.sync_feeds(feeds)
        urls = [f.url for f in feeds]
        for k, (feed, entries) in enumerate(cache_entries(n, urls)):
            store.ingest(feed, entries)
            if k % 5 == 0:  # a tenth of articles also arrive from a second feed
                store.ingest(urls[(k + 7) % len(urls)], entries[:10])
        ids = store.ids(ArticleQuery())
        store.set_read(ids[int(len(ids) * (1 - read_fraction)):])  # older half read
        store.index_pending()  # as the reader's refresh process leaves it
    finally:
        store.close()
    return time.perf_counter() - t
