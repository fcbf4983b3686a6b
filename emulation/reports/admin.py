from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import KeyFigure, ReportJob, ReportVersion, SignedSummary, UnitReport, YearSummary


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


@admin.register(YearSummary)
class YearSummaryAdmin(SimpleHistoryAdmin):
    list_display = ["cluster_year", "number", "published_at"]
    list_select_related = ["cluster_year__cluster"]
    raw_id_fields = ["published_version"]


class ReportVersionInline(admin.StackedInline):
    model = ReportVersion
    extra = 0
    can_delete = False
    readonly_fields = ["number", "docx", "pdf", "xlsx", "hashes", "missing", "created_at"]


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    """Jobs are records of what ran: read-only here, except to fail or re-queue by hand
    through the shell."""

    list_display = ["kind", "year", "cluster_year", "status", "progress", "attempts", "created_at"]
    list_filter = ["kind", "status", "year"]
    list_select_related = ["cluster_year__cluster"]
    readonly_fields = [f.name for f in ReportJob._meta.fields] + ["cluster_years"]
    inlines = [ReportVersionInline]

    def has_add_permission(self, request):
        return False


@admin.register(SignedSummary)
class SignedSummaryAdmin(SimpleHistoryAdmin):
    list_display = ["original_name", "cluster_year", "uploaded_by", "uploaded_at"]
    list_select_related = ["cluster_year__cluster", "uploaded_by"]
    readonly_fields = ["sha256", "size", "uploaded_at"]
    raw_id_fields = ["based_on", "uploaded_by"]
