"""Awards and secret ballots.

Trust statement shown to users: nobody who reads the database, its backups or the logs,
administrators included, can tell how a delegate voted; only the counting committee together
can count. Who received a ballot (Issuance, BallotCode) and the ballot as cast (SealedBallot)
are written together, but the ballot is a ciphertext sealed to the poll's key (awards.sealing),
whose private half only enough committee members' shares rebuild. The decrypted choices
(Ballot) are written once, at the count, in random order and with no link to the ciphertexts
(tests/awards/test_secrecy.py fails if a column appears that could link them). Ballots are kept
out of the audit trail, the admin and the logs.
"""

import json
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusters.models import Cluster, ClusterYear, Conference, Person, Unit
from common.models import Audited, StatusBadge
from common.uploads import sha256_hex, validate_document, validate_scan


class AwardType(models.Model):
    """E.g. Cờ thi đua của Ban Tổ chức Trung ương (units), Bằng khen (units; individuals)."""

    UNIT = "unit"
    INDIVIDUAL = "individual"
    RECIPIENTS = [(UNIT, _("units")), (INDIVIDUAL, _("individuals"))]

    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="award_types"
    )
    name = models.CharField(_("name"), max_length=200)
    recipient = models.CharField(_("for"), max_length=20, choices=RECIPIENTS)
    rank = models.PositiveSmallIntegerField(_("order"), default=1)
    top_n_hint = models.PositiveSmallIntegerField(
        _("among the top N of the ranking"),
        null=True,
        blank=True,
        help_text=_("An eligibility hint: a unit outside the top N needs a reason."),
    )
    grade_hint = models.CharField(
        _("graded at least"),
        max_length=100,
        blank=True,
        help_text=_("An eligibility hint, e.g. Xuất sắc: another grade needs a reason."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("award type")
        verbose_name_plural = _("award types")
        ordering = ["cluster", "rank", "name"]

    def __str__(self):
        return self.name


class NominationRound(models.Model):
    """The award nominations of a cluster year, with a quota per award type."""

    class Status(models.TextChoices):
        OPEN = "open", _("open for nominations")
        FINAL = "final", _("slate final")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cluster_year = models.OneToOneField(
        ClusterYear,
        verbose_name=_("cluster year"),
        on_delete=models.PROTECT,
        related_name="nomination_round",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.OPEN)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nomination round")
        verbose_name_plural = _("nomination rounds")

    def __str__(self):
        return str(self.cluster_year)

    @property
    def is_final(self) -> bool:
        """The slate is fixed: no more nominations, quotas or changes to the slate."""
        return self.status == self.Status.FINAL


class Quota(models.Model):
    round = models.ForeignKey(
        NominationRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="quotas"
    )
    award_type = models.ForeignKey(
        AwardType, verbose_name=_("award type"), on_delete=models.PROTECT
    )
    quota = models.PositiveSmallIntegerField(_("quota"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        constraints = [
            models.UniqueConstraint(fields=["round", "award_type"], name="one_quota_per_award")
        ]

    def __str__(self):
        return f"{self.award_type}: {self.quota}"


class Candidate(StatusBadge, models.Model):
    """A unit, an individual or a campaign entry proposed for an award type."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        ON_SLATE = "on_slate", _("on the slate")
        WITHDRAWN = "withdrawn", _("withdrawn")

    OTHER_BADGE = "text-bg-light border"
    BADGES: dict[str, str] = {
        Status.ON_SLATE: "text-bg-success",
        Status.WITHDRAWN: "text-bg-secondary",
    }

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    round = models.ForeignKey(
        NominationRound,
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="candidates",
    )
    award_type = models.ForeignKey(
        AwardType, verbose_name=_("award type"), on_delete=models.PROTECT
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT
    )
    campaign_entry = models.ForeignKey(
        "scorecards.CampaignEntry",
        verbose_name=_("campaign entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    achievements = models.TextField(_("achievements"), blank=True)
    attachment = models.FileField(
        _("attachment"), upload_to="nominations/%Y/", blank=True, validators=[validate_document]
    )
    hint_override_reason = models.TextField(
        _("reason for overriding the eligibility hint"), blank=True
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PROPOSED)
    granted = models.BooleanField(_("granted"), null=True, blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nominated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(unit__isnull=False, person__isnull=True, campaign_entry__isnull=True)
                    | Q(unit__isnull=True, person__isnull=False, campaign_entry__isnull=True)
                    | Q(unit__isnull=True, person__isnull=True, campaign_entry__isnull=False)
                ),
                name="candidate_is_one_thing",
                violation_error_message=_("A candidate is a unit, a person or a campaign entry."),
            )
        ]

    def __str__(self):
        if self.unit_id:
            return self.unit.short_name
        if self.person_id:
            return self.person.full_name
        return self.campaign_entry.title

    @property
    def is_withdrawn(self) -> bool:
        """Off the slate: it no longer counts against the quota."""
        return self.status == self.Status.WITHDRAWN

    @property
    def unit_of_candidate(self) -> Unit | None:
        if self.unit_id:
            return self.unit
        if self.person_id:
            return self.person.unit
        if self.campaign_entry_id:
            return self.campaign_entry.unit
        return None


def all_invalid_reasons() -> list[str]:
    """The default of Poll.invalid_if: every reason of the Party's usual rules."""
    return [code for code, _label in Poll.INVALID_REASONS]


class Poll(StatusBadge, models.Model):
    """One question put to the delegates of a conference, with rules frozen when it opens."""

    CHOOSE = "choose"
    STRIKE_OUT = "strike_out"
    YES_NO = "yes_no"
    ONE_CHOICE = "one_choice"
    KINDS = [
        (CHOOSE, _("choose up to k")),
        (STRIKE_OUT, _("strike-out ballot (keep at most k)")),
        (YES_NO, _("yes/no for each candidate")),
        (ONE_CHOICE, _("one choice")),
    ]

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")
        COUNTED = "counted", _("counted")
        CERTIFIED = "certified", _("certified")
        PUBLISHED = "published", _("published")
        VOID = "void", _("void")

    # The colour of the status badge on every page (Bootstrap classes).
    BADGES: dict[str, str] = {
        Status.DRAFT: "text-bg-secondary",
        Status.OPEN: "text-bg-success",
        Status.CLOSED: "text-bg-warning",
        Status.COUNTED: "text-bg-info",
        Status.CERTIFIED: "text-bg-info",
        Status.PUBLISHED: "text-bg-primary",
        Status.VOID: "text-bg-danger",
    }

    ISSUED = "issued"
    COLLECTED = "collected"
    VALID = "valid"
    BASES = [
        (ISSUED, _("ballots issued")),
        (COLLECTED, _("ballots collected")),
        (VALID, _("valid ballots")),
    ]
    GT = "gt"
    GTE = "gte"
    COMPARATORS = [(GT, _("more than")), (GTE, _("at least"))]
    RUNOFF = "runoff"
    LOT = "lot"
    CHAIR = "chair"
    TIE_RULES = [
        (RUNOFF, _("a runoff among the tied")),
        (LOT, _("drawing lots")),
        (CHAIR, _("the chair decides")),
    ]

    # What makes a paper ballot invalid (the committee applies it when counting paper; a blank
    # electronic ballot follows BLANK). The order here is the order printed on the minutes.
    TOO_MANY = "too_many"
    NOT_ISSUED = "not_issued"
    MARKED = "marked"
    BLANK = "blank"
    INVALID_REASONS = [
        (TOO_MANY, _("more choices than allowed")),
        (NOT_ISSUED, _("not a ballot of the form issued by the counting committee")),
        (MARKED, _("names added or other writing or marks on the ballot")),
        (BLANK, _("a blank ballot (nobody chosen)")),
    ]

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.PROTECT, related_name="polls"
    )
    award_type = models.ForeignKey(
        AwardType, verbose_name=_("award type"), null=True, blank=True, on_delete=models.PROTECT
    )
    question = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=KINDS, default=CHOOSE)
    seats = models.PositiveSmallIntegerField(_("seats"), default=1)
    threshold_base = models.CharField(
        _("threshold base"), max_length=20, choices=BASES, default=ISSUED
    )
    comparator = models.CharField(_("comparator"), max_length=5, choices=COMPARATORS, default=GT)
    fraction = models.DecimalField(_("fraction"), max_digits=4, decimal_places=3, default=0.5)
    tie_rule = models.CharField(_("tie rule"), max_length=10, choices=TIE_RULES, default=RUNOFF)
    allow_self_vote = models.BooleanField(_("a unit may vote for itself"), default=True)
    invalid_if = models.JSONField(
        _("a ballot is invalid when"),
        default=all_invalid_reasons,
        blank=True,
        help_text=_("Unticked, a blank ballot is counted as a valid blank ballot."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    frozen_rules = models.JSONField(_("frozen rules"), null=True, blank=True, editable=False)
    rules_hash = models.CharField(_("rules hash"), max_length=64, blank=True, editable=False)
    void_reason = models.TextField(_("reason for voiding"), blank=True)
    minutes_number = models.CharField(
        _("number and symbol of the minutes"),
        max_length=50,
        blank=True,
        help_text=_("E.g. 01-BB/CTĐ4: printed in the minutes' header after “Số”."),
    )
    elects_role = models.ForeignKey(
        "clusters.LeadershipRole",
        verbose_name=_("elects next year's"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("For an election of next year's leadership: the role it fills."),
    )
    runoff_of = models.ForeignKey(
        "self",
        verbose_name=_("runoff of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="runoffs",
    )
    # The count's start (when the poll closed) and end (when it was marked counted), for the
    # minutes' closing sentence.
    count_started_at = models.DateTimeField(
        _("count started at"), null=True, blank=True, editable=False
    )
    count_ended_at = models.DateTimeField(
        _("count ended at"), null=True, blank=True, editable=False
    )
    # The poll's key (awards.sealing), made when it opens: the public half, and the private
    # half sealed under a key split among the committee (KeyShare). The sealed private key is
    # erased once the electronic ballots are decrypted, so they can never be decrypted again.
    public_key = models.BinaryField(null=True, editable=False)
    sealed_key = models.BinaryField(null=True, editable=False)
    shares_needed = models.PositiveSmallIntegerField(
        _("key shares needed to count"), null=True, blank=True, editable=False
    )
    electronic_counted_at = models.DateTimeField(
        _("electronic ballots decrypted at"), null=True, blank=True, editable=False
    )
    history = HistoricalRecords(excluded_fields=["public_key", "sealed_key"])

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["conference", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(seats__gte=1), name="poll_has_seats"),
            models.CheckConstraint(
                condition=Q(fraction__gte=0) & Q(fraction__lte=1), name="poll_fraction_range"
            ),
        ]

    def __str__(self):
        return self.question

    def get_absolute_url(self):
        return reverse("awards:poll", kwargs={"poll": self.uuid})

    # The life of a poll: draft -> open -> closed -> counted -> certified -> published, or void
    # at any point before it is published. Each step's rule, for the services, views and pages.

    @property
    def is_draft(self) -> bool:
        """Not opened yet: its rules and names can still change."""
        return self.status == self.Status.DRAFT

    @property
    def is_open(self) -> bool:
        """Taking ballots."""
        return self.status == self.Status.OPEN

    @property
    def is_before_close(self) -> bool:
        """Draft or open: delegates are still checked in and given ballots, and no receipt can
        be checked yet."""
        return self.status in (self.Status.DRAFT, self.Status.OPEN)

    @property
    def is_closed(self) -> bool:
        """Closed and not counted yet: the committee enters the paper counts."""
        return self.status == self.Status.CLOSED

    @property
    def is_decrypted(self) -> bool:
        """The electronic ballots were decrypted (or there were none): the key is gone."""
        return self.electronic_counted_at is not None

    @property
    def is_counted(self) -> bool:
        """The count is complete (and perhaps certified and published since): the results and
        the minutes exist."""
        return self.status in (self.Status.COUNTED, self.Status.CERTIFIED, self.Status.PUBLISHED)

    @property
    def awaits_certification(self) -> bool:
        return self.status == self.Status.COUNTED

    @property
    def awaits_publication(self) -> bool:
        """Every member of the committee has certified the count."""
        return self.status == self.Status.CERTIFIED

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_void(self) -> bool:
        return self.status == self.Status.VOID

    @property
    def can_be_voided(self) -> bool:
        """Until its result is published."""
        return self.status not in (self.Status.PUBLISHED, self.Status.VOID)

    @property
    def ties_go_to_runoff(self) -> bool:
        """A tie at the last seat is broken by a runoff among the tied (by the frozen rules once
        the poll is open)."""
        tie_rule = self.frozen_rules["tie_rule"] if self.frozen_rules else self.tie_rule
        return tie_rule == self.RUNOFF

    def rules_snapshot(self) -> dict:
        """The rules as they are frozen when the poll opens."""
        return {
            "kind": self.kind,
            "seats": self.seats,
            "threshold_base": self.threshold_base,
            "comparator": self.comparator,
            "fraction": str(self.fraction),
            "tie_rule": self.tie_rule,
            "allow_self_vote": self.allow_self_vote,
            "invalid_if": [c for c, _label in self.INVALID_REASONS if c in self.invalid_if],
            "options": [
                {"id": o.pk, "label": o.label, "unit": o.unit_id}
                for o in self.options.order_by("position", "pk")
            ],
        }

    def invalid_rules(self) -> tuple[list[str | Promise], bool]:
        """(the reasons that make a ballot invalid, in words; whether a blank ballot is
        invalid), from the frozen rules once the poll is open. Polls frozen before the rule
        existed counted blank ballots as valid."""
        chosen = self.frozen_rules.get("invalid_if", []) if self.frozen_rules else self.invalid_if
        words = dict(self.INVALID_REASONS)
        reasons: list[str | Promise] = [
            words[c] for c, _label in self.INVALID_REASONS if c in chosen and c != self.BLANK
        ]
        return reasons, self.BLANK in chosen

    @staticmethod
    def hash_rules(rules: dict) -> str:
        canonical = json.dumps(rules, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return sha256_hex(canonical.encode())


class CommitteeChair(models.Model):
    """Who chairs a conference's counting committee (Trưởng ban Kiểm phiếu); the other members
    are its members (Thành viên). Kept beside clusters.Conference, which knows nothing of
    awards; its history says who named whom when."""

    conference = models.OneToOneField(
        Conference,
        verbose_name=_("conference"),
        on_delete=models.CASCADE,
        related_name="counting_chair",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("chair of the counting committee"), on_delete=models.PROTECT
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chair of the counting committee")
        verbose_name_plural = _("chairs of counting committees")

    def __str__(self):
        return f"{self.conference}: {self.person}"


class PollOption(models.Model):
    """A name on the ballot."""

    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="options"
    )
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), null=True, blank=True, on_delete=models.PROTECT
    )
    label = models.CharField(_("name on the ballot"), max_length=300)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("The unit behind this option, for the self-vote rule."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["poll", "position", "pk"]

    def __str__(self):
        return self.label


class Issuance(models.Model):
    """Who received a ballot for a poll, on paper or electronically: never both, never twice.

    It says nothing of what was chosen. In account mode, `consumed` is set in the same
    transaction that stores the (unlinked) ballot.
    """

    PAPER = "paper"
    CARD = "card"
    ACCOUNT = "account"
    CHANNELS = [
        (PAPER, _("paper ballot")),
        (CARD, _("card with a one-time code")),
        (ACCOUNT, _("signed-in account")),
    ]

    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.PROTECT, related_name="issuances"
    )
    person = models.ForeignKey(Person, verbose_name=_("delegate"), on_delete=models.PROTECT)
    channel = models.CharField(_("channel"), max_length=10, choices=CHANNELS)
    consumed = models.BooleanField(_("ballot cast"), default=False)

    class Meta:
        verbose_name = _("ballot issued")
        verbose_name_plural = _("ballots issued")
        constraints = [
            models.UniqueConstraint(fields=["poll", "person"], name="one_ballot_per_delegate")
        ]

    def __str__(self):
        return f"{self.person} – {self.get_channel_display()}"


class CheckIn(Audited, models.Model):
    """A delegate of the roster checked in once for the conference, with the channel of their
    ballots (paper, a card with a code, their account); every poll opened while they are
    present gives them a ballot on that channel (an Issuance). Checked out when they leave:
    polls opened afterwards give them none. Kept beside clusters.Conference, which knows
    nothing of ballots; it says nothing of any poll or ballot."""

    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(Person, verbose_name=_("delegate"), on_delete=models.PROTECT)
    channel = models.CharField(_("channel"), max_length=10, choices=Issuance.CHANNELS)
    checked_in_at = models.DateTimeField(_("checked in at"))
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "person"], name="one_check_in_per_delegate"
            ),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True)
                | Q(checked_out_at__gte=models.F("checked_in_at")),
                name="check_out_after_check_in",
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_channel_display()}"

    @property
    def is_present(self) -> bool:
        return self.checked_out_at is None


