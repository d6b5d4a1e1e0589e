"""Site rules: where one outlet's article page keeps its title, sapo, body, date and byline."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SiteRule:
    """CSS selectors for one outlet's article page (first match of each wins)."""

    hosts: tuple[str, ...]  # the host or any subdomain of it
    title: str
    lead: str
    body: str
    date: str
    # A byline element outside the body; a right-aligned or UPPER-CASE last paragraph also counts
    byline: str | None = None


SITE_RULES: tuple[SiteRule, ...] = (
    SiteRule(
        hosts=("vnexpress.net",),
        title="h1.title-detail",
        lead="p.description",
        body="article.fck_detail",
        date="span.date",
    ),
    SiteRule(
        hosts=("baochinhphu.vn", "chinhphu.vn"),
        title="h1.detail-title",
        lead="h2.detail-sapo",
        body="div.detail-content",
        date=".detail-time",
    ),
    SiteRule(
        hosts=("tuoitre.vn",),
        title="h1.detail-title",
        lead="h2.detail-sapo",
        body=".detail-content",
        date=".detail-time",
        byline=".detail-author",
    ),
)


def rule_for(host: str | None) -> SiteRule | None:
    """The site rule for a host (subdomains included), or None."""
    host = (host or "").lower().rstrip(".")
    for rule in SITE_RULES:
        if any(host == h or host.endswith("." + h) for h in rule.hosts):
            return rule
    return None
