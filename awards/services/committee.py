"""The counting committee's side of a poll: setting it up, paper counts, the count's states
(counted, certified, published) and runoffs. Ballots themselves are handled in polls.py."""

from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import Conference, LeadershipRole, Person, Unit
from clusters.selectors import person_name_key, vietnamese_key
from clusters.services import propose_leadership

from .. import notices
from ..models import (
    AwardType,
    Candidate,
    Certification,
    CommitteeChair,
    NominationRound,
    PaperCount,
    Poll,
    PollOption,
    Quota,
)
from . import attendance, counting
from .settings import default_poll_rules

# The question of a poll made from the slate (data in Vietnamese, like the minutes). When the
# cluster gives an award of the same name to collectives and to individuals (two polls, two
# minutes), the question says whom it is for.
SLATE_QUESTION = "Đề nghị tặng {award}"
RECIPIENT_WORDS = {AwardType.UNIT: "tập thể", AwardType.INDIVIDUAL: "cá nhân"}


def slate_question(award_type: AwardType) -> str:
    question = SLATE_QUESTION.format(award=award_type.name)
    namesake = AwardType.objects.filter(cluster_id=award_type.cluster_id, name=award_type.name)
    if namesake.exclude(pk=award_type.pk).exists():
        question += f" cho {RECIPIENT_WORDS[award_type.recipient]}"
    return question


# The question of an election made from the rotation, e.g. "Bầu đơn vị Cụm trưởng Cụm thi đua
# số 4 năm 2021".
ROTATION_QUESTION = "Bầu đơn vị {role} {cluster} năm {year}"


def _locked(poll: Poll) -> Poll:
    return Poll.objects.select_for_update().select_related("conference").get(pk=poll.pk)


def _set_options(poll: Poll, *, units: list[Unit], labels: list[str]) -> None:
    """Make the poll's options these units and labels. Options kept from before keep their
    place on the ballot (an order chosen by the secretariat survives an edit); new ones go
    after them, units first."""
    wanted = [(unit.pk, unit.short_name) for unit in units] + [(None, label) for label in labels]
    existing = {(o.unit_id, o.label if o.unit_id is None else None): o for o in poll.options.all()}
    keep, rows = [], []
    for unit_id, label in wanted:
        option = existing.pop((unit_id, None if unit_id else label), None)
        if option is not None:
            keep.append(option)
        else:
            rows.append(PollOption(poll=poll, label=label, unit_id=unit_id))
    PollOption.objects.filter(pk__in=[o.pk for o in existing.values()]).delete()
    keep.sort(key=lambda o: (o.position, o.pk))
    for position, option in enumerate(keep + rows):
        option.position = position
    PollOption.objects.bulk_update(keep, ["position"])
    PollOption.objects.bulk_create(rows)


def _check_draft_order(poll: Poll) -> None:
    if not poll.is_draft:
        raise ValidationError(_("The order of names can only be changed before the poll opens."))


@transaction.atomic
def order_options(*, poll: Poll, option_ids: list[int]) -> Poll:
    """Put the names on the ballot in this order (every option of the poll, once each). Only
    while the poll is a draft: the order is frozen with the rules when it opens."""
    poll = _locked(poll)
    _check_draft_order(poll)
    options = {o.pk: o for o in poll.options.all()}
    if sorted(option_ids) != sorted(options):
        raise ValidationError(_("Give every name on the ballot a place, each once."))
    for position, pk in enumerate(option_ids):
        options[pk].position = position
    PollOption.objects.bulk_update(options.values(), ["position"])
    return poll


def _alphabetical_key(option: PollOption) -> tuple:
    """Units by their name, before people (the other names), who sort the Vietnamese way, by
    their given name (clusters.selectors.person_name_key)."""
    if option.unit_id:
        return ([], vietnamese_key(option.label), option.pk)
    return (*person_name_key(option.label), option.pk)


@transaction.atomic
def sort_options_vietnamese(*, poll: Poll) -> Poll:
    """Put the names on the ballot in Vietnamese alphabetical order (a < ă < â < b < … < đ):
    units by name, people by given name. Only while the poll is a draft."""
    poll = _locked(poll)
    _check_draft_order(poll)
    options = sorted(poll.options.all(), key=_alphabetical_key)
    return order_options(poll=poll, option_ids=[o.pk for o in options])


