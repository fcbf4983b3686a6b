"""The one getter with its access check: 404 when the object is missing, 403 when refused; and a
service's refusal told to the user, one error message for each of its messages."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import ERROR, get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from common.views import flash_errors, get_object_for, require
from tests.clusters.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_require_refuses_with_the_access_message():
    with pytest.raises(PermissionDenied) as refused:
        require(UserFactory(), "auth.view_group", Group(name="x"))
    assert str(refused.value) == "Bạn không có quyền truy cập trang này."
    require(UserFactory(is_superuser=True), "auth.view_group", Group(name="x"))


def test_get_object_for_returns_the_object_to_whom_the_permission_is_granted():
    group = Group.objects.create(name="Thư ký")
    admin = UserFactory(is_superuser=True)
    assert get_object_for(admin, "auth.view_group", Group, pk=group.pk) == group
    assert get_object_for(admin, "auth.view_group", Group.objects.all(), name="Thư ký") == group


def test_get_object_for_answers_404_before_it_asks_for_the_permission():
    with pytest.raises(Http404):
        get_object_for(UserFactory(), "auth.view_group", Group, name="Không có")


def test_get_object_for_answers_403_when_the_permission_is_refused():
    group = Group.objects.create(name="Thư ký")
    with pytest.raises(PermissionDenied):
        get_object_for(UserFactory(), "auth.view_group", Group, pk=group.pk)


def _flashed(rf, error: ValidationError) -> list[tuple[int, str]]:
    request = rf.post("/")
    request._messages = CookieStorage(request)
    flash_errors(request, error)
    return [(message.level, str(message)) for message in get_messages(request)]


def test_flash_errors_tells_each_message_of_the_refusal_as_an_error(rf):
    assert _flashed(rf, ValidationError("Năm đã khóa sổ.")) == [(ERROR, "Năm đã khóa sổ.")]
    assert _flashed(rf, ValidationError(["Thiếu mục I.", "Trùng số 2."])) == [
        (ERROR, "Thiếu mục I."),
        (ERROR, "Trùng số 2."),
    ]


def test_flash_errors_tells_the_messages_of_every_field_too(rf):
    error = ValidationError({"title": "Trùng tên.", "__all__": ["Chung."]})
    assert sorted(_flashed(rf, error)) == [(ERROR, "Chung."), (ERROR, "Trùng tên.")]
