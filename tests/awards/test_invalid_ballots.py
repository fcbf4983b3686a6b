"""What makes a ballot invalid: set per poll, frozen with the rules (and in their hash) when it
opens, applied to blank electronic ballots, shown to the committee on the paper count form and
printed in the minutes."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from docx import Document

from awards import documents
from awards.models import Issuance, PaperCount, Poll
from awards.services import attendance, committee, counting, polls
from tests.awards.factories import close_and_decrypt, make_cards, make_poll, with_committee

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
    close_and_decrypt(poll)


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
    close_and_decrypt(poll)
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
    close_and_decrypt(poll)
    committee.mark_counted(poll=poll)
    runoff = committee.create_runoff(poll=poll)
    assert runoff.invalid_if == ["too_many"]


def paper_poll(n: int = 5, **rules):
    """A closed poll of one seat whose n delegates voted on paper, and its committee."""
    poll, options, delegates = make_poll(n_delegates=n, seats=1, **rules)
    users = with_committee(poll)
    polls.open_poll(poll=poll)
    for person in delegates:
        attendance.check_in(conference=poll.conference, person=person, channel=Issuance.PAPER)
    close_and_decrypt(poll)
    poll.refresh_from_db()
    return poll, options, users


def paper_data(options, *, invalid: int, reasons: dict) -> dict:
    """A paper entry of 5 ballots: the first option has every valid one."""
    data = {"issued": 5, "collected": 5, "valid": 5 - invalid, "invalid": invalid}
    data |= {f"opt_{o.pk}_for": 0 for o in options}
    data[f"opt_{options[0].pk}_for"] = 5 - invalid
    return data | {f"reason_{code}": n for code, n in reasons.items()}


def test_the_paper_count_records_invalid_ballots_by_reason(client):
    poll, options, (first, _second) = paper_poll(invalid_if=["too_many", "marked"])
    client.force_login(first)
    url = reverse("awards:paper_count", kwargs={"poll": poll.uuid})
    form = client.get(url).context["form"]
    assert [(f.name, f.label) for f in form.reasons()] == [
        ("reason_too_many", "bầu nhiều hơn số lượng cần bầu"),
        ("reason_marked", "ghi thêm tên hoặc có chữ viết, ký hiệu khác trên phiếu"),
    ]
    data = paper_data(options, invalid=2, reasons={"too_many": 1, "marked": 1})
    assert client.post(url, data).status_code == 302
    assert PaperCount.objects.get().invalid_by_reason == {"too_many": 1, "marked": 1}
    # the entry shown again keeps the reasons
    form = client.get(url).context["form"]
    assert (form["reason_too_many"].value(), form["reason_marked"].value()) == (1, 1)


def test_invalid_ballots_by_reason_must_add_up_and_nothing_is_stored(client):
    poll, options, (first, _second) = paper_poll()
    client.force_login(first)
    url = reverse("awards:paper_count", kwargs={"poll": poll.uuid})
    response = client.post(url, paper_data(options, invalid=2, reasons={"too_many": 1}))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "invalid": [
            "Số phiếu không hợp lệ theo từng lý do cộng lại là 1, nhưng đã nhập 2 phiếu không "
            "hợp lệ."
        ]
    }
    assert not PaperCount.objects.exists()
    # the service refuses it too, keyed by the field, and stores nothing
    with pytest.raises(ValidationError) as refused:
        committee.save_paper_count(
            poll=poll,
            user=first,
            issued=5,
            collected=5,
            valid=3,
            invalid=2,
            votes={str(options[0].pk): {"for": 3}},
            invalid_by_reason={"blank": 3},
        )
    assert refused.value.message_dict == {
        "invalid_by_reason": [
            "Số phiếu không hợp lệ theo từng lý do cộng lại là 3, nhưng đã nhập 2 phiếu không "
            "hợp lệ."
        ]
    }
    assert not PaperCount.objects.exists()


def test_a_reason_outside_the_rules_is_refused():
    poll, options, (first, _second) = paper_poll(invalid_if=["too_many"])
    with pytest.raises(ValidationError) as refused:
        committee.save_paper_count(
            poll=poll,
            user=first,
            issued=5,
            collected=5,
            valid=4,
            invalid=1,
            votes={str(options[0].pk): {"for": 4}},
            invalid_by_reason={"marked": 1},
        )
    assert refused.value.message_dict == {
        "invalid_by_reason": ["Có lý do không nằm trong thể lệ của cuộc bỏ phiếu này."]
    }
    assert not PaperCount.objects.exists()


def test_two_entries_disagreeing_on_the_reasons_are_listed_and_not_counted(client):
    poll, options, (first, second) = paper_poll()
    client.force_login(first)
    url = reverse("awards:paper_count", kwargs={"poll": poll.uuid})
    assert (
        client.post(url, paper_data(options, invalid=1, reasons={"too_many": 1})).status_code == 302
    )
    client.force_login(second)
    assert (
        client.post(url, paper_data(options, invalid=1, reasons={"marked": 1})).status_code == 302
    )
    assert counting.paper_differences(poll) == [
        "số phiếu không hợp lệ (bầu nhiều hơn số lượng cần bầu): 1 hay 0?",
        "số phiếu không hợp lệ (ghi thêm tên hoặc có chữ viết, ký hiệu khác trên phiếu): 0 hay 1?",
    ]
    assert client.get(url).context["differences"] == counting.paper_differences(poll)
    with pytest.raises(ValidationError):
        committee.mark_counted(poll=poll)
    poll.refresh_from_db()
    assert poll.status == Poll.Status.CLOSED and poll.count_ended_at is None


def test_the_count_records_its_times_and_the_poll_page_shows_them_with_the_reasons(client):
    poll, options, (first, second) = paper_poll()
    before = timezone.now()
    assert poll.count_started_at is not None and poll.count_started_at <= before
    for user in (first, second):
        client.force_login(user)
        data = paper_data(options, invalid=2, reasons={"not_issued": 1, "blank": 1})
        client.post(reverse("awards:paper_count", kwargs={"poll": poll.uuid}), data)
    committee.mark_counted(poll=poll)
    poll.refresh_from_db()
    assert before <= poll.count_ended_at <= timezone.now()
    outcome = counting.count(poll=poll)
    assert outcome.invalid_reasons() == [("not_issued", 1), ("blank", 1)]
    assert outcome.invalid_unexplained == 0
    page = client.get(poll.get_absolute_url())
    assert page.context["invalid_reasons"] == [
        ("không phải phiếu theo mẫu do Ban Kiểm phiếu phát ra", 1),
        ("là phiếu trắng (không chọn ai)", 1),
    ]
    html = page.content.decode()
    local = timezone.localtime(poll.count_ended_at)
    assert f"data-count-ended>{local:%H:%M, %d/%m/%Y}</dd>" in html
    assert "Kết thúc kiểm phiếu" in html and "Bắt đầu kiểm phiếu" in html
