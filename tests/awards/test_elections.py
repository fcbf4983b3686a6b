"""Next year's leadership elected by one-choice polls at a conference and recorded in the
clusters app: who may record it, a missing election, a unit not a member, idempotence."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import Poll, PollOption
from awards.services import committee, polls
from awards.services.elections import ELECTION_REASON
from clusters.models import ClusterYear, LeadershipAssignment, LeadershipRole, Membership
from tests.awards.factories import close_and_decrypt, make_cards
from tests.clusters.factories import (
    ClusterYearFactory,
    ConferenceFactory,
    PersonFactory,
    UserFactory,
    assign,
    make_cluster,
    officer,
)

pytestmark = pytest.mark.django_db

QUERIES = 37  # the same at 3 and 30 ballots per poll (three roles)

KINDS = [LeadershipRole.LEADER, LeadershipRole.STANDING_DEPUTY, LeadershipRole.DEPUTY]
MISSING = "Chưa công bố kết quả bầu %s: phải bầu đủ các chức danh rồi mới ghi nhận kết quả."


@pytest.fixture
def setting():
    """Cluster of 5 units (rotation order 0..4); units[0] led 2020, so the rotation proposes
    units[1], [2], [3] for 2021. A committee member of units[4] certifies the counts."""
    cluster, units = make_cluster(5)
    cluster_year = ClusterYearFactory(cluster=cluster, year=2020)
    assign(cluster_year, LeadershipRole.LEADER, units[0])
    conference = ConferenceFactory(cluster_year=cluster_year)
    # The roster: the delegates who hold the cards (30 at most per poll).
    conference.delegates.set([PersonFactory(unit=units[i % 5]) for i in range(30)])
    member = PersonFactory(unit=units[4], user=UserFactory())
    conference.counting_committee.set([member])
    secretariat = officer(units[0])
    return cluster, units, conference, member.user, secretariat


def election(conference, kind, units, winner, *, voters=3, publish=True, certifier=None):
    """A one-choice poll electing the role `kind` among `units`; `voters` codes all for
    `winner`; counted, certified and published unless told otherwise."""
    role = conference.cluster_year.cluster.roles.get(kind=kind)
    poll = Poll.objects.create(
        conference=conference,
        question=f"Bầu {role.name} năm {conference.cluster_year.year + 1}",
        kind=Poll.ONE_CHOICE,
        seats=1,
        threshold_base=Poll.VALID,
        elects_role=role,
    )
    options = {
        unit.pk: PollOption.objects.create(poll=poll, label=unit.short_name, unit=unit, position=i)
        for i, unit in enumerate(units)
    }
    polls.open_poll(poll=poll)
    for code in make_cards(poll, voters):
        polls.cast_with_code(poll=poll, code=code, choices=[options[winner.pk].pk])
    if publish:
        close_and_decrypt(poll)
        committee.mark_counted(poll=poll)
        committee.certify(poll=poll, user=certifier)
        committee.publish(poll=poll)
    poll.refresh_from_db()
    return poll


def full_set(setting, winners=None, *, voters=3):
    cluster, units, conference, certifier, _secretariat = setting
    winners = winners or [units[1], units[3], units[2]]
    return [
        election(conference, kind, units, winner, voters=voters, certifier=certifier)
        for kind, winner in zip(KINDS, winners, strict=True)
    ]


def url(poll):
    return reverse("awards:election_apply", kwargs={"poll": poll.uuid})


def recorded(cluster, year=2021):
    return list(
        LeadershipAssignment.objects.filter(cluster_year__cluster=cluster, cluster_year__year=year)
        .order_by("role__rank")
        .values_list("pk", "role__kind", "unit_id", "decided_at_id", "override_reason")
    )


def test_the_secretariat_records_the_elected_leadership(client, setting):
    cluster, units, conference, _certifier, secretariat = setting
    leader_poll, *_ = full_set(setting)
    client.force_login(secretariat)

    page = client.get(leader_poll.get_absolute_url()).content.decode()
    assert url(leader_poll) in page  # the link on the published poll's page

    shown = client.get(url(leader_poll))
    assert shown.status_code == 200
    body = shown.content.decode()
    for unit in units[1:4]:
        assert f"<strong>{unit.short_name}</strong>" in body
    assert not LeadershipAssignment.objects.filter(cluster_year__year=2021).exists()

    response = client.post(url(leader_poll))
    next_year = ClusterYear.objects.get(cluster=cluster, year=2021)
    assert response.status_code == 302 and response.url == next_year.get_absolute_url()
    rows = recorded(cluster)
    assert [row[1:] for row in rows] == [
        (LeadershipRole.LEADER, units[1].pk, conference.pk, ""),  # as the rotation proposed
        (LeadershipRole.STANDING_DEPUTY, units[3].pk, conference.pk, ELECTION_REASON),
        (LeadershipRole.DEPUTY, units[2].pk, conference.pk, ELECTION_REASON),
    ]
    assert set(
        LeadershipAssignment.objects.filter(cluster_year=next_year).values_list(
            "confirmed_by", flat=True
        )
    ) == {secretariat.pk}

    # Applying again (from another of the three polls) changes nothing: the very same rows.
    again = client.post(url(leader_poll))
    assert again.status_code == 302
    assert recorded(cluster) == rows


def test_applying_twice_keeps_the_same_rows(client, setting):
    cluster, _units, _conference, _certifier, secretariat = setting
    polls_ = full_set(setting)
    client.force_login(secretariat)
    client.post(url(polls_[0]))
    first = recorded(cluster)
    assert len(first) == 3
    assert client.post(url(polls_[2])).status_code == 302
    assert recorded(cluster) == first
    assert (
        "Thường trực Cụm năm 2021 đã ghi nhận đúng các đơn vị này."
        in client.get(url(polls_[1])).content.decode()
    )


def test_a_role_without_a_published_election_is_refused(client, setting):
    cluster, units, conference, certifier, secretariat = setting
    leader = election(conference, LeadershipRole.LEADER, units, units[1], certifier=certifier)
    election(conference, LeadershipRole.STANDING_DEPUTY, units, units[3], publish=False)
    client.force_login(secretariat)

    response = client.post(url(leader))
    assert response.status_code == 200
    message = MISSING % "Cụm phó Thường trực, Cụm phó"
    assert message in response.content.decode()
    assert '<form method="post">' not in response.content.decode()
    assert recorded(cluster) == []
    assert not ClusterYear.objects.filter(cluster=cluster, year=2021).exists()


def test_a_unit_not_a_member_next_year_is_refused(client, setting):
    cluster, units, _conference, _certifier, secretariat = setting
    Membership.objects.filter(cluster=cluster, unit=units[3]).update(end_year=2020)
    polls_ = full_set(setting)
    client.force_login(secretariat)
    response = client.post(url(polls_[0]))
    assert response.status_code == 200
    assert (
        f"{units[3].short_name} không phải là đơn vị thành viên của Cụm trong năm 2021."
        in response.content.decode()
    )
    assert recorded(cluster) == []


def test_who_is_refused(client, setting):
    cluster, units, conference, certifier, _secretariat = setting
    polls_ = full_set(setting)
    other_cluster, other_units = make_cluster(2)
    ClusterYearFactory(cluster=other_cluster, year=2020)
    last_year = ClusterYearFactory(cluster=cluster, year=2019)
    assign(last_year, LeadershipRole.LEADER, units[2])
    refused = {
        "another unit's officer": officer(units[1]),
        "another cluster's officer": officer(other_units[0]),
        "last year's secretariat": officer(units[2]),
        "the counting committee": certifier,
    }
    for who, user in refused.items():
        client.force_login(user)
        assert client.get(url(polls_[0])).status_code == 403, who
        assert client.post(url(polls_[0])).status_code == 403, who
        assert url(polls_[0]) not in client.get(polls_[0].get_absolute_url()).content.decode()
    client.logout()
    for method in (client.get, client.post):
        response = method(url(polls_[0]))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert recorded(cluster) == []


def test_no_link_and_no_page_for_a_poll_that_elects_nothing(client, setting):
    _cluster, units, conference, _certifier, secretariat = setting
    draft = Poll.objects.create(conference=conference, question="Cờ thi đua", kind=Poll.CHOOSE)
    client.force_login(secretariat)
    assert client.get(url(draft)).status_code == 404
    unpublished = election(conference, LeadershipRole.LEADER, units, units[1], publish=False)
    assert url(unpublished) not in client.get(unpublished.get_absolute_url()).content.decode()


@pytest.mark.parametrize("voters", [3, 30])
def test_the_page_queries_do_not_grow_with_the_ballots(client, setting, voters):
    polls_ = full_set(setting, voters=voters)
    client.force_login(setting[4])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(polls_[0])).status_code == 200
    assert len(queries) == QUERIES
