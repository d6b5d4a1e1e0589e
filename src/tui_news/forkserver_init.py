"""Imported by multiprocessing's forkserver as it starts (feeds.py preloads it): the forkserver
dies with the refresh that started it, and with it the parser workers it forked (lifeline.py).
Nothing else imports this module."""

from __future__ import annotations

from tui_news.lifeline import die_with_parent

die_with_parent()
