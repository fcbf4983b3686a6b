"""The criteria pages: the secretariat drafts, checks and publishes; everyone of the cluster reads.

Roles: the 2021 secretariat (officer of the 2021 leader), a unit officer, the supervisor, the 2020
secretariat (last year's, a plain member officer in 2021), an officer of another cluster, an admin.
"""

import html
import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags

from clusters.models import ClusterYear, Supervision
from scorecards.models import CriteriaSet, Criterion
from scorecards.services import criteria as criteria_services
from scorecards.services import scoring
from tests.clusters.factories import ClusterYearFactory, UserFactory, assign, make_cluster, officer
from tests.scorecards.factories import make_criteria

pytestmark = pytest.mark.django_db


class World:
    pass


@pytest.fixture
def world():
    w = World()
    w.cluster, w.units = make_cluster(5)
    w.y2020 = ClusterYearFactory(cluster=w.cluster, year=2020, status=ClusterYear.Status.CLOSED)
    assign(w.y2020, "leader", w.units[3])
    w.y2021 = ClusterYearFactory(cluster=w.cluster, year=2021)
    assign(w.y2021, "leader", w.units[0])
    assign(w.y2021, "standing_deputy", w.units[1])
    w.secretary = officer(w.units[0])
    w.officer = officer(w.units[2])
    w.last_secretary = officer(w.units[3])
    w.supervisor = UserFactory()
    Supervision.objects.create(user=w.supervisor, cluster=w.cluster)
    other_cluster, other_units = make_cluster(2)
    w.stranger = officer(other_units[0])
    w.admin = UserFactory(is_superuser=True, is_staff=True)
    return w


def url(name, cluster_year, **kwargs):
    return reverse(
        f"scorecards:{name}",
        kwargs={"cluster": cluster_year.cluster.uuid, "year": cluster_year.year, **kwargs},
    )


def plain(response) -> str:
    """The page's text as a reader sees it: no tags, single spaces."""
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def texts(response) -> list[str]:
    """The messages this request added (not those left over from earlier redirects)."""
    return [str(m) for m in get_messages(response.wsgi_request)._queued_messages]


def node_data(number, text, kind, max_points, evidence=False, guidance=""):
    data = {"number": number, "text": text, "guidance": guidance, "kind": kind}
    data["max_points"] = max_points
    if evidence:
        data["evidence_required"] = "on"
    return data


def tree_of(criteria_set) -> list[tuple]:
    labels = {}
    rows = []
    for c in criteria_set.criteria.order_by("position"):
        label = f"{labels[c.parent_id]}.{c.number}" if c.parent_id else c.number
        labels[c.pk] = label
        rows.append((label, c.text, c.kind, c.max_points, c.evidence_required))
    return rows


