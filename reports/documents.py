"""The year-end summary (Báo cáo tổng kết công tác thi đua) as Word, PDF and an Excel annex, and
the roll-up of several clusters for the supervising body as Excel and a short Word summary.

Word is the primary format (the secretariat edits it before signing), in the Party's format
(Hướng dẫn 36-HD/VPTW), with the primitives of common.documents.
The Word and PDF files say the same thing because both are rendered from one list of blocks
(`blocks_of`). Charts are PNG images drawn by matplotlib with a font that has every Vietnamese
glyph. Builders are pure: a Summary (or roll-up parts) in, bytes out; no database access.
"""

import base64
import io
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment

from common.documents import (
    cell_para,
    closing,
    new_document,
    para,
    party_header,
    place_date,
    render_pdf,
    to_bytes,
)
from common.formatting import short_date, vn_number
from common.spreadsheets import (
    BOLD,
    BOX,
    ITALIC,
    TWO_DECIMALS,
    header_cell,
    number_cell,
    set_widths,
    sheet_title,
    text_cell,
    title_rows,
)

from .content import RANKING_NOT_PUBLISHED, Summary

# Checked against a font's character map before a chart uses it.
VIETNAMESE_SAMPLE = "ĐẢNG CỘNG SẢN VIỆT NAM ỷ ỹ ữ ự ở ợ ừ ứ ử ễ ệ ề ế ể ẫ ậ ầ ấ ẩ ặ ằ ắ ẳ ẵ ơ ư"


# Blocks: what the Word file and the PDF both print --------------------------------------------


@dataclass
class Block:
    kind: str  # h1, h2, para, line, note, entry, table, image
    text: str = ""
    label: str = ""  # entry: the unit named before its text
    heads: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    numeric: tuple[int, ...] = ()  # table columns aligned right
    image: bytes = b""
    italic: bool = False

    @property
    def image_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.image).decode()


def _grades_text(summary: Summary) -> str:
    return ", ".join(f"{n} đơn vị {grade}" for grade, n in summary.grade_counts)


