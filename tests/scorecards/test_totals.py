"""The rule of every group: its maximum is the sum of its children's maxima."""

from decimal import Decimal

from scorecards.totals import group_maximum, maximum_mismatch


def test_a_group_is_worth_the_sum_of_its_children():
    assert group_maximum([Decimal("7.5"), Decimal("2.50")]) == Decimal("10")
    assert group_maximum([]) == Decimal("0")
    assert maximum_mismatch(Decimal("10.00"), [Decimal("7.5"), Decimal("2.5")]) is None
    assert maximum_mismatch(Decimal("10"), [Decimal("7.5")]) == Decimal("7.5")
    assert maximum_mismatch(Decimal("10"), []) == Decimal("0")
