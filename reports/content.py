"""What the year-end summary (Báo cáo tổng kết công tác thi đua) of a cluster year says, gathered
once from the clusters, scorecards and awards data, and shared by the Word, PDF and Excel
builders (reports/documents.py); and each cluster's share of a roll-up.

The text is Vietnamese whatever the interface language: the summary is an official paper of a
Vietnamese body, so nothing here goes through gettext. Where a fact is missing (unit reports,
an unpublished ranking, no key tasks, no leadership for next year), `Summary.missing` says so in
a plain sentence and the documents print it; nothing here raises for missing data.

`summary_of` makes a fixed number of queries whatever the number of units and criteria (a few
more for each poll held on an award type, since each poll is counted by awards.services.counting).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q

from awards.documents import candidate_line, proposal_polls, proposed_candidates
from awards.models import AwardType, NominationRound, Proposal
from awards.selectors_slate import slate_vote
from awards.services import counting
from clusters.models import ClusterYear, Conference, LeadershipAssignment, LeadershipRole, Unit
from clusters.selectors import member_unit_ids, vietnamese_key
from common.documents import cluster_symbol, place_date
from common.formatting import long_date, short_date, vn_amount, vn_number, vn_percent
from scorecards.models import (
    Campaign,
    CampaignEntry,
    Pledge,
    RankingPublication,
)
from scorecards.selectors import Trend, ranking_table, trend

from .models import KeyFigure, UnitReport, YearSummary

TREND_YEARS = 5  # the trend chart shows up to this many published years, the summary's last

CONFERENCE_KINDS = {
    Conference.MID_YEAR: "Hội nghị sơ kết",
    Conference.YEAR_END: "Hội nghị tổng kết",
    Conference.PLEDGE: "Ký kết giao ước thi đua",
    Conference.OTHER: "Hội nghị khác",
}
SECTION_HEADINGS = {
    "achievements": "Kết quả đạt được",
    "limitations": "Hạn chế",
    "causes": "Nguyên nhân của hạn chế",
    "lessons": "Bài học kinh nghiệm",
    "proposals": "Đề xuất, kiến nghị",
}
# Reports whose text goes into the summary: submitted (not yet accepted) ones too, flagged.
INCLUDED_REPORTS = UnitReport.HANDED_IN
RANKING_NOT_PUBLISHED = "Bảng xếp hạng chưa được công bố."
NO_AWARDS = "Chưa có danh sách đề nghị khen thưởng năm {year}."
NO_SECTION_TEXT = "(Chưa có nội dung từ báo cáo của các đơn vị.)"


def _names(names) -> str:
    return ", ".join(names)


# The summary --------------------------------------------------------------------------------


@dataclass
class Member:
    name: str  # as the unit was named that year, e.g. Ban Tổ chức Tỉnh ủy Bình Dương
    short_name: str


@dataclass
class ConferenceLine:
    title: str
    kind: str  # Vietnamese words for the kind of meeting
    place: str
    date: object  # datetime.date

    @property
    def text(self) -> str:
        return f"{self.title}, tại {self.place}, ngày {short_date(self.date)}."


@dataclass
class PledgeInfo:
    year: int
    present: bool
    signed: int = 0
    expected: int = 0
    unsigned: list[str] = field(default_factory=list)  # short names
    has_document: bool = False

    @property
    def text(self) -> str:
        if not self.present:
            return f"Chưa có giao ước thi đua năm {self.year} trên hệ thống."
        text = f"Giao ước thi đua năm {self.year}: {self.signed}/{self.expected} đơn vị đã ký"
        if self.unsigned:
            text += f"; chưa ký: {_names(self.unsigned)}"
        return text + "."


@dataclass
class CampaignLine:
    title: str
    start: object
    end: object
    entries: int
    units: int
    shortlisted: list[tuple[str, str]] = field(default_factory=list)  # (unit name, entry title)

    @property
    def text(self) -> str:
        text = (
            f'Phong trào thi đua "{self.title}" (từ {short_date(self.start)} đến '
            f"{short_date(self.end)}): {self.entries} bài dự thi của {self.units} đơn vị"
        )
        if self.shortlisted:
            return text + f"; {len(self.shortlisted)} bài được chọn đề nghị khen thưởng:"
        return text + "."


@dataclass
class RankingLine:
    rank: int | None
    unit: str  # the unit's name that year
    short_name: str
    base: Decimal | None
    bonus: Decimal | None
    deductions: Decimal | None
    total: Decimal | None
    grade: str
    scores: dict[int, Decimal] = field(default_factory=dict)  # criterion id -> final subtotal

    @property
    def cells(self) -> list[str]:
        """The row as printed: rank, unit, base, bonus, deductions, total, grade."""
        if self.total is None:
            return ["", self.unit, "", "", "", "", "Chưa có bảng điểm"]
        return [
            str(self.rank) if self.rank else "",
            self.unit,
            vn_number(self.base),
            vn_number(self.bonus),
            vn_number(self.deductions),
            vn_number(self.total),
            self.grade,
        ]


@dataclass
class CriterionLine:
    id: int
    number: str
    text: str
    max_points: Decimal
    depth: int
    is_group: bool
    kind: str


@dataclass
class VoteLine:
    label: str
    votes: int
    share: Decimal
    elected: bool
    tied: bool = False  # tied at the last seat: a runoff (or the tie rule) decides

    @property
    def share_text(self) -> str:
        return vn_percent(self.share)

    @property
    def verdict(self) -> str:
        if self.elected:
            return "Được đề nghị"
        return "Bằng phiếu" if self.tied else "Không đạt"


@dataclass
class PollResult:
    question: str
    conference: str
    date: object
    issued: int
    collected: int
    valid: int
    invalid: int
    rows: list[VoteLine] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return (
            f"Kết quả bỏ phiếu kín ({self.question}, {short_date(self.date)}): phát ra "
            f"{self.issued} phiếu, thu vào {self.collected} phiếu, hợp lệ {self.valid} phiếu, "
            f"không hợp lệ {self.invalid} phiếu."
        )


@dataclass
class AwardSection:
    award_type: str  # e.g. Cờ thi đua của Ban Tổ chức Trung ương
    for_units: bool
    candidates: list[str] = field(default_factory=list)  # names as printed
    polls: list[PollResult] = field(default_factory=list)

    @property
    def heading(self) -> str:
        who = "tập thể" if self.for_units else "cá nhân"
        return f"{self.award_type}: {len(self.candidates)} {who}"


@dataclass
class ReportEntry:
    unit: str  # the unit's name
    text: str
    accepted: bool

    @property
    def label(self) -> str:
        return self.unit if self.accepted else f"{self.unit} (báo cáo chưa được duyệt)"

    @property
    def line(self) -> str:
        return f"{self.label}: {self.text}"


@dataclass
class MergedSection:
    key: str
    heading: str
    entries: list[ReportEntry] = field(default_factory=list)


@dataclass
class FigureLine:
    label: str
    value: Decimal
    measure: str

    @property
    def value_text(self) -> str:
        return f"{vn_amount(self.value)} {self.measure}".strip()


@dataclass
class Summary:
    """Everything the year-end summary says, in Vietnamese, shared by the document builders."""

    cluster_name: str  # Cụm thi đua số 4, Ngành Tổ chức xây dựng Đảng
    issuer: str  # CỤM THI ĐUA SỐ 4 (the issuing body at the top left)
    cluster_number: int
    year: int
    number: str  # Số 35-BC/CTĐ4, or the blank form "Số      -BC/CTĐ4"
    place: str
    date: object  # datetime.date of the report (the year-end conference), or None
    place_date: str  # Tây Ninh, ngày 04 tháng 12 năm 2020 (blank form without a date)
    supervising_body: str
    members: list[Member] = field(default_factory=list)
    leadership: list[tuple[str, str]] = field(default_factory=list)  # this year: (role, unit)
    conferences: list[ConferenceLine] = field(default_factory=list)
    plan_title: str = ""
    plan_document: bool = False
    pledge: PledgeInfo | None = None  # the year's pledge
    next_pledge: PledgeInfo | None = None  # next year's, signed at the year-end conference
    campaigns: list[CampaignLine] = field(default_factory=list)
    ranking_published: bool = False
    ranking_published_on: object = None  # datetime.date
    ranking: list[RankingLine] = field(default_factory=list)  # empty when not published
    grade_counts: list[tuple[str, int]] = field(default_factory=list)  # (grade, units)
    criteria: list[CriterionLine] = field(default_factory=list)  # for the score table
    trend_years: list[int] = field(default_factory=list)
    trend_series: list[tuple[str, dict[int, Decimal]]] = field(default_factory=list)
    awards: list[AwardSection] = field(default_factory=list)
    award_conference: str = ""  # where the awards were voted (the year-end conference)
    proposal: list[str] = field(default_factory=list)  # the proposal and its outcome, in words
    next_leadership: list[tuple[str, str]] = field(default_factory=list)  # (role, unit)
    sections: list[MergedSection] = field(default_factory=list)  # the units' report sections
    figures: list[tuple[str, list[FigureLine]]] = field(default_factory=list)  # (unit, figures)
    reports_received: int = 0
    reports_expected: int = 0
    key_tasks: list[str] = field(default_factory=list)
    leader_role: str = "Cụm trưởng"
    leader_unit: str = ""  # this year's leader, who signs
    signer_name: str = ""
    recipients: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    # Charts drawn by the builders, kept so that Word and PDF draw them once.
    chart_cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def next_year(self) -> int:
        return self.year + 1

    @property
    def title(self) -> str:
        return "BÁO CÁO"

    @property
    def subtitle(self) -> str:
        return (
            f"Tổng kết công tác thi đua năm {self.year} và phương hướng, nhiệm vụ năm "
            f"{self.next_year}"
        )

    @property
    def signer(self) -> list[str]:
        lines = [f"TM. {self.issuer}", self.leader_role.upper()]
        if self.leader_unit:
            lines.append(self.leader_unit)
        return lines

    def section(self, key: str) -> MergedSection:
        return next(s for s in self.sections if s.key == key)


def issuer_of(cluster) -> str:
    """CỤM THI ĐUA SỐ 4 from "Cụm thi đua số 4, Ngành Tổ chức xây dựng Đảng"."""
    return cluster.name.split(",")[0].strip().upper()


def _members(cluster_year: ClusterYear) -> list[Unit]:
    ids = member_unit_ids(cluster_id=cluster_year.cluster_id, year=cluster_year.year)
    units = list(Unit.objects.filter(pk__in=ids).order_by())
    return sorted(units, key=lambda unit: vietnamese_key(unit.short_name))


def _leadership(cluster_year_ids: list[int]) -> dict[int, list[LeadershipAssignment]]:
    by_year: dict[int, list[LeadershipAssignment]] = defaultdict(list)
    for assignment in (
        LeadershipAssignment.objects.filter(cluster_year_id__in=cluster_year_ids)
        .select_related("role", "unit")
        .order_by("role__rank")
    ):
        by_year[assignment.cluster_year_id].append(assignment)
    return by_year


def _pledge(cluster_year: ClusterYear | None, year: int, members: list[Unit]) -> PledgeInfo:
    if cluster_year is None:
        return PledgeInfo(year=year, present=False)
    pledge = Pledge.objects.filter(cluster_year=cluster_year).first()
    if pledge is None:
        return PledgeInfo(year=year, present=False)
    signed = set(pledge.signatures.values_list("unit_id", flat=True))
    return PledgeInfo(
        year=year,
        present=True,
        signed=sum(1 for unit in members if unit.pk in signed),
        expected=len(members),
        unsigned=[unit.short_name for unit in members if unit.pk not in signed],
        has_document=bool(pledge.document),
    )


def _ranking(cluster_year: ClusterYear, summary: Summary) -> None:
    publication = RankingPublication.objects.filter(cluster_year=cluster_year).first()
    if publication is None:
        summary.missing.append(RANKING_NOT_PUBLISHED)
        return
    summary.ranking_published = True
    summary.ranking_published_on = publication.published_at.date()
    table = ranking_table(cluster_year=cluster_year)
    depth: dict[int, int] = {}
    for criterion in table.criteria:  # ordered by position: a parent comes before its children
        depth[criterion.pk] = depth.get(criterion.parent_id, -1) + 1 if criterion.parent_id else 0
    summary.criteria = [
        CriterionLine(
            id=c.pk,
            number=c.number,
            text=c.text,
            max_points=c.max_points,
            depth=depth[c.pk],
            is_group=c.is_group,
            kind=c.kind,
        )
        for c in table.criteria
    ]
    unscored = []
    for row in table.rows:
        if row.scorecard is None or row.scorecard.is_draft:
            unscored.append(row.unit.short_name)
            summary.ranking.append(
                RankingLine(None, row.unit.name, row.unit.short_name, None, None, None, None, "")
            )
            continue
        sheet = row.sheet
        summary.ranking.append(
            RankingLine(
                rank=row.rank,
                unit=row.unit.name,
                short_name=row.unit.short_name,
                base=sheet.base,
                bonus=sheet.bonus,
                deductions=sheet.deductions,
                total=sheet.total,
                grade=row.grade,
                scores=dict(sheet.nodes),
            )
        )
    grades = Counter(line.grade for line in summary.ranking if line.total is not None)
    summary.grade_counts = [
        (band.name, grades[band.name]) for band in table.bands if grades[band.name]
    ]
    if unscored:
        summary.missing.append(f"Chưa có bảng điểm của {len(unscored)} đơn vị: {_names(unscored)}.")


def _trend(cluster_year: ClusterYear) -> Trend | None:
    years = list(
        ClusterYear.objects.filter(
            cluster_id=cluster_year.cluster_id,
            year__lte=cluster_year.year,
            ranking_publication__isnull=False,
        ).order_by("-year")[:TREND_YEARS]
    )
    if len(years) < 2:
        return None
    return trend(cluster_years=years)


def _trend_label(series, year: int) -> str:
    unit = series.unit
    if series.successor is None or unit.exists_in_year(year):
        return unit.short_name
    if series.successor.short_name == unit.short_name:
        return f"{unit.short_name} (trước hợp nhất)"
    return f"{unit.short_name} (nay thuộc {series.successor.short_name})"


def _awards(cluster_year: ClusterYear, summary: Summary) -> list:
    """The award sections, from the same data as the award proposal: the published votes on
    the slate (awards.selectors_slate.slate_vote), only those they granted a place, and the
    proposal's state. Returns the proposed sections (awards.documents.ProposalSection)."""
    nomination_round = NominationRound.objects.filter(cluster_year=cluster_year).first()
    if nomination_round is None:
        summary.missing.append(NO_AWARDS.format(year=cluster_year.year))
        return []
    vote = slate_vote(nomination_round)
    polls = proposal_polls(vote)
    sections = proposed_candidates(vote)
    polls_by_type: dict[int | None, list[PollResult]] = defaultdict(list)
    outcomes = counting.count_many(polls=polls) if polls else {}
    for poll in polls:
        outcome = outcomes[poll.pk]
        polls_by_type[poll.award_type_id].append(
            PollResult(
                question=f"{poll.question} (bầu lại)" if poll.runoff_of_id else poll.question,
                conference=poll.conference.title,
                date=poll.conference.date,
                issued=outcome.issued,
                collected=outcome.collected,
                valid=outcome.valid,
                invalid=outcome.invalid,
                rows=[
                    VoteLine(
                        label=r.label,
                        votes=r.votes,
                        share=r.share,
                        elected=r.elected,
                        tied=r.tied_at_last_seat,
                    )
                    for r in outcome.options
                ],
            )
        )
    if polls:
        summary.award_conference = polls[0].conference.title
    for section in sections:
        award_type = section.award_type
        summary.awards.append(
            AwardSection(
                award_type=award_type.name,
                for_units=award_type.recipient == AwardType.UNIT,
                candidates=[candidate_line(c, quoted=True) for c in section.candidates],
                polls=polls_by_type.get(award_type.pk, []),
            )
        )
    if not vote.awards:
        summary.missing.append(NO_AWARDS.format(year=cluster_year.year))
    for award in vote.awards:
        if award.missing:
            summary.missing.append(_vote_missing(award))
    proposal = Proposal.objects.filter(round=nomination_round).first()
    if proposal is not None:
        words = "Tờ trình đề nghị khen thưởng"
        if proposal.number:
            words += f" số {proposal.number}"
        if proposal.signed_on:
            words += f" {long_date(proposal.signed_on)}"
        if not proposal.is_issued:
            summary.proposal.append(words + " đang được dự thảo, chưa gửi cấp trên.")
            return sections
        summary.proposal.append(words + " đã gửi cấp trên.")
        if proposal.is_decided:
            granted = [c for s in sections for c in s.candidates if c.granted]
            decided = "Cấp có thẩm quyền đã quyết định khen thưởng"
            if proposal.decision_number:
                decided += f" (Quyết định số {proposal.decision_number}"
                if proposal.decision_date:
                    decided += f" {long_date(proposal.decision_date)}"
                decided += ")"
            total = sum(len(s.candidates) for s in sections)
            summary.proposal.append(
                f"{decided}: {len(granted)}/{total} tập thể, cá nhân được khen thưởng."
            )
        else:
            summary.proposal.append("Chưa có quyết định khen thưởng của cấp có thẩm quyền.")
    return sections


