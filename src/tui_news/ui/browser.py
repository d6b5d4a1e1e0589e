"""Whether `o` can start a web browser from here (no Textual): a BROWSER the user set, a desktop,
or macOS/Windows. Over SSH or on a console there is none, and a text browser (lynx, w3m) started
by Python's webbrowser would take the reader's own terminal, so those do not count."""

from __future__ import annotations

import os
import sys
import webbrowser
from collections.abc import Mapping

# Python's webbrowser falls back to these on Linux; each would run in the reader's terminal.
_CONSOLE_BROWSERS = frozenset({"www-browser", "links", "links2", "elinks", "lynx", "w3m"})


def browser_available(env: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """True when a browser can be opened without taking over this terminal."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if env.get("BROWSER"):
        return True  # the user's own choice, whatever it is
    if platform == "darwin" or platform.startswith("win"):
        return True
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        return False  # SSH, a console, a container: no desktop to open it on
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return False
    return getattr(browser, "name", "") not in _CONSOLE_BROWSERS
