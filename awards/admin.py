"""Reference data and polls in the admin. Ballots, codes and receipts are deliberately absent:
nobody, administrators included, browses what was chosen."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from common.admin import ReadOnlyAdmin

from .models import (
    AwardType,
    Candidate,
    Certification,
    CheckIn,
    ClusterAwardSettings,
    CommitteeChair,
    Issuance,
    NominationRound,
    PaperCount,
    Poll,
    PollOption,
    Proposal,
    Quota,
    SignedScan,
)


@admin.register(AwardType)
class AwardTypeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "recipient", "cluster", "top_n_hint", "grade_hint"]
    search_fields = ["name", "cluster__name"]
    list_filter = ["recipient", "cluster"]


class QuotaInline(admin.TabularInline):
    model = Quota
    extra = 0


@admin.register(NominationRound)
class NominationRoundAdmin(SimpleHistoryAdmin):
    list_display = ["cluster_year", "status"]
    search_fields = ["cluster_year__cluster__name"]
    list_filter = ["status", "cluster_year__year"]
    inlines = [QuotaInline]


@admin.register(Quota)
class QuotaAdmin(SimpleHistoryAdmin):
    list_display = ["award_type", "quota", "round"]
    search_fields = ["award_type__name"]
    list_filter = ["award_type"]


@admin.register(Candidate)
class CandidateAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "award_type", "status", "round"]
    search_fields = ["unit__short_name", "person__full_name", "campaign_entry__title"]
    list_filter = ["status", "award_type"]
    raw_id_fields = ["unit", "person", "campaign_entry"]


def _draft(poll) -> bool:
    """A poll may be changed here only while in draft: from the open on, it goes forward through
    its states by the committee's pages alone (awards.services), and nothing here undoes one."""
    return poll is None or poll.is_draft


class PollOptionInline(admin.TabularInline):
    model = PollOption
    extra = 0
    raw_id_fields = ["candidate", "unit"]

    def has_add_permission(self, request, obj=None):
        return _draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return _draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _draft(obj) and super().has_delete_permission(request, obj)


@admin.register(CommitteeChair)
class CommitteeChairAdmin(SimpleHistoryAdmin):
    list_display = ["conference", "person"]
    search_fields = ["conference__title", "person__full_name"]
    list_filter = ["conference__cluster_year__cluster"]
    raw_id_fields = ["conference", "person"]


@admin.register(Poll)
class PollAdmin(SimpleHistoryAdmin):
    list_display = ["question", "kind", "seats", "status", "conference"]
    search_fields = ["question", "conference__title"]
    list_filter = ["status", "kind"]
    # The status is never edited here (not even in draft: opening makes the poll's key).
    readonly_fields = ["status", "frozen_rules", "rules_hash", "shares_needed"]
    inlines = [PollOptionInline]

    def has_change_permission(self, request, obj=None):
        return _draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Not from the list either (obj None): a bulk delete would not ask about each poll.
        return obj is not None and obj.is_draft and super().has_delete_permission(request, obj)


@admin.register(Issuance)
class IssuanceAdmin(ReadOnlyAdmin):
    """Written when a poll opens or a delegate checks in (awards.services.attendance); marked
    consumed by the cast that uses it."""

    list_display = ["person", "poll", "channel", "consumed"]
    search_fields = ["person__full_name", "poll__question"]
    list_filter = ["channel", "consumed"]


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdmin):
    """Written by the committee's check-in page only, which holds the ballots to it."""

    list_display = ["person", "conference", "channel", "checked_in_at", "checked_out_at"]
    search_fields = ["person__full_name", "conference__title"]
    list_filter = ["channel", "conference__cluster_year__year"]
    list_select_related = ["person", "conference"]


@admin.register(PaperCount)
class PaperCountAdmin(ReadOnlyAdmin):
    """Entered by the committee's members on the poll's page, twice, and compared there."""

    list_display = ["poll", "entered_by", "issued", "collected", "valid", "invalid"]
    search_fields = ["poll__question"]
    list_filter = ["poll__status"]


@admin.register(Certification)
class CertificationAdmin(ReadOnlyAdmin):
    """Each committee member certifies the count on the poll's page."""

    list_display = ["poll", "user", "certified_at"]
    search_fields = ["poll__question", "user__username"]
    list_filter = ["certified_at"]


@admin.register(PollOption)
class PollOptionAdmin(admin.ModelAdmin):
    """Added with their poll (its page or the inline above); changed only while it is a draft."""

    list_display = ["label", "poll", "position"]
    search_fields = ["label", "poll__question"]
    list_filter = ["poll__status"]
    raw_id_fields = ["poll", "candidate", "unit"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return _draft(obj and obj.poll) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return obj is not None and obj.poll.is_draft and super().has_delete_permission(request, obj)


@admin.register(Proposal)
class ProposalAdmin(SimpleHistoryAdmin):
    list_display = ["number", "round", "status", "decision_number", "decision_date"]
    search_fields = ["number", "decision_number"]
    list_filter = ["status"]


@admin.register(SignedScan)
class SignedScanAdmin(ReadOnlyAdmin):
    """Written by the proposal's and the poll's pages only, which keep each file's hash."""

    list_display = ["original_name", "proposal", "poll", "sha256", "uploaded_by", "uploaded_at"]
    search_fields = ["original_name", "sha256", "poll__question", "proposal__number"]
    list_filter = ["uploaded_at"]
    list_select_related = ["proposal__round__cluster_year__cluster", "poll", "uploaded_by"]


@admin.register(ClusterAwardSettings)
class ClusterAwardSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["cluster", "secrecy_threshold", "threshold_base", "comparator", "fraction"]
    search_fields = ["cluster__name"]
    list_filter = ["threshold_base", "tie_rule"]
