"""A hand-off never depends on the broker: with Redis stopped, returning a scorecard succeeds,
its email waits in PostgreSQL, and a real worker sends it exactly once when it runs the queue.
The stopped broker is a private redis-server on a port of its own."""

import subprocess

import pytest
import redis
from django.urls import reverse
from post_office.models import STATUS, Email

from emulation.celery import app as celery_app
from notifications.models import Kind, Notification
from notifications.outbox import SEND_QUEUED_MAIL_TASK
from scorecards.models import Scorecard
from scorecards.services import scoring
from tests.awards.test_voting_faults import free_port
from tests.helpers import login
from tests.scorecards.factories import build_scorecard_world, fill
from tests.workers import finished_runs, read_emails, recipients, wait_for_runs, wait_until

VALUES = {"I.1": "35", "I.2": "20", "II.a": "5", "III.a": "0"}


def use_broker(url: str) -> None:
    celery_app.conf.broker_url = url
    # Drop the pools of connections and producers made for the previous URL.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def private_broker(tmp_path):
    """Celery publishes to a private redis-server (the test stops it). Yields the server and
    the session's broker URL, put back at the end in any case."""
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        + ["--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port, socket_connect_timeout=1)

    def up():
        try:
            return client.ping()
        except redis.ConnectionError:
            return False

    wait_until(up, timeout=20, what="the private Redis")
    previous = celery_app.conf.broker_url
    use_broker(f"redis://127.0.0.1:{port}/0")
    yield server, previous
    use_broker(previous)
    if server.poll() is None:
        server.terminate()
        server.wait(timeout=10)


def test_with_the_broker_stopped_the_hand_off_succeeds_and_its_email_is_sent_once(
    celery_worker_process, private_broker, settings, tmp_path
):
    worker, mail_dir = celery_worker_process
    server, session_broker = private_broker
    settings.MEDIA_ROOT = tmp_path
    world = build_scorecard_world(5)
    fill(world.scorecard, VALUES, world.officer_a)
    scoring.submit(scorecard=world.scorecard, user=world.officer_a)  # emailed by locmem
    Notification.objects.all().delete()
    settings.EMAIL_BACKEND = "post_office.EmailBackend"  # the app's own, as in production
    task = celery_app.tasks[SEND_QUEUED_MAIL_TASK]

    server.terminate()  # the broker goes down
    server.wait(timeout=10)
    response = login(world.secretary).post(
        reverse("scorecards:scorecard_return", kwargs={"scorecard": world.scorecard.uuid}),
        {"reason": "Thiếu minh chứng"},
    )
    use_broker(session_broker)  # and comes back
    assert response.status_code == 302
    world.scorecard.refresh_from_db()
    assert world.scorecard.status == Scorecard.Status.RETURNED
    assert list(Notification.objects.values_list("user__username", "kind")) == [
        ("donvi_a", Kind.SCORECARD_RETURNED)
    ]
    assert list(Email.objects.values_list("to", "status")) == [
        (["donvi_a@example.vn"], STATUS.queued)
    ]
    assert read_emails(mail_dir) == []

    # The broker is back: the beat's next run (here sent by hand) has a worker send the queue.
    runs = finished_runs(worker, task)
    task.delay()
    task.delay()  # a second run at the same time, as a duplicate beat would
    wait_for_runs(worker, task, runs + 2)
    messages = read_emails(mail_dir)
    assert len(messages) == 1
    assert recipients(messages) == {"donvi_a@example.vn"}
    assert "Thiếu minh chứng" in str(messages[0]["Subject"])
    assert Email.objects.get().status == STATUS.sent