RULE_FIELDS = (
    "question",
    "kind",
    "seats",
    "threshold_base",
    "comparator",
    "fraction",
    "tie_rule",
    "allow_self_vote",
    "invalid_if",
)


def _check_elects_role(*, conference: Conference, kind: str, role: LeadershipRole | None) -> None:
    if role is None:
        return
    if kind != Poll.ONE_CHOICE:
        raise ValidationError({"elects_role": _("Only a one-choice poll can elect a role.")})
    if role.cluster_id != conference.cluster_year.cluster_id:
        raise ValidationError({"elects_role": _("This role belongs to another cluster.")})
    if conference.kind != Conference.YEAR_END:
        raise ValidationError(
            {"elects_role": _("Next year's leadership is elected at the year-end conference.")}
        )


@transaction.atomic
def create_poll(
    *,
    conference: Conference,
    rules: dict,
    units: list[Unit],
    labels: list[str],
    elects_role: LeadershipRole | None = None,
) -> Poll:
    """A new draft poll of the conference with its options (units first, then free labels).
    `rules` holds the RULE_FIELDS; `elects_role` (one-choice polls only) makes it an election
    of next year's leadership."""
    if not units and not labels:
        raise ValidationError(_("Give the poll at least one option."))
    _check_elects_role(conference=conference, kind=rules["kind"], role=elects_role)
    poll = Poll.objects.create(
        conference=conference, elects_role=elects_role, **{k: rules[k] for k in RULE_FIELDS}
    )
    _set_options(poll, units=units, labels=labels)
    return poll


@transaction.atomic
def update_poll(
    *,
    poll: Poll,
    rules: dict,
    units: list[Unit],
    labels: list[str],
    elects_role: LeadershipRole | None = None,
) -> Poll:
    """Change a draft poll's rules, the role it elects and its options. Refused once the poll
    opened."""
    poll = _locked(poll)
    if not poll.is_draft:
        raise ValidationError(_("Only a draft poll can be changed."))
    if not units and not labels:
        raise ValidationError(_("Give the poll at least one option."))
    _check_elects_role(conference=poll.conference, kind=rules["kind"], role=elects_role)
    for key in RULE_FIELDS:
        setattr(poll, key, rules[key])
    poll.elects_role = elects_role
    poll.save()
    _set_options(poll, units=units, labels=labels)
    return poll


# Polls made from the slate ---------------------------------------------------------------------

# The rules a poll made from the slate starts with, besides its question and seats.
SLATE_RULES = (
    "kind",
    "threshold_base",
    "comparator",
    "fraction",
    "tie_rule",
    "allow_self_vote",
    "invalid_if",
)


def slate_of(*, conference: Conference, award_type: AwardType) -> tuple[int, list[Candidate]]:
    """The quota of an award type in the conference's year and its candidates on the final
    slate, in the slate's order (the order of the ballot). Refused, keyed "award_type", when
    the slate is not final, the award type has no quota or nobody on the slate."""
    cluster_year = conference.cluster_year
    if award_type.cluster_id != cluster_year.cluster_id:
        raise ValidationError({"award_type": _("This award type is not of this cluster.")})
    nomination_round = NominationRound.objects.filter(cluster_year=cluster_year).first()
    if nomination_round is None or not nomination_round.is_final:
        raise ValidationError(
            {
                "award_type": _("The slate of %(year)s is not final yet.")
                % {"year": cluster_year.year}
            }
        )
    candidates = list(
        nomination_round.candidates.filter(award_type=award_type, status=Candidate.Status.ON_SLATE)
        .select_related("unit", "person", "campaign_entry")
        .order_by("pk")
    )
    if not candidates:
        raise ValidationError(
            {"award_type": _("%(award)s has nobody on the slate.") % {"award": award_type.name}}
        )
    quota = (
        Quota.objects.filter(round=nomination_round, award_type=award_type)
        .values_list("quota", flat=True)
        .first()
    )
    if not quota:
        raise ValidationError(
            {"award_type": _("%(award)s has no quota.") % {"award": award_type.name}}
        )
    return quota, candidates


