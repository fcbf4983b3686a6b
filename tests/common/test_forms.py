"""The one step from a service's ValidationError to a form's errors."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from common.forms import BootstrapFieldsMixin, add_errors, error_messages


class NoteForm(forms.Form):
    title = forms.CharField()
    note = forms.CharField(required=False)


class LightNoteForm(BootstrapFieldsMixin, NoteForm):
    pass


def _bound(form_class=NoteForm):
    form = form_class({"title": "Hội nghị", "note": ""})
    assert form.is_valid()
    return form


def test_error_messages_keys_the_messages_by_field_and_none_for_the_rest():
    assert error_messages(ValidationError("Năm đã khoá.")) == {None: ["Năm đã khoá."]}
    assert error_messages(ValidationError(["Một.", "Hai."])) == {None: ["Một.", "Hai."]}
    error = ValidationError({"title": ["Trùng tên."], NON_FIELD_ERRORS: ["Chung."]})
    assert error_messages(error) == {"title": ["Trùng tên."], None: ["Chung."]}


def test_a_plain_message_becomes_a_non_field_error():
    form = _bound()
    add_errors(form, ValidationError("Năm đã khoá."))
    assert form.errors == {NON_FIELD_ERRORS: ["Năm đã khoá."]}


def test_field_errors_go_next_to_their_field_and_unknown_keys_to_the_top():
    form = _bound()
    error = ValidationError(
        {"title": ["Trùng tên.", "Quá dài."], "role_7": ["Chọn một đơn vị."], "note": "Thiếu."}
    )
    add_errors(form, error)
    assert form.errors == {
        "title": ["Trùng tên.", "Quá dài."],
        NON_FIELD_ERRORS: ["Chọn một đơn vị."],
        "note": ["Thiếu."],
    }
    assert form.cleaned_data == {}


def test_others_collects_what_belongs_to_no_field_instead_of_the_form():
    form = _bound()
    others = ["Đã có lỗi trước."]
    add_errors(
        form, ValidationError({"title": "Trùng tên.", "file": "Tệp quá lớn."}), others=others
    )
    assert form.errors == {"title": ["Trùng tên."]}
    assert others == ["Đã có lỗi trước.", "Tệp quá lớn."]
    add_errors(form, ValidationError("Hết hạn."), others=others)
    assert others == ["Đã có lỗi trước.", "Tệp quá lớn.", "Hết hạn."]


def test_light_forms_mark_the_fields_a_service_refused():
    form = _bound(LightNoteForm)
    add_errors(form, ValidationError({"title": "Trùng tên."}))
    assert form.fields["title"].widget.attrs == {
        "class": "form-control is-invalid",
        "aria-invalid": "true",
    }
    assert form.fields["note"].widget.attrs == {"class": "form-control"}
