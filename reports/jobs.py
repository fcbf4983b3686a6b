"""Report jobs that do not get lost (docs/ARCHITECTURE.md, "Background work").

The job row in PostgreSQL is the record; the Celery message only wakes a worker:
- `request_*` write the row and queue the task once the row is committed;
- a task first *claims* its job with a conditional UPDATE (waiting, or running but not heard of
  for REPORTS_STALE_SECONDS): a duplicate message, a retry racing the original, or a message
  redelivered after the job finished all find nothing to claim and stop;
- the files are saved as one ReportVersion per job, under a lock on the job row, so a job
  that runs twice still leaves one version;
- a transient error (the database or the broker went away) puts the job back to waiting and
  the task retries; anything else marks it failed with a message for the user;
- `sweep` (Celery beat, every minute, and when a worker starts) queues again the jobs whose
  message was lost or whose worker died.
"""

import datetime
import logging
import time

from celery import current_app
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusters.models import ClusterYear
from common.uploads import sha256_hex

from .models import ReportJob, ReportVersion, RollupPart

log = logging.getLogger(__name__)

# Errors that a later attempt may not meet: the database or the broker was away for a moment.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)
# A job that has been claimed this many times is stopped: something kills its worker each time.
MAX_ATTEMPTS = 5
FAILED_MESSAGE = _(
    "The report could not be compiled because of an error in the system. Try again; if it "
    "fails again, tell the administrator."
)
GAVE_UP_MESSAGE = _(
    "The report could not be compiled: its worker stopped %(attempts)d times. Tell the "
    "administrator."
)
# The tasks that this module queues, by name: reports.tasks imports this module and declares its
# tasks under these names, and this module never imports reports.tasks (tasks are leaves).
COMPILE_SUMMARY_TASK = "emulation.reports.tasks.compile_summary"
START_ROLLUP_TASK = "emulation.reports.tasks.start_rollup"


# Asking for a job ----------------------------------------------------------------------------


def request_summary(*, cluster_year: ClusterYear, user) -> ReportJob:
    """Write a summary job for a cluster year and queue its task when the transaction commits
    (without Redis the task then runs in-process)."""
    job = ReportJob.objects.create(
        kind=ReportJob.SUMMARY, cluster_year=cluster_year, year=cluster_year.year, requested_by=user
    )
    transaction.on_commit(lambda: enqueue(job))
    return job


def request_rollup(*, user, year: int, cluster_years: list[ClusterYear]) -> ReportJob:
    """Write a roll-up job over the given cluster years and queue it on commit."""
    with transaction.atomic():
        job = ReportJob.objects.create(kind=ReportJob.ROLLUP, year=year, requested_by=user)
        job.cluster_years.set(cluster_years)
        transaction.on_commit(lambda: enqueue(job))
    return job


def enqueue(job: ReportJob) -> None:
    """Queue the job's first task (run in-process when Celery is eager, without Redis)."""
    name = COMPILE_SUMMARY_TASK if job.kind == ReportJob.SUMMARY else START_ROLLUP_TASK
    current_app.tasks[name].delay(job.pk)


# Running a job -------------------------------------------------------------------------------


