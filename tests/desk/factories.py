"""The home page's world: the cluster world of tests.clusters with a year under way in which
the units stand at different stages of the year's work (see build_desk_world)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from awards.models import NominationRound
from clusters.models import ClusterYear
from reports.models import UnitReport
from scorecards.models import Pledge, Scorecard
from scorecards.services import review, scoring
from tests.awards.factories import AwardTypeFactory, CandidateFactory, NominationRoundFactory
from tests.clusters.factories import SupervisionFactory, UserFactory, World, build_world, officer
from tests.reports.factories import UnitReportFactory
from tests.scorecards.factories import (
    PledgeFactory,
    PledgeSignatureFactory,
    make_criteria,
    submitted,
)

SELF = {"I.1": "40", "I.2": "20", "II.a": "5", "III.a": "1"}


@dataclass
class DeskWorld(World):
    deputy: object  # officer of units[2], the 2021 standing deputy
    supervisor: object
    admin: object
    pledge: Pledge
    nomination_round: NominationRound
    card_a: Scorecard  # units[3]'s, submitted, I.1 adjusted and answered
    leader_card: Scorecard  # units[1]'s (the leader), submitted


def build_desk_world(n_units: int = 5, prefix: str = "") -> DeskWorld:
    """The 2021 year of build_world (leader units[1], standing deputy units[2]) with:
    the pledge signed by units[0] and units[3]; scorecards submitted by units[3] (one score
    adjusted and answered) and by the leader units[1], a draft of units[4]; reports submitted
    by units[3] and units[1], a draft of units[4]; a nomination round with one candidate of
    units[3]. Every unit from units[5] on has signed, submitted its scorecard and report and
    has a candidate (the larger sizes of the query counts). Deadlines: the pledge's in 5 days,
    the scorecard's and the report's passed (2021), the nominations' in 20 days."""
    world = build_world(n_units, prefix=prefix)
    cy, units = world.year, world.units
    ClusterYear.objects.filter(pk=cy.pk).update(status=ClusterYear.Status.IN_PROGRESS)
    cy.refresh_from_db()
    make_criteria(cy, user=world.secretary)
    pledge = PledgeFactory(cluster_year=cy)
    nomination_round = NominationRoundFactory(cluster_year=cy)
    for unit in [units[0], units[3], *units[5:]]:
        PledgeSignatureFactory(pledge=pledge, unit=unit)
    card_a = submitted(cy, units[3], world.officer_a, SELF)
    score = card_a.scores.get(criterion__parent__number="I", criterion__number="1")
    review.review_score(
        score=score, reviewed_score=Decimal("30"), reason="Thiếu văn bản", user=world.secretary
    )
    review.respond(score=score, response="Đã bổ sung văn bản", user=world.officer_a)
    leader_card = submitted(cy, units[1], world.secretary, SELF)
    scoring.open_scorecard(cluster_year=cy, unit=units[4])
    UnitReportFactory(cluster_year=cy, unit=units[3])
    UnitReportFactory(cluster_year=cy, unit=units[1])
    UnitReportFactory(cluster_year=cy, unit=units[4], status=UnitReport.Status.DRAFT)
    award_type = AwardTypeFactory(cluster=world.cluster)
    CandidateFactory(round=nomination_round, award_type=award_type, unit=units[3])
    for unit in units[5:]:
        submitted(cy, unit, UserFactory(), SELF)
        UnitReportFactory(cluster_year=cy, unit=unit)
        CandidateFactory(round=nomination_round, award_type=award_type, unit=unit)
    today = timezone.localdate()
    ClusterYear.objects.filter(pk=cy.pk).update(
        pledge_deadline=today + datetime.timedelta(days=5),
        scorecard_deadline=datetime.date(2021, 11, 30),
        report_deadline=datetime.date(2021, 12, 15),
        nomination_deadline=today + datetime.timedelta(days=20),
    )
    cy.refresh_from_db()
    deputy = officer(units[2], f"{prefix}pho_thuong_truc")
    supervisor = SupervisionFactory(
        cluster=world.cluster, user=UserFactory(username=f"{prefix}chidao")
    ).user
    admin = UserFactory(username=f"{prefix}quantri", is_superuser=True, is_staff=True)
    return DeskWorld(
        **vars(world),
        deputy=deputy,
        supervisor=supervisor,
        admin=admin,
        pledge=pledge,
        nomination_round=nomination_round,
        card_a=card_a,
        leader_card=leader_card,
    )
