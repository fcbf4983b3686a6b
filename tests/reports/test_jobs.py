"""Report jobs in-process (Celery eager, as in the embedded demo): the job row is the record,
a job is claimed once, a version is saved once, lost jobs are swept up, failures are said."""

import datetime
import hashlib

import pytest
from django.test import override_settings
from django.utils import timezone

from reports import jobs, tasks
from reports.models import ReportJob, ReportVersion
from tests.reports.factories import UnitReportFactory, build_report_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(report_world):
    for unit in report_world.units:
        UnitReportFactory(cluster_year=report_world.cluster_year, unit=unit)
    return report_world


def test_a_requested_summary_is_queued_on_commit_and_compiles_three_files(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        job = jobs.request_summary(cluster_year=world.cluster_year, user=world.secretariat)
        # Nothing runs before the row is committed.
        assert ReportJob.objects.get(pk=job.pk).status == ReportJob.Status.PENDING
    assert len(callbacks) == 1
    callbacks[0]()  # the commit: the task runs in-process (eager)

    job.refresh_from_db()
    assert (job.status, job.progress, job.step, job.attempts) == (
        ReportJob.Status.DONE,
        100,
        "done",
        1,
    )
    assert job.started_at is not None and job.finished_at >= job.started_at
    version = job.version
    assert version.number == 1 and version.cluster_year == world.cluster_year
    for kind in ("docx", "pdf", "xlsx"):
        content = getattr(version, kind).read()
        assert version.hashes[kind] == hashlib.sha256(content).hexdigest()
    for kind, magic in (("docx", b"PK\x03\x04"), ("pdf", b"%PDF-"), ("xlsx", b"PK\x03\x04")):
        with getattr(version, kind).open("rb") as stored:
            assert stored.read(len(magic)) == magic


def test_a_job_run_twice_keeps_one_version(world):
    job = ReportJob.objects.create(
        kind=ReportJob.SUMMARY, cluster_year=world.cluster_year, year=2021
    )
    assert tasks.compile_summary.apply(args=[job.pk]).get() is True
    assert tasks.compile_summary.apply(args=[job.pk]).get() is False
    assert ReportVersion.objects.filter(job=job).count() == 1
    job.refresh_from_db()
    assert job.attempts == 1


def test_versions_of_a_year_are_numbered(world):
    numbers = []
    for _ in range(3):
        job = ReportJob.objects.create(
            kind=ReportJob.SUMMARY, cluster_year=world.cluster_year, year=2021
        )
        tasks.compile_summary.apply(args=[job.pk])
        numbers.append(ReportVersion.objects.get(job=job).number)
    assert numbers == [1, 2, 3]


def test_a_job_is_claimed_once_until_its_worker_falls_silent(world, settings):
    settings.REPORTS_STALE_SECONDS = 60
    job = ReportJob.objects.create(
        kind=ReportJob.SUMMARY, cluster_year=world.cluster_year, year=2021
    )
    assert jobs.claim(job.pk) is not None
    assert jobs.claim(job.pk) is None  # running and alive: a duplicate message stops here
    ReportJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=61)
    )
    again = jobs.claim(job.pk)  # its worker died: the job is taken again
    assert again is not None and again.attempts == 2


def test_the_sweeper_requeues_lost_jobs_and_leaves_live_ones(world, settings):
    settings.REPORTS_STALE_SECONDS = 60
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    lost_message = ReportJob.objects.create(
        kind=ReportJob.SUMMARY, cluster_year=world.cluster_year, year=2021
    )
    dead_worker = ReportJob.objects.create(
        kind=ReportJob.SUMMARY,
        cluster_year=world.cluster_year,
        year=2021,
        status=ReportJob.Status.RUNNING,
        attempts=1,
        heartbeat_at=long_ago,
        progress=45,
    )
    alive = ReportJob.objects.create(
        kind=ReportJob.SUMMARY,
        cluster_year=world.cluster_year,
        year=2021,
        status=ReportJob.Status.RUNNING,
        attempts=1,
        heartbeat_at=timezone.now(),
    )
    just_asked = ReportJob.objects.create(
        kind=ReportJob.SUMMARY, cluster_year=world.cluster_year, year=2021
    )
    ReportJob.objects.filter(pk=lost_message.pk).update(created_at=long_ago)

    assert tasks.sweep_report_jobs.apply().get() == 2  # eager: the re-queued jobs run now

    statuses = dict(ReportJob.objects.values_list("pk", "status"))
    assert statuses[lost_message.pk] == ReportJob.Status.DONE
    assert statuses[dead_worker.pk] == ReportJob.Status.DONE
    assert statuses[alive.pk] == ReportJob.Status.RUNNING
    assert statuses[just_asked.pk] == ReportJob.Status.PENDING
    assert ReportVersion.objects.count() == 2


def test_a_job_whose_worker_keeps_dying_is_stopped_with_a_message(world, settings):
    settings.REPORTS_STALE_SECONDS = 60
    job = ReportJob.objects.create(
        kind=ReportJob.SUMMARY,
        cluster_year=world.cluster_year,
        year=2021,
        status=ReportJob.Status.RUNNING,
        attempts=jobs.MAX_ATTEMPTS,
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    assert tasks.sweep_report_jobs.apply().get() == 0
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert job.error == (
        "Không lập được báo cáo: tiến trình xử lý đã dừng 5 lần. Hãy báo cho quản trị viên."
    )


def test_an_error_marks_the_job_failed_with_a_message_not_a_spinner(world):
    # A summary job without its cluster year cannot be compiled: the error is not transient.
    job = ReportJob.objects.create(kind=ReportJob.SUMMARY, cluster_year=None, year=2021)
    assert tasks.compile_summary.apply(args=[job.pk]).get() is False
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert job.step == "failed"
    assert job.error == (
        "Không lập được báo cáo do lỗi hệ thống. Hãy thử lại; nếu vẫn lỗi, hãy báo cho quản trị "
        "viên."
    )
    assert not ReportVersion.objects.filter(job=job).exists()


@override_settings(REPORTS_STEP_PAUSE=0)
def test_a_rollup_compiles_one_part_per_cluster_then_combines(world):
    other = build_report_world(n_units=3)
    job = jobs.request_rollup(
        user=world.supervisor,
        year=2021,
        cluster_years=[world.cluster_year, other.cluster_year],
    )
    # request_rollup commits its own block; under the test's transaction run the task by hand.
    tasks.start_rollup.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    assert job.parts.count() == 2 and job.parts_done == 2
    assert job.version.xlsx and job.version.docx and not job.version.pdf
    # Run again: nothing to claim, nothing added.
    tasks.start_rollup.apply(args=[job.pk])
    assert job.parts.count() == 2 and ReportVersion.objects.filter(job=job).count() == 1
