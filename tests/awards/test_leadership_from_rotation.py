"""The election of a leadership role of next year made from the rotation in one action: the
unit the rotation proposes on the ballot, one seat, the cluster's rules; editable in draft;
the refusals (another cluster's role, no proposed unit, not a year-end conference, a role that
already has a poll) at the field with nothing stored; who may not make it."""

import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards.models import Poll
from awards.services import committee
from awards.services.elections import apply_election
from clusters.models import Cluster, Conference, LeadershipAssignment, LeadershipRole, Membership
from tests.awards.slate_world import make_slate, run
from tests.clusters.factories import ConferenceFactory

pytestmark = pytest.mark.django_db

LEADER_QUESTION = "Bầu đơn vị Cụm trưởng Cụm thi đua số 4 năm 2022"


@pytest.fixture
def s():
    """The slate world's 2021 year-end conference of "Cụm thi đua số 4": units[0] led 2020 and
    units[1] leads 2021, so the rotation proposes units[2], [3] and [4] for 2022."""
    slate = make_slate()
    Cluster.objects.filter(pk=slate.world.cluster.pk).update(name="Cụm thi đua số 4")
    slate.world.cluster.refresh_from_db()
    return slate


def role(s, kind) -> LeadershipRole:
    return s.world.cluster.roles.get(kind=kind)


def options(poll) -> list[tuple]:
    return list(poll.options.order_by("position").values_list("label", "unit", "position"))


def test_an_election_is_made_from_the_rotation_in_one_action(s):
    units = s.world.units
    leader = role(s, LeadershipRole.LEADER)
    poll = committee.create_poll_from_rotation(conference=s.conference, role=leader)
    assert (poll.question, poll.elects_role, poll.award_type, poll.seats, poll.status) == (
        LEADER_QUESTION,
        leader,
        None,
        1,
        Poll.Status.DRAFT,
    )
    # one choice; the usual rules: more than half of the ballots issued, a runoff on a tie
    assert (poll.kind, poll.threshold_base, poll.comparator, poll.fraction, poll.tie_rule) == (
        Poll.ONE_CHOICE,
        Poll.ISSUED,
        Poll.GT,
        Decimal("0.5"),
        Poll.RUNOFF,
    )
    assert options(poll) == [(units[2].short_name, units[2].pk, 0)]
    deputy = committee.create_poll_from_rotation(
        conference=s.conference, role=role(s, LeadershipRole.DEPUTY)
    )
    assert deputy.question == "Bầu đơn vị Cụm phó Cụm thi đua số 4 năm 2022"
    assert options(deputy) == [(units[4].short_name, units[4].pk, 0)]


def test_the_rules_follow_the_clusters_last_election_of_the_role(s):
    leader = role(s, LeadershipRole.LEADER)
    earlier = Poll.objects.create(
        conference=ConferenceFactory(cluster_year=s.world.last_year),
        question="Bầu đơn vị Cụm trưởng năm 2021",
        kind=Poll.ONE_CHOICE,
        elects_role=leader,
        status=Poll.Status.PUBLISHED,
    )
    earlier.frozen_rules = earlier.rules_snapshot() | {
        "threshold_base": Poll.VALID,
        "comparator": Poll.GTE,
        "fraction": "0.600",
        "tie_rule": Poll.CHAIR,
        "allow_self_vote": False,
        "invalid_if": ["too_many"],
    }
    earlier.save()
    poll = committee.create_poll_from_rotation(conference=s.conference, role=leader)
    rules = {key: getattr(poll, key) for key in committee.RULE_FIELDS}
    assert rules == {
        "question": LEADER_QUESTION,
        "kind": Poll.ONE_CHOICE,
        "seats": 1,
        "threshold_base": Poll.VALID,
        "comparator": Poll.GTE,
        "fraction": Decimal("0.6"),
        "tie_rule": Poll.CHAIR,
        "allow_self_vote": False,
        "invalid_if": ["too_many"],
    }
    # another role keeps the usual rules
    deputy = committee.create_poll_from_rotation(
        conference=s.conference, role=role(s, LeadershipRole.DEPUTY)
    )
    assert (deputy.threshold_base, deputy.tie_rule) == (Poll.ISSUED, Poll.RUNOFF)


def refusal(conference, leadership_role) -> dict:
    before = Poll.objects.count()
    with pytest.raises(ValidationError) as error:
        committee.create_poll_from_rotation(conference=conference, role=leadership_role)
    assert Poll.objects.count() == before  # nothing stored
    return error.value.message_dict


