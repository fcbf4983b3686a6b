import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from scorecards.models import CriteriaSet, Criterion, Scorecard
from scorecards.selectors import criteria_of, ranking, scorecard_scores, sheet_of
from scorecards.services import criteria as criteria_services
from scorecards.services import review, scoring
from scorecards.services.ranking import publish_ranking
from tests.clusters.factories import ClusterYearFactory, UserFactory, assign, make_cluster, officer
from tests.scorecards.factories import fill, make_criteria

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def year(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cluster, units = make_cluster(3)
    cluster_year = ClusterYearFactory(cluster=cluster, year=2020)
    assign(cluster_year, "leader", units[0])
    make_criteria(cluster_year)
    return cluster_year, units


def test_totals_are_capped_per_group_and_combine_base_bonus_deductions(year):
    cluster_year, units = year
    user = UserFactory()
    scorecard = scoring.open_scorecard(cluster_year=cluster_year, unit=units[0])
    assert scorecard.scores.count() == 4  # leaves only
    fill(scorecard, {"I.1": "35.5", "I.2": "20", "II.a": "10", "III.a": "2"}, user)
    criteria = criteria_of(scorecard.criteria_set)
    sheet = sheet_of(criteria, scorecard_scores(scorecard), "self")
    assert (sheet.base, sheet.bonus, sheet.deductions, sheet.total) == (
        Decimal("55.5"),
        Decimal("10"),
        Decimal("2"),
        Decimal("63.5"),
    )
    assert sheet.groups == {"I": Decimal("55.5"), "II": Decimal("10"), "III": Decimal("2")}
    assert sheet.missing == 0


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("I.1", "41", "Điểm tối đa của tiêu chí này là 40."),
        ("I.1", "-1", "Điểm không được nhỏ hơn 0."),
        ("I.2", "7,5", None),
        ("II.a", "11", "Điểm thưởng ở mục này tối đa là 10."),
        ("III.a", "6", "Điểm trừ ở mục này tối đa là 5."),
        ("I.2", "7.5", "Tiêu chí này chỉ chấm có hoặc không: nhập 0 hoặc 20."),
    ],
)
def test_out_of_range_scores_are_refused_and_not_saved(year, key, value, message):
    cluster_year, units = year
    scorecard = scoring.open_scorecard(cluster_year=cluster_year, unit=units[1])
    group, number = key.split(".")
    score = scorecard.scores.get(criterion__number=number, criterion__parent__number=group)
    if message is None:
        return  # decimal-comma parsing is the form's job: see the view tests
    with pytest.raises(ValidationError) as error:
        scoring.save_score(
            score=score, self_score=Decimal(value), explanation="x", revision=0, user=UserFactory()
        )
    assert error.value.message_dict == {"self_score": [message]}
    score.refresh_from_db()
    assert (score.self_score, score.explanation, score.revision) == (None, "", 0)


def test_concurrent_edit_is_a_conflict_not_an_overwrite(year):
    cluster_year, units = year
    scorecard = scoring.open_scorecard(cluster_year=cluster_year, unit=units[0])
    score = scorecard.scores.get(criterion__kind=Criterion.POINTS)
    first, second = UserFactory(), UserFactory()
    scoring.save_score(
        score=score, self_score=Decimal("30"), explanation="A", revision=0, user=first
    )
    with pytest.raises(scoring.ConflictError) as conflict:
        scoring.save_score(
            score=score, self_score=Decimal("20"), explanation="B", revision=0, user=second
        )
    assert conflict.value.score.self_score == Decimal("30")
    score.refresh_from_db()
    assert (score.self_score, score.explanation, score.revision) == (Decimal("30"), "A", 1)
    assert score.history.latest().history_user == first


def test_submit_requires_every_score_and_evidence_then_locks(year):
    cluster_year, units = year
    user = UserFactory()
    scorecard = scoring.open_scorecard(cluster_year=cluster_year, unit=units[0])
    fill(scorecard, {"I.1": "35", "I.2": "20", "II.a": "0"}, user, evidence=False)
    with pytest.raises(ValidationError) as error:
        scoring.submit(scorecard=scorecard, user=user)
    messages = sorted(m for ms in error.value.message_dict.values() for m in ms)
    assert messages == ["Chưa chấm điểm.", "Tiêu chí này bắt buộc có minh chứng."]
    fill(scorecard, {"III.a": "0"}, user, evidence=True)
    scorecard = scoring.submit(scorecard=scorecard, user=user)
    assert scorecard.status == Scorecard.Status.SUBMITTED
    score = scorecard.scores.first()
    with pytest.raises(ValidationError):
        scoring.save_score(
            score=score, self_score=Decimal("1"), explanation="", revision=score.revision, user=user
        )
    scoring.return_to_unit(scorecard=scorecard, reason="Bổ sung minh chứng", user=user)
    scorecard.refresh_from_db()
    assert scorecard.status == Scorecard.Status.RETURNED


def test_submission_after_the_deadline_is_refused(year):
    cluster_year, units = year
    cluster_year.scorecard_deadline = datetime.date(2020, 11, 15)
    cluster_year.save()
    user = UserFactory()
    scorecard = scoring.open_scorecard(cluster_year=cluster_year, unit=units[0])
    late = datetime.datetime(
        2020, 11, 16, 0, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=7))
    )
    with pytest.raises(ValidationError) as error:
        scoring.submit(scorecard=scorecard, user=user, now=late)
    assert error.value.messages == [
        "Đã quá hạn tự chấm điểm (15/11/2020): đề nghị liên hệ Thư ký Cụm."
    ]


