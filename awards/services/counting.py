"""The count of a poll: electronic ballots and the agreed paper count, against the frozen rules.

Numbers on the minutes must add up: collected <= issued, valid + invalid = collected, each
option's votes <= valid ballots, and at most seats x valid choices in all.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ..models import Ballot, ClusterAwardSettings, Issuance, PaperCount, Poll

# Below this many ballots in a channel, paper and electronic figures are shown combined only:
# a split of a handful of ballots could tell how someone voted. The default of a cluster's
# secrecy threshold (ClusterAwardSettings), which secrecy_threshold_for reads.
SMALL_CHANNEL = ClusterAwardSettings.DEFAULT_SECRECY_THRESHOLD

VOTE_KINDS = {
    "for": lambda: pgettext("vote", "for"),
    "against": lambda: pgettext("vote", "against"),
    "abstain": lambda: pgettext("vote", "abstain"),
}


@dataclass
class OptionResult:
    option_id: int
    label: str
    votes: int = 0  # "for" votes
    against: int = 0
    abstain: int = 0
    share: Decimal = Decimal("0")  # of the frozen base
    passes: bool = False
    elected: bool = False
    tied_at_last_seat: bool = False


@dataclass
class Count:
    issued: int
    collected: int
    valid: int
    invalid: int
    base: int
    options: list[OptionResult] = field(default_factory=list)
    tie: list[OptionResult] = field(default_factory=list)  # tied for the last seat(s)
    # The invalid ballots per reason of the frozen rules (Poll.INVALID_REASONS' codes), paper
    # and electronic together; electronic_invalid of them were blank electronic ballots.
    invalid_by_reason: dict[str, int] = field(default_factory=dict)
    electronic_invalid: int = 0

    @property
    def invalid_unexplained(self) -> int:
        """Invalid ballots with no reason recorded (paper entries made before reasons were)."""
        return self.invalid - sum(self.invalid_by_reason.values())

    def invalid_reasons(self) -> list[tuple[str, int]]:
        """(reason code, ballots) in the order of Poll.INVALID_REASONS, for each reason of the
        poll's rules that made a ballot invalid."""
        return [
            (code, self.invalid_by_reason[code])
            for code, _label in Poll.INVALID_REASONS
            if self.invalid_by_reason.get(code)
        ]


@dataclass(frozen=True)
class ChannelSplit:
    paper: int
    electronic: int


def secrecy_threshold_for(poll: Poll) -> int:
    """The secrecy threshold of the poll's cluster (one query), SMALL_CHANNEL when it set none."""
    threshold = (
        ClusterAwardSettings.objects.filter(cluster__years__conferences__polls=poll)
        .values_list("secrecy_threshold", flat=True)
        .first()
    )
    return threshold or SMALL_CHANNEL


def channel_split(
    *, poll: Poll, outcome: Count, threshold: int | None = None
) -> ChannelSplit | None:
    """The ballots collected on paper and electronically, or None when either channel has
    fewer ballots than the cluster's secrecy threshold (`threshold`, read when not given):
    then only the combined figures may be shown."""
    if threshold is None:
        threshold = secrecy_threshold_for(poll)
    electronic = Ballot.objects.filter(poll=poll).count()  # decrypted
    paper = outcome.collected - electronic
    if electronic < threshold or paper < threshold:
        return None
    return ChannelSplit(paper=paper, electronic=electronic)


def check_paper_count(*, poll: Poll, count: PaperCount) -> list[tuple[str | None, str]]:
    """The consistency checks of one paper entry: (the field at fault, or None for the whole
    entry; the problem in words). A name's field is "option_<option id>"."""
    rules = poll.frozen_rules or poll.rules_snapshot()
    problems: list[tuple[str | None, str]] = []
    checked_in = Issuance.objects.filter(poll=poll, channel=Issuance.PAPER).count()
    if count.issued != checked_in:
        problems.append(
            (
                "issued",
                _(
                    "%(entered)s paper ballots issued were entered, but %(checked)s delegates "
                    "were checked in with a paper ballot."
                )
                % {"entered": count.issued, "checked": checked_in},
            )
        )
    if count.collected > count.issued:
        problems.append(
            (
                "collected",
                _(
                    "%(collected)s paper ballots collected were entered, but only %(issued)s "
                    "were issued."
                )
                % {"collected": count.collected, "issued": count.issued},
            )
        )
    if count.valid + count.invalid != count.collected:
        problems.append(
            ("invalid", _("Valid and invalid ballots do not add up to the ballots collected."))
        )
    problems += _check_reasons(rules, count)
    total_for = 0
    for option in rules["options"]:
        entry = count.votes.get(str(option["id"]), {})
        votes = sum(int(entry.get(k, 0)) for k in ("for", "against", "abstain"))
        if int(entry.get("for", 0)) > count.valid or votes > count.valid:
            problems.append(
                (
                    f"option_{option['id']}",
                    _("%(name)s has more votes than there are valid ballots.")
                    % {"name": option["label"]},
                )
            )
        total_for += int(entry.get("for", 0))
    limit = 1 if poll.kind == Poll.ONE_CHOICE else rules["seats"]
    if total_for > limit * count.valid:
        problems.append(
            (None, _("More votes in all than %(seats)s per valid ballot.") % {"seats": limit})
        )
    return problems


