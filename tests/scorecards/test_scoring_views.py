"""Self-scoring pages: an officer scores, uploads evidence and submits; bad input is refused at
the field with nothing saved; a concurrent edit is a conflict, never an overwrite; everyone
else is refused."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clusters.models import OfficerTerm, Supervision
from scorecards.models import CriteriaSet, Criterion, Evidence, Score, Scorecard
from scorecards.services import criteria as criteria_services
from scorecards.services import review, scoring
from tests.clusters.factories import ClusterYearFactory, UserFactory, assign, make_cluster, officer
from tests.helpers import login
from tests.scorecards.factories import make_criteria

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world(settings, tmp_path):
    """Cluster year 2020 of three units: units[0] leads (its officer is the secretariat),
    units[1] is the standing deputy, units[2] scores itself. Plus a supervisor, an officer of
    another cluster and the officer of a unit whose term ended in 2019."""
    settings.MEDIA_ROOT = tmp_path
    cluster, units = make_cluster(3)
    cluster_year = ClusterYearFactory(cluster=cluster, year=2020)
    assign(cluster_year, "leader", units[0])
    assign(cluster_year, "standing_deputy", units[1])
    make_criteria(cluster_year)
    other_cluster, other_units = make_cluster(2)
    other_year = ClusterYearFactory(cluster=other_cluster, year=2020)
    make_criteria(other_year)
    supervisor = UserFactory()
    Supervision.objects.create(user=supervisor, cluster=cluster)
    people = {
        "officer": officer(units[2], full_name="Nguyễn Văn An"),
        "colleague": officer(units[2], full_name="Trần Thị Bình"),
        "other_unit": officer(units[1]),
        "secretariat": officer(units[0]),
        "other_cluster": officer(other_units[0]),
        "last_year": officer(units[0], start="2018-01-01", end="2019-12-31"),
        "supervisor": supervisor,
    }
    scorecard = scoring.open_scorecard(cluster_year=cluster_year, unit=units[2])
    return {"year": cluster_year, "units": units, "scorecard": scorecard, **people}


def score_of(scorecard, key) -> Score:
    group, number = key.split(".")
    return scorecard.scores.select_related("criterion").get(
        criterion__number=number,
        criterion__parent__number=group,
        criterion__criteria_set=scorecard.criteria_set,
    )


def page_url(scorecard):
    return reverse("scorecards:scorecard", kwargs={"scorecard": scorecard.uuid})


def save_url(score):
    return reverse(
        "scorecards:score_save",
        kwargs={"scorecard": score.scorecard.uuid, "score_id": score.pk},
    )


def totals_url(scorecard):
    return reverse("scorecards:scorecard_totals", kwargs={"scorecard": scorecard.uuid})


def upload_url(score):
    return reverse(
        "scorecards:evidence_add",
        kwargs={"scorecard": score.scorecard.uuid, "score_id": score.pk},
    )


def save(client, score, value, explanation="", revision=None, **extra):
    data = {
        "self_score": value,
        "explanation": explanation,
        "revision": score.revision if revision is None else revision,
    }
    data.update(extra)
    return client.post(save_url(score), data, **HTMX)


def upload(client, score, name="minh-chung.pdf", content=PDF, **headers):
    return client.post(
        upload_url(score), {"file": SimpleUploadedFile(name, content)}, **(headers or HTMX)
    )


def fill(client, scorecard, values):
    for key, value in values.items():
        score = score_of(scorecard, key)
        response = save(client, score, value)
        assert "Đã lưu lúc" in response.content.decode(), key


def test_officer_opens_scores_uploads_and_submits(world):
    client = login(world["officer"])
    year, scorecard = world["year"], world["scorecard"]
    response = client.get(
        reverse("scorecards:my_scorecard", kwargs={"cluster": year.cluster.uuid, "year": 2020})
    )
    assert response.status_code == 302
    assert response["Location"] == page_url(scorecard)
    page = client.get(page_url(scorecard)).content.decode()
    assert "Tham mưu ban hành văn bản" in page
    assert page.count("data-score-form") == 4
    assert f'data-typed-url="{totals_url(scorecard)}"' in page

    score = score_of(scorecard, "I.1")
    response = save(client, score, "35,5", "Đã ban hành 12 văn bản")
    body = response.content.decode()
    score.refresh_from_db()
    assert f"Đã lưu lúc {timezone.localtime(score.updated_at):%H:%M}" in body
    assert 'id="scorecard-totals" class="card shadow-sm flex-grow-1"' in body
    assert 'hx-swap-oob="true"' in body
    assert '<span data-total="base">35,5</span>' in body
    assert (score.self_score, score.explanation, score.revision) == (
        Decimal("35.5"),
        "Đã ban hành 12 văn bản",
        1,
    )
    fill(client, scorecard, {"I.2": "20", "II.a": "10", "III.a": "2"})
    response = save(client, score_of(scorecard, "III.a"), "2")
    assert '<span data-total="total">63,5</span>' in response.content.decode()
    # The group subtotals come out of band too.
    group = Criterion.objects.get(criteria_set=scorecard.criteria_set, number="I")
    assert (
        f'<span id="subtotal-{group.pk}" data-subtotal="{group.pk}" hx-swap-oob="true">55,5</span>'
        in response.content.decode()
    )

    response = upload(client, score, "Báo cáo số 12.pdf")
    assert "Báo cáo số 12.pdf" in response.content.decode()
    evidence = Evidence.objects.get(score=score)
    assert (evidence.original_name, evidence.size, evidence.uploaded_by) == (
        "Báo cáo số 12.pdf",
        len(PDF),
        world["officer"],
    )
    download = client.get(
        reverse("scorecards:evidence_download", kwargs={"evidence": evidence.uuid})
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment;")
    assert "media/" not in client.get(page_url(scorecard)).content.decode()

    submit_url = reverse("scorecards:scorecard_submit", kwargs={"scorecard": scorecard.uuid})
    confirm = client.get(submit_url).content.decode()
    assert "Gửi bảng điểm" in confirm
    response = client.post(submit_url)
    assert response.status_code == 302
    scorecard.refresh_from_db()
    assert (scorecard.status, scorecard.submitted_by) == (
        Scorecard.Status.SUBMITTED,
        world["officer"],
    )

    # Read-only afterwards: the page says so and every write is refused, nothing changes.
    page = client.get(page_url(scorecard)).content.decode()
    assert "data-score-form" not in page
    assert "Bảng điểm chỉ có thể xem, trừ khi Thư ký Cụm trả lại." in page
    score.refresh_from_db()
    response = save(client, score, "10")
    assert (
        "Bảng điểm đã được gửi: chỉ có thể xem, trừ khi Thư ký Cụm trả lại để chỉnh sửa."
        in response.content.decode()
    )
    response = upload(client, score)
    assert (
        "Bảng điểm đã được gửi: chỉ có thể xem, trừ khi Thư ký Cụm trả lại để chỉnh sửa."
        in response.content.decode()
    )
    response = client.post(
        reverse("scorecards:evidence_remove", kwargs={"evidence": evidence.uuid}), **HTMX
    )
    score.refresh_from_db()
    assert score.self_score == Decimal("35.5")
    assert Evidence.objects.filter(score=score).count() == 1
    response = client.post(submit_url)
    assert response.status_code == 302


def test_vietnamese_decimal_comma_is_read_and_shown(world):
    client = login(world["officer"])
    score = score_of(world["scorecard"], "I.1")
    response = save(client, score, "7,5")
    score.refresh_from_db()
    assert score.self_score == Decimal("7.5")
    assert 'value="7,5"' in response.content.decode()
    response = save(client, score, "12.25")
    score.refresh_from_db()
    assert score.self_score == Decimal("12.25")


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("I.1", "abc", "Nhập một số."),
        ("I.1", "-1", "Điểm không được nhỏ hơn 0."),
        ("I.1", "40,5", "Điểm tối đa của tiêu chí này là 40."),
        ("I.2", "7,5", "Tiêu chí này chỉ chấm có hoặc không: nhập 0 hoặc 20."),
        ("II.a", "11", "Điểm thưởng ở mục này tối đa là 10."),
        ("III.a", "5,5", "Điểm trừ ở mục này tối đa là 5."),
    ],
)
def test_bad_scores_are_refused_at_the_field_and_nothing_is_saved(world, key, value, message):
    client = login(world["officer"])
    score = score_of(world["scorecard"], key)
    response = save(client, score, value, "Giải trình kèm theo")
    body = response.content.decode()
    assert response.status_code == 200
    assert f"<strong>{message}</strong>" in body  # crispy's invalid-feedback next to the field
    assert "is-invalid" in body
    assert "Giải trình kèm theo" in body  # what was typed is kept on screen
    assert "Đã lưu lúc" not in body
    score.refresh_from_db()
    assert (score.self_score, score.explanation, score.revision) == (None, "", 0)


def totals_block(body: str) -> str:
    """The totals section of a page or of an out-of-band update, as it lands on the page."""
    section = re.search(r'<section id="scorecard-totals".*?</section>', body, re.S).group(0)
    return section.replace(' hx-swap-oob="true"', "")


def subtotals(body: str) -> dict[int, str]:
    return {int(pk): text for pk, text in re.findall(r'data-subtotal="(\d+)"[^>]*>([^<]*)<', body)}


def test_the_totals_follow_what_is_typed_as_a_save_would_read_it(world):
    client = login(world["officer"])
    scorecard = world["scorecard"]
    fill(client, scorecard, {"I.1": "30", "I.2": "20", "II.a": "2", "III.a": "1"})
    criterion = {
        key: score_of(scorecard, key).criterion_id for key in ("I.1", "I.2", "II.a", "III.a")
    }
    typed = {
        f"c{criterion['I.1']}": "35,5",  # counted instead of the saved 30
        f"c{criterion['I.2']}": "7,5",  # a yes/no takes 0 or 20 only: the saved 20 counts
        f"c{criterion['II.a']}": "11",  # above the maximum: the saved 2 counts
        f"c{criterion['III.a']}": "",  # cleared: not scored
        "c999999": "5",  # not a criterion of this scorecard
        "cx": "5",
        "note": "5",
    }
    response = client.get(totals_url(scorecard), typed, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert [
        re.search(rf'<span data-total="{name}">([^<]*)</span>', body).group(1)
        for name in ("base", "bonus", "deductions", "total", "missing")
    ] == ["55,5", "2", "0", "57,5", "1"]
    groups = {
        c.number: c.pk
        for c in Criterion.objects.filter(criteria_set=scorecard.criteria_set, parent=None)
    }
    assert subtotals(body) == {groups["I"]: "55,5", groups["II"]: "2", groups["III"]: "0"}
    assert body.count('hx-swap-oob="true"') == 4  # the totals and three groups, nothing else
    # Nothing is saved: the page still shows the saved figures.
    assert '<span data-total="total">51</span>' in client.get(page_url(scorecard)).content.decode()
    assert [score_of(scorecard, key).self_score for key in ("I.1", "II.a", "III.a")] == [
        Decimal(30),
        Decimal(2),
        Decimal(1),
    ]
    # Nothing typed: the saved figures, exactly as the page shows them.
    body = client.get(totals_url(scorecard), **HTMX).content.decode()
    assert totals_block(body) == totals_block(client.get(page_url(scorecard)).content.decode())
    # Without htmx: the page.
    response = client.get(totals_url(scorecard), typed)
    assert (response.status_code, response["Location"]) == (302, page_url(scorecard))
    assert client.post(totals_url(scorecard), typed, **HTMX).status_code == 405


def test_the_totals_after_a_save_are_the_pages_own(world):
    """A save's answer carries the page's own totals block and subtotals, after a review too
    (a returned scorecard shows its reviewed total)."""
    officer = login(world["officer"])
    scorecard = world["scorecard"]
    fill(officer, scorecard, {"I.1": "30", "I.2": "20", "II.a": "2", "III.a": "1"})
    upload(officer, score_of(scorecard, "I.1"))
    officer.post(reverse("scorecards:scorecard_submit", kwargs={"scorecard": scorecard.uuid}))
    review.review_score(
        score=score_of(scorecard, "I.1"),
        reviewed_score=Decimal(25),
        reason="Thiếu 01 văn bản",
        user=world["secretariat"],
    )
    scoring.return_to_unit(scorecard=scorecard, reason="Bổ sung", user=world["secretariat"])

    response = save(officer, score_of(scorecard, "II.a"), "3")
    body = response.content.decode()
    assert "Đã lưu lúc" in body
    page = officer.get(page_url(scorecard)).content.decode()
    assert totals_block(body) == totals_block(page)
    assert "Sau thẩm định:" in totals_block(page)
    assert '<span data-total="total">52</span>' in totals_block(page)
    assert subtotals(body) == subtotals(page)
    assert len(subtotals(page)) == 3


def test_without_javascript_a_row_posts_and_comes_back(world):
    client = login(world["officer"])
    score = score_of(world["scorecard"], "I.1")
    response = client.post(save_url(score), {"self_score": "30", "revision": 0})
    assert response.status_code == 302
    assert response["Location"] == f"{page_url(world['scorecard'])}#score-{score.pk}"
    page = client.get(response["Location"]).content.decode()
    assert "Đã lưu tiêu chí I.1." in page
    response = client.post(save_url(score), {"self_score": "abc", "revision": 1})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<strong>Nhập một số.</strong>" in body and 'value="abc"' in body
    assert "<strong>Nhập một số.</strong>" in body
    score.refresh_from_db()
    assert score.self_score == Decimal("30")


def test_conflict_is_shown_to_the_second_writer_who_chooses(world):
    first, second = login(world["officer"]), login(world["colleague"])
    score = score_of(world["scorecard"], "I.1")
    second.get(page_url(world["scorecard"]))  # both have the page open at revision 0
    save(first, score, "30", "Theo báo cáo quý IV", revision=0)
    response = save(second, score, "20", "Theo kế hoạch", revision=0)
    body = response.content.decode()
    assert "Người khác đã lưu tiêu chí này trong lúc bạn đang sửa." in body
    assert "Nguyễn Văn An đã lưu lúc" in body
    assert "<strong data-their-score>30</strong>" in body
    assert "Theo báo cáo quý IV" in body
    assert 'value="20"' in body and "Theo kế hoạch" in body  # the second writer's values stay
    assert 'name="overwrite" value="1"' in body
    score.refresh_from_db()
    assert (score.self_score, score.explanation, score.revision) == (
        Decimal("30"),
        "Theo báo cáo quý IV",
        1,
    )
    # Saving again without choosing is still a conflict, never a silent overwrite.
    body = save(second, score, "20", "Theo kế hoạch", revision=0).content.decode()
    assert "Người khác đã lưu tiêu chí này trong lúc bạn đang sửa." in body
    # "Take theirs": the row as saved.
    body = second.get(save_url(score), **HTMX).content.decode()
    assert 'value="30"' in body and 'name="revision" value="1"' in body
    # "Keep mine": over the revision they were shown.
    body = save(second, score, "20", "Theo kế hoạch", revision=0, overwrite="1").content.decode()
    assert "Đã lưu lúc" in body
    score.refresh_from_db()
    assert (score.self_score, score.explanation, score.revision) == (
        Decimal("20"),
        "Theo kế hoạch",
        2,
    )
    assert score.history.latest().history_user == world["colleague"]


def test_wrong_and_oversized_evidence_is_refused(world, settings):
    client = login(world["officer"])
    score = score_of(world["scorecard"], "I.1")
    body = upload(client, score, "bao-cao.pdf", EXE).content.decode()
    assert "Tệp này không phải là tài liệu PDF, Word, Excel, JPG hoặc PNG." in body
    body = upload(client, score, "bao-cao.docx", PDF).content.decode()
    assert "Nội dung tệp không khớp với phần mở rộng của tên tệp (.docx)." in body
    settings.MAX_UPLOAD_MB = 1
    big = PDF + b"0" * (1024 * 1024 + 512 * 1024 - len(PDF))
    body = upload(client, score, "lon.pdf", big).content.decode()
    assert "Tệp quá lớn (1,5 MB); dung lượng tối đa là 1 MB." in body
    assert not Evidence.objects.exists()
    # Without JavaScript, the page comes back with the message in the row.
    response = client.post(upload_url(score), {"file": SimpleUploadedFile("x.pdf", EXE)})
    assert response.status_code == 200
    assert "Tệp này không phải là tài liệu PDF, Word, Excel, JPG hoặc PNG." in (
        response.content.decode()
    )


def test_evidence_is_removed(world):
    client = login(world["officer"])
    score = score_of(world["scorecard"], "I.1")
    upload(client, score)
    evidence = Evidence.objects.get()
    url = reverse("scorecards:evidence_remove", kwargs={"evidence": evidence.uuid})
    assert login(world["other_unit"]).post(url, **HTMX).status_code == 403
    body = client.post(url, **HTMX).content.decode()
    assert "Chưa có minh chứng." in body
    assert not Evidence.objects.exists()


def test_submission_problems_are_listed_at_the_top_and_in_the_rows(world):
    client = login(world["officer"])
    scorecard = world["scorecard"]
    fill(client, scorecard, {"I.1": "35", "I.2": "20", "II.a": "0"})
    url = reverse("scorecards:scorecard_submit", kwargs={"scorecard": scorecard.uuid})
    body = client.post(url).content.decode()
    assert "Bảng điểm chưa được gửi" in body
    i1, iii_a = score_of(scorecard, "I.1"), score_of(scorecard, "III.a")
    assert f'href="#score-{i1.pk}">Tiêu chí I.1</a>: Tiêu chí này bắt buộc có minh chứng.' in body
    assert f'href="#score-{iii_a.pk}">Tiêu chí III.a</a>: Chưa chấm điểm.' in body
    assert body.count("Tiêu chí này bắt buộc có minh chứng.") == 2  # the list and the row
    assert body.count("Chưa chấm điểm.") == 2
    scorecard.refresh_from_db()
    assert scorecard.status == Scorecard.Status.DRAFT


def test_submission_after_the_deadline_is_refused(world):
    client = login(world["officer"])
    scorecard = world["scorecard"]
    fill(client, scorecard, {"I.1": "35", "I.2": "20", "II.a": "0", "III.a": "0"})
    upload(client, score_of(scorecard, "I.1"))
    year = world["year"]
    year.scorecard_deadline = timezone.localdate() - datetime.timedelta(days=1)
    year.save()
    day = year.scorecard_deadline.strftime("%d/%m/%Y")
    url = reverse("scorecards:scorecard_submit", kwargs={"scorecard": scorecard.uuid})
    body = client.post(url).content.decode()
    assert f"Đã quá hạn tự chấm điểm ({day}): đề nghị liên hệ Thư ký Cụm." in body
    scorecard.refresh_from_db()
    assert scorecard.status == Scorecard.Status.DRAFT
    page = client.get(page_url(scorecard)).content.decode()
    assert "data-score-form" not in page
    assert f"Đã quá hạn tự chấm điểm ({day}): không thể sửa bảng điểm nữa." in page
    body = save(client, score_of(scorecard, "I.1"), "10").content.decode()
    assert "Đã quá hạn tự chấm điểm." in body
    assert score_of(scorecard, "I.1").self_score == Decimal("35")


def test_secretariat_returns_with_a_reason_and_the_unit_edits_again(world):
    officer = login(world["officer"])
    scorecard = world["scorecard"]
    fill(officer, scorecard, {"I.1": "35", "I.2": "20", "II.a": "0", "III.a": "0"})
    upload(officer, score_of(scorecard, "I.1"))
    officer.post(reverse("scorecards:scorecard_submit", kwargs={"scorecard": scorecard.uuid}))
    url = reverse("scorecards:scorecard_return", kwargs={"scorecard": scorecard.uuid})
    assert officer.post(url, {"reason": "x"}).status_code == 403
    assert login(world["other_unit"]).get(url).status_code == 403
    assert login(world["supervisor"]).get(url).status_code == 403
    secretariat = login(world["secretariat"])
    list_url = reverse(
        "scorecards:scorecard_list", kwargs={"cluster": world["year"].cluster.uuid, "year": 2020}
    )
    assert url in secretariat.get(list_url).content.decode()
    body = secretariat.post(url, {"reason": "  "}).content.decode()
    assert "Nêu lý do trả lại bảng điểm." in body
    scorecard.refresh_from_db()
    assert scorecard.status == Scorecard.Status.SUBMITTED
    response = secretariat.post(url, {"reason": "Bổ sung văn bản số 12"})
    assert response["Location"] == list_url
    scorecard.refresh_from_db()
    assert (scorecard.status, scorecard.returned_reason) == (
        Scorecard.Status.RETURNED,
        "Bổ sung văn bản số 12",
    )
    page = officer.get(page_url(scorecard)).content.decode()
    assert "Bổ sung văn bản số 12" in page and "data-score-form" in page
    assert "Đã lưu lúc" in save(officer, score_of(scorecard, "I.1"), "36").content.decode()


def test_the_leaders_own_scorecard_is_returned_by_the_standing_deputy(world):
    leader_card = scoring.open_scorecard(cluster_year=world["year"], unit=world["units"][0])
    leader_card.status = Scorecard.Status.SUBMITTED
    leader_card.save()
    url = reverse("scorecards:scorecard_return", kwargs={"scorecard": leader_card.uuid})
    assert login(world["secretariat"]).get(url).status_code == 403
    assert login(world["other_unit"]).get(url).status_code == 200


def test_list_shows_every_units_status(world):
    year, units = world["year"], world["units"]
    leader_card = scoring.open_scorecard(cluster_year=year, unit=units[0])
    leader_card.status = Scorecard.Status.SUBMITTED
    leader_card.submitted_at = timezone.make_aware(datetime.datetime(2020, 11, 10, 9, 30))
    leader_card.submitted_by = world["secretariat"]
    leader_card.needs_reconfirm = True
    leader_card.save()
    url = reverse("scorecards:scorecard_list", kwargs={"cluster": year.cluster.uuid, "year": 2020})
    body = login(world["secretariat"]).get(url).content.decode()
    assert body.count("chưa mở") == 2  # once for phones, once for wider screens
    assert "bản nháp" in body and "đã gửi" in body
    assert "09:30 10/11/2020" in body
    assert "phải xác nhận lại" in body
    assert "1/3 đơn vị đã gửi" in body
    # The secretariat does not return the leader's own scorecard (the standing deputy does).
    assert "/return/" not in body
    supervisor_body = login(world["supervisor"]).get(url).content.decode()
    assert "/return/" not in supervisor_body and "09:30 10/11/2020" in supervisor_body
    for who in ("officer", "other_unit", "other_cluster", "last_year"):
        assert login(world[who]).get(url).status_code == 403, who
    assert Client().get(url).status_code == 302


def test_supervisor_and_secretariat_see_it_read_only(world):
    score = score_of(world["scorecard"], "I.1")
    for who in ("supervisor", "secretariat"):
        client = login(world[who])
        body = client.get(page_url(world["scorecard"])).content.decode()
        assert "Tham mưu ban hành văn bản" in body
        assert "data-score-form" not in body
        assert "Bạn đang xem bảng điểm ở chế độ chỉ đọc." in body
        assert save(client, score, "10").status_code == 403, who
    score.refresh_from_db()
    assert score.self_score is None


@pytest.mark.parametrize("who", ["other_unit", "other_cluster", "last_year", None])
def test_everyone_else_is_refused(world, who):
    mine = login(world["officer"])
    score = score_of(world["scorecard"], "I.1")
    upload(mine, score)
    evidence = Evidence.objects.get()
    client = login(world[who]) if who else Client()
    refused = 302 if who is None else 403
    card = world["scorecard"]
    year = world["year"]
    requests = [
        ("get", page_url(card), {}),
        ("post", save_url(score), {"self_score": "1", "revision": 0}),
        ("get", save_url(score), {}),
        ("post", upload_url(score), {"file": SimpleUploadedFile("a.pdf", PDF)}),
        ("get", reverse("scorecards:evidence_download", kwargs={"evidence": evidence.uuid}), {}),
        ("post", reverse("scorecards:evidence_remove", kwargs={"evidence": evidence.uuid}), {}),
        ("get", reverse("scorecards:scorecard_submit", kwargs={"scorecard": card.uuid}), {}),
        ("post", reverse("scorecards:scorecard_submit", kwargs={"scorecard": card.uuid}), {}),
        ("get", reverse("scorecards:scorecard_return", kwargs={"scorecard": card.uuid}), {}),
        ("get", totals_url(card), {}),
    ]
    if who != "other_unit":  # an officer of another member unit opens their own scorecard
        requests.append(
            (
                "get",
                reverse(
                    "scorecards:my_scorecard", kwargs={"cluster": year.cluster.uuid, "year": 2020}
                ),
                {},
            )
        )
    for method, url, data in requests:
        response = getattr(client, method)(url, data)
        assert response.status_code == refused, (method, url)
        if who is None:
            assert response["Location"].startswith(reverse("login"))
    score.refresh_from_db()
    assert (score.self_score, Evidence.objects.count()) == (None, 1)


def test_my_scorecard_offers_a_choice_between_units_and_needs_published_criteria(world):
    year, units = world["year"], world["units"]
    both = officer(units[2])
    OfficerTerm.objects.create(user=both, unit=units[1], start_date="2019-06-01")
    client = login(both)
    url = reverse("scorecards:my_scorecard", kwargs={"cluster": year.cluster.uuid, "year": 2020})
    body = client.get(url).content.decode()
    assert f"?unit={units[1].uuid}" in body and f"?unit={units[2].uuid}" in body
    response = client.get(url, {"unit": str(units[1].uuid)})
    card = Scorecard.objects.get(cluster_year=year, unit=units[1])
    assert response["Location"] == page_url(card)
    assert card.scores.count() == 4
    assert client.get(url, {"unit": str(world["units"][0].uuid)}).status_code == 404

    unpublished = ClusterYearFactory(cluster=year.cluster, year=2021)
    assign(unpublished, "leader", units[0])
    make_criteria(unpublished, publish=False)
    url = reverse("scorecards:my_scorecard", kwargs={"cluster": year.cluster.uuid, "year": 2021})
    response = login(world["officer"]).get(url, follow=True)
    assert "Bảng tiêu chí của năm này chưa được công bố." in response.content.decode()
    assert not Scorecard.objects.filter(cluster_year=unpublished).exists()


def test_a_criteria_change_asks_to_reconfirm_with_its_reason(world):
    client = login(world["officer"])
    scorecard = world["scorecard"]
    fill(client, scorecard, {"I.1": "35"})
    draft = criteria_services.new_version(
        cluster_year=world["year"], reason="Điều chỉnh điểm thưởng theo Hướng dẫn 12"
    )
    criteria_services.publish(criteria_set=draft, user=None)
    body = client.get(page_url(scorecard)).content.decode()
    assert "Bảng tiêu chí đã thay đổi: hãy kiểm tra điểm và gửi lại" in body
    assert "Điều chỉnh điểm thưởng theo Hướng dẫn 12" in body
    assert 'value="35"' in body
    assert body.count("data-score-form") == 4  # the current version's criteria only
    assert CriteriaSet.objects.get(pk=draft.pk).status == CriteriaSet.Status.PUBLISHED


def build_tree(cluster_year, leaves: int) -> CriteriaSet:
    """Two groups (base, bonus) holding `leaves` criteria between them."""
    criteria_set = CriteriaSet.objects.create(cluster_year=cluster_year)
    base_leaves = leaves - 1
    group = Criterion.objects.create(
        criteria_set=criteria_set,
        number="I",
        text="Nhóm I",
        kind=Criterion.GROUP,
        max_points=Decimal(base_leaves),
        position=1,
    )
    for n in range(base_leaves):
        Criterion.objects.create(
            criteria_set=criteria_set,
            parent=group,
            number=str(n + 1),
            text=f"Tiêu chí {n + 1}",
            guidance="Hướng dẫn",
            kind=Criterion.POINTS if n % 2 else Criterion.YES_NO,
            max_points=Decimal(1),
            evidence_required=True,
            position=10 + n,
        )
    bonus = Criterion.objects.create(
        criteria_set=criteria_set,
        number="II",
        text="Điểm thưởng",
        kind=Criterion.GROUP,
        max_points=Decimal(5),
        position=1000,
    )
    Criterion.objects.create(
        criteria_set=criteria_set,
        parent=bonus,
        number="a",
        text="Thưởng",
        kind=Criterion.BONUS,
        max_points=Decimal(5),
        position=1001,
    )
    criteria_services.publish(criteria_set=criteria_set, user=None)
    return criteria_set


def scorecard_queries(leaves: int, settings, tmp_path) -> dict[str, int]:
    """The queries of the scorecard page, of a row's save and of the totals as typed."""
    settings.MEDIA_ROOT = tmp_path
    cluster, units = make_cluster(2)
    cluster_year = ClusterYearFactory(cluster=cluster, year=2020)
    assign(cluster_year, "leader", units[0])
    build_tree(cluster_year, leaves)
    unit_officer = officer(units[1])
    scorecard = scoring.open_scorecard(cluster_year=cluster_year, unit=units[1])
    for score in scorecard.scores.select_related("criterion"):
        scoring.save_score(
            score=score, self_score=Decimal(1), explanation="x", revision=0, user=unit_officer
        )
        scoring.add_evidence(
            score=score, uploaded=SimpleUploadedFile("a.pdf", PDF), user=unit_officer
        )
    client = login(unit_officer)
    counts = {}
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page_url(scorecard))
    assert response.status_code == 200
    assert response.content.decode().count("data-score-form") == leaves
    counts["page"] = len(queries.captured_queries)
    score = scorecard.scores.filter(criterion__kind=Criterion.POINTS).first()
    with CaptureQueriesContext(connection) as queries:
        response = save(client, score, "0,5", revision=1)
    assert "Đã lưu lúc" in response.content.decode()
    counts["save"] = len(queries.captured_queries)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(totals_url(scorecard), {f"c{score.criterion_id}": "0"}, **HTMX)
    assert f'<span data-total="base">{leaves - 2}</span>' in response.content.decode()
    counts["totals"] = len(queries.captured_queries)
    return counts


