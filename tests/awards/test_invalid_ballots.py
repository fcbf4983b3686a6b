"""What makes a ballot invalid: set per poll, frozen with the rules (and in their hash) when it
opens, applied to blank electronic ballots, shown to the committee on the paper count form and
printed in the minutes."""

import io

import pytest
from django.urls import reverse
from docx import Document

from awards import documents
from awards.models import Poll
from awards.services import committee, counting, polls
from tests.awards.factories import make_cards, make_poll, with_committee

pytestmark = pytest.mark.django_db

RULES = {
    "question": "Đề nghị tặng Cờ thi đua",
    "kind": Poll.CHOOSE,
    "seats": "1",
    "threshold_base": Poll.VALID,
    "comparator": Poll.GT,
    "fraction": "0,5",
    "tie_rule": Poll.RUNOFF,
}


def test_the_form_offers_every_reason_ticked_and_saves_the_chosen_ones(client):
    poll, _options, delegates = make_poll(n_delegates=3, seats=1)
    first, _ = with_committee(poll)
    client.force_login(first)
    url = reverse("awards:poll_create", kwargs={"conference": poll.conference.uuid})
    form = client.get(url).context["form"]
    assert [label for _code, label in form.fields["invalid_if"].choices] == [
        "bầu nhiều hơn số lượng cần bầu",
        "không phải phiếu theo mẫu do Ban Kiểm phiếu phát ra",
        "ghi thêm tên hoặc có chữ viết, ký hiệu khác trên phiếu",
        "là phiếu trắng (không chọn ai)",
    ]
    assert form["invalid_if"].value() == ["too_many", "not_issued", "marked", "blank"]
    data = RULES | {"units": [delegates[0].unit.pk], "invalid_if": ["marked", "too_many"]}
    assert client.post(url, data).status_code == 302
    new = Poll.objects.exclude(pk=poll.pk).get()
    assert new.invalid_if == ["too_many", "marked"]

    polls.open_poll(poll=new)
    new.refresh_from_db()
    assert new.frozen_rules["invalid_if"] == ["too_many", "marked"]
    assert new.rules_hash == Poll.hash_rules(new.frozen_rules)
    other = new.frozen_rules | {"invalid_if": ["too_many", "marked", "blank"]}
    assert Poll.hash_rules(other) != new.rules_hash
    # frozen: a change of the draft field afterwards changes nothing printed or counted
    Poll.objects.filter(pk=new.pk).update(invalid_if=["blank"])
    new.refresh_from_db()
    assert new.invalid_rules() == (
        [
            "bầu nhiều hơn số lượng cần bầu",
            "ghi thêm tên hoặc có chữ viết, ký hiệu khác trên phiếu",
        ],
        False,
    )


def cast_two_and_one_blank(poll, options):
    polls.open_poll(poll=poll)
    codes = make_cards(poll, 3)
    polls.cast_with_code(poll=poll, code=codes[0], choices=[options[0].pk])
    polls.cast_with_code(poll=poll, code=codes[1], choices=[options[0].pk])
    polls.cast_with_code(poll=poll, code=codes[2], choices=[])
    polls.close_poll(poll=poll)


def test_a_blank_electronic_ballot_is_invalid_when_the_rules_say_so():
    poll, options, _ = make_poll(n_delegates=3, seats=1, threshold_base=Poll.VALID)
    cast_two_and_one_blank(poll, options)
    outcome = counting.count(poll=poll)
    assert (outcome.issued, outcome.collected, outcome.valid, outcome.invalid) == (3, 3, 2, 1)
    assert (outcome.base, outcome.options[0].votes, str(outcome.options[0].share)) == (2, 2, "100")


def test_a_blank_electronic_ballot_is_valid_when_blank_is_not_ticked():
    poll, options, _ = make_poll(
        n_delegates=3, seats=1, threshold_base=Poll.VALID, invalid_if=["too_many"]
    )
    cast_two_and_one_blank(poll, options)
    outcome = counting.count(poll=poll)
    assert (outcome.issued, outcome.collected, outcome.valid, outcome.invalid) == (3, 3, 3, 0)
    assert outcome.base == 3