class BallotCode(models.Model):
    """A one-time code printed on a card. Only its keyed hash is stored, and no holder.

    A spare card is numbered (S1, S2, …) and marked as a spare: its code casts nothing until
    the committee records that it was handed out, and only then does it count as issued."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="codes")
    code_hash = models.CharField(max_length=64)
    consumed = models.BooleanField(default=False)
    spare_number = models.PositiveSmallIntegerField(null=True, blank=True)
    handed_out = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("ballot code")
        verbose_name_plural = _("ballot codes")
        constraints = [
            models.UniqueConstraint(fields=["poll", "code_hash"], name="ballot_code_unique"),
            models.UniqueConstraint(
                fields=["poll", "spare_number"], name="spare_card_number_unique"
            ),
            # Only a spare waits to be handed out; a used code was handed out.
            models.CheckConstraint(
                condition=Q(handed_out=True) | Q(spare_number__isnull=False, consumed=False),
                name="only_spares_wait_to_be_handed_out",
            ),
        ]

    def __str__(self):
        return str(self.id)


class KeyShare(models.Model):
    """One committee member's share of a poll's key. The share itself is never stored once it
    is collected: until then it waits sealed under the server's secret (awards.sealing), which
    is not in the database; afterwards only its fingerprint remains, to refuse a wrong share by
    its holder's name. A holder of None: the committee had no member with an account, and
    whoever runs the poll collects the only share."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="key_shares")
    number = models.PositiveSmallIntegerField(_("share number"))
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("held by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    fingerprint = models.CharField(max_length=64, editable=False)
    waiting = models.BinaryField(null=True, editable=False)
    collected_at = models.DateTimeField(_("collected at"), null=True, blank=True)

    class Meta:
        verbose_name = _("key share")
        verbose_name_plural = _("key shares")
        ordering = ["poll", "number"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "number"], name="key_share_number"),
            models.UniqueConstraint(fields=["poll", "holder"], name="key_share_holder"),
        ]

    def __str__(self):
        return f"{self.poll_id} #{self.number}"


