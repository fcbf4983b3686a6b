"""Bad input through the secretariat's forms: a message at the field, nothing saved."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from clusters.models import ClusterYear, Conference

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def secretariat(client, cluster_world):
    """The 2021 secretariat logged in; returns the year and its units."""
    client.force_login(cluster_world.secretary)
    return cluster_world.year, cluster_world.units


def conference_data(units, **overrides):
    data = {
        "kind": Conference.MID_YEAR,
        "title": "Hội nghị sơ kết 6 tháng đầu năm 2021",
        "date": "23/07/2021",
        "place": "Bà Rịa - Vũng Tàu",
        "host_unit": units[0].pk,
        "attending_units": [u.pk for u in units],
        "summary": "",
    }
    data.update(overrides)
    return data


def create_url(cluster_year):
    return reverse(
        "clusters:conference_create",
        kwargs={"cluster": cluster_year.cluster.uuid, "year": cluster_year.year},
    )


def test_conference_is_created_with_minutes_checked_by_content(client, secretariat):
    cluster_year, units = secretariat
    minutes = SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf")
    response = client.post(create_url(cluster_year), conference_data(units, minutes=minutes))
    conference = Conference.objects.get()
    assert response.status_code == 302
    assert response["Location"] == conference.get_absolute_url()
    assert conference.date.isoformat() == "2021-07-23"
    assert set(conference.attending_units.all()) == set(units)
    assert conference.minutes.name.endswith(".pdf")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "bien-ban.pdf",
            b"MZ\x90\x00 this is an executable",
            "Tệp này không phải là tài liệu PDF, Word, Excel, JPG hoặc PNG.",
        ),
        ("bien-ban.pdf", None, "Nội dung tệp không khớp với phần mở rộng của tên tệp (.pdf)."),
        ("bien-ban.exe", PDF, "Nội dung tệp không khớp với phần mở rộng của tên tệp (.exe)."),
    ],
)
def test_bad_minutes_are_refused_at_the_field(client, secretariat, name, content, message):
    cluster_year, units = secretariat
    upload = SimpleUploadedFile(name, content if content is not None else docx_bytes())
    response = client.post(create_url(cluster_year), conference_data(units, minutes=upload))
    assert response.status_code == 200
    assert response.context["form"].errors == {"minutes": [message]}
    assert Conference.objects.count() == 0


@override_settings(MAX_UPLOAD_MB=1)
def test_too_large_minutes_are_refused(client, secretariat):
    cluster_year, units = secretariat
    upload = SimpleUploadedFile("bien-ban.pdf", PDF + b"0" * (1024 * 1024))
    response = client.post(create_url(cluster_year), conference_data(units, minutes=upload))
    assert response.context["form"].errors["minutes"][0].startswith("Tệp quá lớn (1,0 MB)")
    assert Conference.objects.count() == 0


def test_conference_date_outside_its_year_and_bad_dates_are_refused(client, secretariat):
    cluster_year, units = secretariat
    response = client.post(create_url(cluster_year), conference_data(units, date="04/12/2019"))
    assert response.context["form"].errors == {
        "date": ["Hội nghị của năm 2021 được tổ chức trong năm 2021 (hoặc đầu năm sau)."]
    }
    response = client.post(create_url(cluster_year), conference_data(units, date="31/02/2021"))
    assert list(response.context["form"].errors) == ["date"]
    assert Conference.objects.count() == 0


def test_host_must_be_a_member_of_the_year(client, secretariat):
    cluster_year, units = secretariat
    from tests.clusters.factories import UnitFactory

    outsider = UnitFactory()
    response = client.post(create_url(cluster_year), conference_data(units, host_unit=outsider.pk))
    assert list(response.context["form"].errors) == ["host_unit"]
    assert Conference.objects.count() == 0


def test_year_edit_reads_day_first_dates(client, secretariat):
    cluster_year, _ = secretariat
    url = reverse("clusters:year_edit", kwargs={"cluster": cluster_year.cluster.uuid, "year": 2021})
    response = client.post(
        url,
        {"status": ClusterYear.Status.IN_PROGRESS, "scorecard_deadline": "15/11/2021", "notes": ""},
    )
    assert response.status_code == 302
    cluster_year.refresh_from_db()
    assert cluster_year.scorecard_deadline.isoformat() == "2021-11-15"
    response = client.post(
        url, {"status": ClusterYear.Status.IN_PROGRESS, "scorecard_deadline": "15/11/2020"}
    )
    assert response.context["form"].errors == {
        "scorecard_deadline": ["Ngày không được trước năm 2021."]
    }
    cluster_year.refresh_from_db()
    assert cluster_year.scorecard_deadline.isoformat() == "2021-11-15"


def test_closed_year_cannot_be_edited_by_its_secretariat(client, secretariat):
    cluster_year, _ = secretariat
    ClusterYear.objects.filter(pk=cluster_year.pk).update(status=ClusterYear.Status.CLOSED)
    url = reverse("clusters:year_edit", kwargs={"cluster": cluster_year.cluster.uuid, "year": 2021})
    response = client.post(url, {"status": ClusterYear.Status.IN_PROGRESS}, follow=True)
    assert response.redirect_chain == [(cluster_year.get_absolute_url(), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "Năm 2021 đã khóa sổ, không thể thay đổi được nữa."
    ]
    cluster_year.refresh_from_db()
    assert cluster_year.status == ClusterYear.Status.CLOSED