def test_review_keeps_three_layers_and_ranking_uses_final(year):
    cluster_year, units = year
    officer, secretary = UserFactory(), UserFactory()
    cards = []
    for unit, base in zip(units, ["40", "30", "30"], strict=True):
        card = scoring.open_scorecard(cluster_year=cluster_year, unit=unit)
        fill(card, {"I.1": base, "I.2": "20", "II.a": "5", "III.a": "0"}, officer)
        cards.append(scoring.submit(scorecard=card, user=officer))
    adjusted = cards[0].scores.get(criterion__kind=Criterion.POINTS)
    with pytest.raises(ValidationError) as error:
        review.review_score(
            score=adjusted, reviewed_score=Decimal("25"), reason=" ", user=secretary
        )
    assert error.value.message_dict == {"reason": ["Nêu lý do điều chỉnh."]}
    review.review_score(
        score=adjusted, reviewed_score=Decimal("25"), reason="Thiếu văn bản", user=secretary
    )
    review.respond(score=adjusted, response="Đã bổ sung văn bản số 12", user=officer)
    with pytest.raises(ValidationError):
        review.respond(score=adjusted, response="Lần hai", user=officer)
    for card in cards:
        for score in card.scores.filter(reviewed_score__isnull=True):
            review.review_score(score=score, reviewed_score=None, reason="", user=secretary)
        card.refresh_from_db()
        assert card.status == Scorecard.Status.REVIEWED
    review.set_final_score(
        score=adjusted, final_score=Decimal("28"), reason="Chấp nhận một phần", user=secretary
    )
    for card in cards:
        review.finalise(scorecard=card, user=secretary)
    adjusted.refresh_from_db()
    assert (adjusted.self_score, adjusted.reviewed_score, adjusted.final_score) == (
        Decimal("40"),
        Decimal("25"),
        Decimal("28"),
    )
    rows = ranking(cluster_year=cluster_year)
    assert [(r.unit, r.sheet.total, r.rank) for r in rows] == [
        (units[1], Decimal("55"), 1),
        (units[2], Decimal("55"), 1),
        (units[0], Decimal("53"), 3),
    ]
    assert rows[1].tied_with_previous
    publish_ranking(cluster_year=cluster_year, user=secretary)
    assert cluster_year.ranking_publication.published_by == secretary


def test_publishing_a_new_version_keeps_scores_and_asks_to_reconfirm(year):
    cluster_year, units = year
    user = UserFactory()
    scorecard = scoring.open_scorecard(cluster_year=cluster_year, unit=units[0])
    fill(scorecard, {"I.1": "35", "I.2": "20", "II.a": "0", "III.a": "1"}, user)
    scoring.submit(scorecard=scorecard, user=user)
    with pytest.raises(ValidationError):
        criteria_services.new_version(cluster_year=cluster_year, reason="")
    draft = criteria_services.new_version(cluster_year=cluster_year, reason="Sửa điểm tối đa")
    bonus = draft.criteria.get(kind=Criterion.BONUS)
    bonus.max_points = Decimal("8")
    bonus.save()
    draft.criteria.filter(number="II").update(max_points=Decimal("8"))
    criteria_services.publish(criteria_set=draft, user=user)
    scorecard.refresh_from_db()
    assert scorecard.criteria_set == draft
    assert scorecard.needs_reconfirm and scorecard.status == Scorecard.Status.RETURNED
    values = {
        (s.criterion.parent.number, s.criterion.number): s.self_score
        for s in scorecard.scores.filter(criterion__criteria_set=draft).select_related(
            "criterion__parent"
        )
    }
    assert values == {
        ("I", "1"): Decimal("35"),
        ("I", "2"): Decimal("20"),
        ("II", "a"): Decimal("0"),
        ("III", "a"): Decimal("1"),
    }
    assert CriteriaSet.objects.get(version=1).status == CriteriaSet.Status.SUPERSEDED


def test_publish_checks_group_totals(year):
    cluster_year, _ = year
    draft = criteria_services.new_version(cluster_year=cluster_year, reason="Thêm tiêu chí")
    group = draft.criteria.get(number="I")
    Criterion.objects.create(
        criteria_set=draft,
        parent=group,
        number="3",
        text="Mới",
        kind=Criterion.POINTS,
        max_points=Decimal("10"),
        position=25,
    )
    with pytest.raises(ValidationError) as error:
        criteria_services.publish(criteria_set=draft, user=None)
    assert error.value.messages == [
        "Nhóm I: tổng điểm tối đa của các tiêu chí là 70, nhưng điểm tối đa của nhóm là 60."
    ]


@pytest.mark.django_db(transaction=True)
def test_units_that_must_reconfirm_are_emailed_once_the_new_version_commits(settings, tmp_path):
    from django.core import mail

    settings.MEDIA_ROOT = tmp_path
    cluster, units = make_cluster(2)
    cluster_year = ClusterYearFactory(cluster=cluster, year=2020)
    assign(cluster_year, "leader", units[0])
    make_criteria(cluster_year)
    canbo = officer(units[1], "canbo", start="2019-01-01", email="canbo@example.vn")
    scorecard = scoring.open_scorecard(cluster_year=cluster_year, unit=units[1])
    fill(scorecard, {"I.1": "35"}, canbo, evidence=False)
    scoring.open_scorecard(cluster_year=cluster_year, unit=units[0])  # nothing scored
    draft = criteria_services.new_version(cluster_year=cluster_year, reason="Sửa tiêu chí 1")
    criteria_services.publish(criteria_set=draft, user=None)
    assert [m.to for m in mail.outbox] == [["canbo@example.vn"]]
    message = mail.outbox[0]
    assert message.subject == (
        f"[{cluster.name}] Bảng tiêu chí năm 2020 đã thay đổi (phiên bản 2): "
        "đề nghị xác nhận lại bảng điểm"
    )
    assert "Lý do: Sửa tiêu chí 1" in message.body
