"""Award types, the nomination round of a cluster year, its quotas, candidates and slate."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clusters.models import Cluster, ClusterYear, Person, Unit
from clusters.selectors import member_unit_ids, user_scope
from scorecards.models import CampaignEntry, GradeBand, RankingPublication
from scorecards.selectors import RankingRow

from .. import notices
from ..models import AwardType, Candidate, NominationRound, Quota


@dataclass
class HintCheck:
    """The eligibility hints of an award type checked against a unit's place in the ranking."""

    warnings: list[str]

    @property
    def passes(self) -> bool:
        return not self.warnings


def check_hints(
    *, award_type: AwardType, unit: Unit, row: RankingRow | None, bands: list[GradeBand]
) -> HintCheck:
    """No side effects. `bands` in the cluster's order, highest first."""
    warnings = []
    if award_type.top_n_hint:
        if row is None or row.rank is None:
            warnings.append(_("%(unit)s is not ranked.") % {"unit": unit.short_name})
        elif row.rank > award_type.top_n_hint:
            warnings.append(
                _("%(unit)s is ranked %(rank)s, outside the top %(n)s.")
                % {"unit": unit.short_name, "rank": row.rank, "n": award_type.top_n_hint}
            )
    if award_type.grade_hint:
        names = [b.name for b in bands]
        grade = row.grade if row else ""
        wanted = names.index(award_type.grade_hint) if award_type.grade_hint in names else None
        reached = names.index(grade) if grade in names else None
        if wanted is None or reached is None or reached > wanted:
            warnings.append(
                _("%(unit)s is graded %(grade)s, below %(hint)s.")
                % {
                    "unit": unit.short_name,
                    "grade": grade or _("without a grade"),
                    "hint": award_type.grade_hint,
                }
            )
    return HintCheck(warnings=warnings)


def save_award_type(*, award_type: AwardType, cluster: Cluster) -> AwardType:
    """Side effects: creates or updates the award type of `cluster`."""
    award_type.cluster = cluster
    award_type.full_clean()
    award_type.save()
    return award_type


def _refuse_if_final(nomination_round: NominationRound) -> None:
    if nomination_round.is_final:
        raise ValidationError(_("The slate is final: the nominations can no longer be changed."))


def round_for(*, cluster_year: ClusterYear) -> NominationRound:
    """Side effects: creates the year's nomination round on first use."""
    nomination_round, _created = NominationRound.objects.get_or_create(cluster_year=cluster_year)
    return nomination_round


def _award_type(nomination_round: NominationRound, award_type: AwardType, recipient: str):
    if award_type.cluster_id != nomination_round.cluster_year.cluster_id:
        raise ValidationError({"award_type": _("This award type is not of this cluster.")})
    if award_type.recipient != recipient:
        message = (
            _("This award is for units.")
            if award_type.recipient == AwardType.UNIT
            else _("This award is for individuals.")
        )
        raise ValidationError({"award_type": message})


@transaction.atomic
def set_quotas(*, cluster_year: ClusterYear, quotas: dict[AwardType, int | None]) -> None:
    """Side effects: creates the round if needed; saves each quota (an empty one is deleted)."""
    nomination_round = round_for(cluster_year=cluster_year)
    _refuse_if_final(nomination_round)
    for award_type, quota in quotas.items():
        if award_type.cluster_id != cluster_year.cluster_id:
            raise ValidationError(_("This award type is not of this cluster."))
        if quota is None:
            Quota.objects.filter(round=nomination_round, award_type=award_type).delete()
        else:
            Quota.objects.update_or_create(
                round=nomination_round, award_type=award_type, defaults={"quota": quota}
            )


def _refuse_duplicate(nomination_round, award_type, **what) -> None:
    if Candidate.objects.filter(round=nomination_round, award_type=award_type, **what).exists():
        raise ValidationError(_("This candidate is already proposed for this award."))


@transaction.atomic
def add_unit(
    *,
    cluster_year: ClusterYear,
    award_type: AwardType,
    unit: Unit,
    ranking_rows: list[RankingRow],
    bands: list[GradeBand],
    reason: str,
    user,
) -> Candidate:
    """The secretariat adds a unit from the published ranking. A failing eligibility hint
    needs a reason (kept in hint_override_reason). Side effects: creates the round if needed
    and the candidate."""
    if not RankingPublication.objects.filter(cluster_year=cluster_year).exists():
        raise ValidationError(_("The ranking of this year is not published yet."))
    if unit.pk not in member_unit_ids(cluster_id=cluster_year.cluster_id, year=cluster_year.year):
        raise ValidationError(_("This unit is not a member of the cluster this year."))
    nomination_round = round_for(cluster_year=cluster_year)
    _refuse_if_final(nomination_round)
    _award_type(nomination_round, award_type, AwardType.UNIT)
    _refuse_duplicate(nomination_round, award_type, unit=unit)
    row = next((r for r in ranking_rows if r.unit.pk == unit.pk), None)
    hints = check_hints(award_type=award_type, unit=unit, row=row, bands=bands)
    reason = reason.strip()
    if not hints.passes and not reason:
        raise ValidationError(
            {
                "reason": [
                    *hints.warnings,
                    _("Give a reason to propose this unit against the eligibility hint."),
                ]
            }
        )
    return Candidate.objects.create(
        round=nomination_round,
        award_type=award_type,
        unit=unit,
        hint_override_reason="" if hints.passes else reason,
        nominated_by=user,
    )


