"""The cluster-year getter every app's pages use, and the same refusals on one page of each app:
403 for someone outside the cluster, 404 for a year the cluster does not have."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from clusters.shortcuts import cluster_year_for, cluster_year_or_404
from tests.clusters.factories import (
    ClusterYearFactory,
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
