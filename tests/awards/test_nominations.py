"""Award types and the nomination round: quotas, units suggested by the published ranking with
their eligibility hints, people nominated by their own unit's officers, shortlisted campaign
entries, the slate; who may do what; constant query counts."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import AwardType, Candidate, NominationRound, Quota
from clusters.models import ClusterYear
from scorecards.models import Campaign, CampaignEntry, GradeBand, RankingPublication
from tests.clusters.factories import PersonFactory, build_world
from tests.helpers import PDF, messages_of, year_kwargs
from tests.scorecards.factories import finalised, make_criteria

pytestmark = pytest.mark.django_db


def url(name, cluster_year):
    return reverse(f"awards:{name}", kwargs=year_kwargs(cluster_year))


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world(n_units=6)


def award_types(world):
    flag = AwardType.objects.create(
        cluster=world.cluster,
        name="Cờ thi đua",
        recipient=AwardType.UNIT,
        rank=1,
        top_n_hint=2,
        grade_hint="Xuất sắc",
    )
    unit_cert = AwardType.objects.create(
        cluster=world.cluster, name="Bằng khen tập thể", recipient=AwardType.UNIT, rank=2
    )
    person_cert = AwardType.objects.create(
        cluster=world.cluster, name="Bằng khen cá nhân", recipient=AwardType.INDIVIDUAL, rank=3
    )
    return flag, unit_cert, person_cert


def rank_and_publish(world):
    """units[3] 60 (1st, Xuất sắc), units[4] 50 (2nd, Tốt), units[5] 20 (3rd, no grade)."""
    make_criteria(world.year)
    for name, minimum in [("Xuất sắc", "60"), ("Tốt", "50"), ("Khá", "35")]:
        GradeBand.objects.create(cluster=world.cluster, name=name, min_total=Decimal(minimum))
    zero = {"II.a": "0", "III.a": "0"}
    units = world.units
    finalised(world.year, units[3], {"I.1": "40", "I.2": "20", **zero}, world.secretary)
    finalised(world.year, units[4], {"I.1": "30", "I.2": "20", **zero}, world.secretary)
    finalised(world.year, units[5], {"I.1": "20", "I.2": "0", **zero}, world.secretary)
    RankingPublication.objects.create(
        cluster_year=world.year, published_at=datetime.datetime.now(datetime.UTC)
    )


# --- award types and quotas ----------------------------------------------------------------------


def test_the_secretariat_creates_and_edits_award_types(client, world):
    client.force_login(world.secretary)
    response = client.post(
        url("award_type_create", world.year),
        {"name": "Cờ thi đua", "recipient": "unit", "rank": "1", "top_n_hint": "2"},
    )
    assert response.status_code == 302
    flag = AwardType.objects.get()
    assert (flag.cluster, flag.name, flag.recipient, flag.top_n_hint) == (
        world.cluster,
        "Cờ thi đua",
        "unit",
        2,
    )
    edit = reverse("awards:award_type_edit", kwargs={**year_kwargs(world.year), "pk": flag.pk})
    client.post(edit, {"name": "Cờ thi đua của Ban", "recipient": "unit", "rank": "1"})
    flag.refresh_from_db()
    assert (flag.name, flag.top_n_hint) == ("Cờ thi đua của Ban", None)
    page = client.get(url("award_types", world.year)).content.decode()
    assert "Cờ thi đua của Ban" in page


def test_quotas_are_set_per_award_type(client, world):
    flag, unit_cert, person_cert = award_types(world)
    client.force_login(world.staff)
    response = client.post(
        url("nomination_quotas", world.year),
        {f"quota_{flag.pk}": "2", f"quota_{unit_cert.pk}": "4", f"quota_{person_cert.pk}": "14"},
    )
    assert response.status_code == 302
    quotas = {q.award_type.name: q.quota for q in Quota.objects.select_related("award_type")}
    assert quotas == {"Cờ thi đua": 2, "Bằng khen tập thể": 4, "Bằng khen cá nhân": 14}
    assert NominationRound.objects.get().cluster_year == world.year
    page = client.get(url("nominations", world.year)).content.decode()
    assert "0 đối tượng cho chỉ tiêu 14" in " ".join(page.split())
    # Emptying a quota removes it; a negative one is refused and nothing changes.
    client.post(url("nomination_quotas", world.year), {f"quota_{flag.pk}": "2"})
    assert Quota.objects.count() == 1
    response = client.post(url("nomination_quotas", world.year), {f"quota_{flag.pk}": "-1"})
    assert response.status_code == 400
    assert Quota.objects.get().quota == 2


# --- units from the published ranking ------------------------------------------------------------


def test_no_suggestion_before_the_ranking_is_published(client, world):
    flag, *_ = award_types(world)
    client.force_login(world.secretary)
    page = client.get(url("nominations", world.year)).content.decode()
    assert "Bảng xếp hạng năm nay chưa được công bố." in page
    response = client.post(
        url("nomination_add_unit", world.year),
        {"unit": world.units[3].pk, "award_type": flag.pk, "reason": ""},
    )
    assert response.status_code == 400
    assert 'id="unit-errors"><div>Bảng xếp hạng năm nay chưa được công bố.</div>' in (
        response.content.decode()
    )
    assert not Candidate.objects.exists()


def test_ranking_suggestions_and_their_hints(client, world):
    flag, *_ = award_types(world)
    rank_and_publish(world)
    client.force_login(world.secretary)
    add = url("nomination_add_unit", world.year)
    page = " ".join(client.get(url("nominations", world.year)).content.decode().split())
    assert "3. Đơn vị" not in page  # the page shows short names
    assert f"{world.units[5].short_name} xếp hạng 3, ngoài nhóm 2 đơn vị dẫn đầu." in page

    # The first unit passes both hints: no reason needed.
    response = client.post(add, {"unit": world.units[3].pk, "award_type": flag.pk})
    assert response.status_code == 302
    candidate = Candidate.objects.get(unit=world.units[3])
    assert (candidate.award_type, candidate.hint_override_reason, candidate.nominated_by) == (
        flag,
        "",
        world.secretary,
    )

    # Third: outside the top 2 and without a grade: refused without a reason, nothing stored.
    third = world.units[5].short_name
    response = client.post(add, {"unit": world.units[5].pk, "award_type": flag.pk, "reason": " "})
    assert response.status_code == 400
    content = response.content.decode()
    assert f"{third} xếp hạng 3, ngoài nhóm 2 đơn vị dẫn đầu." in content
    assert f"{third} xếp loại chưa xếp loại, thấp hơn Xuất sắc." in content
    assert "Cần nêu lý do để vẫn đề nghị đơn vị này dù không đạt gợi ý điều kiện." in content
    assert not Candidate.objects.filter(unit=world.units[5]).exists()

    # With a reason it is stored with the reason.
    response = client.post(
        add, {"unit": world.units[5].pk, "award_type": flag.pk, "reason": "Mô hình mới"}
    )
    assert response.status_code == 302
    assert Candidate.objects.get(unit=world.units[5]).hint_override_reason == "Mô hình mới"

    # Second: within the top 2 but graded Tốt, below Xuất sắc.
    response = client.post(add, {"unit": world.units[4].pk, "award_type": flag.pk})
    assert response.status_code == 400
    assert (
        f"{world.units[4].short_name} xếp loại Tốt, thấp hơn Xuất sắc." in response.content.decode()
    )
    # The same unit twice for the same award is refused.
    response = client.post(add, {"unit": world.units[3].pk, "award_type": flag.pk})
    assert response.status_code == 400
    assert "Đối tượng này đã được đề nghị cho hình thức khen thưởng này." in (
        response.content.decode()
    )
    assert Candidate.objects.count() == 2


# --- people nominated by their unit's officers ---------------------------------------------------


def test_an_officer_nominates_a_person_of_their_own_unit(client, world):
    *_, person_cert = award_types(world)
    own = PersonFactory(unit=world.units[3], full_name="Nguyễn Văn An")
    client.force_login(world.officer_a)
    response = client.post(
        url("nomination_nominate", world.year),
        {
            "award_type": person_cert.pk,
            "person": own.pk,
            "achievements": "Hoàn thành xuất sắc nhiệm vụ",
            "attachment": SimpleUploadedFile("thanh-tich.pdf", PDF),
        },
    )
    assert response.status_code == 302
    candidate = Candidate.objects.get()
    assert (candidate.person, candidate.achievements, candidate.nominated_by) == (
        own,
        "Hoàn thành xuất sắc nhiệm vụ",
        world.officer_a,
    )
    assert candidate.attachment.name.endswith(".pdf")
    download = reverse("awards:nomination_attachment", kwargs={"candidate": candidate.uuid})
    assert client.get(download).status_code == 200
    # Another unit's officer sees the name, not the achievements nor the attachment.
    client.force_login(world.officer_b)
    page = client.get(url("nominations", world.year)).content.decode()
    assert "Nguyễn Văn An" in page
    assert "Hoàn thành xuất sắc nhiệm vụ" not in page
    assert download not in page
    assert client.get(download).status_code == 403
    # The secretariat sees everything.
    client.force_login(world.secretary)
    assert (
        "Hoàn thành xuất sắc nhiệm vụ"
        in client.get(url("nominations", world.year)).content.decode()
    )


def test_a_person_of_another_unit_is_refused(client, world):
    *_, person_cert = award_types(world)
    stranger = PersonFactory(unit=world.units[4], full_name="Trần Thị Bình")
    client.force_login(world.officer_a)
    response = client.post(
        url("nomination_nominate", world.year),
        {"award_type": person_cert.pk, "person": stranger.pk, "achievements": "Tốt"},
    )
    assert response.status_code == 400
    assert (
        "Trần Thị Bình không thuộc đơn vị của đồng chí: chỉ được đề nghị người của đơn vị mình."
        in response.content.decode()
    )
    assert not Candidate.objects.exists()
    assert not NominationRound.objects.exists()


def test_a_bad_attachment_is_refused(client, world):
    *_, person_cert = award_types(world)
    own = PersonFactory(unit=world.units[3])
    client.force_login(world.officer_a)
    response = client.post(
        url("nomination_nominate", world.year),
        {
            "award_type": person_cert.pk,
            "person": own.pk,
            "achievements": "Tốt",
            "attachment": SimpleUploadedFile("thanh-tich.pdf", b"MZ not a pdf"),
        },
    )
    assert response.status_code == 400
    assert not Candidate.objects.exists()


# --- campaign entries and the slate -------------------------------------------------------------


def shortlisted(world, unit, title):
    campaign = Campaign.objects.get_or_create(
        cluster_year=world.year,
        title="Chuyển đổi số",
        defaults={"start_date": "2021-03-01", "end_date": "2021-10-31", "description": "-"},
    )[0]
    return CampaignEntry.objects.create(
        campaign=campaign, unit=unit, title=title, description="-", shortlisted=True
    )


def test_shortlisted_campaign_entries_are_added(client, world):
    _flag, unit_cert, _ = award_types(world)
    entry = shortlisted(world, world.units[4], "Sổ tay đảng viên điện tử")
    client.force_login(world.secretary)
    page = client.get(url("nominations", world.year)).content.decode()
    assert "Sổ tay đảng viên điện tử" in page
    response = client.post(
        url("nomination_add_entry", world.year),
        {"entry": entry.pk, "award_type": unit_cert.pk},
        follow=True,
    )
    assert messages_of(response) == ["Đã đề nghị Sổ tay đảng viên điện tử cho Bằng khen tập thể."]
    candidate = Candidate.objects.get()
    assert (candidate.campaign_entry, candidate.award_type) == (entry, unit_cert)
    # An entry not shortlisted is refused.
    entry.shortlisted = False
    entry.save()
    other = shortlisted(world, world.units[3], "Khác")
    other.shortlisted = False
    other.save()
    response = client.post(
        url("nomination_add_entry", world.year),
        {"entry": other.pk, "award_type": unit_cert.pk},
        follow=True,
    )
    assert messages_of(response) == [
        "Chỉ có thể thêm các bài dự thi được chọn vào danh sách đề xuất của năm."
    ]
    assert Candidate.objects.count() == 1


def test_the_slate_is_finalised_with_a_warning_over_the_quota(client, world):
    flag, unit_cert, person_cert = award_types(world)
    rank_and_publish(world)
    client.force_login(world.secretary)
    client.post(url("nomination_quotas", world.year), {f"quota_{flag.pk}": "1"})
    add = url("nomination_add_unit", world.year)
    client.post(add, {"unit": world.units[3].pk, "award_type": flag.pk})
    client.post(add, {"unit": world.units[5].pk, "award_type": flag.pk, "reason": "Tiến bộ"})
    client.post(add, {"unit": world.units[4].pk, "award_type": unit_cert.pk})
    a, b, c = Candidate.objects.order_by("pk")
    page = client.get(url("nomination_finalise", world.year))
    assert page.status_code == 200
    response = client.post(
        url("nomination_finalise", world.year), {"on_slate": [a.pk, b.pk]}, follow=True
    )
    assert messages_of(response) == [
        "Đã chốt danh sách bỏ phiếu.",
        "Cờ thi đua: 2 đối tượng trong danh sách, chỉ tiêu 1.",
    ]
    statuses = dict(Candidate.objects.values_list("pk", "status"))
    assert statuses == {a.pk: "on_slate", b.pk: "on_slate", c.pk: "withdrawn"}
    assert NominationRound.objects.get().status == NominationRound.Status.FINAL
    # Once final, nothing more is added.
    response = client.post(add, {"unit": world.units[4].pk, "award_type": flag.pk, "reason": "x"})
    assert response.status_code == 400
    assert "Danh sách bỏ phiếu đã chốt: không thể thay đổi đề nghị nữa." in (
        response.content.decode()
    )
    assert Candidate.objects.count() == 3


def test_an_empty_slate_is_refused(client, world):
    flag, *_ = award_types(world)
    rank_and_publish(world)
    client.force_login(world.secretary)
    client.post(
        url("nomination_add_unit", world.year), {"unit": world.units[3].pk, "award_type": flag.pk}
    )
    response = client.post(url("nomination_finalise", world.year), {})
    assert response.status_code == 400
    assert "Hãy chọn ít nhất một đối tượng vào danh sách bỏ phiếu." in response.content.decode()
    assert NominationRound.objects.get().status == NominationRound.Status.OPEN


# --- who may do what ----------------------------------------------------------------------------


def test_refusals(client, world):
    flag, _unit_cert, person_cert = award_types(world)
    own = PersonFactory(unit=world.units[3])
    manage = [
        ("get", url("award_type_create", world.year), {}),
        (
            "post",
            url("award_type_create", world.year),
            {"name": "X", "recipient": "unit", "rank": 1},
        ),
        (
            "get",
            reverse("awards:award_type_edit", kwargs={**year_kwargs(world.year), "pk": flag.pk}),
            {},
        ),
        ("post", url("nomination_quotas", world.year), {f"quota_{flag.pk}": "2"}),
        (
            "post",
            url("nomination_add_unit", world.year),
            {"unit": world.units[3].pk, "award_type": flag.pk},
        ),
        ("post", url("nomination_add_entry", world.year), {"entry": 1, "award_type": flag.pk}),
        ("get", url("nomination_finalise", world.year), {}),
        ("post", url("nomination_finalise", world.year), {}),
    ]
    nominate = (
        "post",
        url("nomination_nominate", world.year),
        {"award_type": person_cert.pk, "person": own.pk, "achievements": "x"},
    )
    views = [
        ("get", url("nominations", world.year), {}),
        ("get", url("award_types", world.year), {}),
    ]

    def status(user, method, path, data):
        client.logout()
        if user:
            client.force_login(user)
        return getattr(client, method)(path, data).status_code

    for method, path, data in manage:
        for user in (world.officer_a, world.outsider, world.last_secretary):
            assert status(user, method, path, data) == 403, (user, path)
        response_status = status(None, method, path, data)
        assert response_status == 302
        assert client.get(path).url.startswith(reverse("login"))
    for user in (world.outsider, world.last_secretary, world.secretary):
        # The secretariat's officers are not officers of units[3]: the service refuses them.
        expected = 400 if user == world.secretary else 403
        assert status(user, *nominate) == expected, user
    for method, path, data in views:
        assert status(world.outsider, method, path, data) == 403
        assert status(world.officer_b, method, path, data) == 200
        assert status(None, method, path, data) == 302
    assert not Candidate.objects.exists()
    assert not Quota.objects.exists()
    assert AwardType.objects.count() == 3


def test_last_years_secretariat_cannot_manage_last_year_once_closed(client, world):
    AwardType.objects.create(cluster=world.cluster, name="Cờ", recipient=AwardType.UNIT)
    assert world.last_year.status == ClusterYear.Status.CLOSED
    client.force_login(world.last_secretary)
    response = client.post(url("nomination_quotas", world.last_year), {})
    assert response.status_code == 302  # sent back with "the year is closed"
    assert not NominationRound.objects.exists()


# --- queries ------------------------------------------------------------------------------------


def populate(world, n: int):
    flag, unit_cert, person_cert = award_types(world)
    nomination_round = NominationRound.objects.create(cluster_year=world.year)
    Quota.objects.create(round=nomination_round, award_type=flag, quota=2)
    for i in range(n):
        person = PersonFactory(unit=world.units[3 + i % 3])
        Candidate.objects.create(
            round=nomination_round, award_type=person_cert, person=person, achievements="x"
        )
        entry = shortlisted(world, world.units[i % 6], f"Bài {i}")
        Candidate.objects.create(round=nomination_round, award_type=unit_cert, campaign_entry=entry)
    for unit in world.units[:n]:
        Candidate.objects.create(round=nomination_round, award_type=flag, unit=unit)


def counts(client, world) -> list[int]:
    result = []
    for user in (world.secretary, world.officer_a):
        client.force_login(user)
        for name in ("nominations", "award_types", "nomination_finalise"):
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url(name, world.year))
            assert response.status_code in (200, 403, 302), name
            result.append(len(ctx.captured_queries))
    return result


def test_the_nominations_pages_make_a_constant_number_of_queries(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    small = build_world(n_units=6, prefix="s")
    rank_and_publish(small)
    populate(small, 2)
    small_counts = counts(client, small)
    # nominations, award types, finalise: as the secretary, then as a unit officer
    assert small_counts == [35, 15, 21, 27, 15, 14]
    large = build_world(n_units=6, prefix="l")
    rank_and_publish(large)
    populate(large, 6)
    assert counts(client, large) == small_counts
