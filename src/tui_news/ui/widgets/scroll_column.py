"""A vertical scrollbar one cell wide, drawn as cells by a widget that scrolls by itself
(ArticleList): the same thumb Textual's own scrollbar draws, without its widget."""

from __future__ import annotations

from math import ceil

from rich.segment import Segment
from rich.style import Style

BAR_WIDTH = 1  # the scrollbar's column
BAR_GLYPHS = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", " "]  # a thumb's ends, as Textual draws them


def bar_cells(height: int, total: int, top: int, back: Style, thumb: Style) -> list[Segment]:
    """A vertical scrollbar one cell wide, as Textual draws it: a thumb as tall as the window's
    share of the list, at the window's place, its ends in eighths of a cell."""
    if height <= 0:
        return []
    blank = Segment(" " * BAR_WIDTH, back)
    if total <= height:
        return [blank] * height
    thumb_size = max(1.0, height * height / total)
    position = (height - thumb_size) * top / (total - height)
    eighths = len(BAR_GLYPHS)
    start = int(position * eighths)
    end = start + ceil(thumb_size * eighths)
    start_index, start_bar = divmod(max(0, start), eighths)
    end_index, end_bar = divmod(max(0, end), eighths)
    cells = [blank] * height
    solid = Segment(" " * BAR_WIDTH, Style(color=thumb.color, reverse=True) + back)
    cells[start_index:end_index] = [solid] * max(0, min(end_index, height) - start_index)
    if start_index < height and BAR_GLYPHS[eighths - 1 - start_bar] != " ":
        cells[start_index] = Segment(BAR_GLYPHS[eighths - 1 - start_bar] * BAR_WIDTH, thumb)
    if end_index < height and BAR_GLYPHS[eighths - 1 - end_bar] != " ":
        cells[end_index] = Segment(BAR_GLYPHS[eighths - 1 - end_bar] * BAR_WIDTH,
                                   thumb + Style(reverse=True))
    return cells