def blocks_of(summary: Summary) -> list[Block]:
    """The body of the summary, from the opening to the proposals, in order."""
    b: list[Block] = []
    year, next_year = summary.year, summary.next_year
    b.append(
        Block(
            "para",
            f"Thực hiện kế hoạch tổ chức phong trào thi đua năm {year}, {summary.cluster_name} "
            f"báo cáo tổng kết công tác thi đua năm {year} và phương hướng, nhiệm vụ năm "
            f"{next_year} như sau:",
        )
    )

    b.append(Block("h1", "I. ĐẶC ĐIỂM TÌNH HÌNH VÀ KẾT QUẢ TỔ CHỨC PHONG TRÀO THI ĐUA"))
    b.append(Block("h2", "1. Đặc điểm tình hình"))
    b.append(
        Block(
            "para",
            f"Năm {year}, {summary.cluster_name} có {len(summary.members)} đơn vị thành viên:",
        )
    )
    last = len(summary.members) - 1
    for i, member in enumerate(summary.members):
        b.append(Block("line", f"- {member.name}{'.' if i == last else ';'}"))
    if summary.leadership:
        b.append(
            Block(
                "para",
                f"Lãnh đạo Cụm năm {year}: "
                + "; ".join(f"{role}: {unit}" for role, unit in summary.leadership)
                + ".",
            )
        )
    b.append(Block("h2", "2. Kế hoạch thi đua và giao ước thi đua"))
    if summary.plan_title:
        kept = "" if summary.plan_document else " (văn bản chưa được lưu trên hệ thống)"
        b.append(Block("para", f"Cụm đã xây dựng {summary.plan_title}{kept}."))
    else:
        b.append(Block("para", f"Chưa có kế hoạch thi đua năm {year} trên hệ thống."))
    for pledge in (summary.pledge, summary.next_pledge):
        if pledge is not None:
            b.append(Block("para", pledge.text))
    b.append(Block("h2", "3. Các hội nghị của Cụm"))
    if summary.conferences:
        for conference in summary.conferences:
            b.append(Block("line", f"- {conference.text}"))
    else:
        b.append(Block("para", f"Chưa có hội nghị nào của Cụm năm {year} trên hệ thống."))
    b.append(Block("h2", "4. Phong trào thi đua chuyên đề"))
    if summary.campaigns:
        for campaign in summary.campaigns:
            b.append(Block("para", campaign.text))
            for unit, title in campaign.shortlisted:
                b.append(Block("line", f"- {unit}: {title}"))
    else:
        b.append(Block("para", "Không có phong trào thi đua chuyên đề nào trên hệ thống."))

    b.append(Block("h1", "II. KẾT QUẢ CHẤM ĐIỂM, XẾP LOẠI THI ĐUA"))
    if summary.ranking_published:
        grades = _grades_text(summary)
        b.append(
            Block(
                "para",
                f"Bảng xếp hạng thi đua năm {year} được công bố ngày "
                f"{short_date(summary.ranking_published_on)}"
                + (f". Kết quả xếp loại: {grades}." if grades else "."),
            )
        )
        b.append(
            Block(
                "table",
                heads=[
                    "Hạng",
                    "Đơn vị",
                    "Điểm cơ bản",
                    "Điểm thưởng",
                    "Điểm trừ",
                    "Tổng điểm",
                    "Xếp loại",
                ],
                rows=[line.cells for line in summary.ranking],
                numeric=(2, 3, 4, 5),
            )
        )
        ranking_png = ranking_chart(summary)
        if ranking_png:
            b.append(Block("image", image=ranking_png))
            b.append(Block("para", f"Biểu đồ 1. Tổng điểm thi đua năm {year}", italic=True))
        trend_png = trend_chart(summary)
        if trend_png:
            first, last_year = summary.trend_years[0], summary.trend_years[-1]
            b.append(Block("image", image=trend_png))
            b.append(
                Block(
                    "para",
                    f"Biểu đồ 2. Tổng điểm thi đua của các đơn vị, năm {first} - {last_year}",
                    italic=True,
                )
            )
        b.append(
            Block("para", "Điểm chi tiết theo từng tiêu chí: xem Phụ lục (tệp Excel kèm theo).")
        )
    else:
        b.append(Block("note", RANKING_NOT_PUBLISHED))

    b.append(Block("h1", "III. KẾT QUẢ BÌNH XÉT, ĐỀ NGHỊ KHEN THƯỞNG"))
    if summary.awards:
        voted = any(section.polls for section in summary.awards)
        where = summary.award_conference or "Hội nghị tổng kết"
        how = "qua bình xét và bỏ phiếu kín" if voted else "qua bình xét"
        b.append(
            Block(
                "para",
                f"Tại {where}, {how}, Cụm thống nhất đề nghị cấp có thẩm quyền khen thưởng:",
            )
        )
        for i, section in enumerate(summary.awards, start=1):
            b.append(Block("h2", f"{i}. {section.heading}"))
            for n, name in enumerate(section.candidates, start=1):
                b.append(Block("line", f"{n}. {name}"))
            for poll in section.polls:
                b.append(Block("para", poll.heading, italic=True))
                b.append(
                    Block(
                        "table",
                        heads=["STT", "Tập thể, cá nhân", "Số phiếu", "Tỷ lệ", "Kết quả"],
                        rows=[
                            [
                                str(n),
                                row.label,
                                str(row.votes),
                                row.share_text,
                                row.verdict,
                            ]
                            for n, row in enumerate(poll.rows, start=1)
                        ],
                        numeric=(2, 3),
                    )
                )
        for line in summary.proposal:
            b.append(Block("para", line))
    else:
        b.append(Block("note", f"Chưa có danh sách đề nghị khen thưởng năm {year}."))

    b.append(Block("h1", "IV. ƯU ĐIỂM, HẠN CHẾ, NGUYÊN NHÂN VÀ BÀI HỌC KINH NGHIỆM"))
    b.append(
        Block(
            "para",
            f"Tổng hợp từ báo cáo của {summary.reports_received}/{summary.reports_expected} "
            "đơn vị thành viên:",
        )
    )
    for i, key in enumerate(("achievements", "limitations", "causes", "lessons"), start=1):
        section = summary.section(key)
        b.append(Block("h2", f"{i}. {section.heading}"))
        _entries(b, section)
    b.append(Block("h2", "5. Một số số liệu chủ yếu"))
    if summary.figures:
        rows = []
        for unit, figures in summary.figures:
            for n, figure in enumerate(figures):
                rows.append([unit if n == 0 else "", figure.label, figure.value_text])
        b.append(Block("table", heads=["Đơn vị", "Chỉ tiêu", "Số liệu"], rows=rows, numeric=(2,)))
    else:
        b.append(Block("note", "(Chưa có số liệu từ báo cáo của các đơn vị.)"))

    b.append(Block("h1", f"V. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {next_year}"))
    b.append(Block("h2", "1. Nhiệm vụ trọng tâm"))
    if summary.key_tasks:
        for n, task in enumerate(summary.key_tasks, start=1):
            b.append(Block("para", f"{n}. {task}"))
    else:
        b.append(Block("note", f"Chưa nhập nhiệm vụ trọng tâm năm {next_year}."))
    b.append(Block("h2", f"2. Lãnh đạo Cụm năm {next_year}"))
    if summary.next_leadership:
        last = len(summary.next_leadership) - 1
        for i, (role, unit) in enumerate(summary.next_leadership):
            b.append(Block("line", f"- {role}: {unit}{'.' if i == last else ';'}"))
    else:
        b.append(Block("note", f"Chưa có lãnh đạo cụm năm {next_year}."))

    b.append(Block("h1", "VI. ĐỀ XUẤT, KIẾN NGHỊ"))
    _entries(b, summary.section("proposals"))
    return b


