"""The clusters app's world, for its tests and (imported by their conftest) the apps above."""

import pytest

from tests.clusters.factories import World, build_world


@pytest.fixture
def cluster_world(db) -> World:
    """A cluster of five units: 2020 closed (led by units[0]), 2021 in progress (led by
    units[1], standing deputy units[2]), their officers and secretariat, another cluster."""
    return build_world(5)
