"""Report jobs through Redis and real Celery workers, against the test database: a summary is
compiled by a worker; a worker killed in the middle of a job and a database connection cut
under a worker do not lose the job nor make two versions."""

import datetime
import io
import os
import signal
import uuid

import pytest
from django.db import connection
from django.utils import timezone
from docx import Document

from reports import jobs, tasks
from reports.models import ReportJob, ReportVersion
from tests.reports.factories import UnitReportFactory, build_report_world
from tests.workers import start_worker, stop_worker, wait_until

STALE_SECONDS = 2


def job_state(job):
    return (
        ReportJob.objects.filter(pk=job.pk).values("status", "step", "progress", "attempts").get()
    )


@pytest.fixture
def world(transactional_db):
    w = build_report_world()
    for unit in w.units:
        UnitReportFactory(
            cluster_year=w.cluster_year,
            unit=unit,
            achievements=f"Thành tích nổi bật của {unit.short_name}.",
        )
    return w


def docx_text(version: ReportVersion) -> str:
    with version.docx.open("rb") as stored:
        document = Document(io.BytesIO(stored.read()))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_a_worker_compiles_the_summary_asked_for(world, celery_worker_process, settings):
    settings.MEDIA_ROOT = celery_worker_process[0].media_root
    job = jobs.request_summary(cluster_year=world.cluster_year, user=world.secretariat)
    wait_until(lambda: job_state(job)["status"] == ReportJob.Status.DONE, what="the job to finish")
    version = ReportVersion.objects.get(job=job)
    text = docx_text(version)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    for unit in world.units:
        assert f"Thành tích nổi bật của {unit.short_name}." in text
    assert job_state(job)["attempts"] == 1


@pytest.fixture
def side_queue():
    """A queue of its own, so that the job goes to the worker under test and to no other."""
    return f"reports-test-{uuid.uuid4().hex[:8]}"


def test_a_worker_killed_in_the_middle_of_a_job_loses_nothing(
    world, tmp_path, side_queue, real_celery
):
    job = ReportJob.objects.create(
        kind=ReportJob.SUMMARY, cluster_year=world.cluster_year, year=world.cluster_year.year
    )
    doomed = start_worker(tmp_path / "doomed.log", queues=side_queue, REPORTS_STEP_PAUSE="1")
    try:
        tasks.compile_summary.apply_async(args=[job.pk], queue=side_queue)
        wait_until(lambda: job_state(job)["progress"] >= 20, what="the job to be half-way")
    finally:
        os.kill(doomed.pid, signal.SIGKILL)  # no warm shutdown: the worker just dies
        doomed.wait()
    state = job_state(job)
    assert state["status"] == ReportJob.Status.RUNNING and state["attempts"] == 1
    assert not ReportVersion.objects.filter(job=job).exists()

    silent = datetime.timedelta(seconds=STALE_SECONDS)
    wait_until(  # the job falls silent for longer than the survivor's REPORTS_STALE_SECONDS
        lambda: ReportJob.objects.filter(
            pk=job.pk, heartbeat_at__lt=timezone.now() - silent
        ).exists(),
        what="the job to fall silent",
    )
    survivor = start_worker(tmp_path / "survivor.log", REPORTS_STALE_SECONDS=str(STALE_SECONDS))
    try:  # on start it sweeps: the job is queued again and completes
        wait_until(
            lambda: job_state(job)["status"] == ReportJob.Status.DONE, what="the job to complete"
        )
    finally:
        stop_worker(survivor)
    assert job_state(job)["attempts"] == 2
    assert ReportVersion.objects.filter(job=job).count() == 1


def test_a_cut_database_connection_is_retried_and_the_job_completes(
    world, tmp_path, side_queue, real_celery
):
    job = ReportJob.objects.create(
        kind=ReportJob.SUMMARY, cluster_year=world.cluster_year, year=world.cluster_year.year
    )
    app_name = f"reports-retry-{side_queue}"
    worker = start_worker(
        tmp_path / "retry.log", queues=side_queue, REPORTS_STEP_PAUSE="1", PGAPPNAME=app_name
    )
    try:
        tasks.compile_summary.apply_async(args=[job.pk], queue=side_queue)
        wait_until(lambda: job_state(job)["step"] == "docx", what="the job to be running")
        with connection.cursor() as cursor:  # the database drops the worker's connection
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = %s",
                [app_name],
            )
            assert cursor.fetchone()[0] == 1
        wait_until(
            lambda: job_state(job)["status"] == ReportJob.Status.DONE, what="the retried job"
        )
    finally:
        stop_worker(worker)
    assert job_state(job)["attempts"] == 2
    assert ReportVersion.objects.filter(job=job).count() == 1
    log = (tmp_path / "retry.log").read_text(errors="replace")
    assert "retrying" in log
