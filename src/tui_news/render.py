"""An article as a document of typed blocks: what `show` prints and the article pane draws."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from tui_news.dates import date_line
from tui_news.i18n import label
from tui_news.models import Article, BlockKind, FullText
from tui_news.text import strip_outlet_prefix


@dataclass(frozen=True)
class Part:
    """One block of the rendered article. `kind` picks its style; `text` is clean plain text."""

    kind: str  # title, meta, link, note, lead, paragraph, heading, caption, byline, links, ref
    text: str


def article_document(article: Article, full: FullText | None = None, *, lang: str = "vi",
                     tz: tzinfo | None = None, notes: bool = True) -> list[Part]:
    """Title, date line, link, then the lead and the body in page order, then numbered links."""
    published = article.published or (full.published if full else None)
    meta = [f"{label('published', lang)} {date_line(published, tz)}", article.feed_title]
    if article.categories:
        meta.append(", ".join(article.categories))
    parts = [Part("title", (full.title if full and full.title else article.title)),
             Part("meta", " · ".join(m for m in meta if m))]
    if article.link:
        parts.append(Part("link", article.link))
    if notes:
        parts.append(Part("note", label("full_note" if full else "summary_note", lang)))
    if full is None:
        if article.summary:
            parts.append(Part("lead", strip_outlet_prefix(article.summary)))
        return parts
    blocks = list(full.blocks)
    if not any(b.kind is BlockKind.LEAD for b in blocks) and article.summary:
        parts.append(Part("lead", strip_outlet_prefix(article.summary)))
    parts.extend(Part(b.kind.value, b.text) for b in blocks)
    if full.links:
        parts.append(Part("links", label("links", lang)))
        parts.extend(Part("ref", f"[{n}] {link}") for n, link in enumerate(full.links, 1))
    return parts


def article_links(article: Article, full: FullText | None = None) -> list[tuple[str, str]]:
    """The links of the `l` list: the article's own link, then the full text's links numbered
    as the pane numbers them (`[1]`, `[2]` …). Only http(s) links, each once."""
    from tui_news.links import is_web_url

    links: list[tuple[str, str]] = []
    if article.link and is_web_url(article.link):
        links.append(("↗", article.link))
    for number, link in enumerate(full.links if full else (), 1):
        if is_web_url(link):
            links.append((f"[{number}]", link))
    return links


def plain_text(parts: list[Part]) -> str:
    """The layout of PRODUCT.md's `show`: header lines, a blank line, then blocks apart."""
    head = [p.text for p in parts if p.kind in ("title", "meta", "link")]
    body = [p.text for p in parts if p.kind not in ("title", "meta", "link", "note")]
    return "\n".join(head) + "\n\n" + "\n\n".join(body) + "\n"
