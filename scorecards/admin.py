from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Campaign,
    CampaignEntry,
    CriteriaSet,
    Criterion,
    Evidence,
    GradeBand,
    Indicator,
    IndicatorReport,
    Pledge,
    PledgeSignature,
    RankingPublication,
    ReminderLog,
    Score,
    Scorecard,
    ScoringPolicy,
    YearDeadline,
)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["number", "parent", "text", "kind", "max_points", "evidence_required", "position"]
    show_change_link = True


@admin.register(CriteriaSet)
class CriteriaSetAdmin(SimpleHistoryAdmin):
    list_display = ["cluster_year", "version", "status", "published_at"]
    search_fields = ["cluster_year__cluster__name", "title", "change_reason"]
    list_filter = ["status", "cluster_year__cluster", "cluster_year__year"]
    list_select_related = ["cluster_year__cluster"]
    inlines = [CriterionInline]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["number", "text", "kind", "max_points", "evidence_required", "criteria_set"]
    search_fields = ["number", "text", "guidance"]
    list_filter = ["kind", "evidence_required", "criteria_set__cluster_year__year"]
    list_select_related = ["criteria_set__cluster_year__cluster"]
    raw_id_fields = ["parent", "criteria_set"]


@admin.register(ScoringPolicy)
class ScoringPolicyAdmin(SimpleHistoryAdmin):
    list_display = ["cluster", "tie_breaks"]
    search_fields = ["cluster__name"]
    list_filter = ["cluster"]


@admin.register(GradeBand)
class GradeBandAdmin(SimpleHistoryAdmin):
    list_display = ["name", "min_total", "cluster"]
    search_fields = ["name", "cluster__name"]
    list_filter = ["cluster"]


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0
    fields = ("criterion", "self_score", "reviewed_score", "final_score", "review_reason")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Scorecard)
class ScorecardAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "cluster_year", "status", "submitted_at", "needs_reconfirm"]
    search_fields = ["unit__name", "unit__short_name", "cluster_year__cluster__name"]
    list_filter = ["status", "needs_reconfirm", "cluster_year__cluster", "cluster_year__year"]
    list_select_related = ["unit", "cluster_year__cluster"]
    raw_id_fields = ["criteria_set"]
    inlines = [ScoreInline]


@admin.register(Score)
class ScoreAdmin(SimpleHistoryAdmin):
    list_display = ["scorecard", "criterion", "self_score", "reviewed_score", "final_score"]
    search_fields = ["scorecard__unit__short_name", "criterion__text", "review_reason"]
    list_filter = ["scorecard__cluster_year__year", "scorecard__status"]
    list_select_related = ["scorecard__unit", "scorecard__cluster_year", "criterion"]
    raw_id_fields = ["scorecard", "criterion"]


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = ["original_name", "score", "size", "uploaded_by", "uploaded_at"]
    search_fields = ["original_name", "sha256"]
    list_filter = ["uploaded_at"]
    raw_id_fields = ["score"]


@admin.register(RankingPublication)
class RankingPublicationAdmin(SimpleHistoryAdmin):
    list_display = ["cluster_year", "published_at", "published_by"]
    search_fields = ["cluster_year__cluster__name"]
    list_filter = ["cluster_year__cluster", "cluster_year__year"]


class PledgeSignatureInline(admin.TabularInline):
    model = PledgeSignature
    extra = 0


@admin.register(Pledge)
class PledgeAdmin(SimpleHistoryAdmin):
    list_display = ["cluster_year"]
    search_fields = ["cluster_year__cluster__name", "text"]
    list_filter = ["cluster_year__cluster", "cluster_year__year"]
    inlines = [PledgeSignatureInline]


@admin.register(PledgeSignature)
class PledgeSignatureAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "pledge", "signed_by", "signed_at"]
    search_fields = ["unit__name", "unit__short_name"]
    list_filter = ["pledge__cluster_year__year"]


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ["title", "cluster_year", "start_date", "end_date"]
    search_fields = ["title", "description"]
    list_filter = ["cluster_year__cluster", "cluster_year__year"]


@admin.register(CampaignEntry)
class CampaignEntryAdmin(SimpleHistoryAdmin):
    list_display = ["title", "unit", "campaign", "shortlisted", "submitted_at"]
    search_fields = ["title", "description", "unit__short_name"]
    list_filter = ["shortlisted", "campaign"]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["text", "kind", "as_of", "cluster_year"]
    search_fields = ["text"]
    list_filter = ["kind", "cluster_year__cluster", "cluster_year__year"]


@admin.register(IndicatorReport)
class IndicatorReportAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "unit", "value_yes", "value_number", "reported_at"]
    search_fields = ["indicator__text", "unit__short_name"]
    list_filter = ["indicator", "value_yes"]


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ["kind", "cluster_year", "unit", "deadline", "sent_on"]
    search_fields = ["kind", "unit__short_name"]
    list_filter = ["kind", "sent_on"]


@admin.register(YearDeadline)
class YearDeadlineAdmin(SimpleHistoryAdmin):
    list_display = ["title", "date", "cluster_year"]
    search_fields = ["title", "note"]
    list_filter = ["cluster_year__cluster", "cluster_year__year"]
