"""Links from outside: web-link checks, normalisation for identity, credentials hidden."""

from __future__ import annotations

import re
from urllib.parse import (
    SplitResult,
    parse_qsl,
    unquote_plus,
    urlencode,
    urljoin,
    urlsplit,
    urlunsplit,
)

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
    """Trim, resolve against `base`, drop tracking parameters; None unless the result is http(s).

    Everything else is kept as written: the query's other pieces, the fragment.
    """
    if not link:
        return None
    if _PLAIN_LINK.fullmatch(link):
        return link
    return _normalize_any_link(link, base)


def _normalize_any_link(link: str, base: str | None) -> str | None:
    parts = _web_parts(link, base)
    if parts is None:
        return None
    # The query and the fragment as written: a parse/encode round trip broke links
    # (`?/archives/1.html`, `?id=5;page=2`), and a fragment can be the article (`#/tin/101`,
    # a live blog's `#u2`).
    return urlunsplit(
        (
            parts.scheme.lower(),
            parts.netloc.lower(),
            parts.path or "/",
            _without_tracking(parts.query),
            parts.fragment,
        )
    )


def _web_parts(link: str, base: str | None) -> SplitResult | None:
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
    return parts


def _without_tracking(query: str) -> str:
    """The query with its tracking parameters left out; every other piece kept byte for byte."""
    if not query:
        return query
    pieces = query.split("&")
    kept = [p for p in pieces if not _TRACKING.match(unquote_plus(p.partition("=")[0]))]
    if len(kept) == len(pieces):
        return query
    return "&".join(p for p in kept if p)


def former_link_key(link: str | None, base: str | None = None) -> str | None:
    """What normalize_link gave before #14 (fragment dropped, query decoded and encoded again).

    Articles without a guid were stored under that key: ingest renames such a row to the new key
    the first time it meets the article again, so its read and saved state stay with it.
    """
    if not link:
        return None
    if _PLAIN_LINK.fullmatch(link):
        return link
    parts = _web_parts(link, base)
    if parts is None:
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