def test_the_secretariat_builds_a_tree_checks_it_and_publishes(client, world):
    y = world.y2021
    client.force_login(world.secretary)
    page = client.get(url("criteria", y))
    assert page.status_code == 200
    assert "Bắt đầu xây dựng bảng tiêu chí của năm" in plain(page)
    assert not CriteriaSet.objects.exists()  # looking creates nothing

    response = client.post(
        url("criterion_add", y), node_data("I", "Công tác tham mưu", "group", "10")
    )
    draft = CriteriaSet.objects.get(cluster_year=y)
    group = draft.criteria.get(number="I")
    assert response.status_code == 302
    assert response["Location"] == url("criteria", y) + f"#c-{group.lineage}"
    assert texts(response) == ["Đã thêm I."]
    assert (draft.version, draft.status) == (1, CriteriaSet.Status.DRAFT)

    # "7,5" typed the Vietnamese way is 7.5.
    client.post(
        url("criterion_add_under", y, node=group.lineage),
        node_data("1", "Tham mưu ban hành văn bản", "points", "7,5", evidence=True),
    )
    page = client.get(url("criteria", y))
    assert page.context["problems"] == [
        "Nhóm I: tổng điểm tối đa của các tiêu chí là 7,5, nhưng điểm tối đa của nhóm là 10."
    ]
    assert "Cần sửa 1 lỗi trước khi công bố:" in plain(page)
    assert 'class="btn btn-success" disabled' in page.text
    # The editor marks the group whose maximum is not the sum of its criteria's.
    assert [(row.path, row.children_sum) for row in page.context["rows"] if row.sum_mismatch] == [
        ("I", Decimal("7.50"))
    ]
    assert "Tổng điểm tối đa của các tiêu chí là 7,5, không phải 10." in plain(page)

    response = client.post(url("criteria_publish", y))
    assert texts(response) == [
        "Nhóm I: tổng điểm tối đa của các tiêu chí là 7,5, nhưng điểm tối đa của nhóm là 10."
    ]
    draft.refresh_from_db()
    assert draft.status == CriteriaSet.Status.DRAFT

    client.post(
        url("criterion_add_under", y, node=group.lineage),
        node_data("2", "Hoàn thành sắp xếp bộ máy", "yes_no", "2.5"),
    )
    page = client.get(url("criteria", y))
    assert page.context["problems"] == []
    assert "Không phát hiện lỗi: có thể công bố bản nháp." in plain(page)
    assert not any(row.sum_mismatch for row in page.context["rows"])
    assert "không phải 10" not in plain(page)

    response = client.post(url("criteria_publish", y))
    assert texts(response) == ["Đã công bố phiên bản 1 của bảng tiêu chí."]
    draft.refresh_from_db()
    assert draft.status == CriteriaSet.Status.PUBLISHED and draft.published_by == world.secretary
    assert tree_of(draft) == [
        ("I", "Công tác tham mưu", "group", Decimal("10.00"), False),
        ("I.1", "Tham mưu ban hành văn bản", "points", Decimal("7.50"), True),
        ("I.2", "Hoàn thành sắp xếp bộ máy", "yes_no", Decimal("2.50"), False),
    ]

    client.force_login(world.officer)
    page = client.get(url("criteria", y))
    assert page.status_code == 200
    assert [r.path for r in page.context["published_tree"]["rows"]] == ["I", "I.1", "I.2"]
    assert page.context["published_tree"]["totals"] == {"base": Decimal("10.00")}
    content = page.content.decode()  # the maxima as the reader sees them
    assert re.findall(r'<td class="cell-num">([^<]*)</td>', content) == ["10", "7,5", "2,5"]
    assert re.findall(r'<td class="cell-num fw-semibold">([^<]*)</td>', content) == ["10"]
    assert "Bắt buộc có minh chứng" in plain(page)
    assert "Phiên bản 1" in plain(page)
    assert "Đã công bố ngày" in plain(page)
    assert page.context["draft"] is None
    assert "Thêm mục con" not in plain(page)


def test_bad_input_in_the_editor_is_refused_at_the_field(client, world):
    y = world.y2021
    client.force_login(world.secretary)
    client.post(url("criterion_add", y), node_data("I", "Nhóm một", "group", "10"))
    group = Criterion.objects.get(number="I")
    under = url("criterion_add_under", y, node=group.lineage)
    client.post(under, node_data("1", "Tiêu chí một", "points", "10"))

    response = client.post(under, node_data("1", "Trùng số", "points", "5"))
    assert response.status_code == 200
    assert response.context["form"].errors == {"number": ["Số thứ tự 1 đã được dùng ở cấp này."]}
    response = client.post(under, node_data("2", "Chữ", "points", "mười"))
    assert response.context["form"].errors == {"max_points": ["Nhập một số, ví dụ 10 hoặc 7,5."]}
    response = client.post(under, node_data("2", "Âm", "points", "-1"))
    assert response.context["form"].errors == {"max_points": ["Điểm tối đa không được là số âm."]}
    response = client.post(
        url("criterion_edit", y, node=group.lineage), node_data("I", "Nhóm một", "points", "10")
    )
    assert response.context["form"].errors == {
        "kind": ["Mục này có tiêu chí con nên phải giữ là nhóm tiêu chí."]
    }
    leaf = Criterion.objects.get(number="1")
    response = client.get(url("criterion_add_under", y, node=leaf.lineage))
    assert response.status_code == 302
    assert texts(response) == ["Chỉ có thể thêm tiêu chí vào một nhóm tiêu chí."]
    assert Criterion.objects.count() == 2


