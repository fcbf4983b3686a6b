"""Issue 12 §1: the home page says what to do now, for every role: the secretariat's board of
the units x the year's stages with its queue, the standing deputy's reviews of the leader, a
unit officer's tasks (overdue first), the supervisor's progress and roll-up, the admin's links."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from awards.models import Proposal
from scorecards.models import YearDeadline
from scorecards.services import review
from tests.awards.factories import ProposalFactory
from tests.clusters.factories import UserFactory
from tests.desk.factories import build_desk_world
from tests.helpers import login

pytestmark = pytest.mark.django_db

HOME = reverse("home")
NOT_ATTACHED = "Tài khoản của bạn chưa được gắn với đơn vị hoặc cụm thi đua nào."


@pytest.fixture
def world():
    return build_desk_world()


def text(fragment: str) -> str:
    """The words of an HTML fragment, tags dropped and spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def page_of(user) -> str:
    response = login(user).get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def board(page: str, cluster_year) -> str:
    found = re.search(
        rf'<section class="card shadow-sm mb-4" id="board-{cluster_year.uuid}".*?</section>',
        page,
        re.S,
    )
    return found.group(0) if found else ""


def cells(fragment: str) -> dict[str, dict[str, str]]:
    """{unit uuid: {stage: the cell's words}} of a board."""
    return {
        unit: {
            stage: text(cell)
            for stage, cell in re.findall(r'<td data-stage="([^"]+)">(.*?)</td>', row, re.S)
        }
        for unit, row in re.findall(r'<tr data-unit="([^"]+)">(.*?)</tr>', fragment, re.S)
    }


def cell_links(fragment: str) -> dict[tuple[str, str], str]:
    found = {}
    for unit, row in re.findall(r'<tr data-unit="([^"]+)">(.*?)</tr>', fragment, re.S):
        for stage, cell in re.findall(r'<td data-stage="([^"]+)">(.*?)</td>', row, re.S):
            link = re.search(r'href="([^"]+)"', cell)
            found[(unit, stage)] = html.unescape(link.group(1)) if link else ""
    return found


def queue(fragment: str) -> list[str]:
    return [
        text(item)
        for item in re.findall(r"<li class=\"list-group-item[^\"]*\">(.*?)</li>", fragment, re.S)
    ]


def counts(fragment: str) -> list[str]:
    return [
        text(c)
        for c in re.findall(r"<li class=\"list-inline-item mb-1\"[^>]*>(.*?)</li>", fragment, re.S)
    ]


def tasks(page: str, unit) -> list[str]:
    desk = re.search(
        rf'<section class="card shadow-sm mb-4" data-desk="{unit.uuid}".*?</section>', page, re.S
    )
    assert desk, unit
    return [
        text(t)
        for t in re.findall(
            r'<li class="list-group-item[^"]*" data-task="[^"]+">(.*?)</li>', desk.group(0), re.S
        )
    ]


def short(day) -> str:
    return day.strftime("%d/%m/%Y")


