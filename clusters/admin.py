from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from common.admin import ReadOnlyAdmin

from .forms import MembershipInlineFormSet, UnitAdminForm
from .models import (
    Cluster,
    ClusterYear,
    Conference,
    Invitation,
    LeadershipAssignment,
    LeadershipRole,
    Membership,
    OfficerTerm,
    Person,
    RotationSlot,
    SecretariatStaff,
    Supervision,
    Unit,
)
from .services import save_unit

admin.site.site_header = _("Emulation cluster administration")
admin.site.site_title = _("Emulation cluster")
admin.site.index_title = _("Reference data")


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipInlineFormSet
    extra = 0
    autocomplete_fields = ["unit"]


class LeadershipRoleInline(admin.TabularInline):
    model = LeadershipRole
    extra = 0


class RotationInline(admin.TabularInline):
    model = RotationSlot
    extra = 0
    autocomplete_fields = ["unit"]


class SupervisionInline(admin.TabularInline):
    model = Supervision
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Cluster)
class ClusterAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name", "sector", "supervising_body"]
    search_fields = ["name", "sector", "supervising_body"]
    list_filter = ["sector", "supervising_body"]
    inlines = [LeadershipRoleInline, RotationInline, MembershipInline, SupervisionInline]


class PredecessorInline(admin.TabularInline):
    model = Unit
    fk_name = "successor"
    fields = ("name", "valid_until", "succession_kind")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = _("predecessor")
    verbose_name_plural = _("predecessors")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["short_name", "name", "province", "valid_from", "valid_until", "successor"]
    search_fields = ["name", "short_name", "province"]
    list_filter = ["succession_kind", "memberships__cluster"]
    autocomplete_fields = ["successor"]
    inlines = [PredecessorInline, MembershipInline]
    form = UnitAdminForm

    def save_model(self, request, obj, form, change):
        # The service keeps the existence consistent and ends what the user chose to end.
        save_unit(
            unit=obj,
            end_dependents=form.cleaned_data.get("end_dependents", False),
            user=request.user,
        )


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "cluster", "start_year", "end_year"]
    search_fields = ["unit__name", "unit__short_name", "cluster__name"]
    list_filter = ["cluster", "start_year", "end_year"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit", "cluster"]


class LeadershipInline(admin.TabularInline):
    model = LeadershipAssignment
    extra = 0
    autocomplete_fields = ["unit"]
    fields = ["role", "unit", "decided_at", "override_reason", "note"]


class SecretariatStaffInline(admin.TabularInline):
    model = SecretariatStaff
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(ClusterYear)
class ClusterYearAdmin(SimpleHistoryAdmin):
    list_display = ["cluster", "year", "status", "scorecard_deadline"]
    search_fields = ["cluster__name", "year", "plan_title"]
    list_filter = ["status", "cluster", "year"]
    inlines = [LeadershipInline, SecretariatStaffInline]
    list_select_related = ["cluster"]


@admin.register(LeadershipRole)
class LeadershipRoleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "rank", "cluster"]
    search_fields = ["name"]
    list_filter = ["cluster", "kind"]


@admin.register(RotationSlot)
class RotationSlotAdmin(SimpleHistoryAdmin):
    list_display = ["position", "unit", "cluster"]
    search_fields = ["unit__name", "unit__short_name"]
    list_filter = ["cluster"]
    autocomplete_fields = ["unit"]


@admin.register(LeadershipAssignment)
class LeadershipAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["cluster_year", "role", "unit", "decided_at", "confirmed_by"]
    search_fields = ["unit__name", "unit__short_name", "cluster_year__cluster__name"]
    list_filter = ["cluster_year__cluster", "cluster_year__year", "role__kind"]
    autocomplete_fields = ["unit"]
    list_select_related = ["cluster_year__cluster", "role", "unit", "decided_at", "confirmed_by"]


@admin.register(Conference)
class ConferenceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "date", "place", "host_unit", "cluster_year"]
    search_fields = ["title", "place", "host_unit__name"]
    list_filter = ["kind", "cluster_year__cluster", "cluster_year__year"]
    autocomplete_fields = ["host_unit"]
    filter_horizontal = ["attending_units", "attendees", "delegates", "counting_committee"]
    list_select_related = ["host_unit", "cluster_year__cluster"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "position", "unit", "gender", "birth_year", "user"]
    search_fields = ["full_name", "position", "unit__name", "email"]
    list_filter = ["gender", "unit"]
    autocomplete_fields = ["unit", "user"]
    list_select_related = ["unit", "user"]


@admin.register(OfficerTerm)
class OfficerTermAdmin(SimpleHistoryAdmin):
    list_display = ["user", "unit", "start_date", "end_date"]
    search_fields = ["user__username", "user__last_name", "user__first_name", "unit__name"]
    list_filter = ["unit"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]


@admin.register(Supervision)
class SupervisionAdmin(SimpleHistoryAdmin):
    list_display = ["user", "cluster"]
    search_fields = ["user__username", "user__last_name", "cluster__name"]
    list_filter = ["cluster"]
    autocomplete_fields = ["user"]


@admin.register(SecretariatStaff)
class SecretariatStaffAdmin(SimpleHistoryAdmin):
    list_display = ["user", "cluster_year"]
    search_fields = ["user__username", "user__last_name", "cluster_year__cluster__name"]
    list_filter = ["cluster_year__cluster", "cluster_year__year"]
    autocomplete_fields = ["user"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    """Written by the invitation services only: the link's token exists nowhere but in the
    email, so an invitation made here could never be accepted."""

    list_display = ["email", "unit", "person", "start_date", "created_at", "accepted_at"]
    search_fields = ["email", "person__full_name", "unit__name"]
    list_filter = ["unit", "accepted_at", "cancelled_at"]
    list_select_related = ["unit", "person"]
    exclude = ["token_hash"]
