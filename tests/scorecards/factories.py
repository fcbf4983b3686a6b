"""Factories and builders for the scorecards app's models: criteria (`make_criteria`, the small
tree most tests score against), scorecards filled, submitted and finalised through the services,
pledges, campaigns and indicators, and the scorecard world (`build_scorecard_world`).

Scores and evidence are made by the scoring services (`scoring.open_scorecard` makes a card's
scores, `scoring.add_evidence` stores and hashes a file): `fill` goes through them."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from scorecards.models import (
    Campaign,
    CampaignEntry,
    CriteriaSet,
    Criterion,
    GradeBand,
    Indicator,
    IndicatorReport,
    Pledge,
    PledgeSignature,
    RankingPublication,
    ReminderLog,
    Scorecard,
    ScoringPolicy,
    YearDeadline,
)
from scorecards.services import criteria as criteria_services
from scorecards.services import review, scoring
from tests.clusters.factories import (
    ClusterFactory,
    ClusterYearFactory,
    UnitFactory,
    UserFactory,
    World,
    build_world,
)
from tests.helpers import PDF


class CriteriaSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CriteriaSet

    cluster_year = factory.SubFactory(ClusterYearFactory)
    title = "Bảng tiêu chí"


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    criteria_set = factory.SubFactory(CriteriaSetFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    text = factory.LazyAttribute(lambda c: f"Tiêu chí {c.number}")
    kind = Criterion.POINTS
    max_points = Decimal("10")
    position = factory.Sequence(lambda n: 10 * (n + 1))


class ScoringPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScoringPolicy

    cluster = factory.SubFactory(ClusterFactory)
    tie_breaks = ["base", "deductions"]


class GradeBandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GradeBand

    cluster = factory.SubFactory(ClusterFactory)
    name = "Xuất sắc"
    min_total = Decimal("90")


class ScorecardFactory(factory.django.DjangoModelFactory):
    """A scorecard row only; `scoring.open_scorecard` also makes its scores."""

    class Meta:
        model = Scorecard

    cluster_year = factory.SubFactory(ClusterYearFactory)
    unit = factory.SubFactory(UnitFactory)
    criteria_set = factory.SubFactory(
        CriteriaSetFactory, cluster_year=factory.SelfAttribute("..cluster_year")
    )


class RankingPublicationFactory(factory.django.DjangoModelFactory):
    """The ranking of a year published now (`services.ranking.publish_ranking` checks first)."""

    class Meta:
        model = RankingPublication

    cluster_year = factory.SubFactory(ClusterYearFactory)
    published_at = factory.LazyFunction(timezone.now)


class ReminderLogFactory(factory.django.DjangoModelFactory):
    """A reminder already sent (the row the reminders service writes before it emails)."""

    class Meta:
        model = ReminderLog

    cluster_year = factory.SubFactory(ClusterYearFactory)
    kind = "scorecard"
    deadline = datetime.date(2021, 11, 15)
    sent_on = datetime.date(2021, 11, 8)


class YearDeadlineFactory(factory.django.DjangoModelFactory):
    """A deadline the secretariat added to a year (its units are reminded of it)."""

    class Meta:
        model = YearDeadline

    cluster_year = factory.SubFactory(ClusterYearFactory)
    title = factory.Sequence(lambda n: f"Gửi số liệu sơ kết đợt {n}")
    date = datetime.date(2021, 6, 20)


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge

    cluster_year = factory.SubFactory(ClusterYearFactory)
    text = "Các đơn vị thi đua hoàn thành xuất sắc nhiệm vụ năm 2021."


class PledgeSignatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PledgeSignature

    pledge = factory.SubFactory(PledgeFactory)
    unit = factory.SubFactory(UnitFactory)


class CampaignFactory(factory.django.DjangoModelFactory):
    """A campaign open today (ten days either side)."""

    class Meta:
        model = Campaign

    cluster_year = factory.SubFactory(ClusterYearFactory)
    title = "Cách làm hay, mô hình mới"
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    end_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=10))


class CampaignEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignEntry

    campaign = factory.SubFactory(CampaignFactory)
    unit = factory.SubFactory(UnitFactory)
    title = factory.Sequence(lambda n: f"Mô hình {n}")
    description = "Mô tả mô hình."


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    cluster_year = factory.SubFactory(ClusterYearFactory)
    text = factory.Sequence(lambda n: f"Chỉ tiêu {n}")
    as_of = datetime.date(2021, 6, 30)


class IndicatorReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorReport

    indicator = factory.SubFactory(IndicatorFactory)
    unit = factory.SubFactory(UnitFactory)
    value_yes = True


def make_criteria(cluster_year, publish: bool = True, user=None) -> CriteriaSet:
    """A small criteria tree: I (base, 60) = 1 (points 40, evidence) + 2 (yes/no 20);
    II (bonus, 10) = a (bonus 10); III (deductions, 5) = a (deduction 5)."""
    criteria_set = CriteriaSetFactory(cluster_year=cluster_year)
    position = iter(range(10, 1000, 10))

    def node(number, text, kind, max_points, parent=None, evidence=False):
        return CriterionFactory(
            criteria_set=criteria_set,
            parent=parent,
            number=number,
            text=text,
            kind=kind,
            max_points=Decimal(max_points),
            evidence_required=evidence,
            position=next(position),
        )

    group_1 = node("I", "Công tác tham mưu", Criterion.GROUP, "60")
    node("1", "Tham mưu ban hành văn bản", Criterion.POINTS, "40", group_1, evidence=True)
    node("2", "Hoàn thành sắp xếp bộ máy", Criterion.YES_NO, "20", group_1)
    group_2 = node("II", "Điểm thưởng", Criterion.GROUP, "10")
    node("a", "Mô hình mới được nhân rộng", Criterion.BONUS, "10", group_2)
    group_3 = node("III", "Điểm trừ", Criterion.GROUP, "5")
    node("a", "Chậm gửi báo cáo", Criterion.DEDUCTION, "5", group_3)
    if publish:
        criteria_services.publish(criteria_set=criteria_set, user=user)
    return criteria_set


def fill(scorecard, values: dict[str, str], user, *, evidence=True, explanation="") -> None:
    """Self-score by "group.number" keys (e.g. {"I.1": "35"}) through the services, with a PDF
    of evidence on every criterion that needs one (unless evidence=False). `explanation` may
    name the criterion's key: "Giải trình {key}"."""
    for score in scorecard.scores.select_related("criterion__parent"):
        key = f"{score.criterion.parent.number}.{score.criterion.number}"
        if key in values:
            scoring.save_score(
                score=score,
                self_score=Decimal(values[key]),
                explanation=explanation.format(key=key),
                revision=score.revision,
                user=user,
            )
        if evidence and score.criterion.evidence_required:
            scoring.add_evidence(
                score=score, uploaded=SimpleUploadedFile("minh-chung.pdf", PDF), user=user
            )


