"""The scorecards app's world."""

import pytest

from tests.scorecards.factories import ScorecardWorld, build_scorecard_world


@pytest.fixture
def scorecard_world(db) -> ScorecardWorld:
    """The clusters world (five units) with the small criteria tree published for 2021 and
    the draft scorecard of officer_a's unit (units[3])."""
    return build_scorecard_world(5)
