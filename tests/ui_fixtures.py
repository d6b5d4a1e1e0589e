"""A realistic reader cache for UI tests and screenshots, built through the real Store.ingest."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from tui_news.config import Config
from tui_news.models import (
    ArticleQuery,
    Block,
    BlockKind,
    FeedConfig,
    FullText,
    ParsedEntry,
    Weather,
)
from tui_news.store import Store

VN = timezone(timedelta(hours=7))
# Every relative time and weather age in the tests is measured from this instant.
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=VN)

SEED_TITLE = "Sơn Tây quan tâm đẩy mạnh phong trào toàn dân bảo vệ an ninh Tổ quốc"
SEED_CATEGORY = "Nội chính - An ninh - Quốc phòng"
SEED_PUBLISHED = datetime(2020, 8, 19, 14, 17, tzinfo=VN)
SEED_LINK = "https://sontay.hanoi.gov.vn/noi-chinh/son-tay-quan-tam-day-manh-phong-trao.html"

FEEDS = (
    FeedConfig("https://vnexpress.net/rss/thoi-su.rss", "Thời sự", "VnExpress"),
    FeedConfig("https://tuoitre.vn/rss/thoi-su.rss", "Thời sự", "Tuổi Trẻ"),
    FeedConfig("https://vnexpress.net/rss/the-gioi.rss", "Thế giới", "VnExpress"),
    FeedConfig("https://thanhnien.vn/rss/kinh-te.rss", "Kinh tế", "Thanh Niên"),
    FeedConfig("https://hanoimoi.vn/rss/an-ninh", SEED_CATEGORY, "Hà Nội Mới"),
    FeedConfig("https://vnexpress.net/rss/the-thao.rss", "Thể thao", "VnExpress"),
    FeedConfig("https://hanoimoi.vn/rss/xa-hoi", "Hà Nội", "Hà Nội Mới"),
)

# (feed index, minutes before NOW, title, lead)
ITEMS: tuple[tuple[int, int, str, str], ...] = (
    (0, 3, "Thủ tướng chỉ đạo khẩn trương khắc phục hậu quả mưa lũ ở miền Trung",
     "Thủ tướng yêu cầu các bộ, ngành và địa phương tập trung cứu trợ người dân vùng lũ, "
     "bảo đảm không để ai thiếu ăn, thiếu mặc."),
    (1, 12, "Hà Nội đề xuất mở rộng vùng hạn chế xe máy từ năm 2027",
     "Sở Xây dựng Hà Nội trình phương án hạn chế xe máy trong vành đai 1, 2 theo lộ trình."),
    (3, 25, "Giá vàng miếng SJC giảm mạnh phiên cuối tuần",
     "Giá vàng miếng giảm gần một triệu đồng mỗi lượng sau khi thế giới lao dốc."),
    (2, 40, "Liên hợp quốc kêu gọi ngừng bắn nhân đạo tại Trung Đông",
     "Tổng thư ký Liên hợp quốc đề nghị các bên mở hành lang nhân đạo cho dân thường."),
    (5, 55, "Tuyển Việt Nam thắng Thái Lan 2-0, giành ngôi đầu bảng",
     "Hai bàn thắng trong hiệp hai giúp tuyển Việt Nam giành trọn ba điểm trên sân Mỹ Đình."),
    (6, 70, "Hồ Gươm rực rỡ đèn hoa chào mừng ngày hội văn hóa Thủ đô",
     "Khu vực quanh hồ Hoàn Kiếm được trang trí hàng nghìn đèn lồng và hoa tươi."),
    (0, 95, "Quốc hội thông qua Luật Đất đai sửa đổi với đa số đại biểu tán thành",
     "Luật có hiệu lực từ đầu năm 2027, bổ sung nhiều quy định về bồi thường, tái định cư."),
    (4, 130, "Công an Hà Nội triệt phá đường dây lừa đảo qua mạng xã hội",
     "Các đối tượng giả danh cơ quan chức năng, chiếm đoạt hơn 20 tỷ đồng của người dân."),
    (3, 180, "Xuất khẩu nông sản 11 tháng đạt kỷ lục hơn 60 tỷ USD",
     "Rau quả, cà phê và gạo tiếp tục là những mặt hàng đóng góp lớn nhất."),
    (1, 240, "TP HCM khởi công tuyến metro số 2 Bến Thành - Tham Lương",
     "Tuyến dài hơn 11 km, dự kiến hoàn thành vào năm 2030."),
    (2, 300, "Nhật Bản công bố gói kích thích kinh tế lớn nhất trong ba năm",
     "Gói hỗ trợ tập trung vào hộ gia đình thu nhập thấp và doanh nghiệp nhỏ."),
    (5, 420, "Đội tuyển bóng chuyền nữ Việt Nam vào bán kết giải châu Á",
     "Các cô gái Việt Nam thắng 3-1 trước Hàn Quốc ở tứ kết."),
    (6, 600, "Hà Nội thí điểm phố đi bộ mới quanh hồ Thiền Quang",
     "Phố đi bộ mở cửa vào tối thứ Sáu đến Chủ Nhật hằng tuần."),
    (0, 1500, "Đà Nẵng sơ tán hơn 10.000 dân trước bão số 13",
     "Chính quyền thành phố yêu cầu tàu thuyền vào bờ trú ẩn trước 17 giờ."),
    (3, 2900, "Ngân hàng Nhà nước giữ nguyên lãi suất điều hành",
     "Quyết định nhằm hỗ trợ tăng trưởng trong bối cảnh lạm phát được kiểm soát."),
    (4, 4400, "Khánh thành trụ sở Công an phường tại thị xã Sơn Tây",
     "Công trình góp phần nâng cao hiệu quả công tác bảo đảm an ninh trật tự cơ sở."),
    (2, 7300, "Hội nghị APEC kết thúc với tuyên bố chung về thương mại số",
     "Các nền kinh tế thành viên cam kết thúc đẩy dòng chảy dữ liệu xuyên biên giới."),
)

HOSTILE_TITLES = (
    "[@click=app.quit]x[/]",
    "[/",
    "[TODO] Việc cần làm trước Tết",
    "\x1b]52;c;SGVsbG8=\x07 sao chép bí mật",
    "[b]Đậm[/b] và [link=https://evil.example]liên kết[/link]",
)

SEED_BLOCKS = (
    Block(BlockKind.LEAD, "Trong những năm gần đây, thị xã luôn quan tâm đẩy mạnh phong trào "
          "“Toàn dân bảo vệ an ninh Tổ quốc”. Nhờ đó, an ninh trật tự được giữ vững, góp phần "
          "tích cực trong việc thực hiện thắng lợi mục tiêu phát triển kinh tế xã hội của địa "
          "phương."),
    Block(BlockKind.CAPTION, "Bệnh viện Quân y 105 duy trì tuần tra đảm bảo an ninh trật tự"),
    Block(BlockKind.PARAGRAPH, "Hàng năm phong trào Toàn dân bảo vệ an ninh Tổ quốc (ANTQ) và "
          "đảm bảo an ninh trật tự (ANTT) luôn được cấp ủy đảng, chính quyền, ban ngành đoàn thể "
          "quan tâm đẩy mạnh thực hiện với nhiều hình thức, biện pháp, nội dung phù hợp từng địa "
          "bàn, lĩnh vực."),
    Block(BlockKind.PARAGRAPH, "Bên cạnh đó, MTTQ và tổ chức thành viên duy trì thực hiện tốt "
          "chương trình phối hợp giữa công an, mặt trận tổ quốc và các nghị quyết liên tịch trong "
          "giữ gìn ANTT."),
    Block(BlockKind.CAPTION, "Công an thị xã Sơn Tây tuyên truyền phòng chống tội phạm"),
    Block(BlockKind.PARAGRAPH, "Với sự nỗ lực, quyết tâm cao của cấp ủy đảng, chính quyền, ban "
          "ngành đoàn thể và nhân dân thị xã, phong trào toàn dân bảo vệ ANTQ tiếp tục được củng "
          "cố, từng bước phát triển có chiều sâu./."),
    Block(BlockKind.BYLINE, "HOÀNG PHƯƠNG - PHẠM HẢO"),
)


def ui_config(tmp_path: Path, keys: dict[str, str] | None = None) -> Config:
    """A config with the fixture feeds (its categories fill the sidebar)."""
    return Config(path=tmp_path / "config.toml", feeds=FEEDS, feeds_configured=True,
                  keys=keys or {})


def build_cache(db_path: Path, *, hostile: bool = False, weather: str = "fresh",
                seed_full_text: bool = True, seed_link: str = SEED_LINK,
                extra: int = 0) -> Path:
    """Fill `db_path` like a day of real refreshes; `weather` is fresh, stale or never."""
    store = Store.open(db_path)
    try:
        store.sync_feeds(FEEDS)
        by_feed: dict[int, list[ParsedEntry]] = {}
        for number, (feed, minutes, title, lead) in enumerate(ITEMS):
            link = f"{FEEDS[feed].url.rsplit('/rss', 1)[0]}/bai-{number + 1}.html"
            by_feed.setdefault(feed, []).append(ParsedEntry(
                key=link, title=title, link=link, summary=lead,
                published=NOW - timedelta(minutes=minutes)))
        by_feed.setdefault(4, []).append(ParsedEntry(
            key=seed_link, title=SEED_TITLE, link=seed_link,
            summary=SEED_BLOCKS[0].text, published=SEED_PUBLISHED))
        for n in range(extra):
            link = f"https://vnexpress.net/tin-{n}.html"
            by_feed.setdefault(0, []).append(ParsedEntry(
                key=link, title=f"Tin tức số {n}: cập nhật tình hình giao thông Hà Nội",
                link=link, summary="Bản tin giao thông.",
                published=NOW - timedelta(days=8, minutes=n)))
        if hostile:
            for n, title in enumerate(HOSTILE_TITLES):
                link = f"https://hanoimoi.vn/hostile-{n}.html"
                by_feed.setdefault(6, []).append(ParsedEntry(
                    key=link, title=title, link=link, summary="[i]tóm tắt[/i] \x1b[2J",
                    published=NOW - timedelta(seconds=30 + n)))
        for feed, entries in by_feed.items():
            store.ingest(FEEDS[feed].url, entries, seen_at=NOW)
        if seed_full_text:
            seed_id = next(a.id for a in store.page(ArticleQuery(), 0, 1000)
                           if a.title == SEED_TITLE)
            store.save_full_text(seed_id, FullText(
                title=SEED_TITLE, published=SEED_PUBLISHED, blocks=SEED_BLOCKS,
                links=("https://sontay.hanoi.gov.vn/", "https://hanoimoi.vn/"),
                source_url=seed_link))
        if weather != "never":
            observed = NOW - (timedelta(hours=5) if weather == "stale" else timedelta(minutes=45))
            store.save_weather([
                Weather("Hà Nội", 21.4, 3, True, observed, observed),
                Weather("Đà Nẵng", 25.2, 63, True, observed, observed),
                Weather("TP Hồ Chí Minh", 31.0, 2, True, observed, observed),
            ])
    finally:
        store.close()
    return db_path


def seed_id(db_path: Path) -> int:
    """The id of the seed article (Sơn Tây) in a built cache."""
    store = Store.open(db_path)
    try:
        return next(a.id for a in store.page(ArticleQuery(), 0, 1000)
                    if a.title == SEED_TITLE)
    finally:
        store.close()


def make_app(tmp_path: Path, *, lang: str = "vi", offline: bool = True,
             keys: dict[str, str] | None = None, config: Config | None = None,
             **cache: object):  # type: ignore[no-untyped-def]
    """A reader on a fresh fixture cache in `tmp_path` (offline: no network is touched)."""
    from tui_news.ui.app import TuiNewsApp

    db = tmp_path / "cache.sqlite"
    if not db.exists():
        build_cache(db, **cache)  # type: ignore[arg-type]
    return TuiNewsApp(config or ui_config(tmp_path, keys), db, offline=offline, lang=lang,
                      now=NOW)


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait until the reader's mark queue has written every mark and the screen has heard."""
    assert pilot.app.marks.flush(10)
    await pilot.pause()


def said(app) -> list[str]:  # type: ignore[no-untyped-def]
    """Record what the reader tells the user (the notification still shows)."""
    messages: list[str] = []
    notify = app.notify

    def spy(message: str, **kwargs: object) -> None:
        messages.append(message)
        notify(message, **kwargs)

    app.notify = spy
    return messages


def record_opened(app) -> list[str]:  # type: ignore[no-untyped-def]
    """Record the URLs the reader hands to the browser (none is opened)."""
    urls: list[str] = []
    app.open_url = lambda url, new_tab=True: urls.append(url)
    return urls


def record_copied(app) -> list[str]:  # type: ignore[no-untyped-def]
    """Record what the reader copies to the clipboard."""
    texts: list[str] = []
    app.copy_to_clipboard = texts.append
    return texts