def _stale_before(now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(seconds=settings.REPORTS_STALE_SECONDS)


def claim(job_id: int) -> ReportJob | None:
    """Take the job for this worker, or None when it is finished, or running elsewhere and
    alive. One conditional UPDATE, so two workers can never both take it."""
    now = timezone.now()
    claimable = Q(status=ReportJob.Status.PENDING) | Q(
        status=ReportJob.Status.RUNNING, heartbeat_at__lt=_stale_before(now)
    )
    taken = (
        ReportJob.objects.filter(claimable, pk=job_id)
        .filter(attempts__lt=MAX_ATTEMPTS)
        .update(
            status=ReportJob.Status.RUNNING,
            attempts=F("attempts") + 1,
            heartbeat_at=now,
            error="",
        )
    )
    if not taken:
        _give_up_if_worn_out(job_id)
        return None
    job = ReportJob.objects.select_related("cluster_year__cluster").get(pk=job_id)
    if job.started_at is None:
        job.started_at = now
        job.save(update_fields=["started_at"])
    return job


def _give_up_if_worn_out(job_id: int) -> None:
    worn = ReportJob.objects.filter(
        pk=job_id,
        status__in=[ReportJob.Status.PENDING, ReportJob.Status.RUNNING],
        attempts__gte=MAX_ATTEMPTS,
    ).first()
    if worn is not None:
        fail(job_id, str(GAVE_UP_MESSAGE % {"attempts": worn.attempts}))


def report_progress(job: ReportJob, *, progress: int, step: str) -> None:
    """Write how far the job is, which is also its heartbeat."""
    ReportJob.objects.filter(pk=job.pk, status=ReportJob.Status.RUNNING).update(
        progress=progress, step=step, heartbeat_at=timezone.now()
    )
    if settings.REPORTS_STEP_PAUSE:
        time.sleep(settings.REPORTS_STEP_PAUSE)


def _drop_broken_connection() -> None:
    """After a database error the connection may be what broke: drop it, so that the next
    query connects again (not inside a transaction, e.g. a test's)."""
    if not connection.in_atomic_block:
        connection.close_if_unusable_or_obsolete()


def release(job_id: int) -> None:
    """Put a job that met a transient error back to waiting, so its retry can claim it."""
    _drop_broken_connection()
    ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.RUNNING).update(
        status=ReportJob.Status.PENDING, step="", heartbeat_at=timezone.now()
    )


def fail(job_id: int, message: str) -> None:
    _drop_broken_connection()
    ReportJob.objects.filter(pk=job_id).exclude(status=ReportJob.Status.DONE).update(
        status=ReportJob.Status.FAILED, step="failed", error=message, finished_at=timezone.now()
    )


def finish(job: ReportJob, *, files: dict[str, bytes], missing: list[str], name: str) -> bool:
    """Save the compiled files as the job's one version and mark it done. False (and nothing
    saved) when another run of the same job got there first."""
    with transaction.atomic():
        locked = ReportJob.objects.select_for_update().get(pk=job.pk)
        if (
            locked.status == ReportJob.Status.DONE
            or ReportVersion.objects.filter(job=locked).exists()
        ):
            return False
        if locked.cluster_year_id:
            # Two jobs of the same year finishing at once must not take the same number.
            cluster_year = ClusterYear.objects.select_for_update().get(pk=locked.cluster_year_id)
            last = cluster_year.report_versions.aggregate(n=Max("number"))["n"] or 0
        else:
            last = 0
        version = ReportVersion(
            job=locked,
            cluster_year_id=locked.cluster_year_id,
            number=last + 1,
            hashes={kind: sha256_hex(content) for kind, content in files.items()},
            missing=missing,
        )
        for kind, content in files.items():
            getattr(version, kind).save(
                f"{name}-v{last + 1}.{kind}", ContentFile(content), save=False
            )
        version.save()
        locked.status = ReportJob.Status.DONE
        locked.progress = 100
        locked.step = "done"
        locked.finished_at = timezone.now()
        locked.save(update_fields=["status", "progress", "step", "finished_at"])
    return True


def compile_summary(*, job_id: int) -> bool:
    """Compile the year-end summary of the job's cluster year as Word, PDF and Excel.
    Returns whether this run saved the version."""
    from . import content, documents  # heavy imports, only in the worker

    job = claim(job_id)
    if job is None:
        return False
    cluster_year = job.cluster_year
    assert cluster_year is not None  # a summary job is of one cluster year
    report_progress(job, progress=5, step="gather")
    summary = content.summary_of(cluster_year)
    report_progress(job, progress=20, step="docx")
    docx = documents.summary_docx(summary)
    report_progress(job, progress=45, step="pdf")
    pdf = documents.summary_pdf(summary)
    report_progress(job, progress=75, step="xlsx")
    xlsx = documents.summary_xlsx(summary)
    report_progress(job, progress=95, step="save")
    name = f"bao-cao-tong-ket-cum-{cluster_year.cluster.number}-{cluster_year.year}"
    return finish(
        job, files={"docx": docx, "pdf": pdf, "xlsx": xlsx}, missing=summary.missing, name=name
    )