def test_edit_move_and_delete_with_the_subtree(client, world):
    y = world.y2021
    client.force_login(world.secretary)
    for number in ("I", "II", "III"):
        client.post(url("criterion_add", y), node_data(number, f"Nhóm {number}", "group", "5"))
    group_1 = Criterion.objects.get(number="I")
    for number in ("1", "2"):
        client.post(
            url("criterion_add_under", y, node=group_1.lineage),
            node_data(number, f"Tiêu chí {number}", "points", "2,5"),
        )
    draft = CriteriaSet.objects.get()

    response = client.get(url("criterion_edit", y, node=group_1.lineage))
    assert response.context["form"]["max_points"].value() == Decimal("5")
    response = client.post(
        url("criterion_edit", y, node=group_1.lineage),
        node_data("I", "Công tác tham mưu", "group", "5", guidance="Chấm theo kết quả"),
    )
    assert texts(response) == ["Đã lưu I."]

    client.post(url("criterion_move", y, node=group_1.lineage, direction="down"))
    assert [label for label, *_ in tree_of(draft)] == ["II", "I", "I.1", "I.2", "III"]
    two = Criterion.objects.get(number="2")
    client.post(url("criterion_move", y, node=two.lineage, direction="up"))
    assert [label for label, *_ in tree_of(draft)] == ["II", "I", "I.2", "I.1", "III"]
    client.post(url("criterion_move", y, node=two.lineage, direction="up"))  # already first
    assert [label for label, *_ in tree_of(draft)] == ["II", "I", "I.2", "I.1", "III"]
    assert (
        client.post(url("criterion_move", y, node=two.lineage, direction="left")).status_code == 404
    )

    confirm = client.get(url("criterion_delete", y, node=group_1.lineage))
    assert [row.path for row in confirm.context["tree"]["rows"]] == ["I", "I.2", "I.1"]
    assert "Thao tác này xóa I cùng toàn bộ các mục bên dưới khỏi bản nháp: 3 mục." in plain(
        confirm
    )
    response = client.post(url("criterion_delete", y, node=group_1.lineage))
    assert texts(response) == ["Đã xóa I cùng toàn bộ các mục bên dưới (3 mục)."]
    assert [label for label, *_ in tree_of(draft)] == ["II", "III"]
    assert [c.position for c in draft.criteria.order_by("position")] == [10, 20]


def test_published_criteria_are_locked(client, world):
    y = world.y2021
    published = make_criteria(y)
    node = published.criteria.get(number="I")
    client.force_login(world.secretary)
    response = client.get(url("criterion_add", y))
    assert response.status_code == 302
    assert texts(response) == [
        "Bảng tiêu chí đã được công bố: hãy tạo phiên bản mới để điều chỉnh."
    ]
    assert client.get(url("criterion_edit", y, node=node.lineage)).status_code == 404
    assert client.post(url("criterion_delete", y, node=node.lineage)).status_code == 404
    assert client.post(url("criteria_publish", y)).status_code == 404
    page = client.get(url("criteria", y))
    assert "Điều chỉnh bảng tiêu chí (phiên bản mới)" in plain(page)


