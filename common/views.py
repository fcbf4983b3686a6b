"""View helpers shared by every app: the access check, the getter that makes it, and a service's
refusal told to the user."""

from typing import TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

M = TypeVar("M", bound=Model)


def require(user, perm: str, obj) -> None:
    """403 unless `user` has the permission `perm` (a rule of an app's rules.py) on `obj`."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied(_("You do not have access to this page."))


def get_object_for(user, perm: str, queryset: type[M] | QuerySet[M], **lookup) -> M:
    """The object of `queryset` (or of a model) that matches `lookup`, for a user who has `perm`
    on it: 404 when there is none, 403 when the permission is refused."""
    obj = get_object_or_404(queryset, **lookup)
    require(user, perm, obj)
    return obj


def flash_errors(request, error: ValidationError) -> None:
    """Tell the user why a service refused: each message of `error` as an error message, for a
    page that redirects instead of showing a form again."""
    for message in error.messages:
        messages.error(request, message)
