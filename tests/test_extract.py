"""Article extraction: real pages (seed, VnExpress, Báo Chính phủ), generic paths, hostile pages."""

from __future__ import annotations

import time
import unicodedata
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from shared_data import shared_path

from tui_news.dates import VIETNAM
from tui_news.extract import ExtractError, extract_article, parse_page_date
from tui_news.extract_sites import rule_for
from tui_news.models import Block, BlockKind, FullText
from tui_news.text import clean

FIXTURES = Path(__file__).parent / "fixtures"
SEED_HTML = FIXTURES / "seed" / "sontay-article.html"
SEED_TXT = FIXTURES / "seed" / "sontay-article.txt"
SEED_URL = "http://127.0.0.1:8000/tin-tuc/son-tay-quan-tam-day-manh-phong-trao.html"
# The same page at the portal's own address goes through its site rule instead
PORTAL_URL = "https://sontay.hanoi.gov.vn/tin-tuc/son-tay-quan-tam-day-manh-phong-trao.html"
VNE_URL = "https://vnexpress.net/cach-cac-nuoc-doi-pho-cu-soc-nang-luong-tu-trung-dong-5047363.html"
BCP_URL = "https://baochinhphu.vn/chinh-sach-moi-co-hieu-luc-tu-thang-3-2026-102260228093004191.htm"


def vne_page() -> bytes:
    return shared_path("fixtures", "articles", "vnexpress_article.html").read_bytes()


def bcp_page() -> bytes:
    return shared_path("fixtures", "articles", "baochinhphu_article.html").read_bytes()


SEED_CAPTIONS = [
    "Bệnh viện Quân y 105 duy trì tuần tra đảm bảo an ninh trật tự",
    "Phường Quang Trung động viên, giúp đỡ người lầm lỡ tái hòa nhập cộng đồng",
]
SEED_BYLINE = "HOÀNG PHƯƠNG - PHẠM HẢO"


def texts(ft: FullText, kind: BlockKind) -> list[str]:
    return [b.text for b in ft.blocks if b.kind is kind]


def all_text(ft: FullText) -> str:
    return "\n".join([ft.title or "", *(b.text for b in ft.blocks)])


def timed(data: bytes | str, url: str, label: str) -> FullText:
    start = time.perf_counter()
    ft = extract_article(data, url)
    print(f"extract {label}: {(time.perf_counter() - start) * 1000:.1f} ms")
    return ft


def seed_text() -> tuple[str, list[str]]:
    """The lead and the body paragraphs of the seed page as the source site shows them."""
    chunks = [clean(c) for c in SEED_TXT.read_text(encoding="utf-8").split("\n\n")]
    chunks = [c for c in chunks if c]
    start = next(i for i, c in enumerate(chunks) if "Ngày đăng" in c) + 1
    lead, rest = chunks[start], chunks[start + 1 :]
    assert rest[-1] == SEED_BYLINE
    return lead, [c for c in rest[:-1] if c not in SEED_CAPTIONS]


# --- the seed page: generic path (no site rule for 127.0.0.1), and the portal's site rule -------


@pytest.fixture(scope="module", params=[SEED_URL, PORTAL_URL], ids=["generic", "portal-rule"])
def seed(request: pytest.FixtureRequest) -> FullText:
    return timed(SEED_HTML.read_bytes(), request.param, f"seed ({request.param})")


def test_the_portal_address_takes_its_site_rule() -> None:
    rule = rule_for(urlsplit(PORTAL_URL).hostname)
    assert rule is not None and rule.body == "div.news-content"
    assert rule_for(urlsplit(SEED_URL).hostname) is None


def test_seed_body_paragraphs_match_the_source_text(seed: FullText) -> None:
    _, paragraphs = seed_text()
    assert len(paragraphs) == 4
    assert texts(seed, BlockKind.PARAGRAPH) == paragraphs


def test_seed_lead_title_and_date(seed: FullText) -> None:
    lead, _ = seed_text()
    assert seed.lead == lead
    assert seed.blocks[0].kind is BlockKind.LEAD
    assert seed.title == "Sơn Tây quan tâm đẩy mạnh phong trào toàn dân bảo vệ an ninh Tổ quốc"
    assert seed.published == datetime(2020, 8, 19, 14, 17, tzinfo=VIETNAM)
    assert seed.published is not None and seed.published.utcoffset() == timedelta(hours=7)
    assert seed.source_url in (SEED_URL, PORTAL_URL)


