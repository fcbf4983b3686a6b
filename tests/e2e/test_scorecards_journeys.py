import time
import pytest
from django.conf import settings
from clusters.management.commands.load_demo import run_loaders
from emulation.scorecards.models import Criterion, CriteriaSet

pytestmark = pytest.mark.django_db(transaction=True)

def test_probe():
    t = time.monotonic()
    data, _ = run_loaders(settings.DEMO_LOADERS)
    print("load", time.monotonic() - t)
    cs = data["criteria_2021"]
    for c in cs.criteria.all().order_by("position"):
        print(c.pk, c.parent_id, c.number, c.kind, c.max_points, c.evidence_required, c.text[:50])
    print(sorted(data.keys()))
    print(data["roles"])
