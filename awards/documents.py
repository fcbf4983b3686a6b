"""Generated documents of the awards: the vote-count minutes (Biên bản kiểm phiếu) of a poll as
Word and PDF, and the award proposal (Tờ trình đề nghị khen thưởng) of a nomination round as
Word and PDF, in the Party's format (Hướng dẫn 36-HD/VPTW) with the primitives of
common.documents.

The documents' text is Vietnamese whatever the interface language: they are official papers
of Vietnamese bodies. Builders read the database and return bytes; nothing here writes (the
proposal's outcome is saved by awards.services.proposals).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.db.models import Q
from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from clusters.models import LeadershipAssignment, LeadershipRole, Unit
from common.documents import (
    ROMAN,
    cell_para,
    closing,
    cluster_symbol,
    new_document,
    para,
    party_header,
    person_line,
    place_date,
    render_pdf,
    signatures,
    to_bytes,
)
from common.formatting import long_date, short_date, vn_number, vn_percent

from .models import AwardType, Candidate, CommitteeChair, NominationRound, Poll, Proposal
from .selectors_slate import CandidateOutcome, SlateVote, slate_vote
from .services import attendance, counting, polls

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


# The rules in words ---------------------------------------------------------------------------


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
    is_person: bool  # a person is "trúng cử", a unit "đạt"

    @property
    def verdict(self) -> str:
        """The result column: Đạt / Không đạt for a unit, Trúng cử / Không trúng cử for a
        person, Bằng phiếu for a tie at the last seat."""
        if self.tied:
            return "Bằng phiếu"
        if self.is_person:
            return "Trúng cử" if self.elected else "Không trúng cử"
        return "Đạt" if self.elected else "Không đạt"


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
    summoned: int  # delegates on the conference's roster
    present: int  # delegates given a ballot of this poll (checked in, not checked out)
    issued: int
    collected: int
    valid: int
    invalid: int
    split: counting.ChannelSplit | None  # None: the channels are shown combined
    invalid_reasons: list[tuple[str, int]]  # (the reason in words, ballots)
    electronic_invalid: int
    base_words: str
    base: int
    yes_no: bool
    count_times: str  # "" when the times were not recorded
    rows: list[MinutesRow] = field(default_factory=list)
    conclusion: list[str] = field(default_factory=list)
    trackers: list[str] = field(default_factory=list)  # of the electronic ballots counted
    # The cluster's secrecy threshold: the smallest channel shown on its own.
    secrecy_threshold: int = counting.SMALL_CHANNEL

    @property
    def title(self) -> str:
        return "BIÊN BẢN KIỂM PHIẾU BẦU LẠI" if self.poll.runoff_of_id else "BIÊN BẢN KIỂM PHIẾU"

    @property
    def subtitle(self) -> str:
        return question_line(self.poll)

    @property
    def figures(self) -> list[str]:
        """The lines of part II above the table: attendance, the ballots (by channel only when
        each channel holds enough ballots to keep the vote secret) and the invalid ballots by
        reason."""
        collected = f"Số phiếu thu vào: {self.collected}"
        if self.split:
            collected += (
                f" (phiếu giấy: {self.split.paper}, phiếu điện tử: {self.split.electronic})"
            )
        lines = [
            f"- Số đại biểu được triệu tập: {self.summoned}",
            f"- Số đại biểu có mặt: {self.present}",
            f"- Số phiếu phát ra: {self.issued}",
            f"- {collected}",
            f"- Số phiếu hợp lệ: {self.valid}",
            f"- Số phiếu không hợp lệ: {self.invalid}",
        ]
        lines += [f"  + {words}: {n}" for words, n in self.invalid_reasons]
        if self.split and self.electronic_invalid:
            lines.append(
                f"  Trong số phiếu không hợp lệ có {self.electronic_invalid} phiếu điện tử "
                "(phiếu trắng)."
            )
        if not self.split:
            lines.append(
                "Số phiếu giấy và phiếu điện tử được tính chung, không tách riêng từng hình "
                f"thức, để giữ bí mật lá phiếu (mỗi hình thức có từ {self.secrecy_threshold} "
                "phiếu trở lên mới được tách riêng)."
            )
        return lines

    @property
    def closing(self) -> str:
        """The closing sentence, with the count's start and end when they were recorded."""
        if not self.count_times:
            return (
                "Biên bản được lập xong lúc …… giờ …… cùng ngày, các thành viên Ban Kiểm phiếu "
                "thống nhất ký tên."
            )
        return (
            f"{self.count_times}; biên bản được lập xong cùng ngày, các thành viên Ban Kiểm "
            "phiếu thống nhất ký tên."
        )


