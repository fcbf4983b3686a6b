"""Every hand-off tells the people who act next, once each, in the app and by email; a refused
action tells nobody. One test per kind, with the exact recipients."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from awards.models import AwardType
from awards.services import committee, nominations, polls
from clusters.models import LeadershipRole
from clusters.services import confirm_leadership
from notifications.models import Kind, Notification
from reports import services as reports
from reports.models import ReportJob, ReportVersion, UnitReport
from scorecards.services import ranking, review, scoring
from tests.awards.factories import make_counted_poll, make_poll
from tests.clusters.factories import (
    ClusterYearFactory,
    OfficerTermFactory,
    PersonFactory,
    UserFactory,
    assign,
    build_world,
    make_cluster,
    officer,
)
from tests.reports.factories import ReportJobFactory, UnitReportFactory, build_report_world
from tests.scorecards.factories import (
    build_scorecard_world,
    fill,
    finalised,
    make_criteria,
    submitted,
)

pytestmark = pytest.mark.django_db

VALUES = {"I.1": "35", "I.2": "20", "II.a": "5", "III.a": "0"}


def told(kind) -> list[str]:
    """The usernames notified of the kind, in order (one row each)."""
    return sorted(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


def told_ids(kind) -> list[int]:
    return sorted(Notification.objects.filter(kind=kind).values_list("user_id", flat=True))


def mailed() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def scores_by_key(scorecard):
    return {
        f"{s.criterion.parent.number}.{s.criterion.number}": s
        for s in scorecard.scores.select_related("criterion__parent")
    }


@pytest.fixture
def world():
    return build_scorecard_world(5)


# --- Scorecards -------------------------------------------------------------------------------


def test_a_submitted_scorecard_tells_the_secretariat(world, django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError):  # not scored yet: refused
        scoring.submit(scorecard=world.scorecard, user=world.officer_a)
    assert Notification.objects.count() == 0
    fill(world.scorecard, VALUES, world.officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        scoring.submit(scorecard=world.scorecard, user=world.officer_a)
    # not the officer of the 2020 leader, nor another cluster's secretariat, nor the units
    assert told(Kind.SCORECARD_SUBMITTED) == ["canbo_thuky", "thuky"]
    assert Notification.objects.count() == 2
    assert mailed() == ["canbo_thuky@example.vn", "thuky@example.vn"]
    unit = world.units[3].short_name
    assert mail.outbox[0].subject == (
        f"{unit} đã gửi bảng điểm năm 2021: đang chờ đồng chí đánh giá."
    )


def test_the_leaders_own_scorecard_tells_the_standing_deputy(world):
    deputy = officer(world.units[2], "pho_thuong_truc")
    submitted(world.year, world.units[1], world.secretary, VALUES)
    assert told(Kind.SCORECARD_SUBMITTED) == [deputy.username]


def test_a_returned_scorecard_tells_the_units_officers(world, django_capture_on_commit_callbacks):
    fill(world.scorecard, VALUES, world.officer_a)
    scoring.submit(scorecard=world.scorecard, user=world.officer_a)
    with pytest.raises(ValidationError):
        scoring.return_to_unit(scorecard=world.scorecard, reason=" ", user=world.secretary)
    assert told(Kind.SCORECARD_RETURNED) == []
    with django_capture_on_commit_callbacks(execute=True):
        scoring.return_to_unit(
            scorecard=world.scorecard, reason="Thiếu minh chứng", user=world.secretary
        )
    assert told(Kind.SCORECARD_RETURNED) == ["donvi_a"]
    notification = Notification.objects.get(kind=Kind.SCORECARD_RETURNED)
    unit = world.units[3].short_name
    assert notification.message == f"Bảng điểm năm 2021 của {unit} đã bị trả lại: Thiếu minh chứng"
    assert notification.url == world.scorecard.get_absolute_url()
    assert mailed() == ["donvi_a@example.vn"]


def test_adjusted_scores_tell_the_unit_once_the_review_is_done(world):
    fill(world.scorecard, VALUES, world.officer_a)
    scoring.submit(scorecard=world.scorecard, user=world.officer_a)
    scores = scores_by_key(world.scorecard)
    review.review_score(
        score=scores["I.1"], reviewed_score=Decimal("30"), reason="Thiếu", user=world.secretary
    )
    assert told(Kind.SCORECARD_ADJUSTED) == []  # the review is not done yet
    review.accept_remaining(scorecard=world.scorecard, user=world.secretary)
    assert told(Kind.SCORECARD_ADJUSTED) == ["donvi_a"]
    assert "(1)" in Notification.objects.get(kind=Kind.SCORECARD_ADJUSTED).message


def test_a_review_that_adjusts_nothing_tells_nothing_of_adjustments(world):
    fill(world.scorecard, VALUES, world.officer_a)
    scoring.submit(scorecard=world.scorecard, user=world.officer_a)
    review.accept_remaining(scorecard=world.scorecard, user=world.secretary)
    assert told(Kind.SCORECARD_ADJUSTED) == []


def test_an_explanation_tells_the_reviewers(world):
    fill(world.scorecard, VALUES, world.officer_a)
    scoring.submit(scorecard=world.scorecard, user=world.officer_a)
    score = scores_by_key(world.scorecard)["I.1"]
    review.review_score(
        score=score, reviewed_score=Decimal("30"), reason="Thiếu", user=world.secretary
    )
    review.respond(score=score, response="Đã bổ sung văn bản số 12", user=world.officer_a)
    with pytest.raises(ValidationError):  # one answer only
        review.respond(score=score, response="Lần hai", user=world.officer_a)
    assert told(Kind.SCORECARD_EXPLAINED) == ["canbo_thuky", "thuky"]


def test_final_scores_tell_the_units_officers(world):
    fill(world.scorecard, VALUES, world.officer_a)
    scoring.submit(scorecard=world.scorecard, user=world.officer_a)
    with pytest.raises(ValidationError):  # not reviewed yet
        review.finalise(scorecard=world.scorecard, user=world.secretary)
    assert told(Kind.SCORECARD_FINALISED) == []
    review.accept_remaining(scorecard=world.scorecard, user=world.secretary)
    review.finalise(scorecard=world.scorecard, user=world.secretary)
    assert told(Kind.SCORECARD_FINALISED) == ["donvi_a"]


def test_the_published_ranking_tells_every_member_units_officers():
    w = build_world(5)
    make_criteria(w.year, user=w.secretary)
    for unit in w.units[:4]:
        finalised(w.year, unit, VALUES, w.secretary)
    with pytest.raises(ValidationError):  # units[4] has no final scores
        ranking.publish_ranking(cluster_year=w.year, user=w.secretary)
    assert told(Kind.RANKING_PUBLISHED) == []
    finalised(w.year, w.units[4], VALUES, w.secretary)
    ranking.publish_ranking(cluster_year=w.year, user=w.secretary)
    assert told(Kind.RANKING_PUBLISHED) == ["donvi_a", "donvi_b", "thuky"]


# --- Reports ----------------------------------------------------------------------------------


@pytest.fixture
def report_world():
    return build_report_world()


def draft(w, unit, **fields):
    return UnitReportFactory(
        cluster_year=w.cluster_year, unit=unit, status=UnitReport.Status.DRAFT, **fields
    )


def test_a_submitted_report_tells_its_reviewers(report_world):
    w = report_world
    with pytest.raises(ValidationError):  # a section left empty
        reports.submit_report(report=draft(w, w.units[3], causes=""), user=w.member)
    reports.submit_report(report=draft(w, w.units[2]), user=w.member)
    assert told_ids(Kind.REPORT_SUBMITTED) == [w.secretariat.pk]
    reports.submit_report(report=draft(w, w.units[0]), user=w.secretariat)  # the leader's own
    assert told_ids(Kind.REPORT_SUBMITTED) == sorted([w.secretariat.pk, w.deputy.pk])


def test_a_returned_or_accepted_report_tells_the_units_officers(report_world):
    w = report_world
    report = UnitReportFactory(cluster_year=w.cluster_year, unit=w.units[2])
    with pytest.raises(ValidationError):
        reports.return_report(report=report, reason="", user=w.secretariat)
    reports.return_report(report=report, reason="Bổ sung số liệu", user=w.secretariat)
    assert told_ids(Kind.REPORT_RETURNED) == [w.member.pk]
    with pytest.raises(ValidationError):  # returned: not awaiting review
        reports.accept_report(report=report, user=w.secretariat)
    assert told_ids(Kind.REPORT_ACCEPTED) == []
    reports.submit_report(report=report, user=w.member)
    reports.accept_report(report=report, user=w.secretariat)
    assert told_ids(Kind.REPORT_ACCEPTED) == [w.member.pk]


def test_the_published_summary_tells_the_members_and_the_supervisors(report_world):
    w = report_world
    cy = w.cluster_year
    version = ReportVersion.objects.create(
        job=ReportJobFactory(cluster_year=cy), cluster_year=cy, number=1
    )
    rollup = ReportVersion.objects.create(
        job=ReportJobFactory(kind=ReportJob.ROLLUP, cluster_year=None, year=2021), number=1
    )
    with pytest.raises(ValidationError):
        reports.publish(version=rollup, user=w.secretariat)
    assert told_ids(Kind.SUMMARY_PUBLISHED) == []
    reports.publish(version=version, user=w.secretariat)
    expected = sorted([w.secretariat.pk, w.deputy.pk, w.member.pk, w.supervisor.pk])
    assert told_ids(Kind.SUMMARY_PUBLISHED) == expected  # not the other cluster's officer


# --- Awards -----------------------------------------------------------------------------------


def test_a_nomination_tells_the_secretariat_and_the_final_slate_the_members():
    w = build_world(6)
    award = AwardType.objects.create(
        cluster=w.cluster, name="Bằng khen cá nhân", recipient=AwardType.INDIVIDUAL, rank=1
    )
    person = PersonFactory(unit=w.units[3], full_name="Nguyễn Thị Hoa")
    stranger = PersonFactory(unit=w.units[4])
    nominate = {"cluster_year": w.year, "award_type": award, "achievements": "Xuất sắc"}
    with pytest.raises(ValidationError):  # not of the officer's unit
        nominations.nominate_person(**nominate, person=stranger, attachment=None, user=w.officer_a)
    assert told(Kind.NOMINATION_SUBMITTED) == []
    candidate = nominations.nominate_person(
        **nominate, person=person, attachment=None, user=w.officer_a
    )
    assert told(Kind.NOMINATION_SUBMITTED) == ["canbo_thuky", "thuky"]
    unit = w.units[3].short_name
    assert Notification.objects.filter(kind=Kind.NOMINATION_SUBMITTED).first().message == (
        f"{unit} đã đề nghị khen thưởng Nguyễn Thị Hoa: Bằng khen cá nhân (năm 2021)."
    )
    with pytest.raises(ValidationError):
        nominations.finalise_slate(nomination_round=candidate.round, on_slate=set())
    assert told(Kind.SLATE_FINALISED) == []
    nominations.finalise_slate(nomination_round=candidate.round, on_slate={candidate.pk})
    assert told(Kind.SLATE_FINALISED) == ["donvi_a", "donvi_b", "thuky"]


def test_an_opened_poll_tells_the_delegates_with_an_account():
    poll, _options, delegates = make_poll(n_delegates=4)
    for person, name in zip(delegates[:2], ["daibieu_1", "daibieu_2"], strict=True):
        person.user = UserFactory(username=name)
        person.save()
    polls.open_poll(poll=poll)
    with pytest.raises(ValidationError):
        polls.open_poll(poll=poll)
    assert told(Kind.POLL_OPENED) == ["daibieu_1", "daibieu_2"]
    assert Notification.objects.filter(kind=Kind.POLL_OPENED).first().url == (
        f"/polls/{poll.uuid}/vote/account/"
    )


def test_a_published_result_tells_the_delegates_and_the_members():
    w = build_world()
    poll, members = make_counted_poll(w)
    delegate = poll.conference.delegates.order_by("pk").last()
    delegate.user = UserFactory(username="daibieu")
    delegate.save()
    with pytest.raises(ValidationError):  # not certified yet
        committee.publish(poll=poll)
    assert told(Kind.RESULTS_PUBLISHED) == []
    for user in members:
        committee.certify(poll=poll, user=user)
    committee.publish(poll=poll)
    assert told(Kind.RESULTS_PUBLISHED) == ["daibieu", "donvi_a", "donvi_b", "thuky"]


# --- Leadership -------------------------------------------------------------------------------


def test_the_confirmed_leadership_tells_the_new_holders_officers(
    django_capture_on_commit_callbacks,
):
    cluster, units = make_cluster(3)
    assign(ClusterYearFactory(cluster=cluster, year=2021), LeadershipRole.LEADER, units[2])
    OfficerTermFactory(unit=units[0], user=UserFactory(username="hoa", email="hoa@example.vn"))
    OfficerTermFactory(unit=units[1], user=UserFactory(username="lan", email=""))
    roles = {r.kind: r.pk for r in cluster.roles.all()}
    choices = {
        roles[LeadershipRole.LEADER]: units[0],
        roles[LeadershipRole.STANDING_DEPUTY]: units[1],
        roles[LeadershipRole.DEPUTY]: units[2],
    }
    with pytest.raises(ValidationError):  # a unit twice
        confirm_leadership(
            cluster=cluster,
            year=2022,
            choices={**choices, roles[LeadershipRole.DEPUTY]: units[0]},
            reasons={},
            decided_at=None,
            user=UserFactory(),
        )
    assert told(Kind.LEADERSHIP_CONFIRMED) == []
    with django_capture_on_commit_callbacks(execute=True):
        confirm_leadership(
            cluster=cluster,
            year=2022,
            choices=choices,
            reasons={},
            decided_at=None,
            user=UserFactory(),
        )
    # units[2]'s officers: none; lan has no address, so is told in the app only
    assert told(Kind.LEADERSHIP_CONFIRMED) == ["hoa", "lan"]
    assert [m.to for m in mail.outbox] == [["hoa@example.vn"]]
    assert "2022" in mail.outbox[0].subject