def _check_reasons(rules: dict, count: PaperCount) -> list[tuple[str | None, str]]:
    """The invalid ballots by reason: only reasons of the frozen rules, adding up to the
    invalid ballots entered (polls frozen before the rule existed have no reasons to give)."""
    reasons = rules.get("invalid_if", [])
    given = {k: int(n) for k, n in (count.invalid_by_reason or {}).items()}
    if any(k not in reasons for k, n in given.items() if n):
        return [("invalid_by_reason", _("A reason that is not in the rules of this poll."))]
    if reasons and sum(given.values()) != count.invalid:
        return [
            (
                "invalid_by_reason",
                _(
                    "The invalid ballots by reason add up to %(reasons)s, but %(invalid)s "
                    "invalid ballots were entered."
                )
                % {"reasons": sum(given.values()), "invalid": count.invalid},
            )
        ]
    return []


def all_channels_counted(poll: Poll) -> bool:
    """Whether every channel of the poll is counted: the electronic ballots decrypted and,
    when paper ballots were issued, the two paper entries entered and agreed. No figure of the
    result, whole or per channel, is shown to anyone before."""
    if poll.is_counted:
        return True
    if not poll.is_closed or not poll.is_decrypted:
        return False
    if not Issuance.objects.filter(poll=poll, channel=Issuance.PAPER).exists():
        return True
    entries = list(poll.paper_counts.order_by("pk")[:2])
    return len(entries) == 2 and not _differences(poll.frozen_rules, entries)


def paper_differences(poll: Poll) -> list[str]:
    """Where the two committee members' paper entries differ (empty when they agree)."""
    return _differences(poll.frozen_rules, list(poll.paper_counts.order_by("pk")[:2]))


def _differences(rules: dict | None, entries: list[PaperCount]) -> list[str]:
    if len(entries) < 2:
        return [_("Two committee members must enter the paper count.")]
    first, second = entries
    differences = []
    for name, label in (
        ("issued", _("ballots issued")),
        ("collected", _("ballots collected")),
        ("valid", _("valid ballots")),
        ("invalid", _("invalid ballots")),
    ):
        if getattr(first, name) != getattr(second, name):
            differences.append(
                _("%(what)s: %(a)s or %(b)s?")
                % {"what": label, "a": getattr(first, name), "b": getattr(second, name)}
            )
    words = dict(Poll.INVALID_REASONS)
    for reason in (rules or {}).get("invalid_if", []):
        a, b = (int(entry.invalid_by_reason.get(reason, 0)) for entry in entries)
        if a != b:
            differences.append(
                _("%(what)s: %(a)s or %(b)s?")
                % {
                    "what": _("invalid ballots (%(reason)s)") % {"reason": words[reason]},
                    "a": a,
                    "b": b,
                }
            )
    for option in (rules or {}).get("options", []):
        a = first.votes.get(str(option["id"]), {})
        b = second.votes.get(str(option["id"]), {})
        for kind in ("for", "against", "abstain"):
            if int(a.get(kind, 0)) != int(b.get(kind, 0)):
                differences.append(
                    _("%(name)s (%(kind)s): %(a)s or %(b)s?")
                    % {
                        "name": option["label"],
                        "kind": VOTE_KINDS[kind](),
                        "a": a.get(kind, 0),
                        "b": b.get(kind, 0),
                    }
                )
    return differences


def count(*, poll: Poll, with_paper: bool = True) -> Count:
    """Tally the poll. Paper counts are included when both entries agree."""
    return count_many(polls=[poll], with_paper=with_paper)[poll.pk]