def _earlier_rules(*, conference: Conference, **match) -> dict | None:
    """The SLATE_RULES frozen by the latest opened poll (not a runoff, not voided) of an
    earlier year matching `match`, or None."""
    earlier = (
        Poll.objects.filter(
            runoff_of__isnull=True,
            frozen_rules__isnull=False,
            conference__cluster_year__year__lt=conference.cluster_year.year,
            **match,
        )
        .exclude(status=Poll.Status.VOID)
        .order_by("-conference__cluster_year__year", "-pk")
        .first()
    )
    if earlier is None or not earlier.frozen_rules:
        return None
    rules = dict(earlier.frozen_rules)
    rules["fraction"] = Decimal(rules["fraction"])
    rules.setdefault("invalid_if", [])
    return {key: rules[key] for key in SLATE_RULES}


def _usual_rules(conference: Conference) -> dict:
    """The cluster's default poll rules (ClusterAwardSettings), else the model's defaults."""
    default = Poll()
    rules = {key: getattr(default, key) for key in SLATE_RULES}
    return rules | default_poll_rules(cluster_id=conference.cluster_year.cluster_id)


def cluster_rules(*, conference: Conference, award_type: AwardType) -> dict:
    """The rules the cluster used last for this award type (the frozen rules of its latest
    opened poll of an earlier year), else the usual rules (the model's defaults)."""
    return _earlier_rules(conference=conference, award_type=award_type) or _usual_rules(conference)


def election_rules(*, conference: Conference, role: LeadershipRole) -> dict:
    """The rules the cluster used last to elect this role (as cluster_rules), else the usual
    rules; always one choice, the kind of an election."""
    rules = _earlier_rules(conference=conference, elects_role=role) or _usual_rules(conference)
    return rules | {"kind": Poll.ONE_CHOICE}


def _option_for(poll: Poll, candidate: Candidate, position: int) -> PollOption:
    """A candidate's name on the ballot; a unit (or a campaign entry's unit) is the option's
    unit for the self-vote rule, a person is named alone (sorted by the given name)."""
    unit_id = candidate.unit_id or (
        candidate.campaign_entry.unit_id if candidate.campaign_entry_id else None
    )
    return PollOption(
        poll=poll, candidate=candidate, label=str(candidate), unit_id=unit_id, position=position
    )


@transaction.atomic
def create_poll_from_slate(*, conference: Conference, award_type: AwardType) -> Poll:
    """A draft poll on an award type made from the final slate in one action: its candidates
    on the ballot in the slate's order, seats = the quota, the cluster's rules. Refused,
    keyed "award_type", when there is no slate (slate_of) or the award type already has a
    poll (not voided) at a conference of the year."""
    quota, candidates = slate_of(conference=conference, award_type=award_type)
    existing = (
        Poll.objects.filter(
            conference__cluster_year=conference.cluster_year,
            award_type=award_type,
            runoff_of__isnull=True,
        )
        .exclude(status=Poll.Status.VOID)
        .first()
    )
    if existing is not None:
        raise ValidationError(
            {
                "award_type": _("%(award)s already has a poll: “%(poll)s”.")
                % {"award": award_type.name, "poll": existing.question}
            }
        )
    poll = Poll.objects.create(
        conference=conference,
        award_type=award_type,
        question=slate_question(award_type),
        seats=quota,
        **cluster_rules(conference=conference, award_type=award_type),
    )
    PollOption.objects.bulk_create(
        _option_for(poll, candidate, position) for position, candidate in enumerate(candidates)
    )
    return poll


def rotation_proposal(*, conference: Conference) -> dict[int, Unit | None]:
    """Per role of the conference's cluster (by id): the unit the rotation proposes for the
    year after the conference's (clusters.services.propose_leadership), or None."""
    cluster_year = conference.cluster_year
    proposal = propose_leadership(cluster=cluster_year.cluster, year=cluster_year.year + 1)
    return {holder.role.pk: holder.unit for holder in proposal.holders}


