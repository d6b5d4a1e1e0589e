"""The generic block walk: prune furniture from a body container, then read it as text blocks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import html as lhtml

from tui_news.links import normalize_link
from tui_news.models import BlockKind
from tui_news.text import clean

# Never text: code, embeds, widgets and page furniture that sometimes sits inside the body.
# fmt: off
_DROP_TAGS = frozenset({
    "script", "style", "iframe", "noscript", "form", "button", "input", "select", "textarea",
    "svg", "template", "object", "embed", "canvas", "video", "audio", "nav", "aside", "footer",
    "link", "head",
})
_JUNK_TOKEN = re.compile(
    r"related|relate-?news|kbwscwl-relatedbox|VCObjectBoxRelatedNews|tin_xemthem|xemthem|"
    r"share|social|comment|advert|^ads?$|^adv$|banner|breadcrumb|^tags?$|box-tags?|newsletter|"
    r"^menu|^nav",
    re.IGNORECASE,
)
_RELATED_PHRASES = ("tham khảo thêm", "đọc thêm", "xem thêm", "tin liên quan", "bài liên quan",
                    "tin cùng chuyên mục", "có thể bạn quan tâm")
_BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "header", "ul", "ol", "li", "dl", "dt", "dd",
    "h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption", "table", "thead", "tbody",
    "tfoot", "tr", "td", "th", "blockquote", "pre", "center", "hr",
})
# fmt: on
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_CAPTION_CLASS = re.compile(r"caption|^image$|^Image$|desc_image", re.IGNORECASE)
_MAX_DEPTH = 200  # libxml2 nests deeper than Python should recurse; below this, text is flattened


def _tokens(el: lhtml.HtmlElement) -> list[str]:
    values = [
        el.get("class") or "",
        el.get("id") or "",
        el.get("type") or "",
        el.get("data-component-type") or "",
    ]
    return " ".join(values).split()


def _is_junk(el: lhtml.HtmlElement) -> bool:
    return el.tag in _DROP_TAGS or any(_JUNK_TOKEN.search(t) for t in _tokens(el))


def _leading(el: lhtml.HtmlElement, size: int = 40) -> str:
    """The first characters of an element's text, cheaply (no full text_content)."""
    out: list[str] = []
    n = 0
    for piece in el.itertext():
        out.append(piece)
        n += len(piece)
        if n >= size:
            break
    return clean("".join(out)).casefold()


def related_phrase(text: str) -> bool:
    """True when casefolded text opens with "Xem thêm", "Tin liên quan" and their kind."""
    for phrase in _RELATED_PHRASES:
        if text.startswith(phrase):
            rest = text[len(phrase) : len(phrase) + 1]
            if not rest or not rest.isalpha():
                return True
    return False


def _link_ratio(el: lhtml.HtmlElement) -> tuple[int, float]:
    total = len(clean(el.text_content()))
    linked = sum(len(clean(a.text_content())) for a in el.iter("a"))
    return total, (linked / total if total else 0.0)


def prune(container: lhtml.HtmlElement) -> None:
    """Remove scripts, widgets and related-news boxes from inside a body container."""
    doomed: list[lhtml.HtmlElement] = []
    stack = list(reversed([c for c in container if isinstance(c.tag, str)]))
    while stack:
        el = stack.pop()
        if _is_junk(el):
            doomed.append(el)
            continue
        if related_phrase(_leading(el)):
            total, ratio = _link_ratio(el)
            # A box that opens with "Xem thêm" is dropped whole unless it is really the article
            if total <= 600 or ratio >= 0.5:
                doomed.append(el)
                if total <= 40:  # a bare label: the list of links follows as siblings
                    sib = el.getnext()
                    while sib is not None and isinstance(sib.tag, str):
                        if sib.tag in ("ul", "ol") or _link_ratio(sib)[1] >= 0.6:
                            doomed.append(sib)
                            sib = sib.getnext()
                        else:
                            break
                continue
        stack.extend(reversed([c for c in el if isinstance(c.tag, str)]))
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()


# --- walking -------------------------------------------------------------------------------------


@dataclass
class RawBlock:
    """A block before the final pass: text plus the hints used to spot a byline."""

    kind: BlockKind
    text: str
    links: tuple[str, ...] = ()
    right: bool = False  # right-aligned paragraph (VnExpress and the seed page put bylines there)


def _links(el: lhtml.HtmlElement, base: str) -> tuple[str, ...]:
    out: list[str] = []
    anchors = [el] if el.tag == "a" else []
    for a in [*anchors, *el.iter("a")]:
        href = (a.get("href") or "").strip()
        # "no_script_;" and friends: neither a path nor a host, so not a link to a page
        if not href or href.startswith("#") or ("/" not in href and "." not in href):
            continue
        link = normalize_link(href, base)
        if link:
            out.append(link)
    return tuple(out)


