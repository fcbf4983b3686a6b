"""The criteria of a cluster year: drafting, checking, publishing, versions and copies."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from celery import current_app
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import ClusterYear
from common.formatting import points

from ..models import CriteriaSet, Criterion, Score, Scorecard
from ..totals import children_map, family_of, maximum_mismatch

# The task that publishing queues, by name: scorecards.tasks imports the services and declares it
# under this name, and no service imports scorecards.tasks (tasks are leaves).
NOTIFY_CRITERIA_CHANGED_TASK = "emulation.scorecards.tasks.notify_criteria_changed"


def draft_for(*, cluster_year: ClusterYear) -> CriteriaSet:
    """The year's draft criteria, created as the next version when there is none."""
    draft = cluster_year.criteria_sets.filter(status=CriteriaSet.Status.DRAFT).first()
    if draft is None:
        last = cluster_year.criteria_sets.order_by("-version").first()
        draft = CriteriaSet.objects.create(
            cluster_year=cluster_year, version=(last.version + 1) if last else 1
        )
    return draft


def published_for(cluster_year: ClusterYear) -> CriteriaSet | None:
    return cluster_year.criteria_sets.filter(status=CriteriaSet.Status.PUBLISHED).first()


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


def group_maximum_problem(
    number: str, maximum: Decimal, child_maxima: Iterable[Decimal]
) -> str | None:
    """In words, how group `number` breaks the rule that its maximum is the sum of its criteria's
    maxima (totals.maximum_mismatch); None when it keeps it."""
    total = maximum_mismatch(maximum, child_maxima)
    if total is None:
        return None
    return _(
        "Group %(number)s: its criteria add up to %(sum)s points, but the group's maximum is "
        "%(max)s."
    ) % {"number": number, "sum": points(total), "max": points(maximum)}


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
            problem = group_maximum_problem(
                label, node.max_points, (child.max_points for child in children)
            )
            if problem:
                problems.append(problem)
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
    that had scored are asked to re-confirm, by email once the transaction commits.
    """
    criteria_set = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    if criteria_set.status != CriteriaSet.Status.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    problems = check(criteria_set=criteria_set)
    if problems:
        raise ValidationError(problems)
    previous = published_for(criteria_set.cluster_year)
    if previous is not None and not criteria_set.change_reason.strip():
        raise ValidationError({"change_reason": _("Give the reason for the new version.")})
    if previous is not None:
        previous.status = CriteriaSet.Status.SUPERSEDED
        previous.save(update_fields=["status"])
    criteria_set.status = CriteriaSet.Status.PUBLISHED
    criteria_set.published_at = timezone.now()
    criteria_set.published_by = user
    criteria_set.save(update_fields=["status", "published_at", "published_by"])
    if previous is not None:
        _move_scorecards(previous=previous, new=criteria_set)
        task = current_app.tasks[NOTIFY_CRITERIA_CHANGED_TASK]
        transaction.on_commit(partial(task.delay, criteria_set.pk))
    return criteria_set


def _move_scorecards(*, previous: CriteriaSet, new: CriteriaSet) -> None:
    leaves = {c.lineage: c for c in new.criteria.all() if not c.is_group}
    for scorecard in Scorecard.objects.filter(criteria_set=previous):
        old_scores = {
            s.criterion.lineage: s for s in scorecard.current_scores().select_related("criterion")
        }
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
        if had_scores and scorecard.status != Scorecard.Status.DRAFT:
            scorecard.status = Scorecard.Status.RETURNED
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
    if cluster_year.criteria_sets.filter(status=CriteriaSet.Status.DRAFT).exists():
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
    new_ids: dict[int | None, Criterion] = {}
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


# --- Editing a draft -------------------------------------------------------------------------
# Every edit locks the criteria set's row first, so an edit can never land in a version that
# another request is publishing at the same moment.


def _locked_draft(criteria_set: CriteriaSet) -> CriteriaSet:
    locked = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    if locked.status != CriteriaSet.Status.DRAFT:
        raise ValidationError(
            _("Published criteria are locked: make a new version to change them.")
        )
    return locked


def _check_node(
    *,
    criteria_set: CriteriaSet,
    parent: Criterion | None,
    number: str,
    kind: str,
    max_points: Decimal,
    exclude_pk: int | None = None,
) -> None:
    errors: dict[str, str] = {}
    if parent is not None and not parent.is_group:
        errors["__all__"] = _("Criteria can only be added under a group.")
    if max_points < 0:
        errors["max_points"] = _("The maximum points cannot be negative.")
    siblings = criteria_set.criteria.filter(parent=parent, number=number.strip())
    if exclude_pk is not None:
        siblings = siblings.exclude(pk=exclude_pk)
    if siblings.exists():
        errors["number"] = _("The number %(number)s is already used at this level.") % {
            "number": number.strip()
        }
    if exclude_pk is not None and kind != Criterion.GROUP:
        if criteria_set.criteria.filter(parent_id=exclude_pk).exists():
            errors["kind"] = _("This item has sub-criteria, so it must stay a group.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_criterion(
    *,
    criteria_set: CriteriaSet,
    parent: Criterion | None,
    number: str,
    text: str,
    guidance: str = "",
    kind: str,
    max_points: Decimal,
    evidence_required: bool = False,
) -> Criterion:
    """Add a group or criterion as the last child of `parent` (or at the top level) of a draft.

    Side effects: renumbers the draft's positions (depth-first order)."""
    criteria_set = _locked_draft(criteria_set)
    _check_node(
        criteria_set=criteria_set, parent=parent, number=number, kind=kind, max_points=max_points
    )
    last = criteria_set.criteria.order_by("-position").values_list("position", flat=True).first()
    criterion = Criterion.objects.create(
        criteria_set=criteria_set,
        parent=parent,
        number=number.strip(),
        position=(last or 0) + 10,
        text=text.strip(),
        guidance=guidance.strip(),
        kind=kind,
        max_points=max_points,
        evidence_required=evidence_required,
    )
    renumber(criteria_set=criteria_set)
    return criterion


