"""Article page → FullText: site rules first, then an obvious body container, then trafilatura."""

from __future__ import annotations

import codecs
import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lhtml

from tui_news.extract_fallback import ExtractorUnavailable, trafilatura_blocks
from tui_news.extract_meta import first, json_ld, ld_text, metas_of, parse_page_date, text_of
from tui_news.extract_sites import SiteRule, pick, rule_for
from tui_news.extract_walk import (
    RawBlock,
    byline_text,
    has_video,
    is_hidden,
    is_upper,
    prune,
    walk,
)
from tui_news.links import normalize_link
from tui_news.models import Block, BlockKind, FullText
from tui_news.text import clean, drop_invisible, fold, strip_outlet_prefix

__all__ = ["ExtractError", "ExtractorUnavailable", "extract_article", "parse_page_date"]


class ExtractError(Exception):
    """The page is not a readable article (binary, empty, a login wall, no body text)."""


MIN_BODY_CHARS = 150  # less body text than this is a teaser, an error page or a login wall
_LOGIN_WALL_CHARS = 600  # a password field plus this little text is a login wall

# Magic numbers of formats a link can point at instead of a page
# fmt: off
_BINARY_MAGIC = (b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"PK\x03\x04", b"\x1f\x8b",
                 b"RIFF", b"OggS", b"\x00\x00\x01\x00", b"ID3", b"fLaC", b"\x7fELF", b"BZh")
# fmt: on
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>")


def _decode(data: bytes | str) -> tuple[str, bytes]:
    """Bytes → (str, its UTF-8 bytes): BOM, then UTF-8 if valid, then the declared charset, then
    UTF-8 with U+FFFD. Valid UTF-8 input is handed back as is (libxml2 parses bytes faster)."""
    utf8: bytes | None = None
    if isinstance(data, str):
        text = data
    else:
        head = data[:1024]
        if head.lstrip().startswith(_BINARY_MAGIC) or _mostly_controls(head):
            raise ExtractError("not an HTML page (binary content)")
        if data.startswith(codecs.BOM_UTF8):
            text = data[3:].decode("utf-8", "replace")
        elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = data.decode("utf-16", "replace")
        else:
            try:
                text = data.decode("utf-8")
                utf8 = data
            except UnicodeDecodeError:
                m = _META_CHARSET.search(data[:16384])
                encoding = m.group(1).decode("ascii") if m else "utf-8"
                try:
                    text = data.decode(encoding, "replace")
                except LookupError:
                    text = data.decode("utf-8", "replace")
    if _mostly_controls(text[:1024].encode("utf-8", "replace")):
        raise ExtractError("not an HTML page (binary content)")
    # libxml2 stops at NUL; an XML declaration in a str makes lxml refuse the document
    if "\x00" in text:
        text, utf8 = text.replace("\x00", ""), None
    text = _XML_DECL.sub("", text, count=1)
    return text, utf8 if utf8 is not None else text.encode("utf-8", "replace")


def _mostly_controls(head: bytes) -> bool:
    if not head:
        return False
    bad = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return bad > len(head) // 10