def _entries(blocks: list[Block], section) -> None:
    if not section.entries:
        blocks.append(Block("note", "(Chưa có nội dung từ báo cáo của các đơn vị.)"))
    for entry in section.entries:
        blocks.append(Block("entry", entry.text, label=entry.label))


# Charts -------------------------------------------------------------------------------------


@cache
def _chart_font():
    """A font with every Vietnamese glyph: Liberation Sans 2.x (Debian's fonts-liberation2),
    else DejaVu Sans (bundled with matplotlib). Liberation 1.x has the same name and lacks most
    of the glyphs, so each candidate's character map is checked."""
    from fontTools.ttLib import TTFont
    from matplotlib import font_manager

    wanted = {ord(ch) for ch in VIETNAMESE_SAMPLE if not ch.isspace()}
    for entry in font_manager.fontManager.ttflist:
        if entry.name != "Liberation Sans" or entry.style != "normal" or entry.weight != 400:
            continue
        try:
            cmap = TTFont(entry.fname, lazy=True).getBestCmap()
        except Exception:  # noqa: BLE001 - an unreadable font is simply not a candidate
            continue
        if wanted <= set(cmap):
            return font_manager.FontProperties(fname=entry.fname)
    return font_manager.FontProperties(family="DejaVu Sans")


def _figure(width_mm: float, height_mm: float):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return Figure(figsize=(width_mm / 25.4, height_mm / 25.4), dpi=150)


def _vn_ticks(axis) -> None:
    """Tick labels with a decimal comma (97,5)."""
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda value, _: vn_number(Decimal(str(value)), 1)))


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    return buffer.getvalue()


