"""Full article text: download the page, extract it off the event loop, keep it in the cache."""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from tui_news.config import Config
from tui_news.extract import ExtractError, ExtractorUnavailable, extract_article
from tui_news.fetch import Fetcher, FetchError
from tui_news.i18n import label
from tui_news.models import Article, FullText
from tui_news.store import CacheMovedAside, Store

PAGE_LIMIT = 5 << 20  # an article page over 5 MB is not an article
PER_HOST = 2  # prefetch politely: at most this many pages of one site at a time


class FullTextError(Exception):
    """The page could not be turned into an article. str(e) is one clean line (English); `kind`
    (no_link, download, not_html, no_text, no_article, unavailable) and the HTTP `status` let
    the reader say it in its own language."""

    def __init__(self, message: str, *, kind: str = "other", status: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status


class FullTextUnavailable(FullTextError):
    """The extraction library cannot be loaded (missing or broken install); str(e) says so in
    the UI language. Every page that needs it fails alike, so callers say it once."""

    def __init__(self, message: str) -> None:
        super().__init__(message, kind="unavailable")


async def download_full_text(
    fetcher: Fetcher, store: Store, article: Article, *, lang: str = "vi"
) -> FullText:
    """Fetch, extract and store the full text of `article`."""
    if not article.link:
        raise FullTextError("this article has no web link", kind="no_link")
    try:
        response = await fetcher.get(
            article.link, max_bytes=PAGE_LIMIT, accept="text/html,application/xhtml+xml"
        )
        cookie = _cookie_check(response.body)
        if cookie is not None:
            # "Set this cookie and reload" (Lao Động answers a first visit so): done once, as a
            # browser would; a second such answer is no article and is said so below.
            fetcher.set_cookie(response.url, *cookie)
            response = await fetcher.get(
                article.link, max_bytes=PAGE_LIMIT, accept="text/html,application/xhtml+xml"
            )
    except FetchError as exc:
        raise FullTextError(f"could not download the page: {exc}", kind="download",
                            status=exc.status) from None
    content_type = response.headers.get("content-type", "text/html").lower()
    if "html" not in content_type and "xml" not in content_type:
        raise FullTextError(f"the page is not HTML ({content_type.split(';')[0]})",
                            kind="not_html")
    try:
        full = await asyncio.to_thread(extract_article, response.body, response.url)
    except ExtractorUnavailable:
        raise FullTextUnavailable(label("fulltext_no_extractor", lang)) from None
    except ExtractError as exc:
        raise FullTextError(f"no article text on the page: {exc}", kind="no_text") from None
    store.save_full_text(article.id, full)
    return full


_COOKIE_CHECK_MAX = 4096  # a cookie check is a few hundred bytes of script, never an article
_SET_COOKIE = re.compile(
    rb"""document\.cookie\s*=\s*["']([A-Za-z0-9_-]{1,64})=([A-Za-z0-9_.-]{1,512})"""
)
_RELOAD = re.compile(rb"location\.(?:reload|replace|href)|location\s*=")


def _cookie_check(body: bytes) -> tuple[str, str] | None:
    """(name, value) when `body` is only a script that sets a cookie and reloads the page."""
    if len(body) > _COOKIE_CHECK_MAX or not _RELOAD.search(body):
        return None
    m = _SET_COOKIE.search(body)
    return (m[1].decode("ascii"), m[2].decode("ascii")) if m else None


async def prefetch(
    fetcher: Fetcher, store: Store, ids: Sequence[int], *, lang: str = "vi"
) -> tuple[int, int, str | None]:
    """Download full texts of `ids`, each page once, at most PER_HOST per site at a time.

    Returns (downloaded, failed, message); failures keep the summary and are tried again next
    refresh; the message, once, when the extraction library cannot be loaded (else None).
    """
    unavailable: list[str] = []
    hosts: dict[str, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(PER_HOST))
    seen: set[str] = set()
    articles: list[Article] = []
    for article in store.articles(ids):
        if article.link and not article.has_full_text and article.link not in seen:
            seen.add(article.link)
            articles.append(article)

    async def one(article: Article) -> bool:
        async with hosts[urlsplit(article.link or "").hostname or ""]:
            try:
                await download_full_text(fetcher, store, article, lang=lang)
            except FullTextUnavailable as exc:
                unavailable.append(str(exc))
                return False
            except FullTextError:
                return False
            return True

    outcomes = await asyncio.gather(*(one(a) for a in articles))
    ok = sum(outcomes)
    return ok, len(outcomes) - ok, (unavailable[0] if unavailable else None)


def fetch_full_text(config: Config, db_path: Path, article_id: int) -> FullText:
    """Synchronous entry point (CLI `show --full`, the reader's thread worker)."""
    try:
        store = Store.open(db_path)
    except CacheMovedAside as moved:
        store = moved.store
    try:
        article = store.article(article_id)
        if article is None:
            raise FullTextError(f"no article with id {article_id}", kind="no_article")

        async def run() -> FullText:
            async with Fetcher(
                user_agent=config.user_agent,
                timeout=config.timeout,
                concurrency=config.concurrency,
                per_host=config.per_host,
            ) as fetcher:
                return await download_full_text(fetcher, store, article, lang=config.language)

        return asyncio.run(run())
    finally:
        store.close()