def test_a_poll_frozen_before_the_rule_keeps_counting_blank_ballots_as_valid():
    poll, options, _ = make_poll(n_delegates=3, seats=1)
    cast_two_and_one_blank(poll, options)
    rules = dict(Poll.objects.get(pk=poll.pk).frozen_rules)
    del rules["invalid_if"]
    Poll.objects.filter(pk=poll.pk).update(frozen_rules=rules)
    outcome = counting.count(poll=poll)
    assert (outcome.valid, outcome.invalid) == (3, 0)
    assert documents.rules_in_words(rules)[-1] == "Đơn vị được bầu cho chính mình."


def test_the_paper_count_form_shows_the_rules_to_the_committee(client):
    poll, _options, _ = make_poll(n_delegates=3, seats=1, invalid_if=["not_issued", "too_many"])
    first, _ = with_committee(poll)
    polls.open_poll(poll=poll)
    polls.close_poll(poll=poll)
    client.force_login(first)
    html = client.get(reverse("awards:paper_count", kwargs={"poll": poll.uuid})).content.decode()
    rules = html[html.index('id="invalid-rules"') :]
    rules = rules[: rules.index("</div>")]
    assert "Phiếu không hợp lệ khi:" in rules
    items = [part.split("</li>")[0] for part in rules.split("<li>")[1:]]
    assert items == [
        "bầu nhiều hơn số lượng cần bầu",
        "không phải phiếu theo mẫu do Ban Kiểm phiếu phát ra",
    ]
    assert "Phiếu trắng (không chọn ai) được tính là phiếu hợp lệ." in rules


def minutes_lines(poll) -> list[str]:
    document = Document(io.BytesIO(documents.minutes_docx(poll)))
    return [p.text for p in document.paragraphs]


def test_the_minutes_print_what_makes_a_ballot_invalid():
    poll, options, _ = make_poll(n_delegates=3, seats=1)
    cast_two_and_one_blank(poll, options)
    committee.mark_counted(poll=poll)
    poll.refresh_from_db()
    lines = minutes_lines(poll)
    start = lines.index("I. THỂ LỆ BẦU CỬ")
    assert lines[start + 6] == (
        "- Phiếu không hợp lệ: phiếu bầu nhiều hơn số lượng cần bầu; phiếu không do Ban Kiểm "
        "phiếu phát ra hoặc không đúng mẫu quy định; phiếu ghi thêm tên người ngoài danh sách "
        "hoặc có chữ viết, ký hiệu riêng; phiếu trắng (không bầu cho ai)."
    )
    assert "- Số phiếu không hợp lệ: 1" in lines

    other, options, _ = make_poll(n_delegates=3, seats=1, invalid_if=["marked"])
    cast_two_and_one_blank(other, options)
    committee.mark_counted(poll=other)
    other.refresh_from_db()
    lines = minutes_lines(other)
    start = lines.index("I. THỂ LỆ BẦU CỬ")
    assert lines[start + 6 : start + 8] == [
        "- Phiếu không hợp lệ: phiếu ghi thêm tên người ngoài danh sách hoặc có chữ viết, "
        "ký hiệu riêng.",
        "- Phiếu trắng (không bầu cho ai) được tính là phiếu hợp lệ.",
    ]
    assert "- Số phiếu không hợp lệ: 0" in lines


def test_a_runoff_keeps_the_rule():
    # at least half of the 2 ballots issued: both pass, tied at the last seat
    poll, options, _ = make_poll(
        n_delegates=2, seats=1, invalid_if=["too_many"], comparator=Poll.GTE
    )
    polls.open_poll(poll=poll)
    codes = make_cards(poll, 2)
    polls.cast_with_code(poll=poll, code=codes[0], choices=[options[0].pk])
    polls.cast_with_code(poll=poll, code=codes[1], choices=[options[1].pk])
    polls.close_poll(poll=poll)
    committee.mark_counted(poll=poll)
    runoff = committee.create_runoff(poll=poll)
    assert runoff.invalid_if == ["too_many"]