def ranking_chart(summary: Summary) -> bytes | None:
    """A horizontal bar of each ranked unit's total, first at the top (PNG)."""
    if "ranking" in summary.chart_cache:
        return summary.chart_cache["ranking"]
    lines = [line for line in summary.ranking if line.total is not None]
    png = None
    if lines:
        font = _chart_font()
        figure = _figure(160, 20 + 7 * len(lines))
        axes = figure.add_subplot()
        labels = [line.short_name for line in lines][::-1]
        totals = [float(line.total) for line in lines][::-1]
        bars = axes.barh(range(len(lines)), totals, color="#2f5597")
        axes.set_yticks(range(len(lines)), labels, fontproperties=font, fontsize=9)
        low = min(totals)
        axes.set_xlim(max(0, (int(low) // 10) * 10 - 10), max(totals) + 4)
        for bar, line in zip(bars, lines[::-1], strict=True):
            axes.text(
                bar.get_width() + 0.3,
                bar.get_y() + bar.get_height() / 2,
                vn_number(line.total),
                va="center",
                fontproperties=font,
                fontsize=8,
            )
        axes.set_xlabel("Tổng điểm", fontproperties=font, fontsize=9)
        axes.tick_params(axis="x", labelsize=8)
        _vn_ticks(axes.xaxis)
        axes.spines[["top", "right"]].set_visible(False)
        png = _png(figure)
    summary.chart_cache["ranking"] = png
    return png


def trend_chart(summary: Summary) -> bytes | None:
    """Each unit's total over the last published years, one line per unit (PNG)."""
    if "trend" in summary.chart_cache:
        return summary.chart_cache["trend"]
    png = None
    if len(summary.trend_years) >= 2 and summary.trend_series:
        import matplotlib

        font = _chart_font()
        figure = _figure(160, 90)
        axes = figure.add_subplot()
        years = summary.trend_years
        colours = matplotlib.colormaps["tab20"]
        for i, (label, totals) in enumerate(summary.trend_series):
            points = [(y, float(totals[y])) for y in years if y in totals]
            if not points:
                continue
            axes.plot(
                [y for y, _ in points],
                [t for _, t in points],
                marker="o",
                markersize=3,
                linewidth=1.2,
                color=colours(i % 20),
                label=label,
            )
        axes.set_xticks(years, [str(y) for y in years], fontproperties=font, fontsize=8)
        axes.set_ylabel("Tổng điểm", fontproperties=font, fontsize=9)
        axes.tick_params(axis="y", labelsize=8)
        _vn_ticks(axes.yaxis)
        axes.grid(axis="y", linewidth=0.3)
        axes.spines[["top", "right"]].set_visible(False)
        legend_font = font.copy()
        legend_font.set_size(7)
        axes.legend(prop=legend_font, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
        png = _png(figure)
    summary.chart_cache["trend"] = png
    return png


# Word -----------------------------------------------------------------------------------------


def _repeat_header(row) -> None:
    """Repeat a table's first row at the top of each page it runs onto."""
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)


def _docx_table(document, block: Block) -> None:
    center = WD_ALIGN_PARAGRAPH.CENTER
    right = WD_ALIGN_PARAGRAPH.RIGHT
    table = document.add_table(rows=1, cols=len(block.heads))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, block.heads, strict=True):
        cell_para(cell, text, bold=True, align=center, size=Pt(12))
    _repeat_header(table.rows[0])
    for values in block.rows:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, values, strict=True)):
            align = right if i in block.numeric else (center if i == 0 and text.isdigit() else None)
            cell_para(cell, text, align=align, size=Pt(12))
    para(document)


def _docx_missing(document, summary: Summary) -> None:
    """The missing facts in a framed box under the title, for the secretariat to complete."""
    table = document.add_table(rows=1, cols=1)
    table.style = document.styles["Table Grid"]
    cell = table.rows[0].cells[0]
    cell_para(
        cell, "Lưu ý khi hoàn thiện báo cáo (còn thiếu):", bold=True, italic=True, size=Pt(12)
    )
    for line in summary.missing:
        cell_para(cell, f"- {line}", italic=True, size=Pt(12))
    para(document)


def summary_docx(summary: Summary) -> bytes:
    """The year-end summary as a Word file, to be edited and signed."""
    document = new_document()
    party_header(
        document,
        left=[(summary.issuer, True)],
        number=summary.number,
        place_date=summary.place_date,
    )
    center = WD_ALIGN_PARAGRAPH.CENTER
    justify = WD_ALIGN_PARAGRAPH.JUSTIFY
    para(document, summary.title, bold=True, align=center, size=Pt(15))
    para(document, summary.subtitle, bold=True, align=center)
    para(document, "-----", align=center)
    if summary.missing:
        _docx_missing(document, summary)
    for block in blocks_of(summary):
        if block.kind == "h1":
            paragraph = para(document, block.text, bold=True)
            paragraph.paragraph_format.space_before = Pt(6)
            paragraph.paragraph_format.keep_with_next = True
        elif block.kind == "h2":
            para(document, block.text, bold=True).paragraph_format.keep_with_next = True
        elif block.kind in ("para", "line"):
            paragraph = para(document, block.text, italic=block.italic, align=justify)
            if block.kind == "para" and not block.italic:
                paragraph.paragraph_format.first_line_indent = Mm(10)
            if block.italic:
                paragraph.alignment = center
        elif block.kind == "note":
            para(document, block.text, italic=True)
        elif block.kind == "entry":
            paragraph = para(document, align=justify)
            paragraph.paragraph_format.first_line_indent = Mm(10)
            label = paragraph.add_run(f"{block.label}: ")
            label.italic = True
            paragraph.add_run(block.text)
        elif block.kind == "table":
            _docx_table(document, block)
        elif block.kind == "image":
            paragraph = para(document, align=center)
            paragraph.paragraph_format.keep_with_next = True
            paragraph.add_run().add_picture(io.BytesIO(block.image), width=Mm(160))

    left, right = closing(document, recipients=summary.recipients, signer=summary.signer)
    left.width, right.width = Mm(75), Mm(90)
    for _ in range(3):
        cell_para(right, "", align=center)
    if summary.signer_name:
        cell_para(right, summary.signer_name, bold=True, align=center)
    return to_bytes(document)


