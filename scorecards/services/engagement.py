"""The pledge (giao ước thi đua), thematic campaigns (phong trào thi đua chuyên đề) and
indicators: every write with a rule. A closed year refuses them all."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import ClusterYear, Unit
from clusters.selectors import member_unit_ids
from common.formatting import short_date
from common.uploads import validate_document

from ..models import (
    Campaign,
    CampaignEntry,
    Indicator,
    IndicatorReport,
    Pledge,
    PledgeSignature,
)


def _locked_year(cluster_year: ClusterYear) -> ClusterYear:
    """The cluster year, locked so that closing it cannot interleave with a write."""
    locked = ClusterYear.objects.select_for_update().get(pk=cluster_year.pk)
    if locked.is_closed:
        raise ValidationError(_("The year is closed."))
    return locked


def _check_member(cluster_year: ClusterYear, unit: Unit) -> None:
    if unit.pk not in member_unit_ids(cluster_id=cluster_year.cluster_id, year=cluster_year.year):
        raise ValidationError(
            _("%(unit)s is not a member of the cluster in %(year)s.")
            % {"unit": unit.short_name, "year": cluster_year.year}
        )


def _check_file(uploaded, field: str) -> None:
    if uploaded:
        try:
            validate_document(uploaded)
        except ValidationError as error:
            raise ValidationError({field: error.messages}) from None


# The pledge ------------------------------------------------------------------------------------


@transaction.atomic
def save_pledge(*, cluster_year: ClusterYear, text: str, document, user) -> Pledge:
    """Create or change the year's pledge text and/or document (None keeps the stored one).

    Refused once a unit has signed: what was signed is never changed under the signatures.
    """
    cluster_year = _locked_year(cluster_year)
    pledge = Pledge.objects.select_for_update().filter(cluster_year=cluster_year).first()
    if pledge is None:
        pledge = Pledge(cluster_year=cluster_year)
    elif pledge.signatures.exists():
        raise ValidationError(
            _("Units have already signed the pledge: it can no longer be changed.")
        )
    text = text.strip()
    if not text and not document and not pledge.document:
        raise ValidationError({"text": _("Write the pledge text or attach its document.")})
    _check_file(document, "document")
    pledge.text = text
    if document:
        pledge.document = document
    pledge._history_user = user
    pledge.save()
    return pledge


@transaction.atomic
def sign_pledge(*, cluster_year: ClusterYear, unit: Unit, user, scan=None) -> PledgeSignature:
    """Record that `unit` signs the year's pledge, by `user`, now, with an optional scanned copy
    (checked by content and size). A unit signs once."""
    cluster_year = _locked_year(cluster_year)
    _check_member(cluster_year, unit)
    pledge = Pledge.objects.select_for_update().filter(cluster_year=cluster_year).first()
    if pledge is None:
        raise ValidationError(_("The secretariat has not posted this year's pledge yet."))
    existing = pledge.signatures.filter(unit=unit).first()
    if existing is not None:
        raise ValidationError(_already_signed(unit, existing))
    _check_file(scan, "scan")
    signature = PledgeSignature(pledge=pledge, unit=unit, signed_by=user)
    if scan:
        signature.scan = scan
    signature._history_user = user
    try:
        with transaction.atomic():
            signature.save()
    except IntegrityError:  # signed meanwhile, despite the lock (e.g. no pledge row yet)
        raise ValidationError(_already_signed(unit, pledge.signatures.get(unit=unit))) from None
    return signature


def _already_signed(unit: Unit, signature: PledgeSignature) -> str:
    return _("%(unit)s already signed the pledge on %(day)s.") % {
        "unit": unit.short_name,
        "day": short_date(timezone.localdate(signature.signed_at)),
    }


# Campaigns -------------------------------------------------------------------------------------


def _check_dates(start: datetime.date, end: datetime.date) -> None:
    if end < start:
        raise ValidationError({"end_date": _("The end date cannot be before the start date.")})


@transaction.atomic
def create_campaign(
    *,
    cluster_year: ClusterYear,
    title: str,
    description: str,
    start_date: datetime.date,
    end_date: datetime.date,
    user,
) -> Campaign:
    """A thematic campaign of the year, open to entries from start_date to end_date."""
    cluster_year = _locked_year(cluster_year)
    _check_dates(start_date, end_date)
    campaign = Campaign(
        cluster_year=cluster_year,
        title=title.strip(),
        description=description.strip(),
        start_date=start_date,
        end_date=end_date,
    )
    campaign._history_user = user
    campaign.save()
    return campaign


@transaction.atomic
def update_campaign(
    *,
    campaign: Campaign,
    title: str,
    description: str,
    start_date: datetime.date,
    end_date: datetime.date,
    user,
) -> Campaign:
    _locked_year(campaign.cluster_year)
    _check_dates(start_date, end_date)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    campaign.title = title.strip()
    campaign.description = description.strip()
    campaign.start_date = start_date
    campaign.end_date = end_date
    campaign._history_user = user
    campaign.save()
    return campaign


def campaign_is_open(campaign: Campaign, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return campaign.start_date <= today <= campaign.end_date


@transaction.atomic
def submit_entry(
    *,
    campaign: Campaign,
    unit: Unit,
    title: str,
    description: str,
    results: str,
    attachment,
    user,
    today: datetime.date | None = None,
) -> CampaignEntry:
    """A unit's entry in a campaign, accepted only while the campaign is open (its dates,
    inclusive, in the cluster's time zone). The attachment is checked by content and size."""
    cluster_year = _locked_year(campaign.cluster_year)
    _check_member(cluster_year, unit)
    today = today or timezone.localdate()
    if today > campaign.end_date:
        raise ValidationError(
            _("The campaign ended on %(day)s: entries are no longer accepted.")
            % {"day": short_date(campaign.end_date)}
        )
    if today < campaign.start_date:
        raise ValidationError(
            _("The campaign opens on %(day)s: entries are not accepted yet.")
            % {"day": short_date(campaign.start_date)}
        )
    if not title.strip():
        raise ValidationError({"title": _("Give the entry a title.")})
    if not description.strip():
        raise ValidationError({"description": _("Describe the entry.")})
    _check_file(attachment, "attachment")
    entry = CampaignEntry(
        campaign=campaign,
        unit=unit,
        title=title.strip(),
        description=description.strip(),
        results=results.strip(),
        submitted_by=user,
    )
    if attachment:
        entry.attachment = attachment
    entry._history_user = user
    entry.save()
    return entry


