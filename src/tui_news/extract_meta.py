"""Page metadata: CSS look-ups, JSON-LD, <meta> tags and the dates pages print."""

from __future__ import annotations

import html as htmlmod
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from lxml import html as lhtml

from tui_news.dates import VIETNAM, parse_date
from tui_news.text import clean

# fmt: off
_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "blogposting",
                  "analysisnewsarticle", "opinionnewsarticle", "webpage"}
# fmt: on


def first(doc: lhtml.HtmlElement, selector: str) -> lhtml.HtmlElement | None:
    """The first element matching a CSS selector, or None."""
    found = doc.cssselect(selector)
    return found[0] if found else None


def text_of(el: lhtml.HtmlElement | None) -> str:
    """An element's clean one-line text ("" for None)."""
    return clean(el.text_content()) if el is not None else ""


def json_ld(doc: lhtml.HtmlElement) -> dict[str, Any]:
    """The page's JSON-LD article object (NewsArticle before WebPage), or {}."""
    found: list[dict[str, Any]] = []
    for script in doc.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "", strict=False)  # raw newlines are common
        except (ValueError, RecursionError):
            continue
        for obj in _objects(data, 0):
            kinds = obj.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if any(isinstance(k, str) and k.lower() in _ARTICLE_TYPES for k in kinds):
                found.append(obj)
    found.sort(key=lambda o: "webpage" in str(o.get("@type")).lower())
    return found[0] if found else {}


def _objects(data: object, depth: int) -> Iterator[dict[str, Any]]:
    if depth > 3:
        return
    if isinstance(data, list):
        for item in data[:50]:
            yield from _objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _objects(data["@graph"], depth + 1)


def ld_text(value: object) -> str:
    """A JSON-LD string made clean; Báo Chính phủ HTML-encodes them, so unescape exactly once."""
    return clean(htmlmod.unescape(value)) if isinstance(value, str) else ""


def metas_of(doc: lhtml.HtmlElement) -> dict[str, str]:
    """`<meta>` contents by lower-cased property/name/itemprop (first wins), unescaped once."""
    out: dict[str, str] = {}
    for meta in doc.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        content = meta.get("content")
        if key and content and key not in out:
            out[key] = clean(htmlmod.unescape(content))
    return out


_DMY = re.compile(r"(?<!\d)(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?!\d)")
_PM = re.compile(r"\d\s*PM\b", re.I)
_HM = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?!\d)")
_GMT = re.compile(r"GMT\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", re.I)
_ISO_OFFSET = re.compile(r"(\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*([+-])\s*(\d{1,2}):?(\d{2})\s*$")


def parse_page_date(raw: str | None, *, now: datetime | None = None) -> datetime | None:
    """Read a page date ("Thứ bảy, 7/3/2026, 00:05 (GMT+7)", D/M "01/03/2026 09:51", ISO 8601)."""
    # Unlike RSS (M/D), pages write D/M. Zoneless is Vietnam time; over a day ahead is wrong.
    text = clean(htmlmod.unescape(raw or ""))
    if not text:
        return None
    m = _DMY.search(text)
    if not m:
        # "2026-10-07 07:49 + 07:00" (VnExpress pubdate meta, stray spaces) → ISO
        iso = _ISO_OFFSET.sub(lambda g: f"{g[1]}{g[2]}{int(g[3]):02d}:{g[4]}", text)
        return parse_date(iso, now=now)
    day, month, year = int(m[1]), int(m[3]), int(m[4])
    if month > 12 and day <= 12 and re.search(r"[AP]M\b", text, re.I):
        day, month = month, day  # "3/24/2024 7:12:35 AM": written the US way
    hm = _HM.search(text)
    hour, minute = (int(hm[1]), int(hm[2])) if hm else (0, 0)
    if _PM.search(text) and hour < 12:
        hour += 12
    tz: timezone = VIETNAM
    g = _GMT.search(text)
    if g:
        minutes = int(g[2]) * 60 + int(g[3] or 0)
        if minutes <= 14 * 60:
            tz = timezone(timedelta(minutes=minutes if g[1] == "+" else -minutes))
    try:
        value = datetime(year, month, day, hour, minute, tzinfo=tz)
    except ValueError:
        return None
    if value - (now or datetime.now(UTC)) > timedelta(days=1):
        return None
    return value
