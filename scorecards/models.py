"""Criteria scorecards (bảng tiêu chí đánh giá thi đua): criteria, self-scores, reviews, ranking,
pledges (giao ước thi đua), thematic campaigns (phong trào chuyên đề) and indicators.

Three score layers are kept side by side on each criterion and never overwrite each other:
the unit's self score, the secretariat's reviewed score (with a reason when it differs), and the
final score. "Not scored" (NULL) is distinct from 0.
"""

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Deferrable, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusters.models import Cluster, ClusterYear, Unit
from common.models import Audited, StatusBadge
from common.uploads import validate_document

POINT_FIELD: dict[str, Any] = {"max_digits": 7, "decimal_places": 2}


class CriteriaSetStatus(models.TextChoices):
    """The states of a CriteriaSet (outside it, so that its Meta constraints can name them)."""

    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    SUPERSEDED = "superseded", _("superseded")


class CriteriaSet(StatusBadge, models.Model):
    """One version of a cluster year's criteria. Published versions are locked; a change after
    publishing is a new version with a reason."""

    Status = CriteriaSetStatus
    BADGES: dict[str, str] = {
        Status.DRAFT: "text-bg-warning",
        Status.PUBLISHED: "text-bg-success",
        Status.SUPERSEDED: "text-bg-secondary",
    }

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cluster_year = models.ForeignKey(
        ClusterYear,
        verbose_name=_("cluster year"),
        on_delete=models.PROTECT,
        related_name="criteria_sets",
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    title = models.CharField(_("title"), max_length=300, blank=True)
    change_reason = models.TextField(_("reason for the new version"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["cluster_year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster_year", "version"], name="criteria_set_version_unique"
            ),
            models.UniqueConstraint(
                fields=["cluster_year"],
                condition=Q(status=CriteriaSetStatus.DRAFT),
                name="one_draft_criteria_set_per_year",
                violation_error_message=_("This year already has a draft of its criteria."),
            ),
            models.UniqueConstraint(
                fields=["cluster_year"],
                condition=Q(status=CriteriaSetStatus.PUBLISHED),
                name="one_published_criteria_set_per_year",
            ),
        ]

    def __str__(self):
        return f"{self.cluster_year} – v{self.version}"

    @property
    def is_locked(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def is_superseded(self) -> bool:
        """A later version replaced it."""
        return self.status == self.Status.SUPERSEDED


class Criterion(models.Model):
    """A node of the criteria tree: a group, or a criterion scored one of four ways."""

    GROUP = "group"
    POINTS = "points"
    YES_NO = "yes_no"
    BONUS = "bonus"
    DEDUCTION = "deduction"
    KINDS = [
        (GROUP, _("group")),
        (POINTS, _("points within a range")),
        (YES_NO, _("yes/no")),
        (BONUS, _("bonus points")),
        (DEDUCTION, _("deduction")),
    ]

    criteria_set = models.ForeignKey(
        CriteriaSet,
        verbose_name=_("criteria set"),
        on_delete=models.CASCADE,
        related_name="criteria",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    # The same criterion across versions and years: scores follow it to a new version.
    lineage = models.UUIDField(default=uuid.uuid4, editable=False)
    number = models.CharField(_("number"), max_length=20, help_text=_("As written: I, 1, 1.1, a"))
    position = models.PositiveIntegerField(_("order"), default=0)
    text = models.TextField(_("criterion"))
    guidance = models.TextField(_("guidance"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=KINDS, default=POINTS)
    max_points = models.DecimalField(
        _("maximum points"), validators=[MinValueValidator(Decimal("0"))], **POINT_FIELD
    )
    evidence_required = models.BooleanField(_("evidence required"), default=False)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["criteria_set", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "lineage"], name="criterion_lineage_unique_in_set"
            ),
            models.CheckConstraint(
                condition=Q(max_points__gte=0), name="criterion_max_points_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:80]}"

    @property
    def is_group(self) -> bool:
        return self.kind == self.GROUP


class ScoringPolicy(models.Model):
    """How a cluster ranks: the tie-break order after the total.

    Keys: "base" (higher base points), "deductions" (fewer deductions), "bonus" (more bonus),
    "group:<number>" (a higher score in that top-level group, e.g. "group:I").
    """

    cluster = models.OneToOneField(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="scoring_policy"
    )
    tie_breaks = models.JSONField(_("tie-break order"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scoring policy")
        verbose_name_plural = _("scoring policies")

    def __str__(self):
        return str(self.cluster)


class GradeBand(models.Model):
    """A grade (xếp loại) reached from a minimum total, e.g. Xuất sắc from 95."""

    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="grade_bands"
    )
    name = models.CharField(_("name"), max_length=100)
    min_total = models.DecimalField(_("minimum total"), **POINT_FIELD)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("grade band")
        verbose_name_plural = _("grade bands")
        ordering = ["cluster", "-min_total"]
        # Deferred: the settings page rewrites the bands in one transaction, which may pass
        # through states where two bands share a minimum or a name.
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "min_total"],
                name="grade_band_unique",
                deferrable=Deferrable.DEFERRED,
            ),
            models.UniqueConstraint(
                fields=["cluster", "name"],
                name="grade_band_name_unique",
                deferrable=Deferrable.DEFERRED,
            ),
        ]

    def __str__(self):
        return f"{self.name} (≥ {self.min_total})"


class Scorecard(StatusBadge, Audited, models.Model):
    """One member unit's scorecard for a cluster year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned for changes")
        REVIEWED = "reviewed", _("reviewed")
        FINALISED = "finalised", _("finalised")

    # The colour of the status badge: in the lists and on the unit's page, what is awaited from
    # the unit; on the review page, how far the review has gone (Bootstrap classes).
    BADGES: dict[str, str] = {
        Status.DRAFT: "text-bg-secondary",
        Status.SUBMITTED: "text-bg-primary",
        Status.RETURNED: "text-bg-warning",
        Status.REVIEWED: "text-bg-info",
        Status.FINALISED: "text-bg-success",
    }
    REVIEW_BADGES: dict[str, str] = {
        Status.SUBMITTED: "text-bg-primary",
        Status.REVIEWED: "text-bg-success",
        Status.FINALISED: "text-bg-dark",
    }
    # Submitted and not returned (is_handed_in), for queries.
    HANDED_IN = (Status.SUBMITTED, Status.REVIEWED, Status.FINALISED)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cluster_year = models.ForeignKey(
        ClusterYear,
        verbose_name=_("cluster year"),
        on_delete=models.PROTECT,
        related_name="scorecards",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="scorecards"
    )
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("criteria version"), on_delete=models.PROTECT
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    returned_reason = models.TextField(_("reason for returning"), blank=True)
    needs_reconfirm = models.BooleanField(
        _("must re-confirm after a criteria change"), default=False
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        ordering = ["cluster_year", "unit__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster_year", "unit"], name="one_scorecard_per_unit_per_year"
            )
        ]

    def __str__(self):
        return f"{self.unit.short_name} – {self.cluster_year.year}"

    def get_absolute_url(self):
        return reverse("scorecards:scorecard", kwargs={"scorecard": self.uuid})

    @property
    def is_editable_by_unit(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_returned(self) -> bool:
        """Sent back to the unit for changes, with a reason."""
        return self.status == self.Status.RETURNED

    @property
    def is_handed_in(self) -> bool:
        """Submitted and not returned: under review, reviewed or final."""
        return self.status in self.HANDED_IN

    @property
    def is_under_review(self) -> bool:
        """Handed in and not final yet: its criteria can be reviewed, or it can be returned."""
        return self.status in (self.Status.SUBMITTED, self.Status.REVIEWED)

    @property
    def is_reviewed(self) -> bool:
        """Every criterion is reviewed: the final scores can be decided and the card finalised."""
        return self.status == self.Status.REVIEWED

    @property
    def is_final(self) -> bool:
        """Finalised: no score can change any more."""
        return self.status == self.Status.FINALISED

    @property
    def review_badge(self) -> str:
        return self.REVIEW_BADGES.get(self.status, "text-bg-secondary")

    def current_scores(self):
        """The scores of the criteria version in force (earlier versions' rows stay as history)."""
        return self.scores.filter(criterion__criteria_set_id=self.criteria_set_id)


class Score(Audited, models.Model):
    """The three layers of one criterion on one scorecard."""

    scorecard = models.ForeignKey(
        Scorecard, verbose_name=_("scorecard"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="scores"
    )
    self_score = models.DecimalField(_("self score"), null=True, blank=True, **POINT_FIELD)
    explanation = models.TextField(_("explanation"), blank=True)
    reviewed_score = models.DecimalField(_("reviewed score"), null=True, blank=True, **POINT_FIELD)
    review_reason = models.TextField(_("reason for the adjustment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    unit_response = models.TextField(_("unit's response"), blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    final_score = models.DecimalField(_("final score"), null=True, blank=True, **POINT_FIELD)
    final_reason = models.TextField(_("reason for the final score"), blank=True)
    # Bumped on every write: two officers editing at once are told instead of overwritten.
    revision = models.PositiveIntegerField(_("revision"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(
        excluded_fields=["updated_at"], history_change_reason_field=models.TextField(null=True)
    )

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["scorecard", "criterion__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "criterion"], name="one_score_per_criterion"
            )
        ]

    def __str__(self):
        return f"{self.scorecard} – {self.criterion.number}"

    @property
    def effective(self) -> Decimal | None:
        """The score that counts: final, else reviewed, else the unit's own."""
        for value in (self.final_score, self.reviewed_score, self.self_score):
            if value is not None:
                return value
        return None

    @property
    def is_adjusted(self) -> bool:
        return self.reviewed_score is not None and self.reviewed_score != self.self_score


class Evidence(Audited, models.Model):
    """A file supporting a score (PDF, Word, Excel, JPG, PNG), checked by content."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    score = models.ForeignKey(
        Score, verbose_name=_("score"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to="evidence/%Y/", validators=[validate_document])
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name


class RankingPublication(models.Model):
    """The ranking of a cluster year, once published to all members."""

    cluster_year = models.OneToOneField(
        ClusterYear,
        verbose_name=_("cluster year"),
        on_delete=models.PROTECT,
        related_name="ranking_publication",
    )
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The tie-break order and the grade bands the ranking was published with (scorecards.
    # services.ranking.publish_ranking): the ranking of a published year reads these, so that
    # the cluster's later settings leave it unchanged. Bands are [name, minimum as a string],
    # highest first. Null for a publication made before the snapshot existed.
    tie_breaks = models.JSONField(_("tie-break order"), null=True, blank=True, editable=False)
    grade_bands = models.JSONField(_("grade bands"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ranking publication")
        verbose_name_plural = _("ranking publications")

    def __str__(self):
        return str(self.cluster_year)


class Pledge(Audited, models.Model):
    """The year's emulation pledge (giao ước thi đua) that every member unit signs."""

    cluster_year = models.OneToOneField(
        ClusterYear, verbose_name=_("cluster year"), on_delete=models.PROTECT, related_name="pledge"
    )
    text = models.TextField(_("pledge text"), blank=True)
    document = models.FileField(
        _("pledge document"), upload_to="pledges/%Y/", blank=True, validators=[validate_document]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")

    def __str__(self):
        return str(self.cluster_year)


class PledgeSignature(Audited, models.Model):
    pledge = models.ForeignKey(
        Pledge, verbose_name=_("pledge"), on_delete=models.CASCADE, related_name="signatures"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True)
    scan = models.FileField(
        _("scanned copy"),
        upload_to="pledges/signed/%Y/",
        blank=True,
        validators=[validate_document],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pledge signature")
        verbose_name_plural = _("pledge signatures")
        constraints = [
            models.UniqueConstraint(fields=["pledge", "unit"], name="one_signature_per_unit")
        ]

    def __str__(self):
        return f"{self.unit.short_name} – {self.pledge}"


class Campaign(Audited, models.Model):
    """A thematic campaign (phong trào thi đua chuyên đề), e.g. "Cách làm hay, mô hình mới"."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cluster_year = models.ForeignKey(
        ClusterYear,
        verbose_name=_("cluster year"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["cluster_year", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="campaign_dates_ordered",
                violation_error_message=_("The end is before the start."),
            )
        ]

    def __str__(self):
        return self.title


class CampaignEntry(Audited, models.Model):
    """A unit's entry in a campaign; shortlisted entries become award candidates."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="entries"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"))
    results = models.TextField(_("results"), blank=True)
    attachment = models.FileField(
        _("attachment"), upload_to="campaigns/%Y/", blank=True, validators=[validate_document]
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    shortlisted = models.BooleanField(_("shortlisted"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("campaign entry")
        verbose_name_plural = _("campaign entries")
        ordering = ["campaign", "unit__short_name"]

    def __str__(self):
        return self.title


class Indicator(Audited, models.Model):
    """A figure every unit reports as of a date, e.g. "has reorganised its apparatus"."""

    YES_NO = "yes_no"
    NUMBER = "number"
    KINDS = [(YES_NO, _("yes/no")), (NUMBER, _("number"))]

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cluster_year = models.ForeignKey(
        ClusterYear,
        verbose_name=_("cluster year"),
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    text = models.CharField(_("indicator"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=KINDS, default=YES_NO)
    as_of = models.DateField(_("as of"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["cluster_year", "text"]

    def __str__(self):
        return self.text


class IndicatorReport(Audited, models.Model):
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="reports"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT)
    value_yes = models.BooleanField(_("yes"), null=True, blank=True)
    value_number = models.DecimalField(
        _("value"), null=True, blank=True, max_digits=12, decimal_places=2
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("reported at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator report")
        verbose_name_plural = _("indicator reports")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit"], name="one_report_per_unit")
        ]

    def __str__(self):
        return f"{self.unit.short_name} – {self.indicator}"


class ReminderLog(models.Model):
    """A reminder already sent: the periodic job never sends the same one twice."""

    cluster_year = models.ForeignKey(ClusterYear, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=40)
    deadline = models.DateField()
    sent_on = models.DateField()

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster_year", "unit", "kind", "deadline", "sent_on"],
                name="unit_reminder_once",
            ),
            models.UniqueConstraint(
                fields=["cluster_year", "kind", "deadline", "sent_on"],
                condition=Q(unit__isnull=True),
                name="secretariat_reminder_once",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.deadline}"


class YearDeadline(Audited, models.Model):
    """A deadline the secretariat adds to a year beside the fixed ones of the ClusterYear
    (e.g. "Send the mid-year figures"). Every member unit is reminded of it before the date:
    nothing records that a unit has done it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cluster_year = models.ForeignKey(
        ClusterYear,
        verbose_name=_("cluster year"),
        on_delete=models.CASCADE,
        related_name="extra_deadlines",
    )
    title = models.CharField(_("what the units must do"), max_length=200)
    date = models.DateField(_("deadline"))
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deadline of the year")
        verbose_name_plural = _("deadlines of the year")
        ordering = ["cluster_year", "date", "title"]

    def __str__(self):
        return f"{self.title} ({self.date:%d/%m/%Y})"

    @property
    def reminder_kind(self) -> str:
        """The ReminderLog kind of its reminders (one deadline, one kind)."""
        return f"extra-{self.pk}"
