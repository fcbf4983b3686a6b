from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from common.forms import add_errors

from . import services
from .forms import EmailChoicesForm
from .selectors import email_kinds, notifications_of

PAGE_SIZE = 20


@login_required
@require_http_methods(["GET"])
def notification_list(request):
    page = Paginator(notifications_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_http_methods(["GET"])
def notification_open(request, notification):
    """Opening a notification marks it read and goes where it points. Only among the account's
    own: anyone else's is not found (404), an admin's request too, since opening one marks it
    read for its owner."""
    found = get_object_or_404(notifications_of(request.user), uuid=notification)
    services.open_notification(notification=found)
    safe = url_has_allowed_host_and_scheme(
        found.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(found.url if found.url and safe else "notifications:list")


@login_required
@require_http_methods(["POST"])
def notification_read_all(request):
    count = services.mark_all_read(user=request.user)
    if count:
        messages.success(request, _("Every notification is marked read."))
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def email_choices(request):
    if request.method == "POST":
        form = EmailChoicesForm(request.POST)
        if form.is_valid():
            try:
                services.save_email_choices(
                    user=request.user, email_kinds=set(form.cleaned_data["email_kinds"])
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Your email choices are saved."))
                return redirect("notifications:email_choices")
    else:
        form = EmailChoicesForm(initial={"email_kinds": sorted(email_kinds(request.user))})
    return render(request, "notifications/email_choices.html", {"form": form})


app_name = "notifications"
urlpatterns = [
    path("notifications/", notification_list, name="list"),
    path("notifications/read-all/", notification_read_all, name="read_all"),
    path("notifications/email/", email_choices, name="email_choices"),
    path("notifications/<uuid:notification>/", notification_open, name="open"),
]