def test_a_new_version_needs_a_reason_and_units_are_asked_to_reconfirm(client, world):
    y = world.y2021
    v1 = make_criteria(y, user=world.secretary)
    scorecard = scoring.open_scorecard(cluster_year=y, unit=world.units[2])
    score = scorecard.scores.get(criterion__number="1")
    scoring.save_score(
        score=score,
        self_score=Decimal("30"),
        explanation="",
        revision=score.revision,
        user=world.officer,
    )
    scoring.open_scorecard(cluster_year=y, unit=world.units[4])  # opened, nothing scored
    client.force_login(world.secretary)

    response = client.post(url("criteria_new_version", y), {"reason": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["Nêu lý do ban hành phiên bản mới."]}
    assert CriteriaSet.objects.filter(cluster_year=y).count() == 1

    response = client.post(url("criteria_new_version", y), {"reason": "Giảm điểm thưởng"})
    assert texts(response) == ["Đã tạo phiên bản 2 dưới dạng bản nháp: hãy điều chỉnh rồi công bố."]
    v2 = CriteriaSet.objects.get(cluster_year=y, status=CriteriaSet.Status.DRAFT)
    assert (v2.version, v2.change_reason) == (2, "Giảm điểm thưởng")
    assert client.get(url("criteria_new_version", y)).status_code == 302  # one draft at a time
    page = client.get(url("criteria", y))
    assert "Lý do ban hành phiên bản mới: Giảm điểm thưởng" in plain(page)

    bonus_group = v2.criteria.get(number="II")
    bonus = v2.criteria.get(parent=bonus_group)
    client.post(
        url("criterion_edit", y, node=bonus.lineage),
        node_data("a", bonus.text, "bonus", "8"),
    )
    client.post(
        url("criterion_edit", y, node=bonus_group.lineage),
        node_data("II", bonus_group.text, "group", "8"),
    )
    response = client.post(url("criteria_publish", y))
    assert texts(response) == ["Đã công bố phiên bản 2 của bảng tiêu chí."]
    v1.refresh_from_db()
    assert v1.status == CriteriaSet.Status.SUPERSEDED

    page = client.get(url("criteria", y))
    assert page.context["published"] == v2
    assert page.context["earlier"] == [v1]
    assert [s.unit for s in page.context["reconfirm"]] == [world.units[2]]
    assert "các đơn vị sau phải xác nhận lại bảng tự chấm điểm" in plain(page)
    v1_page = client.get(url("criteria_version", y, version=1))
    assert v1_page.status_code == 200
    assert "Phiên bản này đã được thay thế bằng một phiên bản sau." in plain(v1_page)

    # A unit sees only its own unit in the list; the supervisor sees all.
    client.force_login(world.officer)
    assert [s.unit for s in client.get(url("criteria", y)).context["reconfirm"]] == [world.units[2]]
    client.force_login(officer(world.units[4]))
    assert client.get(url("criteria", y)).context["reconfirm"] == []
    client.force_login(world.supervisor)
    assert [s.unit for s in client.get(url("criteria", y)).context["reconfirm"]] == [world.units[2]]


def test_a_draft_can_be_discarded(client, world):
    y = world.y2021
    make_criteria(y)
    client.force_login(world.secretary)
    client.post(url("criteria_new_version", y), {"reason": "Thử"})
    confirm = client.get(url("criteria_discard", y))
    assert "Phiên bản 2 (bản nháp gồm 7 mục) sẽ bị xóa." in plain(confirm)
    response = client.post(url("criteria_discard", y))
    assert texts(response) == ["Đã hủy bản nháp."]
    assert list(y.criteria_sets.values_list("version", "status")) == [(1, "published")]


def test_copy_last_years_criteria(client, world):
    source = make_criteria(world.y2020)
    y = world.y2021
    client.force_login(world.secretary)
    y2022 = ClusterYearFactory(cluster=world.cluster, year=2022, status=ClusterYear.Status.PLANNING)
    assign(y2022, "leader", world.units[0])
    response = client.post(url("criteria_copy", y2022))
    assert texts(response) == ["Năm 2021 không có bảng tiêu chí để sao chép."]

    page = client.get(url("criteria", y))
    assert "Sao chép bảng tiêu chí năm 2020" in plain(page)
    response = client.post(url("criteria_copy", y))
    assert texts(response) == ["Đã sao chép bảng tiêu chí năm 2020 thành bản nháp cho năm 2021."]
    draft = y.criteria_sets.get()
    assert (draft.version, draft.status) == (1, CriteriaSet.Status.DRAFT)
    assert tree_of(draft) == tree_of(source)
    assert set(draft.criteria.values_list("lineage", flat=True)) == set(
        source.criteria.values_list("lineage", flat=True)
    )

    response = client.post(url("criteria_copy", y))
    assert texts(response) == ["Năm 2021 đã có bảng tiêu chí."]
    assert y.criteria_sets.count() == 1

    y2030 = ClusterYearFactory(cluster=world.cluster, year=2030, status=ClusterYear.Status.PLANNING)
    assign(y2030, "leader", world.units[0])
    response = client.post(url("criteria_copy", y2030))
    assert texts(response) == ["Cụm không có năm 2029 để sao chép."]
    assert not y2022.criteria_sets.exists() and not y2030.criteria_sets.exists()


def editing_requests(y, node):
    """Every editing URL of the year, with the method that would change something."""
    return [
        ("get", url("criterion_add", y)),
        ("post", url("criterion_add", y)),
        ("get", url("criterion_add_under", y, node=node)),
        ("get", url("criterion_edit", y, node=node)),
        ("post", url("criterion_edit", y, node=node)),
        ("get", url("criterion_delete", y, node=node)),
        ("post", url("criterion_delete", y, node=node)),
        ("post", url("criterion_move", y, node=node, direction="up")),
        ("post", url("criteria_publish", y)),
        ("get", url("criteria_new_version", y)),
        ("post", url("criteria_new_version", y)),
        ("get", url("criteria_discard", y)),
        ("post", url("criteria_discard", y)),
        ("post", url("criteria_copy", y)),
        ("get", url("criteria_import", y)),
        ("post", url("criteria_import", y)),
        ("post", url("criteria_import_confirm", y)),
    ]


def test_the_wrong_people_are_refused(client, world):
    y = world.y2021
    make_criteria(y)
    draft = criteria_services.new_version(cluster_year=y, reason="Điều chỉnh")
    node = draft.criteria.get(number="I").lineage
    before = tree_of(draft)
    readers = [world.officer, world.supervisor, world.last_secretary]

    for method, address in editing_requests(y, node):
        client.logout()
        response = getattr(client, method)(address)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), (
            address
        )
        for user in [*readers, world.stranger]:
            client.force_login(user)
            assert getattr(client, method)(address).status_code == 403, (user, address)

    for user in readers:
        client.force_login(user)
        page = client.get(url("criteria", y))
        assert page.status_code == 200
        assert page.context["draft"] is None and not page.context["can_manage"]
        assert "Thêm mục con" not in plain(page) and "Bản nháp" not in plain(page)
        assert client.get(url("criteria_version", y, version=1)).status_code == 200
        assert client.get(url("criteria_export", y, version=1)).status_code == 200
        assert client.get(url("criteria_version", y, version=2)).status_code == 403
        assert client.get(url("criteria_export", y, version=2)).status_code == 403
    client.force_login(world.stranger)
    for name in ("criteria", "criteria_version", "criteria_export"):
        kwargs = {} if name == "criteria" else {"version": 1}
        assert client.get(url(name, y, **kwargs)).status_code == 403
    client.logout()
    assert client.get(url("criteria", y)).status_code == 302

    assert tree_of(draft) == before
    assert list(y.criteria_sets.values_list("version", "status")) == [
        (2, "draft"),
        (1, "published"),
    ]
    client.force_login(world.admin)
    assert client.get(url("criterion_edit", y, node=node)).status_code == 200
    client.force_login(world.secretary)
    assert client.get(url("criterion_edit", y, node=node)).status_code == 200