# PDF ------------------------------------------------------------------------------------------


def summary_pdf(summary: Summary) -> bytes:
    """The year-end summary as PDF (WeasyPrint, Liberation Serif), the same text as the Word
    file, for reading and archiving."""
    return render_pdf(
        "reports/documents/summary.html",
        {"s": summary, "blocks": blocks_of(summary)},
        stylesheets=("css/report_pdf.css",),
    )


# Excel ----------------------------------------------------------------------------------------


def summary_xlsx(summary: Summary) -> bytes:
    """The Excel annex: the ranking (with a bar chart), every unit's final score on every
    criterion, the award results, and what is missing."""
    workbook = Workbook()
    taken: set[str] = set()
    title = f"{summary.cluster_name} – năm {summary.year}"

    sheet = workbook.worksheets[0]
    sheet.title = sheet_title("Xếp hạng", taken)
    heads = ["Hạng", "Đơn vị", "Điểm cơ bản", "Điểm thưởng", "Điểm trừ", "Tổng điểm", "Xếp loại"]
    title_rows(sheet, f"Kết quả chấm điểm, xếp loại thi đua – {title}", _ranking_status(summary), 7)
    for column, head in enumerate(heads, start=1):
        header_cell(sheet.cell(row=3, column=column), head)
    ranked = 0
    for index, line in enumerate(summary.ranking, start=4):
        sheet.cell(row=index, column=1, value=line.rank).border = BOX
        text_cell(sheet.cell(row=index, column=2), line.short_name)
        if line.total is None:
            text_cell(sheet.cell(row=index, column=7), "Chưa có bảng điểm")
            continue
        ranked += 1
        for column, value in enumerate(
            (line.base, line.bonus, line.deductions, line.total), start=3
        ):
            number_cell(sheet.cell(row=index, column=column), value, TWO_DECIMALS)
        text_cell(sheet.cell(row=index, column=7), line.grade)
    set_widths(sheet, {"A": 7, "B": 26, "C": 12, "D": 12, "E": 11, "F": 12, "G": 14})
    sheet.freeze_panes = "C4"
    if ranked:
        chart = BarChart()
        chart.type = "bar"
        chart.title = f"Tổng điểm thi đua năm {summary.year}"
        chart.y_axis.title = "Tổng điểm"
        chart.legend = None
        chart.x_axis.scaling.orientation = "maxMin"  # first rank at the top
        chart.add_data(
            Reference(sheet, min_col=6, min_row=3, max_row=3 + ranked), titles_from_data=True
        )
        chart.set_categories(Reference(sheet, min_col=2, min_row=4, max_row=3 + ranked))
        chart.height, chart.width = 3 + 0.6 * ranked, 16
        sheet.add_chart(chart, "I3")

    _scores_sheet(workbook.create_sheet(sheet_title("Bảng điểm", taken)), summary, title)
    _awards_sheet(workbook.create_sheet(sheet_title("Khen thưởng", taken)), summary, title)
    if summary.missing:
        notes = workbook.create_sheet(sheet_title("Còn thiếu", taken))
        title_rows(notes, f"Nội dung còn thiếu – {title}", "", 1)
        for index, note in enumerate(summary.missing, start=3):
            notes.cell(row=index, column=1, value=note)
        notes.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _ranking_status(summary: Summary) -> str:
    if not summary.ranking_published:
        return RANKING_NOT_PUBLISHED
    return f"Bảng xếp hạng công bố ngày {short_date(summary.ranking_published_on)}."


