"""A task goes through Redis to a real Celery worker, which reads the database and sends email."""

import datetime

from clusters.models import LeadershipRole
from tests.clusters.factories import ClusterYearFactory, assign, make_cluster, officer
from tests.workers import finished_runs, read_emails, recipients, wait_for_runs


def test_notify_leadership_confirmed_emails_the_leading_units_officers(celery_worker_process):
    from clusters.tasks import notify_leadership_confirmed

    worker, mail_dir = celery_worker_process
    year = 2026
    cluster, (leader, deputy, member) = make_cluster(3, start_year=2020)
    cluster_year = ClusterYearFactory(cluster=cluster, year=year)
    assign(cluster_year, LeadershipRole.LEADER, leader)
    assign(cluster_year, LeadershipRole.DEPUTY, deputy)
    officer(leader, "tayninh", start=datetime.date(2024, 1, 1))
    officer(deputy, "longan", start=datetime.date(2025, 6, 1))
    officer(member, "binhphuoc", start=datetime.date(2024, 1, 1))  # no leadership role
    officer(leader, "tayninh_cu", end=datetime.date(2020, 12, 31))  # former, from 2018

    runs = finished_runs(worker, notify_leadership_confirmed)
    notify_leadership_confirmed.delay(cluster_year.id)
    wait_for_runs(worker, notify_leadership_confirmed, runs + 1)

    messages = read_emails(mail_dir)
    assert len(messages) == 1
    assert recipients(messages) == {"tayninh@example.vn", "longan@example.vn"}
    for message in messages:
        assert str(year) in message["Subject"]
