import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from awards.models import Ballot, BallotCode, Issuance, PaperCount, Poll, SealedBallot
from awards.services import attendance, counting, keys, polls
from tests.awards.factories import close_and_decrypt, collect_shares, make_cards, make_poll
from tests.clusters.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_opening_freezes_the_rules_with_their_hash():
    poll, options, _ = make_poll()
    polls.open_poll(poll=poll)
    poll.refresh_from_db()
    assert poll.status == Poll.Status.OPEN
    assert poll.frozen_rules["seats"] == 2
    assert [o["label"] for o in poll.frozen_rules["options"]] == [o.label for o in options]
    assert poll.rules_hash == Poll.hash_rules(poll.frozen_rules)
    with pytest.raises(ValidationError):
        polls.open_poll(poll=poll)


def test_a_code_casts_one_ballot_and_unknown_and_used_codes_look_the_same():
    poll, options, _ = make_poll()
    polls.open_poll(poll=poll)
    code = make_cards(poll, 1)[0]
    assert not BallotCode.objects.filter(code_hash=code).exists()  # only the keyed hash
    receipt = polls.cast_with_code(
        poll=poll, code=code.lower(), choices=[options[1].pk, options[0].pk]
    )
    assert SealedBallot.objects.count() == 1
    messages = []
    for bad in (code, "ZZZZZZZZZZ"):
        with pytest.raises(ValidationError) as error:
            polls.cast_with_code(poll=poll, code=bad, choices=[options[0].pk])
        messages.append(error.value.messages)
    assert (
        messages[0]
        == messages[1]
        == ["Mã phiếu không hợp lệ cho cuộc bỏ phiếu này hoặc đã được sử dụng."]
    )
    assert SealedBallot.objects.count() == 1
    assert not polls.receipt_counted(poll=poll, receipt="AAAA-AAAA-AAAA-AAAA")
    assert polls.receipt_counted(poll=poll, receipt=receipt)
    close_and_decrypt(poll)
    assert list(Ballot.objects.values_list("choices", "blank")) == [
        ([options[0].pk, options[1].pk], False)
    ]


def test_more_choices_than_seats_are_refused_and_nothing_is_stored():
    poll, options, _ = make_poll(seats=2)
    polls.open_poll(poll=poll)
    code = make_cards(poll, 1)[0]
    with pytest.raises(ValidationError) as error:
        polls.cast_with_code(poll=poll, code=code, choices=[o.pk for o in options[:3]])
    assert error.value.messages == ["Chọn tối đa 2."]
    assert SealedBallot.objects.count() == 0
    assert BallotCode.objects.filter(consumed=True).count() == 0


def test_a_delegate_gets_one_ballot_on_one_channel_and_votes_once():
    poll, options, delegates = make_poll()
    attendance.check_in(conference=poll.conference, person=delegates[0], channel=Issuance.ACCOUNT)
    with pytest.raises(ValidationError):
        attendance.check_in(conference=poll.conference, person=delegates[0], channel=Issuance.PAPER)
    polls.open_poll(poll=poll)
    polls.cast_with_account(poll=poll, person=delegates[0], choices=[options[2].pk])
    with pytest.raises(ValidationError):
        polls.cast_with_account(poll=poll, person=delegates[0], choices=[options[3].pk])
    assert SealedBallot.objects.count() == 1
    assert Issuance.objects.get().consumed


def test_votes_after_close_are_refused_and_decrypted_ballots_share_nothing_with_sealed_ones():
    poll, options, _ = make_poll()
    polls.open_poll(poll=poll)
    codes = make_cards(poll, 3)
    for code in codes[:2]:
        polls.cast_with_code(poll=poll, code=code, choices=[options[0].pk])
    sealed = set(SealedBallot.objects.values_list("id", flat=True))
    polls.close_poll(poll=poll)
    with pytest.raises(ValidationError):
        polls.cast_with_code(poll=poll, code=codes[2], choices=[options[0].pk])
    assert SealedBallot.objects.count() == 2 and Ballot.objects.count() == 0
    poll.refresh_from_db()
    keys.decrypt(poll=poll, shares=collect_shares(poll))
    assert Ballot.objects.count() == 2
    assert not sealed & set(Ballot.objects.values_list("id", flat=True))


def test_hybrid_count_with_threshold_and_tie_at_the_last_seat():
    poll, options, delegates = make_poll(seats=2, threshold_base=Poll.ISSUED)
    for person in delegates[:5]:
        attendance.check_in(conference=poll.conference, person=person, channel=Issuance.CARD)
    for person in delegates[5:]:
        attendance.check_in(conference=poll.conference, person=person, channel=Issuance.PAPER)
    polls.open_poll(poll=poll)
    codes = make_cards(poll, 5)
    # Electronic: 5 ballots. A:5, B:3, C:2
    for code, picks in zip(codes, [[0, 1], [0, 1], [0, 1], [0, 2], [0, 2]], strict=True):
        polls.cast_with_code(poll=poll, code=code, choices=[options[i].pk for i in picks])
    close_and_decrypt(poll)
    # Paper: 6 issued, 6 collected, 5 valid. A:4, B:1, C:2 -> B and C tie at 4 votes.
    votes = {
        str(options[0].pk): {"for": 4},
        str(options[1].pk): {"for": 1},
        str(options[2].pk): {"for": 2},
    }
    for user in (UserFactory(), UserFactory()):
        entry = PaperCount(
            poll=poll,
            entered_by=user,
            issued=6,
            collected=6,
            valid=5,
            invalid=1,
            votes=votes,
            invalid_by_reason={Poll.MARKED: 1},
        )
        assert counting.check_paper_count(poll=poll, count=entry) == []
        entry.save()
    result = counting.count(poll=poll)
    assert (result.issued, result.collected, result.valid, result.invalid, result.base) == (
        11,
        11,
        10,
        1,
        11,
    )
    assert (result.invalid_reasons(), result.electronic_invalid) == ([(Poll.MARKED, 1)], 0)
    table = [
        (r.label, r.votes, r.passes, r.elected, r.tied_at_last_seat) for r in result.options[:3]
    ]
    assert table == [
        (options[0].label, 9, True, True, False),
        (options[1].label, 4, False, False, False),
        (options[2].label, 4, False, False, False),
    ]
    assert result.options[0].share.quantize(Decimal("0.01")) == Decimal("81.82")