def test_seed_captions_are_set_apart_in_page_order(seed: FullText) -> None:
    assert texts(seed, BlockKind.CAPTION) == SEED_CAPTIONS
    kinds = [b.kind for b in seed.blocks]
    assert kinds == [
        BlockKind.LEAD,
        BlockKind.CAPTION,
        BlockKind.PARAGRAPH,
        BlockKind.PARAGRAPH,
        BlockKind.CAPTION,
        BlockKind.PARAGRAPH,
        BlockKind.PARAGRAPH,
        BlockKind.BYLINE,
    ]


def test_seed_byline_is_last(seed: FullText) -> None:
    assert seed.blocks[-1].kind is BlockKind.BYLINE
    assert seed.blocks[-1].text == SEED_BYLINE
    assert texts(seed, BlockKind.BYLINE) == [SEED_BYLINE]


def test_seed_has_nothing_from_menus_related_box_or_footer(seed: FullText) -> None:
    text = all_text(seed)
    for outside in (
        "Trang chủ",
        "Giới thiệu",
        "Liên hệ",
        "Thời tiết các vùng",
        "Đà Nẵng",
        "TP Hồ Chí Minh",
        "Nội chính an ninh quốc phòng",
        "Ngày đăng",
        "View count",
        "Tin liên quan",
        "Sơn Tây tổng kết công tác tuyển quân năm 2020",
        "Công an thị xã ra quân trấn áp tội phạm dịp cuối năm",
        "Cổng thông tin điện tử thị xã Sơn Tây",
        "Phó Đức Chính",
    ):
        assert outside not in text, outside


def test_seed_via_trafilatura_when_no_container_is_obvious() -> None:
    page = SEED_HTML.read_text(encoding="utf-8").replace('class="news-content"', 'class="x"')
    ft = timed(page, SEED_URL, "seed (trafilatura)")
    _, paragraphs = seed_text()
    assert texts(ft, BlockKind.PARAGRAPH) == paragraphs
    assert texts(ft, BlockKind.CAPTION) == SEED_CAPTIONS
    assert ft.blocks[-1] == Block(BlockKind.BYLINE, SEED_BYLINE)
    assert ft.lead == seed_text()[0]
    assert "Sơn Tây tổng kết" not in all_text(ft)


# --- VnExpress (site rule) -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def vne() -> FullText:
    return timed(vne_page(), VNE_URL, "vnexpress (site rule)")


def test_vnexpress_title_sapo_date(vne: FullText) -> None:
    assert vne.title == "Cách các nước đối phó cú sốc năng lượng từ Trung Đông"
    assert vne.lead == (
        "Trung Quốc, Nhật Bản, Thái Lan hạn chế xuất khẩu nhiên liệu, Ấn Độ tăng mua dầu Nga, "
        "còn Myanmar hạn chế xe lưu thông khi thị trường năng lượng gián đoạn."
    )
    assert vne.published == datetime(2026, 3, 7, 0, 5, tzinfo=VIETNAM)
    assert vne.published is not None and vne.published.utcoffset() == timedelta(hours=7)


def test_vnexpress_body_captions_byline(vne: FullText) -> None:
    paragraphs = texts(vne, BlockKind.PARAGRAPH)
    assert paragraphs[0].startswith("Xung đột giữa Mỹ - Israel với Iran đã bước sang ngày thứ 6")
    assert paragraphs[-1].startswith("Trước mắt, cơ quan quản lý tăng kiểm tra tình hình nhập khẩu")
    assert paragraphs[-1].endswith("trong bối cảnh thị trường thế giới biến động mạnh.")
    assert len(paragraphs) == 24
    captions = texts(vne, BlockKind.CAPTION)
    assert len(captions) == 2 and all("Ảnh: Reuters" in c for c in captions)
    assert captions[0].startswith("Công nhân đi qua các ống dẫn dầu")
    assert vne.blocks[-1].kind is BlockKind.BYLINE
    assert vne.blocks[-1].text == "Hà Thu (tổng hợp)"
    assert texts(vne, BlockKind.HEADING) == [
        "Hạn chế xuất khẩu nhiên liệu",
        "Giảm công suất lọc hóa dầu",
        "Tìm nguồn cung thay thế",
        "Hỗ trợ doanh nghiệp",
    ]