@transaction.atomic
def nominate_person(
    *,
    cluster_year: ClusterYear,
    award_type: AwardType,
    person: Person,
    achievements: str,
    attachment,
    user,
) -> Candidate:
    """A unit officer nominates a person of their own unit, with an achievements summary and
    an optional attachment (checked by the form's validator). Side effects: creates the round if
    needed, the candidate and its stored file; notifies the secretariat."""
    own_units = user_scope(user).unit_ids_in_year(cluster_year.year) & member_unit_ids(
        cluster_id=cluster_year.cluster_id, year=cluster_year.year
    )
    if person.unit_id not in own_units:
        raise ValidationError(
            {
                "person": _(
                    "%(person)s is not of your unit: you can only nominate people of your own unit."
                )
                % {"person": person.full_name}
            }
        )
    nomination_round = round_for(cluster_year=cluster_year)
    _refuse_if_final(nomination_round)
    _award_type(nomination_round, award_type, AwardType.INDIVIDUAL)
    _refuse_duplicate(nomination_round, award_type, person=person)
    if not achievements.strip():
        raise ValidationError({"achievements": _("Summarise the achievements.")})
    candidate = Candidate(
        round=nomination_round,
        award_type=award_type,
        person=person,
        achievements=achievements.strip(),
        nominated_by=user,
    )
    if attachment:
        candidate.attachment.save(attachment.name, attachment, save=False)
    candidate.save()
    notices.nomination_submitted(candidate, cluster_year)
    return candidate


@transaction.atomic
def add_entry(
    *, cluster_year: ClusterYear, award_type: AwardType, entry: CampaignEntry, user
) -> Candidate:
    """The secretariat adds a shortlisted campaign entry. Side effects: creates the round if
    needed and the candidate."""
    if entry.campaign.cluster_year_id != cluster_year.pk or not entry.shortlisted:
        raise ValidationError(_("Only the year's shortlisted campaign entries can be added."))
    nomination_round = round_for(cluster_year=cluster_year)
    _refuse_if_final(nomination_round)
    _award_type(nomination_round, award_type, award_type.recipient)
    _refuse_duplicate(nomination_round, award_type, campaign_entry=entry)
    return Candidate.objects.create(
        round=nomination_round, award_type=award_type, campaign_entry=entry, nominated_by=user
    )


@dataclass
class SlateResult:
    over_quota: list[str]  # one warning per award type whose slate exceeds the quota


@transaction.atomic
def finalise_slate(*, nomination_round: NominationRound, on_slate: set[int]) -> SlateResult:
    """The ticked candidates go on the slate, the others are withdrawn, the round becomes final.
    A slate larger than a quota is allowed (ballots choose among more names than seats): it is
    reported as a warning. Side effects: updates the candidates and the round; notifies the
    member units' officers."""
    nomination_round = NominationRound.objects.select_for_update().get(pk=nomination_round.pk)
    _refuse_if_final(nomination_round)
    candidates = list(nomination_round.candidates.select_related("award_type"))
    if not candidates:
        raise ValidationError(_("There is no candidate to put on the slate."))
    unknown = on_slate - {c.pk for c in candidates}
    if unknown:
        raise ValidationError(_("A candidate is not of this round."))
    if not on_slate:
        raise ValidationError(_("Tick at least one candidate for the slate."))
    for candidate in candidates:  # one save each, so that the history keeps every change
        candidate.status = (
            Candidate.Status.ON_SLATE if candidate.pk in on_slate else Candidate.Status.WITHDRAWN
        )
        candidate.save(update_fields=["status"])
    nomination_round.status = NominationRound.Status.FINAL
    nomination_round.save(update_fields=["status"])
    notices.slate_finalised(nomination_round.cluster_year)
    quotas = {q.award_type_id: q.quota for q in nomination_round.quotas.all()}
    counts: dict[int, int] = {}
    names: dict[int, str] = {}
    for c in candidates:
        if c.pk in on_slate:
            counts[c.award_type_id] = counts.get(c.award_type_id, 0) + 1
            names[c.award_type_id] = c.award_type.name
    over = [
        _("%(award)s: %(count)s on the slate for a quota of %(quota)s.")
        % {"award": names[pk], "count": count, "quota": quotas[pk]}
        for pk, count in counts.items()
        if pk in quotas and count > quotas[pk]
    ]
    return SlateResult(over_quota=over)