def question_line(poll: Poll) -> str:
    """The poll's question as the papers print it; a runoff says so ("bầu lại")."""
    return f"{poll.question} (bầu lại)" if poll.runoff_of_id else poll.question


def clock(moment: datetime.datetime) -> str:
    """A time of day as the papers write it, in local time: "10 giờ 05 phút"."""
    local = timezone.localtime(moment)
    return f"{local:%H} giờ {local:%M} phút"


def count_times(poll: Poll) -> str:
    """ "Bắt đầu kiểm phiếu lúc 10 giờ 05 phút, kết thúc lúc 10 giờ 40 phút ngày 04 tháng 12 năm
    2020" (the start's day too when the count ran past midnight), or "" when not recorded."""
    start, end = poll.count_started_at, poll.count_ended_at
    if start is None or end is None:
        return ""
    start_day, end_day = timezone.localdate(start), timezone.localdate(end)
    begun = clock(start) if start_day == end_day else f"{clock(start)} {long_date(start_day)}"
    return f"Bắt đầu kiểm phiếu lúc {begun}, kết thúc lúc {clock(end)} {long_date(end_day)}"


def people_options(poll: Poll) -> set[int]:
    """The ids of the poll's options that name a person: a candidate who is a person, or a free
    name that is not a unit (neither the option's unit nor a unit's name or short name)."""
    options = list(poll.options.values_list("pk", "label", "unit_id", "candidate_id"))
    candidates = dict(
        Candidate.objects.filter(pk__in=[o[3] for o in options if o[3]]).values_list(
            "pk", "person_id"
        )
    )
    free = [
        label for _pk, label, unit_id, candidate_id in options if not unit_id and not candidate_id
    ]
    units: set[str] = set()
    if free:
        units = {
            name
            for pair in Unit.objects.filter(Q(name__in=free) | Q(short_name__in=free)).values_list(
                "name", "short_name"
            )
            for name in pair
        }
    return {
        pk
        for pk, label, unit_id, candidate_id in options
        if (candidate_id and candidates.get(candidate_id))
        or (not candidate_id and not unit_id and label not in units)
    }


def conclusion_of(rows: list[MinutesRow], tie_rule: str) -> list[str]:
    """Part III: the units that passed ("đạt") and the people elected ("trúng cử"), in order of
    votes; a tie at the last seat with its rule; or that nobody did."""
    ranked = sorted(rows, key=lambda r: -r.votes)
    lines: list[str] = []
    for is_person, heading in (
        (False, "Căn cứ kết quả kiểm phiếu, những đơn vị sau đây đạt số phiếu theo thể lệ:"),
        (True, "Căn cứ kết quả kiểm phiếu, những người sau đây trúng cử:"),
    ):
        elected = [r for r in ranked if r.elected and r.is_person == is_person]
        if elected:
            lines.append(heading)
            lines += [
                f"{i}. {r.label}: {r.votes} phiếu, đạt {r.share}" for i, r in enumerate(elected, 1)
            ]
    tied = [r for r in ranked if r.tied]
    if tied:
        names = ", ".join(f"{r.label} ({r.votes} phiếu, {r.share})" for r in tied)
        lines.append(
            f"Bằng phiếu ở vị trí cuối cùng: {names}. Theo quy định: {TIE_WORDS[tie_rule]}."
        )
    if not lines:
        nobody = []
        if any(not r.is_person for r in rows):
            nobody.append("không có đơn vị nào đạt")
        if any(r.is_person for r in rows):
            nobody.append("không có người nào trúng cử")
        lines.append(f"Căn cứ kết quả kiểm phiếu, {', '.join(nobody)}.")
    return lines


def opening_of(poll: Poll) -> str:
    """The opening sentence; a runoff names the poll it follows."""
    conference = poll.conference
    what = "kiểm phiếu"
    original = poll.runoff_of
    if original is not None:
        number = (
            f" (biên bản kiểm phiếu số {original.minutes_number})"
            if original.minutes_number
            else ""
        )
        what = (
            f"kiểm phiếu bầu lại của cuộc bỏ phiếu “{original.question}”{number} giữa các "
            "trường hợp bằng phiếu ở vị trí cuối cùng"
        )
    return (
        f"Hôm nay, {long_date(conference.date)}, tại {conference.place}, trong "
        f"{conference.title}, Ban Kiểm phiếu gồm các đồng chí có tên sau đây đã tiến hành "
        f"{what}:"
    )