def submitted(cluster_year, unit, user, values: dict[str, str], explanation="") -> Scorecard:
    """The unit's scorecard opened, filled (see `fill`) and submitted by `user`."""
    scorecard = scoring.open_scorecard(cluster_year=cluster_year, unit=unit)
    fill(scorecard, values, user, explanation=explanation)
    return scoring.submit(scorecard=scorecard, user=user)


def finalised(cluster_year, unit, values: dict[str, str], secretary, adjust=None) -> Scorecard:
    """Self-score by "group.number" keys, submit, review (accepting, or adjusting `adjust` =
    (key, reviewed, final)), and finalise, all through the services."""
    card = submitted(cluster_year, unit, UserFactory(), values)
    scores = {
        f"{s.criterion.parent.number}.{s.criterion.number}": s
        for s in card.scores.select_related("criterion__parent")
    }
    for key, score in scores.items():
        if adjust and key == adjust[0]:
            review.review_score(
                score=score,
                reviewed_score=Decimal(adjust[1]),
                reason="Thiếu văn bản",
                user=secretary,
            )
        else:
            review.review_score(score=score, reviewed_score=None, reason="", user=secretary)
    if adjust:
        review.set_final_score(
            score=scores[adjust[0]],
            final_score=Decimal(adjust[2]),
            reason="Bổ sung",
            user=secretary,
        )
    return review.finalise(scorecard=card, user=secretary)


@dataclass
class ScorecardWorld(World):
    """The cluster world (see build_world) with the 2021 criteria published and a draft
    scorecard of officer_a's unit."""

    criteria_set: CriteriaSet  # 2021's, published by the secretary
    scorecard: Scorecard  # units[3]'s, opened (draft)


def build_scorecard_world(n_units: int = 5) -> ScorecardWorld:
    world = build_world(n_units)
    criteria_set = make_criteria(world.year, user=world.secretary)
    scorecard = scoring.open_scorecard(cluster_year=world.year, unit=world.units[3])
    return ScorecardWorld(**vars(world), criteria_set=criteria_set, scorecard=scorecard)