def _vote_missing(award) -> str:
    """What an award type's vote still lacks, as the summary says it (awards.selectors_slate
    .AwardVote): no poll yet, the polls whose result is not published, or a tie not resolved."""
    award_type = award.award_type
    who = "tập thể" if award_type.recipient == AwardType.UNIT else "cá nhân"
    head = f"{award_type.name} ({who})"
    if not award.polls:
        return (
            f"{head}: danh sách đề cử có {len(award.candidates)} {who}; chưa có kết quả bỏ phiếu."
        )
    waiting = [
        f"“{p.question}”" + (" (bầu lại)" if p.runoff_of_id else "")
        for p in award.polls
        if not p.is_published
    ]
    if waiting:
        return f"{head}: chưa công bố kết quả bỏ phiếu {', '.join(waiting)}."
    return f"{head}: còn bằng phiếu ở vị trí cuối cùng, chưa được giải quyết."


def _reports(cluster_year: ClusterYear, members: list[Unit], summary: Summary) -> None:
    reports = {
        report.unit_id: report
        for report in UnitReport.objects.filter(
            cluster_year=cluster_year, status__in=INCLUDED_REPORTS
        ).prefetch_related(
            Prefetch("figures", queryset=KeyFigure.objects.order_by("position", "pk"))
        )
    }
    summary.sections = [MergedSection(key=k, heading=SECTION_HEADINGS[k]) for k in SECTION_HEADINGS]
    received, not_accepted, absent = 0, [], []
    for unit in members:
        report = reports.get(unit.pk)
        if report is None:
            absent.append(unit.short_name)
            continue
        received += 1
        accepted = report.status == UnitReport.Status.ACCEPTED
        if not accepted:
            not_accepted.append(unit.short_name)
        for section in summary.sections:
            text = " ".join(line.strip() for line in getattr(report, section.key).splitlines())
            text = " ".join(text.split())
            if text:
                section.entries.append(ReportEntry(unit=unit.name, text=text, accepted=accepted))
        figures = [
            FigureLine(label=f.label, value=f.value, measure=f.measure)
            for f in report.figures.all()
        ]
        if figures:
            summary.figures.append((unit.name, figures))
    summary.reports_received = received
    summary.reports_expected = len(members)
    if absent:
        summary.missing.append(f"Chưa có báo cáo của {len(absent)} đơn vị: {_names(absent)}.")
    if not_accepted:
        summary.missing.append(
            f"Báo cáo của {len(not_accepted)} đơn vị chưa được duyệt: {_names(not_accepted)}."
        )


