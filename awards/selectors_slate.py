"""What the conference's polls decided about the slate: per award type and per candidate, granted
a place on the award proposal or not, not voted yet, or waiting (a poll not published, a runoff
not held). The award proposal, its page, the nominations and the year-end summary read this one
answer; a fixed number of queries whatever the number of polls and candidates."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from .models import AwardType, Candidate, NominationRound, Poll, PollOption
from .services import counting


class Outcome:
    """The outcome of a candidate of the slate (stored nowhere: read from the polls)."""

    PASSED = "passed"  # granted a place on the proposal
    FAILED = "failed"  # voted on, not elected
    PENDING = "pending"  # in a poll not published yet, or tied with the runoff not published
    NOT_VOTED = "not_voted"  # in no poll


@dataclass
class CandidateOutcome:
    candidate: Candidate
    outcome: str = Outcome.NOT_VOTED
    poll: Poll | None = None  # the poll that decided (the runoff for those it elected)
    votes: int | None = None
    share: Decimal | None = None
    depth: int = 0  # 0 in the first poll, 1 in its runoff, …

    @property
    def passed(self) -> bool:
        return self.outcome == Outcome.PASSED

    @property
    def label(self) -> str:
        return {
            Outcome.PASSED: _("granted a place on the proposal"),
            Outcome.FAILED: _("not granted a place"),
            Outcome.PENDING: _("waiting for the result"),
            Outcome.NOT_VOTED: _("not voted yet"),
        }[self.outcome]


@dataclass
class AwardVote:
    """An award type of the slate: its polls (the first, then its runoffs), each candidate's
    outcome in the slate's order, and what is still missing (named, in words)."""

    award_type: AwardType
    polls: list[Poll] = field(default_factory=list)
    candidates: list[CandidateOutcome] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The award type with whom it is for: two award types may share a name."""
        return f"{self.award_type.name} ({self.award_type.get_recipient_display()})"

    @property
    def passed(self) -> list[CandidateOutcome]:
        """Those granted a place: the first poll's in order of votes, then each runoff's."""
        chosen = [c for c in self.candidates if c.passed]
        return sorted(chosen, key=lambda c: (c.depth, -(c.votes or 0)))


@dataclass
class SlateVote:
    round: NominationRound
    awards: list[AwardVote] = field(default_factory=list)

    @property
    def polls(self) -> list[Poll]:
        return [poll for award in self.awards for poll in award.polls]

    @property
    def missing(self) -> list[str]:
        return [problem for award in self.awards for problem in award.missing]

    @property
    def complete(self) -> bool:
        """Every award type of the slate was voted on and every result is published."""
        return bool(self.awards) and not self.missing

    def outcome_of(self, candidate: Candidate) -> CandidateOutcome | None:
        for award in self.awards:
            for row in award.candidates:
                if row.candidate.pk == candidate.pk:
                    return row
        return None


def _decide(
    award: AwardVote,
    poll: Poll,
    rows: dict[int, CandidateOutcome],
    runoffs: dict[int, Poll],
    counts: dict[int, counting.Count],
    depth: int = 0,
) -> None:
    """Give the candidates of `rows` on this poll's ballot their outcome, following the runoff
    of a tie at the last seat."""
    award.polls.append(poll)
    on_ballot = {o.pk: rows[o.candidate_id] for o in poll.options.all() if o.candidate_id in rows}
    if not poll.is_published:
        message = (
            _("%(award)s: the result of the runoff “%(poll)s” is not published yet.")
            if poll.runoff_of_id
            else _("%(award)s: the result of “%(poll)s” is not published yet.")
        )
        award.missing.append(message % {"award": award.name, "poll": poll.question})
        for row in on_ballot.values():
            row.outcome, row.poll, row.depth = Outcome.PENDING, poll, depth
        return
    tied: dict[int, CandidateOutcome] = {}
    for result in counts[poll.pk].options:
        found = on_ballot.get(result.option_id)
        if found is None:
            continue
        row = found
        row.poll, row.votes, row.share, row.depth = poll, result.votes, result.share, depth
        if result.elected:
            row.outcome = Outcome.PASSED
        elif result.tied_at_last_seat:
            row.outcome = Outcome.PENDING
            tied[row.candidate.pk] = row
        else:
            row.outcome = Outcome.FAILED
    if not tied:
        return
    runoff = runoffs.get(poll.pk)
    if runoff is None:
        award.missing.append(
            _("%(award)s: the tie at the last seat of “%(poll)s” is not resolved yet.")
            % {"award": award.name, "poll": poll.question}
        )
        return
    _decide(award, runoff, tied, runoffs, counts, depth + 1)


def slate_vote(nomination_round: NominationRound) -> SlateVote:
    """What the polls of the round's year decided about its slate. A poll of an award type is
    tied to the slate by its options' candidates (PollOption.candidate); a voided poll counts
    for nothing. Reads only."""
    vote = SlateVote(round=nomination_round)
    slate = list(
        nomination_round.candidates.filter(status=Candidate.Status.ON_SLATE)
        .select_related("award_type", "unit", "person__unit", "campaign_entry__unit")
        .order_by("award_type__rank", "award_type__name", "pk")
    )
    polls = list(
        Poll.objects.filter(
            conference__cluster_year_id=nomination_round.cluster_year_id,
            award_type__isnull=False,
        )
        .exclude(status=Poll.Status.VOID)
        .select_related("conference")
        .prefetch_related(Prefetch("options", queryset=PollOption.objects.order_by("position")))
        .order_by("pk")
    )
    counts = counting.count_many(polls=[p for p in polls if p.is_published])
    first: dict[int, Poll] = {}  # per award type: its latest first poll
    runoffs: dict[int, Poll] = {}  # per poll: its latest runoff
    for poll in polls:
        if poll.runoff_of_id:
            runoffs[poll.runoff_of_id] = poll
        else:
            first[poll.award_type_id] = poll  # type: ignore[index]
    awards: dict[int, AwardVote] = {}
    for candidate in slate:
        award = awards.setdefault(
            candidate.award_type_id, AwardVote(award_type=candidate.award_type)
        )
        award.candidates.append(CandidateOutcome(candidate=candidate))
    for award in awards.values():
        start = first.get(award.award_type.pk)
        if start is None:
            award.missing.append(_("%(award)s: no poll yet.") % {"award": award.name})
            continue
        rows = {row.candidate.pk: row for row in award.candidates}
        _decide(award, start, rows, runoffs, counts)
    vote.awards = list(awards.values())
    return vote
