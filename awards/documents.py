"""Generated documents of the awards: the vote-count minutes (Biên bản kiểm phiếu) of a poll as
Word and PDF, and the award proposal (Tờ trình đề nghị khen thưởng) of a nomination round as
Word and PDF, in the Party's format (Hướng dẫn 36-HD/VPTW, shared/DESIGN.md "Documents").

The documents' text is Vietnamese whatever the interface language: they are official papers
of Vietnamese bodies. Builders read the database and return bytes; `record_outcome` is the only
function here that writes (the proposal's outcome).
"""

import datetime
import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.staticfiles import finders
from django.db import transaction
from django.template.loader import render_to_string
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from clusters.models import LeadershipAssignment, LeadershipRole

from .models import Candidate, CommitteeChair, NominationRound, Poll, PollOption, Proposal
from .services import counting

DOCX_FONT = "Times New Roman"  # Word substitutes a metric-compatible font where it is missing
FONT_SIZE = Pt(14)

KIND_WORDS = {
    Poll.CHOOSE: "bầu chọn, mỗi phiếu chọn tối đa {seats}",
    Poll.STRIKE_OUT: "phiếu gạch tên, mỗi phiếu giữ lại tối đa {seats}",
    Poll.YES_NO: "biểu quyết đồng ý / không đồng ý đối với từng người, số được chọn {seats}",
    Poll.ONE_CHOICE: "chọn một trong các phương án",
}
BASE_WORDS = {
    Poll.ISSUED: "số phiếu phát ra",
    Poll.COLLECTED: "số phiếu thu vào",
    Poll.VALID: "số phiếu hợp lệ",
}
TIE_WORDS = {
    Poll.RUNOFF: "bầu lại giữa những người bằng phiếu",
    Poll.LOT: "bốc thăm",
    Poll.CHAIR: "chủ trì hội nghị quyết định",
}

INVALID_WORDS = {
    Poll.TOO_MANY: "phiếu bầu nhiều hơn số lượng cần bầu",
    Poll.NOT_ISSUED: "phiếu không do Ban Kiểm phiếu phát ra hoặc không đúng mẫu quy định",
    Poll.MARKED: "phiếu ghi thêm tên người ngoài danh sách hoặc có chữ viết, ký hiệu riêng",
    Poll.BLANK: "phiếu trắng (không bầu cho ai)",
}


# Formatting -----------------------------------------------------------------------------------


def vn_number(value: Decimal, places: int = 2) -> str:
    """81.8181… -> "81,82" (decimal comma, half up); whole numbers keep no decimals."""
    value = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if value == value.to_integral():
        return str(value.quantize(Decimal(1)))
    return str(value).rstrip("0").replace(".", ",") if places else str(value)


def vn_percent(value: Decimal) -> str:
    """A share in percent with two decimals and a comma: 81,82%."""
    value = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{value}".replace(".", ",") + "%"


def vn_date(day: datetime.date) -> str:
    """ngày 04 tháng 12 năm 2020 (Party documents pad day and month below 10)."""
    return f"ngày {day:%d} tháng {day:%m} năm {day.year}"


def invalid_in_words(chosen: list[str]) -> list[str]:
    """What makes a ballot invalid, as sentences of the minutes."""
    reasons = [words for code, words in INVALID_WORDS.items() if code in chosen]
    lines = [
        "Phiếu không hợp lệ: " + "; ".join(reasons) + "."
        if reasons
        else "Không quy định trường hợp phiếu không hợp lệ."
    ]
    if Poll.BLANK not in chosen:
        lines.append("Phiếu trắng (không bầu cho ai) được tính là phiếu hợp lệ.")
    return lines


