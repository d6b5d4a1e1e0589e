"""`[hooks] new_articles`: a program run after a refresh that brought new articles.

An argument list, never a shell: `{count}` and `{categories}` are replaced inside each argument
(the feed text never reaches a command line, only our count and the configured category names).
The program gets no stdin, its output is discarded, and it is stopped after the timeout.
"""

from __future__ import annotations

import subprocess

from tui_news.config import Config
from tui_news.i18n import label
from tui_news.models import RefreshSummary
from tui_news.text import clean


def hook_arguments(config: Config, summary: RefreshSummary) -> list[str] | None:
    """The command to run for `summary`, or None (no hook, or nothing new)."""
    if not config.new_articles_hook or summary.new <= 0:
        return None
    category_of = {f.url: f.category for f in config.feeds}
    categories = ", ".join(dict.fromkeys(
        category_of[r.url] for r in summary.results if r.new > 0 and r.url in category_of))
    return [a.replace("{count}", str(summary.new)).replace("{categories}", categories)
            for a in config.new_articles_hook]


def run_new_articles_hook(config: Config, summary: RefreshSummary, lang: str) -> str | None:
    """Run the hook when the refresh brought new articles; its failure as one line, else None."""
    argv = hook_arguments(config, summary)
    if argv is None:
        return None
    name = clean(argv[0], limit=80)
    try:
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, timeout=config.hook_timeout, check=False)
    except subprocess.TimeoutExpired:
        return label("hook_timeout", lang, name=name, seconds=f"{config.hook_timeout:g}")
    except OSError as exc:  # not found, not executable
        return label("hook_failed", lang, name=name, reason=clean(exc.strerror or str(exc)))
    if done.returncode != 0:
        said = [line.strip() for line in clean(done.stderr.decode("utf-8", "replace"),
                                                   multiline=True).splitlines() if line.strip()]
        reason = f"exit {done.returncode}" + (f": {clean(said[0], limit=160)}" if said else "")
        return label("hook_failed", lang, name=name, reason=reason)
    return None