def summary_of(cluster_year: ClusterYear) -> Summary:
    """Gather the year-end summary of a cluster year (reads only)."""
    cluster_year = ClusterYear.objects.select_related("cluster").get(pk=cluster_year.pk)
    cluster = cluster_year.cluster
    year = cluster_year.year
    next_cluster_year = ClusterYear.objects.filter(cluster=cluster, year=year + 1).first()
    settings = YearSummary.objects.filter(cluster_year=cluster_year).first()
    members = _members(cluster_year)
    leadership = _leadership(
        [cluster_year.pk] + ([next_cluster_year.pk] if next_cluster_year else [])
    )
    this_leadership = leadership.get(cluster_year.pk, [])
    leader = next((a for a in this_leadership if a.role.kind == LeadershipRole.LEADER), None)

    conferences = list(
        Conference.objects.filter(
            Q(cluster_year=cluster_year) | Q(cluster_year__cluster=cluster, date__year=year)
        )
        .distinct()
        .order_by("date", "pk")
    )
    year_end = [
        c
        for c in conferences
        if c.kind == Conference.YEAR_END and c.cluster_year_id == cluster_year.pk
    ]
    day = year_end[-1].date if year_end else None
    place = leader.unit.province if leader else (year_end[-1].place if year_end else "")
    symbol = cluster_symbol(cluster.number)
    number = settings.number.strip() if settings and settings.number.strip() else ""
    if number and not number.startswith("Số"):
        number = f"Số {number}"
    body = cluster.supervising_body or "Vụ Địa phương III, Ban Tổ chức Trung ương"

    summary = Summary(
        cluster_name=cluster.name,
        issuer=issuer_of(cluster),
        cluster_number=cluster.number,
        year=year,
        number=number or f"Số      -BC/{symbol}",
        place=place,
        date=day,
        place_date=place_date(place, day, year=year),
        supervising_body=body,
        members=[Member(name=u.name, short_name=u.short_name) for u in members],
        leadership=[(a.role.name, a.unit.name) for a in this_leadership],
        conferences=[
            ConferenceLine(
                title=c.title, kind=CONFERENCE_KINDS.get(c.kind, ""), place=c.place, date=c.date
            )
            for c in conferences
        ],
        plan_title=cluster_year.plan_title,
        plan_document=bool(cluster_year.plan_document),
        leader_role=leader.role.name if leader else "Cụm trưởng",
        leader_unit=leader.unit.name if leader else "",
        signer_name=settings.signer_name if settings else "",
        recipients=[
            f"- {body};",
            f"- Các đơn vị thành viên {issuer_of(cluster).capitalize()};",
            "- Lưu.",
        ],
    )
    if not cluster_year.plan_title and not cluster_year.plan_document:
        summary.missing.append(f"Chưa có kế hoạch thi đua năm {year}.")
    if not year_end:
        summary.missing.append(f"Chưa có Hội nghị tổng kết năm {year}.")

    summary.pledge = _pledge(cluster_year, year, members)
    if next_cluster_year is not None:
        next_members = _members(next_cluster_year)
        summary.next_pledge = _pledge(next_cluster_year, year + 1, next_members)
        if not summary.next_pledge.present:
            summary.next_pledge = None

    campaigns = list(
        Campaign.objects.filter(cluster_year=cluster_year)
        .order_by("start_date", "pk")
        .prefetch_related(
            Prefetch(
                "entries", queryset=CampaignEntry.objects.select_related("unit").order_by("pk")
            )
        )
    )
    for campaign in campaigns:
        entries = list(campaign.entries.all())
        entries.sort(key=lambda e: vietnamese_key(e.unit.short_name))
        summary.campaigns.append(
            CampaignLine(
                title=campaign.title,
                start=campaign.start_date,
                end=campaign.end_date,
                entries=len(entries),
                units=len({e.unit_id for e in entries}),
                shortlisted=[(e.unit.name, e.title) for e in entries if e.shortlisted],
            )
        )

    _ranking(cluster_year, summary)
    if summary.ranking_published:
        history = _trend(cluster_year)
        if history is not None:
            summary.trend_years = history.years
            order = {line.short_name: i for i, line in enumerate(summary.ranking)}
            series = sorted(
                history.series,
                key=lambda s: (order.get(s.unit.short_name, len(order)), s.unit.short_name),
            )
            summary.trend_series = [
                (_trend_label(s, year), {y: t for y, t in s.totals.items() if t is not None})
                for s in series
            ]

    _awards(cluster_year, summary)

    next_assignments = leadership.get(next_cluster_year.pk, []) if next_cluster_year else []
    summary.next_leadership = [(a.role.name, a.unit.name) for a in next_assignments]
    if not next_assignments:
        summary.missing.append(f"Chưa có lãnh đạo cụm năm {year + 1}.")
    elif not any(a.role.kind == LeadershipRole.LEADER for a in next_assignments):
        summary.missing.append(f"Chưa có Cụm trưởng năm {year + 1}.")

    _reports(cluster_year, members, summary)

    summary.key_tasks = settings.key_task_lines() if settings else []
    if not summary.key_tasks:
        summary.missing.append(f"Chưa nhập nhiệm vụ trọng tâm năm {year + 1}.")
    return summary


