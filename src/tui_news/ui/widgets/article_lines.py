"""The look and the text of ArticleList's lines: the styles they are drawn with, resolved from the
widget's CSS once until something changes, and a title or meta line as a Strip of a given width."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from tui_news.models import Article
from tui_news.ui.display import match_spans, safe_line

if TYPE_CHECKING:
    from tui_news.ui.widgets.article_list import ArticleList


@dataclass(frozen=True)
class Look:
    """The width and the styles of the list's lines, as resolved for the widget's `state`
    (width, drag, focus) and kept until that or a style changes; drawn lines are kept
    only as long as the look they were drawn with."""

    state: tuple[object, ...]
    width: int
    base: Style
    cursor: Style  # an overlay: the cursor's background only
    unread: Style
    read: Style
    meta: Style
    match: Style
    star: Style
    empty: Style
    bar_back: Style  # the scrollbar's track (its colours: the theme's `$scrollbar…`)
    bar_thumb: Style

    @classmethod
    def of(cls, widget: ArticleList, state: tuple[object, ...]) -> Look:
        style = widget.get_component_rich_style
        styles = widget.styles
        # The colours Textual's own scrollbar takes from the same styles (hover is not tracked).
        if widget.dragging:
            back, thumb = styles.scrollbar_background_active, styles.scrollbar_color_active
        else:
            back, thumb = styles.scrollbar_background, styles.scrollbar_color
        if back.a < 1:
            back = widget.background_colors[0] + back
        thumb = back + thumb
        return cls(state=state, width=widget.text_width, base=widget.rich_style,
                   cursor=Style(bgcolor=style("article-list--cursor").bgcolor),
                   unread=style("article-list--unread"), read=style("article-list--read"),
                   meta=style("article-list--meta"), match=style("article-list--match"),
                   star=style("article-list--star"), empty=style("article-list--empty"),
                   bar_back=Style(bgcolor=back.rich_color),
                   bar_thumb=Style(color=thumb.rich_color, bgcolor=back.rich_color))


def title_text(article: Article, look: Look, *, pending: bool, search: str | None) -> Text:
    """`● Title`, the searched words marked; `◌` for a mark shown but not in the cache yet (the
    write queue is still trying)."""
    title_style = look.read if article.read else look.unread
    sign = "◌ " if pending else "● " if not article.read else "  "
    text = Text(sign, style=title_style, end="")
    title = Text(safe_line(article.title), style=title_style, end="")
    for start, end in match_spans(title.plain, search):
        title.stylize(look.match, start, end)
    text.append_text(title)
    return text


def meta_text(article: Article, look: Look, when: str) -> Text:
    """`  Source · 5 phút trước ★`."""
    parts = [p for p in (safe_line(article.feed_title), when) if p]
    text = Text("  " + " · ".join(parts), style=look.meta, end="")
    if article.starred:
        text.append(" ★", style=look.star)
    return text


def to_strip(text: Text, width: int, style: Style, console: Console,
             overlay: Style | None = None) -> Strip:
    """`text` cut (with "…") or padded to `width` over `style`; `overlay` (the cursor's
    background) goes over the text's own styles, which carry a background of their own."""
    text.truncate(width, overflow="ellipsis", pad=True)
    segments = [Segment(s.text, s.style) for s in text.render(console) if s.text != "\n"]
    strip = Strip(segments).apply_style(style).adjust_cell_length(width, style)
    if overlay is None:
        return strip
    return Strip([Segment(seg.text, (seg.style or Style()) + overlay, seg.control)
                  for seg in strip], strip.cell_length)