def rules_in_words(rules: dict) -> list[str]:
    """The frozen rules of a poll as sentences of the minutes."""
    fraction = Decimal(rules["fraction"]) * 100
    share = vn_number(fraction, 2) + "%"
    base = BASE_WORDS[rules["threshold_base"]]
    if rules["comparator"] == Poll.GT:
        threshold = f"được quá {share} {base} đồng ý (lớn hơn {share})"
    else:
        threshold = f"được từ {share} {base} đồng ý trở lên"
    # Polls frozen before the invalid-ballot rule existed have no such line.
    invalid = invalid_in_words(rules["invalid_if"]) if "invalid_if" in rules else []
    return [
        "Hình thức: " + KIND_WORDS[rules["kind"]].format(seats=rules["seats"]) + ".",
        f"Số lượng cần chọn: {rules['seats']}.",
        f"Điều kiện trúng cử: {threshold}; lấy theo thứ tự số phiếu từ cao xuống thấp.",
        "Trường hợp bằng phiếu ở vị trí cuối cùng: " + TIE_WORDS[rules["tie_rule"]] + ".",
        "Đơn vị được bầu cho chính mình."
        if rules["allow_self_vote"]
        else "Đơn vị không được bầu cho chính mình.",
        *invalid,
    ]


# The minutes ----------------------------------------------------------------------------------


@dataclass
class MinutesRow:
    number: int
    label: str
    votes: int
    against: int
    abstain: int
    share: str
    passes: bool
    elected: bool
    tied: bool


@dataclass
class Minutes:
    """Everything the minutes say, shared by the Word and PDF builders."""

    poll: Poll
    superior: str  # CỤM THI ĐUA SỐ 4
    body: str  # BAN KIỂM PHIẾU
    number: str  # Số 01-BB/CTĐ4
    place_date: str  # Tây Ninh, ngày 04 tháng 12 năm 2020
    opening: str
    committee: list  # (Person, role): the chair first
    rules: list[str]
    rules_hash: str
    issued: int
    collected: int
    valid: int
    invalid: int
    base_words: str
    base: int
    yes_no: bool
    rows: list[MinutesRow] = field(default_factory=list)
    conclusion: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return "BIÊN BẢN KIỂM PHIẾU"

    @property
    def subtitle(self) -> str:
        return self.poll.question


def minutes_of(poll: Poll) -> Minutes:
    """The figures of the minutes from counting.count() and the rules frozen at opening."""
    conference = poll.conference
    cluster = conference.cluster_year.cluster
    outcome = counting.count(poll=poll)
    rules = poll.frozen_rules
    members = list(conference.counting_committee.select_related("unit").order_by("pk"))
    chair_id = (
        CommitteeChair.objects.filter(conference=conference)
        .values_list("person", flat=True)
        .first()
    )
    committee = sorted(
        [(p, CHAIR if p.pk == chair_id else MEMBER) for p in members],
        key=lambda pair: pair[1] != CHAIR,
    )
    number = (
        f"Số {poll.minutes_number}"
        if poll.minutes_number
        else f"Số      -BB/{_cluster_symbol(cluster)}"
    )
    # The table follows the order of the names on the ballot; the conclusion, the votes.
    place = {o["id"]: i for i, o in enumerate(rules["options"])}
    on_ballot = sorted(outcome.options, key=lambda r: place[r.option_id])
    rows = [
        MinutesRow(
            number=i,
            label=r.label,
            votes=r.votes,
            against=r.against,
            abstain=r.abstain,
            share=vn_percent(r.share),
            passes=r.passes,
            elected=r.elected,
            tied=r.tied_at_last_seat,
        )
        for i, r in enumerate(on_ballot, start=1)
    ]
    ranked = sorted(rows, key=lambda r: -r.votes)
    elected = [r for r in ranked if r.elected]
    conclusion = []
    if elected:
        conclusion.append("Căn cứ kết quả kiểm phiếu, những người sau đây trúng cử:")
        conclusion += [
            f"{i}. {r.label}: {r.votes} phiếu, đạt {r.share}" for i, r in enumerate(elected, 1)
        ]
    tied = [r for r in ranked if r.tied]
    if tied:
        names = ", ".join(f"{r.label} ({r.votes} phiếu, {r.share})" for r in tied)
        conclusion.append(
            f"Bằng phiếu ở vị trí cuối cùng: {names}. Theo quy định: "
            f"{TIE_WORDS[rules['tie_rule']]}."
        )
    if not elected and not tied:
        conclusion.append("Căn cứ kết quả kiểm phiếu, không có người nào trúng cử.")
    return Minutes(
        poll=poll,
        superior=cluster.name.upper(),
        body="BAN KIỂM PHIẾU",
        number=number,
        place_date=f"{conference.place}, {vn_date(conference.date)}",
        opening=(
            f"Hôm nay, {vn_date(conference.date)}, tại {conference.place}, trong "
            f"{conference.title}, Ban Kiểm phiếu gồm các đồng chí có tên sau đây đã tiến hành "
            f"kiểm phiếu:"
        ),
        committee=committee,
        rules=rules_in_words(rules),
        rules_hash=poll.rules_hash,
        issued=outcome.issued,
        collected=outcome.collected,
        valid=outcome.valid,
        invalid=outcome.invalid,
        base_words=BASE_WORDS[rules["threshold_base"]],
        base=outcome.base,
        yes_no=rules["kind"] == Poll.YES_NO,
        rows=rows,
        conclusion=conclusion,
    )