def minutes_of(poll: Poll) -> Minutes:
    """The figures of the minutes from counting.count() and the rules frozen at opening."""
    conference = poll.conference
    cluster = conference.cluster_year.cluster
    outcome = counting.count(poll=poll)
    threshold = counting.secrecy_threshold_for(poll)
    rules = cast(dict[str, Any], poll.frozen_rules)  # frozen when the poll opened
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
        else f"Số      -BB/{cluster_symbol(cluster.number)}"
    )
    # The table follows the order of the names on the ballot; the conclusion, the votes.
    place = {o["id"]: i for i, o in enumerate(rules["options"])}
    on_ballot = sorted(outcome.options, key=lambda r: place[r.option_id])
    people = people_options(poll)
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
            is_person=r.option_id in people,
        )
        for i, r in enumerate(on_ballot, start=1)
    ]
    reasons = [
        (INVALID_WORDS[code][0].upper() + INVALID_WORDS[code][1:], n)
        for code, n in outcome.invalid_reasons()
    ]
    if outcome.invalid_unexplained > 0:
        reasons.append(("Không ghi lý do", outcome.invalid_unexplained))
    ballots = attendance.figures(poll)
    return Minutes(
        poll=poll,
        superior=cluster.name.upper(),
        body="BAN KIỂM PHIẾU",
        number=number,
        place_date=place_date(conference.place, conference.date),
        opening=opening_of(poll),
        committee=committee,
        rules=rules_in_words(rules),
        rules_hash=poll.rules_hash,
        summoned=conference.delegates.count(),
        present=ballots.card_holders + ballots.account_issued + ballots.paper_issued,
        issued=outcome.issued,
        collected=outcome.collected,
        valid=outcome.valid,
        invalid=outcome.invalid,
        split=counting.channel_split(poll=poll, outcome=outcome, threshold=threshold),
        secrecy_threshold=threshold,
        invalid_reasons=reasons,
        electronic_invalid=outcome.electronic_invalid,
        base_words=BASE_WORDS[rules["threshold_base"]],
        base=outcome.base,
        yes_no=rules["kind"] == Poll.YES_NO,
        count_times=count_times(poll),
        rows=rows,
        conclusion=conclusion_of(rows, rules["tie_rule"]),
        trackers=polls.trackers(poll=poll),
    )


TRACKERS_TITLE = "PHỤ LỤC: MÃ THEO DÕI CỦA CÁC PHIẾU ĐIỆN TỬ ĐÃ KIỂM"
TRACKERS_NOTE = (
    "Mỗi đại biểu bỏ phiếu điện tử được cho xem mã theo dõi phiếu của mình; mã được tạo từ lá "
    "phiếu đã mã hóa, không cho biết nội dung phiếu. Các mã xếp theo thứ tự chữ cái."
)
CHAIR = "Trưởng ban"
MEMBER = "Thành viên"


def committee_line(person, role: str) -> str:
    return f"{person_line(person)} – {role}"


def committee_signatures(committee: list) -> list[tuple[str, str]]:
    """(role in capitals, name) per member: the named chair as TRƯỞNG BAN, the others as
    THÀNH VIÊN (with no chair named, everyone signs as a member)."""
    return [(role.upper(), person.full_name) for person, role in committee]


def minutes_docx(poll: Poll) -> bytes:
    """The minutes as a Word file (python-docx), to be edited and signed."""
    m = minutes_of(poll)
    document = new_document()
    party_header(
        document,
        left=[(m.superior, False), (m.body, True)],
        number=m.number,
        place_date=m.place_date,
    )
    center = WD_ALIGN_PARAGRAPH.CENTER
    para(document, m.title, bold=True, align=center, size=Pt(15))
    para(document, m.subtitle, bold=True, align=center)
    para(document, m.opening)
    for person, role in m.committee:
        para(document, "- " + committee_line(person, role))
    para(document, "I. THỂ LỆ BẦU CỬ", bold=True)
    for line in m.rules:
        para(document, "- " + line)
    para(document, f"Mã kiểm tra bộ quy tắc (SHA-256): {m.rules_hash}", size=Pt(11))
    para(document, "II. KẾT QUẢ KIỂM PHIẾU", bold=True)
    for line in [*m.figures, f"Tỷ lệ phần trăm tính trên {m.base_words} ({m.base})."]:
        para(document, line)
    heads = ["STT", "Họ và tên / Đơn vị"]
    heads += ["Đồng ý", "Không đồng ý", "Không ý kiến"] if m.yes_no else ["Số phiếu"]
    heads += ["Tỷ lệ", "Kết quả"]
    table = document.add_table(rows=1, cols=len(heads))
    table.style = document.styles["Table Grid"]
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        cell_para(cell, text, bold=True, align=center, size=Pt(13))
    for row in m.rows:
        values = [str(row.number), row.label]
        values += (
            [str(row.votes), str(row.against), str(row.abstain)] if m.yes_no else [str(row.votes)]
        )
        values += [row.share, row.verdict]
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, values, strict=True)):
            cell_para(cell, text, align=None if i == 1 else center, size=Pt(13))
    para(document)
    para(document, "III. KẾT LUẬN", bold=True)
    for line in m.conclusion:
        para(document, line)
    para(document, m.closing)
    signatures(document, committee_signatures(m.committee))
    if m.trackers:
        para(document, TRACKERS_TITLE, bold=True, align=center)
        para(document, TRACKERS_NOTE, size=Pt(11))
        para(document, "   ".join(m.trackers), size=Pt(11))
    return to_bytes(document)


