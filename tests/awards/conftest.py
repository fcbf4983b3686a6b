"""The awards app's world."""

import pytest

from tests.awards.factories import PollWorld, build_poll_world


@pytest.fixture
def poll_world(db) -> PollWorld:
    """A draft poll of two seats among five units, one delegate each, two committee members."""
    return build_poll_world(n_delegates=5, seats=2)
