"""The order of the names on the ballot: chosen by the secretariat while the poll is a draft,
numbered by hand or Vietnamese alphabetical, then followed by the ballot page, the cards, the
paper count form and the minutes."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document

from awards import documents
from awards.models import Poll, PollOption
from awards.services import attendance, committee, polls
from tests.awards.factories import close_and_decrypt, make_poll, with_committee
from tests.helpers import messages_of

pytestmark = pytest.mark.django_db

PEOPLE = ["Trần Thị Đào", "Nguyễn Văn Bình", "Phạm Thị Ánh", "Lê Văn An"]


def order_url(poll):
    return reverse("awards:poll_order", kwargs={"poll": poll.uuid})


def people_poll(labels=PEOPLE):
    poll, options, _delegates = make_poll(n_delegates=4, seats=1)
    poll.options.all().delete()
    options = [
        PollOption.objects.create(poll=poll, label=label, position=i)
        for i, label in enumerate(labels)
    ]
    return poll, options


def labels(poll):
    return list(poll.options.values_list("label", flat=True))


def test_the_committee_numbers_the_names_and_every_page_follows(client):
    poll, options = people_poll()
    first, second = with_committee(poll)
    client.force_login(first)
    page = client.get(order_url(poll))
    assert [f.label for f in page.context["form"].rows()] == PEOPLE
    assert [f.value() for f in page.context["form"].rows()] == [1, 2, 3, 4]

    data = {f"place_{o.pk}": place for o, place in zip(options, [3, 1, 4, 2], strict=True)}
    response = client.post(order_url(poll), data)
    assert response.status_code == 302 and response.url == poll.get_absolute_url()
    wanted = ["Nguyễn Văn Bình", "Lê Văn An", "Trần Thị Đào", "Phạm Thị Ánh"]
    assert labels(poll) == wanted
    assert messages_of(client.get(poll.get_absolute_url())) == [
        "Đã lưu thứ tự các tên trên phiếu bầu."
    ]
    detail = client.get(poll.get_absolute_url())
    assert [o.label for o in detail.context["options"]] == wanted

    polls.open_poll(poll=poll)
    poll.refresh_from_db()
    assert [o["label"] for o in poll.frozen_rules["options"]] == wanted
    # the ballot page (by card code)
    vote = client.get(reverse("awards:vote", kwargs={"poll": poll.uuid}))
    assert [label for _value, label in vote.context["form"].options] == wanted
    # the printed cards, for the delegates checked in on cards
    for person in poll.conference.delegates.all():
        attendance.check_in(conference=poll.conference, person=person, channel="card")
    cards = client.post(reverse("awards:poll_cards", kwargs={"poll": poll.uuid}), {"number": 4})
    assert cards.context["names"] == wanted
    html = cards.content.decode()
    places = [html.index(f"<li>{name}</li>") for name in wanted]
    assert places == sorted(places)
    # the order is frozen: the order page refuses now
    response = client.post(order_url(poll), data)
    assert response.url == poll.get_absolute_url()
    assert messages_of(client.get(poll.get_absolute_url())) == [
        "Chỉ có thể đổi thứ tự các tên trước khi mở cuộc bỏ phiếu."
    ]
    assert labels(poll) == wanted
    by_label = {o.label: o.pk for o in options}
    codes = [c["code"] for c in cards.context["cards"]]
    picks = ["Phạm Thị Ánh", "Phạm Thị Ánh", "Phạm Thị Ánh", "Trần Thị Đào"]
    for code, name in zip(codes, picks, strict=True):
        polls.cast_with_code(poll=poll, code=code, choices=[by_label[name]])
    # the paper count form
    close_and_decrypt(poll)
    form = client.get(reverse("awards:paper_count", kwargs={"poll": poll.uuid})).context["form"]
    assert [label for label, _fields in form.rows()] == wanted
    # the minutes: the table in ballot order, the conclusion by votes
    committee.mark_counted(poll=poll)
    document = Document(io.BytesIO(documents.minutes_docx(poll)))
    table = document.tables[1]
    assert [(row.cells[1].text, row.cells[2].text) for row in table.rows[1:]] == [
        ("Nguyễn Văn Bình", "0"),
        ("Lê Văn An", "0"),
        ("Trần Thị Đào", "1"),
        ("Phạm Thị Ánh", "3"),
    ]
    assert "1. Phạm Thị Ánh: 3 phiếu, đạt 75,00%" in [p.text for p in document.paragraphs]


def test_vietnamese_alphabetical_order_puts_people_under_their_given_name(client):
    poll, _options = people_poll()
    first, _ = with_committee(poll)
    client.force_login(first)
    response = client.post(order_url(poll), {"alphabetical": "1"})
    assert response.status_code == 302
    # An < Ánh < Bình < Đào: a plain sort would put Ánh after Bình and Đào after Z
    assert labels(poll) == ["Lê Văn An", "Phạm Thị Ánh", "Nguyễn Văn Bình", "Trần Thị Đào"]


def test_units_sort_by_name_before_people():
    poll, _options = people_poll(["Lê Văn Đức", "Trần Văn Cường"])
    unit = poll.conference.delegates.order_by("pk")[0].unit
    unit.short_name = "Đắk Lắk"
    unit.save()
    PollOption.objects.create(poll=poll, label=unit.short_name, unit=unit, position=2)
    committee.sort_options_vietnamese(poll=poll)
    assert labels(poll) == ["Đắk Lắk", "Trần Văn Cường", "Lê Văn Đức"]


def test_a_place_given_twice_is_refused_and_nothing_changes(client):
    poll, options = people_poll()
    first, _ = with_committee(poll)
    client.force_login(first)
    data = {f"place_{o.pk}": place for o, place in zip(options, [1, 2, 2, 4], strict=True)}
    response = client.post(order_url(poll), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        f"place_{options[2].pk}": ["Vị trí 2 đã dành cho Nguyễn Văn Bình."],
    }
    assert labels(poll) == PEOPLE


def test_the_service_refuses_an_incomplete_order_and_an_open_poll():
    poll, options = people_poll()
    with pytest.raises(ValidationError) as refused:
        committee.order_options(poll=poll, option_ids=[options[0].pk, options[1].pk])
    assert refused.value.messages == ["Hãy xếp chỗ cho mọi tên trên phiếu, mỗi tên một lần."]
    polls.open_poll(poll=poll)
    with pytest.raises(ValidationError) as refused:
        committee.sort_options_vietnamese(poll=poll)
    assert refused.value.messages == ["Chỉ có thể đổi thứ tự các tên trước khi mở cuộc bỏ phiếu."]
    assert labels(poll) == PEOPLE
    assert Poll.objects.get(pk=poll.pk).status == Poll.Status.OPEN


def test_editing_a_draft_keeps_the_chosen_order_and_adds_new_names_last(client):
    poll, options = people_poll()
    committee.order_options(poll=poll, option_ids=[o.pk for o in reversed(options)])
    first, _ = with_committee(poll)
    client.force_login(first)
    response = client.post(
        reverse("awards:poll_edit", kwargs={"poll": poll.uuid}),
        {
            "question": poll.question,
            "kind": Poll.CHOOSE,
            "seats": "1",
            "threshold_base": Poll.ISSUED,
            "comparator": Poll.GT,
            "fraction": "0,5",
            "tie_rule": Poll.RUNOFF,
            "labels": "Trần Thị Đào\nLê Văn An\nPhạm Thị Ánh\nHoàng Văn Em",
        },
    )
    assert response.status_code == 302
    assert labels(poll) == ["Lê Văn An", "Phạm Thị Ánh", "Trần Thị Đào", "Hoàng Văn Em"]
    assert set(poll.options.values_list("pk", flat=True)) >= {options[0].pk, options[3].pk}