@transaction.atomic
def create_poll_from_rotation(*, conference: Conference, role: LeadershipRole) -> Poll:
    """A draft one-choice poll electing next year's `role`, made from the rotation in one
    action: the unit the rotation proposes on the ballot (as an award poll puts only its
    slate; the committee may add other members while it is a draft), one seat, the cluster's
    rules of elections. Refused, keyed "elects_role", storing nothing: a role of another
    cluster, a conference that is not a year-end one, a role the rotation proposes nobody for,
    and a role that already has a poll (not voided) at a conference of the year."""
    _check_elects_role(conference=conference, kind=Poll.ONE_CHOICE, role=role)
    cluster_year = conference.cluster_year
    year = cluster_year.year + 1
    unit = rotation_proposal(conference=conference).get(role.pk)
    if unit is None:
        raise ValidationError(
            {
                "elects_role": _("The rotation proposes no unit as %(role)s of %(year)s.")
                % {"role": role.name, "year": year}
            }
        )
    existing = (
        Poll.objects.filter(
            conference__cluster_year=cluster_year, elects_role=role, runoff_of__isnull=True
        )
        .exclude(status=Poll.Status.VOID)
        .first()
    )
    if existing is not None:
        raise ValidationError(
            {
                "elects_role": _("%(role)s of %(year)s already has a poll: “%(poll)s”.")
                % {"role": role.name, "year": year, "poll": existing.question}
            }
        )
    poll = Poll.objects.create(
        conference=conference,
        elects_role=role,
        question=ROTATION_QUESTION.format(
            role=role.name, cluster=cluster_year.cluster.name, year=year
        ),
        seats=1,
        **election_rules(conference=conference, role=role),
    )
    _set_options(poll, units=[unit], labels=[])
    return poll


def _runoff_names(runoff: Poll) -> tuple[int, set[int]]:
    """The seats left and the candidates tied at the last seat of the poll a runoff follows."""
    original = runoff.runoff_of
    assert original is not None
    outcome = counting.count(poll=original)
    tied = {r.option_id for r in outcome.tie}
    elected = sum(1 for r in outcome.options if r.elected)
    names = set(
        original.options.filter(pk__in=tied, candidate__isnull=False).values_list(
            "candidate_id", flat=True
        )
    )
    return original.frozen_rules["seats"] - elected, names


@transaction.atomic
def update_slate_poll(*, poll: Poll, rules: dict, candidates: list[Candidate]) -> Poll:
    """Change a draft poll made from the slate: its rules and which of the slate's candidates
    are on the ballot (kept ones keep their place, new ones go last). Refused, keyed by field,
    storing nothing: seats above the quota, a name not on the slate, and for a runoff a name
    that was not tied or more seats than remain."""
    poll = _locked(poll)
    if not poll.is_draft:
        raise ValidationError(_("Only a draft poll can be changed."))
    assert poll.award_type is not None
    quota, slate = slate_of(conference=poll.conference, award_type=poll.award_type)
    if not candidates:
        raise ValidationError({"candidates": _("Give the poll at least one option.")})
    outside = [c for c in candidates if c.pk not in {s.pk for s in slate}]
    if outside:
        raise ValidationError(
            {
                "candidates": _("Not on the slate of %(award)s: %(names)s.")
                % {"award": poll.award_type.name, "names": ", ".join(map(str, outside))}
            }
        )
    seats = rules["seats"]
    if poll.runoff_of_id:
        left, tied = _runoff_names(poll)
        added = [c for c in candidates if c.pk not in tied]
        if added:
            raise ValidationError(
                {
                    "candidates": _(
                        "A runoff is among the tied only: %(names)s were not tied at the last seat."
                    )
                    % {"names": ", ".join(map(str, added))}
                }
            )
        if seats > left:
            raise ValidationError(
                {"seats": _("The runoff fills the %(n)s seats left, no more.") % {"n": left}}
            )
    elif seats > quota:
        raise ValidationError(
            {
                "seats": _("More seats than the quota of %(award)s (%(quota)s).")
                % {"award": poll.award_type.name, "quota": quota}
            }
        )
    for key in RULE_FIELDS:
        setattr(poll, key, rules[key])
    poll.save()
    existing = {o.candidate_id: o for o in poll.options.all()}
    wanted = {c.pk for c in candidates}
    PollOption.objects.filter(poll=poll).exclude(candidate_id__in=wanted).delete()
    kept = sorted((o for k, o in existing.items() if k in wanted), key=lambda o: o.position)
    new = [c for c in candidates if c.pk not in existing]
    for position, option in enumerate(kept):
        option.position = position
    PollOption.objects.bulk_update(kept, ["position"])
    PollOption.objects.bulk_create(
        _option_for(poll, c, position) for position, c in enumerate(new, start=len(kept))
    )
    return poll