def test_scorecard_queries_do_not_grow_with_the_criteria(settings, tmp_path):
    small = scorecard_queries(6, settings, tmp_path)
    assert small == scorecard_queries(60, settings, tmp_path)
    assert small == {"page": 16, "save": 17, "totals": 10}


def list_queries(n_units: int) -> int:
    cluster, units = make_cluster(n_units)
    cluster_year = ClusterYearFactory(cluster=cluster, year=2020)
    assign(cluster_year, "leader", units[0])
    assign(cluster_year, "standing_deputy", units[1])
    make_criteria(cluster_year)
    secretariat = officer(units[0])
    for unit in units[:-1]:
        card = scoring.open_scorecard(cluster_year=cluster_year, unit=unit)
        card.status = Scorecard.Status.SUBMITTED
        card.submitted_at = timezone.now()
        card.submitted_by = officer(unit, full_name=f"Cán bộ {unit.pk}")
        card.save()
    client = login(secretariat)
    url = reverse("scorecards:scorecard_list", kwargs={"cluster": cluster.uuid, "year": 2020})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("/return/") == n_units - 2  # not the leader's own
    return len(queries.captured_queries)


def test_scorecard_list_queries_do_not_grow_with_the_units():
    small = list_queries(3)
    assert small == 16
    assert list_queries(12) == small


def test_evidence_download_is_refused_to_another_unit_even_with_the_link(world):
    client = login(world["officer"])
    upload(client, score_of(world["scorecard"], "I.1"))
    url = reverse("scorecards:evidence_download", kwargs={"evidence": Evidence.objects.get().uuid})
    assert login(world["other_unit"]).get(url).status_code == 403
    assert login(world["supervisor"]).get(url).status_code == 200
    assert io.BytesIO(b"".join(client.get(url).streaming_content)).read() == PDF