def minutes_pdf(poll: Poll) -> bytes:
    """The minutes as PDF (WeasyPrint, Liberation Serif), for reading and archiving."""
    m = minutes_of(poll)
    return render_pdf(
        "awards/documents/minutes.html",
        {
            "m": m,
            "trackers_title": TRACKERS_TITLE,
            "trackers_note": TRACKERS_NOTE,
            "signatures": committee_signatures(m.committee),
            "committee": [committee_line(p, role) for p, role in m.committee],
        },
    )


# The proposal ---------------------------------------------------------------------------------


@dataclass
class ProposalSection:
    """An award type of the proposal: those the polls granted a place, in order of votes."""

    award_type: AwardType
    rows: list[CandidateOutcome] = field(default_factory=list)

    @property
    def candidates(self) -> list[Candidate]:
        return [row.candidate for row in self.rows]


def candidate_line(candidate: Candidate, *, quoted: bool = False) -> str:
    """A candidate as the papers list it: the unit's name, the person's line, or a campaign
    entry's title with its unit's name in brackets. The award proposal writes the title bare;
    the year-end summary puts it in quotes (`quoted`), as it does the campaigns' names."""
    if candidate.unit_id:
        return candidate.unit.name
    if candidate.person_id:
        return person_line(candidate.person)
    entry = candidate.campaign_entry
    title = f'"{entry.title}"' if quoted else entry.title
    return f"{title} ({entry.unit.name})"


def proposal_polls(vote: SlateVote) -> list[Poll]:
    """The published polls of the slate (first polls and runoffs): their minutes are attached,
    by the conference's date and the order they were made."""
    polls = [poll for poll in vote.polls if poll.is_published]
    return sorted(polls, key=lambda poll: (poll.conference.date, poll.pk))


def proposed_candidates(vote: SlateVote) -> list[ProposalSection]:
    """The candidates the proposal puts forward: per award type of the slate, only those the
    published polls granted a place (a runoff's winners in place of the tie), in the order of
    their votes. An award type nobody passed has no section."""
    return [
        ProposalSection(award_type=award.award_type, rows=award.passed)
        for award in vote.awards
        if award.passed
    ]


def vote_line(row: CandidateOutcome) -> str:
    """A candidate's votes as the papers write them: "9 phiếu, đạt 81,82%"."""
    return f"{row.votes} phiếu, đạt {vn_percent(row.share or Decimal(0))}"


def minutes_name(poll: Poll) -> str:
    """The minutes of a poll as the proposal names them: "Biên bản kiểm phiếu số 01-BB/CTĐ4"."""
    number = f" số {poll.minutes_number}" if poll.minutes_number else ""
    return f"Biên bản kiểm phiếu{number}"


def leader_assignment(cluster_year) -> LeadershipAssignment | None:
    return (
        LeadershipAssignment.objects.filter(
            cluster_year=cluster_year, role__kind=LeadershipRole.LEADER
        )
        .select_related("unit", "role")
        .first()
    )


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


