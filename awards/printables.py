"""The papers the counting committee prints before a vote, as PDF with the primitives of
common.documents: the paper ballots of a poll (Phiếu bầu; Phiếu biểu quyết for a yes/no poll)
on A5 or A4, one ballot per page, and the delegates' sign-in sheet (Danh sách đại biểu nhận
phiếu) of a conference or of one of its polls.

A ballot says what the poll's rules say (the frozen rules once the poll is open, the current
ones of a draft): the names in ballot order, how to mark them, how many may be chosen and what
makes a ballot invalid, in the words of the minutes (awards.documents). It carries no number or
other mark that could tell one copy from another: only the committee's stamp, put on by hand.

The text is Vietnamese whatever the interface language, as in every paper of awards.documents.
Builders read the database and return bytes; nothing here writes.
"""

from dataclasses import dataclass, field
from typing import Any, cast

from clusters.models import Conference, Person
from clusters.selectors import person_name_key
from common.documents import place_date, render_pdf
from common.formatting import long_date

from .documents import invalid_in_words, question_line
from .models import AwardType, CheckIn, CommitteeChair, Issuance, Poll
from .services import attendance

A5, A4 = "a5", "a4"
SIZES = [(A5, "A5"), (A4, "A4")]
MAX_COPIES = 200
STYLESHEET = "css/printables_pdf.css"

UNITS, PEOPLE, EITHER = "đơn vị", "đồng chí", "đồng chí/đơn vị"
# How to mark a paper ballot, per kind of poll: {who} is UNITS, PEOPLE or EITHER.
MARKING_WORDS = {
    Poll.CHOOSE: (
        "Đồng ý chọn {who} nào thì đánh dấu (X) vào ô bên cạnh tên; không đồng ý thì để trống."
    ),
    Poll.STRIKE_OUT: "Đồng ý chọn {who} nào thì giữ nguyên, không đồng ý thì gạch ngang tên.",
    Poll.YES_NO: (
        "Đối với mỗi {who}, đánh dấu (X) vào một trong ba ô: Đồng ý, Không đồng ý hoặc "
        "Không ý kiến."
    ),
    Poll.ONE_CHOICE: "Đánh dấu (X) vào ô bên cạnh phương án được chọn.",
}
SEATS_WORDS = {
    Poll.CHOOSE: "Số lượng được chọn: tối đa {seats} {who}.",
    Poll.STRIKE_OUT: "Số lượng được giữ lại: tối đa {seats} {who}.",
    Poll.YES_NO: "Số lượng được đồng ý: tối đa {seats} {who}.",
    Poll.ONE_CHOICE: "Chỉ chọn một phương án.",
}
CHANNEL_WORDS = {
    Issuance.PAPER: "Phiếu giấy",
    Issuance.CARD: "Thẻ QR",
    Issuance.ACCOUNT: "Tài khoản",
}
# Beyond this many names the ballot is set smaller, so that it stays on one page.
DENSE_OPTIONS = 12


# The ballots ----------------------------------------------------------------------------------


@dataclass
class BallotPaper:
    """Everything a paper ballot says."""

    superior: str  # CỤM THI ĐUA SỐ 4
    conference: str  # HỘI NGHỊ TỔNG KẾT NĂM 2020
    place_date: str
    title: str  # PHIẾU BẦU, PHIẾU BIỂU QUYẾT
    question: str
    kind: str
    marking: str
    seats: str
    invalid: list[str]
    options: list[str]
    size: str

    @property
    def yes_no(self) -> bool:
        return self.kind == Poll.YES_NO

    @property
    def strike_out(self) -> bool:
        return self.kind == Poll.STRIKE_OUT

    @property
    def dense(self) -> bool:
        return len(self.options) > DENSE_OPTIONS


def _who(poll: Poll, options: list[dict]) -> str:
    """Whom the ballot names: units when every name is a unit's, people for an award to
    individuals, else either."""
    if options and all(o["unit"] for o in options):
        return UNITS
    if poll.award_type is not None and poll.award_type.recipient == AwardType.INDIVIDUAL:
        return PEOPLE
    return EITHER


