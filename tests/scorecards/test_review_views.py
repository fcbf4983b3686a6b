"""The review pages: accept or adjust with a reason, the unit's one answer, final scores,
finalisation, the visible history of each score, and who may do each of these."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clusters.models import ClusterYear, Supervision
from scorecards.models import CriteriaSet, Criterion, Score, Scorecard
from scorecards.services import criteria as criteria_services
from scorecards.services import review, scoring
from tests.clusters.factories import ClusterYearFactory, UserFactory, assign, make_cluster, officer
from tests.scorecards.factories import make_criteria, submitted

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"
HTMX = {"HTTP_HX_REQUEST": "true"}
SELF = {"I.1": "40", "I.2": "20", "II.a": "5", "III.a": "1"}


def fill_and_submit(cluster_year, unit, user, values=SELF) -> Scorecard:
    return submitted(cluster_year, unit, user, values, explanation="Giải trình {key}")


@pytest.fixture
def world(settings, tmp_path):
    """Like the demo: 2021 leader BR-VT (its officers are the secretariat), standing deputy Tây
    Ninh; 2020 led by a third unit; a supervisor; an officer of another cluster."""
    settings.MEDIA_ROOT = tmp_path
    cluster, units = make_cluster(5)
    leader, deputy, other, last_leader, _ = units
    ClusterYearFactory(cluster=cluster, year=2020, status=ClusterYear.Status.CLOSED)
    assign(cluster.years.get(year=2020), "leader", last_leader)
    cluster_year = ClusterYearFactory(cluster=cluster, year=2021)
    assign(cluster_year, "leader", leader)
    assign(cluster_year, "standing_deputy", deputy)
    assign(cluster_year, "deputy", other)
    make_criteria(cluster_year)
    users = {
        "brvt": officer(leader, "brvt", "Lương Minh Khoa"),
        "tayninh": officer(deputy, "tayninh", "Nguyễn Hoàng Phúc"),
        "other": officer(other, "other"),
        "last": officer(last_leader, "last"),
        "supervisor": UserFactory(username="giamsat"),
    }
    Supervision.objects.create(user=users["supervisor"], cluster=cluster)
    cluster_5, units_5 = make_cluster(2)
    users["stranger"] = officer(units_5[0], "cum5")
    cards = {
        "leader": fill_and_submit(cluster_year, leader, users["brvt"]),
        "other": fill_and_submit(cluster_year, other, users["other"]),
        "deputy": fill_and_submit(cluster_year, deputy, users["tayninh"]),
    }
    return cluster_year, users, cards


def score_of(scorecard, key) -> Score:
    group, number = key.split(".")
    return scorecard.scores.select_related("criterion").get(
        criterion__number=number, criterion__parent__number=group
    )


def url(name, scorecard, score=None):
    kwargs = {"scorecard": scorecard.uuid}
    if score is not None:
        kwargs["score_id"] = score.pk
    return reverse(f"scorecards:{name}", kwargs=kwargs)


def history_count(score) -> int:
    return score.history.count()


# --- Who may review -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "card", "allowed"),
    [
        ("brvt", "leader", False),  # nobody reviews their own unit, the secretariat included
        ("tayninh", "leader", True),  # the standing deputy reviews the leader's scorecard
        ("tayninh", "other", False),
        ("tayninh", "deputy", False),
        ("brvt", "other", True),  # the secretariat reviews every other scorecard
        ("brvt", "deputy", True),
        ("other", "other", False),
        ("other", "deputy", False),
        ("last", "other", False),  # last year's secretariat
        ("supervisor", "other", False),  # read-only
        ("stranger", "other", False),  # another cluster's officer
    ],
)
def test_who_may_review(client, world, username, card, allowed):
    _, users, cards = world
    user, scorecard = users[username], cards[card]
    assert user.has_perm("scorecards.review_scorecard", scorecard) is allowed
    client.force_login(user)
    response = client.get(url("review", scorecard))
    assert response.status_code == (200 if allowed else 403)
    score = score_of(scorecard, "I.1")
    response = client.post(url("score_review", scorecard, score), {"action": "accept"})
    assert response.status_code == (302 if allowed else 403)
    score.refresh_from_db()
    assert score.reviewed_score == (Decimal("40") if allowed else None)


def test_anonymous_is_sent_to_log_in(client, world):
    _, _, cards = world
    scorecard = cards["other"]
    score = score_of(scorecard, "I.1")
    for response in [
        client.get(url("review", scorecard)),
        client.post(url("score_review", scorecard, score), {"action": "accept"}),
        client.post(url("review_accept_all", scorecard)),
        client.post(url("score_final", scorecard, score), {"final-x": "1"}),
        client.post(url("scorecard_finalise", scorecard)),
        client.get(url("score_respond", scorecard, score)),
        client.get(url("score_history", scorecard, score)),
    ]:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    score.refresh_from_db()
    assert score.reviewed_score is None


def test_the_review_page_shows_three_layers_with_explanation_and_evidence(client, world):
    _, users, cards = world
    scorecard = cards["other"]
    adjusted = score_of(scorecard, "I.1")
    review.review_score(
        score=adjusted, reviewed_score=Decimal("35.5"), reason="Thiếu văn bản", user=users["brvt"]
    )
    client.force_login(users["brvt"])
    page = client.get(url("review", scorecard)).content.decode()
    assert "Giải trình I.1" in page
    assert "minh-chung.pdf" in page
    assert 'data-layer="reviewed">35,5</span>' in page
    assert "Thiếu văn bản" in page
    assert "Lương Minh Khoa" in page  # who reviewed
    # Totals per layer: self 40+20 +5 -1 = 64; reviewed 35,5+20+5-1 = 59,5.
    assert 'data-total="1">64</td>' in page
    assert 'data-total="2">59,5</td>' in page
    assert 'data-total="3">59,5</td>' in page
    assert "3 tiêu chí chưa thẩm định" in page


# --- Accept and adjust ----------------------------------------------------------------------


def test_accept_is_one_click_and_updates_the_row(client, world):
    _, users, cards = world
    scorecard = cards["other"]
    score = score_of(scorecard, "I.2")
    client.force_login(users["brvt"])
    response = client.post(url("score_review", scorecard, score), {"action": "accept"}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith(
        f'<div class="app-review-row border-top px-2 py-2" id="score-{score.pk}">'
    )
    assert "Đã chấp nhận" in body
    assert 'id="review-totals" class="card mt-3" hx-swap-oob="true"' in body
    score.refresh_from_db()
    assert (score.self_score, score.reviewed_score, score.review_reason) == (
        Decimal("20"),
        Decimal("20"),
        "",
    )
    assert score.reviewed_by == users["brvt"]
    assert score.history.latest().history_user == users["brvt"]


def test_adjust_without_a_reason_is_refused_at_the_field_and_nothing_is_saved(client, world):
    _, users, cards = world
    scorecard = cards["other"]
    score = score_of(scorecard, "I.1")
    before = (score.revision, history_count(score))
    client.force_login(users["brvt"])
    prefix = f"adjust-{score.pk}"
    response = client.post(
        url("score_review", scorecard, score),
        {"action": "adjust", f"{prefix}-reviewed_score": "25", f"{prefix}-reason": "  "},
        **HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<p id="error_1_id_{prefix}-reason"><strong>Nêu lý do điều chỉnh.</strong></p>' in body
    assert f'class="collapse show" id="adjust-{score.pk}"' in body  # the form stays open
    score.refresh_from_db()
    assert score.reviewed_score is None
    assert (score.revision, history_count(score)) == before


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "Nhập một số, ví dụ 7,5."),
        ("41", "Điểm tối đa của tiêu chí này là 40."),
        ("-1", "Điểm không được nhỏ hơn 0."),
        ("", "Nhập điểm thẩm định."),
    ],
)
def test_bad_adjusted_scores_are_refused_at_the_field(client, world, typed, message):
    _, users, cards = world
    scorecard = cards["other"]
    score = score_of(scorecard, "I.1")
    client.force_login(users["brvt"])
    prefix = f"adjust-{score.pk}"
    response = client.post(
        url("score_review", scorecard, score),
        {"action": "adjust", f"{prefix}-reviewed_score": typed, f"{prefix}-reason": "Lý do"},
        **HTMX,
    )
    body = response.content.decode()
    assert f'<p id="error_1_id_{prefix}-reviewed_score"><strong>{message}</strong></p>' in body
    score.refresh_from_db()
    assert score.reviewed_score is None


def test_adjust_with_a_reason_keeps_the_self_score(client, world):
    _, users, cards = world
    scorecard = cards["other"]
    score = score_of(scorecard, "I.1")
    client.force_login(users["brvt"])
    prefix = f"adjust-{score.pk}"
    response = client.post(
        url("score_review", scorecard, score),
        {
            "action": "adjust",
            f"{prefix}-reviewed_score": "32,5",
            f"{prefix}-reason": "Thiếu văn bản số 12",
        },
        **HTMX,
    )
    body = response.content.decode()
    assert 'data-layer="reviewed">32,5</span>' in body
    assert "Đã điều chỉnh" in body
    assert 'data-total="2">56,5</td>' in body  # 32,5 + 20 + 5 - 1
    score.refresh_from_db()
    assert (score.self_score, score.reviewed_score, score.review_reason) == (
        Decimal("40"),
        Decimal("32.5"),
        "Thiếu văn bản số 12",
    )
    assert score.history.latest().history_change_reason == "Thiếu văn bản số 12"


def test_adjust_without_htmx_redirects_back_to_the_row(client, world):
    _, users, cards = world
    scorecard = cards["other"]
    score = score_of(scorecard, "I.1")
    client.force_login(users["brvt"])
    prefix = f"adjust-{score.pk}"
    response = client.post(
        url("score_review", scorecard, score),
        {"action": "adjust", f"{prefix}-reviewed_score": "30", f"{prefix}-reason": "Thiếu"},
    )
    assert response.status_code == 302
    assert response["Location"] == url("review", scorecard) + f"#score-{score.pk}"


def test_accept_all_remaining(client, world):
    _, users, cards = world
    scorecard = cards["leader"]  # reviewed by the standing deputy
    adjusted = score_of(scorecard, "I.1")
    review.review_score(
        score=adjusted, reviewed_score=Decimal("30"), reason="Thiếu", user=users["tayninh"]
    )
    client.force_login(users["tayninh"])
    response = client.post(url("review_accept_all", scorecard), follow=True)
    assert "Đã chấp nhận điểm tự chấm của 3 tiêu chí còn lại." in response.content.decode()
    scorecard.refresh_from_db()
    assert scorecard.status == Scorecard.Status.REVIEWED
    values = {
        f"{s.criterion.parent.number}.{s.criterion.number}": s.reviewed_score
        for s in scorecard.scores.select_related("criterion__parent")
    }
    assert values == {
        "I.1": Decimal("30"),
        "I.2": Decimal("20"),
        "II.a": Decimal("5"),
        "III.a": Decimal("1"),
    }


def test_the_last_accept_redraws_the_whole_sheet(client, world):
    _, users, cards = world
    scorecard = cards["other"]
    for key in ("I.1", "I.2", "II.a"):
        review.review_score(
            score=score_of(scorecard, key), reviewed_score=None, reason="", user=users["brvt"]
        )
    last = score_of(scorecard, "III.a")
    client.force_login(users["brvt"])
    response = client.post(url("score_review", scorecard, last), {"action": "accept"}, **HTMX)
    assert response["HX-Retarget"] == "#review-sheet"
    assert response["HX-Reswap"] == "outerHTML"
    assert "Quyết định điểm chính thức" in response.content.decode()


# --- The unit's answer ------------------------------------------------------------------------


def test_the_unit_answers_an_adjustment_once(client, world):
    _, users, cards = world
    scorecard = cards["other"]
    score = score_of(scorecard, "I.1")
    review.review_score(
        score=score, reviewed_score=Decimal("30"), reason="Thiếu văn bản", user=users["brvt"]
    )
    respond_url = url("score_respond", scorecard, score)
    client.force_login(users["other"])
    page = client.get(respond_url).content.decode()
    assert "Thiếu văn bản" in page
    assert 'name="response"' in page
    response = client.post(respond_url, {"response": ""})
    assert "<strong>Nhập nội dung giải trình.</strong>" in response.content.decode()
    response = client.post(respond_url, {"response": "Đã bổ sung văn bản số 12"})
    assert response.status_code == 302
    response = client.post(respond_url, {"response": "Lần hai"}, **HTMX)
    body = response.content.decode()
    assert "Đơn vị đã giải trình về điều chỉnh này." in body
    assert 'name="response"' not in body
    score.refresh_from_db()
    assert score.unit_response == "Đã bổ sung văn bản số 12"
    assert score.responded_at is not None
    # The reviewer sees the answer on the row.
    client.force_login(users["brvt"])
    assert "Đã bổ sung văn bản số 12" in client.get(url("review", scorecard)).content.decode()


@pytest.mark.parametrize("username", ["brvt", "tayninh", "last", "supervisor", "stranger"])
def test_only_the_units_officers_may_answer(client, world, username):
    _, users, cards = world
    scorecard = cards["other"]
    score = score_of(scorecard, "I.1")
    review.review_score(
        score=score, reviewed_score=Decimal("30"), reason="Thiếu", user=users["brvt"]
    )
    client.force_login(users[username])
    assert client.get(url("score_respond", scorecard, score)).status_code == 403
    response = client.post(url("score_respond", scorecard, score), {"response": "Không"})
    assert response.status_code == 403
    score.refresh_from_db()
    assert score.unit_response == ""


def test_an_accepted_score_has_nothing_to_answer(client, world):
    _, users, cards = world
    scorecard = cards["other"]
    score = score_of(scorecard, "I.2")
    review.review_score(score=score, reviewed_score=None, reason="", user=users["brvt"])
    client.force_login(users["other"])
    response = client.post(url("score_respond", scorecard, score), {"response": "Không"})
    assert "Tiêu chí này không bị điều chỉnh: không cần giải trình." in response.content.decode()
    score.refresh_from_db()
    assert score.unit_response == ""


# --- Final scores and finalisation ------------------------------------------------------------


def test_final_scores_then_finalise(client, world):
    _, users, cards = world
    scorecard = cards["other"]
    adjusted = score_of(scorecard, "I.1")
    review.review_score(
        score=adjusted, reviewed_score=Decimal("30"), reason="Thiếu", user=users["brvt"]
    )
    review.accept_remaining(scorecard=scorecard, user=users["brvt"])
    client.force_login(users["brvt"])
    prefix = f"final-{adjusted.pk}"
    final_url = url("score_final", scorecard, adjusted)
    response = client.post(
        final_url, {f"{prefix}-final_score": "35", f"{prefix}-reason": ""}, **HTMX
    )
    assert "<strong>Nêu lý do của điểm chính thức.</strong>" in response.content.decode()
    adjusted.refresh_from_db()
    assert adjusted.final_score is None
    response = client.post(
        final_url,
        {f"{prefix}-final_score": "35,5", f"{prefix}-reason": "Đơn vị đã bổ sung"},
        **HTMX,
    )
    body = response.content.decode()
    assert 'data-layer="final">35,5</div>' in body
    assert 'data-total="3">59,5</td>' in body  # 35,5 + 20 + 5 - 1 (the rest as reviewed)
    confirm = client.get(url("scorecard_finalise", scorecard)).content.decode()
    assert "Chốt điểm bảng chấm" in confirm
    response = client.post(url("scorecard_finalise", scorecard), follow=True)
    assert "Đã chốt điểm của" in response.content.decode()
    scorecard.refresh_from_db()
    assert scorecard.status == Scorecard.Status.FINALISED
    finals = {
        f"{s.criterion.parent.number}.{s.criterion.number}": (
            s.self_score,
            s.reviewed_score,
            s.final_score,
        )
        for s in scorecard.scores.select_related("criterion__parent")
    }
    assert finals == {
        "I.1": (Decimal("40"), Decimal("30"), Decimal("35.5")),
        "I.2": (Decimal("20"), Decimal("20"), Decimal("20")),
        "II.a": (Decimal("5"), Decimal("5"), Decimal("5")),
        "III.a": (Decimal("1"), Decimal("1"), Decimal("1")),
    }
    # Afterwards nothing can be accepted or adjusted any more.
    page = client.get(url("review", scorecard)).content.decode()
    assert "Điểm đã được chốt." in page
    assert 'name="action"' not in page
    response = client.post(url("score_review", scorecard, adjusted), {"action": "accept"}, **HTMX)
    assert "Chỉ thẩm định được bảng chấm điểm đã gửi." in response.content.decode()
    adjusted.refresh_from_db()
    assert adjusted.reviewed_score == Decimal("30")


def test_finalise_before_every_criterion_is_reviewed_is_refused(client, world):
    _, users, cards = world
    scorecard = cards["other"]
    client.force_login(users["brvt"])
    response = client.post(url("scorecard_finalise", scorecard), follow=True)
    assert "Hãy thẩm định xong mọi tiêu chí trước." in response.content.decode()
    scorecard.refresh_from_db()
    assert scorecard.status == Scorecard.Status.SUBMITTED


@pytest.mark.parametrize("username", ["brvt", "other", "supervisor", "stranger"])
def test_finalising_the_leaders_scorecard_is_for_the_standing_deputy(client, world, username):
    _, users, cards = world
    scorecard = cards["leader"]
    review.accept_remaining(scorecard=scorecard, user=users["tayninh"])
    client.force_login(users[username])
    assert client.post(url("scorecard_finalise", scorecard)).status_code == 403
    score = score_of(scorecard, "I.1")
    prefix = f"final-{score.pk}"
    response = client.post(
        url("score_final", scorecard, score),
        {f"{prefix}-final_score": "40", f"{prefix}-reason": ""},
    )
    assert response.status_code == 403
    client.force_login(users["tayninh"])
    assert client.post(url("scorecard_finalise", scorecard)).status_code == 302
    scorecard.refresh_from_db()
    assert scorecard.status == Scorecard.Status.FINALISED


# --- History -----------------------------------------------------------------------------------


def test_the_history_shows_who_when_old_new_and_the_reason(client, world):
    _, users, cards = world
    scorecard = cards["other"]
    score = score_of(scorecard, "I.1")
    secretary = users["brvt"]
    review.review_score(
        score=score, reviewed_score=Decimal("30.5"), reason="Thiếu văn bản", user=secretary
    )
    review.respond(score=score, response="Đã bổ sung", user=users["other"])
    review.accept_remaining(scorecard=scorecard, user=secretary)
    review.set_final_score(score=score, final_score=Decimal("35"), reason="Hợp lý", user=secretary)
    history_url = url("score_history", scorecard, score)
    client.force_login(users["supervisor"])  # read-only, but may see the history
    body = client.get(history_url, **HTMX).content.decode()
    records = list(score.history.order_by("history_date", "history_id"))
    reviewed_at = timezone.localtime(records[-3].history_date).strftime("%d/%m/%Y %H:%M")
    assert f"{reviewed_at}</time> · Lương Minh Khoa" in body
    assert "Điểm tự chấm: — → 40" in body
    assert "Điểm thẩm định: — → 30,5" in body
    assert "Lý do: Thiếu văn bản" in body
    assert "Ý kiến giải trình của đơn vị: Đã bổ sung" in body
    assert "Điểm chính thức: — → 35" in body
    assert "Lý do: Hợp lý" in body
    assert body.index("30,5") < body.index("Đã bổ sung") < body.index("→ 35")
    # A second adjustment shows the old reviewed value.
    assert Scorecard.objects.get(pk=scorecard.pk).status == Scorecard.Status.REVIEWED
    review.review_score(score=score, reviewed_score=Decimal("32"), reason="Xem lại", user=secretary)
    body = client.get(history_url, **HTMX).content.decode()
    assert "Điểm thẩm định: 30,5 → 32" in body
    # Without htmx it is a page of its own.
    page = client.get(history_url).content.decode()
    assert "Lịch sử thay đổi của tiêu chí 1" in page


def test_history_names_an_account_without_a_person_in_vietnamese_order(client, world):
    _, users, cards = world
    scorecard = cards["other"]
    score = score_of(scorecard, "I.1")
    staff = UserFactory(username="thuky2", first_name="An", last_name="Trần Văn")
    review.review_score(score=score, reviewed_score=Decimal("30"), reason="Thiếu", user=staff)
    client.force_login(users["brvt"])
    body = client.get(url("score_history", scorecard, score), **HTMX).content.decode()
    assert "</time> · Trần Văn An" in body


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("brvt", 200),
        ("supervisor", 200),
        ("other", 200),  # its own scorecard
        ("tayninh", 403),  # another unit's scorecard, ranking not published
        ("last", 403),
        ("stranger", 403),
    ],
)
def test_who_may_see_the_history(client, world, username, status):
    _, users, cards = world
    scorecard = cards["other"]
    score = score_of(scorecard, "I.1")
    client.force_login(users[username])
    assert client.get(url("score_history", scorecard, score), **HTMX).status_code == status


def test_a_score_of_another_scorecard_is_not_found(client, world):
    _, users, cards = world
    foreign = score_of(cards["leader"], "I.1")
    client.force_login(users["brvt"])
    response = client.post(url("score_review", cards["other"], foreign), {"action": "accept"})
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.reviewed_score is None


# --- Closed years ------------------------------------------------------------------------------


def test_a_closed_year_is_refused(client, world):
    cluster_year, users, cards = world
    scorecard = cards["other"]
    score = score_of(scorecard, "I.1")
    review.review_score(
        score=score, reviewed_score=Decimal("30"), reason="Thiếu", user=users["brvt"]
    )
    ClusterYear.objects.filter(pk=cluster_year.pk).update(status=ClusterYear.Status.CLOSED)
    message = "Năm 2021 đã khóa sổ, không thể thay đổi được nữa."
    client.force_login(users["brvt"])
    response = client.get(url("review", scorecard), follow=True)
    assert response.redirect_chain == [(cluster_year.get_absolute_url(), 302)]
    assert message in response.content.decode()
    response = client.post(url("score_review", scorecard, score), {"action": "accept"}, **HTMX)
    assert response["HX-Redirect"] == cluster_year.get_absolute_url()
    assert client.post(url("review_accept_all", scorecard)).status_code == 302
    assert client.post(url("scorecard_finalise", scorecard)).status_code == 302
    client.force_login(users["other"])
    response = client.post(url("score_respond", scorecard, score), {"response": "Muộn"})
    assert response.status_code == 302
    score.refresh_from_db()
    assert (score.reviewed_score, score.unit_response) == (Decimal("30"), "")
    assert Score.objects.filter(scorecard=scorecard, reviewed_score__isnull=False).count() == 1
    reloaded = Scorecard.objects.get(pk=scorecard.pk)
    assert not users["brvt"].has_perm("scorecards.review_scorecard", reloaded)
    # The history stays readable.
    assert client.get(url("score_history", scorecard, score)).status_code == 200


# --- Queries -------------------------------------------------------------------------------------


def build(n_leaves: int):
    """A year whose criteria have n point criteria under one group, a submitted scorecard with
    evidence on each, half of them reviewed."""
    cluster, units = make_cluster(3)
    cluster_year = ClusterYearFactory(cluster=cluster, year=2021)
    assign(cluster_year, "leader", units[0])
    criteria_set = CriteriaSet.objects.create(cluster_year=cluster_year, title="Bảng tiêu chí")
    group = Criterion.objects.create(
        criteria_set=criteria_set,
        number="I",
        text="Nhóm",
        kind=Criterion.GROUP,
        max_points=Decimal(10 * n_leaves),
        position=1,
    )
    for i in range(n_leaves):
        Criterion.objects.create(
            criteria_set=criteria_set,
            parent=group,
            number=str(i + 1),
            text=f"Tiêu chí {i + 1}",
            kind=Criterion.POINTS,
            max_points=Decimal("10"),
            evidence_required=True,
            position=i + 2,
        )
    criteria_services.publish(criteria_set=criteria_set, user=None)
    unit_officer = officer(units[1], f"dv{n_leaves}", f"Cán bộ {n_leaves}")
    secretary = officer(units[0], f"tk{n_leaves}", f"Thư ký {n_leaves}")
    scorecard = scoring.open_scorecard(cluster_year=cluster_year, unit=units[1])
    for score in scorecard.scores.all():
        scoring.save_score(
            score=score, self_score=Decimal("7.5"), explanation="", revision=0, user=unit_officer
        )
        scoring.add_evidence(
            score=score, uploaded=SimpleUploadedFile("mc.pdf", PDF), user=unit_officer
        )
    scoring.submit(scorecard=scorecard, user=unit_officer)
    for score in list(scorecard.scores.order_by("pk"))[: n_leaves // 2]:
        review.review_score(
            score=score, reviewed_score=Decimal("6"), reason="Thiếu", user=secretary
        )
    return scorecard, secretary


def count_queries(client, user, path) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_review_page_makes_the_same_number_of_queries_at_two_sizes(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    small, small_user = build(4)
    large, large_user = build(24)
    review_page = count_queries(client, small_user, url("review", small))
    assert review_page == 16
    assert count_queries(client, large_user, url("review", large)) == review_page
    small_score = small.scores.order_by("pk").first()
    large_score = large.scores.order_by("pk").first()
    history = count_queries(client, small_user, url("score_history", small, small_score))
    assert history == 15
    assert count_queries(client, large_user, url("score_history", large, large_score)) == history


def test_a_deadline_long_past_does_not_stop_the_review(client, world):
    """Review happens after the self-scoring deadline."""
    cluster_year, users, cards = world
    ClusterYear.objects.filter(pk=cluster_year.pk).update(
        scorecard_deadline=datetime.date(2021, 1, 1)
    )
    scorecard = cards["other"]
    score = score_of(scorecard, "I.1")
    client.force_login(users["brvt"])
    client.post(url("score_review", scorecard, score), {"action": "accept"})
    score.refresh_from_db()
    assert score.reviewed_score == Decimal("40")