# The roll-up --------------------------------------------------------------------------------


def rollup_part(cluster_year: ClusterYear) -> dict:
    """One cluster's share of a roll-up, JSON-serialisable: what the supervising body reads
    across clusters (numbers as strings, to stay exact)."""
    cluster_year = ClusterYear.objects.select_related("cluster").get(pk=cluster_year.pk)
    cluster = cluster_year.cluster
    year = cluster_year.year
    members = _members(cluster_year)
    summary = Summary(
        cluster_name=cluster.name,
        issuer=issuer_of(cluster),
        cluster_number=cluster.number,
        year=year,
        number="",
        place="",
        date=None,
        place_date="",
        supervising_body=cluster.supervising_body,
    )
    _ranking(cluster_year, summary)
    _awards(cluster_year, summary)
    next_cluster_year = ClusterYear.objects.filter(cluster=cluster, year=year + 1).first()
    next_leadership = (
        _leadership([next_cluster_year.pk]).get(next_cluster_year.pk, [])
        if next_cluster_year
        else []
    )
    leader = next((a for a in next_leadership if a.role.kind == LeadershipRole.LEADER), None)
    if not next_leadership:
        summary.missing.append(f"Chưa có lãnh đạo cụm năm {year + 1}.")
    elif leader is None:
        summary.missing.append(f"Chưa có Cụm trưởng năm {year + 1}.")
    member_ids = [unit.pk for unit in members]
    received = UnitReport.objects.filter(
        cluster_year=cluster_year, status__in=INCLUDED_REPORTS, unit_id__in=member_ids
    ).count()
    if received < len(members):
        summary.missing.append(f"Đã nhận {received}/{len(members)} báo cáo của các đơn vị.")

    def number(value):
        return None if value is None else str(value)

    return {
        "cluster": cluster.name,
        "cluster_number": cluster.number,
        "issuer": issuer_of(cluster),
        "year": year,
        "members": len(members),
        "ranking_published": summary.ranking_published,
        "ranking": [
            {
                "unit": line.unit,
                "short_name": line.short_name,
                "total": number(line.total),
                "grade": line.grade,
                "rank": line.rank,
            }
            for line in summary.ranking
        ],
        "awards": [
            {
                "award_type": section.award_type,
                "for_units": section.for_units,
                "names": section.candidates,
            }
            for section in summary.awards
        ],
        "next_leader": leader.unit.name if leader else "",
        "next_leadership": [[a.role.name, a.unit.name] for a in next_leadership],
        "reports_received": received,
        "reports_expected": len(members),
        "missing": summary.missing,
    }
