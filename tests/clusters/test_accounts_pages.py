"""Inviting from an Excel list, from a conference's people, and the people page's queries."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from clusters.models import Invitation, Person
from clusters.services_accounts import invite
from tests.clusters.factories import (
    ConferenceFactory,
    OfficerTermFactory,
    PersonFactory,
    UserFactory,
)
from tests.helpers import PDF, login, messages_of, year_kwargs

pytestmark = pytest.mark.django_db
BASE = "http://testserver/"


def workbook(rows, header=("Họ và tên", "Đơn vị", "Email", "Chức vụ")) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(["Danh sách cán bộ được mời"])  # a title row above the header
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    output = io.BytesIO()
    book.save(output)
    return SimpleUploadedFile(
        "moi.xlsx",
        output.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def import_url(world):
    return reverse("clusters:invitation_import", kwargs=year_kwargs(world.year))


def confirm_url(world):
    return reverse("clusters:invitation_import_confirm", kwargs=year_kwargs(world.year))


def test_the_preview_lists_each_rows_problems_and_invites_nothing(cluster_world, mailoutbox):
    units = cluster_world.units
    UserFactory(username="dacotk", email="da.co@tinh.vn")
    rows = [
        ("Nguyễn Văn An", units[3].short_name, "an@tinh.vn", "Chánh Văn phòng"),
        ("Trần Thị Bình", f"  {units[4].name.upper()} ", "Binh@Tinh.vn", ""),
        ("Lê Văn Cường", "Sở Không Có", "cuong@tinh.vn", ""),
        ("Phạm Thị Dung", units[3].short_name, "không-phải-email", ""),
        ("Võ Văn Em", units[3].short_name, "DA.CO@tinh.vn", ""),
        ("Đỗ Thị Giang", units[4].short_name, "an@tinh.vn", ""),
        (None, None, None, None),  # an empty row is skipped
        ("", units[3].short_name, "h@tinh.vn", ""),
    ]
    client = login(cluster_world.secretary)
    response = client.post(
        import_url(cluster_world), {"file": workbook(rows), "start_date": "01/01/2026"}
    )
    assert response.status_code == 200
    parsed = response.context["parsed"]
    assert [(r.row, r.problems) for r in parsed.rows] == [
        (3, []),
        (4, []),
        (5, ["“Sở Không Có” không phải là đơn vị thành viên của Cụm trong năm nay."]),
        (6, ["Hãy nhập một địa chỉ email hợp lệ."]),
        (7, ["Địa chỉ này đã được một tài khoản sử dụng."]),
        (8, ["Địa chỉ này đã có ở dòng 3."]),
        (10, ["Thiếu họ và tên."]),
    ]
    assert [(r.unit, r.email) for r in parsed.rows[:2]] == [
        (units[3], "an@tinh.vn"),
        (units[4], "binh@tinh.vn"),
    ]
    page = response.content.decode()
    assert "5 dòng có lỗi và sẽ không được mời" in page
    assert "Mời 2 người" in page
    # Leaving the preview (cancel) writes nothing.
    assert (Invitation.objects.count(), len(mailoutbox)) == (0, 0)
    assert not Person.objects.filter(full_name="Nguyễn Văn An").exists()


def test_confirm_invites_the_valid_rows_together(
    cluster_world, mailoutbox, django_capture_on_commit_callbacks
):
    units = cluster_world.units
    rows = [
        ("Nguyễn Văn An", units[3].short_name, "an@tinh.vn", "Chánh Văn phòng"),
        ("Trần Thị Bình", units[4].short_name, "binh@tinh.vn", ""),
        ("Lê Văn Cường", "Sở Không Có", "cuong@tinh.vn", ""),
    ]
    client = login(cluster_world.secretary)
    preview = client.post(
        import_url(cluster_world), {"file": workbook(rows), "start_date": "01/02/2026"}
    )
    token = preview.context["token"]
    response = client.post(confirm_url(cluster_world), {"token": "x" + token}, follow=True)
    assert messages_of(response) == ["Bản xem trước đã hết hiệu lực: hãy tải tệp lên lại."]
    assert Invitation.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirm_url(cluster_world), {"token": token}, follow=True)
    assert messages_of(response) == ["Đã gửi 2 lời mời."]
    assert response.redirect_chain == [(cluster_world.year.get_absolute_url(), 302)]
    invited = Invitation.objects.order_by("email").values_list(
        "email", "unit", "person__full_name", "position", "start_date"
    )
    assert list(invited) == [
        ("an@tinh.vn", units[3].pk, "Nguyễn Văn An", "Chánh Văn phòng", datetime.date(2026, 2, 1)),
        ("binh@tinh.vn", units[4].pk, "Trần Thị Bình", "", datetime.date(2026, 2, 1)),
    ]
    assert sorted(m.to[0] for m in mailoutbox) == ["an@tinh.vn", "binh@tinh.vn"]
    # The same preview cannot be confirmed twice.
    response = client.post(confirm_url(cluster_world), {"token": token}, follow=True)
    assert messages_of(response) == ["Bản xem trước đã hết hiệu lực: hãy tải tệp lên lại."]
    assert Invitation.objects.count() == 2


def test_confirm_invites_nothing_when_a_row_was_taken_meanwhile(
    cluster_world, mailoutbox, django_capture_on_commit_callbacks
):
    units = cluster_world.units
    rows = [
        ("Nguyễn Văn An", units[3].short_name, "an@tinh.vn", ""),
        ("Trần Thị Bình", units[4].short_name, "binh@tinh.vn", ""),
    ]
    client = login(cluster_world.secretary)
    preview = client.post(
        import_url(cluster_world), {"file": workbook(rows), "start_date": "01/02/2026"}
    )
    # Someone invites Bình from the unit's page between the preview and the confirmation.
    invite(
        unit=units[4],
        email="binh@tinh.vn",
        full_name="Trần Thị Bình",
        start_date=datetime.date(2026, 1, 1),
        invited_by=cluster_world.officer_b,
        base_url=BASE,
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            confirm_url(cluster_world), {"token": preview.context["token"]}, follow=True
        )
    # The confirmation parses the file again: Bình's row is now a bad row, An is invited.
    assert messages_of(response) == ["Đã gửi 1 lời mời."]
    assert sorted(Invitation.objects.values_list("email", flat=True)) == [
        "an@tinh.vn",
        "binh@tinh.vn",
    ]


def test_a_file_that_is_not_the_list_is_refused_at_the_field(cluster_world):
    client = login(cluster_world.secretary)
    pdf = SimpleUploadedFile("moi.xlsx", PDF, content_type="application/pdf")
    response = client.post(import_url(cluster_world), {"file": pdf, "start_date": "01/01/2026"})
    assert response.context["form"].errors == {
        "file": ["Nội dung tệp không khớp với phần mở rộng của tên tệp (.xlsx)."]
    }
    response = client.post(
        import_url(cluster_world),
        {"file": workbook([("a", "b", "c")], header=("Tên", "Nơi")), "start_date": "01/01/2026"},
    )
    assert list(response.context["form"].errors) == ["file"]
    assert response.context["form"].errors["file"][0].startswith("Không tìm thấy dòng tiêu đề")
    assert Invitation.objects.count() == 0


def test_only_the_secretariat_imports(cluster_world):
    url = import_url(cluster_world)
    response = login(None).get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    for user in (cluster_world.officer_a, cluster_world.outsider):
        assert login(user).get(url).status_code == 403
        assert login(user).post(confirm_url(cluster_world), {"token": "x"}).status_code == 403
    # Last year's secretariat: the closed year sends them back with a message.
    last = reverse("clusters:invitation_import", kwargs=year_kwargs(cluster_world.last_year))
    response = login(cluster_world.last_secretary).get(last)
    assert response.status_code == 302
    assert login(cluster_world.last_secretary).get(url).status_code == 403
    assert login(cluster_world.secretary).get(url).status_code == 200
    assert login(cluster_world.staff).get(url).status_code == 200


# --- A conference's people -------------------------------------------------------------------


def test_invite_a_delegate_in_one_click(
    cluster_world, mailoutbox, django_capture_on_commit_callbacks
):
    conference = ConferenceFactory(cluster_year=cluster_world.year)
    dung = PersonFactory(unit=cluster_world.units[3], full_name="Võ Thị Dung", email="dung@tinh.vn")
    no_mail = PersonFactory(unit=cluster_world.units[4], full_name="Hà Văn Hải")
    conference.delegates.set([dung, no_mail])
    url = reverse(
        "clusters:conference_person_invite",
        kwargs={"conference": conference.uuid, "person": dung.uuid},
    )
    client = login(cluster_world.secretary)
    page = client.get(conference.get_absolute_url()).content.decode()
    assert f'action="{url}"' in page
    assert "(chưa có email)" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert messages_of(response) == ["Đã mời Võ Thị Dung qua địa chỉ dung@tinh.vn."]
    assert Invitation.objects.get().person == dung
    assert mailoutbox[0].to == ["dung@tinh.vn"]
    assert f'action="{url}"' not in response.content.decode()  # now marked "invited"
    no_mail_url = reverse(
        "clusters:conference_person_invite",
        kwargs={"conference": conference.uuid, "person": no_mail.uuid},
    )
    response = client.post(no_mail_url, follow=True)
    assert messages_of(response) == ["Hà Văn Hải: Hãy nhập một địa chỉ email hợp lệ."]
    assert Invitation.objects.count() == 1


def test_only_the_secretariat_invites_from_the_conference(cluster_world):
    conference = ConferenceFactory(cluster_year=cluster_world.year)
    person = PersonFactory(unit=cluster_world.units[3], email="p@tinh.vn")
    url = reverse(
        "clusters:conference_person_invite",
        kwargs={"conference": conference.uuid, "person": person.uuid},
    )
    assert login(None).post(url).status_code == 302
    for user in (cluster_world.officer_a, cluster_world.outsider, cluster_world.last_secretary):
        assert login(user).post(url).status_code == 403
    assert Invitation.objects.count() == 0
    # A person of a unit outside the year's members is not found.
    stranger = PersonFactory(email="s@tinh.vn")
    url = reverse(
        "clusters:conference_person_invite",
        kwargs={"conference": conference.uuid, "person": stranger.uuid},
    )
    assert login(cluster_world.secretary).post(url).status_code == 404


def test_the_conference_form_groups_people_by_unit(cluster_world):
    conference = ConferenceFactory(cluster_year=cluster_world.year)
    PersonFactory(unit=cluster_world.units[3], full_name="Nguyễn Văn Bình")
    PersonFactory(unit=cluster_world.units[3], full_name="Trần Văn An")
    response = login(cluster_world.secretary).get(
        reverse("clusters:conference_edit", kwargs={"conference": conference.uuid})
    )
    choices = response.context["form"].fields["delegates"].choices
    group = dict(choices)[cluster_world.units[3].short_name]
    assert [label for _pk, label in group] == [
        "Trần Văn An (chưa có tài khoản)",
        "Nguyễn Văn Bình (chưa có tài khoản)",
    ]


# --- The people page's queries ----------------------------------------------------------------


def people_page(world, n: int):
    unit = world.units[3]
    for i in range(n):
        user = UserFactory()
        OfficerTermFactory(user=user, unit=unit)
        PersonFactory(unit=unit, user=user)
        invite(
            unit=unit,
            email=f"moi{n}_{i}@tinh.vn",
            full_name=f"Người Mới {i}",
            start_date=datetime.date(2026, 1, 1),
            invited_by=world.secretary,
            base_url=BASE,
        )
    return reverse("clusters:unit_people", kwargs={"unit": unit.uuid})


@pytest.mark.parametrize("n", [2, 8])
def test_the_people_page_makes_the_same_queries_at_any_size(
    cluster_world, n, django_assert_num_queries
):
    url = people_page(cluster_world, n)
    client = login(cluster_world.secretary)
    with django_assert_num_queries(19):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["accounts"].invitations) == n


def test_overlong_cells_are_row_problems(cluster_world):
    unit = cluster_world.units[3].short_name
    rows = [
        ("A" * 151, unit, "a@tinh.vn", ""),
        ("Nguyễn Văn B", unit, "b@tinh.vn", "C" * 201),
        ("Nguyễn Văn D", unit, "d" * 250 + "@tinh.vn", ""),
    ]
    response = login(cluster_world.secretary).post(
        import_url(cluster_world), {"file": workbook(rows), "start_date": "01/01/2026"}
    )
    assert [r.problems for r in response.context["parsed"].rows] == [
        ["Họ và tên dài quá 150 ký tự."],
        ["Chức vụ dài quá 200 ký tự."],
        ["Hãy nhập một địa chỉ email hợp lệ."],
    ]
    assert response.context["token"] == ""
    assert "Tải lên tệp đã sửa" in response.content.decode()


def test_a_mangled_person_link_is_not_found(cluster_world):
    url = reverse("clusters:invitation_create", kwargs={"unit": cluster_world.units[3].uuid})
    assert login(cluster_world.secretary).get(f"{url}?person=not-a-uuid").status_code == 404
