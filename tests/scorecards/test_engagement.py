"""Pledge, thematic campaigns and indicators: the pages as their users use them, the refusals and
the bad input."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clusters.models import ClusterYear
from scorecards.models import (
    Campaign,
    CampaignEntry,
    Indicator,
    IndicatorReport,
    Pledge,
    PledgeSignature,
)
from scorecards.selectors_engagement import shortlisted_entries
from scorecards.services import engagement as services
from tests.clusters.factories import build_world
from tests.helpers import PDF, messages_of, year_kwargs
from tests.scorecards.factories import CampaignFactory, PledgeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def day(d: datetime.date) -> str:
    return d.strftime("%d/%m/%Y")


def make_pledge(world, **kwargs) -> Pledge:
    return PledgeFactory(cluster_year=world.year, **kwargs)


def open_campaign(world, **kwargs) -> Campaign:
    """A campaign of the 2021 year, open today (ten days either side)."""
    return CampaignFactory(cluster_year=world.year, **kwargs)


# The pledge ------------------------------------------------------------------------------------


def test_the_secretariat_posts_the_pledge_and_units_see_it(client, world):
    client.force_login(world.secretary)
    url = reverse("scorecards:pledge_edit", kwargs=year_kwargs(world.year))
    response = client.post(url, {"text": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "text": ["Nhập nội dung giao ước hoặc đính kèm văn bản giao ước."]
    }
    assert not Pledge.objects.exists()

    response = client.post(
        url,
        {
            "text": "Thi đua hoàn thành xuất sắc nhiệm vụ.",
            "document": SimpleUploadedFile("giao-uoc.pdf", PDF),
        },
        follow=True,
    )
    assert messages_of(response) == ["Đã lưu giao ước thi đua."]
    pledge = Pledge.objects.get(cluster_year=world.year)
    assert pledge.text == "Thi đua hoàn thành xuất sắc nhiệm vụ."
    assert pledge.document.name.startswith("pledges/")

    client.force_login(world.officer_a)
    page = client.get(reverse("scorecards:pledge", kwargs=year_kwargs(world.year)))
    assert "Thi đua hoàn thành xuất sắc nhiệm vụ." in page.content.decode()
    document = client.get(reverse("scorecards:pledge_document", kwargs=year_kwargs(world.year)))
    assert document.status_code == 200
    assert b"".join(document.streaming_content) == PDF


def test_a_unit_signs_once_and_the_second_time_is_refused(client, world):
    make_pledge(world)
    client.force_login(world.officer_a)
    url = reverse("scorecards:pledge_sign", kwargs=year_kwargs(world.year))
    response = client.post(
        url, {"confirm": "on", "scan": SimpleUploadedFile("ban-ky.pdf", PDF)}, follow=True
    )
    unit = world.units[3]
    assert messages_of(response) == [f"{unit.short_name} đã ký giao ước thi đua."]
    signature = PledgeSignature.objects.get()
    assert (signature.unit, signature.signed_by) == (unit, world.officer_a)
    assert signature.scan.read() == PDF
    page = response.content.decode()
    assert "1/11 đơn vị đã ký" in page

    # Again (a second officer of the same unit, or the same one twice): refused, nothing kept.
    response = client.post(url, {"confirm": "on"}, follow=True)
    signed_on = day(timezone.localdate(signature.signed_at))
    assert messages_of(response) == [f"{unit.short_name} đã ký giao ước thi đua ngày {signed_on}."]
    assert PledgeSignature.objects.count() == 1
    with pytest.raises(services.ValidationError) as refused:
        services.sign_pledge(cluster_year=world.year, unit=unit, user=world.officer_b)
    assert refused.value.messages == [f"{unit.short_name} đã ký giao ước thi đua ngày {signed_on}."]


def test_the_pledge_page_counts_signatures_and_lists_who_has_not_signed(client, world):
    pledge = make_pledge(world)
    signed = world.units[:8]
    for unit in signed:
        PledgeSignature.objects.create(pledge=pledge, unit=unit, signed_by=world.secretary)
    client.force_login(world.officer_b)  # units[4] has signed: everyone of the cluster sees
    response = client.get(reverse("scorecards:pledge", kwargs=year_kwargs(world.year)))
    status = response.context["status"]
    assert status.signed_count == 8
    assert status.not_signed == world.units[8:]
    page = response.content.decode()
    assert "8/11 đơn vị đã ký" in page
    for unit in world.units[8:]:
        assert f"<li>{unit.short_name}</li>" in page
    assert response.context["sign_form"] is None  # already signed


def test_a_scan_of_the_wrong_type_is_refused_and_nothing_is_signed(client, world):
    make_pledge(world)
    client.force_login(world.officer_a)
    response = client.post(
        reverse("scorecards:pledge_sign", kwargs=year_kwargs(world.year)),
        {"confirm": "on", "scan": SimpleUploadedFile("ban-ky.pdf", b"MZ\x90\x00 not a pdf")},
    )
    assert response.status_code == 400
    assert response.context["sign_form"].errors == {
        "scan": ["Tệp này không phải là tài liệu PDF, Word, Excel, JPG hoặc PNG."]
    }
    assert not PledgeSignature.objects.exists()


def test_signing_needs_the_confirmation_box_and_a_posted_pledge(client, world):
    client.force_login(world.officer_a)
    url = reverse("scorecards:pledge_sign", kwargs=year_kwargs(world.year))
    response = client.post(url, {"confirm": "on"}, follow=True)
    assert messages_of(response) == ["Thư ký Cụm chưa đăng giao ước thi đua của năm nay."]
    make_pledge(world)
    response = client.post(url, {})
    assert response.context["sign_form"].errors == {
        "confirm": ["Đánh dấu vào ô này để xác nhận ký giao ước."]
    }
    assert not PledgeSignature.objects.exists()


def test_a_signed_pledge_can_no_longer_be_edited(client, world):
    pledge = make_pledge(world)
    PledgeSignature.objects.create(pledge=pledge, unit=world.units[3])
    client.force_login(world.secretary)
    url = reverse("scorecards:pledge_edit", kwargs=year_kwargs(world.year))
    response = client.post(url, {"text": "Nội dung khác"}, follow=True)
    assert messages_of(response) == [
        "Đã có đơn vị ký giao ước: không thể thay đổi giao ước được nữa."
    ]
    pledge.refresh_from_db()
    assert pledge.text == "Các đơn vị thi đua hoàn thành xuất sắc nhiệm vụ năm 2021."


def test_a_scan_is_shown_to_its_unit_and_the_secretariat_only(client, world):
    pledge = make_pledge(world)
    services.sign_pledge(
        cluster_year=world.year,
        unit=world.units[3],
        user=world.officer_a,
        scan=SimpleUploadedFile("ban-ky.pdf", PDF),
    )
    url = reverse(
        "scorecards:pledge_scan",
        kwargs={**year_kwargs(world.year), "unit": world.units[3].uuid},
    )
    for user, expected in [
        (world.officer_a, 200),
        (world.secretary, 200),
        (world.officer_b, 403),
        (world.outsider, 403),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == expected, user
    assert pledge.signatures.count() == 1


# Campaigns -------------------------------------------------------------------------------------


def test_the_secretariat_creates_a_campaign_with_day_first_dates(client, world):
    client.force_login(world.secretary)
    url = reverse("scorecards:campaign_create", kwargs=year_kwargs(world.year))
    data = {
        "title": "Cách làm hay, mô hình mới",
        "description": "Phong trào chuyên đề năm 2021",
        "start_date": "01/03/2021",
        "end_date": "28/02/2021",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "end_date": ["Ngày kết thúc không được trước ngày bắt đầu."]
    }
    assert not Campaign.objects.exists()

    response = client.post(url, {**data, "end_date": "30/09/2021"}, follow=True)
    assert messages_of(response) == ["Đã lưu phong trào thi đua."]
    campaign = Campaign.objects.get()
    assert (campaign.start_date, campaign.end_date) == (
        datetime.date(2021, 3, 1),
        datetime.date(2021, 9, 30),
    )
    edit = client.get(reverse("scorecards:campaign_edit", kwargs={"campaign": campaign.uuid}))
    assert 'value="01/03/2021"' in edit.content.decode()


def test_a_unit_submits_an_entry_while_the_campaign_is_open(client, world):
    campaign = open_campaign(world)
    client.force_login(world.officer_a)
    url = reverse("scorecards:campaign", kwargs={"campaign": campaign.uuid})
    response = client.post(
        url,
        {
            "title": "Mô hình “Chi bộ bốn tốt”",
            "description": "Nâng cao chất lượng sinh hoạt chi bộ.",
            "results": "12 chi bộ áp dụng",
            "attachment": SimpleUploadedFile("mo-hinh.pdf", PDF),
        },
        follow=True,
    )
    assert messages_of(response) == [f"Đã gửi bài dự thi của {world.units[3].short_name}."]
    entry = CampaignEntry.objects.get()
    assert (entry.unit, entry.submitted_by, entry.shortlisted) == (
        world.units[3],
        world.officer_a,
        False,
    )
    assert entry.attachment.read() == PDF


def test_an_entry_after_the_end_is_refused(client, world):
    today = timezone.localdate()
    ended = today - datetime.timedelta(days=1)
    campaign = open_campaign(world, start_date=today - datetime.timedelta(days=30), end_date=ended)
    client.force_login(world.officer_a)
    page = client.get(reverse("scorecards:campaign", kwargs={"campaign": campaign.uuid}))
    assert page.context["form"] is None
    assert "Phong trào đã kết thúc: không nhận thêm bài dự thi." in page.content.decode()
    response = client.post(
        reverse("scorecards:campaign", kwargs={"campaign": campaign.uuid}),
        {"title": "Muộn", "description": "Gửi sau khi kết thúc"},
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        f"Phong trào đã kết thúc ngày {day(ended)}: không nhận thêm bài dự thi."
    ]
    assert not CampaignEntry.objects.exists()


def test_an_attachment_of_the_wrong_type_is_refused(client, world):
    campaign = open_campaign(world)
    client.force_login(world.officer_a)
    response = client.post(
        reverse("scorecards:campaign", kwargs={"campaign": campaign.uuid}),
        {
            "title": "Mô hình",
            "description": "Mô tả",
            "attachment": SimpleUploadedFile("mo-hinh.pdf", b"<html>not a pdf</html>"),
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "attachment": ["Tệp này không phải là tài liệu PDF, Word, Excel, JPG hoặc PNG."]
    }
    assert not CampaignEntry.objects.exists()


def test_only_the_secretariat_shortlists(client, world):
    campaign = open_campaign(world)
    entry = CampaignEntry.objects.create(
        campaign=campaign, unit=world.units[3], title="Mô hình A", description="Mô tả"
    )
    url = reverse("scorecards:entry_shortlist", kwargs={"entry": entry.uuid})
    for user in (world.officer_a, world.officer_b, world.last_secretary, world.outsider):
        client.force_login(user)
        assert client.post(url, {"shortlisted": "1"}).status_code == 403, user
    entry.refresh_from_db()
    assert entry.shortlisted is False

    client.force_login(world.secretary)
    response = client.post(url, {"shortlisted": "1"}, follow=True)
    assert messages_of(response) == ["Đã chọn “Mô hình A” vào danh sách đề xuất."]
    entry.refresh_from_db()
    assert entry.shortlisted is True
    assert list(shortlisted_entries(world.year)) == [entry]

    client.force_login(world.staff)
    response = client.post(url, {"shortlisted": "0"}, follow=True)
    assert messages_of(response) == ["Đã đưa “Mô hình A” ra khỏi danh sách đề xuất."]
    assert list(shortlisted_entries(world.year)) == []


def test_a_unit_sees_its_own_entries_and_only_the_shortlisted_ones_of_others(client, world):
    campaign = open_campaign(world)
    own = CampaignEntry.objects.create(
        campaign=campaign, unit=world.units[3], title="Của đơn vị A", description="x"
    )
    hidden = CampaignEntry.objects.create(
        campaign=campaign,
        unit=world.units[4],
        title="Chưa được chọn của B",
        description="x",
        attachment=SimpleUploadedFile("b.pdf", PDF),
    )
    shown = CampaignEntry.objects.create(
        campaign=campaign,
        unit=world.units[5],
        title="Được chọn của C",
        description="x",
        shortlisted=True,
        attachment=SimpleUploadedFile("c.pdf", PDF),
    )
    client.force_login(world.officer_a)
    response = client.get(reverse("scorecards:campaign", kwargs={"campaign": campaign.uuid}))
    assert [e.title for e in response.context["entries"]] == [own.title, shown.title]
    assert "Chưa được chọn của B" not in response.content.decode()
    hidden_file = reverse("scorecards:entry_file", kwargs={"entry": hidden.uuid})
    assert client.get(hidden_file).status_code == 403
    assert (
        client.get(reverse("scorecards:entry_file", kwargs={"entry": shown.uuid})).status_code
        == 200
    )

    client.force_login(world.secretary)
    response = client.get(reverse("scorecards:campaign", kwargs={"campaign": campaign.uuid}))
    assert {e.title for e in response.context["entries"]} == {own.title, hidden.title, shown.title}
    assert client.get(hidden_file).status_code == 200


# Indicators ------------------------------------------------------------------------------------


def test_indicator_counts_are_exact(client, world):
    indicator = Indicator.objects.create(
        cluster_year=world.year,
        text="Đã sắp xếp, tinh gọn bộ máy",
        kind=Indicator.YES_NO,
        as_of=datetime.date(2018, 6, 30),
    )
    yes, no = world.units[:4], world.units[4:6]
    for unit in yes:
        IndicatorReport.objects.create(indicator=indicator, unit=unit, value_yes=True)
    for unit in no:
        IndicatorReport.objects.create(indicator=indicator, unit=unit, value_yes=False)
    client.force_login(world.officer_b)
    response = client.get(reverse("scorecards:indicators", kwargs=year_kwargs(world.year)))
    (summary,) = response.context["summaries"]
    assert (summary.yes, summary.no, summary.not_reported) == (yes, no, world.units[6:])
    page = response.content.decode()
    assert '<span class="display-6 fw-semibold app-indicator-count">4/11</span>' in page
    assert "tính đến ngày 30/06/2018" in page
    assert "Chưa báo cáo (5)" in page


def test_a_unit_reports_numbers_the_vietnamese_way_and_can_change_them(client, world):
    count = Indicator.objects.create(
        cluster_year=world.year,
        text="Số đầu mối giảm",
        kind=Indicator.NUMBER,
        as_of=datetime.date(2021, 6, 30),
    )
    done = Indicator.objects.create(
        cluster_year=world.year,
        text="Đã sắp xếp, tinh gọn bộ máy",
        kind=Indicator.YES_NO,
        as_of=datetime.date(2021, 6, 30),
    )
    url = reverse("scorecards:indicator_report", kwargs=year_kwargs(world.year))
    client.force_login(world.officer_a)
    response = client.post(url, {f"value_{count.pk}": "abc", f"value_{done.pk}": "yes"})
    assert response.status_code == 400
    assert response.context["form"].errors == {f"value_{count.pk}": ["Nhập một số."]}
    assert not IndicatorReport.objects.exists()

    response = client.post(
        url,
        {f"value_{count.pk}": "7,5", f"value_{done.pk}": "yes", f"note_{done.pk}": "Xong"},
        follow=True,
    )
    assert messages_of(response) == [f"Đã lưu báo cáo chỉ tiêu của {world.units[3].short_name}."]
    client.force_login(world.officer_b)
    client.post(url, {f"value_{count.pk}": "2", f"value_{done.pk}": "no"})
    reports = {
        (r.indicator_id, r.unit_id): (r.value_yes, r.value_number, r.note)
        for r in IndicatorReport.objects.all()
    }
    assert reports == {
        (count.pk, world.units[3].pk): (None, Decimal("7.5"), ""),
        (done.pk, world.units[3].pk): (True, None, "Xong"),
        (count.pk, world.units[4].pk): (None, Decimal("2"), ""),
        (done.pk, world.units[4].pk): (False, None, ""),
    }
    response = client.get(reverse("scorecards:indicators", kwargs=year_kwargs(world.year)))
    number = next(s for s in response.context["summaries"] if s.indicator == count)
    assert (number.sum, number.average, number.reported_count) == (
        Decimal("9.5"),
        Decimal("4.75"),
        2,
    )
    page = response.content.decode()
    assert '<dd class="col-sm-8 app-indicator-sum">9,5</dd>' in page
    assert '<dd class="col-sm-8 app-indicator-average">4,75</dd>' in page

    # Changed, then withdrawn: still one report per unit and indicator.
    client.post(url, {f"value_{count.pk}": "3", f"value_{done.pk}": ""})
    assert IndicatorReport.objects.filter(unit=world.units[4]).count() == 1
    assert IndicatorReport.objects.get(unit=world.units[4]).value_number == Decimal("3")


def test_a_closed_year_refuses_reports_and_signatures(client, world):
    make_pledge(world)
    ClusterYear.objects.filter(pk=world.year.pk).update(status=ClusterYear.Status.CLOSED)
    client.force_login(world.officer_a)
    closed = "Năm 2021 đã khóa sổ, không thể thay đổi được nữa."
    for name in ("indicator_report", "pledge_sign"):
        response = client.post(
            reverse(f"scorecards:{name}", kwargs=year_kwargs(world.year)),
            {"confirm": "on"},
            follow=True,
        )
        assert messages_of(response) == [closed], name
    assert not PledgeSignature.objects.exists()
    with pytest.raises(services.ValidationError) as refused:
        services.sign_pledge(cluster_year=world.year, unit=world.units[3], user=world.officer_a)
    assert refused.value.messages == ["Năm thi đua đã khóa sổ."]


def test_the_kind_of_a_reported_indicator_is_fixed(client, world):
    indicator = Indicator.objects.create(
        cluster_year=world.year, text="Có", kind=Indicator.YES_NO, as_of=datetime.date(2021, 6, 30)
    )
    IndicatorReport.objects.create(indicator=indicator, unit=world.units[3], value_yes=True)
    client.force_login(world.secretary)
    response = client.post(
        reverse("scorecards:indicator_edit", kwargs={"indicator": indicator.uuid}),
        {"text": "Có", "kind": Indicator.NUMBER, "as_of": "30/06/2021"},
    )
    assert response.context["form"].errors == {
        "kind": ["Đã có đơn vị báo cáo chỉ tiêu này: không thể đổi loại chỉ tiêu."]
    }
    indicator.refresh_from_db()
    assert indicator.kind == Indicator.YES_NO


# Who may do what -------------------------------------------------------------------------------

ROLES = ["secretary", "staff", "officer_a", "last_secretary", "outsider", "anonymous"]
VIEWERS = {"secretary", "staff", "officer_a", "last_secretary"}
SECRETARIAT = {"secretary", "staff"}
MEMBERS_2021 = {"secretary", "officer_a"}  # officers of a 2021 member unit


def pages(world):
    campaign = open_campaign(world)
    entry = CampaignEntry.objects.create(
        campaign=campaign,
        unit=world.units[4],  # officer_b's unit: another unit for officer_a
        title="Mô hình B",
        description="x",
        attachment=SimpleUploadedFile("b.pdf", PDF),
    )
    indicator = Indicator.objects.create(
        cluster_year=world.year, text="Đã sắp xếp", as_of=datetime.date(2021, 6, 30)
    )
    to_shortlist = CampaignEntry.objects.create(
        campaign=campaign, unit=world.units[4], title="Mô hình B2", description="x"
    )
    pledge = Pledge.objects.create(
        cluster_year=world.year, text="x", document=SimpleUploadedFile("g.pdf", PDF)
    )
    PledgeSignature.objects.create(
        pledge=pledge, unit=world.units[4], scan=SimpleUploadedFile("s.pdf", PDF)
    )
    y = year_kwargs(world.year)
    # (method, url, data, allowed roles)
    return [
        ("get", reverse("scorecards:pledge", kwargs=y), None, VIEWERS),
        ("get", reverse("scorecards:pledge_document", kwargs=y), None, VIEWERS),
        (
            "get",
            reverse("scorecards:pledge_scan", kwargs={**y, "unit": world.units[4].uuid}),
            None,
            SECRETARIAT,
        ),
        ("get", reverse("scorecards:pledge_edit", kwargs=y), None, set()),  # signed: refused
        ("post", reverse("scorecards:pledge_sign", kwargs=y), {"confirm": "on"}, MEMBERS_2021),
        ("get", reverse("scorecards:campaigns", kwargs=y), None, VIEWERS),
        ("get", reverse("scorecards:campaign_create", kwargs=y), None, SECRETARIAT),
        ("get", reverse("scorecards:campaign", kwargs={"campaign": campaign.uuid}), None, VIEWERS),
        (
            "post",
            reverse("scorecards:campaign", kwargs={"campaign": campaign.uuid}),
            {"title": "Mô hình", "description": "x"},
            MEMBERS_2021,
        ),
        (
            "get",
            reverse("scorecards:campaign_edit", kwargs={"campaign": campaign.uuid}),
            None,
            SECRETARIAT,
        ),
        (
            "post",
            reverse("scorecards:entry_shortlist", kwargs={"entry": to_shortlist.uuid}),
            {"shortlisted": "1"},
            SECRETARIAT,
        ),
        ("get", reverse("scorecards:entry_file", kwargs={"entry": entry.uuid}), None, SECRETARIAT),
        ("get", reverse("scorecards:indicators", kwargs=y), None, VIEWERS),
        ("get", reverse("scorecards:indicator_create", kwargs=y), None, SECRETARIAT),
        (
            "get",
            reverse("scorecards:indicator_edit", kwargs={"indicator": indicator.uuid}),
            None,
            SECRETARIAT,
        ),
        ("get", reverse("scorecards:indicator_report", kwargs=y), None, MEMBERS_2021),
    ]


def test_every_view_refuses_the_wrong_people(client, world):
    users = {
        "secretary": world.secretary,
        "staff": world.staff,
        "officer_a": world.officer_a,
        "last_secretary": world.last_secretary,
        "outsider": world.outsider,
    }
    for method, url, data, allowed in pages(world):
        for role in ROLES:
            client.logout()
            if role != "anonymous":
                client.force_login(users[role])
            response = getattr(client, method)(url, data or {})
            if role == "anonymous":
                assert response.status_code == 302, (url, role)
                assert response.url.startswith(reverse("login")), (url, role)
            elif url.endswith("/pledge/edit/") and role in SECRETARIAT:
                # The secretariat is told the signed pledge is locked.
                assert response.status_code == 302, (url, role)
            elif role in allowed:
                assert response.status_code in (200, 302), (url, role, response.status_code)
            else:
                assert response.status_code == 403, (url, role, response.status_code)


def test_another_clusters_officer_and_last_years_secretariat_cannot_manage(client, world):
    """The other cluster's secretariat manages its own year, never this one."""
    client.force_login(world.outsider)
    own = reverse("scorecards:campaign_create", kwargs=year_kwargs(world.other_year))
    assert client.get(own).status_code == 200
    for user in (world.outsider, world.last_secretary, world.officer_a):
        client.force_login(user)
        response = client.post(
            reverse("scorecards:indicator_create", kwargs=year_kwargs(world.year)),
            {"text": "x", "kind": Indicator.YES_NO, "as_of": "30/06/2021"},
        )
        assert response.status_code == 403
    assert not Indicator.objects.exists()


