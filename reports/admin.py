from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from common.admin import ReadOnlyAdmin

from .models import (
    KeyFigure,
    ReportJob,
    ReportVersion,
    RollupPart,
    SignedSummary,
    UnitReport,
    YearSummary,
)


class KeyFigureInline(admin.TabularInline):
    model = KeyFigure
    extra = 0


@admin.register(UnitReport)
class UnitReportAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "cluster_year", "status", "submitted_at", "accepted_at"]
    list_filter = ["status", "cluster_year__year", "cluster_year__cluster"]
    search_fields = ["unit__name", "unit__short_name", "achievements", "limitations"]
    list_select_related = ["unit", "cluster_year__cluster"]
    raw_id_fields = ["submitted_by", "accepted_by"]
    inlines = [KeyFigureInline]


@admin.register(KeyFigure)
class KeyFigureAdmin(SimpleHistoryAdmin):
    list_display = ["label", "value", "measure", "report"]
    list_filter = ["report__cluster_year__year"]
    search_fields = ["label", "report__unit__name"]
    list_select_related = ["report__unit", "report__cluster_year__cluster"]
    raw_id_fields = ["report"]


@admin.register(YearSummary)
class YearSummaryAdmin(SimpleHistoryAdmin):
    list_display = ["cluster_year", "number", "published_at"]
    list_filter = ["cluster_year__year", "cluster_year__cluster"]
    search_fields = ["number", "key_tasks", "cluster_year__cluster__name"]
    list_select_related = ["cluster_year__cluster"]
    raw_id_fields = ["published_version"]


class ReportVersionInline(admin.StackedInline):
    model = ReportVersion
    extra = 0
    can_delete = False
    readonly_fields = ["number", "docx", "pdf", "xlsx", "hashes", "missing", "created_at"]


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    """Jobs are records of what ran: read-only here (the sweeper re-queues lost ones)."""

    list_display = ["kind", "year", "cluster_year", "status", "progress", "attempts", "created_at"]
    list_filter = ["kind", "status", "year"]
    search_fields = ["cluster_year__cluster__name", "error", "requested_by__username"]
    list_select_related = ["cluster_year__cluster"]
    readonly_fields = [f.name for f in ReportJob._meta.fields] + ["cluster_years"]
    inlines = [ReportVersionInline]

    def has_add_permission(self, request):
        return False


@admin.register(ReportVersion)
class ReportVersionAdmin(ReadOnlyAdmin):
    list_display = ["job", "cluster_year", "number", "created_at"]
    list_filter = ["job__kind", "job__year"]
    search_fields = ["cluster_year__cluster__name"]
    list_select_related = ["job", "cluster_year__cluster"]


@admin.register(RollupPart)
class RollupPartAdmin(ReadOnlyAdmin):
    list_display = ["job", "cluster_year", "created_at"]
    list_filter = ["job__year"]
    search_fields = ["cluster_year__cluster__name"]
    list_select_related = ["job", "cluster_year__cluster"]


@admin.register(SignedSummary)
class SignedSummaryAdmin(SimpleHistoryAdmin):
    list_display = ["original_name", "cluster_year", "uploaded_by", "uploaded_at"]
    list_filter = ["cluster_year__year", "cluster_year__cluster"]
    search_fields = ["original_name", "sha256", "cluster_year__cluster__name"]
    list_select_related = ["cluster_year__cluster", "uploaded_by"]
    readonly_fields = ["sha256", "size", "uploaded_at"]
    raw_id_fields = ["based_on", "uploaded_by"]
