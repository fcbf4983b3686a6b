"""The criteria of a cluster year: drafting, checking, publishing, versions and copies."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from clusters.models import ClusterYear

from ..models import CriteriaSet, Criterion, Score, Scorecard
from ..totals import children_map, family_of


def draft_for(*, cluster_year: ClusterYear) -> CriteriaSet:
    """The year's draft criteria, created as the next version when there is none."""
    draft = cluster_year.criteria_sets.filter(status=CriteriaSet.DRAFT).first()
    if draft is None:
        last = cluster_year.criteria_sets.order_by("-version").first()
        draft = CriteriaSet.objects.create(
            cluster_year=cluster_year, version=(last.version + 1) if last else 1
        )
    return draft


def published_for(cluster_year: ClusterYear) -> CriteriaSet | None:
    return cluster_year.criteria_sets.filter(status=CriteriaSet.PUBLISHED).first()


def renumber(*, criteria_set: CriteriaSet) -> None:
    """Store the tree's depth-first order in `position` (siblings keep their relative order)."""
    tree = children_map(criteria_set.criteria.all())
    ordered: list[Criterion] = []

    def walk(parent_id):
        for node in tree.get(parent_id, []):
            ordered.append(node)
            walk(node.pk)

    walk(None)
    for position, node in enumerate(ordered, start=1):
        if node.position != position * 10:
            node.position = position * 10
            node.save(update_fields=["position"])


def check(*, criteria_set: CriteriaSet) -> list[str]:
    """Problems that prevent publishing, in words for the secretariat."""
    criteria = list(criteria_set.criteria.all())
    tree = children_map(criteria)
    problems = []
    if not criteria:
        problems.append(_("The criteria are empty."))
    for node in criteria:
        label = node.number
        children = tree.get(node.pk, [])
        if node.is_group:
            if not children:
                problems.append(_("Group %(number)s has no criteria.") % {"number": label})
                continue
            if family_of(node, tree) is None:
                problems.append(
                    _(
                        "Group %(number)s mixes base points, bonus points and deductions: keep "
                        "them in separate groups."
                    )
                    % {"number": label}
                )
            total = sum((child.max_points for child in children), Decimal("0"))
            if total != node.max_points:
                problems.append(
                    _(
                        "Group %(number)s: its criteria add up to %(sum)s points, but the group's "
                        "maximum is %(max)s."
                    )
                    % {
                        "number": label,
                        "sum": number_format(total.normalize()),
                        "max": number_format(node.max_points.normalize()),
                    }
                )
        elif children:
            problems.append(
                _("%(number)s has sub-criteria, so it must be a group.") % {"number": label}
            )
        elif node.max_points <= 0:
            problems.append(
                _("%(number)s: the maximum points must be above zero.") % {"number": label}
            )
    numbers = [(c.parent_id, c.number) for c in criteria]
    duplicates = {n for n in numbers if numbers.count(n) > 1}
    for _parent, number in sorted(duplicates, key=lambda n: n[1]):
        problems.append(_("The number %(number)s is used twice at one level.") % {"number": number})
    return problems


@transaction.atomic
def publish(*, criteria_set: CriteriaSet, user) -> CriteriaSet:
    """Lock the draft and make it the year's criteria.

    When it replaces a published version, the earlier one is superseded and every scorecard
    moves to the new version: scores follow their criterion (by lineage) and are kept, and units
    that had scored are asked to re-confirm.
    """
    criteria_set = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    if criteria_set.status != CriteriaSet.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    problems = check(criteria_set=criteria_set)
    if problems:
        raise ValidationError(problems)
    previous = published_for(criteria_set.cluster_year)
    if previous is not None and not criteria_set.change_reason.strip():
        raise ValidationError({"change_reason": _("Give the reason for the new version.")})
    if previous is not None:
        previous.status = CriteriaSet.SUPERSEDED
        previous.save(update_fields=["status"])
    criteria_set.status = CriteriaSet.PUBLISHED
    criteria_set.published_at = timezone.now()
    criteria_set.published_by = user
    criteria_set.save(update_fields=["status", "published_at", "published_by"])
    if previous is not None:
        _move_scorecards(previous=previous, new=criteria_set)
    return criteria_set


def _move_scorecards(*, previous: CriteriaSet, new: CriteriaSet) -> None:
    leaves = {c.lineage: c for c in new.criteria.all() if not c.is_group}
    for scorecard in Scorecard.objects.filter(criteria_set=previous):
        old_scores = {s.criterion.lineage: s for s in scorecard.scores.select_related("criterion")}
        had_scores = any(s.self_score is not None for s in old_scores.values())
        for lineage, criterion in leaves.items():
            old = old_scores.get(lineage)
            Score.objects.create(
                scorecard=scorecard,
                criterion=criterion,
                self_score=old.self_score if old else None,
                explanation=old.explanation if old else "",
                reviewed_score=old.reviewed_score if old else None,
                review_reason=old.review_reason if old else "",
                reviewed_by=old.reviewed_by if old else None,
                reviewed_at=old.reviewed_at if old else None,
                unit_response=old.unit_response if old else "",
                responded_at=old.responded_at if old else None,
            )
            if old is not None:
                old.evidence.update(score=scorecard.scores.get(criterion=criterion))
        scorecard.criteria_set = new
        scorecard.needs_reconfirm = had_scores
        if had_scores and scorecard.status != Scorecard.DRAFT:
            scorecard.status = Scorecard.RETURNED
            scorecard.returned_reason = new.change_reason
        scorecard.save()


@transaction.atomic
def new_version(*, cluster_year: ClusterYear, reason: str) -> CriteriaSet:
    """A draft copy of the published criteria, to change them after publishing."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the new version.")})
    published = published_for(cluster_year)
    if published is None:
        raise ValidationError(_("There are no published criteria to change."))
    if cluster_year.criteria_sets.filter(status=CriteriaSet.DRAFT).exists():
        raise ValidationError(_("This year already has a draft of its criteria."))
    draft = CriteriaSet.objects.create(
        cluster_year=cluster_year,
        version=published.version + 1,
        title=published.title,
        change_reason=reason.strip(),
    )
    copy_tree(source=published, target=draft)
    return draft


def copy_tree(*, source: CriteriaSet, target: CriteriaSet) -> None:
    """Copy every criterion of `source` into `target`, keeping the tree and each criterion's
    lineage (so scores and trends follow the same criterion across versions and years)."""
    new_ids: dict[int, Criterion] = {}
    for node in source.criteria.order_by("position"):
        copy = Criterion.objects.create(
            criteria_set=target,
            parent=new_ids.get(node.parent_id),
            lineage=node.lineage,
            number=node.number,
            position=node.position,
            text=node.text,
            guidance=node.guidance,
            kind=node.kind,
            max_points=node.max_points,
            evidence_required=node.evidence_required,
        )
        new_ids[node.pk] = copy


@transaction.atomic
def copy_from_year(*, source_year: ClusterYear, target_year: ClusterYear) -> CriteriaSet:
    """Start a year's draft from another year's published (or latest) criteria, in one action."""
    source = published_for(source_year) or source_year.criteria_sets.order_by("-version").first()
    if source is None:
        raise ValidationError(
            _("The year %(year)s has no criteria to copy.") % {"year": source_year.year}
        )
    if target_year.criteria_sets.exists():
        raise ValidationError(
            _("The year %(year)s already has criteria.") % {"year": target_year.year}
        )
    draft = CriteriaSet.objects.create(
        cluster_year=target_year,
        version=1,
        title=source.title.replace(str(source_year.year), str(target_year.year)),
    )
    copy_tree(source=source, target=draft)
    return draft