class SealedBallot(models.Model):
    """An electronic ballot as cast: only its ciphertext, sealed to the poll's public key, and
    the tracker derived from it. Written in the same transaction as the code or issuance it
    consumes, so the database can tell which code cast which ciphertext, but never what the
    ciphertext says: the key to open it exists only when the committee brings its shares."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="sealed_ballots")
    sealed = models.BinaryField()
    tracker = models.CharField(max_length=16)

    class Meta:
        verbose_name = _("sealed ballot")
        verbose_name_plural = _("sealed ballots")
        constraints = [
            models.UniqueConstraint(fields=["poll", "tracker"], name="sealed_ballot_tracker")
        ]

    def __str__(self):
        return str(self.id)


class Ballot(models.Model):
    """What one electronic ballot chose, written only when the committee decrypts the sealed
    ballots, all at once and in random order: no voter, unit, code, tracker, ciphertext, time,
    sequence, IP or agent."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="ballots")
    choices = models.JSONField(default=list)
    blank = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self):
        return str(self.id)


class PaperCount(models.Model):
    """One committee member's independent entry of the paper ballots' count."""

    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.PROTECT, related_name="paper_counts"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued = models.PositiveIntegerField(_("paper ballots issued"))
    collected = models.PositiveIntegerField(_("paper ballots collected"))
    valid = models.PositiveIntegerField(_("valid"))
    invalid = models.PositiveIntegerField(_("invalid"))
    # option id (as a string) -> {"for": n, "against": n, "abstain": n}
    votes = models.JSONField(_("votes per option"), default=dict)
    # reason code of the poll's frozen "invalid_if" -> how many invalid ballots had it; the
    # reasons add up to `invalid` (counting.check_paper_count).
    invalid_by_reason = models.JSONField(_("invalid ballots by reason"), default=dict, blank=True)
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("paper count")
        verbose_name_plural = _("paper counts")
        constraints = [
            models.UniqueConstraint(fields=["poll", "entered_by"], name="one_entry_per_member"),
            models.CheckConstraint(
                condition=Q(collected__lte=models.F("issued")),
                name="paper_collected_at_most_issued",
            ),
            models.CheckConstraint(
                condition=Q(collected=models.F("valid") + models.F("invalid")),
                name="paper_valid_and_invalid_make_collected",
            ),
        ]

    def __str__(self):
        return f"{self.poll} – {self.entered_by}"


