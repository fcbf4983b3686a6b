"""The reports app's world."""

import pytest

from tests.reports.factories import ReportWorld, build_report_world


@pytest.fixture
def report_world(db) -> ReportWorld:
    """A 2021 cluster year of four units led by units[0], officers of the first three, an
    officer of another cluster and a supervisor; no reports yet."""
    return build_report_world()
