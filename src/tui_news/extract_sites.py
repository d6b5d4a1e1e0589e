"""Site rules: where one outlet's article page keeps its title, sapo, body, date and byline.

Only what a general rule cannot get right is here. Each field is a CSS selector, or several
separated by "; " and tried in that order (an outlet's current layout first, older ones after);
the first element found wins. Furniture inside the body (hidden copies, teaser cards, link lists,
author blocks, captions in image tables) is handled by the general rules in extract_walk.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from lxml import html as lhtml
from lxml.cssselect import CSSSelector


@dataclass(frozen=True)
class SiteRule:
    """Where one outlet puts each part of an article page."""

    name: str
    hosts: tuple[str, ...]  # the host or any subdomain of it
    title: str
    lead: str
    body: str
    date: str
    # A byline element outside the body; an author block, a right-aligned or UPPER-CASE last
    # paragraph inside it also count
    byline: str = ""
    # Site furniture inside the body that no general rule recognises
    drop: str = ""


# The CMS that Tuổi Trẻ, Người Lao Động and Thanh Niên share (detail-title, detail-sapo, …)
_DETAIL_TITLE = "h1.detail-title"
_DETAIL_SAPO = "h2.detail-sapo"
_DETAIL_BODY = "div.detail-content[data-role=content]; div.detail-cmain; div.detail-content"
_DETAIL_TIME = "div.detail-time; .detail-time"
_DETAIL_AUTHOR = "div.detail-author; .author-info"
# The CMS of PLO, Nhân Dân and Hà Nội Mới (article__title, article__sapo, article__body, …)
_ARTICLE_TITLE = "h1.article__title"
_ARTICLE_SAPO = "div.article__sapo; .article__sapo"
_ARTICLE_BODY = "div.article__body"
_ARTICLE_TIME = "time.article__time; .article__meta time; .article__time"
_ARTICLE_AUTHOR = ".article__header .author; div.author.cms-author; .article__author"
# The box-* layout of CAND and of Nhân Dân before its article__ CMS ("Thứ Hai, 20/12/2021, 17:25")
_BOX_TITLE = "h1.box-title-detail"
_BOX_SAPO = "div.box-des-detail"
_BOX_BODY = "div.detail-content-body"
_BOX_TIME = "div.box-date"
_BOX_AUTHOR = "div.box-author"

# fmt: off
SITE_RULES: tuple[SiteRule, ...] = (
    SiteRule("VnExpress", ("vnexpress.net",),
             title="h1.title-detail", lead="p.description", body="article.fck_detail",
             date="span.date"),
    SiteRule("Báo Chính phủ", ("baochinhphu.vn", "chinhphu.vn"),
             title="h1.detail-title", lead="h2.detail-sapo",
             body="div.detail-content[data-role=content]; div.detail-content",
             date=".detail-time"),
    # Three layouts: today's; 2015 desktop (div.fck under a wrapper also named detail-content);
    # 2015 mobile (the sapo is the first paragraph of section.fck)
    SiteRule("Tuổi Trẻ", ("tuoitre.vn",),
             title=f"{_DETAIL_TITLE}; h1.title-2; section.fck h1",
             lead=f"{_DETAIL_SAPO}; p.txt-head; section.fck > p",
             body="div.detail-content[data-role=content]; div.fck",
             date=f"{_DETAIL_TIME}; .tool-bar span.date",
             byline=f"{_DETAIL_AUTHOR}; .hlight span.author"),
    SiteRule("Người Lao Động", ("nld.com.vn",),
             title=_DETAIL_TITLE, lead=_DETAIL_SAPO, body=_DETAIL_BODY, date=_DETAIL_TIME,
             byline=_DETAIL_AUTHOR),
    # Today's layout, then the 2022 one (details__headline, div.sapo, .details__content)
    SiteRule("Thanh Niên", ("thanhnien.vn",),
             title=f"{_DETAIL_TITLE}; h1.details__headline", lead=f"{_DETAIL_SAPO}; div.sapo",
             body=f"{_DETAIL_BODY}; .details__content .detail",
             date=f"[data-role=publishdate]; {_DETAIL_TIME}; .details__meta time",
             byline=f"{_DETAIL_AUTHOR}; .details__author h4"),
    # Today's layout (utility classes only: found by structure) before the older singular-*
    SiteRule("Dân Trí", ("dantri.com.vn",),
             title="article h1; h1.title-page",
             lead="article > h2; h2.singular-sapo; .singular-sapo",
             body="#desktop-in-article; div.singular-content",
             date="article time; time.author-time",
             byline="article a[href*='/tac-gia/']; .author-name"),
    SiteRule("VietNamNet", ("vietnamnet.vn",),
             title="h1.content-detail-title", lead="h2.content-detail-sapo",
             body="#maincontent; div.maincontent", date=".publish-date",
             byline=".article-detail-author__info; .article-detail-author"),
    SiteRule("Znews", ("znews.vn", "zingnews.vn"),
             title="h1.the-article-title", lead="p.the-article-summary",
             body="div.the-article-body", date="li.the-article-publish; .the-article-publish",
             byline=".the-article-credit .author; .the-article-author"),
    SiteRule("CafeF", ("cafef.vn",),
             title="h1.title", lead="h2.sapo", body="div.detail-content", date="span.pdate",
             byline="p.author"),
    SiteRule("Báo Đầu Tư", ("baodautu.vn",),
             title="h1.title-detail; h1", lead="div.sapo_detail", body="#content_detail_news",
             date="span.post-time", byline="a.author"),
    SiteRule("Bongdaplus", ("bongdaplus.vn",),
             title="h1", lead="div.summary", body="#postContent", date="div.editor",
             byline="div.editor a"),
    SiteRule("VTV", ("vtv.vn",),
             title="h1.title_detail; div.noidung h1", lead="div.noidung h2.sapo; h2.sapo",
             body="div.noidung div.ta-justify; #entry-body", date=".news-info .time; span.time",
             byline="p.author; .news-info .author"),
    # article.article-detail: h1.title, div.chappeau, div.art-body, "20/12/2021 | 17:25"
    SiteRule("Lao Động", ("laodong.vn",),
             title="article.article-detail h1.title; .article-detail h1; h1.title",
             lead="div.chappeau; .chappeau", body="div.art-body; .art-body",
             date="time.f-datetime; .f-datetime", byline="span.authors; .authors"),
    # The district portal the product was modelled on (tests/fixtures/seed): "Ngày đăng
    # 19/08/2020 | 14:17 | View count: 345", the sapo in bold, an UPPER-CASE byline closing it
    SiteRule("Cổng thông tin thị xã Sơn Tây", ("sontay.hanoi.gov.vn",),
             title="h1.news-title", lead="div.news-sapo", body="div.news-content",
             date="div.news-date; .news-date"),
    SiteRule("PLO", ("plo.vn",),
             title=_ARTICLE_TITLE, lead=_ARTICLE_SAPO, body=_ARTICLE_BODY, date=_ARTICLE_TIME,
             byline=_ARTICLE_AUTHOR, drop=".article__meta"),
    # Today's article__ CMS, then the box-* layout of nhandan.com.vn (which CAND still runs)
    SiteRule("Nhân Dân", ("nhandan.vn", "nhandan.com.vn"),
             title=f"{_ARTICLE_TITLE}; {_BOX_TITLE}", lead=f"{_ARTICLE_SAPO}; {_BOX_SAPO}",
             body=f"{_ARTICLE_BODY}; {_BOX_BODY}", date=f"{_ARTICLE_TIME}; {_BOX_TIME}",
             byline=f"{_ARTICLE_AUTHOR}; {_BOX_AUTHOR}", drop=".article__meta"),
    SiteRule("Công an nhân dân", ("cand.com.vn", "cand.vn"),
             title=_BOX_TITLE, lead=_BOX_SAPO, body=_BOX_BODY, date=_BOX_TIME,
             byline=_BOX_AUTHOR),
    # Drupal (theme "vovvn"): h1.article-title, the body in div.detail.detail--normal, which no
    # general hint names (the trafilatura fallback lost its captions); related articles follow
    # beside it in div.field-related-article. Sapo, date line and byline: no public evidence of
    # their elements, so the general rules (meta description, article:published_time) read them
    SiteRule("VOV", ("vov.vn",),
             title="h1.article-title", lead="", body="div.detail.detail--normal", date=""),
    # QĐND: h1.post-title, the date in span.post-subinfo (which no general date class names),
    # the body in div.article-detail (learnt from public scrapers' selectors). Its sapo's
    # element: no public evidence, so the general rules read it (meta description)
    SiteRule("Quân đội nhân dân", ("qdnd.vn",),
             title="h1.post-title", lead="", body="div.article-detail; [itemprop=articleBody]",
             date="span.post-subinfo"),
    SiteRule("Hà Nội Mới", ("hanoimoi.vn",),
             title=_ARTICLE_TITLE, lead=_ARTICLE_SAPO, body=_ARTICLE_BODY, date=_ARTICLE_TIME,
             byline=_ARTICLE_AUTHOR, drop=".article__meta"),
)
# fmt: on


def rule_for(host: str | None) -> SiteRule | None:
    """The site rule for a host (subdomains included), or None."""
    host = (host or "").lower().rstrip(".")
    for rule in SITE_RULES:
        if any(host == h or host.endswith("." + h) for h in rule.hosts):
            return rule
    return None


def pick(doc: lhtml.HtmlElement, selectors: str) -> lhtml.HtmlElement | None:
    """The first element of the first of "; "-separated selectors that finds one, or None."""
    for selector in selectors.split(";"):
        selector = selector.strip()
        if selector:
            found = _compiled(selector)(doc)
            if found:
                return found[0]
    return None


@lru_cache(maxsize=256)
def _compiled(selector: str) -> CSSSelector:
    return CSSSelector(selector, translator="html")