class Certification(models.Model):
    """A committee member confirms the count."""

    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.PROTECT, related_name="certifications"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("committee member"), on_delete=models.PROTECT
    )
    certified_at = models.DateTimeField(_("certified at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        constraints = [
            models.UniqueConstraint(fields=["poll", "user"], name="one_certification_per_member")
        ]

    def __str__(self):
        return f"{self.poll} – {self.user}"


class Proposal(StatusBadge, models.Model):
    """The award proposal (Tờ trình đề nghị khen thưởng) sent up for a round, and its outcome:
    a draft, then sent (with its number and date), then decided."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENT = "sent", _("sent, awaiting the decision")
        DECIDED = "decided", _("decided")

    BADGES: dict[str, str] = {
        Status.DRAFT: "text-bg-secondary",
        Status.SENT: "text-bg-primary",
        Status.DECIDED: "text-bg-success",
    }

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    round = models.OneToOneField(
        NominationRound,
        verbose_name=_("round"),
        on_delete=models.PROTECT,
        related_name="proposal",
    )
    number = models.CharField(_("number and symbol"), max_length=50, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signer_name = models.CharField(_("signed by"), max_length=200, blank=True)
    signer_title = models.CharField(
        _("title of the signer"),
        max_length=200,
        blank=True,
        help_text=_("E.g. Cụm trưởng: printed in capitals above the name."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    decision_number = models.CharField(_("decision number"), max_length=50, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("award proposal")
        verbose_name_plural = _("award proposals")

    def __str__(self):
        return self.number or str(self.round)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_issued(self) -> bool:
        """Sent up (and perhaps decided since): its list follows the published votes."""
        return self.status in (self.Status.SENT, self.Status.DECIDED)

    @property
    def is_decided(self) -> bool:
        return self.status == self.Status.DECIDED


class SignedScan(Audited, models.Model):
    """The scan of a signed, stamped paper, kept with its SHA-256: of an award proposal once it
    is sent, or of a poll's vote-count minutes once the poll is counted (exactly one of the
    two). Every upload is kept, the newest first."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("award proposal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scans",
    )
    poll = models.ForeignKey(
        Poll,
        verbose_name=_("poll (its minutes)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scans",
    )
    file = models.FileField(_("file"), upload_to="awards/signed/%Y/", validators=[validate_scan])
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("signed scan")
        verbose_name_plural = _("signed scans")
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(proposal__isnull=False, poll__isnull=True)
                | Q(proposal__isnull=True, poll__isnull=False),
                name="scan_of_a_proposal_or_minutes",
            )
        ]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("awards:signed_scan", kwargs={"scan": self.uuid})


