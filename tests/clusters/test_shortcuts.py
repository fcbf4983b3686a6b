"""The cluster-year getter every app's pages use, and the same refusals on one page of each app:
403 for someone outside the cluster, 404 for a year the cluster does not have. The access check
of a page that changes a year, and its refusals on one changing page of each app: back with a
message from a closed year, 403 for who may see the page but not change it."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django_htmx.middleware import HtmxDetails

from clusters.models import ClusterYear
from clusters.shortcuts import change_refusal, cluster_year_for, cluster_year_or_404
from tests.clusters.factories import (
    ClusterYearFactory,
    OfficerTermFactory,
    UserFactory,
    assign,
    make_cluster,
    officer,
)

pytestmark = pytest.mark.django_db

VIEW = "clusters.view_cluster_year"


@pytest.fixture
def world():
    cluster, units = make_cluster(n_units=2)
    other_cluster, other_units = make_cluster(n_units=1)
    cluster_year = ClusterYearFactory(cluster=cluster, year=2021)
    ClusterYearFactory(cluster=other_cluster, year=2021)
    member = officer(units[0], "thanh")
    outsider = officer(other_units[0], "lan")
    return {"cluster_year": cluster_year, "member": member, "outsider": outsider}


def test_cluster_year_for_returns_the_year_with_its_cluster(world, django_assert_num_queries):
    cluster_year = world["cluster_year"]
    found = cluster_year_for(world["member"], cluster_year.cluster.uuid, 2021, VIEW)
    assert found == cluster_year
    with django_assert_num_queries(0):
        assert found.cluster.name == cluster_year.cluster.name


def test_cluster_year_for_refuses_the_outsider_and_a_missing_year(world):
    cluster = world["cluster_year"].cluster
    with pytest.raises(PermissionDenied):
        cluster_year_for(world["outsider"], cluster.uuid, 2021, VIEW)
    with pytest.raises(Http404):
        cluster_year_for(world["member"], cluster.uuid, 2022, VIEW)
    # Missing comes first: the outsider learns nothing more from a year that does not exist.
    with pytest.raises(Http404):
        cluster_year_for(world["outsider"], cluster.uuid, 2022, VIEW)


def test_cluster_year_or_404_fetches_the_related_rows_asked_for(world, django_assert_num_queries):
    cluster_year = world["cluster_year"]
    found = cluster_year_or_404(cluster_year.cluster.uuid, 2021, related=("summary",))
    with django_assert_num_queries(0):
        assert not hasattr(found, "summary")
    with pytest.raises(Http404):
        cluster_year_or_404(cluster_year.cluster.uuid, 2020)


@pytest.mark.parametrize(
    "url_name",
    ["clusters:year_detail", "scorecards:criteria", "awards:nominations", "reports:year"],
)
def test_each_apps_year_page_refuses_the_outsider_and_a_missing_year(client, world, url_name):
    cluster = world["cluster_year"].cluster
    page = reverse(url_name, kwargs={"cluster": cluster.uuid, "year": 2021})
    missing = reverse(url_name, kwargs={"cluster": cluster.uuid, "year": 2022})
    client.force_login(world["member"])
    assert client.get(page).status_code == 200
    assert client.get(missing).status_code == 404
    client.force_login(world["outsider"])
    assert client.get(page).status_code == 403
    assert client.get(missing).status_code == 404


# The access check of a page that changes something of a year --------------------------------

MANAGE = "clusters.manage_cluster_year"
CLOSED_2020 = "Năm 2020 đã khóa sổ, không thể thay đổi được nữa."


@pytest.fixture
def years():
    """2020 closed and 2021 open, both led by units[0], whose officer is their secretariat;
    the officer of units[1] is a member."""
    cluster, units = make_cluster(n_units=2)
    closed = ClusterYearFactory(cluster=cluster, year=2020, status=ClusterYear.Status.CLOSED)
    open_year = ClusterYearFactory(cluster=cluster, year=2021)
    for cluster_year in (closed, open_year):
        assign(cluster_year, "leader", units[0])
    secretary = OfficerTermFactory(unit=units[0], user=UserFactory(username="thuky")).user
    member = OfficerTermFactory(unit=units[1], user=UserFactory(username="donvi")).user
    return {
        "closed": closed,
        "open": open_year,
        "units": units,
        "secretary": secretary,
        "member": member,
    }


def _request(rf, user, **headers):
    request = rf.post("/", headers=headers)
    request.user = user
    request._messages = CookieStorage(request)
    request.htmx = HtmxDetails(request)
    return request


def _flashed(request) -> list[str]:
    return [str(message) for message in get_messages(request)]


def test_change_refusal_lets_whoever_has_the_permission_change_an_open_year(rf, years):
    request = _request(rf, years["secretary"])
    assert change_refusal(request, years["open"], MANAGE) is None
    assert _flashed(request) == []


def test_change_refusal_answers_403_without_the_permission(rf, years):
    request = _request(rf, years["member"])
    with pytest.raises(PermissionDenied) as refused:
        change_refusal(request, years["open"], MANAGE)
    assert str(refused.value) == "Bạn không có quyền truy cập trang này."


def test_change_refusal_sends_everyone_back_from_a_closed_year_before_the_permission(rf, years):
    closed = years["closed"]
    for user in (years["secretary"], years["member"]):
        request = _request(rf, user)
        refusal = change_refusal(request, closed, MANAGE)
        assert (refusal.status_code, refusal["Location"]) == (302, closed.get_absolute_url())
        assert _flashed(request) == [CLOSED_2020]
    request = _request(rf, years["secretary"])
    assert change_refusal(request, closed, MANAGE, back="/ve/")["Location"] == "/ve/"


def test_change_refusal_sends_an_htmx_request_back_by_its_header(rf, years):
    request = _request(rf, years["secretary"], HX_Request="true")
    refusal = change_refusal(request, years["closed"], MANAGE, back="/ve/")
    assert (refusal.status_code, refusal["HX-Redirect"]) == (200, "/ve/")
    assert _flashed(request) == [CLOSED_2020]


def test_change_refusal_lets_an_admin_change_a_closed_year(rf, years):
    request = _request(rf, UserFactory(is_superuser=True))
    assert change_refusal(request, years["closed"], MANAGE) is None
    assert _flashed(request) == []


# One changing page per app: its address, the page a closed year sends back to, the method, who
# changes it (the secretariat, or for a unit's report the unit), who may see it without changing
# it, and the answer to the one who changes it in an open year.
CHANGING_PAGES = [
    ("clusters:year_edit", "clusters:year_detail", "get", "secretary", "member", 200),
    ("scorecards:criterion_add", "scorecards:criteria", "get", "secretary", "member", 200),
    ("awards:award_type_create", "awards:award_types", "get", "secretary", "member", 200),
    # Not written yet: the unit is asked to write it first.
    ("reports:unit_report_submit", "reports:unit_report", "post", "member", "secretary", 302),
]


@pytest.mark.parametrize(
    ("url_name", "back", "method", "changer", "viewer", "status"), CHANGING_PAGES
)
def test_each_apps_changing_page_refuses_the_wrong_person_and_a_closed_year(
    client, years, url_name, back, method, changer, viewer, status
):
    def address(name, cluster_year):
        kwargs = {"cluster": cluster_year.cluster.uuid, "year": cluster_year.year}
        if name.startswith("reports:"):
            kwargs["unit"] = years["units"][1].uuid
        return reverse(name, kwargs=kwargs)

    page = address(url_name, years["open"])
    client.force_login(years[viewer])
    assert getattr(client, method)(page).status_code == 403
    client.force_login(years[changer])
    assert getattr(client, method)(page).status_code == status
    closed_page = address(url_name, years["closed"])
    for user in (years[changer], years[viewer]):
        client.force_login(user)
        response = getattr(client, method)(closed_page)
        assert (response.status_code, response["Location"]) == (302, address(back, years["closed"]))
        queued = get_messages(response.wsgi_request)._queued_messages
        assert [str(message) for message in queued] == [CLOSED_2020]