def test_a_closed_year_is_read_only(client, world):
    y = world.y2020
    make_criteria(y)
    criteria_services.new_version(cluster_year=y, reason="Còn sót bản nháp")
    node = y.criteria_sets.get(status="draft").criteria.get(number="I").lineage
    for user in (world.last_secretary, world.secretary, world.officer):
        client.force_login(user)
        page = client.get(url("criteria", y))
        assert page.status_code == 200 and not page.context["can_manage"]
        assert "Năm này đã khóa sổ, chỉ được xem." in plain(page)
        for method, address in editing_requests(y, node):
            response = getattr(client, method)(address)
            assert response.status_code == 302, (user, address)
            assert response["Location"] == url("criteria", y)
            assert texts(response)[-1] == "Năm 2020 đã khóa sổ, không thể thay đổi được nữa."
    client.force_login(world.stranger)
    assert client.get(url("criterion_edit", y, node=node)).status_code == 403
    client.force_login(world.admin)
    assert client.get(url("criterion_edit", y, node=node)).status_code == 200


def build_tree(cluster_year, groups: int, per_group: int):
    criteria_set = CriteriaSet.objects.create(cluster_year=cluster_year)
    position = 0
    for g in range(groups):
        position += 10
        group = Criterion.objects.create(
            criteria_set=criteria_set,
            number=str(g + 1),
            text=f"Nhóm {g + 1}",
            kind=Criterion.GROUP,
            max_points=Decimal(per_group),
            position=position,
        )
        for c in range(per_group):
            position += 10
            Criterion.objects.create(
                criteria_set=criteria_set,
                parent=group,
                number=str(c + 1),
                text=f"Tiêu chí {c + 1}",
                kind=Criterion.POINTS,
                max_points=Decimal("1"),
                evidence_required=bool(c % 2),
                position=position,
            )
    criteria_services.publish(criteria_set=criteria_set, user=None)
    criteria_services.new_version(cluster_year=cluster_year, reason="Điều chỉnh")
    return criteria_set


def count_queries(client, user, address) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(address)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_criteria_page_makes_a_constant_number_of_queries(client, world):
    small = world.y2021
    build_tree(small, groups=2, per_group=2)
    y2022 = ClusterYearFactory(cluster=world.cluster, year=2022)
    assign(y2022, "leader", world.units[0])
    build_tree(y2022, groups=8, per_group=12)
    for year in (small, y2022):
        scorecard = scoring.open_scorecard(cluster_year=year, unit=world.units[2])
        scorecard.needs_reconfirm = True
        scorecard.save()
    small_counts = []
    for user in (world.secretary, world.officer, world.supervisor):
        counts = [count_queries(client, user, url("criteria", year)) for year in (small, y2022)]
        assert counts[0] == counts[1], user
        small_counts.append(counts[0])
        counts = [
            count_queries(client, user, url("criteria_version", year, version=1))
            for year in (small, y2022)
        ]
        assert counts[0] == counts[1], user
        small_counts.append(counts[0])
    # the criteria page and version 1, as the secretary, a unit officer, the supervisor
    assert small_counts == [18, 15, 17, 15, 15, 13]