def test_the_secretariat_sees_the_board_with_each_cell_its_counts_and_its_queue(world):
    u = world.units
    page = page_of(world.secretary)
    found = board(page, world.year)
    assert text(re.search(r"<h2.*?</h2>", found, re.S).group(0)) == (
        f"Bảng theo dõi của Thư ký Cụm: {world.cluster.name}, năm 2021 đang triển khai"
    )
    assert cells(found) == {
        str(u[0].uuid): {
            "pledge": "đã ký",
            "scorecard": "chưa mở quá hạn",
            "review": "—",
            "report": "chưa viết quá hạn",
            "nominations": "chưa đề nghị",
        },
        str(u[1].uuid): {
            "pledge": "chưa ký",
            "scorecard": "đã gửi",
            "review": "chờ thẩm định",
            "report": "đã gửi",
            "nominations": "chưa đề nghị",
        },
        str(u[2].uuid): {
            "pledge": "chưa ký",
            "scorecard": "chưa mở quá hạn",
            "review": "—",
            "report": "chưa viết quá hạn",
            "nominations": "chưa đề nghị",
        },
        str(u[3].uuid): {
            "pledge": "đã ký",
            "scorecard": "đã gửi",
            "review": "chờ thẩm định 1 giải trình cần xem",
            "report": "đã gửi",
            "nominations": "đã đề nghị 1",
        },
        str(u[4].uuid): {
            "pledge": "chưa ký",
            "scorecard": "bản nháp quá hạn",
            "review": "—",
            "report": "bản nháp quá hạn",
            "nominations": "chưa đề nghị",
        },
    }
    assert counts(found) == [
        "Giao ước thi đua: 2/5 đã ký",
        "Tự chấm điểm: 2/5 đã gửi",
        "Thẩm định: 0/5 đã chốt điểm",
        "Báo cáo của đơn vị: 2/5 đã gửi",
        "Đề nghị khen thưởng: 1/5 đã đề nghị",
    ]
    # What waits for the secretariat: units[3]'s hand-ins; never the leader's own (units[1]).
    name = u[3].short_name
    assert queue(found) == [
        f"Thẩm định bảng điểm: {name} Mở",
        f"Xem giải trình của đơn vị về điểm điều chỉnh (1): {name} Mở",
        f"Tiếp nhận báo cáo: {name} Mở",
    ]
    pledge_day = short(world.year.pledge_deadline)
    assert text(re.search(r"<p[^>]*data-next-deadline>.*?</p>", found, re.S).group(0)) == (
        f"Hạn sắp tới: Giao ước thi đua, ngày {pledge_day}"
    )
    # The staff added by name sees the same board and queue.
    assert cells(board(page_of(world.staff), world.year)) == cells(found)
    assert queue(board(page_of(world.staff), world.year)) == queue(found)


def test_each_cell_links_to_the_page_where_the_work_is_done(world):
    u, cy = world.units, world.year
    year = {"cluster": cy.cluster.uuid, "year": cy.year}
    links = cell_links(board(page_of(world.secretary), cy))
    assert links[(str(u[3].uuid), "pledge")] == reverse("scorecards:pledge", kwargs=year)
    assert links[(str(u[3].uuid), "scorecard")] == world.card_a.get_absolute_url()
    assert links[(str(u[3].uuid), "review")] == reverse(
        "scorecards:review", kwargs={"scorecard": world.card_a.uuid}
    )
    assert links[(str(u[3].uuid), "report")] == reverse(
        "reports:unit_report", kwargs={**year, "unit": u[3].uuid}
    )
    assert links[(str(u[3].uuid), "nominations")] == reverse("awards:nominations", kwargs=year)
    assert links[(str(u[0].uuid), "scorecard")] == reverse("scorecards:scorecard_list", kwargs=year)
    assert links[(str(u[0].uuid), "review")] == ""
    # The leader's own scorecard is the deputy's to review: the secretariat opens the card.
    assert links[(str(u[1].uuid), "review")] == world.leader_card.get_absolute_url()
    client = login(world.secretary)
    for url in {link for link in links.values() if link}:
        assert client.get(url).status_code == 200, url


def test_the_standing_deputy_reviews_the_leaders_scorecard_and_report(world):
    page = page_of(world.deputy)
    assert board(page, world.year) == ""
    found = re.search(
        r'<section class="mb-4" aria-labelledby="reviews-heading".*?</section>', page, re.S
    )
    name = world.units[1].short_name
    suffix = f"({world.cluster.name}, 2021)"
    assert queue(found.group(0)) == [
        f"Thẩm định bảng điểm: {name} {suffix} Mở",
        f"Tiếp nhận báo cáo: {name} {suffix} Mở",
    ]
    assert reverse(
        "scorecards:review", kwargs={"scorecard": world.leader_card.uuid}
    ) in found.group(0)
    # The leader's own officers do not review it: not in their queue, no deputy's list.
    secretary = page_of(world.secretary)
    assert "reviews-heading" not in secretary
    assert str(world.leader_card.uuid) not in re.search(
        r"<ul class=\"list-group\" data-queue>.*?</ul>", secretary, re.S
    ).group(0)


