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
    r"relate|kbwscwl-relatedbox|VCObjectBoxRelatedNews|tin_xemthem|xemthem|readmore|"
    r"share|social|comment|popup|advert|^ads?$|^adv$|banner|breadcrumb|^tags?$|box-tags?|"
    r"keyword|newsletter|^menu|^nav|lien[-_]?quan",
    re.IGNORECASE,
)
_RELATED_PHRASES = ("tham khảo thêm", "đọc thêm", "xem thêm", "tin liên quan", "bài liên quan",
                    "tin cùng chuyên mục", "có thể bạn quan tâm", "đọc tiếp", "từ khóa",
                    "từ khoá", "xem các bài viết của tác giả", "dòng sự kiện")
# An image editor's align/delete controls left in the page: QĐND's bodies read
# "leftcenterrightdel" above each photo to anything that takes their text
_IMAGE_TOOLS = "leftcenterrightdel"
# Hidden until a script shows it (VnExpress photo stories keep a hidden copy of each description)
_HIDDEN_CLASSES = frozenset({"hide", "hidden", "d-none", "invisible", "sr-only", "visually-hidden"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# Teaser cards and link lists: blocks whose text is (almost) all link text
_CARD_TAGS = frozenset({"div", "section", "article", "ul", "ol", "table", "dl"})
_CARD_LINK_RATIO = 0.9
_CARD_MAX_DEPTH = 40  # deeper than any real page's body; keeps hostile nesting linear
_BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "header", "ul", "ol", "li", "dl", "dt", "dd",
    "h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption", "table", "thead", "tbody",
    "tfoot", "tr", "td", "th", "blockquote", "pre", "center", "hr",
})
# fmt: on
_INLINE_TAGS = frozenset({"a", "span", "em", "strong", "b", "i", "u", "abbr", "sup", "sub"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_CAPTION_CLASS = re.compile(r"caption|legend|embcap|^image$|desc_image", re.IGNORECASE)
_AUTHOR_CLASS = re.compile(r"^author|author$|author_mail|^byline$", re.IGNORECASE)
_VIDEO_BOX = re.compile(r"^wrap_video$|^video[-_]?box$|^box[-_]?video$", re.IGNORECASE)
_VIDEO_CLASS = re.compile(r"video", re.IGNORECASE)
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
    if el.tag in _DROP_TAGS:
        return True
    # An inline link is article text whatever its class says (PLO's autolinks are "cms-relate")
    return el.tag not in _INLINE_TAGS and any(_JUNK_TOKEN.search(t) for t in _tokens(el))


def is_hidden(el: lhtml.HtmlElement) -> bool:
    """True for elements a reader never sees (hidden, aria-hidden, display:none, .hide)."""
    if el.get("hidden") is not None or (el.get("aria-hidden") or "").lower() == "true":
        return True
    style = el.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    classes = el.get("class")
    return bool(classes) and not _HIDDEN_CLASSES.isdisjoint(classes.split())


def _is_card(el: lhtml.HtmlElement) -> bool:
    """A teaser card, a related-links list or a label over one: its text is all link text."""
    if el.tag not in _CARD_TAGS or el.find(".//a") is None:
        return False
    if el.tag == "table" and el.find(".//img") is not None and _caption_cells(el):
        return False  # an image table with a caption cell
    total, ratio = _link_ratio(el)
    return total > 0 and ratio >= _CARD_LINK_RATIO


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
    stack = [(c, 1) for c in reversed(container) if isinstance(c.tag, str)]
    while stack:
        el, depth = stack.pop()
        if _is_junk(el) or is_hidden(el):
            doomed.append(el)
            continue
        if depth <= _CARD_MAX_DEPTH and _is_card(el):
            doomed.append(el)
            continue
        leading = _leading(el)
        if leading.replace(" ", "") == _IMAGE_TOOLS:
            doomed.append(el)
            continue
        if related_phrase(leading):
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
        stack.extend((c, depth + 1) for c in reversed(el) if isinstance(c.tag, str))
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


_NAME_CLASS = re.compile(r"(?:^|[-_])name$", re.IGNORECASE)
_SEPARATORS = " -–—,|•·"


def _inside_name(item: lhtml.HtmlElement, top: lhtml.HtmlElement) -> bool:
    anc = item.getparent()
    while anc is not None and anc is not top:
        if _classes_match(anc, _NAME_CLASS):
            return True
        anc = anc.getparent()
    return False


def byline_text(el: lhtml.HtmlElement) -> str:
    """An author element's names as published, joined with " - " (no avatars, no "và 1 tác giả
    khác", no "Xem các bài viết của tác giả"); its whole text when it marks no names."""
    names: list[str] = []
    for item in el.iter():
        if item is el or not isinstance(item.tag, str) or not _classes_match(item, _NAME_CLASS):
            continue
        if _inside_name(item, el):
            continue  # inside a name already counted
        name = clean(item.text_content()).strip(_SEPARATORS)
        if name and name not in names:
            names.append(name)
    return " - ".join(names) if names else clean(el.text_content()).strip(_SEPARATORS)


def is_upper(text: str) -> bool:
    """True for UPPER-CASE text with a few letters (how many outlets print bylines)."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def walk(el: lhtml.HtmlElement, base: str) -> Iterator[RawBlock]:
    """Blocks of a (pruned) container in page order."""
    yield from _walk_children(el, base, 0)


def _caption_cells(table: lhtml.HtmlElement) -> list[lhtml.HtmlElement]:
    """The cells of an image table that hold no image: its caption (a cell under the image)."""
    return [
        td
        for td in table.iter("td", "th")
        if td.find(".//img") is None and clean(td.text_content())
    ]


def _classes_match(el: lhtml.HtmlElement, pattern: re.Pattern[str]) -> bool:
    return any(pattern.search(c) for c in (el.get("class") or "").split())


def _walk_one(el: lhtml.HtmlElement, base: str, depth: int) -> Iterator[RawBlock]:
    tag = el.tag
    if tag == "table" and el.find(".//img") is not None and len(el.findall(".//tr")) <= 4:
        text = " ".join(clean(td.text_content()) for td in _caption_cells(el)).strip()
        if text:
            yield RawBlock(BlockKind.CAPTION, text)
        return
    if tag not in ("figure", "table") and (
        _classes_match(el, _CAPTION_CLASS)
        or (_classes_match(el, _VIDEO_BOX) and len(clean(el.text_content())) <= 300)
    ):
        text = clean(el.text_content())
        if text:
            yield RawBlock(BlockKind.CAPTION, text)
        return
    if _classes_match(el, _AUTHOR_CLASS):
        text = byline_text(el)
        if text:
            yield RawBlock(BlockKind.BYLINE, text)
        return
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


def has_video(el: lhtml.HtmlElement) -> bool:
    """True when a body holds a video player: <video>, an <iframe> or a video box (wrap_video,
    box_embed_video_parent, type="VideoStream"…), hidden copies aside."""
    return any(
        (item.tag in ("video", "iframe") or any(_VIDEO_CLASS.search(t) for t in _tokens(item)))
        and not is_hidden(item)
        for item in el.iter("video", "iframe", "div", "figure")
    )


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
