"""Real Celery workers for the tests: start and stop one, wait for what it does, read the emails
it writes. The session's worker is the `celery_worker_process` fixture (tests/conftest.py)."""

import os
import socket
import subprocess
import sys
import time
from email import policy
from email.parser import BytesParser
from email.utils import getaddresses
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from emulation.celery import app as celery_app

BASE_DIR = Path(settings.BASE_DIR)
SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # between messages in a filebased backend's file


def wait_until(condition, *, timeout: float = 60, what: str = "the condition"):
    """Poll `condition` until it returns something true, and return that; fail after `timeout`
    seconds. For waiting on another process: a worker's rows, files or answers."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)


def _database_url(db: dict) -> str:
    """A DATABASE_URL for the connection settings of Django's (test) database."""
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = db.get("HOST") or ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(db['NAME'], safe='')}"


def _inspect(nodename: str):
    return celery_app.control.inspect([nodename], timeout=1)


def start_worker(log_path: Path, queues: str = "", **env_overrides: str) -> subprocess.Popen:
    """Start a real Celery worker (solo pool) on Redis against the test database and wait until
    it answers a ping. `queues`: the queues it consumes instead of the default one (so that a
    test's messages reach this worker and no other); `env_overrides` replace environment
    variables (settings such as REPORTS_STEP_PAUSE). The process's `nodename` names the worker
    for remote control (`finished_runs`)."""
    if not settings.REDIS_URL:
        pytest.fail("The Celery worker tests need REDIS_URL: run them with bin/test.")
    if os.environ.get("PYTEST_XDIST_WORKER"):
        # Every process's worker would take the others' messages, against another database.
        pytest.fail("The Celery worker tests run in one process: not under pytest -n.")
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(connection.settings_dict),
        "DB_CONN_MAX_AGE": "0",  # no idle connection left to block the test database's flush
        "REDIS_URL": settings.REDIS_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),  # the files it writes, where the test reads
        **env_overrides,
    }
    nodename = f"{log_path.stem}-{os.getpid()}@{socket.gethostname()}"
    celery = BASE_DIR / ".venv" / "bin" / "celery"
    command = [str(celery)] if celery.exists() else [sys.executable, "-m", "celery"]
    command += ["-A", "emulation", "worker", "--pool=solo", "--concurrency=1", "-l", "info"]
    command += ["--without-mingle", "--without-gossip", "--without-heartbeat"]  # starts faster
    command += ["-n", nodename]
    if queues:
        command += ["-Q", queues]
    log = log_path.open("ab")
    process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    process.nodename = nodename
    deadline = time.monotonic() + 30
    with celery_app.connection_for_write(env["REDIS_URL"]) as broker:
        while not celery_app.control.ping([nodename], timeout=0.5, connection=broker):
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


def _runs(process: subprocess.Popen, task) -> int | None:
    """The worker's answer: how many runs of `task` it has finished (None: no answer yet; a solo
    worker answers only between tasks). It counts the tasks it has accepted, less those it is
    still running; the count is asked first, so a run is never counted before it has ended."""
    inspect = _inspect(process.nodename)
    stats = (inspect.stats() or {}).get(process.nodename)
    active = (inspect.active() or {}).get(process.nodename)
    if stats is None or active is None:
        return None
    running = sum(1 for request in active if request["name"] == task.name)
    return stats["total"].get(task.name, 0) - running


def finished_runs(process: subprocess.Popen, task, timeout: float = 60) -> int:
    """How many runs of `task` the worker has finished since it started."""
    runs = wait_until(  # in a tuple, so that an answer of 0 counts
        lambda: (runs,) if (runs := _runs(process, task)) is not None else None,
        timeout=timeout,
        what=f"the worker {process.nodename} to answer",
    )
    return runs[0]


def wait_for_runs(process: subprocess.Popen, task, count: int, timeout: float = 60) -> None:
    """Wait until the worker has finished `count` runs of `task` in all: take `finished_runs`
    before sending the tasks, and add how many were sent."""
    wait_until(
        lambda: (_runs(process, task) or 0) >= count,
        timeout=timeout,
        what=f"{count} finished runs of {task.name}",
    )


def read_emails(mail_dir: Path) -> list:
    """The emails a worker wrote with the filebased backend, oldest file first."""
    messages = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_bytes().split(SEPARATOR):
            if chunk.strip():
                messages.append(BytesParser(policy=policy.default).parsebytes(chunk))
    return messages


def recipients(messages) -> set[str]:
    headers = [value for m in messages for value in m.get_all("To", []) + m.get_all("Cc", [])]
    return {address.lower() for _, address in getaddresses(headers)}