def test_vnexpress_page_order_and_links(vne: FullText) -> None:
    order = [b.text[:20] for b in vne.blocks]
    heading = order.index("Hạn chế xuất khẩu nh")
    assert vne.blocks[heading + 1].kind is BlockKind.CAPTION
    assert vne.blocks[heading + 2].text.startswith("Ngày 5/3, Reuters")
    assert vne.links == (
        "https://vnexpress.net/nhung-nuoc-chiu-tac-dong-manh-nhat-khi-iran-dong-eo-bien-hormuz"
        "-5046457.html",
        "https://vnexpress.net/bo-cong-thuong-nguon-cung-xang-dau-thang-3-duoc-bao-dam"
        "-5047368.html",
    )
    assert "Ý kiến" not in all_text(vne)


def test_vnexpress_page_on_an_unknown_host_takes_the_generic_path(vne: FullText) -> None:
    ft = timed(vne_page(), "https://mirror.example.org/a.html", "vnexpress (generic)")
    assert texts(ft, BlockKind.PARAGRAPH) == texts(vne, BlockKind.PARAGRAPH)
    assert texts(ft, BlockKind.CAPTION) == texts(vne, BlockKind.CAPTION)
    assert ft.lead == vne.lead
    assert ft.published == vne.published


# --- Báo Chính phủ (site rule) -------------------------------------------------------------------


@pytest.fixture(scope="module")
def bcp() -> FullText:
    return timed(bcp_page(), BCP_URL, "baochinhphu (site rule)")


def test_baochinhphu_title_sapo_date(bcp: FullText) -> None:
    assert bcp.title == "Chính sách mới có hiệu lực từ tháng 3/2026"
    assert bcp.lead == (
        "Tháng 3/2026 có nhiều chính sách mới có hiệu lực, nổi bật là các quy định "
        "liên quan đến bất động sản; cư trú; tài khoản ngân hàng…"
    )
    assert "Chinhphu.vn" not in all_text(bcp)
    assert bcp.published == datetime(2026, 3, 1, 9, 51, tzinfo=VIETNAM)


def test_baochinhphu_body_without_related_boxes(bcp: FullText) -> None:
    paragraphs = texts(bcp, BlockKind.PARAGRAPH)
    assert paragraphs[0].startswith("Chính phủ ban hành Nghị định số 357/2025/NĐ-CP")
    assert "Nghị định số 58/2026/NĐ-CP có hiệu lực từ ngày 15/3/2026." in paragraphs
    assert paragraphs[-1] == (
        "- Đồng bào dân tộc thiểu số ở các xã đặc biệt khó khăn theo quy định của pháp luật."
    )
    assert "Quy định mới về đăng ký cư trú cho người chưa thành niên từ 15/3" in texts(
        bcp, BlockKind.HEADING
    )
    text = all_text(bcp)
    for related in (
        "Tham khảo thêm",
        "Chính sách mới có hiệu lực từ tháng 2/2026",
        "Châu Âu: Nhiều chính sách mới có hiệu lực năm 2026",
        "Bản quyền",
        "Tổng Biên tập",
    ):
        assert related not in text, related
    assert texts(bcp, BlockKind.CAPTION) == []  # the page's captions are empty placeholders
    assert all(b.text for b in bcp.blocks)
    assert all(link.startswith("https://vanban.chinhphu.vn/") for link in bcp.links)


def test_baochinhphu_page_on_an_unknown_host_keeps_related_boxes_out() -> None:
    ft = timed(bcp_page(), "https://mirror.example.org/b.html", "baochinhphu (generic)")
    assert "Tham khảo thêm" not in all_text(ft)
    assert ft.lead is not None and ft.lead.startswith("Tháng 3/2026")
    assert ft.published == datetime(2026, 3, 1, 9, 51, tzinfo=VIETNAM)


# --- generic rules on small pages ----------------------------------------------------------------

BODY = (
    "Đây là đoạn văn thứ nhất của bài báo, đủ dài để được coi là nội dung thật sự của trang. "
    "Nó kể về một sự kiện ở Hà Nội với nhiều chi tiết cụ thể, có người, có việc, có số liệu."
)


def page(body: str, head: str = "", outside: str = "") -> str:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>"
        f"<h1>Tiêu đề bài</h1>{outside}<div class='article-content'>{body}</div></body></html>"
    )


