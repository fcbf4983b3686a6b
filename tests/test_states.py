"""The questions each state field answers (Scorecard.is_under_review, UnitReport.is_handed_in,
...), asked by the services, the views and the templates alike, and a badge for every state.
The polls' states are in tests/awards/test_results_visibility.py."""

import pytest

from awards.models import Candidate, NominationRound, Proposal
from clusters.models import ClusterYear
from reports.models import ReportJob, UnitReport
from scorecards.models import CriteriaSet, Scorecard

SCORECARD = Scorecard.Status
SCORECARD_TRUE_IN = {
    SCORECARD.DRAFT: {"is_draft", "is_editable_by_unit"},
    SCORECARD.RETURNED: {"is_returned", "is_editable_by_unit"},
    SCORECARD.SUBMITTED: {"is_handed_in", "is_under_review"},
    SCORECARD.REVIEWED: {"is_handed_in", "is_under_review", "is_reviewed"},
    SCORECARD.FINALISED: {"is_handed_in", "is_final"},
}
REPORT = UnitReport.Status
REPORT_TRUE_IN = {
    REPORT.DRAFT: {"is_editable_by_unit"},
    REPORT.RETURNED: {"is_returned", "is_editable_by_unit"},
    REPORT.SUBMITTED: {"is_handed_in", "awaits_review"},
    REPORT.ACCEPTED: {"is_handed_in"},
}
JOB = ReportJob.Status
JOB_TRUE_IN = {
    JOB.PENDING: set(),
    JOB.RUNNING: set(),
    JOB.DONE: {"is_finished"},
    JOB.FAILED: {"is_finished", "has_failed"},
}


def true_questions(obj, table) -> set[str]:
    questions = set().union(*table.values())
    return {q for q in questions if getattr(obj, q)}


@pytest.mark.parametrize("status", list(SCORECARD))
def test_scorecard_states(status):
    card = Scorecard(status=status)
    assert true_questions(card, SCORECARD_TRUE_IN) == SCORECARD_TRUE_IN[status]


@pytest.mark.parametrize("status", list(REPORT))
def test_unit_report_states(status):
    report = UnitReport(status=status)
    assert true_questions(report, REPORT_TRUE_IN) == REPORT_TRUE_IN[status]


@pytest.mark.parametrize("status", list(JOB))
def test_report_job_states(status):
    assert true_questions(ReportJob(status=status), JOB_TRUE_IN) == JOB_TRUE_IN[status]


def test_the_other_states():
    assert [s for s in CriteriaSet.Status if CriteriaSet(status=s).is_locked] == [
        CriteriaSet.Status.PUBLISHED,
        CriteriaSet.Status.SUPERSEDED,
    ]
    assert [s for s in CriteriaSet.Status if CriteriaSet(status=s).is_superseded] == [
        CriteriaSet.Status.SUPERSEDED
    ]
    assert [s for s in ClusterYear.Status if ClusterYear(status=s).is_closed] == [
        ClusterYear.Status.CLOSED
    ]
    assert [s for s in NominationRound.Status if NominationRound(status=s).is_final] == [
        NominationRound.Status.FINAL
    ]
    assert [s for s in Candidate.Status if Candidate(status=s).is_withdrawn] == [
        Candidate.Status.WITHDRAWN
    ]
    assert [s for s in Proposal.Status if Proposal(status=s).is_decided] == [
        Proposal.Status.DECIDED
    ]


BADGES = [
    (ClusterYear, "status_badge", {"planning": "secondary", "closed": "dark"}),
    (Scorecard, "status_badge", {"finalised": "success", "reviewed": "info"}),
    (Scorecard, "review_badge", {"finalised": "dark", "reviewed": "success", "draft": "secondary"}),
    (CriteriaSet, "status_badge", {"draft": "warning", "published": "success"}),
    (UnitReport, "status_badge", {"accepted": "success", "returned": "warning"}),
    (ReportJob, "status_badge", {"failed": "danger", "running": "primary"}),
    (Candidate, "status_badge", {"on_slate": "success", "proposed": "light border"}),
    (Proposal, "status_badge", {"decided": "success", "sent": "primary"}),
]


@pytest.mark.parametrize(("model", "badge", "samples"), BADGES)
def test_every_state_has_a_badge(model, badge, samples):
    for status in model.Status:
        assert getattr(model(status=status), badge).startswith("text-bg-")
    for status, colour in samples.items():
        assert getattr(model(status=status), badge) == f"text-bg-{colour}"
