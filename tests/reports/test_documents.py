"""The 2020 year-end summary of Cluster No. 4 as Word, PDF and Excel, and the roll-up, on the
demo data with the conference's ballots run through the awards services: the files are opened
and their text asserted; the PDF's pages are rendered to tests/reports/screenshots/ to look at."""

import io
import re
import subprocess
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from reports import documents
from reports.content import rollup_part, summary_of
from reports.demo import KEY_TASKS_2021
from tests import demo as whole_demo
from tests.reports.demo_data import MEMBERS_2020, cluster_year
from tests.reports.test_content import FOURTEEN, MISSING_SENTENCES, remove_the_missing_facts

# The fixtures of the whole demo, loaded once for the module.
demo, demo_media = whole_demo.demo, whole_demo.demo_media
_demo_loaded, _demo_settings = whole_demo._demo_loaded, whole_demo._demo_settings

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # the whole demo, PDFs rendered
SHOTS = Path(__file__).parent / "screenshots"
FLAG = "Cờ thi đua của Ban Tổ chức Trung ương"
MERIT = "Bằng khen của Trưởng Ban Tổ chức Trung ương"

RANKING_ROWS = [
    "Hạng | Đơn vị | Điểm cơ bản | Điểm thưởng | Điểm trừ | Tổng điểm | Xếp loại",
    "1 | Ban Tổ chức Tỉnh ủy Lâm Đồng | 96 | 3 | 0 | 99 | Xuất sắc",
    "2 | Ban Tổ chức Tỉnh ủy Tây Ninh | 95,5 | 3 | 0,5 | 98 | Xuất sắc",
    "3 | Ban Tổ chức Tỉnh ủy Bà Rịa - Vũng Tàu | 94,5 | 2 | 0 | 96,5 | Xuất sắc",
    "4 | Ban Tổ chức Tỉnh ủy Tiền Giang | 92 | 3 | 1 | 94 | Tốt",
    "5 | Ban Tổ chức Tỉnh ủy Long An | 91,5 | 1 | 0 | 92,5 | Tốt",
    "6 | Ban Tổ chức Tỉnh ủy Đồng Nai | 91 | 2 | 0,5 | 92,5 | Tốt",
    "7 | Ban Tổ chức Tỉnh ủy Bình Dương | 89,5 | 0 | 0 | 89,5 | Tốt",
    "8 | Ban Tổ chức Thành ủy Thành phố Hồ Chí Minh | 88 | 1 | 0 | 89 | Tốt",
    "9 | Ban Tổ chức Tỉnh ủy Bình Thuận | 87 | 0 | 0,5 | 86,5 | Tốt",
    "10 | Ban Tổ chức Tỉnh ủy Bình Phước | 85 | 0 | 1 | 84 | Khá",
    "11 | Ban Tổ chức Tỉnh ủy Ninh Thuận | 83 | 0 | 1,5 | 81,5 | Khá",
]


def docx_lines(content: bytes) -> list[str]:
    """Paragraphs, then each table's rows as "cell | cell"."""
    document = Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return lines


def pdf_text(content: bytes, tmp_path: Path) -> str:
    """The PDF's text with its line breaks and runs of spaces made single spaces."""
    path = tmp_path / "summary.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()
    return re.sub(r"\s+", " ", text)


def screenshots(content: bytes, name: str, tmp_path: Path) -> list[Path]:
    SHOTS.mkdir(exist_ok=True)
    for old in SHOTS.glob(f"{name}-*.png"):
        old.unlink()
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(content)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(path), str(SHOTS / name)], check=True)
    return sorted(SHOTS.glob(f"{name}-*.png"))


@pytest.fixture
def summary(demo):
    return summary_of(cluster_year(2020))


# Word -----------------------------------------------------------------------------------------