def _person_line(person) -> str:
    parts = [person.full_name]
    if person.position:
        parts.append(person.position)
    parts.append(person.unit.name)
    return ", ".join(parts)


# Word helpers ---------------------------------------------------------------------------------


def _new_document() -> Document:
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


def _para(container, text="", *, bold=False, italic=False, align=None, size=None, underline=False):
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


def _cell_para(cell, text, **kwargs):
    """The first paragraph of a new cell is reused, the next ones added."""
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
    return _para(cell, text, **kwargs)


def _party_header(document, *, left: list[tuple[str, bool]], number: str, place_date: str):
    """The two-column head: the issuing body with "*" (and the number) on the left, the Party's
    name with a rule and the place and date on the right."""
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    left_cell, right_cell = table.rows[0].cells
    left_cell.width, right_cell.width = Mm(75), Mm(90)
    center = WD_ALIGN_PARAGRAPH.CENTER
    for text, bold in left:
        _cell_para(left_cell, text, bold=bold, align=center, size=Pt(13))
    _cell_para(left_cell, "*", align=center)
    if number:
        _cell_para(left_cell, number, align=center, size=Pt(13))
    _cell_para(right_cell, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, underline=True, align=center)
    _cell_para(right_cell, "", align=center)
    _cell_para(right_cell, place_date, italic=True, align=center)
    _para(document)


def _to_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _signatures(document, people: list, *, heading: str = ""):
    """One signature block per person, two per row."""
    if heading:
        _para(document, heading, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    columns = 2 if len(people) > 1 else 1
    rows = (len(people) + columns - 1) // columns
    table = document.add_table(rows=rows, cols=columns)
    for i, (role, name) in enumerate(people):
        cell = table.cell(i // columns, i % columns)
        center = WD_ALIGN_PARAGRAPH.CENTER
        _cell_para(cell, role, bold=True, align=center)
        _cell_para(cell, "(Ký, ghi rõ họ tên)", italic=True, align=center, size=Pt(12))
        for _ in range(3):
            _cell_para(cell, "", align=center)
        _cell_para(cell, name, bold=True, align=center)


CHAIR = "Trưởng ban"
MEMBER = "Thành viên"


def committee_line(person, role: str) -> str:
    return f"{_person_line(person)} – {role}"


def committee_signatures(committee: list) -> list[tuple[str, str]]:
    """(role in capitals, name) per member: the named chair as TRƯỞNG BAN, the others as
    THÀNH VIÊN (with no chair named, everyone signs as a member)."""
    return [(role.upper(), person.full_name) for person, role in committee]


def minutes_docx(poll: Poll) -> bytes:
    """The minutes as a Word file (python-docx), to be edited and signed."""
    m = minutes_of(poll)
    document = _new_document()
    _party_header(
        document,
        left=[(m.superior, False), (m.body, True)],
        number=m.number,
        place_date=m.place_date,
    )
    center = WD_ALIGN_PARAGRAPH.CENTER
    _para(document, m.title, bold=True, align=center, size=Pt(15))
    _para(document, m.subtitle, bold=True, align=center)
    _para(document, m.opening)
    for person, role in m.committee:
        _para(document, "- " + committee_line(person, role))
    _para(document, "I. THỂ LỆ BẦU CỬ", bold=True)
    for line in m.rules:
        _para(document, "- " + line)
    _para(document, f"Mã kiểm tra bộ quy tắc (SHA-256): {m.rules_hash}", size=Pt(11))
    _para(document, "II. KẾT QUẢ KIỂM PHIẾU", bold=True)
    for line in (
        f"- Số phiếu phát ra: {m.issued}",
        f"- Số phiếu thu vào: {m.collected}",
        f"- Số phiếu hợp lệ: {m.valid}",
        f"- Số phiếu không hợp lệ: {m.invalid}",
        f"Tỷ lệ phần trăm tính trên {m.base_words} ({m.base}).",
    ):
        _para(document, line)
    heads = ["STT", "Họ và tên / Đơn vị"]
    heads += ["Đồng ý", "Không đồng ý", "Không ý kiến"] if m.yes_no else ["Số phiếu"]
    heads += ["Tỷ lệ", "Kết quả"]
    table = document.add_table(rows=1, cols=len(heads))
    table.style = document.styles["Table Grid"]
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        _cell_para(cell, text, bold=True, align=center, size=Pt(13))
    for row in m.rows:
        values = [str(row.number), row.label]
        values += (
            [str(row.votes), str(row.against), str(row.abstain)] if m.yes_no else [str(row.votes)]
        )
        values += [row.share, _verdict(row)]
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, values, strict=True)):
            _cell_para(cell, text, align=None if i == 1 else center, size=Pt(13))
    _para(document)
    _para(document, "III. KẾT LUẬN", bold=True)
    for line in m.conclusion:
        _para(document, line)
    _para(
        document,
        "Biên bản được lập xong lúc …… giờ …… cùng ngày, các thành viên Ban Kiểm phiếu "
        "thống nhất ký tên.",
    )
    _signatures(document, committee_signatures(m.committee))
    return _to_bytes(document)