# Query counts ----------------------------------------------------------------------------------


def populate(world, n_entries: int):
    pledge = make_pledge(world)
    campaign = open_campaign(world)
    indicators = [
        Indicator.objects.create(
            cluster_year=world.year, text=f"Chỉ tiêu {i}", as_of=datetime.date(2021, 6, 30)
        )
        for i in range(n_entries)
    ]
    for i, unit in enumerate(world.units[: n_entries + 1]):
        PledgeSignature.objects.create(pledge=pledge, unit=unit, signed_by=world.secretary)
        CampaignEntry.objects.create(
            campaign=campaign,
            unit=unit,
            title=f"Mô hình {i}",
            description="x",
            shortlisted=i % 2 == 0,
            submitted_by=world.officer_a,
        )
        for indicator in indicators:
            IndicatorReport.objects.create(indicator=indicator, unit=unit, value_yes=i % 2 == 0)
    return campaign


def query_counts(client, world, campaign) -> list[int]:
    y = year_kwargs(world.year)
    urls = [
        reverse("scorecards:pledge", kwargs=y),
        reverse("scorecards:campaigns", kwargs=y),
        reverse("scorecards:campaign", kwargs={"campaign": campaign.uuid}),
        reverse("scorecards:indicators", kwargs=y),
        reverse("scorecards:indicator_report", kwargs=y),
    ]
    counts = []
    for user in (world.secretary, world.officer_a):
        client.force_login(user)
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200, url
            counts.append(len(ctx.captured_queries))
    return counts


def test_query_counts_do_not_grow_with_the_data(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    small = build_world(5)
    small_counts = query_counts(client, small, populate(small, 2))
    # pledge, campaigns, campaign, indicators, indicator report: the secretary, then an officer
    assert small_counts == [19, 15, 18, 19, 18, 19, 15, 18, 19, 18]
    large = build_world(14, prefix="lon_")
    large_counts = query_counts(client, large, populate(large, 9))
    assert large_counts == small_counts
