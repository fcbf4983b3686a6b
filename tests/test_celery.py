"""A task goes through Redis to a real Celery worker, which reads the database and sends email."""

import datetime
import time
from email import policy
from email.parser import BytesParser
from email.utils import getaddresses
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from clusters.models import (
    Cluster,
    ClusterYear,
    LeadershipAssignment,
    LeadershipRole,
    Membership,
    OfficerTerm,
    Unit,
)

SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # between messages in a filebased backend's file


def read_emails(mail_dir: Path) -> list:
    messages = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_bytes().split(SEPARATOR):
            if chunk.strip():
                messages.append(BytesParser(policy=policy.default).parsebytes(chunk))
    return messages


def recipients(messages) -> set[str]:
    headers = [value for m in messages for value in m.get_all("To", []) + m.get_all("Cc", [])]
    return {address.lower() for _, address in getaddresses(headers)}


def wait_for_recipients(mail_dir: Path, expected: set[str], timeout: float = 30) -> list:
    deadline = time.monotonic() + timeout
    while True:
        messages = read_emails(mail_dir)
        if recipients(messages) >= expected or time.monotonic() > deadline:
            # A moment more, so that any email sent to someone unexpected shows up too.
            time.sleep(0.5)
            return read_emails(mail_dir)
        time.sleep(0.2)


def test_notify_leadership_confirmed_emails_the_leading_units_officers(celery_worker_process):
    from clusters.tasks import notify_leadership_confirmed

    _, mail_dir = celery_worker_process
    User = get_user_model()
    year = 2026

    cluster = Cluster.objects.create(number=3, name="Cụm thi đua số 3")
    leader_role = LeadershipRole.objects.create(
        cluster=cluster, name="Cụm trưởng", kind=LeadershipRole.LEADER, rank=1
    )
    deputy_role = LeadershipRole.objects.create(
        cluster=cluster, name="Cụm phó", kind=LeadershipRole.DEPUTY, rank=2
    )
    leader, deputy, member = (
        Unit.objects.create(name=name, short_name=short, province="Tây Ninh")
        for name, short in [
            ("Ban Tổ chức Tỉnh ủy Tây Ninh", "BTC Tây Ninh"),
            ("Ban Tổ chức Tỉnh ủy Long An", "BTC Long An"),
            ("Ban Tổ chức Tỉnh ủy Bình Phước", "BTC Bình Phước"),
        ]
    )
    for unit in (leader, deputy, member):
        Membership.objects.create(cluster=cluster, unit=unit, start_year=2020)
    cluster_year = ClusterYear.objects.create(
        cluster=cluster, year=year, status=ClusterYear.Status.IN_PROGRESS
    )
    secretary = User.objects.create_user("thuky", email="thuky@example.vn", password="x")
    for role, unit in [(leader_role, leader), (deputy_role, deputy)]:
        LeadershipAssignment.objects.create(
            cluster_year=cluster_year,
            role=role,
            unit=unit,
            confirmed_by=secretary,
            confirmed_at=timezone.now(),
        )

    def officer(username: str, unit: Unit, start: datetime.date, end=None):
        user = User.objects.create_user(username, email=f"{username}@example.vn", password="x")
        OfficerTerm.objects.create(user=user, unit=unit, start_date=start, end_date=end)

    officer("tayninh", leader, datetime.date(2024, 1, 1))
    officer("longan", deputy, datetime.date(2025, 6, 1))
    officer("binhphuoc", member, datetime.date(2024, 1, 1))  # no leadership role
    officer("tayninh_cu", leader, datetime.date(2018, 1, 1), datetime.date(2020, 12, 31))  # former

    notify_leadership_confirmed.delay(cluster_year.id)

    expected = {"tayninh@example.vn", "longan@example.vn"}
    messages = wait_for_recipients(mail_dir, expected)
    assert messages, "The worker sent no email within 30 s."
    assert recipients(messages) == expected
    for message in messages:
        assert str(year) in message["Subject"]