def _scores_sheet(sheet, summary: Summary, title: str) -> None:
    """Criteria as rows, units (in ranking order) as columns: the final score of each criterion,
    groups as the subtotals the ranking counted."""
    lines = [line for line in summary.ranking if line.total is not None]
    title_rows(
        sheet,
        f"Điểm chấm theo tiêu chí – {title}",
        "Điểm cuối cùng của từng tiêu chí (nhóm: điểm cộng của nhóm, tối đa bằng điểm tối đa "
        "của nhóm)."
        if summary.ranking_published
        else RANKING_NOT_PUBLISHED,
        3 + len(lines),
    )
    heads = ["Số TT", "Tiêu chí", "Điểm tối đa"] + [line.short_name for line in lines]
    for column, head in enumerate(heads, start=1):
        header_cell(sheet.cell(row=3, column=column), head)
    row = 4
    for criterion in summary.criteria:
        bold = criterion.is_group
        text_cell(sheet.cell(row=row, column=1), criterion.number, bold=bold)
        cell = sheet.cell(row=row, column=2)
        text_cell(cell, criterion.text, bold=bold)
        cell.alignment = Alignment(wrap_text=True, vertical="top", indent=criterion.depth)
        number_cell(sheet.cell(row=row, column=3), criterion.max_points, TWO_DECIMALS)
        for column, line in enumerate(lines, start=4):
            number_cell(
                sheet.cell(row=row, column=column), line.scores.get(criterion.id), TWO_DECIMALS
            )
            if bold:
                sheet.cell(row=row, column=column).font = BOLD
        row += 1
    for label, attribute in (
        ("Điểm cơ bản", "base"),
        ("Điểm thưởng", "bonus"),
        ("Điểm trừ", "deductions"),
        ("Tổng điểm", "total"),
    ):
        text_cell(sheet.cell(row=row, column=2), label, bold=True)
        for column, line in enumerate(lines, start=4):
            number_cell(sheet.cell(row=row, column=column), getattr(line, attribute), TWO_DECIMALS)
            sheet.cell(row=row, column=column).font = BOLD
        row += 1
    sheet.column_dimensions["A"].width = 7
    sheet.column_dimensions["B"].width = 60
    sheet.column_dimensions["C"].width = 9
    for column in range(4, 4 + len(lines)):
        sheet.column_dimensions[sheet.cell(row=3, column=column).column_letter].width = 11
    sheet.row_dimensions[3].height = 45
    sheet.freeze_panes = "D4"


def _awards_sheet(sheet, summary: Summary, title: str) -> None:
    heads = ["Hình thức khen thưởng", "STT", "Tập thể, cá nhân được đề nghị"]
    title_rows(sheet, f"Kết quả bình xét, đề nghị khen thưởng – {title}", "", 4)
    for column, head in enumerate(heads, start=1):
        header_cell(sheet.cell(row=3, column=column), head)
    row = 4
    if not summary.awards:
        sheet.cell(
            row=row, column=1, value=f"Chưa có danh sách đề nghị khen thưởng năm {summary.year}."
        )
        row += 1
    for section in summary.awards:
        for n, name in enumerate(section.candidates, start=1):
            text_cell(sheet.cell(row=row, column=1), section.award_type if n == 1 else "")
            sheet.cell(row=row, column=2, value=n).border = BOX
            text_cell(sheet.cell(row=row, column=3), name)
            row += 1
    for section in summary.awards:
        for poll in section.polls:
            row += 1
            sheet.cell(row=row, column=1, value=poll.heading).font = ITALIC
            row += 1
            for column, head in enumerate(
                ["STT", "Tập thể, cá nhân", "Số phiếu", "Tỷ lệ (%)", "Kết quả"], start=1
            ):
                header_cell(sheet.cell(row=row, column=column), head)
            row += 1
            for n, vote in enumerate(poll.rows, start=1):
                sheet.cell(row=row, column=1, value=n).border = BOX
                text_cell(sheet.cell(row=row, column=2), vote.label)
                sheet.cell(row=row, column=3, value=vote.votes).border = BOX
                number_cell(
                    sheet.cell(row=row, column=4),
                    vote.share.quantize(Decimal("0.01")),
                    TWO_DECIMALS,
                )
                text_cell(sheet.cell(row=row, column=5), vote.verdict)
                row += 1
    set_widths(sheet, {"A": 40, "B": 30, "C": 70, "D": 10, "E": 14})


# The roll-up ----------------------------------------------------------------------------------


