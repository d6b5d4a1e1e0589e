"""Outside text made safe for the screen, and search matches to style (no Textual, no markup)."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size

from tui_news.i18n import label
from tui_news.search import highlight_spans

# The cache only holds clean text (SAFETY rule 1), but the screen is the last line of defence:
# any control character that still reaches a widget (ESC starts OSC 52, C1 0x9B is a CSI) is shown
# as U+FFFD instead of reaching the terminal. A translate table is a single C-level pass.
_CONTROLS = {c: "\ufffd" for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]}
_CONTROLS.update({c: "\ufffd" for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]})
_MULTILINE = dict(_CONTROLS)
del _MULTILINE[0x0A]


def safe_line(text: str | None) -> str:
    """One line of outside text with every control (newline included) made visible."""
    return (text or "").translate(_CONTROLS)


def safe_text(text: str | None) -> str:
    """Outside text that may keep its newlines; every other control made visible."""
    return (text or "").translate(_MULTILINE)


def shorten(text: str, width: int) -> str:
    """`text` cut to `width` cells with "…" when longer (a name inside a one-line message)."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1) + "…"


def match_spans(text: str, query: str | None) -> list[tuple[int, int]]:
    """Character spans of `text` matching the search `query` (diacritics optional)."""
    if not query or not text:
        return []
    return highlight_spans(text, query)


def store_reason(kind: str | None, lang: str) -> str:
    """A StoreError's kind ("locked", "full" …) as a short phrase in the UI language."""
    known = ("locked", "readonly", "full", "damaged", "gone")
    return label(f"store_{kind if kind in known else 'other'}", lang)


def fulltext_reason(kind: str, status: int | None, lang: str) -> str:
    """Why the full text could not be had (FullTextError.kind), in the UI language only: the
    error's own text is English ("could not download the page: HTTP 404")."""
    known = ("no_link", "download", "not_html", "no_text", "no_article", "unavailable")
    if kind == "unavailable":
        return label("fulltext_no_extractor", lang)
    reason = label(f"fulltext_{kind if kind in known else 'other'}", lang)
    return f"{reason} (HTTP {status})" if status else reason