def test_related_boxes_and_widgets_inside_the_body_are_dropped() -> None:
    html = page(
        f"<p>{BODY}</p><h3>Đọc thêm</h3><ul><li><a href='/x'>Bài khác một</a></li></ul>"
        "<p><strong>Xem thêm:</strong> <a href='/y'>Bài khác hai</a></p>"
        "<div class='VCObjectBoxRelatedNewsContentWrapper'><a href='/z'>Bài ba</a></div>"
        "<div class='tin_xemthem'>Bài bốn</div><script>alert('x')</script>"
        "<style>p{}</style><iframe src='https://ads.example'>Quảng cáo</iframe>"
        f"<p>{BODY} Hết.</p><div class='box-related'><h4>Tin liên quan</h4>"
        "<a href='/w'>Bài năm</a></div>"
    )
    ft = extract_article(html.encode(), "https://example.vn/a.html")
    assert texts(ft, BlockKind.PARAGRAPH) == [BODY, BODY + " Hết."]
    for junk in (
        "Đọc thêm",
        "Xem thêm",
        "Bài khác",
        "Bài ba",
        "Bài bốn",
        "alert",
        "Quảng cáo",
        "Tin liên quan",
        "Bài năm",
    ):
        assert junk not in all_text(ft), junk


def test_links_are_absolute_http_deduplicated_in_order() -> None:
    html = page(
        f"<p>{BODY} <a href='/b'>b</a> <a href='https://x.vn/a?utm_source=z'>a</a></p>"
        f"<p>{BODY} <a href='javascript:alert(1)'>j</a> <a href='/b'>b</a>"
        "<a href='mailto:a@b.vn'>m</a> <a href='#top'>t</a></p>"
    )
    ft = extract_article(html, "https://example.vn/tin/a.html")
    assert ft.links == ("https://example.vn/b", "https://x.vn/a")


def test_lead_from_entity_encoded_json_ld_and_date_from_json_ld() -> None:
    ld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "T",'
        '"description": "(TTXVN) - Th&#225;ng 3 c&#243; nhiều ch&#237;nh s&#225;ch mới",'
        '"datePublished": "2026-03-01T09:51:00+07:00"}</script>'
    )
    ft = extract_article(page(f"<p>{BODY}</p>", head=ld), "https://qdnd.vn/a")
    assert ft.lead == "Tháng 3 có nhiều chính sách mới"
    assert ft.published == datetime(2026, 3, 1, 9, 51, tzinfo=VIETNAM)
    assert ft.title == "Tiêu đề bài"


def test_sapo_element_wins_and_is_not_repeated_in_the_body() -> None:
    sapo = "Tóm tắt của bài báo nằm ngoài khung nội dung chính."
    html = page(
        f"<p>{sapo}</p><p>{BODY}</p>",
        outside=f"<div class='sapo'>{sapo}</div>",
        head="<meta property='og:description' content='Mô tả khác'>",
    )
    ft = extract_article(html, "https://example.vn/a")
    assert ft.lead == sapo
    assert texts(ft, BlockKind.PARAGRAPH) == [BODY]


def test_author_element_is_the_byline_but_never_the_site_name() -> None:
    ft = extract_article(
        page(f"<p>{BODY}</p>", outside="<p class='author'>Minh Anh</p>"), "https://nhandan.vn/a"
    )
    assert ft.blocks[-1].kind is BlockKind.BYLINE and ft.blocks[-1].text == "Minh Anh"
    for site in ("baochinhphu.vn", "Nhân Dân"):
        head = "<meta property='og:site_name' content='Nhân Dân'>"
        ft = extract_article(
            page(f"<p>{BODY}</p>", head=head, outside=f"<span class='author'>{site}</span>"),
            "https://nhandan.vn/a",
        )
        assert texts(ft, BlockKind.BYLINE) == [], site


