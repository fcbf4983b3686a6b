"""The top bar's unread count, the list, opening one, marking all read, the email choices; who
may open what."""

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import EmailOptOut, Kind, Notification
from tests.clusters.factories import UserFactory
from tests.helpers import login, messages_of
from tests.notifications.factories import EmailOptOutFactory, NotificationFactory

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")
CHOICES = reverse("notifications:email_choices")
READ_ALL = reverse("notifications:read_all")


def open_url(notification):
    return reverse("notifications:open", args=[notification.uuid])


def test_the_top_bar_counts_the_unread_ones():
    user = UserFactory()
    NotificationFactory.create_batch(2, user=user)
    NotificationFactory(user=user, read_at=timezone.now())
    NotificationFactory()  # someone else's
    page = login(user).get(reverse("home")).content.decode()
    assert 'data-unread-count="2"' in page
    assert '<span class="badge rounded-pill text-bg-danger" data-unread-badge>2</span>' in page
    assert 'data-unread-count="0"' in login(UserFactory()).get(reverse("home")).content.decode()


def test_the_list_is_newest_first_and_paginated():
    user = UserFactory()
    rows = NotificationFactory.create_batch(25, user=user)
    page = login(user).get(LIST)
    shown = [n.pk for n in page.context["page"].object_list]
    assert shown == [n.pk for n in reversed(rows)][:20]
    second = login(user).get(LIST, {"page": 2})
    assert [n.pk for n in second.context["page"].object_list] == [r.pk for r in rows[4::-1]]
    assert "Trang 2/2" in second.content.decode()
    assert login(user).get(LIST, {"page": "x'--"}).status_code == 200  # bad input: page 1


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_makes_the_same_queries_at_two_sizes(count, django_assert_num_queries):
    user = UserFactory()
    NotificationFactory.create_batch(count, user=user, kind=Kind.POLL_OPENED)
    client = login(user)
    # session, user, the paginator's count, the unread count (top bar and "mark all read"),
    # the roles menu (staff, officer terms, supervisions), the account's person (its name in
    # the menu), the page's rows
    with django_assert_num_queries(9):
        response = client.get(LIST)
    assert response.status_code == 200


def test_opening_marks_it_read_and_lands_on_its_page():
    notification = NotificationFactory(url="/clusters/")
    response = login(notification.user).get(open_url(notification))
    assert response.status_code == 302
    assert response["Location"] == "/clusters/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_notification_pointing_off_site_lands_on_the_list():
    notification = NotificationFactory(url="https://evil.example.com/")
    response = login(notification.user).get(open_url(notification))
    assert response["Location"] == LIST


def test_nobody_else_opens_a_notification():
    notification = NotificationFactory()
    admin = UserFactory(is_staff=True, is_superuser=True)
    assert login(UserFactory()).get(open_url(notification)).status_code == 404
    assert login(admin).get(open_url(notification)).status_code == 404
    anonymous = login(None).get(open_url(notification))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))
    missing = reverse("notifications:open", args=["6f1c2b9e-0000-4000-8000-000000000000"])
    assert login(notification.user).get(missing).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_every_page_refuses_the_anonymous():
    client = login(None)
    for url in [LIST, CHOICES]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert client.post(READ_ALL)["Location"].startswith(reverse("login"))


def test_mark_all_read_marks_only_ones_own():
    user = UserFactory()
    NotificationFactory.create_batch(2, user=user)
    other = NotificationFactory()
    client = login(user)
    assert client.get(READ_ALL).status_code == 405
    response = client.post(READ_ALL, follow=True)
    assert messages_of(response) == ["Đã đánh dấu tất cả thông báo là đã đọc."]
    assert Notification.objects.filter(user=user, read_at__isnull=True).count() == 0
    other.refresh_from_db()
    assert other.read_at is None


def test_the_email_choices_page_has_a_checkbox_per_kind_all_on_by_default():
    user = UserFactory()
    EmailOptOutFactory(user=user, kind=Kind.POLL_OPENED)
    page = login(user).get(CHOICES).content.decode()
    assert "Thông báo qua email" in page
    assert page.count('name="email_kinds"') == len(Kind.values)
    assert page.count("checked") == len(Kind.values) - 1


def test_the_email_choices_are_saved_and_bad_input_saves_nothing():
    user = UserFactory()
    client = login(user)
    on = [k for k in Kind.values if k != Kind.SUMMARY_PUBLISHED]
    response = client.post(CHOICES, {"email_kinds": on}, follow=True)
    assert messages_of(response) == ["Đã lưu lựa chọn nhận thông báo qua email."]
    assert list(EmailOptOut.objects.values_list("user_id", "kind")) == [
        (user.pk, Kind.SUMMARY_PUBLISHED)
    ]
    response = client.post(CHOICES, {"email_kinds": ["scorecard_returned", "<script>"]})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert response.context["form"].errors["email_kinds"] == [
        "Hãy chọn một lựa chọn hợp lệ. <script> không phải là một trong các lựa chọn khả thi."
    ]
    assert list(EmailOptOut.objects.values_list("kind", flat=True)) == [Kind.SUMMARY_PUBLISHED]
