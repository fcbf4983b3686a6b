"""Issue 10, §5 and §3: committee members and delegates find their conference and its polls on
the home page ("Bỏ phiếu", "Đã bỏ phiếu", "Kiểm phiếu"); the secretariat and the supervisor
reach the award proposal by links from the nomination round, the conference and the year."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import Issuance, NominationRound, Poll, PollOption, Proposal
from awards.services import attendance, polls
from clusters.models import ClusterYear, Supervision
from tests.clusters.factories import ConferenceFactory, PersonFactory, UserFactory, build_world
from tests.helpers import messages_of

pytestmark = pytest.mark.django_db

HOME = reverse("home")
NOT_ATTACHED = "Tài khoản của bạn chưa được gắn với đơn vị hoặc cụm thi đua nào."
VOTE = "Bỏ phiếu"
VOTED = "Đã bỏ phiếu"
COUNT = "Kiểm phiếu"
ON_PAPER = "Bạn bỏ phiếu bằng phiếu giấy: hãy bỏ phiếu vào hòm phiếu."
NO_BALLOT = "Bạn chưa nhận phiếu: hãy liên hệ Ban Kiểm phiếu để được phát phiếu."
NOTHING_UNDER_WAY = "Hiện không có cuộc bỏ phiếu nào đang diễn ra tại hội nghị này."
PROPOSAL = "Tờ trình đề nghị khen thưởng"


@pytest.fixture
def world():
    return build_world(n_units=5)


def make_poll(conference, question, *, status=Poll.Status.OPEN) -> Poll:
    """A poll of the conference among its first two delegates' units, opened (and moved on to
    `status` directly: the home page only reads it)."""
    poll = Poll.objects.create(conference=conference, question=question, seats=1)
    for i, person in enumerate(conference.delegates.order_by("pk")[:2]):
        PollOption.objects.create(
            poll=poll, label=person.unit.short_name, unit=person.unit, position=i
        )
    if status != Poll.Status.DRAFT:
        polls.open_poll(poll=poll)
        Poll.objects.filter(pk=poll.pk).update(status=status)
        poll.refresh_from_db()
    return poll


def make_conference(world, *, cluster_year=None, title="Hội nghị tổng kết năm 2021"):
    conference = ConferenceFactory(cluster_year=cluster_year or world.year, title=title)
    conference.delegates.set([PersonFactory(unit=unit) for unit in world.units])
    return conference


def with_account(person):
    person.user = UserFactory()
    person.save(update_fields=["user"])
    return person.user


def poll_items(page: str) -> dict[str, str]:
    """Each poll's list item on the home page, by the poll's uuid."""
    return dict(
        re.findall(r'<li class="list-group-item" data-poll="([^"]+)">(.*?)</li>', page, re.S)
    )


def links(page: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', page)


def test_a_delegate_votes_from_home_and_then_sees_voted(client, world):
    conference = make_conference(world)
    poll = make_poll(conference, "Đề nghị tặng Cờ thi đua")
    delegate = conference.delegates.order_by("pk")[0]
    user = with_account(delegate)
    client.force_login(user)

    page = client.get(HOME).content.decode()
    assert NOT_ATTACHED not in page
    assert "Hội nghị bạn tham gia" in page and conference.title in page
    # Not checked in yet: no button, and where to get a ballot.
    item = poll_items(page)[str(poll.uuid)]
    assert "Đề nghị tặng Cờ thi đua" in item and NO_BALLOT in item and VOTE not in item

    attendance.check_in(conference=poll.conference, person=delegate, channel=Issuance.ACCOUNT)
    page = client.get(HOME).content.decode()
    item = poll_items(page)[str(poll.uuid)]
    vote_url = reverse("awards:vote_account", kwargs={"poll": poll.uuid})
    assert f'<a class="btn btn-primary" href="{vote_url}">{VOTE}</a>' in item
    assert VOTED not in item and COUNT not in item
    assert client.get(vote_url).status_code == 200

    option = poll.options.first()
    polls.cast_with_account(poll=poll, person=delegate, choices=[option.pk])
    page = client.get(HOME).content.decode()
    item = poll_items(page)[str(poll.uuid)]
    assert VOTED in item and vote_url not in item
    # The home page says nothing of the other delegates.
    assert page.count("data-voted") == 1


def test_card_and_paper_ballots(client, world):
    conference = make_conference(world)
    on_card, on_paper = conference.delegates.order_by("pk")[:2]
    poll = make_poll(conference, "Đề nghị tặng Bằng khen")
    attendance.check_in(conference=poll.conference, person=on_card, channel=Issuance.CARD)
    attendance.check_in(conference=poll.conference, person=on_paper, channel=Issuance.PAPER)

    client.force_login(with_account(on_card))
    item = poll_items(client.get(HOME).content.decode())[str(poll.uuid)]
    # The card page, where the code is typed: a card has no holder, so it is never "voted".
    card_url = reverse("awards:vote", kwargs={"poll": poll.uuid})
    assert f'<a class="btn btn-primary" href="{card_url}">{VOTE}</a>' in item

    client.force_login(with_account(on_paper))
    item = poll_items(client.get(HOME).content.decode())[str(poll.uuid)]
    assert ON_PAPER in item and "btn" not in item


def test_a_delegate_sees_only_open_polls_and_a_committee_member_every_poll_until_published(
    client, world
):
    conference = make_conference(world)
    by_status = {
        status: make_poll(conference, f"Cuộc bỏ phiếu {status}", status=status)
        for status in Poll.Status.values
    }
    delegate = conference.delegates.order_by("pk")[0]
    client.force_login(with_account(delegate))
    shown = poll_items(client.get(HOME).content.decode())
    assert list(shown) == [str(by_status[Poll.Status.OPEN].uuid)]

    member = PersonFactory(unit=world.units[2])
    conference.counting_committee.add(member)
    client.force_login(with_account(member))
    page = client.get(HOME).content.decode()
    shown = poll_items(page)
    under_way = [Poll.Status.OPEN, Poll.Status.CLOSED, Poll.Status.COUNTED, Poll.Status.CERTIFIED]
    assert list(shown) == [str(by_status[s].uuid) for s in under_way]
    for status in under_way:
        poll = by_status[status]
        item = shown[str(poll.uuid)]
        assert f'href="{poll.get_absolute_url()}">{COUNT}</a>' in item
        assert VOTE not in item  # a committee member who is not a delegate has no ballot
    assert reverse("awards:conference_polls", kwargs={"conference": conference.uuid}) in links(page)
    assert "Ban kiểm phiếu" in page and NOT_ATTACHED not in page


def test_a_conference_without_polls_under_way(client, world):
    conference = make_conference(world)
    make_poll(conference, "Chưa mở", status=Poll.Status.DRAFT)
    client.force_login(with_account(conference.delegates.order_by("pk")[0]))
    page = client.get(HOME).content.decode()
    assert NOTHING_UNDER_WAY in page
    assert reverse("clusters:conference_detail", kwargs={"conference": conference.uuid}) in links(
        page
    )


def test_nobody_else_sees_the_conference(client, world):
    conference = make_conference(world)
    poll = make_poll(conference, "Đề nghị tặng Cờ thi đua")
    other = make_conference(world, title="Hội nghị sơ kết 6 tháng")
    other_delegate = other.delegates.order_by("pk")[0]
    # A delegate of another conference, a unit officer and an account with no role.
    for user in (with_account(other_delegate), world.officer_a, UserFactory()):
        client.force_login(user)
        page = client.get(HOME).content.decode()
        assert str(poll.uuid) not in page and conference.title not in page
    # The account with no role is still told that it is attached to nothing.
    assert NOT_ATTACHED in page


def test_conferences_of_closed_years_are_not_listed(client, world):
    conference = make_conference(world, cluster_year=world.last_year, title="Hội nghị năm 2020")
    client.force_login(with_account(conference.delegates.order_by("pk")[0]))
    page = client.get(HOME).content.decode()
    assert conference.title not in page and NOT_ATTACHED in page


def build_home(world, n: int):
    """An account that is a delegate (with an account ballot, cast in half the polls) and on the
    committee of n conferences of n polls each."""
    person = PersonFactory(unit=world.units[0])
    user = with_account(person)
    for i in range(n):
        conference = make_conference(world, title=f"Hội nghị {i}")
        conference.delegates.add(person)
        conference.counting_committee.add(person)
        # Checked in once: every poll opened afterwards hands him its ballot.
        attendance.check_in(conference=conference, person=person, channel=Issuance.ACCOUNT)
        for j in range(n):
            poll = make_poll(conference, f"Cuộc bỏ phiếu {i}.{j}")
            if j % 2:
                polls.cast_with_account(poll=poll, person=person, choices=[])
    return user


def home_queries(client, user) -> tuple[int, str]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(HOME)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_home_queries_do_not_grow_with_conferences_and_polls(client, world):
    small, page = home_queries(client, build_home(world, 2))
    assert page.count("data-voted") == 2 and len(poll_items(page)) == 4
    large, page = home_queries(client, build_home(world, 5))
    assert page.count("data-voted") == 10 and len(poll_items(page)) == 25
    assert small == large == 10


# ---------------------------------------------------------------------------------------------
# Links to the award proposal


@pytest.fixture
def proposal_world(world):
    nomination_round = NominationRound.objects.create(cluster_year=world.year)
    conference = make_conference(world)
    member = PersonFactory(unit=world.units[3])
    conference.counting_committee.add(member)
    supervisor = UserFactory()
    Supervision.objects.create(user=supervisor, cluster=world.cluster)
    kwargs = {"cluster": world.cluster.uuid, "year": world.year.year}
    pages = [
        reverse("awards:nominations", kwargs=kwargs),
        reverse("clusters:conference_detail", kwargs={"conference": conference.uuid}),
        reverse("clusters:year_detail", kwargs=kwargs),
    ]
    proposal = reverse("awards:proposal", kwargs={"round": nomination_round.uuid})
    return world, pages, proposal, supervisor, with_account(member)


def test_the_secretariat_and_the_supervisor_reach_the_proposal_by_links(client, proposal_world):
    world, pages, proposal, supervisor, _member = proposal_world
    for user in (world.secretary, world.staff, supervisor):
        client.force_login(user)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            page = response.content.decode()
            assert f'href="{proposal}">{PROPOSAL}</a>' in page, (user, url)
        assert client.get(proposal).status_code == 200


def test_nobody_else_sees_a_link_to_the_proposal(client, proposal_world):
    world, pages, proposal, _supervisor, member = proposal_world
    # A member unit's officer, a committee member (the conference page only) and the secretary
    # of last year are refused the proposal, and see no link to it.
    for user, urls in ((world.officer_a, pages), (member, pages[1:2])):
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert proposal not in response.content.decode()
        assert client.get(proposal).status_code == 403
    client.force_login(world.last_secretary)
    assert client.get(proposal).status_code == 403


def test_the_proposal_of_a_closed_year_is_read_only_for_its_secretariat(client, world):
    ClusterYear.objects.filter(pk=world.last_year.pk).update(status=ClusterYear.Status.CLOSED)
    nomination_round = NominationRound.objects.create(cluster_year=world.last_year)
    proposal = reverse("awards:proposal", kwargs={"round": nomination_round.uuid})
    client.force_login(world.last_secretary)
    kwargs = {"cluster": world.cluster.uuid, "year": 2020}
    page = client.get(reverse("clusters:year_detail", kwargs=kwargs)).content.decode()
    assert proposal in page  # the secretariat reads what it sent
    response = client.get(proposal)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="read-only"' in html and 'type="submit"' not in html.split("<main")[1]
    # a change is refused with the closed year's message, and nothing is stored
    refused = client.post(proposal, {"number": "9-TTr/CTĐ4", "status": "sent"})
    assert refused.status_code == 302 and refused.url == proposal
    assert messages_of(client.get(proposal)) == [
        "Năm 2020 đã khóa sổ, không thể thay đổi được nữa."
    ]
    assert not Proposal.objects.filter(round=nomination_round).exists()
