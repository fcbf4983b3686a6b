"""Polls made from the slate in one action, each candidate's outcome, and the runoff that a tie
at the last seat makes by itself; the refusals (no slate, seats above the quota, a runoff given
a name that was not tied)."""

import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import AwardType, Candidate, NominationRound, Poll, Quota
from awards.selectors_slate import Outcome, slate_vote
from awards.services import committee
from tests.awards.slate_world import (
    FLAG_VOTES,
    MERIT_VOTES,
    RUNOFF_VOTES,
    make_slate,
    run,
)

pytestmark = pytest.mark.django_db


def test_a_poll_is_made_from_the_slate_in_one_action():
    s = make_slate()
    poll = committee.create_poll_from_slate(conference=s.conference, award_type=s.flag)
    units = s.world.units
    assert (poll.question, poll.award_type, poll.seats, poll.status) == (
        "Đề nghị tặng Cờ thi đua của Ban Tổ chức Trung ương",
        s.flag,
        2,
        Poll.Status.DRAFT,
    )
    # the usual rules: choose up to k, more than half of the ballots issued, a runoff on a tie
    assert (poll.kind, poll.threshold_base, poll.comparator, poll.fraction, poll.tie_rule) == (
        Poll.CHOOSE,
        Poll.ISSUED,
        Poll.GT,
        Decimal("0.5"),
        Poll.RUNOFF,
    )
    # the slate in its order; the withdrawn unit is not on the ballot
    assert list(poll.options.values_list("label", "unit", "candidate", "position")) == [
        (units[i].short_name, units[i].pk, c.pk, i) for i, c in enumerate(s.candidates(s.flag))
    ]
    people = committee.create_poll_from_slate(conference=s.conference, award_type=s.people)
    assert list(people.options.values_list("label", "unit", "position")) == [
        ("Phạm Thị Hoa", None, 0),
        ("Võ Văn Nam", None, 1),
    ]


def test_the_rules_follow_the_clusters_last_poll_of_the_award():
    s = make_slate()
    earlier = Poll.objects.create(
        conference=s.conference, award_type=s.flag, question="2020", seats=3
    )
    earlier.frozen_rules = earlier.rules_snapshot() | {
        "threshold_base": Poll.VALID,
        "fraction": "0.600",
        "tie_rule": Poll.LOT,
        "invalid_if": ["too_many"],
    }
    earlier.status = Poll.Status.PUBLISHED
    earlier.save()
    Poll.objects.filter(pk=earlier.pk).update(conference=_conference_of_2020(s))
    poll = committee.create_poll_from_slate(conference=s.conference, award_type=s.flag)
    assert (poll.seats, poll.threshold_base, poll.fraction, poll.tie_rule, poll.invalid_if) == (
        2,
        Poll.VALID,
        Decimal("0.6"),
        Poll.LOT,
        ["too_many"],
    )


def _conference_of_2020(s):
    from tests.clusters.factories import ConferenceFactory

    return ConferenceFactory(cluster_year=s.world.last_year)


def test_a_poll_for_an_award_type_with_no_slate_is_refused():
    s = make_slate()
    empty = AwardType.objects.create(cluster=s.world.cluster, name="Giấy khen", recipient="unit")
    with pytest.raises(ValidationError) as error:
        committee.create_poll_from_slate(conference=s.conference, award_type=empty)
    assert error.value.message_dict == {
        "award_type": ["Giấy khen không có ai trong danh sách bỏ phiếu."]
    }
    NominationRound.objects.update(status=NominationRound.Status.OPEN)
    with pytest.raises(ValidationError) as error:
        committee.create_poll_from_slate(conference=s.conference, award_type=s.flag)
    assert error.value.message_dict == {
        "award_type": ["Danh sách bỏ phiếu năm 2021 chưa được chốt."]
    }
    assert not Poll.objects.exists()


def test_a_second_poll_of_the_same_award_is_refused():
    s = make_slate()
    first = committee.create_poll_from_slate(conference=s.conference, award_type=s.flag)
    with pytest.raises(ValidationError) as error:
        committee.create_poll_from_slate(conference=s.conference, award_type=s.flag)
    assert error.value.message_dict == {
        "award_type": [
            "Cờ thi đua của Ban Tổ chức Trung ương đã có cuộc bỏ phiếu: "
            "“Đề nghị tặng Cờ thi đua của Ban Tổ chức Trung ương”."
        ]
    }
    first.status = Poll.Status.VOID
    first.save()
    assert committee.create_poll_from_slate(conference=s.conference, award_type=s.flag).pk


