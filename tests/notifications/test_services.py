"""notify(): a row per account, once; an email for those with an address who did not switch the
kind off; nothing when the caller's transaction rolls back."""

import pytest
from django.core import mail
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from notifications.models import Kind, Notification
from notifications.services import mark_all_read, notify, open_notification, save_email_choices
from tests.clusters.factories import UserFactory
from tests.notifications.factories import EmailOptOutFactory, NotificationFactory

pytestmark = pytest.mark.django_db

MESSAGE = _("The scores of %(unit)s for %(year)s are final.")


def test_each_account_once_in_vietnamese_and_emailed_unless_it_opted_out(
    django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://thidua.example.vn"
    hoa, lan, no_address, opted_out = (
        UserFactory(username="hoa"),
        UserFactory(username="lan"),
        UserFactory(username="khongthu", email=""),
        UserFactory(username="tatthu"),
    )
    gone = UserFactory(username="nghi", is_active=False)
    EmailOptOutFactory(user=opted_out, kind=Kind.SCORECARD_FINALISED)
    EmailOptOutFactory(user=hoa, kind=Kind.SCORECARD_RETURNED)  # another kind: still emailed
    with django_capture_on_commit_callbacks(execute=True):
        rows = notify(
            users=[hoa, lan, hoa, no_address, opted_out, gone],
            kind=Kind.SCORECARD_FINALISED,
            message=MESSAGE,
            params={"unit": "Tây Ninh", "year": 2021},
            url="/scorecards/x/",
        )
    text = "Điểm thi đua năm 2021 của Tây Ninh đã được chốt."
    assert len(rows) == 4
    assert sorted(
        Notification.objects.values_list("user__username", "kind", "message", "url", "read_at")
    ) == [
        (name, Kind.SCORECARD_FINALISED, text, "/scorecards/x/", None)
        for name in ["hoa", "khongthu", "lan", "tatthu"]
    ]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["hoa@example.vn"], text),
        (["lan@example.vn"], text),
    ]
    body = mail.outbox[0].body
    assert "Mở trong ứng dụng: https://thidua.example.vn/scorecards/x/" in body
    assert "https://thidua.example.vn/notifications/email/" in body


def test_a_rolled_back_hand_off_leaves_no_notification_and_sends_nothing(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                notify(users=[user], kind=Kind.RANKING_PUBLISHED, message="x", url="/")
                raise RuntimeError("refused after notifying")
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_nobody_to_tell_writes_nothing():
    assert notify(users=[], kind=Kind.POLL_OPENED, message="x") == []
    assert Notification.objects.count() == 0


def test_opening_marks_read_once_and_mark_all_read_counts():
    user = UserFactory()
    first, second, third = NotificationFactory.create_batch(3, user=user)
    other = NotificationFactory()
    opened = open_notification(notification=first)
    when = opened.read_at
    assert when is not None
    open_notification(notification=Notification.objects.get(pk=first.pk))
    assert Notification.objects.get(pk=first.pk).read_at == when
    assert mark_all_read(user=user) == 2
    assert Notification.objects.filter(user=user, read_at__isnull=True).count() == 0
    assert Notification.objects.get(pk=other.pk).read_at is None


def test_email_choices_are_stored_as_opt_outs():
    user = UserFactory()
    on = set(Kind.values) - {Kind.POLL_OPENED, Kind.SLATE_FINALISED}
    save_email_choices(user=user, email_kinds=on)
    assert set(user.email_opt_outs.values_list("kind", flat=True)) == {
        Kind.POLL_OPENED,
        Kind.SLATE_FINALISED,
    }
    save_email_choices(user=user, email_kinds=set(Kind.values))
    assert user.email_opt_outs.count() == 0


def test_a_reason_on_several_lines_makes_a_one_line_subject(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            users=[UserFactory()],
            kind=Kind.SCORECARD_RETURNED,
            message=_(
                "The scorecard of %(unit)s for %(year)s was returned to the unit: %(reason)s"
            ),
            params={"unit": "Tây Ninh", "year": 2021, "reason": "Thiếu minh chứng\r\nBổ sung"},
        )
    assert mail.outbox[0].subject == (
        "Bảng điểm năm 2021 của Tây Ninh đã bị trả lại: Thiếu minh chứng Bổ sung"
    )
    assert "Thiếu minh chứng\r\nBổ sung" in mail.outbox[0].body
