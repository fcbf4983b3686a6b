"""The cluster's ranking settings (part of Thiết lập cụm): its grade bands and tie-break order.

Each write runs in one transaction and names the user in the history. A published ranking
keeps the bands and tie-breaks it was published with (RankingPublication's snapshot), so these
changes reach the years whose ranking is not yet published.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clusters.models import Cluster

from ..models import Criterion, GradeBand, ScoringPolicy

FIXED_TIE_BREAKS = ("base", "deductions", "bonus")


@dataclass
class BandRow:
    """One row of the grade bands page: an existing band (or None for a new one), as edited."""

    band: GradeBand | None
    name: str
    min_total: Decimal
    delete: bool = False


def tie_break_keys(cluster: Cluster) -> list[str]:
    """The keys the cluster may rank by after the total: base, deductions, bonus, and each
    top-level group of its criteria (any year), in the criteria's order."""
    groups = (
        Criterion.objects.filter(criteria_set__cluster_year__cluster=cluster, parent__isnull=True)
        .order_by("criteria_set__cluster_year__year", "position")
        .values_list("number", flat=True)
    )
    keys = list(FIXED_TIE_BREAKS)
    for number in groups:
        key = f"group:{number}"
        if number and key not in keys:
            keys.append(key)
    return keys


def band_problems(rows: Sequence[tuple[str, Decimal | None]]) -> dict[str, str]:
    """What is wrong with a cluster's grade bands, given as (name, minimum): messages keyed
    "<row index>-name" or "<row index>-min_total". A band runs from its minimum up to the next
    band's, so two bands with the same minimum would overlap."""
    problems: dict[str, str] = {}
    names: dict[str, int] = {}
    minima: dict[Decimal, int] = {}
    for index, (name, minimum) in enumerate(rows):
        key = " ".join(name.split()).casefold()
        if not key:
            problems[f"{index}-name"] = _("Enter the name of the grade.")
        elif key in names:
            problems[f"{index}-name"] = _(
                "Another band is already named “%(name)s” (row %(row)s)."
            ) % {"name": name.strip(), "row": names[key] + 1}
        else:
            names[key] = index
        if minimum is None:
            problems[f"{index}-min_total"] = _("Enter the minimum total.")
        elif minimum < 0:
            problems[f"{index}-min_total"] = _("The minimum total cannot be negative.")
        elif minimum in minima:
            problems[f"{index}-min_total"] = _(
                "Row %(row)s already starts at %(minimum)s: two bands cannot start at the same "
                "total, they would overlap."
            ) % {
                "row": minima[minimum] + 1,
                "minimum": f"{minimum.normalize():f}".replace(".", ","),
            }
        else:
            minima[minimum] = index
    return problems


@transaction.atomic
def save_grade_bands(*, cluster: Cluster, rows: list[BandRow], user) -> list[GradeBand]:
    """Replace the cluster's grade bands by `rows`, as edited by `user`: rows with a band update
    it, rows without create one, rows marked `delete` delete theirs. Refused (keyed
    "<row>-<field>"): two bands of the same name or the same minimum, a negative minimum.
    Nothing is saved when refused."""
    Cluster.objects.select_for_update().get(pk=cluster.pk)
    kept_index = [index for index, row in enumerate(rows) if not row.delete]
    problems: dict[str, str] = {}
    for key, message in band_problems(
        [(rows[i].name, rows[i].min_total) for i in kept_index]
    ).items():
        position, name = key.split("-", 1)
        problems[f"{kept_index[int(position)]}-{name}"] = message
    if any(r.band is not None and r.band.cluster_id != cluster.pk for r in rows):
        problems["bands"] = _("A grade band belongs to another cluster.")
    if problems:
        raise ValidationError({key: [message] for key, message in problems.items()})
    saved = []
    for row in rows:
        band = row.band
        if row.delete:
            if band is not None:
                band._history_user = user  # type: ignore[attr-defined]
                band.delete()
            continue
        band = band or GradeBand(cluster=cluster)
        name = " ".join(row.name.split())
        if band.pk is None or (band.name, band.min_total) != (name, row.min_total):
            band.name, band.min_total = name, row.min_total
            band._history_user = user  # type: ignore[attr-defined]
            band.save()
        saved.append(band)
    return sorted(saved, key=lambda band: band.min_total, reverse=True)


@transaction.atomic
def save_tie_breaks(*, cluster: Cluster, keys: list[str], user) -> ScoringPolicy:
    """Set the order in which equal totals are separated, as edited by `user`. Refused (keyed
    "tie_break_<position>"): a key given twice, a key the cluster does not have."""
    allowed = set(tie_break_keys(cluster))
    problems: dict[str, str] = {}
    seen: dict[str, int] = {}
    for position, key in enumerate(keys, start=1):
        field = f"tie_break_{position}"
        if key not in allowed:
            problems[field] = _("Choose one of the listed criteria.")
        elif key in seen:
            problems[field] = _(
                "This is already the tie-break number %(position)s: choose each one once."
            ) % {"position": seen[key]}
        else:
            seen[key] = position
    if problems:
        raise ValidationError({key: [message] for key, message in problems.items()})
    policy, _created = ScoringPolicy.objects.select_for_update().get_or_create(cluster=cluster)
    policy.tie_breaks = list(keys)
    policy._history_user = user  # type: ignore[attr-defined]
    policy.save()
    return policy
