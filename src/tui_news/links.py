"""Links from outside: web-link checks, normalisation for identity, credentials hidden."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from tui_news.text import clean

_TRACKING = re.compile(r"^(utm_.*|fbclid|gclid|zarsrc|dclid|msclkid|mc_eid|_ga)$", re.IGNORECASE)
SAFE_SCHEMES = ("http", "https")


def is_web_url(url: str | None) -> bool:
    """True for an absolute http(s) URL with a host."""
    if not url:
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in SAFE_SCHEMES and bool(parts.hostname)


# An absolute http(s) link that normalize_link would give back unchanged: lowercase scheme and
# host (no user, no IPv6 brackets), a path, and nothing urljoin or urlsplit would touch (no query,
# fragment, params, backslash, space or non-ASCII; urljoin leaves an absolute link's dot
# segments as they are). Most outlet links look like this; tests/test_links.py checks the
# shortcut against the long way on generated links.
_PLAIN_LINK = re.compile(r"https?://[a-z0-9.-]+(?::[0-9]{1,5})?/[A-Za-z0-9_~%!$&'()*+,=:@/.-]*")


def normalize_link(link: str | None, base: str | None = None) -> str | None:
    """Trim, resolve against `base`, drop tracking parameters; None unless the result is http(s)."""
    if not link:
        return None
    if _PLAIN_LINK.fullmatch(link):
        return link
    return _normalize_any_link(link, base)


def _normalize_any_link(link: str, base: str | None) -> str | None:
    link = clean(link)
    if not link:
        return None
    try:
        if base:
            link = urljoin(base, link)
        parts = urlsplit(link)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.hostname:
        return None
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)
    ]
    return urlunsplit(
        (
            parts.scheme.lower(),
            parts.netloc.lower(),
            parts.path or "/",
            urlencode(query, doseq=True),
            "",
        )
    )


def redact_url(url: str) -> str:
    """Hide credentials in a URL before it appears in any message."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return clean(url, limit=200)
    if parts.username or parts.password:
        host = parts.hostname or ""
        if parts.port:
            host = f"{host}:{parts.port}"
        url = urlunsplit((parts.scheme, f"***@{host}", parts.path, parts.query, parts.fragment))
    return clean(url, limit=200)
