"""The fast path of feed parsing: a body that is plain RSS 2.0, read with lxml.

feeds.parse_feed tries it first and gives everything else to feedparser. The result has the shape
feedparser's would (a list of entry dicts and a feed dict, with the same strings), so the rest of
parsing does not know which one read the body.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["read_plain_rss"]


# feedparser spends ~13 ms on a 78 KB feed of 50 items, lxml ~0.5 ms. A body that is plain RSS 2.0
# made only of the elements below is read with lxml, giving exactly the strings feedparser would
# give (tests/test_feeds_fast.py compares the two on every fixture and on mutations); anything
# else — another format, a namespace in an item, an unknown element, nested markup, a DOCTYPE,
# xml:base, an HTTP content type to weigh, a parse error — goes to feedparser as before.
_ITEM_TEXT = frozenset({"title", "link", "description", "pubdate", "guid"})
_ITEM_OTHER = frozenset({"category", "enclosure", "comments"})  # feedparser keeps them elsewhere
_CHANNEL_FLAT = frozenset(
    {
        "link",
        "description",
        "language",
        "copyright",
        "managingeditor",
        "webmaster",
        "pubdate",
        "lastbuilddate",
        "category",
        "generator",
        "docs",
        "ttl",
        "rating",
        "cloud",
        "{http://www.w3.org/2005/Atom}link",
    }
)
_IMAGE_PARTS = frozenset({"url", "title", "link", "width", "height", "description"})
_XML_DECL = re.compile(rb"<\?xml[^>]*>")
_XML_ENCODING = re.compile(rb"""encoding\s*=\s*["']([^"']*)["']""")
_NOT_SIMPLE = (b"<!doctype", b"<!entity", b"xml:base")  # looked for in the lowercased body
_LINK_REFERENCE = re.compile("&([A-Za-z0-9_]+);")
_C1 = re.compile("[\x80-\x9f]")
# Copies of feedparser's (feedparser.html._cp1252 and feedparser.urls._urifixer), so that the fast
# path never imports feedparser (~0.1 s in each parser process); tests/test_feeds_fast.py checks
# that they are still equal to feedparser's own.
_CP1252 = {
    128: "\u20ac",
    130: "\u201a",
    131: "\u0192",
    132: "\u201e",
    133: "\u2026",
    134: "\u2020",
    135: "\u2021",
    136: "\u02c6",
    137: "\u2030",
    138: "\u0160",
    139: "\u2039",
    140: "\u0152",
    142: "\u017d",
    145: "\u2018",
    146: "\u2019",
    147: "\u201c",
    148: "\u201d",
    149: "\u2022",
    150: "\u2013",
    151: "\u2014",
    152: "\u02dc",
    153: "\u2122",
    154: "\u0161",
    155: "\u203a",
    156: "\u0153",
    158: "\u017e",
    159: "\u0178",
}
_URIFIXER = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*://)(/*)(.*?)")
# feedparser's guess whether an RSS title is HTML (FeedParserMixin.looks_like_html) and the
# elements it accepts in one (feedparser.sanitizer._HTMLSanitizer.acceptable_elements).
_HTML_ELEMENTS = frozenset(
    (  # noqa: SIM905
        "a abbr acronym address area article aside audio b big blockquote br button canvas "
        "caption center cite code col colgroup command datagrid datalist dd del details dfn "
        "dialog dir div dl dt em event-source fieldset figcaption figure font footer form h1 h2 "
        "h3 h4 h5 h6 header hr i img input ins kbd keygen label legend li m map menu meter "
        "multicol nav nextid noscript ol optgroup option output p pre progress q s samp section "
        "select small sound source spacer span strike strong sub sup table tbody td textarea "
        "tfoot th thead time tr tt u ul var video"
    ).split()
)
_CLOSE_TAG = re.compile(r"</(\w+)>")
_ENTITY_REF = re.compile(r"&#?\w+;")
_TAG_NAME = re.compile(r"</?(\w+)")
_ENTITY_NAME = re.compile(r"&(\w+);")


def read_plain_rss(data: bytes) -> tuple[list[dict[str, Any]], dict[str, Any]] | None:
    """(entries, feed) as feedparser would give them for a plain RSS 2.0 body, else None."""
    head = data[:200]
    if head.startswith(b"<?xml"):
        decl = _XML_DECL.match(head)
        encoding = _XML_ENCODING.search(decl.group()) if decl else None
        if decl is None or (encoding and encoding.group(1).lower() not in (b"utf-8", b"utf8")):
            return None
    elif not head.startswith(b"<rss"):
        return None
    lowered = data.lower()  # ASCII only, as re.IGNORECASE on bytes; 7× faster than that regex
    if any(mark in lowered for mark in _NOT_SIMPLE):
        return None
    try:
        from lxml import etree

        parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
        )
        root = etree.fromstring(data, parser)
        return _simple_channel(root)
    except Exception:  # not well-formed, not simple, anything: feedparser decides
        return None


def _fp_text(element: Any) -> str:
    """An element's text as feedparser's strict parser stores it (see FeedParserMixin.pop)."""
    if len(element):  # child elements, comments or PIs: feedparser's way is not ours to copy
        raise ValueError("nested")
    return _fp_finish((element.text or "").strip())


def _fp_finish(text: str) -> str:
    # ASCII comes out as it went in (its Latin-1 bytes are its UTF-8, and it has no C1).
    if text.isascii():
        return text
    # feedparser repairs UTF-8 read as Latin-1, then maps C1 controls to their cp1252 letters.
    try:  # noqa: SIM105  (contextlib.suppress costs a context manager per string)
        text = text.encode("iso-8859-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    # The table maps only U+0080-U+009F: skip the (per-character, slow) translate without them.
    # They are controls, so printable text has none (isprintable is 3× faster than the search).
    return text if text.isprintable() or not _C1.search(text) else text.translate(_CP1252)


def _fp_uri(element: Any) -> str:
    """The text of a link or permalink guid: feedparser also resolves it against no base, which
    leaves it as it is but for the extra slashes after `scheme://` (feedparser.urls._urljoin)."""
    if len(element):
        raise ValueError("nested")
    text = (element.text or "").strip()
    if ":///" in text:  # without it _URIFIXER's slash group is empty and changes nothing
        text = _URIFIXER.sub(r"\1\3", text)
    return _fp_finish(text)


def looks_like_html(text: str) -> bool:
    """feedparser's guess for a text the feed does not type (an RSS title): HTML when it has a
    close tag or an entity reference, and every tag and named entity is one HTML knows."""
    if "<" not in text and "&" not in text:
        return False
    if not (_CLOSE_TAG.search(text) or _ENTITY_REF.search(text)):
        return False
    if any(t.lower() not in _HTML_ELEMENTS for t in _TAG_NAME.findall(text)):
        return False
    from html.entities import entitydefs

    return all(e in entitydefs for e in _ENTITY_NAME.findall(text))


_HTML_DETAIL = {"type": "text/html"}  # shared by every entry: readers only look
_PLAIN_DETAIL = {"type": "text/plain"}


def _typed(text: str) -> dict[str, Any]:
    return _HTML_DETAIL if looks_like_html(text) else _PLAIN_DETAIL


def _simple_channel(root: Any) -> tuple[list[dict[str, Any]], dict[str, Any]] | None:
    if root.tag != "rss" or set(root.attrib) - {"version"}:
        return None
    channels = [c for c in root if isinstance(c.tag, str)]
    if len(channels) != 1 or channels[0].tag != "channel" or channels[0].attrib:
        return None
    feed: dict[str, Any] = {}
    entries: list[dict[str, Any]] = []
    for child in channels[0]:
        if not isinstance(child.tag, str):
            continue  # comments and processing instructions: SAX reports neither
        tag = child.tag.lower() if child.tag[0] != "{" else child.tag
        if tag == "item":
            entry = _simple_item(child)
            if entry is None:
                return None
            entries.append(entry)
        elif tag == "title":
            if "title" in feed or child.attrib:
                return None
            feed["title"] = _fp_text(child)
            feed["title_detail"] = _typed(feed["title"])
        elif tag == "image":
            if child.attrib or any(
                not isinstance(part.tag, str) or len(part) or part.tag.lower() not in _IMAGE_PARTS
                for part in child
            ):
                return None
        elif tag not in _CHANNEL_FLAT or len(child):
            return None
    return entries, feed


def _simple_item(item: Any) -> dict[str, Any] | None:
    if item.attrib:
        return None
    entry: dict[str, Any] = {}
    seen: set[str] = set()
    permalink: str | None = None
    enclosures: list[Any] = []
    for child in item:
        tag = child.tag  # lxml makes a new string on every read of .tag: once a child
        if not isinstance(tag, str):
            continue
        if tag[0] == "{":
            return None
        tag = tag.lower()
        if tag in _ITEM_OTHER:
            if len(child):
                return None
            if tag == "enclosure":
                enclosures.append(child)
            continue
        if tag not in _ITEM_TEXT or tag in seen:
            return None
        seen.add(tag)
        if tag == "guid":
            attrs = {k.lower(): v for k, v in child.attrib.items()}
            if len(attrs) != len(child.attrib) or set(attrs) - {"ispermalink"}:
                return None
            is_link = attrs.get("ispermalink", "true") == "true"
            entry["id"] = _fp_uri(child) if is_link else _fp_text(child)
            if is_link:
                permalink = entry["id"]
            continue
        if child.attrib:
            return None
        if tag == "link":
            link = _fp_uri(child)
            if "&" in link:
                link = _LINK_REFERENCE.sub(r"&\g<1>", link.replace("&amp;", "&"))
            entry["link"] = link
        elif tag == "description":
            entry["summary"] = _fp_text(child)
        elif tag == "pubdate":
            entry["published"] = _fp_text(child)
        else:
            entry["title"] = _fp_text(child)
            entry["title_detail"] = _typed(entry["title"])
    if "link" not in entry and permalink is not None:
        entry["link"] = permalink  # feedparser: a permalink guid is the link when none is given
    if enclosures and not entry.get("id"):
        # Only an item without a guid is keyed on what it carries (feeds._content_key): the
        # others' enclosures are never read, so they are not copied out of the tree.
        for enclosure in enclosures:
            href = next((v for k, v in enclosure.attrib.items() if k.lower() == "url"), None)
            if href:
                entry["enclosures"] = [{"href": href}]
                break
    return entry
