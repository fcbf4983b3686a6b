import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from awards import guesses
from awards.models import Ballot, BallotCode, Issuance, Poll, SealedBallot
from awards.services import attendance, polls
from tests.awards.factories import close_and_decrypt, make_cards, make_poll, with_committee
from tests.clusters.factories import UserFactory

pytestmark = pytest.mark.django_db

BAD_CODE = "Mã phiếu không hợp lệ cho cuộc bỏ phiếu này hoặc đã được sử dụng."
NOT_OPEN = "Cuộc bỏ phiếu chưa mở hoặc đã kết thúc."


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def open_poll(**kwargs):
    poll, options, delegates = make_poll(**kwargs)
    polls.open_poll(poll=poll)
    poll.refresh_from_db()
    return poll, options, delegates


def url(name, poll):
    return reverse(f"awards:{name}", kwargs={"poll": poll.uuid})


def forms_of(html: str) -> list[str]:
    return re.findall(r"<form\b[^>]*>", html)


def assert_private(response):
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "same-origin"
    for tag in forms_of(response.content.decode()):
        assert 'method="post"' in tag, tag


def hidden_fields(html: str) -> list[tuple[str, str]]:
    return [
        (name, value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)
        if name not in ("csrfmiddlewaretoken", "next")
    ]


def test_card_vote_end_to_end_through_the_confirmation_step(client):
    poll, options, _ = open_poll()
    code = make_cards(poll, 1)[0]
    response = client.get(url("vote", poll))
    assert response.status_code == 200
    assert_private(response)
    page = response.content.decode()
    assert 'name="code"' in page
    assert page.count('name="option"') == 11

    response = client.post(
        url("vote", poll),
        {"step": "review", "code": code.lower(), "option": [options[3].pk, options[1].pk]},
    )
    assert response.status_code == 200
    assert_private(response)
    assert SealedBallot.objects.count() == 0  # nothing cast yet
    page = response.content.decode()
    # One hidden field per name, of the same length chosen or not; every name listed.
    assert hidden_fields(page) == [("code", code)] + [
        ("option" if o in (options[1], options[3]) else "ignore", str(o.pk)) for o in options
    ]
    assert all(o.label in page for o in options)
    assert page.count("\u2611") == 2 and page.count("\u2610") == 9
    assert 'value="cast"' in page and 'value="edit"' in page

    # "Change" brings back the ballot with the choices ticked and nothing cast.
    data = dict(step="edit", code=code, option=[options[3].pk, options[1].pk])
    response = client.post(url("vote", poll), data)
    page = response.content.decode()
    assert page.count("checked") == 2
    assert SealedBallot.objects.count() == 0

    response = client.post(url("vote", poll), data | {"step": "cast"})
    assert response.status_code == 200
    assert_private(response)
    assert SealedBallot.objects.count() == 1
    receipt = re.search(r"data-receipt>([0-9A-Z-]+)<", response.content.decode()).group(1)
    assert SealedBallot.objects.count() == 1
    assert BallotCode.objects.get().consumed is True
    assert "kể cả quản trị viên, biết được bạn bầu thế nào" in response.content.decode()
    close_and_decrypt(poll)
    assert polls.receipt_counted(poll=poll, receipt=receipt)
    assert list(Ballot.objects.values_list("choices", flat=True)) == [
        sorted([options[1].pk, options[3].pk])
    ]


def test_card_mode_is_not_tied_to_the_signed_in_user(client):
    poll, options, delegates = open_poll()
    user = UserFactory()
    delegates[0].user = user
    delegates[0].save()
    client.force_login(user)
    code = make_cards(poll, 1)[0]
    response = client.post(
        url("vote", poll), {"step": "cast", "code": code, "option": [options[0].pk]}
    )
    assert response.status_code == 200
    assert SealedBallot.objects.count() == 1
    # the card holder's issuance is a card one, not consumed: casting by card is not tied to it
    assert list(Issuance.objects.values_list("channel", "consumed")) == [(Issuance.CARD, False)]


def test_a_second_vote_with_the_same_code_is_refused(client):
    poll, options, _ = open_poll()
    code = make_cards(poll, 1)[0]
    data = {"step": "cast", "code": code, "option": [options[0].pk]}
    assert client.post(url("vote", poll), data).status_code == 200
    response = client.post(url("vote", poll), data | {"option": [options[1].pk]})
    assert BAD_CODE in response.content.decode()
    assert SealedBallot.objects.count() == 1
    close_and_decrypt(poll)
    assert list(Ballot.objects.values_list("choices", flat=True)) == [[options[0].pk]]


