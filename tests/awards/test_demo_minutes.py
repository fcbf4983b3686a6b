"""The minutes of the demo's 2020 year-end conference say when each count ran and why a ballot
was invalid (the times and the reason are invented, like the counts)."""

import pytest

from awards.documents import minutes_of
from awards.models import Poll
from clusters.models import Conference
from tests import demo as whole_demo

# The fixtures of the whole demo, loaded once for the module.
demo, demo_media = whole_demo.demo, whole_demo.demo_media
_demo_loaded, _demo_settings = whole_demo._demo_loaded, whole_demo._demo_settings

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_2020_minutes_say_when_the_count_ran_and_why_a_ballot_was_invalid(demo):
    conference = Conference.objects.get(
        cluster_year__year=2020, kind=Conference.YEAR_END, place="Tây Ninh"
    )
    poll = Poll.objects.get(conference=conference, award_type__recipient="individual")
    minutes = minutes_of(poll)
    assert minutes.count_times == (
        "Bắt đầu kiểm phiếu lúc 11 giờ 15 phút, kết thúc lúc 11 giờ 35 phút ngày 04 tháng 12 "
        "năm 2020"
    )
    assert (minutes.summoned, minutes.present, minutes.invalid) == (11, 11, 1)
    assert minutes.invalid_reasons == [("Phiếu bầu nhiều hơn số lượng cần bầu", 1)]
    assert minutes.split is None  # all eleven on paper
    assert [row.verdict for row in minutes.rows].count("Trúng cử") == 14
    assert [row.verdict for row in minutes.rows].count("Không trúng cử") == 2
