"""Shared fixtures: the PostgreSQL guard and a real Celery worker."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from emulation.celery import app as celery_app

BASE_DIR = Path(settings.BASE_DIR)


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
    eager = not {"celery_worker_process", "real_celery"} & set(request.fixturenames)
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = previous


def _database_url(db: dict) -> str:
    """A DATABASE_URL for the connection settings of Django's (test) database."""
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = db.get("HOST") or ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(db['NAME'], safe='')}"


def start_worker(log_path: Path, queues: str = "", **env_overrides: str) -> subprocess.Popen:
    """Start a real Celery worker (solo pool) on Redis against the test database and wait until
    it answers a ping. `queues`: the queues it consumes instead of the default one (so that a
    test's messages reach this worker and no other); `env_overrides` replace environment
    variables (settings such as REPORTS_STEP_PAUSE)."""
    if not settings.REDIS_URL:
        pytest.fail("The Celery worker tests need REDIS_URL: run them with bin/test.")
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(connection.settings_dict),
        "DB_CONN_MAX_AGE": "0",  # no idle connection left to block the test database's flush
        "REDIS_URL": settings.REDIS_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),  # the files it writes, where the test reads
        **env_overrides,
    }
    celery = BASE_DIR / ".venv" / "bin" / "celery"
    command = [str(celery)] if celery.exists() else [sys.executable, "-m", "celery"]
    command += ["-A", "emulation", "worker", "--pool=solo", "--concurrency=1", "-l", "info"]
    command += ["--without-mingle", "--without-gossip", "--without-heartbeat"]  # starts faster
    command += ["-n", f"{log_path.stem}-{os.getpid()}@%h"]
    if queues:
        command += ["-Q", queues]
    log = log_path.open("ab")
    process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    deadline = time.monotonic() + 30
    with celery_app.connection_for_write(env["REDIS_URL"]) as broker:
        while not celery_app.control.ping(timeout=0.5, connection=broker):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(
                    "The Celery worker did not start:\n" + log_path.read_text(errors="replace")
                )
    return process


def stop_worker(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


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