@pytest.mark.parametrize("step", ["review", "cast"])
def test_unknown_and_used_codes_give_the_same_message(client, step):
    poll, options, _ = open_poll()
    code = make_cards(poll, 1)[0]
    polls.cast_with_code(poll=poll, code=code, choices=[options[0].pk])
    pages = []
    for bad in (code, "ZZZZZZZZZZ"):
        response = client.post(url("vote", poll), {"step": step, "code": bad, "option": []})
        assert response.status_code == 200
        page = response.content.decode()
        assert f'<div id="code-errors" class="invalid-feedback">{BAD_CODE} </div>' in page
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
        pages.append(re.sub(r'"X-CSRFToken": "[^"]+"', "", page))
    assert pages[0] == pages[1]
    assert SealedBallot.objects.count() == 1


def test_more_choices_than_allowed_are_refused_and_nothing_is_stored(client):
    poll, options, _ = open_poll(seats=2)
    code = make_cards(poll, 1)[0]
    for step in ("review", "cast"):
        response = client.post(
            url("vote", poll),
            {"step": step, "code": code, "option": [o.pk for o in options[:3]]},
        )
        page = response.content.decode()
        assert "Chọn tối đa 2." in page
        assert 'id="ballot-errors"' in page
    assert SealedBallot.objects.count() == 0
    assert SealedBallot.objects.count() == 0
    assert BallotCode.objects.get().consumed is False


def test_a_vote_after_close_is_refused(client):
    poll, options, _ = open_poll()
    code = make_cards(poll, 1)[0]
    close_and_decrypt(poll)
    response = client.post(
        url("vote", poll), {"step": "cast", "code": code, "option": [options[0].pk]}
    )
    page = response.content.decode()
    assert NOT_OPEN in page
    assert 'name="code"' not in page
    assert SealedBallot.objects.count() == 0
    assert BallotCode.objects.get().consumed is False


def test_account_vote(client):
    poll, options, delegates = open_poll(kind=Poll.YES_NO, seats=2)
    user = UserFactory()
    delegates[2].user = user
    delegates[2].save()
    attendance.check_in(conference=poll.conference, person=delegates[2], channel=Issuance.ACCOUNT)
    client.force_login(user)
    response = client.get(url("vote_account", poll))
    assert response.status_code == 200
    assert_private(response)
    page = response.content.decode()
    assert 'name="code"' not in page
    assert page.count('value="for"') == 11
    data = {
        "step": "review",
        f"answer_{options[0].pk}": "for",
        f"answer_{options[1].pk}": "against",
    }
    response = client.post(url("vote_account", poll), data)
    page = response.content.decode()
    assert hidden_fields(page)[:3] == [  # padded to the longest answer
        (f"answer_{options[0].pk}", "for    "),
        (f"answer_{options[1].pk}", "against"),
        (f"answer_{options[2].pk}", "abstain"),
    ]
    assert len(hidden_fields(page)) == 11
    assert SealedBallot.objects.count() == 0
    response = client.post(url("vote_account", poll), data | {"step": "cast"})
    assert "data-receipt>" in response.content.decode()
    assert Issuance.objects.get().consumed is True

    # A second vote is refused, and nothing more is stored.
    response = client.get(url("vote_account", poll))
    assert "Bạn đã bỏ phiếu trong cuộc bỏ phiếu này. Xin cảm ơn." in response.content.decode()
    response = client.post(url("vote_account", poll), data | {"step": "cast"})
    assert (
        "Bạn không có phiếu trong cuộc bỏ phiếu này hoặc đã bỏ phiếu." in response.content.decode()
    )
    assert SealedBallot.objects.count() == 1
    close_and_decrypt(poll)
    ballot = Ballot.objects.get()
    assert ballot.choices[:2] == [[options[0].pk, "for"], [options[1].pk, "against"]]


def test_account_mode_refuses_non_delegates_and_delegates_without_an_account_ballot(client):
    poll, options, delegates = open_poll()
    outsider = UserFactory()
    client.force_login(outsider)
    data = {"step": "cast", "option": [options[0].pk]}
    assert client.get(url("vote_account", poll)).status_code == 403
    assert client.post(url("vote_account", poll), data).status_code == 403
    # A delegate whose ballot is on a card or on paper has no account ballot.
    user = UserFactory()
    delegates[0].user = user
    delegates[0].save()
    attendance.check_in(conference=poll.conference, person=delegates[0], channel=Issuance.PAPER)
    client.force_login(user)
    assert client.post(url("vote_account", poll), data).status_code == 403
    client.logout()
    response = client.get(url("vote_account", poll))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert SealedBallot.objects.count() == 0