def _parse(text: str, utf8: bytes) -> lhtml.HtmlElement:
    if "<" not in text[:65536]:
        raise ExtractError("not an HTML page")
    # libxml2 reads UTF-8 bytes about twice as fast as a Python str (which it converts first)
    parser = lhtml.HTMLParser(remove_comments=True, remove_pis=True, encoding="utf-8")
    try:
        doc = lhtml.document_fromstring(utf8, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractError(f"not an HTML page ({clean(exc, limit=80)})") from None
    for br in doc.iter("br"):  # text_content() would glue the lines of a <br> together
        br.tail = " " + (br.tail or "")
    return doc


# --- the generic path ----------------------------------------------------------------------------

_CONTAINER_HINT = re.compile(
    r"articlebody|article[-_]?(?:content|body|detail|text)|news[-_]?(?:content|body|detail|text)"
    r"|detail[-_]?(?:content|body)|content[-_]?(?:detail|news|article|body)|entry[-_]?content"
    r"|post[-_]?(?:content|body)|story[-_]?body|fck_detail|main[-_]?text|noi[-_]?dung",
    re.I,
)
_LEAD_CLASS = re.compile(
    r"sapo|^description$|^lead$|summary$|chapeau|^excerpt$|[-_]lead$|[-_]desc$", re.I
)
_LEAD_XPATH = (
    "//*[@class and not(ancestor::a) and (contains(@class, 'sapo') or contains(@class, 'lead')"
    " or contains(@class, 'summary') or contains(@class, 'desc') or contains(@class, 'chapeau')"
    " or contains(@class, 'excerpt'))]"
)
_DATE_CLASS = re.compile(r"date|time|publish", re.I)
# fmt: off
_AUTHOR_SELECTORS = (".author", ".article__author", ".detail-author", ".author-name",
                     "[rel=author]", ".byline")
# fmt: on
# Any outlet's "(HNMO) - " opening a sapo, beyond the ones text.strip_outlet_prefix knows
_OUTLET_MARK = re.compile(r"^\((?:[A-ZĐ][\w.+]*)(?: [\w.+]+){0,2}\)\s*[-–—]\s*")
_DOMAIN = re.compile(r"\w\.(?:vn|com|net|org|info|gov)\b", re.I)


def _find_container(doc: lhtml.HtmlElement) -> lhtml.HtmlElement | None:
    """The element that obviously holds the article body (by class/id/itemprop), or None."""
    best, best_score = None, 0
    candidates = 0
    for el in doc.iter("div", "article", "section", "main", "td"):
        hint = " ".join((el.get("class") or "", el.get("id") or ""))
        if not (_CONTAINER_HINT.search(hint) or el.get("itemprop") == "articleBody"):
            continue
        candidates += 1
        if candidates > 60:  # hostile pages: hundreds of nested "content" divs
            break
        # Score by paragraph text that sits directly in the element (or one wrapper down)
        score = len((el.text or "").strip())
        for child in el:
            score += len((child.tail or "").strip()) if isinstance(child.tag, str) else 0
            if child.tag == "p":
                score += len(clean(child.text_content()))
            elif child.tag in ("div", "section"):
                score += sum(len(clean(p.text_content())) for p in child if p.tag == "p") // 2
        if score > best_score:
            best, best_score = el, score
    return best if best_score >= MIN_BODY_CHARS else None


def _generic_lead(doc: lhtml.HtmlElement) -> str:
    """The page's own sapo element: the first visible one, never a teaser card's (inside a link)."""
    checked = 0
    for el in doc.xpath(_LEAD_XPATH):
        if el.tag in ("meta", "script", "style", "a", "body", "html"):
            continue
        if not any(_LEAD_CLASS.search(c) for c in (el.get("class") or "").split()):
            continue
        checked += 1
        if checked > 40:
            break
        if is_hidden(el) or any(is_hidden(a) for a in el.iterancestors()):
            continue
        text = lead_text(el)
        if len(text) >= 30:
            return text
    return ""


_DATELINE_MAX = 40


def lead_text(el: lhtml.HtmlElement | None) -> str:
    """A sapo's text; a dateline at its start ("<span>Hà Giang</span>Hơn 23h…", which the page
    sets apart with a dash) is joined with " - " instead of being glued to the first word."""
    if el is None:
        return ""
    first_child = next((c for c in el if isinstance(c.tag, str)), None)
    if (
        first_child is not None
        and first_child.tag == "span"
        and not (el.text or "").strip()
        and (first_child.tail or "")[:1].isalnum()
    ):
        stamp = clean(first_child.text_content())
        if 0 < len(stamp) <= _DATELINE_MAX and stamp[-1:].isalnum():
            rest = clean(
                (first_child.tail or "")
                + "".join(
                    (c.text_content() if isinstance(c.tag, str) else "") + (c.tail or "")
                    for c in first_child.itersiblings()
                )
            )
            return f"{stamp} - {rest}"
    return text_of(el)


def _page_byline(doc: lhtml.HtmlElement, ld: dict[str, Any]) -> str:
    for selector in _AUTHOR_SELECTORS:
        el = first(doc, selector)
        text = byline_text(el) if el is not None else ""
        if text:
            return text
    authors = ld.get("author")
    for author in authors if isinstance(authors, list) else [authors]:
        if isinstance(author, dict) and str(author.get("@type", "")).lower() == "person":
            return ld_text(author.get("name"))
    return ""


# --- assembly ------------------------------------------------------------------------------------


def _host(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:  # "http://[::1" and friends: no site rule, no site name
        return None


def _key(text: str) -> str:
    return fold(text).strip(" .…")


def extract_article(html: bytes | str, url: str) -> FullText:
    """Reduce an article page to its title, date and text blocks in page order (pure, no I/O)."""
    text, utf8 = _decode(html)
    doc = _parse(text, utf8)
    ld = json_ld(doc)
    metas = metas_of(doc)
    base = url
    base_el = first(doc, "base[href]")
    if base_el is not None:
        base = normalize_link(base_el.get("href"), url) or url
    login_form = bool(doc.xpath('//input[@type="password"]'))
    # JSON-LD was read above; one C-level pass drops every script, style and noscript
    etree.strip_elements(doc, "script", "style", "noscript", with_tail=False)

    host = _host(url)
    rule: SiteRule | None = rule_for(host)
    title = lead = byline = ""
    published: datetime | None = None
    raws: list[RawBlock] = []
    video_story = False
    if rule is not None:
        body = pick(doc, rule.body)
        if body is not None:
            title = text_of(pick(doc, rule.title))
            lead = lead_text(pick(doc, rule.lead))
            published = parse_page_date(text_of(pick(doc, rule.date)))
            by_el = pick(doc, rule.byline) if rule.byline else None
            byline = byline_text(by_el) if by_el is not None else ""
            # A video story (VnExpress's and others'): its sapo and the video's caption are the
            # article, however little body text there is
            video_story = bool(lead) and has_video(body)
            for furniture in body.cssselect(rule.drop) if rule.drop else ():
                furniture.drop_tree()
            prune(body)
            raws = list(walk(body, base))
    if _body_chars(raws) < MIN_BODY_CHARS and not video_story:
        body = _find_container(doc)
        if body is not None:
            prune(body)
            raws = list(walk(body, base))
        if _body_chars(raws) < MIN_BODY_CHARS:
            raws = trafilatura_blocks(text, doc, url, base)
    chars = _body_chars(raws)
    if login_form and chars < _LOGIN_WALL_CHARS:
        raise ExtractError("not an article (a login wall)")
    if chars < MIN_BODY_CHARS and not video_story:
        raise ExtractError("not an article (no body text found)")

    title = title or _page_title(doc, ld, metas)
    lead = (
        lead
        or _generic_lead(doc)
        or metas.get("og:description")
        or ld_text(ld.get("description"))
        or metas.get("description", "")
    )
    lead = _OUTLET_MARK.sub("", clean(strip_outlet_prefix(lead)), count=1)
    published = published or _page_date(doc, ld, metas)
    byline = byline or _page_byline(doc, ld)
    site_names = {
        _key(n)
        for n in (
            metas.get("og:site_name"),
            host,
            (ld.get("publisher") or {}).get("name")
            if isinstance(ld.get("publisher"), dict)
            else None,
        )
        if n
    }
    if byline and (_key(byline) in site_names or _DOMAIN.search(byline) or len(byline) > 80):
        byline = ""  # never the site name as author
    return _assemble(title or None, published, lead, raws, byline, url)


def _page_title(doc: lhtml.HtmlElement, ld: dict[str, Any], metas: dict[str, str]) -> str:
    """og:title, or the page's <h1> when og:title is that plus a " – Section - Site" suffix."""
    og = metas.get("og:title", "")
    h1 = text_of(first(doc, "h1"))
    if og and h1 and len(h1) >= 10 and og != h1 and fold(og).startswith(fold(h1)):
        rest = og[len(h1) :].lstrip()
        if rest[:1] in ("-", "–", "—", "|", ":"):
            return h1
    return og or h1 or ld_text(ld.get("headline")) or text_of(first(doc, "title"))


def _body_chars(raws: list[RawBlock]) -> int:
    return sum(len(r.text) for r in raws if r.kind in (BlockKind.PARAGRAPH, BlockKind.HEADING))


_AMBIGUOUS = re.compile(r"(?<!\d)(?:[1-9]|1[0-2])/(?:[1-9]|1[0-2])/\d{4}.*[AP]M", re.I)


def _page_date(
    doc: lhtml.HtmlElement, ld: dict[str, Any], metas: dict[str, str]
) -> datetime | None:
    candidates = [ld.get("datePublished")] + [
        metas.get(k)
        for k in (
            "article:published_time",
            "pubdate",
            "publishdate",
            "datepublished",
            "og:published_time",
            "dc.date.issued",
            "date",
            "article:modified_time",
        )
    ]
    candidates += [t.get("datetime") for t in doc.iter("time")][:3]
    for raw in candidates:
        # "3/4/2024 7:12:35 AM": month first or day first? The date line the page shows says
        if isinstance(raw, str) and not _AMBIGUOUS.search(raw) and (value := parse_page_date(raw)):
            return value
    checked = 0
    for el in doc.iter():
        if isinstance(el.tag, str) and any(
            _DATE_CLASS.search(c) for c in (el.get("class") or "").split()
        ):
            if value := parse_page_date(text_of(el)[:200]):
                return value
            checked += 1
            if checked > 20:
                break
    return None


def _assemble(
    title: str | None,
    published: datetime | None,
    lead: str,
    raws: list[RawBlock],
    byline: str,
    url: str,
) -> FullText:
    # Zero-width spaces, soft hyphens, a BOM: invisible on the page, noise in a terminal
    title = drop_invisible(title) if title else title
    lead, byline = drop_invisible(lead), drop_invisible(byline)
    for r in raws:
        r.text = drop_invisible(r.text)
    lead_key, title_key = _key(lead), _key(title or "")
    # Author blocks inside the body: the byline when the page has none outside it
    inside = [r.text for r in raws if r.kind is BlockKind.BYLINE]
    byline = byline or " - ".join(dict.fromkeys(inside))
    body = [
        r
        for r in raws
        if r.text
        and r.kind is not BlockKind.BYLINE
        and _key(strip_outlet_prefix(r.text)) != lead_key
        and not (r.kind is BlockKind.HEADING and _key(r.text) == title_key)
    ]
    if byline:
        body = [r for r in body if _key(r.text) != _key(byline)]
        body.append(RawBlock(BlockKind.BYLINE, byline))
    else:
        last = body[-1] if body else None
        # As published: a short right-aligned or UPPER-CASE closing line is the byline
        if (
            last is not None
            and last.kind in (BlockKind.PARAGRAPH, BlockKind.HEADING)
            and len(last.text) <= 100
            and (last.right or is_upper(last.text))
        ):
            last.kind = BlockKind.BYLINE
    blocks = [Block(BlockKind.LEAD, lead)] if lead else []
    blocks += [Block(r.kind, r.text) for r in body]
    links: dict[str, None] = {}
    for r in body:
        if r.kind in (BlockKind.PARAGRAPH, BlockKind.HEADING):
            links.update(dict.fromkeys(r.links))
    return FullText(
        title=title, published=published, blocks=tuple(blocks), links=tuple(links), source_url=url
    )