def rules_of(poll, **changes) -> dict:
    return {key: getattr(poll, key) for key in committee.RULE_FIELDS} | changes


def test_a_draft_from_the_slate_can_be_edited_within_the_slate_and_the_quota():
    s = make_slate()
    poll = committee.create_poll_from_slate(conference=s.conference, award_type=s.merit)
    slate = s.candidates(s.merit)
    committee.update_slate_poll(
        poll=poll, rules=rules_of(poll, seats=1), candidates=[slate[3], slate[1]]
    )
    poll.refresh_from_db()
    assert poll.seats == 1
    assert list(poll.options.values_list("candidate", "position")) == [
        (slate[1].pk, 0),
        (slate[3].pk, 1),
    ]
    with pytest.raises(ValidationError) as error:
        committee.update_slate_poll(poll=poll, rules=rules_of(poll, seats=3), candidates=slate)
    assert error.value.message_dict == {
        "seats": ["Số lượng cần chọn vượt chỉ tiêu của Bằng khen tập thể (2)."]
    }
    flag_candidate = s.candidates(s.flag)[0]
    with pytest.raises(ValidationError) as error:
        committee.update_slate_poll(
            poll=poll, rules=rules_of(poll), candidates=[slate[0], flag_candidate]
        )
    assert error.value.message_dict == {
        "candidates": [
            f"Không có trong danh sách bỏ phiếu Bằng khen tập thể: {s.world.units[0].short_name}."
        ]
    }
    poll.refresh_from_db()
    assert poll.seats == 1 and poll.options.count() == 2  # nothing stored


def test_outcomes_and_the_automatic_runoff():
    s = make_slate()
    units = s.world.units
    vote = slate_vote(s.round)
    assert [[row.outcome for row in award.candidates] for award in vote.awards] == [
        [Outcome.NOT_VOTED] * 3,
        [Outcome.NOT_VOTED] * 4,
        [Outcome.NOT_VOTED] * 2,
    ]
    assert vote.missing == [
        "Cờ thi đua của Ban Tổ chức Trung ương (đơn vị): chưa bỏ phiếu.",
        "Bằng khen tập thể (đơn vị): chưa bỏ phiếu.",
        "Bằng khen cá nhân (cá nhân): chưa bỏ phiếu.",
    ]
    flag = run(
        s, committee.create_poll_from_slate(conference=s.conference, award_type=s.flag), FLAG_VOTES
    )
    merit = committee.create_poll_from_slate(conference=s.conference, award_type=s.merit)
    run(s, merit, MERIT_VOTES, publish=False)

    # the tie at the second seat made the runoff draft by itself: the tied, one seat left
    runoff = Poll.objects.get(runoff_of=merit)
    assert (runoff.status, runoff.award_type, runoff.seats, runoff.question) == (
        Poll.Status.DRAFT,
        s.merit,
        1,
        merit.question,
    )
    assert list(runoff.options.values_list("label", "candidate")) == [
        (units[4].short_name, s.candidates(s.merit)[1].pk),
        (units[5].short_name, s.candidates(s.merit)[2].pk),
    ]
    assert committee.create_runoff(poll=merit) == runoff  # no second runoff

    vote = slate_vote(s.round)
    flag_rows, merit_rows, people_rows = (a.candidates for a in vote.awards)
    assert [(r.outcome, r.votes, r.poll) for r in flag_rows] == [
        (Outcome.PASSED, 9, flag),
        (Outcome.PASSED, 7, flag),
        (Outcome.FAILED, 4, flag),
    ]
    assert [r.outcome for r in merit_rows] == [Outcome.PENDING] * 4
    assert vote.missing == [
        "Bằng khen tập thể (đơn vị): kết quả “Đề nghị tặng Bằng khen tập thể” chưa được công bố.",
        "Bằng khen cá nhân (cá nhân): chưa bỏ phiếu.",
    ]
    for user in s.members:
        committee.certify(poll=merit, user=user)
    committee.publish(poll=merit)
    vote = slate_vote(s.round)
    assert [(r.outcome, r.votes) for r in vote.awards[1].candidates] == [
        (Outcome.PASSED, 8),
        (Outcome.PENDING, 6),
        (Outcome.PENDING, 6),
        (Outcome.FAILED, 1),
    ]
    assert vote.awards[1].missing == [
        "Bằng khen tập thể (đơn vị): kết quả bầu lại “Đề nghị tặng Bằng khen tập thể” chưa "
        "được công bố."
    ]
    run(s, runoff, RUNOFF_VOTES)
    vote = slate_vote(s.round)
    merit_vote = vote.awards[1]
    assert [(r.outcome, r.votes, r.poll) for r in merit_vote.candidates] == [
        (Outcome.PASSED, 8, merit),
        (Outcome.FAILED, 4, runoff),
        (Outcome.PASSED, 7, runoff),
        (Outcome.FAILED, 1, merit),
    ]
    # the runoff's winner replaces the tie, after the first poll's
    assert [r.candidate.unit for r in merit_vote.passed] == [units[3], units[5]]
    assert merit_vote.polls == [merit, runoff] and merit_vote.missing == []
    assert [str(r.candidate) for r in vote.awards[0].passed] == [
        units[0].short_name,
        units[1].short_name,
    ]


