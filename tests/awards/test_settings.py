"""The award settings of a cluster (Thiết lập cụm): the secrecy threshold of the count and the
rules a new poll starts from."""

from decimal import Decimal

import pytest
from django.urls import reverse

from awards.models import Ballot, ClusterAwardSettings, Poll
from awards.services.committee import cluster_rules
from awards.services.counting import ChannelSplit, Count, channel_split
from tests.awards.factories import AwardTypeFactory, make_poll, with_committee
from tests.clusters.factories import (
    ClusterYearFactory,
    SupervisionFactory,
    UserFactory,
    assign,
    officer,
)
from tests.helpers import login, messages_of

pytestmark = pytest.mark.django_db

VALID = {
    "secrecy_threshold": "3",
    "threshold_base": Poll.VALID,
    "comparator": Poll.GTE,
    "fraction": "0,6",
    "tie_rule": Poll.LOT,
    "invalid_if": ["too_many", "blank"],
}


def url(cluster):
    return reverse("awards:settings_polls", kwargs={"cluster": cluster.uuid})


@pytest.fixture
def poll_and_secretary():
    """A draft poll of a 2020 conference, the leader's officer (the secretariat of 2020) and
    the committee."""
    poll, options, delegates = make_poll(n_delegates=6, seats=1)
    cluster_year = poll.conference.cluster_year
    leader = delegates[0].unit
    assign(cluster_year, "leader", leader)
    return poll, officer(leader), with_committee(poll)


def test_the_secretariat_saves_the_poll_settings_with_the_history(poll_and_secretary):
    poll, secretary, _committee = poll_and_secretary
    cluster = poll.conference.cluster_year.cluster
    response = login(secretary).post(url(cluster), VALID, follow=True)
    assert messages_of(response) == ["Đã lưu thiết lập bỏ phiếu."]
    saved = ClusterAwardSettings.objects.get(cluster=cluster)
    assert (
        saved.secrecy_threshold,
        saved.threshold_base,
        saved.comparator,
        saved.fraction,
        saved.tie_rule,
        saved.allow_self_vote,
        saved.invalid_if,
    ) == (3, "valid", "gte", Decimal("0.600"), "lot", False, ["too_many", "blank"])
    assert saved.history.latest().history_user == secretary


@pytest.mark.parametrize(
    "change, errors",
    [
        ({"secrecy_threshold": "0"}, {"secrecy_threshold": ["Hãy nhập số phiếu từ 1 đến 100."]}),
        ({"fraction": "1,5"}, {"fraction": ["Hãy nhập tỷ lệ từ 0 đến 1, ví dụ 0,5 là một nửa."]}),
        (
            {"tie_rule": "coin"},
            {
                "tie_rule": [
                    "Hãy chọn một lựa chọn hợp lệ. coin không phải là một trong các lựa chọn "
                    "khả thi."
                ]
            },
        ),
    ],
)
def test_wrong_poll_settings_are_refused_at_the_field(poll_and_secretary, change, errors):
    poll, secretary, _committee = poll_and_secretary
    cluster = poll.conference.cluster_year.cluster
    response = login(secretary).post(url(cluster), VALID | change)
    assert response.context["form"].errors == errors
    assert not ClusterAwardSettings.objects.filter(cluster=cluster).exists()


def test_the_secrecy_threshold_of_the_cluster_decides_the_channel_split(poll_and_secretary):
    poll, _secretary, _committee = poll_and_secretary
    Ballot.objects.bulk_create(Ballot(poll=poll, choices=[]) for _ in range(3))
    outcome = Count(issued=6, collected=6, valid=6, invalid=0, base=6)
    assert channel_split(poll=poll, outcome=outcome) is None  # 3 and 3, below the default 5
    ClusterAwardSettings.objects.create(
        cluster=poll.conference.cluster_year.cluster, secrecy_threshold=3
    )
    assert channel_split(poll=poll, outcome=outcome) == ChannelSplit(paper=3, electronic=3)


def test_a_new_poll_starts_from_the_cluster_default_rules(poll_and_secretary):
    poll, _secretary, committee = poll_and_secretary
    conference = poll.conference
    ClusterAwardSettings.objects.create(
        cluster=conference.cluster_year.cluster,
        threshold_base=Poll.VALID,
        comparator=Poll.GTE,
        fraction=Decimal("0.6"),
        tie_rule=Poll.LOT,
        allow_self_vote=False,
        invalid_if=["blank"],
    )
    create = reverse("awards:poll_create", kwargs={"conference": conference.uuid})
    form = login(committee[0]).get(create).context["form"]
    assert [form[name].value() for name in ("threshold_base", "comparator", "tie_rule")] == [
        "valid",
        "gte",
        "lot",
    ]
    assert (form["fraction"].value(), form["allow_self_vote"].value()) == (Decimal("0.6"), False)
    assert form["invalid_if"].value() == ["blank"]
    # A poll made from the slate, with no earlier poll of its award type, starts from them too.
    rules = cluster_rules(
        conference=conference, award_type=AwardTypeFactory(cluster=conference.cluster_year.cluster)
    )
    assert {k: rules[k] for k in ("threshold_base", "comparator", "fraction", "tie_rule")} == {
        "threshold_base": "valid",
        "comparator": "gte",
        "fraction": Decimal("0.600"),
        "tie_rule": "lot",
    }


def test_who_may_change_the_poll_settings(poll_and_secretary):
    poll, secretary, committee = poll_and_secretary
    cluster = poll.conference.cluster_year.cluster
    other_poll, _options, other_delegates = make_poll(n_delegates=2, seats=1)
    assign(other_poll.conference.cluster_year, "leader", other_delegates[0].unit)
    other_secretary = officer(other_delegates[0].unit)
    supervisor = SupervisionFactory(cluster=cluster).user
    member = officer(poll.conference.delegates.order_by("pk")[3].unit)
    page = url(cluster)
    assert login(None).get(page).status_code == 302
    for user in [member, committee[1], other_secretary, supervisor]:
        assert login(user).get(page).status_code == 403, user
        assert login(user).post(page, VALID).status_code == 403, user
    for user in [secretary, UserFactory(is_superuser=True)]:
        assert login(user).get(page).status_code == 200, user
    # Once the next year is the open one, last year's secretariat is refused.
    cluster_year = poll.conference.cluster_year
    cluster_year.status = cluster_year.Status.CLOSED
    cluster_year.save()
    ClusterYearFactory(cluster=cluster, year=2021)
    assert login(secretary).get(page).status_code == 403
