"""The Party-document primitives every Word and PDF builder uses: the A4 page and its font, the
two-column head (the issuing body on the left, "ĐẢNG CỘNG SẢN VIỆT NAM" and the dateline on the
right), paragraphs and table cells, signature blocks, the foot with the recipients and the
signer, and the rendering of a template to PDF. The format follows Hướng dẫn 36-HD/VPTW
(docs/ARCHITECTURE.md, "Generated documents").

The documents' text is Vietnamese whatever the interface language: they are official papers of
Vietnamese bodies, so nothing here goes through gettext.
"""

import datetime
import io

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .formatting import long_date

DOCX_FONT = "Times New Roman"  # Word substitutes a metric-compatible font where it is missing
FONT_SIZE = Pt(14)
PDF_STYLESHEET = "css/document_pdf.css"  # the PDF's page and Liberation Serif, for every document
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def cluster_symbol(number: int) -> str:
    """The cluster's symbol in the numbers of its papers (Số 35-BC/CTĐ4): CTĐ4."""
    return f"CTĐ{number}"


def place_date(place: str, day: datetime.date | None, *, year: int | None = None) -> str:
    """The dateline under the Party's name: "Tây Ninh, ngày 04 tháng 12 năm 2020". Without a
    day, the blank to fill in by hand ("… năm 2021"); without a place, it starts with a capital
    ("Ngày      tháng      năm 2021")."""
    text = long_date(day, year=year)
    return f"{place}, {text}" if place else text[0].upper() + text[1:]


def person_line(person) -> str:
    """A person as papers name them: "Lê Thị Thu Hà, Chuyên viên, Ban Tổ chức Tỉnh ủy Tiền
    Giang" (the position only when there is one)."""
    parts = [person.full_name]
    if person.position:
        parts.append(person.position)
    parts.append(person.unit.name)
    return ", ".join(parts)


# Word -----------------------------------------------------------------------------------------


def new_document() -> DocxDocument:
    """An empty A4 portrait document with the Party's margins and Times New Roman 14."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = document.styles["Normal"]
    style.font.name = DOCX_FONT
    style.font.size = FONT_SIZE
    style.element.rPr.rFonts.set(qn("w:eastAsia"), DOCX_FONT)
    style.paragraph_format.space_after = Pt(3)
    for name in ("Table Grid",):
        document.styles[name].font.name = DOCX_FONT
    return document


def para(container, text="", *, bold=False, italic=False, align=None, size=None, underline=False):
    """A new paragraph of the document (or of a cell) with one run of text."""
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(3)
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        if size:
            run.font.size = size
    return paragraph


def cell_para(cell, text, **kwargs):
    """A paragraph in a table cell: the first paragraph of a new cell is reused, the next ones
    added (the keywords of `para`)."""
    if len(cell.paragraphs) == 1 and not cell.paragraphs[0].text:
        paragraph = cell.paragraphs[0]
        if kwargs.get("align") is not None:
            paragraph.alignment = kwargs["align"]
        run = paragraph.add_run(text)
        run.bold = kwargs.get("bold", False)
        run.italic = kwargs.get("italic", False)
        run.underline = kwargs.get("underline", False)
        if kwargs.get("size"):
            run.font.size = kwargs["size"]
        return paragraph
    return para(cell, text, **kwargs)


def party_header(document, *, left: list[tuple[str, bool]], number: str, place_date: str):
    """The two-column head: the issuing body with "*" (and the number) on the left, the Party's
    name with a rule and the place and date on the right. `left` lists (line, bold)."""
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    left_cell, right_cell = table.rows[0].cells
    left_cell.width, right_cell.width = Mm(75), Mm(90)
    center = WD_ALIGN_PARAGRAPH.CENTER
    for text, bold in left:
        cell_para(left_cell, text, bold=bold, align=center, size=Pt(13))
    cell_para(left_cell, "*", align=center)
    if number:
        cell_para(left_cell, number, align=center, size=Pt(13))
    cell_para(right_cell, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, underline=True, align=center)
    cell_para(right_cell, "", align=center)
    cell_para(right_cell, place_date, italic=True, align=center)
    para(document)


def signatures(document, people: list[tuple[str, str]], *, heading: str = "") -> None:
    """One signature block per (role, name), two per row: the role, "(Ký, ghi rõ họ tên)",
    room to sign, the name."""
    if heading:
        para(document, heading, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    columns = 2 if len(people) > 1 else 1
    rows = (len(people) + columns - 1) // columns
    table = document.add_table(rows=rows, cols=columns)
    for i, (role, name) in enumerate(people):
        cell = table.cell(i // columns, i % columns)
        center = WD_ALIGN_PARAGRAPH.CENTER
        cell_para(cell, role, bold=True, align=center)
        cell_para(cell, "(Ký, ghi rõ họ tên)", italic=True, align=center, size=Pt(12))
        for _ in range(3):
            cell_para(cell, "", align=center)
        cell_para(cell, name, bold=True, align=center)


def closing(document, *, recipients: list[str], signer: list[str]):
    """The foot of a paper issued by a body: "Nơi nhận:" and the recipients on the left; on the
    right the signer's lines (TM. the body, the role, and the signer's unit if there is a third)
    and "(Ký, ghi rõ họ tên, đóng dấu)". Returns the two cells, for what a document adds."""
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    center = WD_ALIGN_PARAGRAPH.CENTER
    cell_para(left, "Nơi nhận:", bold=True, italic=True, size=Pt(12))
    for line in recipients:
        cell_para(left, line, size=Pt(11))
    cell_para(right, signer[0], bold=True, align=center)
    cell_para(right, signer[1], bold=True, align=center)
    if len(signer) > 2:
        cell_para(right, signer[2], align=center, size=Pt(13))
    cell_para(right, "(Ký, ghi rõ họ tên, đóng dấu)", italic=True, align=center, size=Pt(12))
    return left, right


def to_bytes(document) -> bytes:
    """The .docx file of a document."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# PDF ------------------------------------------------------------------------------------------


def render_pdf(
    template_name: str, context: dict, *, stylesheets: tuple[str, ...] = (), copies: int = 1
) -> bytes:
    """A template rendered to PDF by WeasyPrint with the documents' stylesheet (and the static
    `stylesheets` after it), for reading and archiving. With `copies`, the pages are laid out
    once and repeated that many times (printed ballots)."""
    from weasyprint import CSS, HTML  # imported here: it is slow to load

    html = render_to_string(template_name, context)
    sheets = [CSS(filename=finders.find(name)) for name in (PDF_STYLESHEET, *stylesheets)]
    document = HTML(string=html, encoding="utf-8").render(stylesheets=sheets)
    if copies > 1:
        document = document.copy(document.pages * copies)
    return document.write_pdf()