def test_the_refusals_are_keyed_to_the_role_and_store_nothing(s):
    leader = role(s, LeadershipRole.LEADER)
    foreign = s.world.other_year.cluster.roles.get(kind=LeadershipRole.LEADER)
    assert refusal(s.conference, foreign) == {
        "elects_role": ["Chức danh này thuộc cụm thi đua khác."]
    }
    mid_year = ConferenceFactory(cluster_year=s.world.year, kind=Conference.MID_YEAR)
    assert refusal(mid_year, leader) == {
        "elects_role": ["Thường trực Cụm năm sau được bầu tại hội nghị tổng kết."]
    }
    first = committee.create_poll_from_rotation(conference=s.conference, role=leader)
    assert refusal(s.conference, leader) == {
        "elects_role": [f"Cụm trưởng năm 2022 đã có cuộc bầu: “{LEADER_QUESTION}”."]
    }
    # at another conference of the year too
    other = ConferenceFactory(cluster_year=s.world.year)
    assert refusal(other, leader) == {
        "elects_role": [f"Cụm trưởng năm 2022 đã có cuộc bầu: “{LEADER_QUESTION}”."]
    }
    first.status = Poll.Status.VOID
    first.save()
    assert committee.create_poll_from_rotation(conference=s.conference, role=leader).pk
    # nobody is a member in 2022: the rotation proposes no unit
    Membership.objects.filter(cluster=s.world.cluster).update(end_year=2021)
    assert refusal(s.conference, role(s, LeadershipRole.DEPUTY)) == {
        "elects_role": ["Thứ tự luân phiên không đề xuất đơn vị nào làm Cụm phó năm 2022."]
    }


def test_elections_from_the_rotation_are_voted_and_recorded_as_proposed(s):
    """Every role elected from the rotation: the result records next year's leadership with
    no reason asked, since nobody departs from the proposal."""
    polls = [
        committee.create_poll_from_rotation(conference=s.conference, role=r)
        for r in s.world.cluster.roles.order_by("rank")
    ]
    for poll in polls:
        run(s, poll, [[0]] * 11)
    apply_election(poll=polls[0], user=s.world.secretary)
    assert list(
        LeadershipAssignment.objects.filter(cluster_year__year=2022)
        .order_by("role__rank")
        .values_list("unit", "decided_at", "override_reason")
    ) == [(u.pk, s.conference.pk, "") for u in s.world.units[2:5]]


# The pages ------------------------------------------------------------------------------------


def rotation_url(conference):
    return reverse("awards:poll_from_rotation", kwargs={"conference": conference.uuid})


def polls_url(conference):
    return reverse("awards:conference_polls", kwargs={"conference": conference.uuid})


def test_the_committee_makes_an_election_from_the_rotation_on_the_polls_page(client, s):
    units = s.world.units
    leader = role(s, LeadershipRole.LEADER)
    client.force_login(s.members[0])
    page = client.get(polls_url(s.conference))
    html = page.content.decode()
    assert "Tạo cuộc bầu từ thứ tự luân phiên" in html
    assert [label for _value, label in page.context["rotation_form"]["elects_role"].field.choices][
        1:
    ] == [
        f"Cụm trưởng – đề xuất: {units[2].short_name}",
        f"Cụm phó Thường trực – đề xuất: {units[3].short_name}",
        f"Cụm phó – đề xuất: {units[4].short_name}",
    ]
    assert f"Cụm trưởng – đề xuất: {units[2].short_name}" in html

    response = client.post(rotation_url(s.conference), {"elects_role": leader.pk})
    poll = Poll.objects.get()
    assert response.status_code == 302 and response.url == poll.get_absolute_url()
    assert (poll.question, poll.elects_role) == (LEADER_QUESTION, leader)

    # a second one: the message at the field, nothing stored
    response = client.post(rotation_url(s.conference), {"elects_role": leader.pk})
    assert response.status_code == 200
    message = f"Cụm trưởng năm 2022 đã có cuộc bầu: “{LEADER_QUESTION}”."
    assert response.context["rotation_form"].errors == {"elects_role": [message]}
    assert message in response.content.decode()
    assert 'aria-invalid="true"' in str(response.context["rotation_form"]["elects_role"])
    # a role of another cluster is not a choice
    foreign = s.world.other_year.cluster.roles.get(kind=LeadershipRole.DEPUTY)
    response = client.post(rotation_url(s.conference), {"elects_role": foreign.pk})
    assert list(response.context["rotation_form"].errors) == ["elects_role"]
    assert Poll.objects.count() == 1


