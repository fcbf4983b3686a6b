"""Every model has an admin with search and filters, usable by an administrator."""

import pytest
from django.contrib import admin
from django.urls import reverse

from awards.models import Poll
from awards.services import polls
from clusters.models import ClusterYear, LeadershipAssignment
from tests.awards.factories import make_poll
from tests.clusters.factories import ClusterYearFactory, UserFactory, assign, make_cluster

pytestmark = pytest.mark.django_db


APPS = ["notifications", "clusters", "scorecards", "awards", "reports"]
SECRET = {"Ballot", "BallotCode", "SealedBallot", "KeyShare"}  # kept out of the admin on purpose
# Written by jobs, or by a page that holds them to its rules: no add page.
RECORDS = {
    "ReportJob",
    "ReportVersion",
    "RollupPart",
    "CheckIn",
    "SignedScan",
    "Issuance",
    "PaperCount",
    "Certification",
    "PollOption",
    "Invitation",
    "Notification",
}


@pytest.mark.parametrize("app_label", APPS)
def test_every_model_is_registered_with_search_and_filters(app_label):
    from django.apps import apps

    for model in apps.get_app_config(app_label).get_models():
        if model.__name__.startswith("Historical") or model.__name__ in SECRET:
            assert model not in admin.site._registry or model.__name__.startswith("Historical")
            continue
        model_admin = admin.site._registry.get(model)
        assert model_admin is not None, model
        assert model_admin.search_fields, model
        assert model_admin.list_filter, model


def test_admin_pages_render_and_searches_work(client):
    cluster, units = make_cluster(3)
    assign(ClusterYearFactory(cluster=cluster, year=2021), "leader", units[0])
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for model in admin.site._registry:
        if model._meta.app_label not in APPS:
            continue
        info = model._meta.app_label, model._meta.model_name
        assert (
            client.get(reverse("admin:{}_{}_changelist".format(*info)), {"q": "Tỉnh"}).status_code
            == 200
        )
        add = client.get(reverse("admin:{}_{}_add".format(*info))).status_code
        assert add == (403 if model.__name__ in RECORDS else 200), model


def test_audit_trail_records_who_changed_what(client):
    cluster, units = make_cluster(2)
    cluster_year = ClusterYearFactory(cluster=cluster, year=2021)
    admin_user = UserFactory(username="quantri", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    url = reverse("admin:clusters_clusteryear_change", args=[cluster_year.pk])
    response = client.post(
        url,
        {
            "cluster": cluster.pk,
            "year": 2021,
            "status": ClusterYear.Status.YEAR_END,
            "plan_title": "Kế hoạch thi đua năm 2021",
            "notes": "",
            "leadership-TOTAL_FORMS": "0",
            "leadership-INITIAL_FORMS": "0",
            "secretariat_staff-TOTAL_FORMS": "0",
            "secretariat_staff-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = cluster_year.history.latest()
    assert latest.history_user == admin_user
    delta = latest.diff_against(latest.prev_record)
    assert {(c.field, c.old, c.new) for c in delta.changes} == {
        ("status", ClusterYear.Status.IN_PROGRESS, ClusterYear.Status.YEAR_END),
        ("plan_title", "", "Kế hoạch thi đua năm 2021"),
    }
    assert LeadershipAssignment.history.count() == 0


def test_an_opened_poll_is_read_only_in_the_admin_and_its_status_never_editable(client):
    poll, options, _ = make_poll()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    change = reverse("admin:awards_poll_change", args=[poll.pk])
    page = client.get(change).content.decode()
    assert 'name="question"' in page and 'name="status"' not in page  # a draft
    polls.open_poll(poll=poll)
    page = client.get(change).content.decode()
    assert 'name="question"' not in page and 'name="options-0-label"' not in page
    data = {"question": "Đổi câu hỏi", "status": Poll.Status.CLOSED, "kind": poll.kind}
    assert client.post(change, data).status_code == 403
    assert client.get(reverse("admin:awards_poll_delete", args=[poll.pk])).status_code == 403
    client.post(
        reverse("admin:awards_poll_changelist"),
        {"action": "delete_selected", "_selected_action": [poll.pk], "post": "yes"},
    )
    option = reverse("admin:awards_polloption_change", args=[options[0].pk])
    assert client.post(option, {"label": "Khác", "poll": poll.pk}).status_code == 403
    question, label = poll.question, options[0].label
    poll.refresh_from_db()
    options[0].refresh_from_db()
    assert (poll.status, poll.question, options[0].label) == (Poll.Status.OPEN, question, label)
