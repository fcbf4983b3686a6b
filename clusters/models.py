"""The cluster structure over time: who belonged to which cluster in which year, and who led it.

Glossary: a cluster (cụm thi đua) or bloc (khối thi đua) groups member units (đơn vị thành
viên) that compete each year; the cluster year is the unit of work; the leader (cụm trưởng)
and deputies (cụm phó) rotate among members each year.
"""

import datetime
import uuid
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Deferrable, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from common.formatting import short_date
from common.models import Audited, StatusBadge
from common.uploads import validate_document


def year_start(year: int) -> datetime.date:
    return datetime.date(year, 1, 1)


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


# The longest reminder period a cluster may set: beyond two months a reminder is noise.
MAX_REMINDER_DAYS = 60


def parse_reminder_days(value: str) -> list[int]:
    """ "7, 3, 1" -> [7, 3, 1] (largest first); [] for an empty value. Raises ValidationError
    (Vietnamese) for anything but distinct whole numbers from 0 to MAX_REMINDER_DAYS."""
    parts = [part.strip() for part in value.split(",")] if value.strip() else []
    if any(not part.isascii() or not part.isdigit() for part in parts):
        raise ValidationError(
            _("Enter whole numbers of days separated by commas, for example 7,3,1."),
            code="invalid",
        )
    days = [int(part) for part in parts]
    if any(day > MAX_REMINDER_DAYS for day in days):
        raise ValidationError(
            _("Each number of days must be between 0 and %(max)s.") % {"max": MAX_REMINDER_DAYS},
            code="out_of_range",
        )
    twice = sorted({day for day in days if days.count(day) > 1})
    if twice:
        raise ValidationError(
            _("A number of days is given twice: %(days)s.")
            % {"days": ", ".join(str(day) for day in twice)},
            code="duplicate",
        )
    return sorted(days, reverse=True)


def validate_reminder_days(value: str) -> None:
    parse_reminder_days(value)