def test_no_proposed_unit_is_said_in_the_choice_and_at_the_field(client, s):
    Membership.objects.filter(cluster=s.world.cluster).update(end_year=2021)
    client.force_login(s.members[0])
    page = client.get(polls_url(s.conference))
    assert "Cụm trưởng – chưa có đơn vị đề xuất" in page.content.decode()
    response = client.post(
        rotation_url(s.conference), {"elects_role": role(s, LeadershipRole.LEADER).pk}
    )
    assert response.context["rotation_form"].errors == {
        "elects_role": ["Thứ tự luân phiên không đề xuất đơn vị nào làm Cụm trưởng năm 2022."]
    }
    assert not Poll.objects.exists()


def test_the_draft_election_is_edited_with_the_poll_form(client, s):
    """The committee adds another member to the ballot: the proposed unit stays first."""
    units = s.world.units
    poll = committee.create_poll_from_rotation(
        conference=s.conference, role=role(s, LeadershipRole.LEADER)
    )
    client.force_login(s.members[0])
    edit = reverse("awards:poll_edit", kwargs={"poll": poll.uuid})
    form = client.get(edit).context["form"]
    assert form.initial["units"] == [units[2].pk]
    data = {
        "question": poll.question,
        "kind": poll.kind,
        "seats": "1",
        "threshold_base": poll.threshold_base,
        "comparator": poll.comparator,
        "fraction": "0,5",
        "tie_rule": poll.tie_rule,
        "allow_self_vote": "on",
        "invalid_if": poll.invalid_if,
        "elects_role": poll.elects_role_id,
        "units": [units[2].pk, units[7].pk],
    }
    response = client.post(edit, data)
    assert response.status_code == 302
    assert options(poll) == [
        (units[2].short_name, units[2].pk, 0),
        (units[7].short_name, units[7].pk, 1),
    ]
    # more than one seat for an election: refused at the field, nothing stored
    response = client.post(edit, data | {"seats": "2", "units": [units[2].pk]})
    assert response.context["form"].errors == {"seats": ["Cuộc bỏ phiếu chọn một chỉ bầu một."]}
    assert poll.options.count() == 2


def test_an_election_at_a_mid_year_conference_is_refused_at_the_field(client, s):
    """The year-end rule holds for a poll made by hand too (one rule, in the service)."""
    mid_year = ConferenceFactory(cluster_year=s.world.year, kind=Conference.MID_YEAR)
    mid_year.counting_committee.set([s.members[0].person])
    client.force_login(s.members[0])
    data = {
        "question": "Bầu Cụm trưởng năm 2022",
        "kind": Poll.ONE_CHOICE,
        "seats": "1",
        "threshold_base": Poll.ISSUED,
        "comparator": Poll.GT,
        "fraction": "0,5",
        "tie_rule": Poll.RUNOFF,
        "units": [s.world.units[2].pk],
        "elects_role": role(s, LeadershipRole.LEADER).pk,
    }
    url = reverse("awards:poll_create", kwargs={"conference": mid_year.uuid})
    response = client.post(url, data)
    assert response.status_code == 200
    message = "Thường trực Cụm năm sau được bầu tại hội nghị tổng kết."
    assert response.context["form"].errors == {"elects_role": [message]}
    assert message in response.content.decode()
    response = client.post(rotation_url(mid_year), {"elects_role": data["elects_role"]})
    assert response.context["rotation_form"].errors == {"elects_role": [message]}
    assert not Poll.objects.exists()
    # a poll electing nothing is still made there, and may not be edited into an election
    assert client.post(url, data | {"elects_role": ""}).status_code == 302
    poll = Poll.objects.get()
    response = client.post(reverse("awards:poll_edit", kwargs={"poll": poll.uuid}), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {"elects_role": [message]}
    poll.refresh_from_db()
    assert poll.elects_role is None


def test_who_may_not_make_an_election_from_the_rotation(client, s):
    url = rotation_url(s.conference)
    data = {"elects_role": role(s, LeadershipRole.LEADER).pk}
    response = client.post(url, data)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    for user in (s.world.officer_a, s.world.outsider, s.world.last_secretary):
        client.force_login(user)
        assert client.post(url, data).status_code == 403, user
    client.force_login(s.members[0])
    assert client.get(url).status_code == 405
    missing = reverse("awards:poll_from_rotation", kwargs={"conference": uuid.uuid4()})
    assert client.post(missing, data).status_code == 404
    assert not Poll.objects.exists()


@pytest.mark.parametrize("n_polls", [1, 3])
def test_the_polls_page_costs_the_same_with_1_or_3_polls(
    client, s, n_polls, django_assert_num_queries
):
    for r in list(s.world.cluster.roles.order_by("rank"))[:n_polls]:
        committee.create_poll_from_rotation(conference=s.conference, role=r)
    client.force_login(s.members[0])
    client.get(polls_url(s.conference))
    with django_assert_num_queries(21):
        assert client.get(polls_url(s.conference)).status_code == 200