def test_a_tie_across_the_last_seat_is_reported_not_broken():
    poll, options, _ = make_poll(
        n_delegates=4, seats=1, threshold_base=Poll.VALID, fraction=Decimal("0.25")
    )
    polls.open_poll(poll=poll)
    codes = make_cards(poll, 4)
    for code, pick in zip(codes, [0, 0, 1, 1], strict=True):
        polls.cast_with_code(poll=poll, code=code, choices=[options[pick].pk])
    close_and_decrypt(poll)
    result = counting.count(poll=poll)
    assert [r.label for r in result.tie] == sorted([options[0].label, options[1].label])
    assert not any(r.elected for r in result.options)


def test_inconsistent_paper_counts_are_named():
    poll, options, _ = make_poll(seats=2)
    polls.open_poll(poll=poll)
    entry = PaperCount(
        poll=poll,
        issued=5,
        collected=6,
        valid=4,
        invalid=1,
        votes={
            str(options[0].pk): {"for": 5},
            str(options[1].pk): {"for": 4},
            str(options[2].pk): {"for": 1},
        },
    )
    assert counting.check_paper_count(poll=poll, count=entry) == [
        (
            "issued",
            "Đã nhập 5 phiếu giấy phát ra, nhưng có 0 đại biểu nhận phiếu giấy khi điểm danh.",
        ),
        ("collected", "Đã nhập 6 phiếu giấy thu vào, nhưng chỉ phát ra 5 phiếu giấy."),
        ("invalid", "Số phiếu hợp lệ và không hợp lệ không bằng số phiếu thu vào."),
        (
            "invalid_by_reason",
            "Số phiếu không hợp lệ theo từng lý do cộng lại là 0, nhưng đã nhập 1 phiếu không "
            "hợp lệ.",
        ),
        (
            f"option_{options[0].pk}",
            f"{options[0].label} có số phiếu bầu nhiều hơn số phiếu hợp lệ.",
        ),
        (None, "Tổng số phiếu bầu nhiều hơn 2 phiếu cho mỗi phiếu hợp lệ."),
    ]


@pytest.mark.django_db(transaction=True)
def test_concurrent_casts_store_exactly_one_ballot_per_code():
    poll, options, _ = make_poll()
    polls.open_poll(poll=poll)
    codes = make_cards(poll, 8)
    attempts = codes + [codes[0]] * 6 + [codes[1]] * 6  # 8 distinct, 12 reusing two codes
    results = []
    barrier = threading.Barrier(len(attempts))

    def cast(code):
        try:
            barrier.wait()
            polls.cast_with_code(poll=poll, code=code, choices=[options[0].pk])
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()  # the thread's own: CONN_MAX_AGE would keep it open

    threads = [threading.Thread(target=cast, args=(code,)) for code in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("ok") == 8 and results.count("refused") == 12
    assert SealedBallot.objects.filter(poll=poll).count() == 8
    assert BallotCode.objects.filter(poll=poll, consumed=True).count() == 8


@pytest.mark.django_db(transaction=True)
def test_a_close_racing_votes_gives_the_same_totals_to_every_later_read():
    poll, options, _ = make_poll(n_delegates=12)
    polls.open_poll(poll=poll)
    codes = make_cards(poll, 12)
    barrier = threading.Barrier(len(codes) + 1)
    accepted = []

    def cast(code):
        try:
            barrier.wait()
            polls.cast_with_code(poll=poll, code=code, choices=[options[1].pk])
            accepted.append(code)
        except ValidationError:
            pass
        finally:
            connection.close()  # the thread's own: CONN_MAX_AGE would keep it open

    def close():
        try:
            barrier.wait()
            polls.close_poll(poll=poll)
        finally:
            connection.close()  # the thread's own: CONN_MAX_AGE would keep it open

    threads = [threading.Thread(target=cast, args=(c,)) for c in codes]
    threads.append(threading.Thread(target=close))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    poll.refresh_from_db()
    if not poll.is_decrypted:  # the close came before every cast: no ballot, no key
        keys.decrypt(poll=poll, shares=collect_shares(poll))
    first = counting.count(poll=poll)
    second = counting.count(poll=poll)
    assert first.collected == second.collected == len(accepted)
    assert [r.votes for r in first.options] == [r.votes for r in second.options]
    assert BallotCode.objects.filter(poll=poll, consumed=True).count() == len(accepted)
