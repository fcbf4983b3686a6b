"""Shared fixtures: the PostgreSQL guard and a real Celery worker; the browser and worker
markers."""

import shutil
from pathlib import Path

import pytest
from django.db import connection

from emulation.celery import app as celery_app
from tests.workers import start_worker, stop_worker

E2E = Path(__file__).resolve().parent / "e2e"
WORKER_FIXTURES = {"celery_worker_process", "real_celery"}


def pytest_collection_modifyitems(items):
    """Mark the browser journeys `browser` and the tests with a real Celery worker `worker`, so
    that `bin/test --fast` can leave them out (`-m "not browser and not worker and not slow"`)."""
    for item in items:
        if item.path.is_relative_to(E2E):
            item.add_marker(pytest.mark.browser)
        if WORKER_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.worker)


@pytest.fixture(scope="session", autouse=True)
def _require_postgresql():
    """The tests run on PostgreSQL only: SQLite hides locking, constraint and ordering bugs."""
    if connection.vendor != "postgresql":
        pytest.exit(
            f"The tests need PostgreSQL, not {connection.vendor}: run them with bin/test "
            "(or set DATABASE_URL=postgres://...).",
            returncode=1,
        )


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Each test starts with an empty cache of its own (rate limits must not leak between
    tests, and clearing the Redis cache would flush the broker's database too)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path_factory):
    """Uploaded and generated files go to a temporary folder, never into the repository."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Creating users with the real hasher costs most of a second each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _celery_eager(request):
    """Tasks run in-process (eagerly) unless the test uses the real worker."""
    eager = not WORKER_FIXTURES & set(request.fixturenames)
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(scope="session")
def _celery_worker(django_db_setup, tmp_path_factory):
    """One real Celery worker for the session, on Redis, against the test database."""
    mail_dir = tmp_path_factory.mktemp("sent_emails")
    log_path = tmp_path_factory.mktemp("celery") / "worker.log"
    celery_app.control.purge()  # nothing left over from an earlier run
    media_root = tmp_path_factory.mktemp("worker_media")
    process = start_worker(
        log_path,
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_dir),
        MEDIA_ROOT=str(media_root),
        REPORTS_STEP_PAUSE="1",  # report jobs take seconds, so their progress bars are seen
    )
    process.media_root = media_root  # tests that read the files it writes point MEDIA_ROOT here
    try:
        yield process, mail_dir
    finally:
        stop_worker(process)


@pytest.fixture
def real_celery(transactional_db):
    """Tasks go through Redis (for tests that start their own workers with start_worker)."""


@pytest.fixture
def celery_worker_process(_celery_worker, transactional_db):
    """A real Celery worker and the folder its emails are written to, emptied for this test.

    Yields (process, mail_dir). The test's data is committed (transactional_db), so the
    worker, a separate process with its own connection, sees it.
    """
    process, mail_dir = _celery_worker
    for path in mail_dir.iterdir():
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    yield process, mail_dir