def _short(name: str) -> str:
    """Ban Tổ chức Tỉnh ủy Lâm Đồng -> Lâm Đồng, for the roll-up's short lines."""
    for prefix in ("Ban Tổ chức Tỉnh ủy ", "Ban Tổ chức Thành ủy "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _decimal(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


def rollup_xlsx(year: int, parts: list[dict]) -> bytes:
    """The roll-up workbook: a summary sheet, one sheet per cluster, and every unit of every
    cluster ranked together by total."""
    workbook = Workbook()
    taken: set[str] = set()
    sheet = workbook.worksheets[0]
    sheet.title = sheet_title("Tổng hợp", taken)
    heads = [
        "STT",
        "Cụm, khối thi đua",
        "Số đơn vị",
        "Bảng xếp hạng",
        "Dẫn đầu",
        "Tổng điểm cao nhất",
        f"Cụm trưởng năm {year + 1}",
        "Số khen thưởng đề nghị",
        "Báo cáo đã nhận",
        "Còn thiếu",
    ]
    title_rows(
        sheet, f"Tổng hợp kết quả thi đua năm {year}", f"{len(parts)} cụm, khối thi đua", len(heads)
    )
    for column, head in enumerate(heads, start=1):
        header_cell(sheet.cell(row=3, column=column), head)
    for index, part in enumerate(parts, start=1):
        row = 3 + index
        ranked = [r for r in part["ranking"] if r["total"] is not None]
        top = ranked[0] if ranked and part["ranking_published"] else None
        values = [
            index,
            part["cluster"],
            part["members"],
            "Đã công bố" if part["ranking_published"] else "Chưa công bố",
            top["short_name"] if top else "",
        ]
        for column, value in enumerate(values, start=1):
            text_cell(sheet.cell(row=row, column=column), value)
        number_cell(
            sheet.cell(row=row, column=6), _decimal(top["total"]) if top else None, TWO_DECIMALS
        )
        text_cell(sheet.cell(row=row, column=7), part["next_leader"])
        text_cell(sheet.cell(row=row, column=8), sum(len(a["names"]) for a in part["awards"]))
        text_cell(
            sheet.cell(row=row, column=9),
            f"{part['reports_received']}/{part['reports_expected']}",
        )
        text_cell(sheet.cell(row=row, column=10), " ".join(part["missing"]))
    set_widths(
        sheet,
        {"A": 6, "B": 40, "C": 9, "D": 14, "E": 18, "F": 11, "G": 30, "H": 12, "I": 10, "J": 60},
    )
    sheet.freeze_panes = "C4"

    for part in parts:
        _rollup_cluster_sheet(workbook.create_sheet(sheet_title(part["cluster"], taken)), part)

    combined = workbook.create_sheet(sheet_title("Xếp hạng chung", taken))
    heads = ["STT", "Đơn vị", "Cụm, khối thi đua", "Hạng trong cụm", "Tổng điểm", "Xếp loại"]
    title_rows(
        combined,
        f"Các đơn vị của mọi cụm theo tổng điểm – năm {year}",
        "Chỉ các cụm đã công bố bảng xếp hạng.",
        len(heads),
    )
    for column, head in enumerate(heads, start=1):
        header_cell(combined.cell(row=3, column=column), head)
    rows = [
        (part, r)
        for part in parts
        if part["ranking_published"]
        for r in part["ranking"]
        if r["total"] is not None
    ]
    rows.sort(
        key=lambda item: (-Decimal(item[1]["total"]), item[0]["cluster"], item[1]["rank"] or 0)
    )
    for index, (part, r) in enumerate(rows, start=1):
        row = 3 + index
        combined.cell(row=row, column=1, value=index).border = BOX
        text_cell(combined.cell(row=row, column=2), r["unit"])
        text_cell(combined.cell(row=row, column=3), part["cluster"])
        combined.cell(row=row, column=4, value=r["rank"]).border = BOX
        number_cell(combined.cell(row=row, column=5), _decimal(r["total"]), TWO_DECIMALS)
        text_cell(combined.cell(row=row, column=6), r["grade"])
    set_widths(combined, {"A": 6, "B": 45, "C": 40, "D": 10, "E": 11, "F": 14})
    combined.freeze_panes = "C4"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rollup_cluster_sheet(sheet, part: dict) -> None:
    title_rows(
        sheet,
        f"{part['cluster']} – năm {part['year']}",
        f"{part['members']} đơn vị; báo cáo đã nhận {part['reports_received']}/"
        f"{part['reports_expected']}; Cụm trưởng năm {part['year'] + 1}: "
        f"{part['next_leader'] or 'chưa có'}",
        4,
    )
    row = 3
    if part["ranking_published"]:
        for column, head in enumerate(["Hạng", "Đơn vị", "Tổng điểm", "Xếp loại"], start=1):
            header_cell(sheet.cell(row=row, column=column), head)
        for r in part["ranking"]:
            row += 1
            sheet.cell(row=row, column=1, value=r["rank"]).border = BOX
            text_cell(sheet.cell(row=row, column=2), r["unit"])
            number_cell(sheet.cell(row=row, column=3), _decimal(r["total"]), TWO_DECIMALS)
            text_cell(
                sheet.cell(row=row, column=4),
                r["grade"] or ("Chưa có bảng điểm" if r["total"] is None else ""),
            )
    else:
        sheet.cell(row=row, column=1, value=RANKING_NOT_PUBLISHED)
    row += 2
    for award in part["awards"]:
        sheet.cell(
            row=row,
            column=1,
            value=_award_line(award)[2:-1],
        ).font = BOLD
        for n, name in enumerate(award["names"], start=1):
            row += 1
            sheet.cell(row=row, column=1, value=n)
            sheet.cell(row=row, column=2, value=name)
        row += 2
    if part["missing"]:
        sheet.cell(row=row, column=1, value="Còn thiếu:").font = BOLD
        for line in part["missing"]:
            row += 1
            sheet.cell(row=row, column=2, value=line)
    set_widths(sheet, {"A": 8, "B": 60, "C": 11, "D": 14})


def _award_line(award: dict) -> str:
    who = "tập thể" if award["for_units"] else "cá nhân"
    line = f"- {award['award_type']}: {len(award['names'])} {who}"
    if award["for_units"] and award["names"]:
        line += " (" + ", ".join(_short(name) for name in award["names"]) + ")"
    return line + "."


def rollup_docx(year: int, parts: list[dict], body_name: str) -> bytes:
    """A short Word summary of the roll-up for the supervising body: per cluster its leader for
    next year, the awards proposed, the top units and the reports received."""
    document = new_document()
    names = [name.strip() for name in (body_name or "").split(",") if name.strip()]
    left = [(name.upper(), i == len(names) - 1) for i, name in enumerate(reversed(names))]
    party_header(
        document,
        left=left or [("CƠ QUAN THEO DÕI CÁC CỤM THI ĐUA", True)],
        number="",
        place_date=place_date("", None, year=year + 1),
    )
    center = WD_ALIGN_PARAGRAPH.CENTER
    para(document, "BÁO CÁO TỔNG HỢP", bold=True, align=center, size=Pt(15))
    para(
        document,
        f"Kết quả công tác thi đua năm {year} của các cụm, khối thi đua",
        bold=True,
        align=center,
    )
    para(document, "-----", align=center)
    para(
        document,
        f"Tổng hợp từ báo cáo của {len(parts)} cụm, khối thi đua"
        + (f" do {body_name} theo dõi" if body_name else "")
        + ":",
    )
    for i, part in enumerate(parts, start=1):
        paragraph = para(document, f"{i}. {part['cluster']}", bold=True)
        paragraph.paragraph_format.keep_with_next = True
        para(
            document,
            f"- Số đơn vị thành viên: {part['members']}; báo cáo của các đơn vị đã nhận: "
            f"{part['reports_received']}/{part['reports_expected']}.",
        )
        ranked = [r for r in part["ranking"] if r["total"] is not None]
        if part["ranking_published"] and ranked:
            top = ", ".join(
                f"{r['rank']}. {_short(r['unit'])} ({vn_number(Decimal(r['total']))} điểm)"
                for r in ranked[:3]
            )
            para(document, f"- Dẫn đầu bảng xếp hạng: {top}.")
        else:
            para(document, f"- {RANKING_NOT_PUBLISHED}")
        for award in part["awards"]:
            para(document, _award_line(award))
        if not part["awards"]:
            para(document, f"- Chưa có danh sách đề nghị khen thưởng năm {year}.")
        leader = part["next_leader"] or "chưa có"
        para(document, f"- Cụm trưởng năm {year + 1}: {leader}.")
        if part["missing"]:
            para(document, "- Còn thiếu: " + " ".join(part["missing"]), italic=True)
    return to_bytes(document)