def proposal_of(nomination_round: NominationRound) -> ProposalDocument:
    """The text of the award proposal (Tờ trình đề nghị khen thưởng) of a round, from the
    published votes on its slate (awards.selectors_slate.slate_vote)."""
    cluster_year = nomination_round.cluster_year
    cluster = cluster_year.cluster
    proposal = Proposal.objects.filter(round=nomination_round).first()
    vote = slate_vote(nomination_round)
    polls = proposal_polls(vote)
    leader = leader_assignment(cluster_year)
    symbol = cluster_symbol(cluster.number)
    number = f"Số {proposal.number}" if proposal and proposal.number else f"Số      -TTr/{symbol}"
    day = proposal.signed_on if proposal and proposal.signed_on else None
    place = leader.unit.province if leader and leader.unit.province else ""
    body = cluster.supervising_body or "Vụ Địa phương III"
    sections = []
    for i, section in enumerate(proposed_candidates(vote)):
        award_type = section.award_type
        who = "tập thể" if award_type.recipient == award_type.UNIT else "cá nhân"
        heading = ROMAN[i] if i < len(ROMAN) else str(i + 1)
        sections.append(
            (
                f"{heading}. {award_type.name}: {len(section.rows)} {who}",
                [
                    f"{n}. {candidate_line(row.candidate)}: {vote_line(row)}"
                    for n, row in enumerate(section.rows, start=1)
                ],
            )
        )
    attachments = [
        f"- {minutes_name(poll)}: {poll.question}{' (bầu lại)' if poll.runoff_of_id else ''} "
        f"({poll.conference.title}, {short_date(poll.conference.date)})"
        for poll in polls
    ] or ["- Biên bản hội nghị tổng kết."]
    signer = [
        f"TM. {cluster.name.upper()}",
        (proposal.signer_title.upper() if proposal and proposal.signer_title else "")
        or (leader.role.name.upper() if leader else "CỤM TRƯỞNG"),
    ]
    if proposal and proposal.signer_name:
        signer.append(proposal.signer_name)
    elif leader:
        signer.append(leader.unit.name)
    return ProposalDocument(
        superior=cluster.name.upper(),
        number=number,
        place_date=place_date(place, day, year=cluster_year.year + 1),
        year=cluster_year.year,
        body=body,
        opening=(
            f"Căn cứ kết quả chấm điểm, xếp loại thi đua năm {cluster_year.year} và kết quả "
            f"bỏ phiếu {_where_voted(polls)}, {cluster.name} đề nghị Ban Tổ chức Trung ương "
            "xem xét, khen thưởng cho các tập thể và cá nhân sau:"
        ),
        sections=sections,
        attachments=attachments,
        closing=f"{cluster.name} kính trình Ban Tổ chức Trung ương xem xét, quyết định.",
        recipients=[f"- {body}, Ban Tổ chức Trung ương;", "- Lưu."],
        signer=signer,
    )


def _where_voted(polls: list[Poll]) -> str:
    """The conference(s), their date and the numbers of the minutes: "tại Hội nghị tổng kết
    năm 2020 ngày 04 tháng 12 năm 2020 (biên bản kiểm phiếu số 01-BB/CTĐ4, 02-BB/CTĐ4)"."""
    if not polls:
        return "tại hội nghị tổng kết"
    conferences = list({poll.conference.pk: poll.conference for poll in polls}.values())
    where = "; ".join(f"tại {c.title} {long_date(c.date)}" for c in conferences)
    numbers = [poll.minutes_number for poll in polls if poll.minutes_number]
    if numbers:
        where += f" (biên bản kiểm phiếu số {', '.join(numbers)})"
    return where


NO_CANDIDATES = "(Chưa có tập thể, cá nhân nào trong danh sách đề nghị.)"


def proposal_docx(nomination_round: NominationRound) -> bytes:
    """The award proposal (Tờ trình đề nghị khen thưởng) of a round, as a Word file."""
    p = proposal_of(nomination_round)
    document = new_document()
    party_header(document, left=[(p.superior, True)], number=p.number, place_date=p.place_date)
    center = WD_ALIGN_PARAGRAPH.CENTER
    para(document, p.title, bold=True, align=center, size=Pt(15))
    para(document, p.subtitle, bold=True, align=center)
    para(document, "-----", align=center)
    para(document, f"Kính gửi: Ban Tổ chức Trung ương ({p.body})", bold=True, align=center)
    para(document, p.opening)
    if not p.sections:
        para(document, NO_CANDIDATES, italic=True)
    for heading, lines in p.sections:
        para(document, heading, bold=True)
        for line in lines:
            para(document, line)
    para(document, "Hồ sơ kèm theo:", bold=True)
    for line in p.attachments:
        para(document, line)
    para(document, p.closing)
    closing(document, recipients=p.recipients, signer=p.signer)
    return to_bytes(document)


def proposal_pdf(nomination_round: NominationRound) -> bytes:
    """The award proposal as PDF (WeasyPrint, Liberation Serif), the same text as the Word file."""
    return render_pdf(
        "awards/documents/proposal.html",
        {"p": proposal_of(nomination_round), "no_candidates": NO_CANDIDATES},
    )