def wrong_code(client, poll, attempt=0):
    return client.post(
        url("vote", poll), {"step": "review", "code": f"WRONG{attempt}", "option": []}
    )


def test_wrong_codes_are_limited_per_device_not_per_address(client):
    poll, options, _ = open_poll()
    code = make_cards(poll, 1)[0]
    assert client.get(url("vote", poll)).status_code == 200  # the device gets its cookie
    device = client.cookies[guesses.COOKIE].value
    for attempt in range(guesses.DEVICE_LIMIT):
        response = wrong_code(client, poll, attempt)
        assert response.status_code == 200
        assert BAD_CODE in response.content.decode()
    response = client.post(
        url("vote", poll), {"step": "cast", "code": code, "option": [options[0].pk]}
    )
    assert response.status_code == 429
    assert (
        "Thiết bị này đã nhập sai mã quá nhiều lần. Vui lòng chờ 10 phút rồi thử lại."
        in response.content.decode()
    )
    assert SealedBallot.objects.count() == 0
    assert BallotCode.objects.get().consumed is False
    # Another phone on the same Wi-Fi (the same address) is not blocked, nor is the same phone
    # on another poll.
    neighbour = Client()
    neighbour.get(url("vote", poll))
    response = neighbour.post(
        url("vote", poll), {"step": "cast", "code": code, "option": [options[0].pk]}
    )
    assert response.status_code == 200
    assert SealedBallot.objects.count() == 1
    other, other_options, _ = open_poll()
    other_code = make_cards(other, 1)[0]
    response = client.post(
        url("vote", other), {"step": "cast", "code": other_code, "option": [other_options[0].pk]}
    )
    assert response.status_code == 200
    # Neither the device's id nor the poll is in the cache's keys (keyed hashes are).
    keys = list(cache._cache)  # the tests' local-memory cache
    assert keys and not [k for k in keys if device in k or str(poll.uuid) in k]


def test_a_room_that_guesses_pauses_code_entry_and_the_committee_is_told(client, settings):
    settings.VOTE_ROOM_FAILED_BUDGET = 4
    poll, options, _ = open_poll()
    code = make_cards(poll, 1)[0]
    member = with_committee(poll)[0]
    for attempt in range(3):  # three phones, and one that never keeps a cookie
        phone = Client()
        phone.get(url("vote", poll))
        assert BAD_CODE in wrong_code(phone, poll, attempt).content.decode()
    client.force_login(member)
    page = client.get(poll.get_absolute_url()).content.decode()
    assert 'id="room-alert"' not in page
    assert BAD_CODE in wrong_code(Client(), poll, 3).content.decode()
    honest = Client()
    honest.get(url("vote", poll))
    response = honest.post(
        url("vote", poll), {"step": "cast", "code": code, "option": [options[0].pk]}
    )
    assert response.status_code == 429
    assert (
        "Có quá nhiều mã sai được nhập trong phòng: việc nhập mã tạm dừng một phút."
        in response.content.decode()
    )
    assert SealedBallot.objects.count() == 0
    page = client.get(poll.get_absolute_url()).content.decode()
    assert 'id="room-alert"' in page
    assert "4 mã sai đã được nhập cho cuộc bỏ phiếu này trong vòng 10 phút" in page
    # Once the pause is over (here: its entry removed), the correct code casts.
    cache.delete(guesses._pause_key(poll))
    response = honest.post(
        url("vote", poll), {"step": "cast", "code": code, "option": [options[0].pk]}
    )
    assert response.status_code == 200