class Cluster(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=200, blank=True)
    supervising_body = models.CharField(_("supervising body"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    recent_leader_years = models.PositiveSmallIntegerField(
        _("years before a leader may lead again"),
        default=3,
        help_text=_("The rotation proposal skips units that led in this many past years."),
    )
    # Empty: settings.REMINDER_DAYS_BEFORE. Stored normalised ("7,3,1") by the service.
    reminder_days = models.CharField(
        _("reminder days before a deadline"),
        max_length=100,
        blank=True,
        validators=[validate_reminder_days],
        help_text=_(
            "Days before each deadline on which the units that have not acted are reminded, "
            "for example 7,3,1. Empty: the application's default."
        ),
    )
    history = HistoricalRecords()
    # The open year whose secretariat keeps the settings, cached by
    # clusters.selectors.settings_year.
    _settings_year: "ClusterYear | None"

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ["number", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("clusters:cluster_detail", kwargs={"cluster": self.uuid})


class Unit(Audited, models.Model):
    """A member organisation, e.g. Ban Tổ chức Tỉnh ủy Tây Ninh, over its period of existence.

    A unit that was merged into or renamed to another has a successor; its records stay its
    own, and views spanning years group it under the successor.
    """

    MERGED = "merged"
    RENAMED = "renamed"
    SUCCESSION_KINDS = [(MERGED, _("merged into")), (RENAMED, _("renamed to"))]

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=80)
    province = models.CharField(_("province or city"), max_length=100)
    valid_from = models.DateField(_("exists from"), null=True, blank=True)
    valid_until = models.DateField(
        _("exists until"), null=True, blank=True, help_text=_("The last day of existence.")
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    succession_kind = models.CharField(
        _("kind of succession"), max_length=10, choices=SUCCESSION_KINDS, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["short_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="unit_period_ordered",
                violation_error_message=_("The end of existence is before its start."),
            ),
            models.CheckConstraint(
                condition=Q(successor__isnull=True) | Q(valid_until__isnull=False),
                name="unit_successor_needs_end",
                violation_error_message=_(
                    "A unit with a successor must have the last day of its existence."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("clusters:unit_detail", kwargs={"unit": self.uuid})

    @property
    def succession_date(self) -> datetime.date | None:
        """The day the successor took over."""
        if self.successor_id and self.valid_until:
            return self.valid_until + datetime.timedelta(days=1)
        return None

    def exists_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )

    def exists_in_year(self, year: int) -> bool:
        """True when the unit existed on at least one day of the year."""
        return (self.valid_from is None or self.valid_from <= year_end(year)) and (
            self.valid_until is None or self.valid_until >= year_start(year)
        )

    def final_successor(self) -> "Unit":
        unit, seen = self, {self.pk}
        while unit.successor_id and unit.successor_id not in seen:
            seen.add(unit.successor_id)
            unit = cast(Unit, unit.successor)  # successor_id is set
        return unit

    def clean(self):
        errors = {}
        if self.successor_id:
            if self.successor_id == self.pk:
                errors["successor"] = _("A unit cannot be its own successor.")
            else:
                # Walk the successor chain: reaching this unit again means a loop.
                seen, unit = {self.pk}, self.successor
                while unit is not None:
                    if unit.pk in seen:
                        errors["successor"] = _(
                            "This succession makes a loop: %(unit)s already succeeds this unit."
                        ) % {"unit": unit.short_name}
                        break
                    seen.add(unit.pk)
                    unit = unit.successor
            if not self.succession_kind:
                errors["succession_kind"] = _("Say whether the unit was merged or renamed.")
            successor = self.successor
            if (
                "successor" not in errors
                and self.valid_until
                and successor.valid_from
                and successor.valid_from > self.valid_until + datetime.timedelta(days=1)
            ):
                errors["successor"] = _(
                    "The successor must exist from the day after this unit ceased (%(day)s)."
                ) % {"day": short_date(self.valid_until + datetime.timedelta(days=1))}
        elif self.succession_kind:
            errors["successor"] = _("Choose the successor.")
        if errors:
            raise ValidationError(errors)


class Membership(Audited, models.Model):
    """A unit belongs to a cluster from start_year to end_year (inclusive; open when empty)."""

    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="memberships"
    )
    start_year = models.PositiveSmallIntegerField(_("from year"))
    end_year = models.PositiveSmallIntegerField(_("until year"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["cluster", "unit__short_name", "start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(end_year__gte=models.F("start_year")),
                name="membership_years_ordered",
                violation_error_message=_("The last year is before the first year."),
            )
        ]

    def __str__(self):
        until = self.end_year or "…"
        return f"{self.unit.short_name} – {self.cluster} ({self.start_year}–{until})"

    def covers(self, year: int) -> bool:
        return self.start_year <= year and (self.end_year is None or year <= self.end_year)

    def clean(self):
        if not (self.cluster_id and self.unit_id and self.start_year):
            return
        if self.end_year is not None and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("The last year is before the first year.")})
        unit = self.unit
        for year in (self.start_year, self.end_year):
            if year is not None and not unit.exists_in_year(year):
                raise ValidationError(
                    {
                        "end_year" if year == self.end_year else "start_year": _(
                            "%(unit)s did not exist in %(year)s."
                        )
                        % {"unit": unit.short_name, "year": year}
                    }
                )
        if self.end_year is None and unit.valid_until is not None:
            raise ValidationError(
                {
                    "end_year": _(
                        "%(unit)s ceased to exist in %(year)s: give the last year of membership."
                    )
                    % {"unit": unit.short_name, "year": unit.valid_until.year}
                }
            )
        overlapping = Membership.objects.filter(cluster_id=self.cluster_id, unit_id=self.unit_id)
        if self.pk:
            overlapping = overlapping.exclude(pk=self.pk)
        if self.end_year is not None:
            overlapping = overlapping.filter(start_year__lte=self.end_year)
        overlapping = overlapping.filter(
            Q(end_year__isnull=True) | Q(end_year__gte=self.start_year)
        )
        if overlapping.exists():
            raise ValidationError(
                {
                    "start_year": _(
                        "This membership overlaps another membership of the same unit in this "
                        "cluster."
                    )
                }
            )


class LeadershipRole(models.Model):
    """A role held for a year, e.g. Cụm trưởng (leader), Cụm phó Thường trực, Cụm phó."""

    LEADER = "leader"
    STANDING_DEPUTY = "standing_deputy"
    DEPUTY = "deputy"
    KINDS = [
        (LEADER, _("leader")),
        (STANDING_DEPUTY, _("standing deputy leader")),
        (DEPUTY, _("deputy leader")),
    ]

    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="roles"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=KINDS)
    rank = models.PositiveSmallIntegerField(_("order"), default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("leadership role")
        verbose_name_plural = _("leadership roles")
        ordering = ["cluster", "rank"]
        constraints = [
            # Deferred: the settings page reorders roles in one transaction, which passes
            # through states where two roles share an order.
            models.UniqueConstraint(
                fields=["cluster", "rank"],
                name="role_rank_unique",
                deferrable=Deferrable.DEFERRED,
                violation_error_message=_("Another role of this cluster has this order."),
            ),
            models.UniqueConstraint(
                fields=["cluster", "name"],
                name="role_name_unique",
                deferrable=Deferrable.DEFERRED,
                violation_error_message=_("Another role of this cluster has this name."),
            ),
            models.UniqueConstraint(
                fields=["cluster"],
                condition=Q(kind="leader"),
                name="one_leader_role_per_cluster",
                violation_error_message=_("A cluster has exactly one leader role."),
            ),
        ]

    def __str__(self):
        return self.name


class RotationSlot(models.Model):
    """The position of a unit in its cluster's leadership rotation order."""

    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="rotation"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField(pgettext_lazy("rotation", "position"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rotation position")
        verbose_name_plural = _("rotation order")
        ordering = ["cluster", "position"]
        constraints = [
            # Deferred: reordering the rotation swaps positions within one transaction.
            models.UniqueConstraint(
                fields=["cluster", "position"],
                name="rotation_position_unique",
                deferrable=Deferrable.DEFERRED,
            ),
            models.UniqueConstraint(fields=["cluster", "unit"], name="rotation_unit_unique"),
        ]

    def __str__(self):
        return f"{self.position}. {self.unit.short_name}"


class ClusterYear(StatusBadge, Audited, models.Model):
    """A cluster's annual cycle: everything of the year hangs from it."""

    class Status(models.TextChoices):
        PLANNING = "planning", _("planning")
        IN_PROGRESS = "in_progress", _("in progress")
        YEAR_END = "year_end", _("year end")
        CLOSED = "closed", _("closed")

    # The colour of the status badge on every page (Bootstrap classes).
    BADGES: dict[str, str] = {
        Status.PLANNING: "text-bg-secondary",
        Status.IN_PROGRESS: "text-bg-primary",
        Status.YEAR_END: "text-bg-warning",
        Status.CLOSED: "text-bg-dark",
    }

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.PROTECT, related_name="years"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PLANNING)
    plan_title = models.CharField(_("plan title"), max_length=300, blank=True)
    plan_document = models.FileField(
        _("plan document"),
        upload_to="plans/%Y/",
        blank=True,
        validators=[validate_document],
    )
    pledge_deadline = models.DateField(_("pledge signing deadline"), null=True, blank=True)
    scorecard_deadline = models.DateField(_("self-scoring deadline"), null=True, blank=True)
    report_deadline = models.DateField(_("unit report deadline"), null=True, blank=True)
    nomination_deadline = models.DateField(_("award nomination deadline"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords(excluded_fields=["uuid"])
    # The holder of each role kind, cached by clusters.selectors.leadership_unit_id.
    _holders_by_kind: dict[str, int]

    class Meta:
        verbose_name = _("cluster year")
        verbose_name_plural = _("cluster years")
        ordering = ["cluster", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "year"],
                name="cluster_year_unique",
                violation_error_message=_("This cluster already has this year."),
            )
        ]

    def __str__(self):
        return f"{self.cluster} – {self.year}"

    def get_absolute_url(self):
        return reverse(
            "clusters:year_detail", kwargs={"cluster": self.cluster.uuid, "year": self.year}
        )

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class Conference(Audited, models.Model):
    MID_YEAR = "mid_year"
    YEAR_END = "year_end"
    PLEDGE = "pledge"
    OTHER = "other"
    KINDS = [
        (MID_YEAR, _("mid-year review")),
        (YEAR_END, _("year-end review")),
        (PLEDGE, _("pledge signing")),
        (OTHER, _("other meeting")),
    ]

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cluster_year = models.ForeignKey(
        ClusterYear,
        verbose_name=_("cluster year"),
        on_delete=models.PROTECT,
        related_name="conferences",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=KINDS)
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    host_unit = models.ForeignKey(
        Unit, verbose_name=_("host unit"), null=True, blank=True, on_delete=models.PROTECT
    )
    attending_units = models.ManyToManyField(
        Unit, verbose_name=_("attending units"), blank=True, related_name="conferences_attended"
    )
    attendees: "models.ManyToManyField[Person, Any]" = models.ManyToManyField(
        "Person", verbose_name=_("attending people"), blank=True, related_name="conferences"
    )
    delegates: "models.ManyToManyField[Person, Any]" = models.ManyToManyField(
        "Person",
        verbose_name=_("voting delegates"),
        blank=True,
        related_name="delegate_at",
        help_text=_("The roster of delegates who may vote at this conference."),
    )
    counting_committee: "models.ManyToManyField[Person, Any]" = models.ManyToManyField(
        "Person",
        verbose_name=_("vote-counting committee"),
        blank=True,
        related_name="counting_at",
    )
    minutes = models.FileField(
        _("minutes"), upload_to="minutes/%Y/", blank=True, validators=[validate_document]
    )
    summary = models.TextField(_("summary"), blank=True)
    history = HistoricalRecords(m2m_fields=[attending_units, delegates, counting_committee])

    class Meta:
        verbose_name = _("conference")
        verbose_name_plural = _("conferences")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.title} ({short_date(self.date)})"

    def get_absolute_url(self):
        return reverse("clusters:conference_detail", kwargs={"conference": self.uuid})


class LeadershipAssignment(models.Model):
    """A member unit holding a leadership role for a cluster year."""

    cluster_year = models.ForeignKey(
        ClusterYear,
        verbose_name=_("cluster year"),
        on_delete=models.CASCADE,
        related_name="leadership",
    )
    role = models.ForeignKey(LeadershipRole, verbose_name=_("role"), on_delete=models.PROTECT)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="leadership"
    )
    decided_at = models.ForeignKey(
        Conference,
        verbose_name=_("decided at"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leadership_decided",
    )
    override_reason = models.TextField(_("reason for departing from the rotation"), blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("leadership assignment")
        verbose_name_plural = _("leadership assignments")
        ordering = ["cluster_year", "role__rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster_year", "role"],
                name="one_unit_per_role_per_year",
                violation_error_message=_("This role already has a unit in this year."),
            ),
            models.UniqueConstraint(
                fields=["cluster_year", "unit"],
                name="one_role_per_unit_per_year",
                violation_error_message=_("This unit already holds a role in this year."),
            ),
        ]

    def __str__(self):
        return f"{self.cluster_year.year}: {self.role} – {self.unit.short_name}"

    def clean(self):
        if not (self.cluster_year_id and self.role_id and self.unit_id):
            return
        cluster_year = self.cluster_year
        if self.role.cluster_id != cluster_year.cluster_id:
            raise ValidationError({"role": _("This role belongs to another cluster.")})
        is_member = Membership.objects.filter(
            Q(end_year__isnull=True) | Q(end_year__gte=cluster_year.year),
            cluster_id=cluster_year.cluster_id,
            unit_id=self.unit_id,
            start_year__lte=cluster_year.year,
        ).exists()
        if not is_member:
            raise ValidationError(
                {
                    "unit": _("%(unit)s is not a member of the cluster in %(year)s.")
                    % {"unit": self.unit.short_name, "year": cluster_year.year}
                }
            )
        if not self.unit.exists_in_year(cluster_year.year):
            raise ValidationError(
                {
                    "unit": _("%(unit)s did not exist in %(year)s.")
                    % {"unit": self.unit.short_name, "year": cluster_year.year}
                }
            )


class SecretariatStaff(models.Model):
    """Staff added by name to a cluster year's secretariat, beside the leader unit's officers."""

    cluster_year = models.ForeignKey(
        ClusterYear,
        verbose_name=_("cluster year"),
        on_delete=models.CASCADE,
        related_name="secretariat_staff",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.CASCADE
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("secretariat staff member")
        verbose_name_plural = _("secretariat staff")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster_year", "user"], name="secretariat_staff_unique"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.cluster_year}"


class Person(Audited, models.Model):
    """A person of a unit: delegates, committee members, individual award candidates."""

    MALE = "male"
    FEMALE = "female"
    GENDERS = [(MALE, _("male")), (FEMALE, _("female"))]

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    full_name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(_("position"), max_length=200, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="people"
    )
    gender = models.CharField(_("gender"), max_length=10, choices=GENDERS, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name

    def clean(self):
        if (
            self.birth_year is not None
            and not 1900 <= self.birth_year <= datetime.date.today().year
        ):
            raise ValidationError({"birth_year": _("Enter a year of birth between 1900 and now.")})


class OfficerTerm(Audited, models.Model):
    """An account acting for a unit during a period: that unit's officer in the years it covers."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="officer_terms",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="officer_terms"
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("officer term")
        verbose_name_plural = _("officer terms")
        ordering = ["user", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="officer_term_ordered",
                violation_error_message=_("The end is before the start."),
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.unit.short_name}"

    def clean(self):
        if not (self.unit_id and self.start_date):
            return
        unit = self.unit
        if not unit.exists_on(self.start_date):
            raise ValidationError(
                {"start_date": _("%(unit)s did not exist on this day.") % {"unit": unit.short_name}}
            )
        if unit.valid_until and (self.end_date is None or self.end_date > unit.valid_until):
            raise ValidationError(
                {
                    "end_date": _("%(unit)s ceased to exist on %(day)s: the term must end by then.")
                    % {"unit": unit.short_name, "day": short_date(unit.valid_until)}
                }
            )


class Supervision(models.Model):
    """Staff of the supervising body who oversee a cluster."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="supervisions",
    )
    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="supervisions"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supervisor")
        verbose_name_plural = _("supervisors")
        constraints = [
            models.UniqueConstraint(fields=["user", "cluster"], name="supervision_unique")
        ]

    def __str__(self):
        return f"{self.user} – {self.cluster}"


class Invitation(Audited, models.Model):
    """An invitation by email to become an officer of a unit: the link lets the person set a
    password, which creates their account, links it to their person of the unit and opens their
    officer term from `start_date`. Only the SHA-256 of the link's token is stored, so a copy
    of the database cannot be used to accept an invitation."""

    VALID_DAYS = 14

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("email"))
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="invitations"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="invitations"
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    start_date = models.DateField(_("officer from"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            # One open invitation per address: a second one would leave two working links.
            models.UniqueConstraint(
                Lower("email"),
                condition=Q(accepted_at__isnull=True, cancelled_at__isnull=True),
                name="invitation_one_open_per_email",
                violation_error_message=_("This address already has an invitation under way."),
            )
        ]

    def __str__(self):
        return f"{self.email} – {self.unit.short_name}"

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def is_expired(self, now: datetime.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.expires_at

    @property
    def is_pending(self) -> bool:
        return not (self.is_accepted or self.is_cancelled)