def test_the_word_file(summary):
    content = documents.summary_docx(summary)
    document = Document(io.BytesIO(content))
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.styles["Normal"].font.size.pt == 14
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    header = document.tables[0].rows[0].cells
    assert header[0].text == "CỤM THI ĐUA SỐ 4\n*\nSố 35-BC/CTĐ4"
    assert header[1].text == "ĐẢNG CỘNG SẢN VIỆT NAM\n\nTây Ninh, ngày 04 tháng 12 năm 2020"
    assert header[1].paragraphs[2].runs[0].italic
    assert header[1].paragraphs[0].runs[0].underline

    lines = docx_lines(content)
    paragraphs = [p.text for p in document.paragraphs]
    title = paragraphs.index("BÁO CÁO")
    assert paragraphs[title + 1] == (
        "Tổng kết công tác thi đua năm 2020 và phương hướng, nhiệm vụ năm 2021"
    )
    assert document.paragraphs[title].runs[0].bold
    # What is missing, in a framed box under the title.
    assert (
        "Lưu ý khi hoàn thiện báo cáo (còn thiếu):\n- Báo cáo của 1 đơn vị chưa được duyệt: "
        "Bình Phước." in lines
    )

    headings = [p.text for p in document.paragraphs if p.runs and p.runs[0].bold]
    assert [h for h in headings if re.match(r"^[IV]+\. ", h)] == [
        "I. ĐẶC ĐIỂM TÌNH HÌNH VÀ KẾT QUẢ TỔ CHỨC PHONG TRÀO THI ĐUA",
        "II. KẾT QUẢ CHẤM ĐIỂM, XẾP LOẠI THI ĐUA",
        "III. KẾT QUẢ BÌNH XÉT, ĐỀ NGHỊ KHEN THƯỞNG",
        "IV. ƯU ĐIỂM, HẠN CHẾ, NGUYÊN NHÂN VÀ BÀI HỌC KINH NGHIỆM",
        "V. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2021",
        "VI. ĐỀ XUẤT, KIẾN NGHỊ",
    ]
    members = paragraphs.index(
        "Năm 2020, Cụm thi đua số 4, Ngành Tổ chức xây dựng Đảng có 11 đơn vị thành viên:"
    )
    assert paragraphs[members + 1 : members + 12] == [
        f"- {name};" for name in MEMBERS_2020[:-1]
    ] + [f"- {MEMBERS_2020[-1]}."]
    for line in [
        "Lãnh đạo Cụm năm 2020: Cụm trưởng: Ban Tổ chức Tỉnh ủy Tây Ninh; Cụm phó Thường trực: "
        "Ban Tổ chức Tỉnh ủy Bà Rịa - Vũng Tàu; Cụm phó: Ban Tổ chức Tỉnh ủy Lâm Đồng.",
        "Cụm đã xây dựng Kế hoạch tổ chức phong trào thi đua năm 2020 của Cụm thi đua số 4 (văn "
        "bản chưa được lưu trên hệ thống).",
        "Giao ước thi đua năm 2021: 9/11 đơn vị đã ký; chưa ký: Bình Phước, Ninh Thuận.",
        "- Hội nghị tổng kết công tác thi đua năm 2020, tại Tây Ninh, ngày 04/12/2020.",
        "Bảng xếp hạng thi đua năm 2020 được công bố ngày 04/12/2020. Kết quả xếp loại: 3 đơn vị "
        "Xuất sắc, 6 đơn vị Tốt, 2 đơn vị Khá.",
        "Biểu đồ 1. Tổng điểm thi đua năm 2020",
        "Biểu đồ 2. Tổng điểm thi đua của các đơn vị, năm 2019 - 2020",
        "Tại Hội nghị tổng kết công tác thi đua năm 2020, qua bình xét và bỏ phiếu kín, Cụm "
        "thống nhất đề nghị cấp có thẩm quyền khen thưởng:",
        f"1. {FLAG}: 2 tập thể",
        f"2. {MERIT}: 4 tập thể",
        f"3. {MERIT}: 14 cá nhân",
        "Kết quả bỏ phiếu kín (Đề nghị tặng Cờ thi đua của Ban Tổ chức Trung ương, 04/12/2020): "
        "phát ra 11 phiếu, thu vào 11 phiếu, hợp lệ 11 phiếu, không hợp lệ 0 phiếu.",
        "STT | Tập thể, cá nhân | Số phiếu | Tỷ lệ | Kết quả",
        "1 | Lâm Đồng | 10 | 90,91% | Được đề nghị",
        "2 | Tây Ninh | 9 | 81,82% | Được đề nghị",
        "3 | Bà Rịa - Vũng Tàu | 2 | 18,18% | Không đạt",
        "4 | Đồng Nai | 7 | 63,64% | Bằng phiếu",
        "5 | Bình Dương | 7 | 63,64% | Bằng phiếu",
        "Kết quả bỏ phiếu kín (Đề nghị tặng Bằng khen của Trưởng Ban Tổ chức Trung ương cho tập "
        "thể (bầu lại), 04/12/2020): phát ra 11 phiếu, thu vào 11 phiếu, hợp lệ 11 phiếu, không "
        "hợp lệ 0 phiếu.",
        "1 | Đồng Nai | 7 | 63,64% | Được đề nghị",
        "2 | Bình Dương | 4 | 36,36% | Không đạt",
        "Tổng hợp từ báo cáo của 11/11 đơn vị thành viên:",
        "1. Kết quả đạt được",
        "2. Hạn chế",
        "3. Nguyên nhân của hạn chế",
        "4. Bài học kinh nghiệm",
        "Đơn vị | Chỉ tiêu | Số liệu",
        "Ban Tổ chức Tỉnh ủy Bà Rịa - Vũng Tàu | Đảng viên mới kết nạp | 1.604 người",
        " | Hồ sơ đảng viên được chuẩn hóa | 56.280 hồ sơ",
        "- Cụm trưởng: Ban Tổ chức Tỉnh ủy Bà Rịa - Vũng Tàu;",
        "- Cụm phó Thường trực: Ban Tổ chức Tỉnh ủy Tây Ninh;",
        "- Cụm phó: Ban Tổ chức Tỉnh ủy Bình Thuận.",
        *RANKING_ROWS,
    ]:
        assert line in lines, line
    flags = paragraphs.index(f"1. {FLAG}: 2 tập thể")
    assert paragraphs[flags + 1 : flags + 3] == [
        "1. Ban Tổ chức Tỉnh ủy Lâm Đồng",
        "2. Ban Tổ chức Tỉnh ủy Tây Ninh",
    ]
    units = paragraphs.index(f"2. {MERIT}: 4 tập thể")
    assert paragraphs[units + 1 : units + 5] == [
        "1. Ban Tổ chức Tỉnh ủy Bà Rịa - Vũng Tàu",
        "2. Ban Tổ chức Tỉnh ủy Tiền Giang",
        "3. Ban Tổ chức Tỉnh ủy Long An",
        "4. Ban Tổ chức Tỉnh ủy Đồng Nai",
    ]
    people = paragraphs.index(f"3. {MERIT}: 14 cá nhân")
    assert paragraphs[people + 1 : people + 15] == [
        f"{n}. {name}" for n, name in enumerate(FOURTEEN, 1)
    ]
    assert paragraphs[people + 15] != "15. Võ Minh Trí, Trưởng ban, Ban Tổ chức Tỉnh ủy Long An"
    # The units' achievements and limitations, merged with the unit named.
    achievements = paragraphs.index("1. Kết quả đạt được")
    limitations = paragraphs.index("2. Hạn chế")
    merged = paragraphs[achievements + 1 : limitations]
    assert [line.split(":")[0] for line in merged] == [
        f"{name} (báo cáo chưa được duyệt)" if "Bình Phước" in name else name
        for name in MEMBERS_2020
    ]
    assert merged[5].startswith(
        "Ban Tổ chức Tỉnh ủy Lâm Đồng: Đi đầu trong Cụm về chuyển đổi số công tác đảng viên"
    )
    assert paragraphs[limitations + 3].startswith(
        "Ban Tổ chức Tỉnh ủy Bình Phước (báo cáo chưa được duyệt): Kết nạp đảng viên ở vùng"
    )
    tasks = paragraphs.index("1. Nhiệm vụ trọng tâm")
    assert paragraphs[tasks + 1 : tasks + 8] == [
        f"{n}. {task}" for n, task in enumerate(KEY_TASKS_2021, 1)
    ]
    assert paragraphs[tasks + 8] == "2. Lãnh đạo Cụm năm 2021"
    closing = document.tables[-1].rows[0].cells
    assert closing[0].text == (
        "Nơi nhận:\n- Vụ Địa phương III, Ban Tổ chức Trung ương;\n"
        "- Các đơn vị thành viên Cụm thi đua số 4;\n- Lưu."
    )
    assert closing[1].text == (
        "TM. CỤM THI ĐUA SỐ 4\nCỤM TRƯỞNG\nBan Tổ chức Tỉnh ủy Tây Ninh\n"
        "(Ký, ghi rõ họ tên, đóng dấu)\n\n\n\nNguyễn Thanh Ngọc"
    )
    assert len(document.inline_shapes) == 2  # the two charts
    assert round(document.inline_shapes[0].width.mm) == 160


