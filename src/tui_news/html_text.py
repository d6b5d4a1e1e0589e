"""Feed HTML fragments (descriptions, leads) → plain text, with lxml."""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from tui_news.text import clean

# Elements whose content is never reader text (a browser shows none of it either; an SVG's title
# and metadata are its picture's, as an <img>'s alt is). Not `embed`: it is void, but libxml2's
# HTML parser does not know that and puts the text after an unclosed `<embed>` inside it (the
# element alone adds no text, so it is left in the tree). Not `object`: its content is the
# fallback a reader that cannot show the object gets (and an unclosed one holds the text after
# it). Not `math`: a formula's text is the formula.
_DROP = (
    "script",
    "style",
    "iframe",
    "noscript",
    "template",
    "svg",
    "form",
    "button",
    "select",
    "textarea",
    "head",
    "title",
    "video",
    "audio",
    "canvas",
)
# Elements that start a new paragraph in the text.
_BLOCKS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "aside",
        "blockquote",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "tr",
        "figure",
        "figcaption",
        "pre",
        "hr",
        "address",
        "center",
    }
)
# What can put an element of _DROP, a comment or a processing instruction into the tree; without
# any of it strip_elements has nothing to do (it costs more than the parse of a short lead).
_MAY_DROP = re.compile("<(?:[!?]|" + "|".join(_DROP) + ")", re.IGNORECASE)
_MAY_LIST = re.compile("<[ou]l", re.IGNORECASE)
# The lead most outlets send: an optional picture link, an optional line break, then plain text.
# Its text is the text after the markup, as lxml would give it (tests/test_feeds.py checks this
# shortcut against lxml on generated leads); a third of the cost of parsing it.
_ATTRS = r'(?:\s+[A-Za-z_:][-\w:.]*(?:\s*=\s*"[^"<>]*")?)*\s*'
_PICTURE_LEAD = re.compile(
    rf"(?:<a{_ATTRS}><img{_ATTRS}/?></a>)?(?:</br>|<br{_ATTRS}/?>)?([^<&\x00-\x08\x0b-\x1f\x7f]*)"
)
_MAX_INPUT = 256 * 1024  # a lead is a few hundred characters; never parse megabytes of markup
_LINK_SHARE = 0.6  # a list whose text is mostly link text is a related-links box, not the lead


def _is_link_list(el: lxml.html.HtmlElement) -> bool:
    """True for a <ul>/<ol> whose every item is (mostly) a link: the related-news box."""
    items = [li for li in el if isinstance(li.tag, str) and li.tag.lower() == "li"]
    links = 0
    for li in items:
        text = "".join(li.itertext()).strip()
        if not any(c.isalnum() for c in text):
            continue  # an empty item (often a list cut short: `<li><`) says nothing either way
        link_text = "".join(t for a in li.iter("a") for t in a.itertext()).strip()
        if len(link_text) < _LINK_SHARE * len(text):
            return False
        links += 1
    return links > 0


def html_to_text(fragment: str | None, *, limit: int | None = None) -> str:
    """Plain, clean text of an HTML fragment: scripts/styles/iframes dropped, link lists cut."""
    if not fragment:
        return ""
    fragment = fragment[:_MAX_INPUT]
    if "<" not in fragment and "&" not in fragment:
        return clean(fragment, multiline=True, limit=limit)
    lead = _PICTURE_LEAD.fullmatch(fragment)
    if lead:
        return clean(lead.group(1), multiline=True, limit=limit)
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        # lxml refuses some inputs (e.g. only whitespace or control bytes); fall back to text
        return clean(fragment, multiline=True, limit=limit)
    if _MAY_DROP.search(fragment):
        lxml.etree.strip_elements(
            root, *_DROP, lxml.etree.Comment, lxml.etree.ProcessingInstruction, with_tail=False
        )
    if _MAY_LIST.search(fragment):
        for lst in [e for e in root.iter("ul", "ol") if _is_link_list(e)]:
            parent = lst.getparent()
            if parent is not None:
                # Keep the tail text (it belongs to the surrounding paragraph).
                _remove_keep_tail(lst)
    return clean(_text_of(root), multiline=True, limit=limit)


def _remove_keep_tail(el: lxml.html.HtmlElement) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail or ""
    prev = el.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(el)


def _text_of(root: lxml.html.HtmlElement) -> str:
    """Walk iteratively (deeply nested markup must not hit the recursion limit)."""
    out: list[str] = []
    for event, el in lxml.etree.iterwalk(root, events=("start", "end")):
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _BLOCKS:
                out.append("\n\n")
            elif tag == "br":
                out.append("\n")
            if el.text:
                out.append(el.text)
        else:
            if tag in _BLOCKS:
                out.append("\n\n")
            if el.tail and el is not root:
                out.append(el.tail)
    return "".join(out)
