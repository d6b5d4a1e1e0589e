"""The last resort for pages without a site rule or an obvious body container: trafilatura.

Imported only when a page needs it (it is heavy); a missing or broken install raises
ExtractorUnavailable, which callers turn into one line in the UI language, keeping the summary.
"""

from __future__ import annotations

from lxml import etree
from lxml import html as lhtml

from tui_news.extract_walk import RawBlock, caption_text, related_phrase
from tui_news.links import normalize_link
from tui_news.models import BlockKind
from tui_news.text import clean


class ExtractorUnavailable(Exception):
    """The page needs the generic extractor (trafilatura) and it cannot be imported here."""


def trafilatura_blocks(text: str, doc: lhtml.HtmlElement, url: str, base: str) -> list[RawBlock]:
    try:
        import trafilatura  # heavy: import only when a page needs it
    except Exception as exc:  # missing, or broken (a bad install raises anything at import)
        raise ExtractorUnavailable(
            f"the generic extractor trafilatura cannot be loaded ({type(exc).__name__})"
        ) from None

    try:
        xml = trafilatura.extract(
            text,
            url=url,
            output_format="xml",
            include_comments=False,
            include_images=True,
            include_links=True,
            include_tables=True,
            with_metadata=False,
            deduplicate=False,
        )
    except Exception:  # trafilatura raises assorted internals on broken markup: not an article
        return []
    if not xml:
        return []
    try:
        root = etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError:
        return []
    # trafilatura keeps an image but not its caption: look the caption up by image address
    captions: dict[str, str] = {}
    for fig in doc.iter("figure"):
        cap = caption_text(fig)
        for img in fig.iter("img"):
            for attr in ("src", "data-src", "data-original"):
                link = normalize_link(img.get(attr), base)
                if link and cap:
                    captions[link] = cap
    out: list[RawBlock] = []
    main = root.find("main")
    for el in main.iter() if main is not None else ():
        if el.tag == "graphic":
            cap = captions.get(normalize_link(el.get("src"), base) or "", "")
            if cap:
                out.append(RawBlock(BlockKind.CAPTION, cap))
            continue
        # Containers holding <p> are read through their paragraphs, never twice
        if el.tag not in ("p", "head", "row") and not (
            el.tag in ("item", "quote") and el.find("p") is None
        ):
            continue
        if el.tag == "row":
            line = " | ".join(clean("".join(c.itertext())) for c in el.iter("cell"))
        else:
            line = clean("".join(el.itertext()))
        links = tuple(lk for r in el.iter("ref") if (lk := normalize_link(r.get("target"), base)))
        kind = BlockKind.HEADING if el.tag == "head" else BlockKind.PARAGRAPH
        if line and not (related_phrase(line.casefold()) and len(line) < 200):
            out.append(RawBlock(kind, line, links))
    return out
