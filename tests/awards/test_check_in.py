"""Check-in once per conference, and the figures that must add up: cards <= card holders,
electronic ballots received <= issued, paper collected <= issued."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards import sealing
from awards.models import (
    BallotCode,
    CheckIn,
    Issuance,
    PaperCount,
    Poll,
    PollOption,
    SealedBallot,
)
from awards.services import attendance, committee, polls
from awards.services.polls import BAD_CODE
from tests.awards.factories import check_in, close_and_decrypt, make_poll
from tests.clusters.factories import OfficerTermFactory, PersonFactory, UserFactory, make_cluster

pytestmark = pytest.mark.django_db

CARD_MESSAGE = (
    "Đã phát 7 thẻ cho “Đề nghị tặng Cờ thi đua”, nhưng chỉ có 6 đại biểu nhận thẻ khi điểm danh."
)


def committee_member(poll):
    member = PersonFactory(unit=poll.conference.delegates.first().unit, user=UserFactory())
    poll.conference.counting_committee.add(member)
    return member.user


def second_poll(poll):
    other = Poll.objects.create(conference=poll.conference, question="Đề nghị tặng Bằng khen")
    PollOption.objects.create(poll=other, label="Nguyễn Văn A", position=0)
    return other


def check_in_url(conference):
    return reverse("awards:conference_check_in", kwargs={"conference": conference.uuid})


def channels(poll):
    return dict(Issuance.objects.filter(poll=poll).values_list("person__full_name", "channel"))


def test_every_poll_uses_the_conference_check_in_until_a_delegate_leaves():
    poll, _options, delegates = make_poll(n_delegates=4)
    conference = poll.conference
    check_in(poll, delegates[:2], Issuance.PAPER)
    check_in(poll, delegates[2:3], Issuance.CARD)
    entry = CheckIn.objects.get(person=delegates[0])
    assert entry.checked_in_at is not None and entry.checked_out_at is None
    assert not Issuance.objects.exists()  # a draft poll gives no ballot yet
    polls.open_poll(poll=poll)
    assert channels(poll) == {
        delegates[0].full_name: Issuance.PAPER,
        delegates[1].full_name: Issuance.PAPER,
        delegates[2].full_name: Issuance.CARD,
    }
    # a late arrival receives a ballot of the open poll at once
    attendance.check_in(conference=conference, person=delegates[3], channel=Issuance.ACCOUNT)
    assert channels(poll)[delegates[3].full_name] == Issuance.ACCOUNT
    # one leaves: the next poll gives them none; the open poll keeps what it issued
    attendance.check_out(conference=conference, person=delegates[0])
    other = second_poll(poll)
    polls.open_poll(poll=other)
    assert sorted(channels(other)) == sorted(d.full_name for d in delegates[1:])
    assert len(channels(poll)) == 4
    # back, on another channel, for the polls opened from now on
    attendance.check_in(conference=conference, person=delegates[0], channel=Issuance.CARD)
    assert channels(other)[delegates[0].full_name] == Issuance.CARD
    assert channels(poll)[delegates[0].full_name] == Issuance.PAPER
    assert CheckIn.objects.count() == 4


def test_undo_only_before_a_ballot_was_received():
    poll, _options, delegates = make_poll(n_delegates=2)
    conference = poll.conference
    attendance.check_in(conference=conference, person=delegates[0], channel=Issuance.CARD)
    attendance.undo_check_in(conference=conference, person=delegates[0])
    assert not CheckIn.objects.exists()
    attendance.check_in(conference=conference, person=delegates[0], channel=Issuance.PAPER)
    polls.open_poll(poll=poll)
    with pytest.raises(ValidationError) as error:
        attendance.undo_check_in(conference=conference, person=delegates[0])
    assert error.value.message_dict == {
        "person": [
            f"{delegates[0].full_name} đã nhận phiếu của “Đề nghị tặng Cờ thi đua”: không hủy "
            "điểm danh được, hãy ghi nhận ra về khi đại biểu rời hội nghị."
        ]
    }
    assert CheckIn.objects.get().is_present
    with pytest.raises(ValidationError):
        attendance.check_out(conference=conference, person=delegates[1])  # never checked in


def test_the_page_checks_in_undoes_and_checks_out(client):
    poll, _options, delegates = make_poll(n_delegates=3)
    client.force_login(committee_member(poll))
    url = check_in_url(poll.conference)
    for action in ("check_in", "undo", "check_in", "check_out"):
        data = {"person": delegates[0].uuid, "channel": Issuance.CARD, "action": action}
        response = client.post(url, data)
        assert response.status_code == 302, action
        assert response.url == f"{url}#person-{delegates[0].uuid}"
    entry = CheckIn.objects.get()
    assert (entry.channel, entry.is_present) == (Issuance.CARD, False)
    # in, deleted (undo), in again, out: the audit trail keeps each step with its time
    assert CheckIn.history.filter(person=delegates[0]).count() == 4
    page = client.get(url)
    assert page.context["present"] == 0
    assert "ra về lúc" in page.content.decode()


def test_someone_not_on_the_roster_is_refused_at_the_field_and_nothing_is_stored(client):
    poll, _options, _delegates = make_poll(n_delegates=2)
    client.force_login(committee_member(poll))
    stranger = PersonFactory(full_name="Người Ngoài Danh Sách")
    response = client.post(
        check_in_url(poll.conference),
        {"person": stranger.uuid, "channel": Issuance.PAPER, "action": "check_in"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "person": ["Người Ngoài Danh Sách không có trong danh sách đại biểu."]
    }
    assert 'aria-invalid="true"' in str(response.context["form"]["person"])
    assert not CheckIn.objects.exists()


def test_someone_not_on_the_roster_gets_no_ballot_of_an_open_poll():
    poll, _options, delegates = make_poll(n_delegates=2)
    polls.open_poll(poll=poll)
    stranger = PersonFactory(full_name="Người Ngoài Danh Sách")
    with pytest.raises(ValidationError) as error:
        attendance.check_in(conference=poll.conference, person=stranger, channel=Issuance.CARD)
    assert error.value.message_dict == {
        "person": ["Người Ngoài Danh Sách không có trong danh sách đại biểu."]
    }
    assert not CheckIn.objects.exists() and not Issuance.objects.exists()


def test_a_7th_card_for_6_card_holders_is_refused_at_the_field(client):
    poll, _options, delegates = make_poll(n_delegates=11)
    client.force_login(committee_member(poll))
    check_in(poll, delegates[:5], Issuance.PAPER)
    check_in(poll, delegates[5:], Issuance.CARD)
    polls.open_poll(poll=poll)
    url = reverse("awards:poll_cards", kwargs={"poll": poll.uuid})
    response = client.post(url, {"number": 7})
    assert response.status_code == 400
    assert response.context["form"].errors == {"number": [CARD_MESSAGE]}
    assert not BallotCode.objects.exists()
    assert client.post(url, {"number": 4}).status_code == 200
    response = client.post(url, {"number": 3})
    assert response.context["form"].errors == {
        "number": [
            "Đã phát 7 thẻ cho “Đề nghị tặng Cờ thi đua”, nhưng chỉ có 6 đại biểu nhận thẻ "
            "khi điểm danh."
        ]
    }
    assert client.post(url, {"number": 2}).status_code == 200
    assert BallotCode.objects.count() == 6
    page = client.get(poll.get_absolute_url())
    figures = page.context["figures"]
    assert (figures.cards_issued, figures.card_holders, figures.paper_issued) == (6, 6, 5)
    assert "Thẻ đã phát / đại biểu nhận thẻ khi điểm danh" in page.content.decode()


def test_spare_cards_cast_only_once_handed_out_to_a_card_holder(client):
    poll, options, delegates = make_poll(n_delegates=3)
    client.force_login(committee_member(poll))
    check_in(poll, delegates[:2], Issuance.CARD)
    polls.open_poll(poll=poll)
    polls.make_codes(poll=poll, count=2)
    cards = client.post(
        reverse("awards:poll_cards", kwargs={"poll": poll.uuid}), {"number": 2, "spare": "on"}
    )
    assert [c["spare"] for c in cards.context["cards"]] == [1, 2]
    assert "THẺ DỰ PHÒNG D1" in cards.content.decode()
    spare = cards.context["cards"][0]["code"]
    with pytest.raises(ValidationError) as error:
        polls.cast_with_code(poll=poll, code=spare, choices=[options[0].pk])
    assert error.value.code == BAD_CODE
    # every card holder has a card: handing out a spare is refused
    spare_url = reverse("awards:poll_spare", kwargs={"poll": poll.uuid})
    client.post(spare_url, {"spare": 1})
    assert BallotCode.objects.filter(handed_out=False).count() == 2
    # a late card holder receives spare 1
    attendance.check_in(conference=poll.conference, person=delegates[2], channel=Issuance.CARD)
    assert client.post(spare_url, {"spare": 1}).status_code == 302
    polls.cast_with_code(poll=poll, code=spare, choices=[options[0].pk])
    assert SealedBallot.objects.count() == 1
    figures = attendance.figures(poll)
    assert (figures.cards_issued, figures.card_holders, figures.spares_waiting) == (3, 3, 1)


def test_more_electronic_ballots_than_issued_are_refused():
    poll, options, delegates = make_poll(n_delegates=2)
    check_in(poll, delegates[:1], Issuance.ACCOUNT)
    polls.open_poll(poll=poll)
    polls.cast_with_account(poll=poll, person=delegates[0], choices=[options[0].pk])
    # One too many, from nowhere: whoever can write to the database can seal a ballot to the
    # poll's public key, but not cast it more often than ballots were issued.
    poll.refresh_from_db()
    forged = sealing.seal(
        public=bytes(poll.public_key),
        poll_id=poll.uuid.bytes,
        plaintext=sealing.encode_choices([o.pk for o in options], {options[1].pk: "for"}),
    )
    SealedBallot.objects.create(poll=poll, sealed=forged, tracker=sealing.tracker(forged))
    close_and_decrypt(poll)
    with pytest.raises(ValidationError) as error:
        committee.mark_counted(poll=poll)
    assert error.value.messages == ["Đã nhận 2 phiếu điện tử, nhưng chỉ phát ra 1 phiếu điện tử."]


def test_the_database_refuses_paper_collected_above_issued():
    poll, _options, _delegates = make_poll(n_delegates=2)
    user = UserFactory()
    for collected, valid, invalid in ((3, 3, 0), (2, 1, 0)):
        with pytest.raises(IntegrityError), transaction.atomic():
            PaperCount.objects.create(
                poll=poll,
                entered_by=user,
                issued=2,
                collected=collected,
                valid=valid,
                invalid=invalid,
            )
    assert not PaperCount.objects.exists()


def test_who_is_refused(client):
    poll, _options, delegates = make_poll(n_delegates=3)
    committee_member(poll)
    officer = UserFactory()
    OfficerTermFactory(user=officer, unit=delegates[2].unit)
    _, other_units = make_cluster(1)
    stranger = UserFactory()
    OfficerTermFactory(user=stranger, unit=other_units[0])
    delegate = UserFactory()
    delegates[2].user = delegate
    delegates[2].save()
    url = check_in_url(poll.conference)
    data = {"person": delegates[0].uuid, "channel": Issuance.PAPER, "action": "check_in"}
    assert client.post(url, data).url.startswith(reverse("login"))
    for user in (officer, stranger, delegate):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, data).status_code == 403
    assert not CheckIn.objects.exists()


def _queries(client, n_delegates):
    poll, _options, delegates = make_poll(n_delegates=n_delegates)
    client.force_login(committee_member(poll))
    check_in(poll, delegates[:2], Issuance.PAPER)
    check_in(poll, delegates[2:], Issuance.CARD)
    url = check_in_url(poll.conference)
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_check_in_page_makes_as_many_queries_with_5_or_15_delegates(client):
    small = _queries(client, 5)
    assert small == 12
    assert _queries(client, 15) == small
