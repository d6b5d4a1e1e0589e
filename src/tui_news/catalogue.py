"""The built-in Vietnamese catalogue, used when the config lists no feeds: DOMAIN.md's table as
re-checked against 2026 evidence (40 feeds in 12 categories)."""

from __future__ import annotations

from tui_news.models import City, FeedConfig

_CATALOGUE: dict[str, tuple[str, ...]] = {
    "Thời sự": (
        "https://vnexpress.net/rss/thoi-su.rss",
        "https://tuoitre.vn/rss/thoi-su.rss",
        "https://baochinhphu.vn/home.rss",
        "https://vov.vn/rss.xml",
    ),
    "Thế giới": (
        "https://vnexpress.net/rss/the-gioi.rss",
        "https://www.vietnamplus.vn/rss/thegioi-209.rss",
        "https://tuoitre.vn/rss/the-gioi.rss",
    ),
    "Kinh tế": (
        "https://vnexpress.net/rss/kinh-doanh.rss",
        "https://nhandan.vn/rss/kinhte-1185.rss",
        "https://thanhnien.vn/rss/kinh-te.rss",
        "https://baochinhphu.vn/kinh-te.rss",
    ),
    "Nội chính - An ninh - Quốc phòng": (
        "https://www.qdnd.vn/rss/cate/quoc-phong-an-ninh-3424.rss",
        "https://cand.vn/rss/home.rss",
        "https://nhandan.vn/rss/chinhtri-1171.rss",
        "https://www.vietnamplus.vn/rss/chinhtri-291.rss",
        "https://thanhnien.vn/rss/thoi-su/quoc-phong.rss",
    ),
    "Pháp luật": (
        "https://vnexpress.net/rss/phap-luat.rss",
        "https://tuoitre.vn/rss/phap-luat.rss",
        "https://dantri.com.vn/rss/phap-luat.rss",
    ),
    "Giáo dục": (
        "https://vnexpress.net/rss/giao-duc.rss",
        "https://tuoitre.vn/rss/giao-duc.rss",
        "https://dantri.com.vn/rss/giao-duc.rss",
    ),
    "Sức khỏe": (
        "https://vnexpress.net/rss/suc-khoe.rss",
        "https://tuoitre.vn/rss/suc-khoe.rss",
        "https://dantri.com.vn/rss/suc-khoe.rss",
    ),
    "Thể thao": (
        "https://vnexpress.net/rss/the-thao.rss",
        "https://tuoitre.vn/rss/the-thao.rss",
        "https://thanhnien.vn/rss/the-thao.rss",
    ),
    "Giải trí": (
        "https://vnexpress.net/rss/giai-tri.rss",
        "https://tuoitre.vn/rss/giai-tri.rss",
        "https://thanhnien.vn/rss/giai-tri.rss",
    ),
    "Khoa học - Công nghệ": (
        # VnExpress merged its retired khoa-hoc.rss and so-hoa.rss into one section.
        "https://vnexpress.net/rss/khoa-hoc-cong-nghe.rss",
        "https://tuoitre.vn/nhip-song-so.rss",
        "https://thanhnien.vn/rss/cong-nghe.rss",
    ),
    "Du lịch": (
        "https://vnexpress.net/rss/du-lich.rss",
        "https://tuoitre.vn/rss/du-lich.rss",
        "https://thanhnien.vn/rss/du-lich.rss",
    ),
    # Hà Nội Mới's feeds have no .rss suffix (`…/kinh-te.rss` answers 200 with no items).
    "Hà Nội": (
        "https://hanoimoi.vn/rss/xa-hoi",
        "https://hanoimoi.vn/rss/kinh-te",
        "https://hanoimoi.vn/rss/phap-luat",
    ),
}

DEFAULT_FEEDS: tuple[FeedConfig, ...] = tuple(
    FeedConfig(url=url, category=category)
    for category, urls in _CATALOGUE.items()
    for url in urls
)

DEFAULT_CITIES: tuple[City, ...] = (
    City("Hà Nội", 21.0285, 105.8542),
    City("Đà Nẵng", 16.0544, 108.2022),
    City("TP Hồ Chí Minh", 10.8231, 106.6297),
)
