import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from clusters.models import ClusterYear, LeadershipAssignment, LeadershipRole, Membership
from clusters.services import confirm_leadership, propose_leadership
from tests.clusters.factories import (
    ClusterYearFactory,
    ConferenceFactory,
    MembershipFactory,
    OfficerTermFactory,
    UnitFactory,
    UserFactory,
    assign,
    make_cluster,
)

pytestmark = pytest.mark.django_db

LEADER, STANDING, DEPUTY = (
    LeadershipRole.LEADER,
    LeadershipRole.STANDING_DEPUTY,
    LeadershipRole.DEPUTY,
)


def short_names(proposal):
    return [h.unit.short_name if h.unit else None for h in proposal.holders]


def test_proposal_follows_rotation_after_last_leader():
    cluster, units = make_cluster(5)  # Tỉnh a..e in rotation order
    cy = ClusterYearFactory(cluster=cluster, year=2021)
    assign(cy, LEADER, units[1])
    proposal = propose_leadership(cluster=cluster, year=2022)
    assert short_names(proposal) == [units[2].short_name, units[3].short_name, units[4].short_name]
    assert proposal.warnings == []


def test_proposal_skips_recent_leaders_and_wraps_around():
    cluster, units = make_cluster(4)
    for year, unit in [(2019, units[0]), (2020, units[3]), (2021, units[2])]:
        assign(ClusterYearFactory(cluster=cluster, year=year), LEADER, unit)
    # After units[2] comes units[3] (led 2020), then units[0] (led 2019): both recent.
    proposal = propose_leadership(cluster=cluster, year=2022)
    assert proposal.holders[0].unit == units[1]
    # Deputies follow in rotation order after the leader, recent leaders allowed.
    assert [h.unit for h in proposal.holders[1:]] == [units[3], units[0]]


def test_proposal_skips_units_that_will_not_be_members():
    cluster, units = make_cluster(4)
    Membership.objects.filter(unit=units[1]).update(end_year=2021)
    assign(ClusterYearFactory(cluster=cluster, year=2021), LEADER, units[0])
    proposal = propose_leadership(cluster=cluster, year=2022)
    assert [h.unit for h in proposal.holders] == [units[2], units[3], units[0]]
    assert units[1] not in proposal.members


def test_successor_inherits_its_predecessors_recent_turn():
    cluster, units = make_cluster(3, start_year=2018)
    old = units[0]
    successor = UnitFactory(province="Mới", valid_from=datetime.date(2025, 7, 1))
    Membership.objects.filter(cluster=cluster).update(end_year=2025)
    old.valid_until = datetime.date(2025, 6, 30)
    old.successor, old.succession_kind = successor, "merged"
    old.save()
    for unit in units[1:]:
        MembershipFactory(cluster=cluster, unit=unit, start_year=2026)
    MembershipFactory(cluster=cluster, unit=successor, start_year=2026)
    cluster.rotation.create(unit=successor, position=10)
    assign(ClusterYearFactory(cluster=cluster, year=2025), LEADER, old)
    proposal = propose_leadership(cluster=cluster, year=2026)
    assert proposal.holders[0].unit == units[1]
    assert successor in [h.unit for h in proposal.holders]


def test_members_missing_from_rotation_are_warned_and_appended():
    cluster, units = make_cluster(3)
    extra = UnitFactory(province="Ngoài")
    MembershipFactory(cluster=cluster, unit=extra, start_year=2018)
    proposal = propose_leadership(cluster=cluster, year=2022)
    assert len(proposal.warnings) == 1
    assert "Ngoài" in proposal.warnings[0]
    assert [h.unit for h in proposal.holders] == units[:3]


def test_confirm_creates_next_year_and_records_the_conference():
    cluster, units = make_cluster(5)
    cy = ClusterYearFactory(cluster=cluster, year=2021)
    assign(cy, LEADER, units[0])
    conference = ConferenceFactory(cluster_year=cy)
    user = UserFactory()
    roles = {r.kind: r for r in cluster.roles.all()}
    new_year = confirm_leadership(
        cluster=cluster,
        year=2022,
        choices={
            roles[LEADER].pk: units[1],
            roles[STANDING].pk: units[0],
            roles[DEPUTY].pk: units[3],
        },
        reasons={roles[STANDING].pk: "Kế thừa kinh nghiệm của Cụm trưởng năm trước"},
        decided_at=conference,
        user=user,
    )
    assert new_year.year == 2022 and new_year.status == ClusterYear.Status.PLANNING
    rows = list(
        new_year.leadership.order_by("role__rank").values_list(
            "role__kind", "unit_id", "decided_at_id", "override_reason", "confirmed_by_id"
        )
    )
    assert rows == [
        (LEADER, units[1].pk, conference.pk, "", user.pk),
        (
            STANDING,
            units[0].pk,
            conference.pk,
            "Kế thừa kinh nghiệm của Cụm trưởng năm trước",
            user.pk,
        ),
        (DEPUTY, units[3].pk, conference.pk, "", user.pk),
    ]


@pytest.mark.django_db(transaction=True)
def test_confirm_queues_the_email_on_commit():
    cluster, units = make_cluster(3)
    assign(ClusterYearFactory(cluster=cluster, year=2021), LEADER, units[2])
    OfficerTermFactory(unit=units[0], user=UserFactory(username="hoa", email="hoa@example.vn"))
    roles = {r.kind: r.pk for r in cluster.roles.all()}
    confirm_leadership(
        cluster=cluster,
        year=2022,
        choices={roles[LEADER]: units[0], roles[STANDING]: units[1], roles[DEPUTY]: units[2]},
        reasons={},
        decided_at=None,
        user=UserFactory(),
    )
    assert [m.to for m in mail.outbox] == [["hoa@example.vn"]]
    assert "2022" in mail.outbox[0].subject


def test_confirm_refuses_bad_choices_and_saves_nothing():
    cluster, units = make_cluster(4)
    outsider = UnitFactory(province="Ngoài cụm")
    assign(ClusterYearFactory(cluster=cluster, year=2021), LEADER, units[0])
    roles = {r.kind: r.pk for r in cluster.roles.all()}
    with pytest.raises(ValidationError) as error:
        confirm_leadership(
            cluster=cluster,
            year=2022,
            choices={roles[LEADER]: units[1], roles[STANDING]: units[1], roles[DEPUTY]: outsider},
            reasons={},
            decided_at=None,
            user=UserFactory(),
        )
    errors = error.value.message_dict
    assert errors[f"role_{roles[STANDING]}"] == [
        f"{units[1].short_name} đã giữ chức danh khác trong năm nay."
    ]
    assert errors[f"role_{roles[DEPUTY]}"] == [
        "Ngoài cụm không phải là đơn vị thành viên của Cụm trong năm 2022."
    ]
    assert f"reason_{roles[STANDING]}" in errors and f"reason_{roles[DEPUTY]}" in errors
    assert not ClusterYear.objects.filter(year=2022).exists()
    assert LeadershipAssignment.objects.filter(cluster_year__year=2022).count() == 0


def test_confirm_refuses_a_closed_year():
    cluster, units = make_cluster(3)
    ClusterYearFactory(cluster=cluster, year=2022, status=ClusterYear.Status.CLOSED)
    roles = {r.kind: r.pk for r in cluster.roles.all()}
    with pytest.raises(ValidationError):
        confirm_leadership(
            cluster=cluster,
            year=2022,
            choices=dict(zip(roles.values(), units, strict=True)),
            reasons={},
            decided_at=None,
            user=UserFactory(),
        )
    assert LeadershipAssignment.objects.count() == 0