def _verdict(row: MinutesRow) -> str:
    if row.elected:
        return "Trúng cử"
    if row.tied:
        return "Bằng phiếu"
    return "Đạt" if row.passes else "Không đạt"


def minutes_pdf(poll: Poll) -> bytes:
    """The minutes as PDF (WeasyPrint, Liberation Serif), for reading and archiving."""
    from weasyprint import CSS, HTML  # imported here: it is slow to load

    m = minutes_of(poll)
    rows = [(row, _verdict(row)) for row in m.rows]
    html = render_to_string(
        "awards/documents/minutes.html",
        {
            "m": m,
            "rows": rows,
            "signatures": committee_signatures(m.committee),
            "committee": [committee_line(p, role) for p, role in m.committee],
        },
    )
    stylesheet = CSS(filename=finders.find("css/document_pdf.css"))
    return HTML(string=html, encoding="utf-8").write_pdf(stylesheets=[stylesheet])


# The proposal ---------------------------------------------------------------------------------


@dataclass
class ProposalSection:
    award_type: object
    candidates: list = field(default_factory=list)


def _candidate_line(candidate: Candidate) -> str:
    if candidate.unit_id:
        return candidate.unit.name
    if candidate.person_id:
        return _person_line(candidate.person)
    entry = candidate.campaign_entry
    return f"{entry.title} ({entry.unit.name})"


def proposal_polls(nomination_round: NominationRound) -> list[Poll]:
    """The published polls on award types of the round's year: their minutes are attached."""
    return list(
        Poll.objects.filter(
            conference__cluster_year=nomination_round.cluster_year,
            award_type__isnull=False,
            status=Poll.PUBLISHED,
        )
        .select_related("conference")
        .order_by("conference__date", "pk")
    )


