"""Real pages of ten outlets (../shared/corpus/articles): what a person reading each page sees.

Every expectation was written by reading the page: its title as the headline shows it, the date
line it prints, its sapo, its first and last body sentences, how many body paragraphs, its
captions, its byline as published, and the furniture around and inside the body that is not the
article. The pages are third-party content and stay in ../shared (see shared_data.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import pytest
from shared_data import shared_path

from tui_news.dates import VIETNAM
from tui_news.extract import extract_article
from tui_news.models import BlockKind, FullText
from tui_news.text import INVISIBLE


@dataclass(frozen=True)
class Page:
    file: str
    title: str
    date: tuple[int, int, int, int, int]  # as the page's date line prints it (Vietnam time)
    lead: tuple[str, str]  # how the sapo starts and ends
    first: str  # the first body paragraph starts so
    last: str  # the last body paragraph ends so
    paragraphs: int
    captions: tuple[str, ...]  # how each caption starts, in page order
    byline: str | None
    headings: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()  # furniture a reader does not take for the article


PAGES = (
    Page(
        "baochinhphu_1.html",
        "Chính sách mới có hiệu lực từ tháng 3/2026",
        (2026, 3, 1, 9, 51),
        ("Tháng 3/2026 có nhiều chính sách mới", "cư trú; tài khoản ngân hàng…"),
        "Chính phủ ban hành Nghị định số 357/2025/NĐ-CP ngày 31/12/2025",
        "ở các xã đặc biệt khó khăn theo quy định của pháp luật.",
        61,
        (),  # the page's figcaptions are empty placeholders
        None,
        absent=("Tham khảo thêm", "Chinhphu.vn", "Chính sách mới có hiệu lực từ tháng 2/2026"),
    ),
    Page(
        "baodautu_1.html",
        "Xử phạt Giám đốc tài chính Tập đoàn Tiên Sơn Thanh Hoá vì thao túng cổ phiếu",
        (2026, 3, 7, 8, 47),
        ("Ông Tống Anh Linh - Giám đốc tài chính", "nhằm tạo ra cung, cầu giả tạo."),
        "Uỷ ban Chứng khoán Nhà nước vừa có quyết định xử phạt",
        "của công ty này trong vòng 2 năm trước.",
        12,
        ("Diễn biến cổ phiếu AAT trong giai đoạn 2021 - 2023",),  # td.media-caption
        "Nguyên Minh",
        absent=("Ngày 07 tháng 03 năm 2026", "- 07/03/2026 08:47"),
    ),
    Page(
        "bongdaplus_1.html",
        "Vì sao VAR công nhận bàn của Brazil dù việt vị?",
        (2024, 3, 24, 7, 12),  # "07:12 ngày 24/03/2024"; JSON-LD says "3/24/2024 7:12:35 AM"
        ("Pha lập công duy nhất của Endrick", "sao mai 17 tuổi việt vị."),
        "Phút 80, thời điểm tỷ số đang là 0-0",
        "sân nhà tương lai của anh ở Real Madrid.",
        7,
        ("VIDEO: Anh 0-1 Brazil",),
        "Đỗ Trung",
        absent=("•",),
    ),
    Page(
        "cafef_1.html",
        "Thời điểm nâng hạng cận kề, MBS điểm tên 30 cổ phiếu Việt Nam có khả năng lọt rổ chỉ số"
        " FTSE",
        (2026, 3, 7, 0, 1),  # "07-03-2026 - 00:01 AM"
        ("“Sau tháng 9/2026, dòng vốn thụ động (passive)", "dòng vốn thụ động”, báo cáo nêu rõ."),
        "Trong báo cáo cập nhật nâng hạng mới công bố, Chứng khoán MB (MBS)",
        "do sự thay đổi về thời điểm chốt dữ liệu của FTSE.",
        11,
        (),
        "Dương Ngọc",
        headings=("Danh sách các cổ phiếu dự kiến được phân bổ vào chỉ số FTSE Emerging All-cap",),
        absent=("TIN MỚI",),
    ),
    Page(
        "cafef_2.html",
        "Tăng hỗ trợ, giảm áp lực tài chính khi chuyển mục đích sử dụng đất",
        (2026, 3, 7, 9, 40),
        ("Bộ Tài chính cho biết các quy định mới", "theo quy định của Luật Đất đai năm 2024."),
        "Gửi kiến nghị tới Bộ Tài chính, cử tri xã Thuận Hạnh",
        "sang đất ở theo quy định của pháp luật.",
        9,
        ("Ảnh minh hoạ.",),
        "Theo Hồ Hương",
        absent=("TIN MỚI",),
    ),
    Page(
        "dantri_1.html",
        "Giá vàng giảm, vẫn cao hơn thế giới gần 20 triệu đồng/lượng",
        (2026, 3, 7, 8, 7),  # "Thứ bảy, 07/03/2026 - 08:07"
        ("Giá vàng trong nước tiếp tục giảm", "vẫn đắt hơn thế giới gần 20 triệu đồng/lượng."),
        "Cụ thể, chốt phiên 6/3, giá vàng miếng SJC",
        "hiện ở mức: 23.855-26.259 đồng.",
        11,
        (),
        "Tri Túc",
        headings=("Đồng USD duy trì đà tăng",),
        absent=("(Dân trí)",),
    ),
    Page(
        "nld_1.html",
        "Những sai sót hộ kinh doanh thường gặp khi thực hiện quy định mới về thuế",
        (2026, 3, 7, 8, 6),
        ("Không ít hộ kinh doanh chưa quen", "hoặc phần mềm bán hàng."),
        "Chính phủ vừa ban hành Nghị định 68/2026/NĐ-CP",
        "tổng mức trừ không vượt quá 500 triệu đồng/năm.",
        19,
        ("Chuyên gia về thuế đã nêu một số sai sót phổ biến", "TS Nguyễn Hồng Trang, Giám đốc"),
        "Minh Chiến",
        absent=("(NLĐO)", "VCCI đã góp ý"),
    ),
    Page(
        "plo_1.html",
        "Đoàn đại biểu TP.HCM dâng hoa, tưởng niệm các anh hùng liệt sĩ tại Bình Dương, Bà Rịa -"
        " Vũng Tàu (cũ)",
        (2025, 10, 11, 10, 2),
        (
            "Phó Bí thư Thành ủy, Chủ tịch Ủy ban MTTQ",
            "tại Nghĩa trang liệt sĩ tỉnh Bình Dương cũ.",
        ),
        "Sáng 11-10, các đoàn đại biểu tham dự Đại hội đại biểu Đảng bộ TP.HCM",
        "và Chủ tịch Tôn Đức Thắng tại bảo tàng Tôn Đức Thắng.",
        9,
        (
            "Phó Bí thư Thành ủy, Chủ tịch Ủy ban MTTQ Việt Nam TP.HCM Nguyễn Phước Lộc làm",
            "Đoàn đại biểu dâng hoa tưởng niệm",
            "Phó Bí thư Thành ủy, Chủ tịch Ủy ban MTTQ Việt Nam TP.HCM Nguyễn Phước Lộc đánh",
            "Phó Bí thư Thành ủy, Chủ tịch Ủy ban MTTQ Việt Nam TP.HCM Nguyễn Phước Lộc (trái)",
            "Phó Bí thư Thành ủy, Chủ tịch Ủy ban MTTQ Việt Nam TP.HCM Nguyễn Phước Lộc dâng",
            "Các đại biểu dâng hương viếng",
            "Đoàn đại biểu đã đến thắp hương",
            "Đoàn đại biểu do ông Đặng Minh Thông",
            "Các đại biểu thành kính tưởng nhớ",
            "Ông Đặng Minh Thông, Phó Bí thư Thành ủy TP.HCM; ông Nguyễn Lộc Hà",
            "Đoàn đại biểu thắp hương mộ phần",
            "Đoàn đại biểu Đại hội Đảng bộ TP.HCM lần thứ I",
            "Các đại biểu đã bày tỏ lòng biết ơn",
            "Đoàn đại biểu Đại hội Đảng bộ TP.HCM lần thứ I",
            "Ông Đặng Minh Thông, Phó Bí thư Thành ủy TP.HCM, dẫn đầu",
            "Các đại biểu dâng hương lên Chủ tịch Tôn Đức Thắng. Ảnh: QUỐC THANH",
        ),
        "THUẬN VĂN - LÊ ÁNH",
        absent=(
            "Đoàn lãnh đạo TP.HCM dâng hương tưởng nhớ anh hùng liệt sĩ tại Côn Đảo",
            "Dòng sự kiện",
            "(PLO)",
        ),
    ),
    Page(
        "plo_2.html",
        "Vụ vay ngân hàng mua biệt thự: VKS kháng nghị theo hướng hủy án sơ thẩm",
        (2025, 10, 9, 17, 55),
        ("VKSND khu vực 7 - TP.HCM đã kháng nghị", "theo hướng hủy bản án sơ thẩm."),
        "Ngày 9-10, VKSND khu vực 7 - TP.HCM đã ban hành kháng nghị",
        "cùng lập ngày 25-11-2020 là không đúng.",
        18,
        ("HĐXX sơ thẩm tuyên án vụ kiện giữa ngân hàng và vợ chồng ông THS.",),
        "SONG MAI",
        headings=(
            "Vay ngân hàng mua biệt thự",
            "Kháng nghị cho rằng cấp sơ thẩm đã giải quyết quá phạm vi yêu cầu khởi kiện",
        ),
        absent=("Phán quyết của tòa vụ vay ngân hàng mua biệt thự: Kinh nghiệm pháp lý",),
    ),
    Page(
        "tuoitre_1.html",
        "Chiến sự đẩy giá hoa nhập khẩu dịp 8-3 tăng mạnh",
        (2026, 3, 7, 8, 1),
        ("Xung đột ở khu vực Trung Đông khiến các shop hoa", "trong dịp lễ 8-3 năm nay."),
        "Nhiều chuyến bay vận chuyển hoa từ các thị trường truyền thống",
        "rau củ tươi nên không thể bảo quản lâu như hoa.",
        22,
        ("Theo cửa hàng hoa, một bó hoa hồng", "Một cửa hàng chuyển hướng sang các sản phẩm"),
        "NHẬT XUÂN - NGHI VŨ",
        headings=(
            "Hoa nhập khẩu thiếu hàng",
            "Chi phí tăng nhưng vẫn lo chất lượng",
            'Hoa nội địa có "té nước theo mưa"?',
            "Hoa tiền triệu hạ nhiệt, bó quà rau củ lên ngôi",
        ),
        absent=("Đọc tiếp", "Về trang Chủ đề", "tác giả khác", "khiến xuất khẩu Việt lao đao"),
    ),
    Page(
        "tuoitre_2.html",
        "Thanh tra vụ chặt cây xanh Hà Nội trong 30 ngày",  # og:title adds "- Chính trị - …"
        (2015, 3, 23, 8, 6),
        ("TT - Trao đổi với Tuổi Trẻ, ông Hoàng Nam Sơn", '"chúng tôi sẽ kiểm điểm nghiêm túc".'),
        "Ngày 22-3, Chủ tịch UBND TP Hà Nội Nguyễn Thế Thảo",
        "Chậm nhất trong 30 ngày phải báo cáo kết quả cho UBND TP.",
        10,
        ("Chủ tịch UBND TP giao chánh thanh tra TP chủ trì thanh tra vụ chặt cây xanh - Ảnh: V.D",),
        "XUÂN LONG",
        absent=(
            "Tuổi Trẻ Online",
            "Từ khóa",
            "Bình luận",
            "Thông tin bạn đọc",
            "Thông báo",
            "Tin liên quan",
            "23/03/2015",
        ),
    ),
    Page(
        "tuoitre_3.html",
        "Thanh tra vụ chặt cây xanh Hà Nội trong 30 ngày",
        (2015, 3, 23, 8, 6),
        ("TT - Trao đổi với Tuổi Trẻ, ông Hoàng Nam Sơn", '"chúng tôi sẽ kiểm điểm nghiêm túc".'),
        "Ngày 22-3, Chủ tịch UBND TP Hà Nội Nguyễn Thế Thảo",
        "Chậm nhất trong 30 ngày phải báo cáo kết quả cho UBND TP.",
        10,
        ("Chủ tịch UBND TP giao chánh thanh tra TP chủ trì thanh tra vụ chặt cây xanh - Ảnh: V.D",),
        "XUÂN LONG",
        absent=("Từ khóa", "Bình luận", "Thông báo", "Tin liên quan", "Tin cùng chuyên mục"),
    ),
    Page(
        "vietnamnet_1.html",
        "Cổ phiếu FLC được giao dịch trở lại",
        (2026, 3, 7, 8, 52),
        ("CTCP Tập đoàn FLC cho biết cổ phiếu FLC", "Chứng khoán Artex kể từ ngày 6/3/2026."),
        "Theo thông báo của doanh nghiệp, Chứng khoán Artex",
        "trước khi bị hủy đăng ký giao dịch hoàn toàn.",
        8,
        ("Một dự án của FLC. Ảnh: Hồng Khanh",),
        "Duy Anh",
        absent=("Xem các bài viết của tác giả", "Sao chép liên kết"),
    ),
    Page(
        "vnexpress_1.html",  # a photo story: each description is also kept hidden, once
        "Tuần tra trong đêm âm 2 độ C",
        (2021, 1, 13, 0, 0),
        ("Hà Giang - Hơn 23h, chiến sĩ Nông Văn Tân", "xã Thượng Phùng, huyện Mèo Vạc."),
        "Miền Bắc bước vào ngày thứ sáu của đợt rét đậm",
        "xử phạt hành chính gần 2.800 người.",
        15,
        ("Tuần tra trong băng tuyết. Video: Đồn biên phòng Xín Cái",),
        "Giang Huy - Hoàng Phương",
        absent=("GiangHơn",),
    ),
    Page(
        "vnexpress_2.html",
        "Ông Hồ Đức Phớc: Sẽ nâng mức giảm trừ gia cảnh tính thuế cá nhân khi sửa luật",
        (2023, 11, 2, 19, 20),
        ("Bộ trưởng Tài chính Hồ Đức Phớc thừa nhận", "và sẽ tăng mức này khi sửa luật."),
        "Thông tin trên được Bộ trưởng Tài chính Hồ Đức Phớc chia sẻ",
        "lớn hơn nhiều so với tỷ lệ 40% mà Bộ Tài chính xác định.",
        10,
        ("Ông Hồ Đức Phớc, Bộ trưởng Tài chính. Ảnh: Hoàng Phong",),
        "Anh Minh",
    ),
    Page(
        "vnexpress_3.html",
        "Việt Nam dự kiến mở lại toàn bộ đường bay quốc tế từ 15/2",
        (2022, 2, 13, 16, 8),
        ("Cục Hàng không Việt Nam đã thông báo", "thương mại quốc tế từ ngày 15/2."),
        "Ông Đinh Việt Sơn, Phó cục trưởng Hàng không Việt Nam",
        "khi đại dịch đang từng bước được kiểm soát.",
        7,
        ("Máy bay tại Tân Sơn Nhất. Ảnh: Quỳnh Trần.",),
        "Đoàn Loan",
        absent=(
            "Khách quốc tế đến Việt Nam không phải xét nghiệm nhanh",
            "Hàng không mở lại 8 đường bay quốc tế",
        ),
    ),
    Page(
        "vnexpress_4.html",
        "Cách các nước đối phó cú sốc năng lượng từ Trung Đông",
        (2026, 3, 7, 0, 5),
        ("Trung Quốc, Nhật Bản, Thái Lan hạn chế", "khi thị trường năng lượng gián đoạn."),
        "Xung đột giữa Mỹ - Israel với Iran đã bước sang ngày thứ 6",
        "trong bối cảnh thị trường thế giới biến động mạnh.",
        24,
        ("Công nhân đi qua các ống dẫn dầu", "Tàu dầu gần thành phố cảng Nakhodka"),
        "Hà Thu (tổng hợp)",
        headings=(
            "Hạn chế xuất khẩu nhiên liệu",
            "Giảm công suất lọc hóa dầu",
            "Tìm nguồn cung thay thế",
            "Hỗ trợ doanh nghiệp",
        ),
        absent=("Ý kiến",),
    ),
    Page(
        "znews_1.html",
        "Apple hủy bỏ dự án quan trọng",
        (2025, 2, 2, 5, 1),
        ("Việc Apple tiếp tục hủy bỏ dự án quan trọng", "kế hoạch trong tương lai của công ty."),
        "Trong khi Mark Zuckerberg và Meta tiếp tục thúc đẩy",
        # The body's note box on the books about Apple closes the article
        "các tác giả dành nhiều năm để mang tới những câu chuyện hấp dẫn",
        7,
        ("Apple tiếp tục hủy bỏ một dự án phát triển kính AR. Ảnh: Bloomberg.",),
        "Minh Hoàng",
        headings=("Những câu chuyện bên trong Apple",),
        absent=(
            "quả đắng",
            "Tầm nhìn mù mịt của Apple Vision Pro",
            "Meta khiến Apple đổi kế hoạch",
            "đứng trước nguy cơ bị Apple dừng sản xuất",
        ),
    ),
)


def _address(file: str) -> str:
    sources = shared_path("corpus", "articles", "SOURCES.md").read_text(encoding="utf-8")
    m = re.search(rf"^- `{re.escape(file)}`: (\S+)$", sources, re.M)
    assert m, file
    return m[1]


def _texts(ft: FullText, kind: BlockKind) -> list[str]:
    return [b.text for b in ft.blocks if b.kind is kind]


@pytest.mark.parametrize("page", PAGES, ids=[p.file.removesuffix(".html") for p in PAGES])
def test_real_page_comes_out_as_a_reader_sees_it(page: Page) -> None:
    path = shared_path("corpus", "articles", page.file)
    ft = extract_article(path.read_bytes(), _address(page.file))

    assert ft.title == page.title
    assert ft.published == datetime(*page.date, tzinfo=VIETNAM)
    assert ft.lead is not None
    assert ft.lead.startswith(page.lead[0]) and ft.lead.endswith(page.lead[1]), ft.lead
    assert ft.blocks[0].kind is BlockKind.LEAD

    paragraphs = _texts(ft, BlockKind.PARAGRAPH)
    assert paragraphs[0].startswith(page.first), paragraphs[0]
    assert paragraphs[-1].endswith(page.last), paragraphs[-1]
    assert len(paragraphs) == page.paragraphs
    assert len(set(paragraphs)) == len(paragraphs), "a paragraph shown twice"

    captions = _texts(ft, BlockKind.CAPTION)
    assert len(captions) == len(page.captions), captions
    for caption, start in zip(captions, page.captions, strict=True):
        assert caption.startswith(start), caption
    for caption in captions:  # a caption is never also a body paragraph
        assert caption not in paragraphs

    if page.headings:
        assert _texts(ft, BlockKind.HEADING) == list(page.headings)
    bylines = _texts(ft, BlockKind.BYLINE)
    assert bylines == ([page.byline] if page.byline else [])
    if page.byline:
        assert ft.blocks[-1].kind is BlockKind.BYLINE

    everything = "\n".join([ft.title or "", *(b.text for b in ft.blocks)])
    for furniture in page.absent:
        assert furniture not in everything, furniture
    # Nothing a reader cannot see (cafef_1 closes a paragraph with a BOM, U+FEFF)
    hidden = [hex(ord(c)) for c in everything if ord(c) in INVISIBLE]
    assert hidden == [], hidden
