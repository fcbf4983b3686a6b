"""The outbox: every email is a row in PostgreSQL before anything is sent, written in the
transaction of the action that sends it; the worker delivers each row once."""

import datetime
import socket
import threading

import pytest
from django.core import mail
from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils import timezone
from post_office.models import STATUS, Email

from notifications.models import Kind
from notifications.outbox import send_queued
from notifications.services import notify
from tests.clusters.factories import UserFactory

pytestmark = pytest.mark.django_db

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def outbox(settings):
    """The app's email backend (pytest-django puts locmem in its place), delivering to locmem."""
    settings.EMAIL_BACKEND = "post_office.EmailBackend"
    settings.POST_OFFICE = {**settings.POST_OFFICE, "BACKENDS": {"default": LOCMEM}}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_every_send_mail_is_written_to_postgresql_first(outbox):
    send_mail("Nhắc việc", "Nội dung", "cumthidua@localhost", ["hoa@example.vn"])
    assert list(Email.objects.values_list("to", "subject", "status")) == [
        (["hoa@example.vn"], "Nhắc việc", STATUS.queued)
    ]
    assert mail.outbox == []


def test_without_a_broker_message_the_queue_is_sent_by_the_next_run_once(outbox):
    """The message that wakes a worker is lost (its on-commit callback never runs here): the
    beat's run sends the rows, and a second run sends nothing again."""
    users = [UserFactory(username="hoa"), UserFactory(username="lan")]
    notify(users=users, kind=Kind.RANKING_PUBLISHED, message="Đã công bố", url="/")
    assert Email.objects.filter(status=STATUS.queued).count() == 2
    assert mail.outbox == []
    assert send_queued() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["hoa@example.vn", "lan@example.vn"]
    assert Email.objects.filter(status=STATUS.sent).count() == 2
    assert send_queued() == 0
    assert len(mail.outbox) == 2


def test_eager_without_redis_the_mail_goes_when_the_transaction_commits(
    outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            notify(users=[UserFactory(username="hoa")], kind=Kind.POLL_OPENED, message="Mở")
            assert mail.outbox == []
    assert [m.to for m in mail.outbox] == [["hoa@example.vn"]]
    assert Email.objects.get().status == STATUS.sent


def test_a_rolled_back_action_leaves_no_email(outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                notify(users=[UserFactory()], kind=Kind.POLL_OPENED, message="Mở")
                raise RuntimeError("refused")
    assert Email.objects.count() == 0
    assert mail.outbox == []


def test_a_failed_delivery_waits_and_is_tried_again(outbox, settings):
    """The mail server refuses the connection (nothing listens on the port): the email is
    requeued for later, not lost and not retried at once."""
    settings.POST_OFFICE = {
        **settings.POST_OFFICE,
        "BACKENDS": {"default": "django.core.mail.backends.smtp.EmailBackend"},
    }
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    send_mail("Nhắc việc", "Nội dung", "cumthidua@localhost", ["hoa@example.vn"])
    assert send_queued() == 0
    email = Email.objects.get()
    assert (email.status, email.number_of_retries) == (STATUS.requeued, 1)
    assert email.scheduled_time > timezone.now() + datetime.timedelta(minutes=4)
    assert email.logs.get().status == STATUS.failed
    assert send_queued() == 0  # not due yet
    settings.POST_OFFICE = {**settings.POST_OFFICE, "BACKENDS": {"default": LOCMEM}}
    Email.objects.update(scheduled_time=timezone.now())
    assert send_queued() == 1
    assert [m.to for m in mail.outbox] == [["hoa@example.vn"]]


@pytest.mark.django_db(transaction=True)
def test_a_row_another_sender_holds_is_left_to_it(outbox):
    """Two senders at once (the beat's run and a wake-up message): the rows one has claimed
    are skipped by the other, so no email goes twice. (The rows are made directly: send_mail
    would wake an eager sender, which sends them at once outside a transaction.)"""
    first, _second = (
        Email.objects.create(
            from_email="cumthidua@localhost",
            to=[to],
            subject=subject,
            message="Nội dung",
            status=STATUS.queued,
        )
        for subject, to in [("Một", "hoa@example.vn"), ("Hai", "lan@example.vn")]
    )
    claimed, release = threading.Event(), threading.Event()

    def other_sender():
        with transaction.atomic():
            Email.objects.select_for_update().get(pk=first.pk)
            claimed.set()
            release.wait(timeout=30)
        connection.close()

    thread = threading.Thread(target=other_sender)
    thread.start()
    assert claimed.wait(timeout=30)
    try:
        assert send_queued() == 1
        assert [m.subject for m in mail.outbox] == ["Hai"]
    finally:
        release.set()
        thread.join(timeout=30)
    assert send_queued() == 1
    assert [m.subject for m in mail.outbox] == ["Hai", "Một"]
    assert send_queued() == 0


def test_the_beat_sends_the_queue_every_minute(settings):
    from emulation.celery import app as celery_app

    entry = settings.CELERY_BEAT_SCHEDULE["send-queued-mail"]
    assert entry == {"task": "notifications.tasks.send_queued_mail", "schedule": 60.0}
    assert entry["task"] in celery_app.tasks