def test_a_unit_officer_sees_the_units_tasks_overdue_first(world):
    page = page_of(world.officer_b)  # units[4]: a draft scorecard and report, nothing signed
    assert board(page, world.year) == ""
    assert "reviews-heading" not in page
    pledge, nominations = short(world.year.pledge_deadline), short(world.year.nomination_deadline)
    assert tasks(page, world.units[4]) == [
        "Tự chấm điểm và gửi bảng điểm bản nháp quá hạn hạn ngày 30/11/2021 Mở",
        "Viết và gửi báo cáo của đơn vị bản nháp quá hạn hạn ngày 15/12/2021 Mở",
        f"Ký giao ước chưa ký hạn ngày {pledge} Mở",
        f"Đề nghị khen thưởng chưa đề nghị hạn ngày {nominations} Mở",
    ]
    # units[3]: every task done; the adjustment is answered, so there is none to answer.
    assert tasks(page_of(world.officer_a), world.units[3]) == [
        "Tự chấm điểm và gửi bảng điểm đã gửi hạn ngày 30/11/2021 Mở",
        "Viết và gửi báo cáo của đơn vị đã gửi hạn ngày 15/12/2021 Mở",
        f"Ký giao ước đã ký hạn ngày {pledge} Mở",
        f"Đề nghị khen thưởng đã đề nghị 1 hạn ngày {nominations} Mở",
    ]


def test_a_unit_officer_is_asked_to_answer_an_adjustment_until_it_is_answered(world):
    card = world.leader_card
    score = card.scores.get(criterion__parent__number="I", criterion__number="2")
    review.review_score(
        score=score, reviewed_score=Decimal("0"), reason="Chưa hoàn thành", user=world.deputy
    )
    page = page_of(world.secretary)
    pledge, nominations = short(world.year.pledge_deadline), short(world.year.nomination_deadline)
    # To do (by deadline, the answer has none), then done.
    assert tasks(page, world.units[1]) == [
        f"Ký giao ước chưa ký hạn ngày {pledge} Mở",
        f"Đề nghị khen thưởng chưa đề nghị hạn ngày {nominations} Mở",
        "Giải trình về điểm bị điều chỉnh khi thẩm định 1 tiêu chí bị điều chỉnh Mở",
        "Tự chấm điểm và gửi bảng điểm đã gửi hạn ngày 30/11/2021 Mở",
        "Viết và gửi báo cáo của đơn vị đã gửi hạn ngày 15/12/2021 Mở",
    ]
    answer = re.search(r'data-task="answer">.*?href="([^"]+)"', page, re.S).group(1)
    assert answer == card.get_absolute_url()
    assert login(world.secretary).get(answer).status_code == 200
    review.respond(score=score, response="Đã hoàn thành", user=world.secretary)
    assert 'data-task="answer"' not in page_of(world.secretary)


def test_the_supervisor_sees_the_progress_the_roll_up_and_what_was_sent(world):
    ProposalFactory(round=world.nomination_round, status=Proposal.Status.SENT, number="5-TTr/CTĐ")
    page = page_of(world.supervisor)
    assert board(page, world.year) == ""
    overview = re.search(
        r'<section class="mb-4" aria-labelledby="overview-heading".*?</section>', page, re.S
    ).group(0)
    row = re.search(rf'<tr data-cluster-year="{world.year.uuid}">(.*?)</tr>', overview, re.S).group(
        1
    )
    assert [text(c) for c in re.findall(r"<td data-count=\"[^\"]+\">(.*?)</td>", row, re.S)] == [
        "2/5 đã ký",
        "2/5 đã gửi",
        "0/5 đã chốt điểm",
        "2/5 đã gửi",
        "1/5 đã đề nghị",
    ]
    received = re.search(r"<td[^>]*data-received>(.*?)</td>", row, re.S).group(1)
    assert text(received) == "Chưa công bố báo cáo tổng kết năm Đã gửi tờ trình đề nghị khen thưởng"
    assert reverse("awards:proposal", kwargs={"round": world.nomination_round.uuid}) in received
    year = {"cluster": world.cluster.uuid, "year": 2021}
    assert reverse("reports:year", kwargs=year) in received
    rollup = re.search(r'<a class="btn btn-primary" href="([^"]+)" data-rollup>(.*?)</a>', overview)
    assert rollup.groups() == (reverse("reports:rollup"), "Tổng hợp các cụm thi đua")
    assert login(world.supervisor).get(rollup.group(1)).status_code == 200
    # Only the supervised cluster; no admin links.
    assert str(world.other_year.uuid) not in overview and "admin-links" not in page