def proposed_candidates(nomination_round: NominationRound, polls: list[Poll]) -> list:
    """The candidates the proposal puts forward, by award type, in the slate's order.

    The rule, until the slate and the polls are tied together by a service: the candidates
    on the slate (status on_slate); for an award type that has a published poll of the year
    whose options link to candidates (PollOption.candidate), only those candidates whom such
    a poll elected. An award type without such a poll keeps its whole slate (the conference
    approved it another way, e.g. by a show of hands recorded in the conference's minutes).
    """
    # A fixed number of queries whatever the number of polls: the options linked to
    # candidates of all of them at once, then their counts at once.
    linked: dict[int, dict[int, int]] = {}
    for poll_id, option, candidate in PollOption.objects.filter(
        poll__in=polls, candidate__isnull=False
    ).values_list("poll_id", "pk", "candidate_id"):
        linked.setdefault(poll_id, {})[option] = candidate
    counts = counting.count_many(polls=[p for p in polls if p.pk in linked]) if linked else {}
    voted: dict[int, set[int]] = {}
    for poll in polls:
        if poll.pk not in linked:
            continue
        elected = {r.option_id for r in counts[poll.pk].options if r.elected}
        voted.setdefault(poll.award_type_id, set()).update(
            candidate for option, candidate in linked[poll.pk].items() if option in elected
        )
    candidates = (
        nomination_round.candidates.filter(status=Candidate.ON_SLATE)
        .select_related("award_type", "unit", "person__unit", "campaign_entry__unit")
        .order_by("award_type__rank", "award_type__name", "pk")
    )
    sections: dict[int, ProposalSection] = {}
    for candidate in candidates:
        chosen = voted.get(candidate.award_type_id)
        if chosen is not None and candidate.pk not in chosen:
            continue
        section = sections.setdefault(
            candidate.award_type_id, ProposalSection(award_type=candidate.award_type)
        )
        section.candidates.append(candidate)
    return list(sections.values())


def leader_assignment(cluster_year) -> LeadershipAssignment | None:
    return (
        LeadershipAssignment.objects.filter(
            cluster_year=cluster_year, role__kind=LeadershipRole.LEADER
        )
        .select_related("unit", "role")
        .first()
    )


def _cluster_symbol(cluster) -> str:
    return f"CTĐ{cluster.number}"


@dataclass
class ProposalDocument:
    """Everything the proposal says, shared by the Word and PDF builders."""

    superior: str  # CỤM THI ĐUA SỐ 4
    number: str
    place_date: str
    year: int
    body: str  # Vụ Địa phương III
    opening: str
    sections: list  # (heading, [candidate lines])
    attachments: list[str]
    closing: str
    recipients: list[str]
    signer: list[str]  # TM. …, the role, the leader's unit (if any)

    @property
    def title(self) -> str:
        return "TỜ TRÌNH"

    @property
    def subtitle(self) -> str:
        return f"Về việc đề nghị khen thưởng năm {self.year}"


ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def proposal_of(nomination_round: NominationRound) -> ProposalDocument:
    """The text of the award proposal (Tờ trình đề nghị khen thưởng) of a round."""
    cluster_year = nomination_round.cluster_year
    cluster = cluster_year.cluster
    proposal = Proposal.objects.filter(round=nomination_round).first()
    polls = proposal_polls(nomination_round)
    leader = leader_assignment(cluster_year)
    symbol = _cluster_symbol(cluster)
    number = f"Số {proposal.number}" if proposal and proposal.number else f"Số      -TTr/{symbol}"
    day = proposal.signed_on if proposal and proposal.signed_on else None
    place = leader.unit.province if leader and getattr(leader.unit, "province", "") else ""
    date_text = vn_date(day) if day else f"ngày      tháng      năm {cluster_year.year + 1}"
    place_date = f"{place}, {date_text}" if place else date_text[0].upper() + date_text[1:]
    body = cluster.supervising_body or "Vụ Địa phương III"
    sections = []
    for i, section in enumerate(proposed_candidates(nomination_round, polls)):
        award_type = section.award_type
        who = "tập thể" if award_type.recipient == award_type.UNIT else "cá nhân"
        heading = ROMAN[i] if i < len(ROMAN) else str(i + 1)
        sections.append(
            (
                f"{heading}. {award_type.name}: {len(section.candidates)} {who}",
                [
                    f"{n}. {_candidate_line(candidate)}"
                    for n, candidate in enumerate(section.candidates, start=1)
                ],
            )
        )
    attachments = [
        f"- Biên bản kiểm phiếu: {poll.question} ({poll.conference.title}, "
        f"{poll.conference.date:%d/%m/%Y})"
        for poll in polls
    ] or ["- Biên bản hội nghị tổng kết."]
    signer = [
        f"TM. {cluster.name.upper()}",
        leader.role.name.upper() if leader else "CỤM TRƯỞNG",
    ]
    if leader:
        signer.append(leader.unit.name)
    return ProposalDocument(
        superior=cluster.name.upper(),
        number=number,
        place_date=place_date,
        year=cluster_year.year,
        body=body,
        opening=(
            f"Căn cứ kết quả chấm điểm, xếp loại thi đua năm {cluster_year.year} và kết quả "
            f"bỏ phiếu tại hội nghị tổng kết, {cluster.name} đề nghị Ban Tổ chức Trung ương "
            "xem xét, khen thưởng cho các tập thể và cá nhân sau:"
        ),
        sections=sections,
        attachments=attachments,
        closing=f"{cluster.name} kính trình Ban Tổ chức Trung ương xem xét, quyết định.",
        recipients=[f"- {body}, Ban Tổ chức Trung ương;", "- Lưu."],
        signer=signer,
    )