@transaction.atomic
def save_paper_count(
    *,
    poll: Poll,
    user,
    issued: int,
    collected: int,
    valid: int,
    invalid: int,
    votes: dict,
    invalid_by_reason: dict[str, int] | None = None,
) -> PaperCount:
    """Store (or replace) this committee member's own entry of the paper count, with the
    invalid ballots per reason of the poll's rules. Refused, storing nothing, keyed by field,
    when the entry does not add up (counting.check_paper_count)."""
    poll = _locked(poll)
    if not poll.is_closed:
        raise ValidationError(_("Paper counts are entered after the poll closes."))
    entry = PaperCount.objects.filter(poll=poll, entered_by=user).first() or PaperCount(
        poll=poll, entered_by=user
    )
    entry.issued, entry.collected, entry.valid, entry.invalid = issued, collected, valid, invalid
    entry.votes = votes
    entry.invalid_by_reason = {k: n for k, n in (invalid_by_reason or {}).items() if n}
    problems = counting.check_paper_count(poll=poll, count=entry)
    if problems:
        errors: dict[str, list[str]] = {}
        for name, message in problems:
            errors.setdefault(name or NON_FIELD_ERRORS, []).append(message)
        raise ValidationError(errors)
    others = PaperCount.objects.filter(poll=poll).exclude(entered_by=user)
    if entry.pk is None and others.count() >= 2:
        raise ValidationError(_("Two committee members have already entered the paper count."))
    entry.save()
    return entry


@transaction.atomic
def mark_counted(*, poll: Poll) -> Poll:
    """Close the count: the paper entries (if any paper ballot was issued) must agree."""
    poll = _locked(poll)
    if not poll.is_closed:
        raise ValidationError(_("Only a closed poll can be counted."))
    if not poll.is_decrypted:
        raise ValidationError(
            _(
                "Decrypt the electronic ballots first: %(needed)s key shares of the committee "
                "are needed."
            )
            % {"needed": poll.shares_needed}
        )
    figures = attendance.figures(poll)
    if figures.electronic_received > figures.electronic_issued:
        raise ValidationError(
            _("%(received)s electronic ballots were received, but only %(issued)s were issued.")
            % {"received": figures.electronic_received, "issued": figures.electronic_issued}
        )
    paper_issued = figures.paper_issued > 0
    if (paper_issued or poll.paper_counts.exists()) and counting.paper_differences(poll):
        raise ValidationError(_("The two paper counts differ: resolve them first."))
    outcome = counting.count(poll=poll)
    poll.status = Poll.Status.COUNTED
    poll.count_ended_at = timezone.now()
    poll.save(update_fields=["status", "count_ended_at"])
    if outcome.tie and poll.ties_go_to_runoff and not poll.runoffs.exists():
        _make_runoff(poll, outcome)
    return poll


@transaction.atomic
def certify(*, poll: Poll, user) -> Poll:
    """A member of the conference's counting committee confirms the count; when every member
    has, the poll is certified."""
    poll = _locked(poll)
    if not poll.awaits_certification:
        raise ValidationError(_("Only a counted poll can be certified."))
    committee = poll.conference.counting_committee.all()
    person = getattr(user, "person", None)
    if person is None or not committee.filter(pk=person.pk).exists():
        raise ValidationError(_("Only members of the counting committee certify the count."))
    Certification.objects.get_or_create(poll=poll, user=user)
    members = set(committee.exclude(user=None).values_list("user_id", flat=True))
    certified = set(poll.certifications.values_list("user_id", flat=True))
    if not committee.filter(user=None).exists() and members <= certified:
        poll.status = Poll.Status.CERTIFIED
        poll.save(update_fields=["status"])
    return poll


