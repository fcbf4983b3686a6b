"""Totals of a scorecard from its criteria tree: pure computation, no database.

Base points come from "points" and "yes/no" criteria, bonus from "bonus" criteria, deductions
from "deduction" criteria (entered as the points taken off). A group's total is the sum of its
children, capped at the group's maximum, and that maximum must be the sum of its children's
maxima (`maximum_mismatch`, checked before publishing, on import and in the editor). The total is
base + bonus - deductions.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from .models import Criterion

ZERO = Decimal("0")
FAMILY = {
    Criterion.POINTS: "base",
    Criterion.YES_NO: "base",
    Criterion.BONUS: "bonus",
    Criterion.DEDUCTION: "deduction",
}


@dataclass
class Sheet:
    """The totals of one scorecard in one score layer."""

    nodes: dict[int, Decimal] = field(default_factory=dict)  # criterion id -> subtotal
    base: Decimal = ZERO
    bonus: Decimal = ZERO
    deductions: Decimal = ZERO
    groups: dict[str, Decimal] = field(default_factory=dict)  # top-level number -> subtotal
    missing: int = 0  # criteria not scored

    @property
    def total(self) -> Decimal:
        return self.base + self.bonus - self.deductions


def family_of(criterion: Criterion, children: dict[int | None, list[Criterion]]) -> str | None:
    """base, bonus or deduction; for a group, its leaves' family (None when mixed or empty)."""
    if not criterion.is_group:
        return FAMILY[criterion.kind]
    families = {family_of(child, children) for child in children.get(criterion.pk, [])}
    return families.pop() if len(families) == 1 else None


def children_map(criteria: Iterable[Criterion]) -> dict[int | None, list[Criterion]]:
    tree: dict[int | None, list[Criterion]] = {}
    for criterion in sorted(criteria, key=lambda c: c.position):
        tree.setdefault(criterion.parent_id, []).append(criterion)
    return tree


def group_maximum(child_maxima: Iterable[Decimal]) -> Decimal:
    """What a group's maximum must be: the sum of its children's maxima."""
    return sum(child_maxima, ZERO)


def maximum_mismatch(maximum: Decimal, child_maxima: Iterable[Decimal]) -> Decimal | None:
    """The rule of every group: its maximum is the sum of its children's maxima. Returns that sum
    when `maximum` differs from it, None when the group keeps the rule."""
    total = group_maximum(child_maxima)
    return None if total == maximum else total


def maxima(criteria: Iterable[Criterion]) -> dict[str, Decimal]:
    """The most a scorecard can reach in each family: base points, bonus and deductions (the
    sums of the top-level maxima; a mixed or empty top-level group counts as base)."""
    tree = children_map(criteria)
    totals = {"base": ZERO, "bonus": ZERO, "deduction": ZERO}
    for top in tree.get(None, []):
        totals[family_of(top, tree) or "base"] += top.max_points
    return totals


def compute(criteria: list[Criterion], value: Callable[[int], Decimal | None]) -> Sheet:
    """Totals for `criteria` where `value(criterion_id)` gives the score of a leaf (or None)."""
    tree = children_map(criteria)
    sheet = Sheet()

    def walk(node: Criterion) -> Decimal:
        if node.is_group:
            subtotal = sum((walk(child) for child in tree.get(node.pk, [])), ZERO)
            subtotal = min(subtotal, node.max_points)
        else:
            score = value(node.pk)
            if score is None:
                sheet.missing += 1
                score = ZERO
            subtotal = min(score, node.max_points)
        sheet.nodes[node.pk] = subtotal
        return subtotal

    for top in tree.get(None, []):
        subtotal = walk(top)
        sheet.groups[top.number] = subtotal
        family = family_of(top, tree)
        if family == "bonus":
            sheet.bonus += subtotal
        elif family == "deduction":
            sheet.deductions += subtotal
        else:
            sheet.base += subtotal
    return sheet
