"""Background jobs of the reports app: thin tasks around reports.jobs.

Tasks take job ids. A transient error puts the job back to waiting and retries with backoff;
any other error marks the job failed with a message for the user (and logs the traceback), so a
page never shows a spinner forever. Task names are pinned to the module path they had before the
app left emulation/, so messages already queued and the beat schedule keep working; the two that
reports.jobs queues are named there (jobs queues them by name and never imports this module).
"""

import logging
from typing import Any

from celery import group, shared_task
from celery.signals import worker_ready

from . import jobs

log = logging.getLogger(__name__)

RETRY: dict[str, Any] = {"max_retries": 3, "acks_late": True}


def _guarded(task, job_id: int, run):
    try:
        return run()
    except jobs.TRANSIENT_ERRORS as exc:
        if task.request.retries < task.max_retries:
            log.warning("Report job %s met %r; retrying.", job_id, exc)
            jobs.release(job_id)
            raise task.retry(exc=exc, countdown=2**task.request.retries) from exc
        log.exception("Report job %s failed after %s retries.", job_id, task.max_retries)
        jobs.fail(job_id, str(jobs.FAILED_MESSAGE))
    except Exception:
        log.exception("Report job %s failed.", job_id)
        jobs.fail(job_id, str(jobs.FAILED_MESSAGE))
    return False


@shared_task(name=jobs.COMPILE_SUMMARY_TASK, bind=True, **RETRY)
def compile_summary(self, job_id: int) -> bool:
    return _guarded(self, job_id, lambda: jobs.compile_summary(job_id=job_id))


@shared_task(name=jobs.START_ROLLUP_TASK, bind=True, **RETRY)
def start_rollup(self, job_id: int) -> int:
    """Claim the roll-up and fan out one task per cluster still missing (a Celery group);
    the part that completes the set starts the combining step."""

    def run():
        remaining = jobs.start_rollup(job_id=job_id)
        if remaining:
            group(compile_rollup_part.s(job_id, pk) for pk in remaining).apply_async()
        elif jobs.rollup_complete(job_id=job_id):
            combine_rollup.delay(job_id)
        return len(remaining)

    return _guarded(self, job_id, run)


@shared_task(name="emulation.reports.tasks.compile_rollup_part", bind=True, **RETRY)
def compile_rollup_part(self, job_id: int, cluster_year_id: int) -> bool:
    def run():
        last = jobs.compile_rollup_part(job_id=job_id, cluster_year_id=cluster_year_id)
        if last:
            combine_rollup.delay(job_id)
        return last

    return _guarded(self, job_id, run)


@shared_task(name="emulation.reports.tasks.combine_rollup", bind=True, **RETRY)
def combine_rollup(self, job_id: int) -> bool:
    return _guarded(self, job_id, lambda: jobs.combine_rollup(job_id=job_id))


@shared_task(name="emulation.reports.tasks.sweep_report_jobs")
def sweep_report_jobs() -> int:
    """Run every minute by Celery beat, and once when a worker starts."""
    return jobs.sweep()


@worker_ready.connect
def _sweep_on_start(sender=None, **kwargs):
    """A worker that starts (e.g. after a crash) picks up what was lost at once, without waiting
    for beat; in this process, so that the sweep is judged by this worker's settings."""
    try:
        jobs.sweep()
    except Exception:
        log.exception("The start-up sweep of report jobs failed; beat will sweep again.")