def test_choices_never_travel_in_the_url(client):
    poll, options, _ = open_poll()
    code = make_cards(poll, 1)[0]
    response = client.get(
        url("vote", poll), {"step": "cast", "code": code, "option": [options[0].pk]}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "checked" not in page
    assert re.search(r'<input type="text" name="code"[^>]*value=""', page)
    assert SealedBallot.objects.count() == 0
    assert BallotCode.objects.get().consumed is False
    assert_private(response)
    # The confirmation posts back to the bare URL.
    response = client.post(
        url("vote", poll), {"step": "review", "code": code, "option": [options[0].pk]}
    )
    assert f'action="{url("vote", poll)}"' in response.content.decode()
    assert_private(response)


@pytest.mark.parametrize(
    ("kind", "field", "count"),
    [(Poll.STRIKE_OUT, "checkbox", 11), (Poll.ONE_CHOICE, "radio", 11)],
)
def test_the_ballot_follows_the_poll_kind(client, kind, field, count):
    poll, options, _ = open_poll(kind=kind, seats=2 if kind == Poll.STRIKE_OUT else 1)
    page = client.get(url("vote", poll)).content.decode()
    assert page.count(f'type="{field}" name="option"') == count
    if kind == Poll.STRIKE_OUT:
        assert page.count("checked") == 11  # all names listed, the voter strikes them out
        code = make_cards(poll, 1)[0]
        response = client.post(
            url("vote", poll),
            {"step": "cast", "code": code, "option": [o.pk for o in options]},
        )
        assert "Chọn tối đa 2." in response.content.decode()
        kept = [options[4].pk, options[2].pk]
        client.post(url("vote", poll), {"step": "cast", "code": code, "option": kept})
        close_and_decrypt(poll)
        assert list(Ballot.objects.values_list("choices", flat=True)) == [sorted(kept)]


def test_vote_status_shows_only_the_count_to_the_people_of_the_conference(client):
    poll, options, delegates = open_poll()
    for code in make_cards(poll, 3)[:2]:
        polls.cast_with_code(poll=poll, code=code, choices=[options[0].pk])
    response = client.get(url("vote_status", poll))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(UserFactory())
    assert client.get(url("vote_status", poll)).status_code == 403
    delegates[4].user = UserFactory()
    delegates[4].save()
    client.force_login(delegates[4].user)
    response = client.get(url("vote_status", poll))
    assert response.status_code == 200
    assert_private(response)
    text = re.sub(r"<[^>]+>", "", response.content.decode()).strip()
    assert text == "Đã nhận 2 phiếu"
    assert 'hx-trigger="every 10s"' in response.content.decode()


def test_receipt_check_before_and_after_close(client):
    poll, options, _ = open_poll()
    code = make_cards(poll, 1)[0]
    receipt = polls.cast_with_code(poll=poll, code=code, choices=[options[0].pk])
    response = client.post(url("receipt_check", poll), {"receipt": receipt})
    assert_private(response)
    page = response.content.decode()
    assert "Cuộc bỏ phiếu chưa kết thúc." in page
    assert "data-result" not in page
    close_and_decrypt(poll)
    response = client.post(url("receipt_check", poll), {"receipt": receipt.lower()})
    assert_private(response)
    assert (
        "Phiếu có mã theo dõi này nằm trong hòm phiếu của cuộc bỏ phiếu."
        in response.content.decode()
    )
    response = client.post(url("receipt_check", poll), {"receipt": "ABCDEF123456"})
    assert (
        "Không có phiếu nào với mã theo dõi này trong cuộc bỏ phiếu." in response.content.decode()
    )


def test_vote_page_queries_do_not_grow_with_the_ballot(client, django_assert_num_queries):
    for n in (3, 15):
        poll, options, _ = open_poll(n_delegates=n)
        with django_assert_num_queries(1):  # the same at both sizes
            client.get(url("vote", poll))


@pytest.mark.parametrize(
    ("kind", "seats", "ballots"),
    [
        (Poll.CHOOSE, 2, [[], [0], [0, 1], [3, 10]]),
        (Poll.CHOOSE, 10, [[4], list(range(10))]),  # the counter's 1 and 10
        (Poll.ONE_CHOICE, 1, [[], [0], [10]]),
        (Poll.STRIKE_OUT, 2, [[], [2], [2, 5]]),
        (Poll.YES_NO, 2, [{}, {0: "for"}, {0: "for", 1: "against", 2: "against"}, {5: "against"}]),
    ],
)
def test_the_pages_of_the_voting_flow_have_one_size_whatever_was_chosen(
    client, kind, seats, ballots
):
    """The confirmation, the ballot back from it, and the page after the cast: one size each
    for every ballot of the poll (the response's size is all a log or the network sees)."""
    poll, options, _ = open_poll(kind=kind, seats=seats)
    codes = make_cards(poll, len(ballots))
    client.get(url("vote", poll))
    sizes: dict[str, set[int]] = {"review": set(), "edit": set(), "cast": set()}
    for code, ballot in zip(codes, ballots, strict=True):
        if kind == Poll.YES_NO:
            data = {f"answer_{options[i].pk}": answer for i, answer in ballot.items()}
        else:
            data = {"option": [options[i].pk for i in ballot]}
        for step in sizes:
            response = client.post(url("vote", poll), data | {"code": code, "step": step})
            assert response.status_code == 200
            sizes[step].add(len(response.content))
    assert SealedBallot.objects.count() == len(ballots)
    assert all(len(found) == 1 for found in sizes.values()), sizes
    close_and_decrypt(poll)
    assert Ballot.objects.count() == len(ballots)
