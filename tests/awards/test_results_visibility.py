"""Who may see a poll's count and minutes when (awards.rules), the state questions a poll
answers (Poll.is_open, is_counted, ...) and the small-channel secrecy threshold
(awards.services.counting.channel_split)."""

import pytest
from django.urls import reverse

from awards.models import Ballot, Poll
from awards.services.counting import SMALL_CHANNEL, ChannelSplit, Count, channel_split
from clusters.models import ClusterYear
from tests.awards.factories import make_poll
from tests.clusters.factories import OfficerTermFactory, PersonFactory, UserFactory, officer

pytestmark = pytest.mark.django_db

S = Poll.Status
STATE_QUESTIONS = [
    "is_draft",
    "is_open",
    "is_before_close",
    "is_closed",
    "is_counted",
    "awaits_certification",
    "awaits_publication",
    "is_published",
    "is_void",
    "can_be_voided",
]
TRUE_IN = {
    S.DRAFT: {"is_draft", "is_before_close", "can_be_voided"},
    S.OPEN: {"is_open", "is_before_close", "can_be_voided"},
    S.CLOSED: {"is_closed", "can_be_voided"},
    S.COUNTED: {"is_counted", "awaits_certification", "can_be_voided"},
    S.CERTIFIED: {"is_counted", "awaits_publication", "can_be_voided"},
    S.PUBLISHED: {"is_counted", "is_published"},
    S.VOID: {"is_void"},
}


@pytest.mark.parametrize("status", list(S))
def test_each_poll_state_answers_its_questions(status):
    poll = Poll(status=status)
    assert {q for q in STATE_QUESTIONS if getattr(poll, q)} == TRUE_IN[status]
    assert poll.status_badge.startswith("text-bg-")


@pytest.fixture
def people():
    """A poll of an open year, the people around it: a member of its counting committee, an
    officer of a member unit, a delegate with an account, an officer of another cluster."""
    poll, options, delegates = make_poll(n_delegates=3, seats=1)
    committee = PersonFactory(unit=options[0].unit, user=UserFactory(username="kiemphieu"))
    poll.conference.counting_committee.set([committee])
    delegate = delegates[1]
    delegate.user = UserFactory(username="daibieu")
    delegate.save()
    return poll, {
        "committee": committee.user,
        "member": officer(options[2].unit),
        "delegate": delegate.user,
        "outsider": OfficerTermFactory().user,
    }


def set_status(poll, status):
    Poll.objects.filter(pk=poll.pk).update(status=status)
    poll.refresh_from_db()


def allowed(perm, users, poll) -> set[str]:
    return {name for name, user in users.items() if user.has_perm(perm, poll)}


COUNT_SEEN_BY = {
    S.DRAFT: set(),
    S.OPEN: set(),
    # Closed: nobody, until every channel is counted (the electronic ballots decrypted, the paper
    # entries agreed: test_sealed_ballots); then the committee checks the figures.
    S.CLOSED: set(),
    S.COUNTED: {"committee"},
    S.CERTIFIED: {"committee"},
    S.PUBLISHED: {"committee", "member", "delegate"},
    S.VOID: set(),
}


@pytest.mark.parametrize("status", list(S))
def test_who_sees_the_count_and_the_minutes_when(people, status):
    poll, users = people
    set_status(poll, status)
    assert allowed("awards.view_count", users, poll) == COUNT_SEEN_BY[status]
    # The committee may always ask for the minutes (the page then says when they are not ready).
    minutes = {"committee", "member", "delegate"} if status == S.PUBLISHED else {"committee"}
    assert allowed("awards.view_minutes", users, poll) == minutes


def test_after_the_year_closes_the_committee_reads_the_count_but_the_minutes_once_published(
    client, people
):
    poll, users = people
    ClusterYear.objects.filter(pk=poll.conference.cluster_year_id).update(
        status=ClusterYear.Status.CLOSED
    )
    committee = users["committee"]
    minutes = reverse("awards:poll_minutes_docx", kwargs={"poll": poll.uuid})
    client.force_login(committee)

    set_status(poll, S.CLOSED)
    assert not committee.has_perm("awards.run_poll", poll)
    assert not committee.has_perm("awards.view_count", Poll.objects.get(pk=poll.pk))

    set_status(poll, S.COUNTED)
    page = client.get(poll.get_absolute_url())
    assert page.status_code == 200
    assert "count_problem" in page.context  # the count is shown (this poll was never opened)
    assert minutes not in page.content.decode()
    assert client.get(minutes).status_code == 403

    set_status(poll, S.PUBLISHED)
    assert minutes in client.get(poll.get_absolute_url()).content.decode()


def counted(collected: int) -> Count:
    return Count(issued=collected, collected=collected, valid=collected, invalid=0, base=collected)


def electronic_ballots(poll, n: int) -> None:
    Ballot.objects.bulk_create(Ballot(poll=poll, choices=[]) for _ in range(n))


def test_channels_are_shown_apart_only_when_each_holds_enough_ballots():
    poll, _options, _delegates = make_poll(n_delegates=3, seats=1)
    assert SMALL_CHANNEL == 5
    electronic_ballots(poll, 5)
    assert channel_split(poll=poll, outcome=counted(10)) == ChannelSplit(paper=5, electronic=5)
    assert channel_split(poll=poll, outcome=counted(9)) is None  # 4 on paper
    assert channel_split(poll=poll, outcome=counted(5)) is None  # electronic only

    fewer = make_poll(n_delegates=3, seats=1)[0]
    electronic_ballots(fewer, 4)
    assert channel_split(poll=fewer, outcome=counted(30)) is None  # 4 electronic
