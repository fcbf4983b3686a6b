from django.contrib import admin

from common.admin import ReadOnlyAdmin

from .models import EmailOptOut, Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Written by the hand-offs only."""

    list_display = ["created_at", "user", "kind", "message", "read_at"]
    list_filter = ["kind", "created_at", "read_at"]
    search_fields = ["message", "user__username", "user__email"]
    raw_id_fields = ["user"]


@admin.register(EmailOptOut)
class EmailOptOutAdmin(admin.ModelAdmin):
    list_display = ["user", "kind"]
    list_filter = ["kind"]
    search_fields = ["user__username", "user__email"]
    raw_id_fields = ["user"]
