"""Imported by multiprocessing's forkserver as it starts (feeds.py preloads it): the forkserver
dies with the refresh that started it, and with it the parser workers it forked (lifeline.py).
Nothing else imports this module.

The parser workers forked from here need nothing of the program's `__main__`: every function
they run is named by its module (tui_news.feeds). multiprocessing still runs the main script
again in each worker before its first task; for `tui-news` (a console script whose first line
imports tui_news.cli and so every command) that cost each worker ~0.1 s of CPU before its
first parse. Here, in the forkserver only, that step does nothing.
"""

from __future__ import annotations

import multiprocessing.spawn

from tui_news.lifeline import die_with_parent

die_with_parent()


def _leave_main_alone(_main: str) -> None:
    """Stands in for multiprocessing.spawn's re-import of the parent's `__main__`."""


for _name in ("_fixup_main_from_path", "_fixup_main_from_name"):
    if hasattr(multiprocessing.spawn, _name):  # a Python without them re-imports: still right
        setattr(multiprocessing.spawn, _name, _leave_main_alone)
