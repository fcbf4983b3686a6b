"""A task goes through Redis to a real Celery worker, which reads the database and sends email."""

import datetime

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
from tests.workers import finished_runs, read_emails, recipients, wait_for_runs


def test_notify_leadership_confirmed_emails_the_leading_units_officers(celery_worker_process):
    from clusters.tasks import notify_leadership_confirmed

    worker, mail_dir = celery_worker_process
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
        cluster=cluster, year=year, status=ClusterYear.IN_PROGRESS
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

    runs = finished_runs(worker, notify_leadership_confirmed)
    notify_leadership_confirmed.delay(cluster_year.id)
    wait_for_runs(worker, notify_leadership_confirmed, runs + 1)

    messages = read_emails(mail_dir)
    assert len(messages) == 1
    assert recipients(messages) == {"tayninh@example.vn", "longan@example.vn"}
    for message in messages:
        assert str(year) in message["Subject"]
