"""The counting committee's pages: set up, open, check in, close, paper counts, count,
certification, publication, runoffs and who is refused."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import Ballot, BallotCode, Certification, Issuance, PaperCount, Poll, PollOption
from awards.services import attendance, counting, polls
from tests.awards.factories import close_and_decrypt, make_cards, make_poll, with_committee
from tests.clusters.factories import OfficerTermFactory, UserFactory, make_cluster

pytestmark = pytest.mark.django_db


def post(client, name, poll, data=None):
    return client.post(reverse(f"awards:{name}", kwargs={"poll": poll.uuid}), data or {})


def test_a_poll_from_creation_to_publication(client):
    poll, options, delegates = make_poll(n_delegates=11, seats=2)
    first, second = with_committee(poll)
    conference = poll.conference
    client.force_login(first)

    response = client.post(
        reverse("awards:poll_create", kwargs={"conference": conference.uuid}),
        {
            "question": "Đề nghị tặng Bằng khen",
            "kind": Poll.CHOOSE,
            "seats": "2",
            "threshold_base": Poll.COLLECTED,
            "comparator": Poll.GT,
            "fraction": "0,5",
            "tie_rule": Poll.RUNOFF,
            "allow_self_vote": "on",
            "units": [delegates[0].unit.pk, delegates[1].unit.pk],
            "labels": "Nguyễn Văn A\n\n  Trần Thị B  \n",
        },
    )
    new = Poll.objects.exclude(pk=poll.pk).get()
    assert response.status_code == 302 and response.url == new.get_absolute_url()
    assert str(new.fraction) == "0.500"
    assert list(new.options.values_list("label", flat=True)) == [
        delegates[0].unit.short_name,
        delegates[1].unit.short_name,
        "Nguyễn Văn A",
        "Trần Thị B",
    ]
    listing = client.get(reverse("awards:conference_polls", kwargs={"conference": conference.uuid}))
    assert "Đề nghị tặng Bằng khen" in listing.content.decode()

    # The conference's check-in, once: 5 on paper, 6 on cards; a second check-in is refused.
    check_in_url = reverse("awards:conference_check_in", kwargs={"conference": conference.uuid})
    for d in delegates[:5]:
        client.post(
            check_in_url, {"person": d.uuid, "channel": Issuance.PAPER, "action": "check_in"}
        )
    for d in delegates[5:]:
        client.post(
            check_in_url, {"person": d.uuid, "channel": Issuance.CARD, "action": "check_in"}
        )
    again = client.post(
        check_in_url, {"person": delegates[0].uuid, "channel": Issuance.CARD, "action": "check_in"}
    )
    assert again.status_code == 400
    assert again.context["form"].errors == {
        "person": [f"{delegates[0].full_name} đã được điểm danh (phiếu giấy)."]
    }
    # The helper's poll: open (each delegate present receives a ballot), cards, cast, close.
    assert post(client, "poll_open", poll).status_code == 302
    poll.refresh_from_db()
    assert poll.status == Poll.Status.OPEN
    assert client.get(reverse("awards:poll_edit", kwargs={"poll": poll.uuid})).status_code == 302
    page = client.get(poll.get_absolute_url()).content.decode()
    assert poll.rules_hash in page
    assert list(Issuance.objects.filter(person=delegates[0]).values_list("channel", flat=True)) == [
        Issuance.PAPER
    ]
    assert Issuance.objects.filter(poll=poll, channel=Issuance.CARD).count() == 6
    cards = post(client, "poll_cards", poll, {"number": "6"})
    assert cards.status_code == 200 and cards["Cache-Control"].startswith("max-age=0")
    codes = [c["code"].replace("-", "") for c in cards.context["cards"]]
    assert len(codes) == 6 and BallotCode.objects.filter(poll=poll).count() == 6
    assert "<svg" in cards.content.decode() and "#code=" not in cards.context["vote_url"]
    for code in codes:
        polls.cast_with_code(poll=poll, code=code, choices=[options[0].pk, options[1].pk])
    page = client.get(poll.get_absolute_url())
    assert page.context["received"] == 6 and "outcome" not in page.context
    assert post(client, "poll_close", poll).status_code == 302

    # Each member collects their key share once; together they decrypt the electronic ballots.
    shares = []
    for member in (first, second):
        client.force_login(member)
        shown = post(client, "poll_share", poll)
        assert shown.status_code == 200 and "no-store" in shown["Cache-Control"]
        shares.append(shown.context["share"])
        assert post(client, "poll_share", poll).status_code == 302  # shown once only
    assert "outcome" not in client.get(poll.get_absolute_url()).context
    assert post(client, "poll_decrypt", poll, {"shares": "\n".join(shares)}).status_code == 302
    assert "outcome" not in client.get(poll.get_absolute_url()).context  # paper not counted yet

    # Paper counts entered twice, with a difference, then resolved.
    def entry(user, first_votes):
        client.force_login(user)
        data = {"issued": 5, "collected": 5, "valid": 5, "invalid": 0}
        for option in options:
            data[f"opt_{option.pk}_for"] = 0
        data[f"opt_{options[0].pk}_for"] = first_votes
        data[f"opt_{options[2].pk}_for"] = 5
        return post(client, "paper_count", poll, data)

    assert entry(first, 4).status_code == 302
    assert entry(second, 3).status_code == 302
    page = client.get(reverse("awards:paper_count", kwargs={"poll": poll.uuid}))
    assert page.context["differences"] == [f"{options[0].label} (đồng ý): 4 hay 3?"]
    post(client, "poll_counted", poll)
    poll.refresh_from_db()
    assert poll.status == Poll.Status.CLOSED
    assert entry(second, 4).status_code == 302
    assert PaperCount.objects.filter(poll=poll).count() == 2
    assert post(client, "poll_counted", poll).status_code == 302
    poll.refresh_from_db()
    assert poll.status == Poll.Status.COUNTED

    outcome = client.get(poll.get_absolute_url()).context["outcome"]
    assert (outcome.issued, outcome.collected, outcome.valid, outcome.base) == (11, 11, 11, 11)
    votes = {r.label: (r.votes, r.elected) for r in outcome.options}
    assert votes[options[0].label] == (10, True)
    assert votes[options[1].label] == (6, True)
    assert votes[options[2].label] == (5, False)
    # 6 electronic and 5 paper ballots: both channels hold 5 or more, the split may be shown
    split = client.get(poll.get_absolute_url()).context["split"]
    assert split == counting.ChannelSplit(paper=5, electronic=6)

    # Certified by both members, then published.
    post(client, "poll_certify", poll)
    poll.refresh_from_db()
    assert poll.status == Poll.Status.COUNTED
    client.force_login(first)
    post(client, "poll_certify", poll)
    poll.refresh_from_db()
    assert poll.status == Poll.Status.CERTIFIED
    assert Certification.objects.filter(poll=poll).count() == 2
    post(client, "poll_publish", poll)
    poll.refresh_from_db()
    assert poll.status == Poll.Status.PUBLISHED


def test_small_channels_are_shown_combined_only(client):
    poll, options, delegates = make_poll(n_delegates=4, seats=1)
    first, _second = with_committee(poll)
    polls.open_poll(poll=poll)
    for d in delegates:
        attendance.check_in(conference=poll.conference, person=d, channel=Issuance.CARD)
    for code in make_cards(poll, 4):
        polls.cast_with_code(poll=poll, code=code, choices=[options[0].pk])
    close_and_decrypt(poll)
    client.force_login(first)
    response = client.get(poll.get_absolute_url())
    assert response.context["split"] is None
    assert response.context["outcome"].collected == 4


def test_inconsistent_paper_counts_are_refused_and_nothing_is_saved(client, poll_world):
    poll, options, delegates = poll_world.poll, poll_world.options, poll_world.delegates
    first, _ = poll_world.committee
    polls.open_poll(poll=poll)
    for person in delegates:
        attendance.check_in(conference=poll.conference, person=person, channel=Issuance.PAPER)
    close_and_decrypt(poll)
    client.force_login(first)
    data = {"issued": 5, "collected": 6, "valid": 4, "invalid": 1}
    for option in options:
        data[f"opt_{option.pk}_for"] = 0
    data[f"opt_{options[0].pk}_for"] = 5
    response = post(client, "paper_count", poll, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        "collected": ["Đã nhập 6 phiếu giấy thu vào, nhưng chỉ phát ra 5 phiếu giấy."],
        "invalid": [
            "Số phiếu hợp lệ và không hợp lệ không bằng số phiếu thu vào.",
            "Số phiếu không hợp lệ theo từng lý do cộng lại là 0, nhưng đã nhập 1 phiếu không "
            "hợp lệ.",
        ],
        f"opt_{options[0].pk}_for": [
            f"{options[0].label} có số phiếu bầu nhiều hơn số phiếu hợp lệ."
        ],
    }
    data.update({"collected": 5, "valid": 5, "invalid": 0})
    for option in options:
        data[f"opt_{option.pk}_for"] = 3
    response = post(client, "paper_count", poll, data)
    assert response.context["form"].errors == {
        "__all__": ["Tổng số phiếu bầu nhiều hơn 2 phiếu cho mỗi phiếu hợp lệ."]
    }
    assert not PaperCount.objects.exists()


def test_paper_issued_must_match_the_paper_check_ins(client):
    poll, options, delegates = make_poll(n_delegates=5, seats=1)
    first, _ = with_committee(poll)
    polls.open_poll(poll=poll)
    for person in delegates[:3]:
        attendance.check_in(conference=poll.conference, person=person, channel=Issuance.PAPER)
    attendance.check_in(conference=poll.conference, person=delegates[3], channel=Issuance.CARD)
    close_and_decrypt(poll)
    client.force_login(first)
    data = {"issued": 4, "collected": 3, "valid": 3, "invalid": 0}
    data |= {f"opt_{option.pk}_for": 0 for option in options}
    data[f"opt_{options[0].pk}_for"] = 3
    response = post(client, "paper_count", poll, data)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "issued": [
            "Đã nhập 4 phiếu giấy phát ra, nhưng có 3 đại biểu nhận phiếu giấy khi điểm danh."
        ]
    }
    assert 'class="form-control is-invalid"' in str(response.context["form"]["issued"])
    assert not PaperCount.objects.exists()
    # the same entry, with the number of paper check-ins, is saved
    response = post(client, "paper_count", poll, data | {"issued": 3})
    assert response.status_code == 302
    assert PaperCount.objects.get().issued == 3


def test_a_tie_at_the_last_seat_creates_a_runoff(client):
    poll, options, delegates = make_poll(
        n_delegates=6, seats=2, threshold_base=Poll.VALID, fraction=Decimal("0.3")
    )
    first, _ = with_committee(poll)
    polls.open_poll(poll=poll)
    codes = make_cards(poll, 6)
    picks = [[0, 1], [0, 1], [0, 2], [0, 2], [0, 3], [1, 2]]
    for code, pick in zip(codes, picks, strict=True):
        polls.cast_with_code(poll=poll, code=code, choices=[options[i].pk for i in pick])
    close_and_decrypt(poll)
    client.force_login(first)
    post(client, "poll_counted", poll)
    response = client.get(poll.get_absolute_url())
    assert [r.label for r in response.context["outcome"].tie] == [
        options[1].label,
        options[2].label,
    ]
    # the count made the runoff draft by itself; the page links to it
    runoff = Poll.objects.get(runoff_of=poll)
    assert response.context["runoff"] == runoff
    assert "Tạo cuộc bầu lại giữa những người bằng phiếu" not in response.content.decode()
    assert runoff.get_absolute_url() in response.content.decode()
    response = post(client, "poll_runoff", poll)
    assert response.url == runoff.get_absolute_url()
    assert (runoff.status, runoff.seats, runoff.threshold_base) == (
        Poll.Status.DRAFT,
        1,
        Poll.VALID,
    )
    assert list(runoff.options.values_list("label", "unit")) == [
        (options[1].label, options[1].unit_id),
        (options[2].label, options[2].unit_id),
    ]
    post(client, "poll_runoff", poll)
    assert Poll.objects.filter(runoff_of=poll).count() == 1


def urls(poll):
    conference = poll.conference.uuid
    get = [
        reverse("awards:conference_polls", kwargs={"conference": conference}),
        reverse("awards:conference_check_in", kwargs={"conference": conference}),
        reverse("awards:poll_create", kwargs={"conference": conference}),
        reverse("awards:poll", kwargs={"poll": poll.uuid}),
        reverse("awards:poll_edit", kwargs={"poll": poll.uuid}),
        reverse("awards:paper_count", kwargs={"poll": poll.uuid}),
        reverse("awards:poll_order", kwargs={"poll": poll.uuid}),
    ]
    posts = [
        reverse(f"awards:{name}", kwargs={"poll": poll.uuid})
        for name in (
            "poll_open",
            "poll_close",
            "poll_void",
            "poll_spare",
            "poll_cards",
            "poll_counted",
            "poll_certify",
            "poll_publish",
            "poll_runoff",
        )
    ]
    return get, posts


def test_who_is_refused(client):
    poll, options, delegates = make_poll(n_delegates=3)
    with_committee(poll)
    officer = UserFactory(username="canbo")
    OfficerTermFactory(user=officer, unit=delegates[2].unit)
    _, other_units = make_cluster(1)
    stranger = UserFactory(username="cumkhac")
    OfficerTermFactory(user=stranger, unit=other_units[0])
    delegate = UserFactory(username="daibieu")
    delegates[2].user = delegate
    delegates[2].save()
    get, posts = urls(poll)
    for url in get + posts:
        client.logout()
        response = client.get(url) if url in get else client.post(url, {"number": 3})
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
        for user in (officer, stranger, delegate):
            client.force_login(user)
            response = client.get(url) if url in get else client.post(url, {"number": 3})
            assert response.status_code == 403, (user, url)
    poll.refresh_from_db()
    assert poll.status == Poll.Status.DRAFT
    assert not BallotCode.objects.exists() and not Issuance.objects.exists()


def test_results_are_hidden_from_members_until_published(client):
    poll, options, delegates = make_poll(n_delegates=3, seats=1)
    first, second = with_committee(poll)
    officer = UserFactory(username="canbo")
    OfficerTermFactory(user=officer, unit=delegates[2].unit)
    polls.open_poll(poll=poll)
    for code in make_cards(poll, 3):
        polls.cast_with_code(poll=poll, code=code, choices=[options[0].pk])
    close_and_decrypt(poll)
    client.force_login(first)
    post(client, "poll_counted", poll)
    post(client, "poll_certify", poll)
    client.force_login(second)
    post(client, "poll_certify", poll)
    client.force_login(officer)
    assert client.get(poll.get_absolute_url()).status_code == 403
    client.force_login(first)
    post(client, "poll_publish", poll)
    client.force_login(officer)
    response = client.get(poll.get_absolute_url())
    assert response.status_code == 200
    assert [(r.label, r.votes, r.elected) for r in response.context["outcome"].options][0] == (
        options[0].label,
        3,
        True,
    )
    assert not response.context["can_run"] and "roster" not in response.context
    assert Ballot.objects.filter(poll=poll).count() == 3


def _queries(client, n_options):
    poll, options, delegates = make_poll(n_delegates=5, seats=2)
    for i in range(n_options - len(options)):
        PollOption.objects.create(poll=poll, label=f"Cá nhân {i}", position=10 + i)
    first, _ = with_committee(poll)
    polls.open_poll(poll=poll)
    attendance.check_in(conference=poll.conference, person=delegates[0], channel=Issuance.PAPER)
    client.force_login(first)
    client.get(poll.get_absolute_url())
    with CaptureQueriesContext(connection) as context:
        assert client.get(poll.get_absolute_url()).status_code == 200
    return len(context.captured_queries)


def test_the_poll_page_makes_as_many_queries_with_5_or_15_options(client):
    small = _queries(client, 5)
    assert small == 23  # 19, 3 for the figures of ballots issued and received, 1 for the key
    assert _queries(client, 15) == small


def test_a_one_choice_poll_elects_a_role_of_its_cluster_and_only_it(client):
    poll, options, delegates = make_poll(n_delegates=3, seats=1)
    first, _second = with_committee(poll)
    conference = poll.conference
    roles = list(conference.cluster_year.cluster.roles.order_by("rank"))
    other_cluster, _units = make_cluster(2)
    client.force_login(first)
    url = reverse("awards:poll_create", kwargs={"conference": conference.uuid})

    form = client.get(url).context["form"]
    assert form.fields["elects_role"].label == "Bầu chức danh năm sau"
    assert not form.fields["elects_role"].required
    assert list(form.fields["elects_role"].queryset) == roles
    assert other_cluster.roles.exists()

    data = {
        "question": "Bầu Cụm trưởng năm 2021",
        "kind": Poll.CHOOSE,
        "seats": "1",
        "threshold_base": Poll.VALID,
        "comparator": Poll.GT,
        "fraction": "0,5",
        "tie_rule": Poll.RUNOFF,
        "units": [delegates[0].unit.pk, delegates[1].unit.pk],
        "elects_role": roles[0].pk,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "elects_role": ["Chỉ cuộc bỏ phiếu chọn một mới bầu chức danh."]
    }
    assert "Chỉ cuộc bỏ phiếu chọn một mới bầu chức danh." in response.content.decode()
    assert Poll.objects.count() == 1

    foreign = other_cluster.roles.get(kind=roles[0].kind)
    response = client.post(url, data | {"kind": Poll.ONE_CHOICE, "elects_role": foreign.pk})
    assert list(response.context["form"].errors) == ["elects_role"]
    assert Poll.objects.count() == 1

    response = client.post(url, data | {"kind": Poll.ONE_CHOICE})
    new = Poll.objects.exclude(pk=poll.pk).get()
    assert response.status_code == 302 and response.url == new.get_absolute_url()
    assert (new.kind, new.elects_role) == (Poll.ONE_CHOICE, roles[0])

    edit = reverse("awards:poll_edit", kwargs={"poll": new.uuid})
    assert client.get(edit).context["form"].initial["elects_role"] == roles[0].pk
    response = client.post(edit, data | {"kind": Poll.ONE_CHOICE, "elects_role": roles[1].pk})
    assert response.status_code == 302
    new.refresh_from_db()
    assert new.elects_role == roles[1]
    response = client.post(edit, data | {"elects_role": roles[1].pk})
    assert response.context["form"].errors == {
        "elects_role": ["Chỉ cuộc bỏ phiếu chọn một mới bầu chức danh."]
    }
    client.post(edit, data | {"kind": Poll.ONE_CHOICE, "elects_role": ""})
    new.refresh_from_db()
    assert new.elects_role is None
