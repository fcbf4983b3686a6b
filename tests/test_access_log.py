"""The web servers' request logs carry no response size (a size could tell a ballot's choices
apart): gunicorn with the project's gunicorn.conf.py, and Django's development server."""

import logging
import os
import subprocess
import sys
from http.client import HTTPConnection
from pathlib import Path

from django.conf import settings

from tests.awards.test_voting_faults import free_port
from tests.workers import wait_until

ROOT = Path(settings.BASE_DIR)


def test_gunicorn_logs_each_request_without_its_size(tmp_path):
    port = free_port()
    log = tmp_path / "access.log"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "emulation.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--access-logfile",
            str(log),
        ],
        cwd=ROOT,
        env=os.environ | {"SECRET_KEY": "x", "DEBUG": ""},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:

        def answered():
            try:
                connection = HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/static/none.css")
                response = connection.getresponse()
                return response.status, len(response.read())
            except OSError:
                return None

        status, size = wait_until(answered, timeout=30, what="gunicorn")
        line = wait_until(lambda: log.read_text().strip(), timeout=10, what="the access log")
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert status == 404 and size > 0
    # One line per request answered (the wait may have asked more than once), none with a size.
    lines = line.splitlines()
    assert lines and all(
        entry.endswith('"GET /static/none.css HTTP/1.1" 404 "-" "-"') for entry in lines
    ), lines
    assert not [entry for entry in lines if f" {size} " in entry]


def test_the_development_server_logs_each_request_without_its_size():
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage())

    logger = logging.getLogger("django.server")
    handler = Keep()
    logger.addHandler(handler)
    try:
        # As django.core.servers.basehttp.WSGIRequestHandler.log_message writes it.
        logger.info('"%s" %s %s', "POST /polls/x/vote/ HTTP/1.1", "200", "8751")
    finally:
        logger.removeHandler(handler)
    assert records == ['"POST /polls/x/vote/ HTTP/1.1" 200']