def ballot_of(poll: Poll, *, size: str = A5) -> BallotPaper:
    """The ballot of a draft or open poll, from its frozen rules once open, else from its
    rules and names as they are now."""
    conference = poll.conference
    rules = cast(dict[str, Any], poll.frozen_rules or poll.rules_snapshot())
    who = _who(poll, rules["options"])
    kind = rules["kind"]
    # Polls frozen before the invalid-ballot rule existed have no such line (as the minutes).
    invalid = invalid_in_words(rules["invalid_if"]) if "invalid_if" in rules else []
    return BallotPaper(
        superior=conference.cluster_year.cluster.name.upper(),
        conference=conference.title.upper(),
        place_date=place_date(conference.place, conference.date),
        title="PHIẾU BIỂU QUYẾT" if kind == Poll.YES_NO else "PHIẾU BẦU",
        question=question_line(poll),
        kind=kind,
        marking=MARKING_WORDS[kind].format(who=who),
        seats=SEATS_WORDS[kind].format(seats=rules["seats"], who=who),
        invalid=invalid,
        options=[o["label"] for o in rules["options"]],
        size=size,
    )


def paper_copies(poll: Poll) -> int:
    """How many paper ballots the poll issues: those given on paper once it is open, else the
    delegates present on paper now; at least one."""
    if poll.is_draft:
        paper = CheckIn.objects.filter(
            conference_id=poll.conference_id, channel=Issuance.PAPER, checked_out_at=None
        ).count()
    else:
        paper = attendance.figures(poll).paper_issued
    return max(paper, 1)


def ballots_pdf(poll: Poll, *, size: str = A5, copies: int = 1) -> bytes:
    """`copies` paper ballots of the poll, one per page of the size (A5 or A4)."""
    return render_pdf(
        "awards/documents/ballot.html",
        {"b": ballot_of(poll, size=size)},
        stylesheets=(STYLESHEET,),
        copies=copies,
    )


# The sign-in sheet ----------------------------------------------------------------------------


@dataclass
class SignInRow:
    number: int
    name: str
    position_unit: str  # "Chuyên viên, Ban Tổ chức Tỉnh ủy Tây Ninh"
    channel: str  # blank when not checked in (or given no ballot of the poll)


@dataclass
class SignInSheet:
    """Everything the delegates' sign-in sheet says."""

    superior: str
    body: str
    place_date: str
    title: str
    conference: str
    when_where: str
    poll: str  # the poll's question, for the sheet of one poll
    chair: str
    rows: list[SignInRow] = field(default_factory=list)


def _position_unit(person: Person) -> str:
    return f"{person.position}, {person.unit.name}" if person.position else person.unit.name


def sign_in_sheet_of(conference: Conference, *, poll: Poll | None = None) -> SignInSheet:
    """The conference's roster of delegates in Vietnamese alphabetical order (by given name),
    each with the channel of their check-in while present; for one poll that has opened, the
    channel of the ballot it gave them."""
    delegates = sorted(
        conference.delegates.select_related("unit"),
        key=lambda p: (*person_name_key(p.full_name), p.pk),
    )
    if poll is not None and not poll.is_draft:
        channels = dict(Issuance.objects.filter(poll=poll).values_list("person_id", "channel"))
    else:
        present = CheckIn.objects.filter(conference=conference, checked_out_at=None)
        channels = dict(present.values_list("person_id", "channel"))
    chair = (
        CommitteeChair.objects.filter(conference=conference)
        .values_list("person__full_name", flat=True)
        .first()
    )
    return SignInSheet(
        superior=conference.cluster_year.cluster.name.upper(),
        body="BAN KIỂM PHIẾU",
        place_date=place_date(conference.place, conference.date),
        title="DANH SÁCH ĐẠI BIỂU NHẬN PHIẾU",
        conference=conference.title,
        when_where=f"Thời gian: {long_date(conference.date)}. Địa điểm: {conference.place}.",
        poll=question_line(poll) if poll is not None else "",
        chair=chair or "",
        rows=[
            SignInRow(
                number=i,
                name=person.full_name,
                position_unit=_position_unit(person),
                channel=CHANNEL_WORDS.get(channels.get(person.pk, ""), ""),
            )
            for i, person in enumerate(delegates, start=1)
        ],
    )


def sign_in_sheet_pdf(conference: Conference, *, poll: Poll | None = None) -> bytes:
    """The sign-in sheet as PDF (A4)."""
    return render_pdf(
        "awards/documents/sign_in_sheet.html",
        {"s": sign_in_sheet_of(conference, poll=poll)},
        stylesheets=(STYLESHEET,),
    )
