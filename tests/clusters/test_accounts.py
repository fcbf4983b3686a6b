"""Officer accounts without the Django admin: invitations, accepting them, ending terms, sign-in
with the email address, password reset."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from clusters.models import Invitation, Membership, OfficerTerm, Person
from clusters.services_accounts import (
    accept_invitation,
    cancel_invitation,
    end_officer_term,
    invite,
    resend_invitation,
    token_hash,
)
from tests.clusters.factories import (
    OfficerTermFactory,
    PersonFactory,
    SupervisionFactory,
    UserFactory,
)
from tests.helpers import login, messages_of

pytestmark = pytest.mark.django_db
User = get_user_model()
BASE = "http://testserver/"
START = datetime.date(2026, 1, 1)
PASSWORD = "Sen-vang-2026"


def token_of(mail) -> str:
    """The token of the invitation link in an email."""
    match = re.search(r"/invitations/accept/([^/\s]+)/", mail.body)
    assert match, mail.body
    return match.group(1)


def invite_an(world, mailoutbox, capture, **kwargs) -> tuple[Invitation, str]:
    fields = {
        "unit": world.units[3],
        "email": "An.Nguyen@Tinh.vn",
        "full_name": "Nguyễn Thị  An",
        "position": "Chánh Văn phòng",
        "start_date": START,
        "invited_by": world.secretary,
        "base_url": BASE,
    }
    fields.update(kwargs)
    with capture(execute=True):
        invitation = invite(**fields)
    return invitation, token_of(mailoutbox[-1])


# --- Services --------------------------------------------------------------------------------


def test_invite_records_the_person_and_emails_the_link(
    cluster_world, mailoutbox, django_capture_on_commit_callbacks
):
    invitation, token = invite_an(cluster_world, mailoutbox, django_capture_on_commit_callbacks)
    person = invitation.person
    assert (person.full_name, person.unit, person.position, person.email, person.user) == (
        "Nguyễn Thị An",
        cluster_world.units[3],
        "Chánh Văn phòng",
        "an.nguyen@tinh.vn",
        None,
    )
    assert invitation.email == "an.nguyen@tinh.vn"
    assert invitation.start_date == START
    assert invitation.invited_by == cluster_world.secretary
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=14)
    # Only the hash is stored; the link carries the token.
    assert invitation.token_hash == token_hash(token)
    assert token not in invitation.token_hash
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["an.nguyen@tinh.vn"]
    assert mail.subject == (
        f"Lời mời sử dụng phần mềm Cụm thi đua ({cluster_world.units[3].short_name})"
    )
    assert f"{BASE}invitations/accept/{token}/" in mail.body
    assert "Kính gửi đồng chí Nguyễn Thị An," in mail.body
    assert "từ ngày 01/01/2026" in mail.body


def test_invite_refuses_an_address_in_use_and_saves_nothing(
    cluster_world, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(username="cu", email="Da.Co@Tinh.vn")
    people = Person.objects.count()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as err:
        invite(
            unit=cluster_world.units[3],
            email="da.co@tinh.VN",
            full_name="Trần Văn Bình",
            start_date=START,
            invited_by=cluster_world.secretary,
            base_url=BASE,
        )
    assert err.value.message_dict == {"email": ["Địa chỉ này đã được một tài khoản sử dụng."]}
    assert (Person.objects.count(), Invitation.objects.count(), len(mailoutbox)) == (people, 0, 0)


def test_invite_refuses_a_second_invitation_of_an_address(
    cluster_world, mailoutbox, django_capture_on_commit_callbacks
):
    invite_an(cluster_world, mailoutbox, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as err:
        invite(
            unit=cluster_world.units[4],
            email="an.nguyen@tinh.vn",
            full_name="Nguyễn Thị An",
            start_date=START,
            invited_by=cluster_world.secretary,
            base_url=BASE,
        )
    assert err.value.message_dict == {
        "email": [
            f"Địa chỉ này đã được mời vào {cluster_world.units[3].short_name}: hãy gửi lại "
            "hoặc hủy lời mời đó."
        ]
    }
    assert Invitation.objects.count() == 1


def test_invite_refuses_a_term_outside_the_units_existence(cluster_world):
    unit = cluster_world.units[3]
    unit.valid_from = datetime.date(2019, 1, 1)
    unit.valid_until = datetime.date(2025, 6, 30)
    unit.save()
    people = Person.objects.count()
    for day, message in (
        (
            datetime.date(2018, 12, 31),
            f"{unit.short_name} chưa tồn tại vào ngày này (đơn vị tồn tại từ ngày 01/01/2019).",
        ),
        (
            datetime.date(2025, 7, 1),
            f"{unit.short_name} đã chấm dứt tồn tại từ ngày 30/06/2025: không thể bắt đầu làm "
            "cán bộ đơn vị sau ngày đó.",
        ),
    ):
        with pytest.raises(ValidationError) as err:
            invite(
                unit=unit,
                email="moi@tinh.vn",
                full_name="Lê Văn Mới",
                start_date=day,
                invited_by=cluster_world.secretary,
                base_url=BASE,
            )
        assert err.value.message_dict == {"start_date": [message]}
    assert (Person.objects.count(), Invitation.objects.count()) == (people, 0)


def test_invite_refuses_bad_fields_together(cluster_world):
    other = PersonFactory(unit=cluster_world.units[4])
    with pytest.raises(ValidationError) as err:
        invite(
            unit=cluster_world.units[3],
            email="không phải email",
            person=other,
            start_date=START,
            invited_by=cluster_world.secretary,
            base_url=BASE,
        )
    assert err.value.message_dict == {
        "email": ["Hãy nhập một địa chỉ email hợp lệ."],
        "person": [f"Người này không thuộc {cluster_world.units[3].short_name}."],
    }
    with pytest.raises(ValidationError) as err:
        invite(
            unit=cluster_world.units[3],
            email="ok@tinh.vn",
            full_name="  ",
            start_date=START,
            invited_by=cluster_world.secretary,
            base_url=BASE,
        )
    assert err.value.message_dict == {"full_name": ["Hãy nhập họ và tên của người được mời."]}


def test_accept_creates_the_account_and_the_officer_term(
    cluster_world, mailoutbox, django_capture_on_commit_callbacks
):
    invitation, token = invite_an(cluster_world, mailoutbox, django_capture_on_commit_callbacks)
    user = accept_invitation(token=token, password=PASSWORD)
    assert (user.username, user.email, user.first_name, user.last_name) == (
        "an.nguyen@tinh.vn",
        "an.nguyen@tinh.vn",
        "An",
        "Nguyễn Thị",
    )
    assert user.check_password(PASSWORD)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert invitation.person.user == user
    terms = list(
        OfficerTerm.objects.filter(user=user).values_list("unit", "start_date", "end_date")
    )
    assert terms == [(cluster_world.units[3].pk, START, None)]


def test_accept_ends_the_term_with_the_unit(
    cluster_world, mailoutbox, django_capture_on_commit_callbacks
):
    unit = cluster_world.units[3]
    unit.valid_until = datetime.date(2026, 6, 30)
    unit.save()
    _invitation, token = invite_an(cluster_world, mailoutbox, django_capture_on_commit_callbacks)
    user = accept_invitation(token=token, password=PASSWORD)
    assert OfficerTerm.objects.get(user=user).end_date == datetime.date(2026, 6, 30)


def test_a_link_works_once(cluster_world, mailoutbox, django_capture_on_commit_callbacks):
    _invitation, token = invite_an(cluster_world, mailoutbox, django_capture_on_commit_callbacks)
    accept_invitation(token=token, password=PASSWORD)
    with pytest.raises(ValidationError) as err:
        accept_invitation(token=token, password="Another-pass-99")
    assert err.value.messages == [
        "Lời mời này đã được sử dụng. Hãy đăng nhập bằng địa chỉ email của bạn."
    ]
    assert User.objects.filter(email="an.nguyen@tinh.vn").count() == 1


def test_an_expired_or_tampered_link_creates_nothing(
    cluster_world, mailoutbox, django_capture_on_commit_callbacks
):
    invitation, token = invite_an(cluster_world, mailoutbox, django_capture_on_commit_callbacks)
    later = invitation.expires_at + datetime.timedelta(seconds=1)
    with pytest.raises(ValidationError) as err:
        accept_invitation(token=token, password=PASSWORD, now=later)
    day = timezone.localtime(invitation.expires_at).strftime("%d/%m/%Y")
    assert err.value.messages == [
        f"Lời mời này đã hết hạn ngày {day}. Hãy đề nghị gửi lại lời mời."
    ]
    with pytest.raises(ValidationError) as err:
        accept_invitation(token=token[:-1] + ("A" if token[-1] != "A" else "B"), password=PASSWORD)
    assert err.value.messages[0].startswith("Liên kết mời này không hợp lệ.")
    assert not User.objects.filter(email="an.nguyen@tinh.vn").exists()


def test_accept_refuses_a_weak_password_at_the_field(
    cluster_world, mailoutbox, django_capture_on_commit_callbacks
):
    _invitation, token = invite_an(cluster_world, mailoutbox, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as err:
        accept_invitation(token=token, password="12345678")
    assert list(err.value.message_dict) == ["new_password1"]
    assert len(err.value.message_dict["new_password1"]) == 2  # too common, entirely numeric
    assert not User.objects.filter(email="an.nguyen@tinh.vn").exists()
    assert not OfficerTerm.objects.filter(unit=cluster_world.units[3], start_date=START).exists()


def test_resend_replaces_the_link_and_cancel_ends_it(
    cluster_world, mailoutbox, django_capture_on_commit_callbacks
):
    invitation, old = invite_an(cluster_world, mailoutbox, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        resend_invitation(invitation=invitation, user=cluster_world.secretary, base_url=BASE)
    new = token_of(mailoutbox[-1])
    assert (len(mailoutbox), new != old) == (2, True)
    with pytest.raises(ValidationError):
        accept_invitation(token=old, password=PASSWORD)
    cancel_invitation(invitation=invitation, user=cluster_world.secretary)
    with pytest.raises(ValidationError) as err:
        accept_invitation(token=new, password=PASSWORD)
    assert err.value.messages == [
        "Lời mời này đã bị hủy. Hãy đề nghị người đã mời bạn gửi lời mời mới."
    ]
    with pytest.raises(ValidationError) as err:
        resend_invitation(invitation=invitation, user=cluster_world.secretary, base_url=BASE)
    assert err.value.messages == ["Lời mời này không còn hiệu lực."]
    # The address may be invited again once the invitation is cancelled.
    invite_an(cluster_world, mailoutbox, django_capture_on_commit_callbacks)
    assert Invitation.objects.count() == 2


def test_end_term_refuses_a_day_before_its_start(cluster_world):
    term = OfficerTerm.objects.get(user=cluster_world.officer_a)
    with pytest.raises(ValidationError) as err:
        end_officer_term(
            term=term, end_date=datetime.date(2017, 12, 31), user=cluster_world.secretary
        )
    assert err.value.message_dict == {
        "end_date": [
            "Thời gian làm cán bộ đơn vị bắt đầu từ ngày 01/01/2018: không thể kết thúc trước "
            "ngày đó."
        ]
    }
    term.refresh_from_db()
    assert term.end_date is None
    end_officer_term(term=term, end_date=datetime.date(2021, 6, 30), user=cluster_world.secretary)
    term.refresh_from_db()
    assert term.end_date == datetime.date(2021, 6, 30)
    assert term.history.first().history_user == cluster_world.secretary


# --- Views: who may -------------------------------------------------------------------------


def _urls(world, invitation, term):
    unit = world.units[3]
    return [
        ("get", reverse("clusters:invitation_create", kwargs={"unit": unit.uuid})),
        ("post", reverse("clusters:invitation_resend", kwargs={"invitation": invitation.uuid})),
        ("post", reverse("clusters:invitation_cancel", kwargs={"invitation": invitation.uuid})),
        ("get", reverse("clusters:term_end", kwargs={"unit": unit.uuid, "term": term.uuid})),
    ]


def test_the_wrong_people_are_refused(
    cluster_world, mailoutbox, django_capture_on_commit_callbacks
):
    invitation, _token = invite_an(cluster_world, mailoutbox, django_capture_on_commit_callbacks)
    term = OfficerTerm.objects.get(user=cluster_world.officer_a)
    urls = _urls(cluster_world, invitation, term)
    for method, url in urls:
        response = getattr(login(None), method)(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        for user in (cluster_world.officer_b, cluster_world.outsider, cluster_world.last_secretary):
            response = getattr(login(user), method)(url)
            assert response.status_code == 403, (user, url)
    supervisor = SupervisionFactory(cluster=cluster_world.cluster).user
    admin = UserFactory(is_superuser=True)
    for user in (cluster_world.secretary, cluster_world.officer_a, supervisor, admin):
        assert login(user).get(urls[0][1]).status_code == 200
        assert login(user).get(urls[3][1]).status_code == 200
    invitation.refresh_from_db()
    assert invitation.is_pending
    assert len(mailoutbox) == 1


def test_an_ended_officer_may_no_longer_invite(cluster_world):
    ended = UserFactory()
    OfficerTermFactory(
        user=ended, unit=cluster_world.units[3], end_date=datetime.date(2022, 12, 31)
    )
    url = reverse("clusters:invitation_create", kwargs={"unit": cluster_world.units[3].uuid})
    assert login(ended).get(url).status_code == 403


# --- Views: the pages ------------------------------------------------------------------------


def test_invite_from_the_people_page(cluster_world, mailoutbox, django_capture_on_commit_callbacks):
    unit = cluster_world.units[3]
    client = login(cluster_world.officer_a)
    url = reverse("clusters:invitation_create", kwargs={"unit": unit.uuid})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "full_name": "Phạm Văn Cường",
                "email": "cuong@tinh.vn",
                "position": "Phó Chánh Văn phòng",
                "start_date": "01/03/2026",
            },
            follow=True,
        )
    assert response.redirect_chain == [
        (reverse("clusters:unit_people", kwargs={"unit": unit.uuid}), 302)
    ]
    assert messages_of(response) == ["Đã gửi lời mời tới cuong@tinh.vn."]
    invitation = Invitation.objects.get()
    assert (invitation.person.full_name, invitation.start_date, invitation.invited_by) == (
        "Phạm Văn Cường",
        datetime.date(2026, 3, 1),
        cluster_world.officer_a,
    )
    assert invitation.invited_by == cluster_world.officer_a
    page = response.content.decode()
    assert "Lời mời đang chờ" in page and "cuong@tinh.vn" in page
    assert mailoutbox[0].to == ["cuong@tinh.vn"]


def test_an_address_in_use_is_refused_at_the_field(cluster_world, mailoutbox):
    unit = cluster_world.units[3]
    url = reverse("clusters:invitation_create", kwargs={"unit": unit.uuid})
    people = Person.objects.count()
    response = login(cluster_world.secretary).post(
        url,
        {
            "full_name": "Phạm Văn Cường",
            "email": cluster_world.officer_b.email.upper(),
            "start_date": "01/03/2026",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "email": ["Địa chỉ này đã được một tài khoản sử dụng."]
    }
    assert (Person.objects.count(), Invitation.objects.count(), len(mailoutbox)) == (people, 0, 0)


def test_garbage_input_is_refused_at_the_fields(cluster_world):
    url = reverse("clusters:invitation_create", kwargs={"unit": cluster_world.units[3].uuid})
    response = login(cluster_world.secretary).post(
        url, {"full_name": "", "email": "x@", "start_date": "31/02/2026"}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"full_name", "email", "start_date"}
    assert Invitation.objects.count() == 0


def test_invite_a_person_recorded_without_an_account(
    cluster_world, mailoutbox, django_capture_on_commit_callbacks
):
    unit = cluster_world.units[3]
    person = PersonFactory(unit=unit, full_name="Võ Thị Dung", email="dung@tinh.vn")
    url = reverse("clusters:invitation_create", kwargs={"unit": unit.uuid})
    client = login(cluster_world.secretary)
    page = client.get(reverse("clusters:unit_people", kwargs={"unit": unit.uuid})).content.decode()
    assert f"{url}?person={person.uuid}" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{url}?person={person.uuid}", {"email": "dung@tinh.vn", "start_date": "01/01/2026"}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.person == person
    assert Person.objects.filter(unit=unit, full_name="Võ Thị Dung").count() == 1
    # Someone of another unit is not found there.
    other = PersonFactory(unit=cluster_world.units[4])
    assert client.get(f"{url}?person={other.uuid}").status_code == 404


def test_resend_and_cancel_from_the_people_page(
    cluster_world, mailoutbox, django_capture_on_commit_callbacks
):
    invitation, _token = invite_an(cluster_world, mailoutbox, django_capture_on_commit_callbacks)
    client = login(cluster_world.officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("clusters:invitation_resend", kwargs={"invitation": invitation.uuid}),
            follow=True,
        )
    assert messages_of(response) == ["Đã gửi lại lời mời tới an.nguyen@tinh.vn."]
    assert len(mailoutbox) == 2
    response = client.post(
        reverse("clusters:invitation_cancel", kwargs={"invitation": invitation.uuid}),
        follow=True,
    )
    assert messages_of(response) == ["Đã hủy lời mời gửi an.nguyen@tinh.vn."]
    response = client.post(
        reverse("clusters:invitation_cancel", kwargs={"invitation": invitation.uuid}),
        follow=True,
    )
    assert messages_of(response) == ["Lời mời này không còn hiệu lực."]
    assert "Không có lời mời nào đang chờ." in response.content.decode()


def test_the_accept_page(cluster_world, mailoutbox, django_capture_on_commit_callbacks):
    _invitation, token = invite_an(cluster_world, mailoutbox, django_capture_on_commit_callbacks)
    url = reverse("clusters:invitation_accept", kwargs={"token": token})
    client = login(None)
    page = client.get(url)
    assert page.status_code == 200
    assert "Nguyễn Thị An" in page.content.decode()
    response = client.post(url, {"new_password1": PASSWORD, "new_password2": "other"})
    assert response.context["form"].errors == {"new_password2": ["Hai mật khẩu không khớp nhau."]}
    response = client.post(url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert list(response.context["form"].errors) == ["new_password1"]
    assert not User.objects.filter(email="an.nguyen@tinh.vn").exists()
    response = client.post(url, {"new_password1": PASSWORD, "new_password2": PASSWORD}, follow=True)
    assert response.redirect_chain == [(reverse("login"), 302)]
    assert messages_of(response) == [
        "Đã tạo tài khoản của bạn. Hãy đăng nhập bằng địa chỉ email an.nguyen@tinh.vn và mật "
        "khẩu bạn vừa chọn."
    ]
    used = client.get(url)
    assert used.status_code == 410
    assert used.context["problem"] == (
        "Lời mời này đã được sử dụng. Hãy đăng nhập bằng địa chỉ email của bạn."
    )
    again = client.post(url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert again.status_code == 410
    tampered = client.get(reverse("clusters:invitation_accept", kwargs={"token": "x" + token}))
    assert tampered.status_code == 404
    assert "Liên kết mời này không hợp lệ." in tampered.content.decode()


def test_the_accept_page_of_an_expired_link(
    cluster_world, mailoutbox, django_capture_on_commit_callbacks
):
    invitation, token = invite_an(cluster_world, mailoutbox, django_capture_on_commit_callbacks)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    url = reverse("clusters:invitation_accept", kwargs={"token": token})
    response = login(None).post(url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 410
    assert response.context["problem"].startswith("Lời mời này đã hết hạn ngày")
    assert not User.objects.filter(email="an.nguyen@tinh.vn").exists()


def test_end_a_term_from_the_people_page(cluster_world):
    unit = cluster_world.units[3]
    term = OfficerTerm.objects.get(user=cluster_world.officer_a)
    url = reverse("clusters:term_end", kwargs={"unit": unit.uuid, "term": term.uuid})
    client = login(cluster_world.secretary)
    response = client.post(url, {"end_date": "31/12/2017"})
    assert response.context["form"].errors == {
        "end_date": [
            "Thời gian làm cán bộ đơn vị bắt đầu từ ngày 01/01/2018: không thể kết thúc trước "
            "ngày đó."
        ]
    }
    term.refresh_from_db()
    assert term.end_date is None
    response = client.post(url, {"end_date": "30/06/2026"}, follow=True)
    assert messages_of(response) == ["Đã kết thúc thời gian làm cán bộ đơn vị."]
    term.refresh_from_db()
    assert term.end_date == datetime.date(2026, 6, 30)
    # Another unit's term is not found under this unit.
    other = OfficerTerm.objects.get(user=cluster_world.officer_b)
    url = reverse("clusters:term_end", kwargs={"unit": unit.uuid, "term": other.uuid})
    assert client.get(url).status_code == 404


# --- Sign-in and password reset --------------------------------------------------------------


def test_sign_in_with_the_email_or_the_username(client):
    UserFactory(username="thuky", email="Thu.Ky@Tinh.vn")
    login_url = reverse("login")
    for name in ("thuky", "thu.ky@tinh.vn", " THU.KY@TINH.VN "):
        client.logout()
        response = client.post(login_url, {"username": name, "password": "demo12345"})
        assert response.status_code == 302, name
        assert response["Location"] == reverse("home")
    client.logout()
    response = client.post(login_url, {"username": "thu.ky@tinh.vn", "password": "wrong"})
    assert response.status_code == 200


def test_an_address_shared_by_two_accounts_signs_in_neither(client):
    UserFactory(username="mot", email="chung@tinh.vn")
    UserFactory(username="hai", email="Chung@tinh.vn")
    response = client.post(reverse("login"), {"username": "chung@tinh.vn", "password": "demo12345"})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    # The username still works.
    response = client.post(reverse("login"), {"username": "mot", "password": "demo12345"})
    assert response.status_code == 302


def test_the_login_page_links_to_the_password_reset(client):
    page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}">Quên mật khẩu?</a>' in page
    assert "Tên đăng nhập hoặc email" in page


def test_password_reset_by_email(client, mailoutbox):
    user = UserFactory(username="thuky", email="thu.ky@tinh.vn")
    response = client.post(reverse("password_reset"), {"email": "Thu.Ky@tinh.vn"}, follow=True)
    assert response.redirect_chain == [(reverse("password_reset_done"), 302)]
    assert "Hãy kiểm tra email" in response.content.decode()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.subject == "Chọn mật khẩu mới cho phần mềm Cụm thi đua"
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Chọn mật khẩu mới" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_url, {"new_password1": PASSWORD, "new_password2": PASSWORD}, follow=True
    )
    assert response.redirect_chain == [(reverse("password_reset_complete"), 302)]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    # An address no account has sends nothing and says the same.
    response = client.post(reverse("password_reset"), {"email": "khong@tinh.vn"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    # The link works once.
    again = client.get(link, follow=True)
    assert "Liên kết này không hợp lệ" in again.content.decode()


def test_the_secretariat_manages_only_the_units_of_its_open_years(cluster_world):
    """A unit that left the cluster before the open year, with a later membership that begins
    after it, is not the secretariat's to manage."""
    unit = cluster_world.units[3]
    membership = Membership.objects.get(unit=unit, cluster=cluster_world.cluster)
    membership.end_year = 2019
    membership.save()
    Membership.objects.create(cluster=cluster_world.cluster, unit=unit, start_year=2023)
    url = reverse("clusters:invitation_create", kwargs={"unit": unit.uuid})
    assert login(cluster_world.secretary).get(url).status_code == 403
    assert login(cluster_world.staff).get(url).status_code == 403
    assert login(cluster_world.officer_a).get(url).status_code == 200  # its own officer may