def count_many(*, polls: list[Poll], with_paper: bool = True) -> dict[int, Count]:
    """Tally several polls in four queries whatever their number (the award proposal reads
    every published poll of a year): {poll id: Count}. Raises like count() for any of them."""
    ids = [poll.pk for poll in polls]
    stored = Poll.objects.in_bulk(ids)  # the frozen rules as stored, whatever the caller holds
    electronic = dict(
        Issuance.objects.filter(poll_id__in=ids)
        .exclude(channel=Issuance.PAPER)
        .values("poll_id")
        .annotate(n=models.Count("pk"))
        .values_list("poll_id", "n")
    )
    ballots: dict[int, list] = defaultdict(list)
    for poll_id, choices, blank in Ballot.objects.filter(poll_id__in=ids).values_list(
        "poll_id", "choices", "blank"
    ):
        ballots[poll_id].append((choices, blank))
    papers: dict[int, list] = defaultdict(list)
    if with_paper:
        for entry in PaperCount.objects.filter(poll_id__in=ids).order_by("pk"):
            papers[entry.poll_id].append(entry)
    return {
        pk: _tally(stored[pk], electronic.get(pk, 0), ballots[pk], papers[pk][:2]) for pk in ids
    }


def _tally(poll: Poll, electronic_issued: int, ballots: list, papers: list[PaperCount]) -> Count:
    """One poll's count from its stored rows: (choices, blank) ballots and its paper entries
    (included when both agree)."""
    rules = poll.frozen_rules
    if rules is None:
        raise ValidationError(_("The poll has not been opened."))
    options = [OptionResult(option_id=o["id"], label=o["label"]) for o in rules["options"]]
    by_id = {o.option_id: o for o in options}
    # A blank electronic ballot is invalid when the frozen rules say so (polls frozen before
    # the rule existed counted it as valid); an invalid ballot adds nothing to the tallies.
    if Poll.BLANK in rules.get("invalid_if", []):
        blank = sum(1 for _choices, is_blank in ballots if is_blank)
        ballots = [b for b in ballots if not b[1]]
    else:
        blank = 0
    issued, collected = electronic_issued, len(ballots) + blank
    valid, invalid = len(ballots), blank
    by_reason: Counter = Counter({Poll.BLANK: blank} if blank else {})
    tallies: Counter = Counter()
    for choices, _blank in ballots:
        if poll.kind == Poll.YES_NO:
            for option, answer in choices:
                tallies[(option, answer)] += 1
        else:
            for option in choices:
                tallies[(option, "for")] += 1
    if papers:
        if _differences(rules, papers):
            raise ValidationError(_("The two paper counts differ: resolve them first."))
        paper = papers[0]
        issued += paper.issued
        collected += paper.collected
        valid += paper.valid
        invalid += paper.invalid
        for reason, n in paper.invalid_by_reason.items():
            by_reason[reason] += int(n)
        for key, entry in paper.votes.items():
            for kind in ("for", "against", "abstain"):
                tallies[(int(key), kind)] += int(entry.get(kind, 0))
    for (option, kind), n in tallies.items():
        result = by_id.get(option)
        if result is None:
            continue
        if kind == "for":
            result.votes += n
        elif kind == "against":
            result.against += n
        else:
            result.abstain += n
    base = {Poll.ISSUED: issued, Poll.COLLECTED: collected, Poll.VALID: valid}[
        rules["threshold_base"]
    ]
    fraction = Decimal(rules["fraction"])
    for result in options:
        result.share = (Decimal(result.votes) / base * 100) if base else Decimal("0")
        needed = fraction * base
        result.passes = (
            result.votes > needed if rules["comparator"] == Poll.GT else (result.votes >= needed)
        )
    outcome = Count(
        issued=issued,
        collected=collected,
        valid=valid,
        invalid=invalid,
        base=base,
        # by votes; equal votes keep the order of the ballot
        options=sorted(options, key=lambda r: -r.votes),
        invalid_by_reason=dict(by_reason),
        electronic_invalid=blank,
    )
    _elect(outcome, seats=rules["seats"])
    return outcome


def _elect(outcome: Count, *, seats: int) -> None:
    """The passing options in order of votes fill the seats; a tie across the last seat is
    reported for the tie rule (runoff, lot or the chair) instead of being broken here."""
    passing = [r for r in outcome.options if r.passes]
    if len(passing) <= seats:
        for r in passing:
            r.elected = True
        return
    last_votes = passing[seats - 1].votes
    above = [r for r in passing if r.votes > last_votes]
    tied = [r for r in passing if r.votes == last_votes]
    for r in above:
        r.elected = True
    if len(above) + len(tied) <= seats:
        for r in tied:
            r.elected = True
        return
    for r in tied:
        r.tied_at_last_seat = True
    outcome.tie = tied