def _is_caption_box(el: lhtml.HtmlElement) -> bool:
    if el.tag == "figure":
        return True
    classes = (el.get("class") or "").split()
    return el.tag in ("table", "div") and any(
        c in ("tplCaption", "PhotoCMS_Caption") for c in classes
    )


def caption_text(el: lhtml.HtmlElement) -> str:
    """The caption inside a figure/caption box (figcaption, p.Image, *caption*), or ""."""
    parts = [
        c
        for c in el.iterdescendants()
        if isinstance(c.tag, str)
        and (
            c.tag == "figcaption"
            or any(_CAPTION_CLASS.search(t) for t in (c.get("class") or "").split())
        )
    ]
    # The outermost caption element holds the rest (figcaption > p.Image)
    chosen = [p for p in parts if not any(q is not p and q in p.iterancestors() for q in parts)]
    if not chosen:
        return ""
    return " ".join(clean(p.text_content()) for p in chosen).strip()


def _all_bold(el: lhtml.HtmlElement, text: str) -> bool:
    pieces: list[str] = []
    for b in el.iter("strong", "b"):
        if b is el:
            return True
        anc = b.getparent()
        while anc is not None and anc is not el and anc.tag not in ("strong", "b"):
            anc = anc.getparent()
        if anc is el:  # outermost bold run only; nested ones are already inside its text
            pieces.append(b.text_content())
    bold = clean("".join(pieces))
    return bool(bold) and bold.replace(" ", "") == text.replace(" ", "")


def _right(el: lhtml.HtmlElement) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return "text-align:right" in style or (el.get("align") or "").lower() == "right"


def _paragraph(el: lhtml.HtmlElement, base: str) -> RawBlock | None:
    text = clean(el.text_content())
    if not text:
        return None
    kind = BlockKind.PARAGRAPH
    # A short all-bold line without closing punctuation is a subheading (VnExpress, Chính phủ)
    if (
        len(text) <= 160
        and text[-1] not in '.?!:;…/"”)'
        and _all_bold(el, text)
        and not is_upper(text)
    ):
        kind = BlockKind.HEADING
    return RawBlock(kind, text, _links(el, base), _right(el))


def is_upper(text: str) -> bool:
    """True for UPPER-CASE text with a few letters (how many outlets print bylines)."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def walk(el: lhtml.HtmlElement, base: str) -> Iterator[RawBlock]:
    """Blocks of a (pruned) container in page order."""
    yield from _walk_children(el, base, 0)


def _walk_one(el: lhtml.HtmlElement, base: str, depth: int) -> Iterator[RawBlock]:
    tag = el.tag
    if _is_caption_box(el) and (tag != "figure" or _has_media(el) or caption_text(el)):
        text = caption_text(el)
        if not text and tag != "figure":
            text = clean(el.text_content())
        if text:
            yield RawBlock(BlockKind.CAPTION, text)
        return
    if tag == "figcaption" or (tag == "p" and "Image" in (el.get("class") or "").split()):
        text = clean(el.text_content())
        if text:
            yield RawBlock(BlockKind.CAPTION, text)
        return
    if tag in _HEADINGS:
        text = clean(el.text_content())
        if text:
            yield RawBlock(BlockKind.HEADING, text, _links(el, base))
        return
    has_blocks = any(isinstance(c.tag, str) and c.tag in _BLOCK_TAGS for c in el)
    if not has_blocks or depth >= _MAX_DEPTH:
        raw = _paragraph(el, base)
        if raw:
            yield raw
        return
    yield from _walk_children(el, base, depth)


def _has_media(el: lhtml.HtmlElement) -> bool:
    # A <figure> without an image is a quote or info box: its text is article text
    return next(el.iter("img", "picture", "video", "iframe", "table"), None) is not None


def _walk_children(el: lhtml.HtmlElement, base: str, depth: int) -> Iterator[RawBlock]:
    # Mixed content: inline runs between block children become paragraphs of their own
    run: list[str] = [el.text or ""]
    run_links: list[str] = []
    for child in el:
        if not isinstance(child.tag, str):
            continue
        if child.tag in _BLOCK_TAGS:
            text = clean("".join(run))
            if text:
                yield RawBlock(BlockKind.PARAGRAPH, text, tuple(run_links))
            run, run_links = [], []
            yield from _walk_one(child, base, depth + 1)
            run.append(child.tail or "")
        else:
            run.append(child.text_content())
            run.append(child.tail or "")
            run_links.extend(_links(child, base))
    text = clean("".join(run))
    if text:
        yield RawBlock(BlockKind.PARAGRAPH, text, tuple(run_links))