# The roll-up: a group of one task per cluster, then a combining step ---------------------------


def start_rollup(*, job_id: int) -> list[int]:
    """Claim a roll-up and return the cluster years still to compile (all of them the first
    time; after a lost worker, those whose part is missing)."""
    job = claim(job_id)
    if job is None:
        return []
    report_progress(job, progress=2, step="parts")
    wanted = set(job.cluster_years.values_list("pk", flat=True))
    done = set(job.parts.values_list("cluster_year_id", flat=True))
    return sorted(wanted - done)


def compile_rollup_part(*, job_id: int, cluster_year_id: int) -> bool:
    """Compile one cluster's part; True when it was the last part missing (the caller then
    starts the combining step)."""
    from . import content

    job = ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.RUNNING).first()
    if job is None:
        return False
    cluster_year = ClusterYear.objects.select_related("cluster").get(pk=cluster_year_id)
    data = content.rollup_part(cluster_year)
    with transaction.atomic():
        locked = ReportJob.objects.select_for_update().get(pk=job_id)
        RollupPart.objects.get_or_create(
            job=locked, cluster_year=cluster_year, defaults={"data": data}
        )
        total = locked.cluster_years.count()
        done = locked.parts.count()
        locked.parts_done = done
        locked.progress = 2 + (88 * done) // max(total, 1)
        locked.heartbeat_at = timezone.now()
        locked.save(update_fields=["parts_done", "progress", "heartbeat_at"])
    return done == total


def rollup_complete(*, job_id: int) -> bool:
    """Every part is in (a restarted roll-up then only needs combining)."""
    job = ReportJob.objects.get(pk=job_id)
    return job.status == ReportJob.Status.RUNNING and job.parts.count() == job.cluster_years.count()


def combine_rollup(*, job_id: int) -> bool:
    """Combine the parts into the workbook and the short summary, and finish the job."""
    from . import documents

    job = ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.RUNNING).first()
    if job is None:
        return False
    report_progress(job, progress=92, step="combine")
    parts = [
        part.data
        for part in job.parts.select_related("cluster_year__cluster").order_by(
            "cluster_year__cluster__number", "cluster_year__cluster__name"
        )
    ]
    body = _supervising_body(job)
    xlsx = documents.rollup_xlsx(job.year, parts)
    docx = documents.rollup_docx(job.year, parts, body)
    report_progress(job, progress=97, step="save")
    return finish(job, files={"xlsx": xlsx, "docx": docx}, missing=[], name=f"tong-hop-{job.year}")


def _supervising_body(job: ReportJob) -> str:
    bodies = sorted(
        {
            name
            for name in job.cluster_years.values_list("cluster__supervising_body", flat=True)
            if name
        }
    )
    return ", ".join(bodies)


# The sweeper -------------------------------------------------------------------------------


def sweep(*, now: datetime.datetime | None = None) -> int:
    """Queue again the jobs that waited too long for a worker (their message was lost) and the
    running ones not heard of for REPORTS_STALE_SECONDS (their worker died). Returns how many.

    The sweeper alone judges staleness: it puts such a job back to waiting (stamped now, so it is
    not swept again at once) before queueing it, and any worker may then claim it. A job queued
    twice is harmless: only one run can claim it, and a job keeps one version."""
    now = now or timezone.now()
    stale = _stale_before(now)
    lost = ReportJob.objects.filter(
        Q(status=ReportJob.Status.PENDING, heartbeat_at__isnull=True, created_at__lt=stale)
        | Q(status__in=[ReportJob.Status.PENDING, ReportJob.Status.RUNNING], heartbeat_at__lt=stale)
    )
    count = 0
    for job in lost:
        if job.attempts >= MAX_ATTEMPTS:
            _give_up_if_worn_out(job.pk)
            continue
        reset = ReportJob.objects.filter(
            pk=job.pk, status=job.status, heartbeat_at=job.heartbeat_at
        ).update(status=ReportJob.Status.PENDING, step="", heartbeat_at=now)
        if reset:  # else a worker got to it meanwhile
            log.warning("Report job %s (%s) looks lost; queueing it again.", job.pk, job.status)
            enqueue(job)
            count += 1
    return count
