"""The counting committee's roles (a named chair, Trưởng ban; the others Thành viên) and the
number and symbol of the minutes, printed in the minutes' header and signature blocks."""

import io
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document

from awards.models import CommitteeChair
from awards.services import committee
from tests.awards.factories import make_counted_poll
from tests.awards.test_documents import docx_text, minutes_url
from tests.clusters.factories import PersonFactory, build_world
from tests.helpers import messages_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world(n_units=11)


def chair_url(poll):
    return reverse("awards:committee_chair", kwargs={"conference": poll.conference.uuid})


def number_url(poll):
    return reverse("awards:poll_minutes_number", kwargs={"poll": poll.uuid})


def signatures(content: bytes) -> list[tuple[str, str]]:
    table = Document(io.BytesIO(content)).tables[-1]
    cells = [cell for row in table.rows for cell in row.cells]
    return [(c.paragraphs[0].text, c.paragraphs[-1].text) for c in cells]


def test_the_committee_names_its_chair_and_the_minutes_number(client, world):
    poll, members = make_counted_poll(world)
    conference = poll.conference
    first, second = conference.counting_committee.order_by("pk")
    client.force_login(members[0])
    listing = client.get(reverse("awards:conference_polls", kwargs={"conference": conference.uuid}))
    assert listing.context["chair_form"].initial == {"person": first.pk}

    # the second member (by order of entry) becomes the chair: first in the minutes
    response = client.post(chair_url(poll), {"person": second.pk})
    assert response.status_code == 302 and response.url.endswith("#chair")
    assert CommitteeChair.objects.get(conference=conference).person == second
    response = client.post(number_url(poll), {"number": "  Số 01-BB/CTĐ4 "})
    assert response.url == poll.get_absolute_url()
    assert messages_of(client.get(poll.get_absolute_url())) == [
        "Đã lưu Trưởng ban Kiểm phiếu.",
        "Đã lưu số của biên bản.",
    ]
    poll.refresh_from_db()
    assert poll.minutes_number == "01-BB/CTĐ4"

    content = client.get(minutes_url("docx", poll)).content
    header = Document(io.BytesIO(content)).tables[0].rows[0].cells[0]
    assert header.text == f"{world.cluster.name.upper()}\nBAN KIỂM PHIẾU\n*\nSố 01-BB/CTĐ4"
    lines = docx_text(content).split("\n")
    at = lines.index(f"- Lê Thị Phiếu, {world.units[6].name} – Trưởng ban")
    assert lines[at + 1] == f"- Trần Văn Kiểm, {world.units[5].name} – Thành viên"
    assert signatures(content) == [
        ("TRƯỞNG BAN", "Lê Thị Phiếu"),
        ("THÀNH VIÊN", "Trần Văn Kiểm"),
    ]

    pdf = client.get(minutes_url("pdf", poll)).content
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(text.split())
    assert "Số 01-BB/CTĐ4" in flat
    assert flat.index("TRƯỞNG BAN") < flat.index("THÀNH VIÊN")
    assert f"- Lê Thị Phiếu, {world.units[6].name} – Trưởng ban" in flat

    # the history keeps who was chair before
    history = CommitteeChair.history.filter(conference=conference).order_by("history_date")
    assert [h.person_id for h in history] == [first.pk, second.pk]


def test_with_no_chair_everyone_signs_as_a_member(client, world):
    poll, members = make_counted_poll(world)
    client.force_login(members[1])
    client.post(chair_url(poll), {"person": ""})
    assert not CommitteeChair.objects.exists()
    assert CommitteeChair.history.first().history_type == "-"
    page = client.get(poll.get_absolute_url()).content.decode()
    assert "Chưa có Trưởng ban Kiểm phiếu: mọi thành viên ký với tư cách thành viên." in page
    content = client.get(minutes_url("docx", poll)).content
    assert signatures(content) == [
        ("THÀNH VIÊN", "Trần Văn Kiểm"),
        ("THÀNH VIÊN", "Lê Thị Phiếu"),
    ]
    header = Document(io.BytesIO(content)).tables[0].rows[0].cells[0]
    assert header.paragraphs[-1].text == f"Số      -BB/CTĐ{world.cluster.number}"


def test_the_chair_must_be_on_the_committee(client, world):
    poll, members = make_counted_poll(world)
    stranger = PersonFactory(full_name="Võ Văn Ngoài", unit=world.units[2])
    poll.conference.delegates.add(stranger)
    client.force_login(members[0])
    response = client.post(chair_url(poll), {"person": stranger.pk}, follow=True)
    assert messages_of(response) == [
        "Hãy chọn một lựa chọn hợp lệ. Lựa chọn đó không phải là một trong các lựa chọn khả thi."
    ]
    assert CommitteeChair.objects.get().person.full_name == "Trần Văn Kiểm"
    with pytest.raises(ValidationError) as refused:
        committee.set_committee_chair(conference=poll.conference, person=stranger)
    assert refused.value.message_dict == {
        "person": ["Võ Văn Ngoài không có tên trong Ban Kiểm phiếu."]
    }


def test_who_may_not_name_the_chair_or_number_the_minutes(client, world):
    poll, _members = make_counted_poll(world)
    other = poll.conference.counting_committee.order_by("pk").last()
    for user in (None, world.officer_a, world.outsider, world.last_secretary):
        client.logout()
        if user:
            client.force_login(user)
        for url, data in (
            (chair_url(poll), {"person": other.pk}),
            (number_url(poll), {"number": "9"}),
        ):
            response = client.post(url, data)
            if user is None:
                assert response.status_code == 302 and response.url.startswith(reverse("login"))
            else:
                assert response.status_code == 403, (user, url)
    poll.refresh_from_db()
    assert poll.minutes_number == ""
    assert CommitteeChair.objects.get().person.full_name == "Trần Văn Kiểm"
    # the secretariat of the year may
    client.force_login(world.secretary)
    assert client.post(number_url(poll), {"number": "02-BB/CTĐ4"}).status_code == 302
    poll.refresh_from_db()
    assert poll.minutes_number == "02-BB/CTĐ4"