@transaction.atomic
def update_criterion(
    *,
    criterion: Criterion,
    number: str,
    text: str,
    guidance: str = "",
    kind: str,
    max_points: Decimal,
    evidence_required: bool = False,
) -> Criterion:
    """Change a criterion of a draft (its place in the tree stays)."""
    criteria_set = _locked_draft(criterion.criteria_set)
    _check_node(
        criteria_set=criteria_set,
        parent=criterion.parent,
        number=number,
        kind=kind,
        max_points=max_points,
        exclude_pk=criterion.pk,
    )
    criterion.number = number.strip()
    criterion.text = text.strip()
    criterion.guidance = guidance.strip()
    criterion.kind = kind
    criterion.max_points = max_points
    criterion.evidence_required = evidence_required
    criterion.save()
    return criterion


def subtree(criterion: Criterion) -> list[Criterion]:
    """The criterion and everything under it, in tree order."""
    tree = children_map(criterion.criteria_set.criteria.all())
    nodes: list[Criterion] = []

    def walk(node):
        nodes.append(node)
        for child in tree.get(node.pk, []):
            walk(child)

    walk(next(c for c in tree.get(criterion.parent_id, []) if c.pk == criterion.pk))
    return nodes


@transaction.atomic
def delete_criterion(*, criterion: Criterion) -> int:
    """Delete a criterion of a draft with its whole subtree; returns how many were deleted."""
    criteria_set = _locked_draft(criterion.criteria_set)
    doomed = [c.pk for c in subtree(criterion)]
    Criterion.objects.filter(pk__in=doomed).delete()
    renumber(criteria_set=criteria_set)
    return len(doomed)