def test_the_word_file_says_what_is_missing(demo):
    content = documents.summary_docx(summary_of(remove_the_missing_facts()))
    lines = docx_lines(content)
    assert (
        "Lưu ý khi hoàn thiện báo cáo (còn thiếu):\n"
        + "\n".join(f"- {line}" for line in MISSING_SENTENCES)
        in lines
    )
    for line in [
        "Bảng xếp hạng chưa được công bố.",
        "Chưa nhập nhiệm vụ trọng tâm năm 2021.",
        "Chưa có lãnh đạo cụm năm 2021.",
        "Tổng hợp từ báo cáo của 0/11 đơn vị thành viên:",
        "(Chưa có nội dung từ báo cáo của các đơn vị.)",
        "(Chưa có số liệu từ báo cáo của các đơn vị.)",
    ]:
        assert line in lines, line
    assert not any(line.startswith("Hạng | Đơn vị") for line in lines)
    assert len(Document(io.BytesIO(content)).inline_shapes) == 0


# PDF -----------------------------------------------------------------------------------------


def test_the_pdf(summary, tmp_path):
    content = documents.summary_pdf(summary)
    assert content.startswith(b"%PDF")
    text = pdf_text(content, tmp_path)
    for line in [
        "CỤM THI ĐUA SỐ 4 * Số 35-BC/CTĐ4",
        "ĐẢNG CỘNG SẢN VIỆT NAM Tây Ninh, ngày 04 tháng 12 năm 2020",
        "BÁO CÁO Tổng kết công tác thi đua năm 2020 và phương hướng, nhiệm vụ năm 2021",
        "- Báo cáo của 1 đơn vị chưa được duyệt: Bình Phước.",
        *(f"- {name}" for name in MEMBERS_2020),
        "II. KẾT QUẢ CHẤM ĐIỂM, XẾP LOẠI THI ĐUA",
        # The ranking's figures as printed, row by row (the text of a row's cells comes out of
        # the PDF in reading order, so the unit names are checked apart).
        *(" ".join(row.split(" | ")[2:]) for row in RANKING_ROWS[1:]),
        "Biểu đồ 1. Tổng điểm thi đua năm 2020",
        f"1. {FLAG}: 2 tập thể 1. Ban Tổ chức Tỉnh ủy Lâm Đồng 2. Ban Tổ chức Tỉnh ủy Tây Ninh",
        "1 Lâm Đồng 10 90,91% Được đề nghị",
        "3 Bà Rịa - Vũng Tàu 2 18,18% Không đạt",
        f"2. {MERIT}: 4 tập thể",
        f"3. {MERIT}: 14 cá nhân",
        *(f"{n}. {name}" for n, name in enumerate(FOURTEEN, 1)),
        "Ban Tổ chức Tỉnh ủy Lâm Đồng: Đi đầu trong Cụm về chuyển đổi số công tác đảng viên",
        "V. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2021",
        *(f"{n}. {task}" for n, task in enumerate(KEY_TASKS_2021, 1)),
        "- Cụm trưởng: Ban Tổ chức Tỉnh ủy Bà Rịa - Vũng Tàu;",
        "TM. CỤM THI ĐUA SỐ 4 CỤM TRƯỞNG",
        "Ban Tổ chức Tỉnh ủy Tây Ninh (Ký, ghi rõ họ tên, đóng dấu) Nguyễn Thanh Ngọc",
    ]:
        assert line in text, line
    assert "15. Võ Minh Trí" not in text
    ranking = text[text.index("Hạng Đơn vị") : text.index("Biểu đồ 1.")]
    assert all(name.split(" - ")[0] in ranking for name in MEMBERS_2020)
    fonts = subprocess.run(
        ["pdffonts", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    assert "Liberation-Serif" in fonts and "DejaVu" not in fonts
    pages = screenshots(content, "summary-2020", tmp_path)
    assert len(pages) >= 6


def test_the_pdf_says_what_is_missing(demo, tmp_path):
    content = documents.summary_pdf(summary_of(remove_the_missing_facts()))
    text = pdf_text(content, tmp_path)
    for line in [
        "Lưu ý khi hoàn thiện báo cáo (còn thiếu):",
        *(f"- {line}" for line in MISSING_SENTENCES),
        "II. KẾT QUẢ CHẤM ĐIỂM, XẾP LOẠI THI ĐUA Bảng xếp hạng chưa được công bố.",
        "1. Nhiệm vụ trọng tâm Chưa nhập nhiệm vụ trọng tâm năm 2021.",
        "2. Lãnh đạo Cụm năm 2021 Chưa có lãnh đạo cụm năm 2021.",
    ]:
        assert line in text, line
    screenshots(content, "summary-missing", tmp_path)


# Excel ---------------------------------------------------------------------------------------


def test_the_excel_annex(summary):
    workbook = load_workbook(io.BytesIO(documents.summary_xlsx(summary)))
    assert workbook.sheetnames == ["Xếp hạng", "Bảng điểm", "Khen thưởng", "Còn thiếu"]
    ranking = workbook["Xếp hạng"]
    assert ranking["A1"].value == (
        "Kết quả chấm điểm, xếp loại thi đua – Cụm thi đua số 4, Ngành Tổ chức xây dựng Đảng – "
        "năm 2020"
    )
    assert ranking["A2"].value == "Bảng xếp hạng công bố ngày 04/12/2020."
    assert [c.value for c in ranking[3]][:7] == [
        "Hạng",
        "Đơn vị",
        "Điểm cơ bản",
        "Điểm thưởng",
        "Điểm trừ",
        "Tổng điểm",
        "Xếp loại",
    ]
    assert [c.value for c in ranking[4]][:7] == [1, "Lâm Đồng", 96, 3, 0, 99, "Xuất sắc"]
    assert [c.value for c in ranking[6]][:7] == [
        3,
        "Bà Rịa - Vũng Tàu",
        94.5,
        2,
        0,
        96.5,
        "Xuất sắc",
    ]
    assert ranking["F14"].value == 81.5 and ranking["F14"].number_format == "0.00"
    assert len(ranking._charts) == 1

    scores = workbook["Bảng điểm"]
    heads = [c.value for c in scores[3]]
    assert heads[:4] == ["Số TT", "Tiêu chí", "Điểm tối đa", "Lâm Đồng"]
    assert len(heads) == 3 + 11
    assert [scores.cell(row=4, column=c).value for c in (1, 2, 3)] == [
        "I",
        "Công tác tham mưu, hướng dẫn",
        25,
    ]
    assert scores.cell(row=4, column=4).font.bold
    rows = {scores.cell(row=r, column=2).value: r for r in range(4, scores.max_row + 1)}
    assert len(summary.criteria) == 29 and rows["Tổng điểm"] == 4 + 29 + 3
    total = [scores.cell(row=rows["Tổng điểm"], column=c).value for c in range(4, 15)]
    assert total == [99, 98, 96.5, 94, 92.5, 92.5, 89.5, 89, 86.5, 84, 81.5]
    assert scores.cell(row=rows["Điểm trừ"], column=5).value == 0.5  # Tây Ninh's deduction

    awards = workbook["Khen thưởng"]
    cells = [[c.value for c in row] for row in awards.iter_rows(min_row=3)]
    assert cells[0][:3] == ["Hình thức khen thưởng", "STT", "Tập thể, cá nhân được đề nghị"]
    assert cells[1][:3] == [FLAG, 1, "Ban Tổ chức Tỉnh ủy Lâm Đồng"]
    assert cells[2][:3] == [None, 2, "Ban Tổ chức Tỉnh ủy Tây Ninh"]
    assert cells[3][:3] == [MERIT, 1, "Ban Tổ chức Tỉnh ủy Bà Rịa - Vũng Tàu"]
    assert sum(1 for row in cells if row[2] in FOURTEEN) == 14
    assert [1, "Lâm Đồng", 10, 90.91, "Được đề nghị"] in [row[:5] for row in cells]
    assert [5, "Bình Dương", 7, 63.64, "Bằng phiếu"] in [row[:5] for row in cells]
    assert workbook["Còn thiếu"]["A3"].value == "Báo cáo của 1 đơn vị chưa được duyệt: Bình Phước."


def test_the_excel_annex_without_a_published_ranking(demo):
    workbook = load_workbook(
        io.BytesIO(documents.summary_xlsx(summary_of(remove_the_missing_facts())))
    )
    ranking = workbook["Xếp hạng"]
    assert ranking["A2"].value == "Bảng xếp hạng chưa được công bố."
    assert ranking["A4"].value is None and not ranking._charts
    assert workbook["Bảng điểm"]["A2"].value == "Bảng xếp hạng chưa được công bố."
    assert [c.value for c in workbook["Còn thiếu"]["A"]][2:] == MISSING_SENTENCES


# The roll-up ---------------------------------------------------------------------------------


def test_the_rollup(demo):
    complete = rollup_part(cluster_year(2020))
    lacking = dict(
        complete,
        cluster="Cụm thi đua số 5 (giả định)",
        cluster_number=5,
        ranking_published=False,
        ranking=[],
        awards=[],
        next_leader="",
        reports_received=3,
        missing=["Bảng xếp hạng chưa được công bố.", "Chưa có lãnh đạo cụm năm 2021."],
    )
    workbook = load_workbook(io.BytesIO(documents.rollup_xlsx(2020, [complete, lacking])))
    assert workbook.sheetnames == [
        "Tổng hợp",
        "Cụm thi đua số 4, Ngành Tổ chức",
        "Cụm thi đua số 5 (giả định)",
        "Xếp hạng chung",
    ]
    summary = workbook["Tổng hợp"]
    assert [c.value for c in summary[4]] == [
        1,
        "Cụm thi đua số 4, Ngành Tổ chức xây dựng Đảng",
        11,
        "Đã công bố",
        "Lâm Đồng",
        99,
        "Ban Tổ chức Tỉnh ủy Bà Rịa - Vũng Tàu",
        20,
        "11/11",
        None,
    ]
    assert [c.value for c in summary[5]] == [
        2,
        "Cụm thi đua số 5 (giả định)",
        11,
        "Chưa công bố",
        None,
        None,
        None,
        0,
        "3/11",
        "Bảng xếp hạng chưa được công bố. Chưa có lãnh đạo cụm năm 2021.",
    ]
    cluster = workbook["Cụm thi đua số 4, Ngành Tổ chức"]
    assert [c.value for c in cluster[4]] == [1, "Ban Tổ chức Tỉnh ủy Lâm Đồng", 99, "Xuất sắc"]
    combined = workbook["Xếp hạng chung"]
    assert combined.max_row == 3 + 11
    assert [c.value for c in combined[4]] == [
        1,
        "Ban Tổ chức Tỉnh ủy Lâm Đồng",
        "Cụm thi đua số 4, Ngành Tổ chức xây dựng Đảng",
        1,
        99,
        "Xuất sắc",
    ]

    lines = docx_lines(
        documents.rollup_docx(
            2020, [complete, lacking], "Vụ Địa phương III, Ban Tổ chức Trung ương"
        )
    )
    assert lines[-1] == (
        "BAN TỔ CHỨC TRUNG ƯƠNG\nVỤ ĐỊA PHƯƠNG III\n* | ĐẢNG CỘNG SẢN VIỆT NAM\n\n"
        "Ngày      tháng      năm 2021"
    )
    for line in [
        "BÁO CÁO TỔNG HỢP",
        "Kết quả công tác thi đua năm 2020 của các cụm, khối thi đua",
        "Tổng hợp từ báo cáo của 2 cụm, khối thi đua do Vụ Địa phương III, Ban Tổ chức Trung "
        "ương theo dõi:",
        "1. Cụm thi đua số 4, Ngành Tổ chức xây dựng Đảng",
        "- Số đơn vị thành viên: 11; báo cáo của các đơn vị đã nhận: 11/11.",
        "- Dẫn đầu bảng xếp hạng: 1. Lâm Đồng (99 điểm), 2. Tây Ninh (98 điểm), 3. Bà Rịa - Vũng "
        "Tàu (96,5 điểm).",
        f"- {FLAG}: 2 tập thể (Lâm Đồng, Tây Ninh).",
        f"- {MERIT}: 4 tập thể (Bà Rịa - Vũng Tàu, Tiền Giang, Long An, Đồng Nai).",
        f"- {MERIT}: 14 cá nhân.",
        "- Cụm trưởng năm 2021: Ban Tổ chức Tỉnh ủy Bà Rịa - Vũng Tàu.",
        "2. Cụm thi đua số 5 (giả định)",
        "- Bảng xếp hạng chưa được công bố.",
        "- Chưa có danh sách đề nghị khen thưởng năm 2020.",
        "- Cụm trưởng năm 2021: chưa có.",
        "- Còn thiếu: Bảng xếp hạng chưa được công bố. Chưa có lãnh đạo cụm năm 2021.",
    ]:
        assert line in lines, line