def test_a_runoff_edited_to_add_a_name_is_refused():
    s = make_slate()
    merit = committee.create_poll_from_slate(conference=s.conference, award_type=s.merit)
    run(s, merit, MERIT_VOTES)
    runoff = Poll.objects.get(runoff_of=merit)
    slate = s.candidates(s.merit)
    with pytest.raises(ValidationError) as error:
        committee.update_slate_poll(
            poll=runoff, rules=rules_of(runoff), candidates=[slate[1], slate[2], slate[0]]
        )
    assert error.value.message_dict == {
        "candidates": [
            "Bầu lại chỉ giữa những người bằng phiếu: "
            f"{s.world.units[3].short_name} không bằng phiếu ở vị trí cuối cùng."
        ]
    }
    with pytest.raises(ValidationError) as error:
        committee.update_slate_poll(
            poll=runoff, rules=rules_of(runoff, seats=2), candidates=slate[1:3]
        )
    assert error.value.message_dict == {"seats": ["Bầu lại chỉ cho 1 vị trí còn lại, không hơn."]}
    assert runoff.options.count() == 2 and Poll.objects.get(pk=runoff.pk).seats == 1


def test_a_tie_under_another_rule_makes_no_runoff():
    s = make_slate()
    merit = committee.create_poll_from_slate(conference=s.conference, award_type=s.merit)
    Poll.objects.filter(pk=merit.pk).update(tie_rule=Poll.LOT)
    merit.refresh_from_db()
    run(s, merit, MERIT_VOTES)
    assert not Poll.objects.filter(runoff_of=merit).exists()
    assert slate_vote(s.round).awards[1].missing == [
        "Bằng khen tập thể (đơn vị): trường hợp bằng phiếu ở vị trí cuối cùng của “Đề nghị "
        "tặng Bằng khen tập thể” chưa được giải quyết."
    ]
    assert Candidate.objects.count() == 10


# The pages ------------------------------------------------------------------------------------


def slate_url(conference):
    return reverse("awards:poll_from_slate", kwargs={"conference": conference.uuid})


def test_the_committee_makes_a_poll_from_the_slate_on_the_polls_page(client):
    s = make_slate()
    client.force_login(s.members[0])
    page = client.get(reverse("awards:conference_polls", kwargs={"conference": s.conference.uuid}))
    assert "Tạo cuộc bỏ phiếu từ danh sách" in page.content.decode()
    response = client.post(slate_url(s.conference), {"award_type": s.flag.pk})
    poll = Poll.objects.get()
    assert response.status_code == 302 and response.url == poll.get_absolute_url()
    assert poll.options.count() == 3

    # no slate: the message at the field, nothing stored
    empty = AwardType.objects.create(cluster=s.world.cluster, name="Giấy khen", recipient="unit")
    response = client.post(slate_url(s.conference), {"award_type": empty.pk})
    assert response.status_code == 200
    assert response.context["slate_form"].errors == {
        "award_type": ["Giấy khen không có ai trong danh sách bỏ phiếu."]
    }
    assert "Giấy khen không có ai trong danh sách bỏ phiếu." in response.content.decode()
    # an award type of another cluster is not a choice
    other = AwardType.objects.create(
        cluster=s.world.other_year.cluster, name="Cờ", recipient="unit"
    )
    response = client.post(slate_url(s.conference), {"award_type": other.pk})
    assert list(response.context["slate_form"].errors) == ["award_type"]
    assert Poll.objects.count() == 1