def test_the_admin_sees_every_cluster_and_links_into_the_admin(world):
    page = page_of(world.admin)
    overview = re.search(
        r'<section class="mb-4" aria-labelledby="overview-heading".*?</section>', page, re.S
    ).group(0)
    # Every cluster, in the order of their numbers (the world's cluster was made first).
    assert re.findall(r'<tr data-cluster-year="([^"]+)">', overview) == [
        str(world.year.uuid),
        str(world.other_year.uuid),
    ]
    assert "data-rollup" in overview
    admin = re.search(
        r'<section class="mb-4" aria-labelledby="admin-heading".*?</section>', page, re.S
    ).group(0)
    assert re.findall(r'href="([^"]+)"', admin) == [
        reverse("admin:index"),
        reverse("admin:clusters_cluster_changelist"),
        reverse("admin:clusters_clusteryear_changelist"),
        reverse("admin:clusters_unit_changelist"),
        reverse("admin:clusters_officerterm_changelist"),
        reverse("admin:clusters_supervision_changelist"),
        reverse("admin:auth_user_changelist"),
    ]
    client = login(world.admin)
    for url in re.findall(r'href="([^"]+)"', admin):
        assert client.get(url).status_code == 200, url
    # An admin reviews nothing by name and runs no board of the secretariat.
    assert board(page, world.year) == ""


def test_the_wrong_people_get_no_board(world, client):
    # Anonymous: to the login page.
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={HOME}"
    # Last year's secretariat, another cluster's secretariat, a unit officer, the supervisor.
    for user in (world.last_secretary, world.outsider, world.officer_a, world.supervisor):
        assert board(page_of(user), world.year) == "", user
    # The outsider runs his own cluster's board, and sees none of this cluster's units.
    outsider = page_of(world.outsider)
    assert board(outsider, world.other_year) != ""
    assert all(str(unit.uuid) not in outsider for unit in world.units)
    # Last year's secretariat has no task in 2021 either.
    assert "data-desk" not in page_of(world.last_secretary)


def test_people_with_no_role_get_the_explanation(world):
    page = page_of(UserFactory())
    assert NOT_ATTACHED in page
    assert "data-board" not in page and "data-desk" not in page and "overview-heading" not in page


def test_no_deadline_ahead_is_said(world):
    type(world.year).objects.filter(pk=world.year.pk).update(
        pledge_deadline=None, nomination_deadline=timezone.localdate().replace(year=2021)
    )
    found = board(page_of(world.secretary), world.year)
    assert text(re.search(r"<p[^>]*data-next-deadline>.*?</p>", found, re.S).group(0)) == (
        "Không còn hạn nào sắp tới."
    )


def test_a_deadline_the_secretariat_added_is_the_next_one(world):
    today = timezone.localdate()
    type(world.year).objects.filter(pk=world.year.pk).update(
        pledge_deadline=None, nomination_deadline=today.replace(year=2021)
    )
    YearDeadline.objects.create(
        cluster_year=world.year, title="Nộp báo cáo chuyên đề", date=datetime.date(2099, 3, 2)
    )
    found = board(page_of(world.secretary), world.year)
    assert text(re.search(r"<p[^>]*data-next-deadline>.*?</p>", found, re.S).group(0)) == (
        "Hạn sắp tới: Nộp báo cáo chuyên đề, ngày 02/03/2099"
    )


def home_queries(user) -> int:
    client = login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(HOME)
    assert response.status_code == 200
    return len(ctx.captured_queries)


ROLES = ["secretary", "staff", "deputy", "officer_b", "supervisor", "admin"]


def test_home_queries_do_not_grow_with_units_and_hand_ins():
    small = build_desk_world(5, prefix="s_")
    small_counts = [home_queries(getattr(small, role)) for role in ROLES]
    # secretary, named staff, standing deputy, unit officer, supervisor, admin
    assert small_counts == [21, 20, 21, 21, 24, 22]
    large = build_desk_world(12, prefix="l_")
    assert [home_queries(getattr(large, role)) for role in ROLES] == small_counts


def test_a_closed_year_keeps_its_progress_but_asks_nothing_more(world):
    type(world.year).objects.filter(pk=world.year.pk).update(status="closed")
    secretary, deputy = page_of(world.secretary), page_of(world.deputy)
    assert "data-board" not in secretary and "data-desk" not in secretary
    assert "reviews-heading" not in deputy and "data-desk" not in deputy
    supervisor = page_of(world.supervisor)
    assert f'<tr data-cluster-year="{world.year.uuid}">' in supervisor