@transaction.atomic
def set_shortlisted(*, entry: CampaignEntry, shortlisted: bool, user) -> CampaignEntry:
    """The secretariat shortlists an entry (an award candidate later) or takes it off."""
    _locked_year(entry.campaign.cluster_year)
    entry = CampaignEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.shortlisted != shortlisted:
        entry.shortlisted = shortlisted
        entry._history_user = user
        entry.save()
    return entry


# Indicators ------------------------------------------------------------------------------------


@transaction.atomic
def save_indicator(
    *,
    cluster_year: ClusterYear,
    text: str,
    kind: str,
    as_of: datetime.date,
    user,
    indicator: Indicator | None = None,
) -> Indicator:
    """Define an indicator of the year, or change one. Its kind is fixed once units reported."""
    cluster_year = _locked_year(cluster_year)
    if indicator is None:
        indicator = Indicator(cluster_year=cluster_year)
    else:
        indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
        if kind != indicator.kind and indicator.reports.exists():
            raise ValidationError(
                {"kind": _("Units have already reported this indicator: its kind is fixed.")}
            )
    indicator.text = text.strip()
    indicator.kind = kind
    indicator.as_of = as_of
    indicator._history_user = user
    indicator.save()
    return indicator


@transaction.atomic
def report_indicators(
    *,
    cluster_year: ClusterYear,
    unit: Unit,
    values: dict[int, tuple[bool | Decimal | None, str]],
    user,
) -> int:
    """Store a unit's answers to the year's indicators: {indicator id: (value, note)}.

    A yes/no indicator takes True/False, a numeric one a Decimal; None withdraws the answer.
    Editable until the year is closed. Returns the number of answers changed.
    """
    cluster_year = _locked_year(cluster_year)
    _check_member(cluster_year, unit)
    indicators = {i.pk: i for i in cluster_year.indicators.all()}
    existing = {
        r.indicator_id: r
        for r in IndicatorReport.objects.select_for_update().filter(
            indicator__in=list(indicators), unit=unit
        )
    }
    changed = 0
    for indicator_id, (value, note) in values.items():
        indicator = indicators.get(indicator_id)
        if indicator is None:
            raise ValidationError(_("This indicator belongs to another year."))
        report = existing.get(indicator_id)
        note = (note or "").strip()
        if value is None:
            if report is not None:
                report._history_user = user
                report.delete()
                changed += 1
            continue
        if indicator.kind == Indicator.YES_NO:
            if not isinstance(value, bool):
                raise ValidationError({f"value_{indicator_id}": _("Answer yes or no.")})
            new: dict[str, bool | Decimal | None] = {"value_yes": value, "value_number": None}
        else:
            if isinstance(value, bool) or not isinstance(value, Decimal):
                raise ValidationError({f"value_{indicator_id}": _("Enter a number.")})
            new = {"value_yes": None, "value_number": value}
        if report is None:
            report = IndicatorReport(indicator=indicator, unit=unit)
        elif all(getattr(report, k) == v for k, v in new.items()) and report.note == note:
            continue
        for name, field_value in new.items():
            setattr(report, name, field_value)
        report.note = note
        report.reported_by = user
        report._history_user = user
        report.save()
        changed += 1
    return changed
