"""A page's number of SQL queries must not grow with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clusters.models import ClusterYear
from tests.clusters.factories import (
    ClusterYearFactory,
    ConferenceFactory,
    PersonFactory,
    assign,
    make_cluster,
    officer,
)

pytestmark = pytest.mark.django_db


def build(n_units: int):
    """A cluster with n units, a closed year per unit and an open one, all with leadership."""
    cluster, units = make_cluster(n_units, start_year=2000)
    for i, unit in enumerate(units):
        closed = ClusterYearFactory(
            cluster=cluster, year=2000 + i, status=ClusterYear.Status.CLOSED
        )
        assign(closed, "leader", unit)
        assign(closed, "deputy", units[(i + 1) % n_units])
        ConferenceFactory(cluster_year=closed)
    current = ClusterYearFactory(cluster=cluster, year=2000 + n_units)
    assign(current, "leader", units[0])
    assign(current, "standing_deputy", units[1])
    for unit in units:
        PersonFactory.create_batch(2, unit=unit)
    conference = ConferenceFactory(cluster_year=current)
    conference.attending_units.set(units)
    conference.delegates.set([p for u in units for p in u.people.all()])
    user = officer(units[0], start="2000-01-01")
    return cluster, current, conference, units[0], user


def pages(cluster, current, conference, unit):
    return [
        reverse("home"),
        reverse("clusters:cluster_list"),
        reverse("clusters:cluster_detail", kwargs={"cluster": cluster.uuid}),
        reverse("clusters:year_detail", kwargs={"cluster": cluster.uuid, "year": current.year}),
        reverse("clusters:leadership_next", kwargs={"cluster": cluster.uuid, "year": current.year}),
        reverse("clusters:conference_detail", kwargs={"conference": conference.uuid}),
        reverse("clusters:unit_detail", kwargs={"unit": unit.uuid}),
        reverse("clusters:unit_people", kwargs={"unit": unit.uuid}),
    ]


def count_queries(client, user, urls) -> list[int]:
    client.force_login(user)
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, url
        counts.append(len(ctx.captured_queries))
    return counts


def test_query_counts_do_not_grow_with_the_data(client):
    small = build(3)
    small_counts = count_queries(client, small[-1], pages(*small[:-1]))
    # home (the secretariat's board), cluster list, cluster, year, next leadership, conference,
    # unit, unit's people; the conference lists its polls. The cluster list asks whether the
    # account may create a cluster (the permission without an object: Django's own backend reads
    # the account's permissions, 2 queries); the cluster page whether it may read the settings
    # (the open year and its leader, 2 queries).
    assert small_counts == [21, 14, 26, 24, 25, 21, 15, 17]
    large = build(12)
    large_counts = count_queries(client, large[-1], pages(*large[:-1]))
    assert large_counts == small_counts