@transaction.atomic
def publish(*, poll: Poll) -> Poll:
    """Make a certified result visible to the cluster; the delegates with an account and the
    member units' officers are notified."""
    poll = _locked(poll)
    if not poll.awaits_publication:
        raise ValidationError(_("Only a certified poll can be published."))
    poll.status = Poll.Status.PUBLISHED
    poll.save(update_fields=["status"])
    notices.results_published(poll)
    return poll


@transaction.atomic
def create_runoff(*, poll: Poll) -> Poll:
    """The draft runoff poll among the options tied at the last seat, with the same rules and
    the seats that remain (mark_counted makes it by itself; this makes it again after the
    runoff was voided). Only when the tie rule is a runoff; an existing runoff is returned."""
    poll = _locked(poll)
    if not poll.is_counted:
        raise ValidationError(_("A runoff follows the count."))
    if not poll.ties_go_to_runoff:
        raise ValidationError(_("The tie rule of this poll is not a runoff."))
    existing = poll.runoffs.exclude(status=Poll.Status.VOID).first()
    if existing is not None:
        return existing
    outcome = counting.count(poll=poll)
    if not outcome.tie:
        raise ValidationError(_("There is no tie at the last seat."))
    return _make_runoff(poll, outcome)


def _make_runoff(poll: Poll, outcome: counting.Count) -> Poll:
    """The runoff of a counted poll with a tie at the last seat: the same question and rules
    (frozen), the tied names in their order on the ballot, the seats that remain."""
    elected = sum(1 for r in outcome.options if r.elected)
    rules = poll.frozen_rules
    assert rules is not None
    runoff = Poll.objects.create(
        conference=poll.conference,
        award_type=poll.award_type,
        elects_role=poll.elects_role,
        question=poll.question,
        kind=rules["kind"],
        seats=rules["seats"] - elected,
        threshold_base=rules["threshold_base"],
        comparator=rules["comparator"],
        fraction=Decimal(rules["fraction"]),
        tie_rule=rules["tie_rule"],
        allow_self_vote=rules["allow_self_vote"],
        invalid_if=rules.get("invalid_if", []),
        runoff_of=poll,
    )
    tied = {r.option_id for r in outcome.tie}
    originals = {o.pk: o for o in poll.options.all()}
    PollOption.objects.bulk_create(
        PollOption(
            poll=runoff,
            label=option["label"],
            unit_id=option["unit"],
            candidate_id=getattr(originals.get(option["id"]), "candidate_id", None),
            position=position,
        )
        for position, option in enumerate(o for o in rules["options"] if o["id"] in tied)
    )
    return runoff


@transaction.atomic
def set_committee_chair(*, conference: Conference, person: Person | None) -> None:
    """Name the chair of the conference's counting committee (a member of it), or no chair
    (None). The minutes sign the chair as Trưởng ban and the others as Thành viên."""
    if person is None:
        for chair in CommitteeChair.objects.filter(conference=conference):
            chair.delete()  # one by one, so that the history records it
        return
    if not conference.counting_committee.filter(pk=person.pk).exists():
        raise ValidationError(
            {"person": _("%(name)s is not on the counting committee.") % {"name": person.full_name}}
        )
    chair = CommitteeChair.objects.filter(conference=conference).first()
    if chair is None:
        CommitteeChair.objects.create(conference=conference, person=person)
    elif chair.person_id != person.pk:
        chair.person = person
        chair.save()


@transaction.atomic
def set_minutes_number(*, poll: Poll, number: str) -> Poll:
    """Record the number and symbol of the poll's minutes (e.g. 01-BB/CTĐ4); it changes no
    result, so it may be set at any time but after voiding."""
    poll = _locked(poll)
    if poll.is_void:
        raise ValidationError(_("This poll was voided."))
    number = " ".join(number.split())
    if number.lower().startswith("số "):
        number = number[3:].strip()  # the minutes print "Số" themselves
    poll.minutes_number = number
    poll.save(update_fields=["minutes_number"])
    return poll