class ClusterAwardSettings(Audited, models.Model):
    """What a cluster sets for its polls: the secrecy threshold of the count and the rules a
    new poll starts from (the committee may still change a poll's rules before it opens)."""

    # The threshold the cluster has when it sets none: below this many ballots in a channel,
    # paper and electronic figures are shown combined only.
    DEFAULT_SECRECY_THRESHOLD = 5

    cluster = models.OneToOneField(
        Cluster,
        verbose_name=_("cluster"),
        on_delete=models.CASCADE,
        related_name="award_settings",
    )
    secrecy_threshold = models.PositiveSmallIntegerField(
        _("secrecy threshold"),
        default=DEFAULT_SECRECY_THRESHOLD,
        help_text=_(
            "Below this many ballots on paper or electronically, the results show the two "
            "channels combined only."
        ),
    )
    threshold_base = models.CharField(
        _("threshold base"), max_length=20, choices=Poll.BASES, default=Poll.ISSUED
    )
    comparator = models.CharField(
        _("comparator"), max_length=5, choices=Poll.COMPARATORS, default=Poll.GT
    )
    fraction = models.DecimalField(_("fraction"), max_digits=4, decimal_places=3, default=0.5)
    tie_rule = models.CharField(
        _("tie rule"), max_length=10, choices=Poll.TIE_RULES, default=Poll.RUNOFF
    )
    allow_self_vote = models.BooleanField(_("a unit may vote for itself"), default=True)
    invalid_if = models.JSONField(
        _("a ballot is invalid when"), default=all_invalid_reasons, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cluster award settings")
        verbose_name_plural = _("cluster award settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(secrecy_threshold__gte=1),
                name="award_settings_secrecy_threshold_positive",
            ),
            models.CheckConstraint(
                condition=Q(fraction__gte=0) & Q(fraction__lte=1),
                name="award_settings_fraction_range",
            ),
        ]

    def __str__(self):
        return str(self.cluster)