def test_who_may_not_make_a_poll_from_the_slate(client):
    s = make_slate()
    url = slate_url(s.conference)
    assert client.post(url, {"award_type": s.flag.pk}).status_code == 302  # to the login
    for user in (s.world.officer_a, s.world.outsider, s.world.last_secretary):
        client.force_login(user)
        assert client.post(url, {"award_type": s.flag.pk}).status_code == 403
    client.force_login(s.members[0])
    assert client.get(url).status_code == 405
    missing = reverse("awards:poll_from_slate", kwargs={"conference": uuid.uuid4()})
    assert client.post(missing, {"award_type": s.flag.pk}).status_code == 404
    assert not Poll.objects.exists()


def test_making_a_poll_from_the_slate_costs_the_same_with_3_or_9_candidates(client):
    s = make_slate()
    client.force_login(s.members[0])

    def queries(award_type) -> int:
        with CaptureQueriesContext(connection) as context:
            response = client.post(slate_url(s.conference), {"award_type": award_type.pk})
        assert response.status_code == 302
        return len(context.captured_queries)

    small = queries(s.flag)
    big = AwardType.objects.create(cluster=s.world.cluster, name="Giấy khen", recipient="unit")
    Quota.objects.create(round=s.round, award_type=big, quota=4)
    for unit in s.world.units[:9]:
        Candidate.objects.create(
            round=s.round, award_type=big, unit=unit, status=Candidate.Status.ON_SLATE
        )
    assert queries(big) == small
    # One of them asks whether another award has the same name, one reads the cluster's
    # default poll rules (no earlier poll of this award type).
    assert small == 18, small


def edit(client, poll, **changes):
    data = {
        "question": poll.question,
        "kind": poll.kind,
        "seats": str(poll.seats),
        "threshold_base": poll.threshold_base,
        "comparator": poll.comparator,
        "fraction": "0,5",
        "tie_rule": poll.tie_rule,
        "allow_self_vote": "on",
        "invalid_if": poll.invalid_if,
        "candidates": [o.candidate_id for o in poll.options.all()],
    } | changes
    return client.post(reverse("awards:poll_edit", kwargs={"poll": poll.uuid}), data)


def test_editing_a_poll_from_the_slate_keeps_to_the_quota_and_the_tied(client):
    s = make_slate()
    client.force_login(s.members[0])
    merit = committee.create_poll_from_slate(conference=s.conference, award_type=s.merit)
    page = client.get(reverse("awards:poll_edit", kwargs={"poll": merit.uuid}))
    assert list(page.context["form"].fields["candidates"].queryset) == s.candidates(s.merit)
    assert "labels" not in page.context["form"].fields
    response = edit(client, merit, seats="3")
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "seats": ["Số lượng cần chọn vượt chỉ tiêu của Bằng khen tập thể (2)."]
    }
    assert Poll.objects.get(pk=merit.pk).seats == 2
    slate = s.candidates(s.merit)
    response = edit(client, merit, candidates=[c.pk for c in slate[:3]])
    assert response.status_code == 302
    assert merit.options.count() == 3
    edit(client, merit, candidates=[c.pk for c in slate])

    run(s, merit, MERIT_VOTES)
    runoff = Poll.objects.get(runoff_of=merit)
    response = edit(client, runoff, candidates=[c.pk for c in slate[:3]])
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "candidates": [
            "Bầu lại chỉ giữa những người bằng phiếu: "
            f"{s.world.units[3].short_name} không bằng phiếu ở vị trí cuối cùng."
        ]
    }
    assert runoff.options.count() == 2
    page = client.get(runoff.get_absolute_url()).content.decode()
    assert 'id="runoff-badge"' in page and "bầu lại" in page


def test_a_published_poll_says_who_is_granted_a_place(client):
    s = make_slate()
    flag = run(
        s,
        committee.create_poll_from_slate(conference=s.conference, award_type=s.flag),
        FLAG_VOTES,
    )
    client.force_login(s.world.secretary)
    response = client.get(flag.get_absolute_url())
    assert [(r.label, place) for r, place in response.context["result_rows"]] == [
        (s.world.units[0].short_name, "được đưa vào tờ trình đề nghị"),
        (s.world.units[1].short_name, "được đưa vào tờ trình đề nghị"),
        (s.world.units[2].short_name, "không được đưa vào tờ trình"),
    ]