def to_cp1258(text: str) -> bytes:
    """Vietnamese as windows-1258 writes it: base letters precomposed, tone marks combining."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("windows-1258")


def test_legacy_charset_is_decoded_to_nfc() -> None:
    html = page(f"<p>{BODY}</p>").replace("charset='utf-8'", "charset='windows-1258'")
    ft = extract_article(to_cp1258(html), "https://example.vn/a")
    assert texts(ft, BlockKind.PARAGRAPH) == [BODY]


def test_invalid_utf8_without_a_charset_is_replaced_not_fatal() -> None:
    data = (
        page(f"<p>{BODY} \udcff</p>")
        .replace("<meta charset='utf-8'>", "")
        .encode("utf-8", "surrogateescape")
    )
    ft = extract_article(data, "https://example.vn/a")
    assert texts(ft, BlockKind.PARAGRAPH)[0].startswith(BODY)


# --- not an article ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"",
        "",
        b"   \n",
        b"<html><body></body></html>",
        "<html><head><title>Trang</title></head><body><p>Ngắn.</p></body></html>",
        b"Just some plain text, not a web page at all.",
    ],
    ids=["empty-bytes", "empty-str", "blank", "empty-body", "one-line", "plain-text"],
)
def test_pages_without_an_article_raise(data: bytes | str) -> None:
    with pytest.raises(ExtractError):
        extract_article(data, "https://example.vn/a")


def test_login_wall_raises() -> None:
    html = (
        "<html><head><meta property='og:title' content='Bài báo'></head><body><h1>Bài báo</h1>"
        "<form action='/login' method='post'><input name='user'>"
        "<input type='password' name='pw'><button>Đăng nhập</button></form>"
        "<p>Vui lòng đăng nhập để đọc tiếp bài viết này.</p></body></html>"
    )
    with pytest.raises(ExtractError, match="login"):
        extract_article(html, "https://example.vn/a")


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
        b"%PDF-1.7\n" + bytes(range(256)) * 8,
        bytes(range(256)) * 16,
    ],
    ids=["png", "pdf", "random"],
)
def test_binary_content_raises(data: bytes) -> None:
    with pytest.raises(ExtractError, match="binary|HTML"):
        extract_article(data, "https://example.vn/a.png")


def test_extract_error_message_is_one_clean_line() -> None:
    with pytest.raises(ExtractError) as info:
        extract_article(b"\x89PNG\r\n\x1a\n", "https://example.vn/a.png")
    assert str(info.value) == clean(str(info.value)) and str(info.value)


# --- hostile content -----------------------------------------------------------------------------

HOSTILE = (
    "\x1b]52;c;aGVsbG8=\x07\x1b[2J\x1b[31mĐỏ\x1b[0m \x9b31m \x9d0;title\x9c "
    "\u202eđảo ngược\u202c \u2066x\u2069 \x07\x08 &#27;[1m &#155;2J"
)


def test_escape_sequences_c1_and_bidi_come_out_clean() -> None:
    html = page(
        f"<p>{BODY} {HOSTILE}</p><p>{HOSTILE} {BODY}</p>"
        f"<figure><img src='/a.jpg'><figcaption>Ảnh {HOSTILE}</figcaption></figure>",
        head=f"<meta property='og:title' content='Tựa {HOSTILE}'>",
        outside=f"<div class='sapo'>Sapo dài hơn ba mươi ký tự đây nhé {HOSTILE}</div>",
    )
    ft = extract_article(html.encode("utf-8"), "https://example.vn/a")
    assert len(texts(ft, BlockKind.PARAGRAPH)) == 2
    assert texts(ft, BlockKind.CAPTION)[0].startswith("Ảnh")
    everything = all_text(ft) + "".join(ft.links)
    for bad in (
        "\x1b",
        "\x07",
        "\x08",
        "\x9b",
        "\x9c",
        "\x9d",
        "\u202e",
        "\u202c",
        "\u2066",
        "\u2069",
        "\x00",
    ):
        assert bad not in everything, repr(bad)
    assert "Đỏ" in everything and "đảo ngược" in everything
    assert ft.title is not None and ft.title.startswith("Tựa")
    assert ft.lead is not None and ft.lead.startswith("Sapo dài")


def test_nul_bytes_and_deep_nesting_do_not_break_extraction() -> None:
    deep = "<div>" * 3000 + f"<p>{BODY}</p>" + "</div>" * 3000
    html = page(f"<p>{BODY}\x00</p>{deep}")
    ft = extract_article(html.encode(), "https://example.vn/a")
    assert texts(ft, BlockKind.PARAGRAPH)[0] == BODY


def test_fifty_thousand_tiny_paragraphs_finish() -> None:
    body = "".join(f"<p>Đoạn {i}.</p>" for i in range(50_000))
    ft = timed(page(body), "https://example.vn/a", "50,000 tiny paragraphs (container)")
    assert len(texts(ft, BlockKind.PARAGRAPH)) == 50_000
    bare = "<html><body>" + "".join(f"<p>Đoạn {i}.</p>" for i in range(50_000)) + "</body></html>"
    ft = timed(bare, "https://example.vn/b", "50,000 tiny paragraphs (no container)")
    assert texts(ft, BlockKind.PARAGRAPH)


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Thứ bảy, 7/3/2026, 00:05 (GMT+7)", datetime(2026, 3, 7, 0, 5, tzinfo=VIETNAM)),
        ("01/03/2026 09:51", datetime(2026, 3, 1, 9, 51, tzinfo=VIETNAM)),
        ("07/03/2026 08:01 GMT+7", datetime(2026, 3, 7, 8, 1, tzinfo=VIETNAM)),
        (
            "Ngày đăng 19/08/2020 | 14:17 | View count: 345",
            datetime(2020, 8, 19, 14, 17, tzinfo=VIETNAM),
        ),
        ("2026-10-07 07:49 + 07:00", datetime(2026, 10, 7, 7, 49, tzinfo=VIETNAM)),
        ("2026-03-01T09:51:00+07:00", datetime(2026, 3, 1, 9, 51, tzinfo=VIETNAM)),
        ("2026-03-01T02:51:00Z", datetime(2026, 3, 1, 9, 51, tzinfo=VIETNAM)),
        ("2020-08-19T14:17:00", datetime(2020, 8, 19, 14, 17, tzinfo=VIETNAM)),
    ],
)
def test_page_dates(raw: str, expected: datetime) -> None:
    value = parse_page_date(raw, now=datetime(2026, 11, 1, tzinfo=VIETNAM))
    assert value == expected
    assert value is not None and value.tzinfo is not None


@pytest.mark.parametrize("raw", ["", "hôm qua", "31/02/2026 10:00", "01/03/2099 10:00", None])
def test_unreadable_or_future_page_dates_are_none(raw: str | None) -> None:
    assert parse_page_date(raw, now=datetime(2026, 11, 1, tzinfo=VIETNAM)) is None


def test_tuoitre_rule_takes_byline_from_detail_author() -> None:
    html = (
        "<html><body><h1 class='detail-title'>Tiêu đề Tuổi Trẻ</h1>"
        "<div class='detail-time'>07/03/2026 08:01 GMT+7</div>"
        "<h2 class='detail-sapo'>Sapo của bài trên Tuổi Trẻ, khá dài.</h2>"
        f"<div class='detail-content'><p>{BODY}</p><figure><img src='/a.jpg'>"
        "<figcaption class='PhotoCMS_Caption'><p>Người dân xếp hàng - Ảnh: NAM TRẦN</p>"
        f"</figcaption></figure><p>{BODY} Hai.</p></div>"
        "<div class='detail-author'>NAM TRẦN</div></body></html>"
    )
    ft = extract_article(html, "https://tuoitre.vn/bai-123.htm")
    assert ft.title == "Tiêu đề Tuổi Trẻ"
    assert ft.published == datetime(2026, 3, 7, 8, 1, tzinfo=VIETNAM)
    assert [b.kind for b in ft.blocks] == [
        BlockKind.LEAD,
        BlockKind.PARAGRAPH,
        BlockKind.CAPTION,
        BlockKind.PARAGRAPH,
        BlockKind.BYLINE,
    ]
    assert ft.blocks[2].text == "Người dân xếp hàng - Ảnh: NAM TRẦN"
    assert ft.blocks[-1].text == "NAM TRẦN"


def test_loose_text_and_image_less_figures_are_article_text() -> None:
    html = page(
        f"{BODY}<br>Dòng sau.<p>{BODY} Hai.</p>"
        "<figure class='quote'><blockquote>Trích dẫn quan trọng.</blockquote></figure>"
        f"<div>Đoạn trong div <a href='/c'>có link</a>.</div>"
    )
    ft = extract_article(html, "https://example.vn/a")
    assert texts(ft, BlockKind.PARAGRAPH) == [
        f"{BODY} Dòng sau.",
        f"{BODY} Hai.",
        "Trích dẫn quan trọng.",
        "Đoạn trong div có link.",
    ]
    assert ft.links == ("https://example.vn/c",)


def test_malformed_url_is_not_fatal() -> None:
    ft = extract_article(page(f"<p>{BODY}</p>"), "http://[::1/a")
    assert texts(ft, BlockKind.PARAGRAPH) == [BODY]
    assert ft.source_url == "http://[::1/a"