NO_CANDIDATES = "(Chưa có tập thể, cá nhân nào trong danh sách đề nghị.)"


def proposal_docx(nomination_round: NominationRound) -> bytes:
    """The award proposal (Tờ trình đề nghị khen thưởng) of a round, as a Word file."""
    p = proposal_of(nomination_round)
    document = _new_document()
    _party_header(document, left=[(p.superior, True)], number=p.number, place_date=p.place_date)
    center = WD_ALIGN_PARAGRAPH.CENTER
    _para(document, p.title, bold=True, align=center, size=Pt(15))
    _para(document, p.subtitle, bold=True, align=center)
    _para(document, "-----", align=center)
    _para(document, f"Kính gửi: Ban Tổ chức Trung ương ({p.body})", bold=True, align=center)
    _para(document, p.opening)
    if not p.sections:
        _para(document, NO_CANDIDATES, italic=True)
    for heading, lines in p.sections:
        _para(document, heading, bold=True)
        for line in lines:
            _para(document, line)
    _para(document, "Hồ sơ kèm theo:", bold=True)
    for line in p.attachments:
        _para(document, line)
    _para(document, p.closing)

    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    _cell_para(left, "Nơi nhận:", bold=True, italic=True, size=Pt(12))
    for line in p.recipients:
        _cell_para(left, line, size=Pt(11))
    _cell_para(right, p.signer[0], bold=True, align=center)
    _cell_para(right, p.signer[1], bold=True, align=center)
    if len(p.signer) > 2:
        _cell_para(right, p.signer[2], align=center, size=Pt(13))
    _cell_para(right, "(Ký, ghi rõ họ tên, đóng dấu)", italic=True, align=center, size=Pt(12))
    return _to_bytes(document)


def proposal_pdf(nomination_round: NominationRound) -> bytes:
    """The award proposal as PDF (WeasyPrint, Liberation Serif), the same text as the Word file."""
    from weasyprint import CSS, HTML  # imported here: it is slow to load

    html = render_to_string(
        "awards/documents/proposal.html",
        {"p": proposal_of(nomination_round), "no_candidates": NO_CANDIDATES},
    )
    stylesheet = CSS(filename=finders.find("css/document_pdf.css"))
    return HTML(string=html, encoding="utf-8").write_pdf(stylesheets=[stylesheet])


@transaction.atomic
def record_outcome(
    *,
    nomination_round: NominationRound,
    values: dict,
    granted: dict[int, bool | None],
) -> Proposal:
    """Save the proposal's number, dates, status and decision (creating the proposal if need
    be) and each proposed candidate's Candidate.granted, all or nothing."""
    proposal, _created = Proposal.objects.select_for_update().get_or_create(round=nomination_round)
    for name, value in values.items():
        setattr(proposal, name, value)
    proposal.full_clean()
    proposal.save()
    for candidate in nomination_round.candidates.filter(pk__in=list(granted)):
        if candidate.granted != granted[candidate.pk]:
            candidate.granted = granted[candidate.pk]
            candidate.save(update_fields=["granted"])
    return proposal