@transaction.atomic
def move_criterion(*, criterion: Criterion, direction: str) -> bool:
    """Swap a criterion with its previous ("up") or next ("down") sibling; False at an end.

    Side effects: renumbers the draft's positions."""
    if direction not in ("up", "down"):
        raise ValueError(direction)
    criteria_set = _locked_draft(criterion.criteria_set)
    siblings = list(
        criteria_set.criteria.filter(parent_id=criterion.parent_id).order_by("position")
    )
    index = next(i for i, c in enumerate(siblings) if c.pk == criterion.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        return False
    siblings[index], siblings[other] = siblings[other], siblings[index]
    # Give the siblings increasing positions in their new order; renumber() then lays the whole
    # tree out depth-first again.
    positions = sorted(c.position for c in siblings)
    for node, position in zip(siblings, positions, strict=True):
        if node.position != position:
            node.position = position
            node.save(update_fields=["position"])
    renumber(criteria_set=criteria_set)
    return True


@transaction.atomic
def discard_draft(*, criteria_set: CriteriaSet) -> None:
    """Delete a draft and its criteria (the published version, if any, stays the year's)."""
    criteria_set = _locked_draft(criteria_set)
    criteria_set.criteria.all().delete()
    criteria_set.delete()


def copy_last_year(*, cluster_year: ClusterYear) -> CriteriaSet:
    """Start the year's draft from the previous year's criteria of the same cluster."""
    previous = ClusterYear.objects.filter(
        cluster_id=cluster_year.cluster_id, year=cluster_year.year - 1
    ).first()
    if previous is None:
        raise ValidationError(
            _("The cluster has no year %(year)s to copy from.") % {"year": cluster_year.year - 1}
        )
    return copy_from_year(source_year=previous, target_year=cluster_year)


# --- Importing a whole tree ------------------------------------------------------------------


@dataclass
class NewCriterion:
    """One row of an imported tree. `path` is the numbers from the top, this one's last."""

    path: tuple[str, ...]
    text: str
    guidance: str
    kind: str
    max_points: Decimal
    evidence_required: bool

    @property
    def number(self) -> str:
        return self.path[-1]


@transaction.atomic
def import_tree(
    *, cluster_year: ClusterYear, rows: list[NewCriterion], reason: str = ""
) -> CriteriaSet:
    """Replace the draft's criteria with `rows` (in tree order, parents first), all or nothing.

    Without a draft, a new version is started from the published criteria (which needs a
    `reason`), or version 1 when nothing exists. A criterion whose number path matches one of
    the replaced draft keeps its lineage, so scores follow it when the version is published.
    """
    draft = cluster_year.criteria_sets.filter(status=CriteriaSet.Status.DRAFT).first()
    if draft is None and published_for(cluster_year) is not None:
        draft = new_version(cluster_year=cluster_year, reason=reason)
    elif draft is None:
        draft = draft_for(cluster_year=cluster_year)
    draft = _locked_draft(draft)
    old = list(draft.criteria.all())
    old_by_id = {c.pk: c for c in old}

    def old_path(node: Criterion) -> tuple[str, ...]:
        parts = [node.number]
        while node.parent_id is not None:
            node = old_by_id[node.parent_id]
            parts.append(node.number)
        return tuple(reversed(parts))

    lineages = {old_path(c): c.lineage for c in old}
    draft.criteria.all().delete()
    created: dict[tuple[str, ...], Criterion] = {}
    for position, row in enumerate(rows, start=1):
        parent = created[row.path[:-1]] if len(row.path) > 1 else None
        node = Criterion(
            criteria_set=draft,
            parent=parent,
            number=row.number,
            position=position * 10,
            text=row.text,
            guidance=row.guidance,
            kind=row.kind,
            max_points=row.max_points,
            evidence_required=row.evidence_required,
        )
        if row.path in lineages:
            node.lineage = lineages[row.path]
        node.save()
        created[row.path] = node
    renumber(criteria_set=draft)
    return draft


# --- Reading the tree for display ------------------------------------------------------------


@dataclass
class TreeRow:
    node: Criterion
    depth: int
    path: str
    # A group whose maximum is not the sum of its children's maxima: that sum (else None).
    children_sum: Decimal | None
    is_first: bool
    is_last: bool
    has_children: bool

    @property
    def sum_mismatch(self) -> bool:
        return self.children_sum is not None


def flatten(criteria: list[Criterion]) -> list[TreeRow]:
    """The tree (or a subtree) in display order with each node's depth and number path, from
    already loaded criteria (no queries)."""
    tree = children_map(criteria)
    rows: list[TreeRow] = []

    def walk(parent_id, depth, prefix):
        siblings = tree.get(parent_id, [])
        for index, node in enumerate(siblings):
            children = tree.get(node.pk, [])
            path = f"{prefix}.{node.number}" if prefix else node.number
            rows.append(
                TreeRow(
                    node=node,
                    depth=depth,
                    path=path,
                    children_sum=(
                        maximum_mismatch(node.max_points, (c.max_points for c in children))
                        if node.is_group
                        else None
                    ),
                    is_first=index == 0,
                    is_last=index == len(siblings) - 1,
                    has_children=bool(children),
                )
            )
            walk(node.pk, depth + 1, path)

    ids = {c.pk for c in criteria}
    roots = sorted(
        (c for c in criteria if c.parent_id not in ids), key=lambda c: c.position
    )  # the top level, or the top of a subtree
    tree[None] = roots
    walk(None, 0, "")
    return rows
