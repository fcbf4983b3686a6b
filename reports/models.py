"""Unit year reports, the year's summary settings, and report jobs with what they compiled.

Reports read everything and own nothing but these rows and their files (docs/ARCHITECTURE.md,
"Layers" and "Background work"): a job row is written first and its task queued on commit; a
compiled version belongs to exactly one job, so a task that runs twice still leaves one version.
"""

import uuid
from typing import cast

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusters.models import ClusterYear, Unit
from common.models import Audited, StatusBadge
from common.uploads import validate_document


class UnitReport(StatusBadge, Audited, models.Model):
    """A member unit's report for the year (báo cáo của đơn vị), in the summary's sections."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned for changes")
        ACCEPTED = "accepted", _("accepted")

    # The colour of the status badge on every page (Bootstrap classes).
    BADGES: dict[str, str] = {
        Status.DRAFT: "text-bg-secondary",
        Status.SUBMITTED: "text-bg-primary",
        Status.RETURNED: "text-bg-warning",
        Status.ACCEPTED: "text-bg-success",
    }
    # Submitted and not returned (is_handed_in), for queries.
    HANDED_IN = (Status.SUBMITTED, Status.ACCEPTED)
    # The sections in the order the summary merges them.
    SECTIONS = ["achievements", "limitations", "causes", "lessons", "proposals"]

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cluster_year = models.ForeignKey(
        ClusterYear,
        verbose_name=_("cluster year"),
        on_delete=models.PROTECT,
        related_name="unit_reports",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="year_reports"
    )
    achievements = models.TextField(_("results and achievements"), blank=True)
    limitations = models.TextField(_("limitations"), blank=True)
    causes = models.TextField(_("causes of the limitations"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    proposals = models.TextField(_("proposals and recommendations"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    revision = models.PositiveIntegerField(_("revision"), default=0)
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
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit report")
        verbose_name_plural = _("unit reports")
        ordering = ["cluster_year", "unit__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster_year", "unit"], name="one_report_per_unit_per_year"
            )
        ]

    def __str__(self):
        return f"{self.unit.short_name} – {self.cluster_year.year}"

    def get_absolute_url(self):
        return reverse(
            "reports:unit_report",
            kwargs={
                "cluster": self.cluster_year.cluster.uuid,
                "year": self.cluster_year.year,
                "unit": self.unit.uuid,
            },
        )

    @property
    def is_editable_by_unit(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def is_returned(self) -> bool:
        """Sent back to the unit for changes, with a reason."""
        return self.status == self.Status.RETURNED

    @property
    def is_handed_in(self) -> bool:
        """Submitted and not returned (accepted or not yet): the secretariat may return it."""
        return self.status in self.HANDED_IN

    @property
    def awaits_review(self) -> bool:
        """Submitted, neither accepted nor returned yet."""
        return self.status == self.Status.SUBMITTED

    def sections(self) -> list[tuple[str | Promise, str]]:
        """(label, text) of each section, in order."""
        return [
            (cast(models.Field, self._meta.get_field(name)).verbose_name, getattr(self, name))
            for name in self.SECTIONS
        ]


class KeyFigure(models.Model):
    """One of a unit report's key figures (e.g. cadres trained: 1.250 people)."""

    report = models.ForeignKey(
        UnitReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="figures"
    )
    label = models.CharField(_("figure"), max_length=200)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    measure = models.CharField(_("unit of measure"), max_length=50, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")
        ordering = ["report", "position", "pk"]

    def __str__(self):
        return self.label


class YearSummary(Audited, models.Model):
    """What the secretariat adds to the compiled summary of a year: its number and symbol, the
    key tasks for next year and the signer."""

    cluster_year = models.OneToOneField(
        ClusterYear,
        verbose_name=_("cluster year"),
        on_delete=models.PROTECT,
        related_name="summary",
    )
    number = models.CharField(
        _("number and symbol"),
        max_length=50,
        blank=True,
        help_text=_('For example "12-BC/CTĐ4"; left blank, the document leaves room for it.'),
    )
    key_tasks = models.TextField(
        _("key tasks for next year"), blank=True, help_text=_("One task per line.")
    )
    signer_name = models.CharField(_("signed by"), max_length=200, blank=True)
    published_version = models.ForeignKey(
        "ReportVersion",
        verbose_name=_("version published to the members"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("year summary")
        verbose_name_plural = _("year summaries")

    def __str__(self):
        return str(self.cluster_year)

    def key_task_lines(self) -> list[str]:
        return [line.strip() for line in self.key_tasks.splitlines() if line.strip()]


class ReportJob(StatusBadge, models.Model):
    """A compilation asked for from the browser. The row is the record of the job: the Celery
    message only wakes a worker, and the sweeper re-queues a job whose message was lost."""

    SUMMARY = "summary"
    ROLLUP = "rollup"
    KINDS = [(SUMMARY, _("year-end summary")), (ROLLUP, _("roll-up of clusters"))]

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    BADGES: dict[str, str] = {
        Status.PENDING: "text-bg-secondary",
        Status.RUNNING: "text-bg-primary",
        Status.DONE: "text-bg-success",
        Status.FAILED: "text-bg-danger",
    }

    # What the worker is doing, shown beside the progress bar (the row stores the key).
    STEP_LABELS = {
        "": _("Waiting for a worker"),
        "gather": _("Gathering the year's facts"),
        "docx": _("Writing the Word file"),
        "pdf": _("Writing the PDF file"),
        "xlsx": _("Writing the Excel annex"),
        "parts": _("Compiling each cluster"),
        "combine": _("Combining the clusters"),
        "save": _("Saving the files"),
        "done": _("Done"),
        "failed": _("Failed"),
    }

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=KINDS)
    cluster_year = models.ForeignKey(
        ClusterYear,
        verbose_name=_("cluster year"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_jobs",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    cluster_years = models.ManyToManyField(
        ClusterYear, verbose_name=_("clusters rolled up"), blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    parts_done = models.PositiveIntegerField(_("parts done"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last heard of"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def has_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def step_label(self) -> str | Promise:
        return self.STEP_LABELS.get(self.step, self.step)


def _version_path(instance, filename):
    return f"reports/{instance.job.uuid}/{filename}"


class ReportVersion(models.Model):
    """The files one job compiled. One per job (so a task run twice keeps one version); the
    summaries of a cluster year are numbered 1, 2, 3…"""

    job = models.OneToOneField(
        ReportJob, verbose_name=_("job"), on_delete=models.PROTECT, related_name="version"
    )
    cluster_year = models.ForeignKey(
        ClusterYear,
        verbose_name=_("cluster year"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_versions",
    )
    number = models.PositiveIntegerField(_("version"))
    docx = models.FileField(_("Word file"), upload_to=_version_path, blank=True, max_length=255)
    pdf = models.FileField(_("PDF file"), upload_to=_version_path, blank=True, max_length=255)
    xlsx = models.FileField(_("Excel file"), upload_to=_version_path, blank=True, max_length=255)
    hashes = models.JSONField(_("SHA-256 of the files"), default=dict)
    missing = models.JSONField(_("what was missing"), default=list)
    created_at = models.DateTimeField(_("compiled at"), auto_now_add=True)

    class Meta:
        verbose_name = _("compiled report")
        verbose_name_plural = _("compiled reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster_year", "number"],
                condition=models.Q(cluster_year__isnull=False),
                name="one_number_per_summary_version",
            )
        ]

    def __str__(self):
        return f"{self.job} v{self.number}"


class SignedSummary(Audited, models.Model):
    """The final summary as signed (edited Word file or scanned PDF), kept with its hash."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cluster_year = models.ForeignKey(
        ClusterYear,
        verbose_name=_("cluster year"),
        on_delete=models.PROTECT,
        related_name="signed_summaries",
    )
    based_on = models.ForeignKey(
        ReportVersion,
        verbose_name=_("based on version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file = models.FileField(
        _("file"), upload_to="reports/signed/%Y/", validators=[validate_document]
    )
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
        verbose_name = _("signed summary")
        verbose_name_plural = _("signed summaries")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.original_name


class RollupPart(models.Model):
    """One cluster's share of a roll-up, written by its task of the group; the last part to land
    triggers the combining step."""

    job = models.ForeignKey(
        ReportJob, verbose_name=_("job"), on_delete=models.CASCADE, related_name="parts"
    )
    cluster_year = models.ForeignKey(
        ClusterYear, verbose_name=_("cluster year"), on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField(_("data"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("roll-up part")
        verbose_name_plural = _("roll-up parts")
        constraints = [
            models.UniqueConstraint(fields=["job", "cluster_year"], name="one_part_per_cluster")
        ]

    def __str__(self):
        return f"{self.job} – {self.cluster_year}"
