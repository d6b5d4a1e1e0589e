"""The Textual reader: the only package of tui-news that imports Textual."""
