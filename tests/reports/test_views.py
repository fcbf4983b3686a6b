"""The reports pages: who may do what, a unit's report from draft to accepted, bad input at
the field with nothing saved, publication to the members, the signed copy, query counts."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clusters.models import ClusterYear
from reports.models import (
    KeyFigure,
    ReportJob,
    SignedSummary,
    UnitReport,
    YearSummary,
)
from tests.clusters.factories import UserFactory, officer
from tests.helpers import login
from tests.reports.factories import UnitReportFactory, build_report_world

pytestmark = pytest.mark.django_db


def report_url(world, unit, action=""):
    name = "reports:unit_report" + (f"_{action}" if action else "")
    cy = world.cluster_year
    return reverse(name, args=[cy.cluster.uuid, cy.year, unit.uuid])


def year_url(world, name="reports:year"):
    return reverse(name, args=[world.cluster_year.cluster.uuid, world.cluster_year.year])


def form_data(**overrides):
    data = {
        "achievements": "Hoàn thành 100% chỉ tiêu.",
        "limitations": "Một số việc còn chậm.",
        "causes": "Biên chế còn thiếu.",
        "lessons": "",
        "proposals": "",
        "revision": "0",
        "figures-TOTAL_FORMS": "2",
        "figures-INITIAL_FORMS": "0",
        "figures-MIN_NUM_FORMS": "0",
        "figures-MAX_NUM_FORMS": "30",
        "figures-0-label": "Cán bộ được đào tạo",
        "figures-0-value": "1.250",
        "figures-0-measure": "người",
        "figures-1-label": "",
        "figures-1-value": "",
        "figures-1-measure": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def world():
    return build_report_world()


# Permissions ----------------------------------------------------------------------------------


def test_the_wrong_people_are_refused(world):
    cy = world.cluster_year
    own = world.units[2]  # the member officer's unit
    leader_report = UnitReportFactory(cluster_year=cy, unit=world.units[0])
    member_report = UnitReportFactory(cluster_year=cy, unit=own)
    job = ReportJob.objects.create(kind=ReportJob.SUMMARY, cluster_year=cy, year=cy.year)
    gets = {
        "year": year_url(world),
        "summary_edit": year_url(world, "reports:summary_edit"),
        "member_report": report_url(world, own),
        "leader_report": report_url(world, world.units[0]),
        "job": reverse("reports:job", args=[job.uuid]),
        "rollup": reverse("reports:rollup"),
    }
    expected = {
        # who: the GET pages they may open
        "secretariat": {"year", "summary_edit", "member_report", "leader_report", "job"},
        "supervisor": {"year", "member_report", "leader_report", "job", "rollup"},
        "member": {"year", "member_report"},
        "outsider": set(),
        "deputy": {"year", "leader_report"},  # reviews the leader's report
    }
    for who, allowed in expected.items():
        client = login(getattr(world, who))
        for name, url in gets.items():
            status = client.get(url).status_code
            assert status == (200 if name in allowed else 403), (who, name, status)
    anonymous = login(None)
    for url in gets.values():
        assert anonymous.get(url).status_code == 302
    # Writes: the member cannot accept its own report, nor compile; the outsider nothing.
    member = login(world.member)
    assert member.post(report_url(world, own, "accept")).status_code == 403
    assert member.post(year_url(world, "reports:compile")).status_code == 403
    assert member.post(reverse("reports:publish", args=[job.uuid])).status_code == 403
    assert login(world.outsider).post(report_url(world, own), form_data()).status_code == 403
    # The secretariat does not accept its own unit's report: the standing deputy does.
    assert (
        login(world.secretariat).post(report_url(world, world.units[0], "accept")).status_code
        == 403
    )
    assert login(world.deputy).post(report_url(world, world.units[0], "accept")).status_code == 302
    leader_report.refresh_from_db()
    assert leader_report.status == UnitReport.Status.ACCEPTED
    member_report.refresh_from_db()
    assert member_report.status == UnitReport.Status.SUBMITTED


def test_signed_copies_and_files_are_refused_to_members_until_published(world):
    cy = world.cluster_year
    job = ReportJob.objects.create(kind=ReportJob.SUMMARY, cluster_year=cy, year=cy.year)
    member = login(world.member)
    assert member.get(reverse("reports:job", args=[job.uuid])).status_code == 403
    assert member.get(reverse("reports:job_file", args=[job.uuid, "pdf"])).status_code == 403
    assert (
        login(world.outsider).get(reverse("reports:job_file", args=[job.uuid, "pdf"])).status_code
        == 403
    )


# A unit's report ----------------------------------------------------------------------------


def test_an_officer_writes_submits_and_the_secretariat_accepts(world):
    unit = world.units[2]
    officer = login(world.member)
    response = officer.post(report_url(world, unit), form_data())
    assert response.status_code == 302
    report = UnitReport.objects.get(cluster_year=world.cluster_year, unit=unit)
    assert (report.status, report.revision, report.achievements) == (
        UnitReport.Status.DRAFT,
        1,
        "Hoàn thành 100% chỉ tiêu.",
    )
    assert list(report.figures.values_list("label", "value", "measure")) == [
        ("Cán bộ được đào tạo", 1250, "người")
    ]
    response = officer.post(report_url(world, unit, "submit"), follow=True)
    assert "Báo cáo đã được gửi Thư ký Cụm." in response.content.decode()
    report.refresh_from_db()
    assert report.status == UnitReport.Status.SUBMITTED and report.submitted_by == world.member
    # Read-only now: a save is refused.
    assert officer.post(report_url(world, unit), form_data(revision="1")).status_code == 403

    secretariat = login(world.secretariat)
    response = secretariat.post(report_url(world, unit, "return"), {"reason": ""}, follow=True)
    assert "Hãy nêu lý do trả lại báo cáo." in response.content.decode()
    secretariat.post(report_url(world, unit, "accept"))
    report.refresh_from_db()
    assert report.status == UnitReport.Status.ACCEPTED and report.accepted_by == world.secretariat


def test_a_returned_report_can_be_changed_and_submitted_again(world):
    unit = world.units[2]
    report = UnitReportFactory(cluster_year=world.cluster_year, unit=unit)
    login(world.secretariat).post(report_url(world, unit, "return"), {"reason": "Bổ sung số liệu."})
    report.refresh_from_db()
    assert (report.status, report.returned_reason) == (
        UnitReport.Status.RETURNED,
        "Bổ sung số liệu.",
    )
    page = login(world.member).get(report_url(world, unit)).content.decode()
    assert "Bổ sung số liệu." in page
    login(world.member).post(report_url(world, unit), form_data(revision=str(report.revision)))
    login(world.member).post(report_url(world, unit, "submit"))
    report.refresh_from_db()
    assert report.status == UnitReport.Status.SUBMITTED and report.returned_reason == ""


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"figures-0-value": "nhiều"}, "figures-0-value", "Nhập một số."),
        ({"figures-0-value": ""}, "figures-0-value", "Hãy nhập giá trị của số liệu."),
        ({"figures-0-label": ""}, "figures-0-label", "Hãy nêu số liệu này đếm cái gì."),
    ],
)
def test_bad_figures_are_refused_at_the_field_and_nothing_is_saved(
    world, overrides, field, message
):
    response = login(world.member).post(report_url(world, world.units[2]), form_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["figures"].errors
    assert not UnitReport.objects.exists() and not KeyFigure.objects.exists()


def test_submitting_without_the_required_sections_names_them(world):
    unit = world.units[2]
    officer = login(world.member)
    officer.post(report_url(world, unit), form_data(limitations="", causes=""))
    response = officer.post(report_url(world, unit, "submit"), follow=True)
    assert response.content.decode().count("Hãy viết phần này trước khi gửi.") == 2
    assert UnitReport.objects.get(unit=unit).status == UnitReport.Status.DRAFT


def test_two_officers_saving_the_same_report_are_not_silently_overwritten(world):
    unit = world.units[2]
    first = login(world.member)
    first.post(report_url(world, unit), form_data())
    # A second officer of the same unit read revision 1 …
    colleague = officer(unit)
    login(colleague).post(report_url(world, unit), form_data(revision="1", achievements="Bản B"))
    # … while the first still holds revision 1 too: refused with who saved.
    response = first.post(report_url(world, unit), form_data(revision="1", achievements="Bản A"))
    assert response.status_code == 200
    assert "sau khi bạn mở" in response.content.decode()
    assert UnitReport.objects.get(unit=unit).achievements == "Bản B"


def test_a_closed_year_sends_the_officer_back_with_a_message(world):
    ClusterYear.objects.filter(pk=world.cluster_year.pk).update(status=ClusterYear.Status.CLOSED)
    response = login(world.member).post(report_url(world, world.units[2]), form_data(), follow=True)
    assert "Năm 2021 đã khóa sổ" in response.content.decode()
    assert not UnitReport.objects.exists()


# The summary: settings, publication, the signed copy -------------------------------------------


def test_members_see_the_summary_only_once_published(world):
    cy = world.cluster_year
    from reports import jobs

    job = jobs.request_summary(cluster_year=cy, user=world.secretariat)
    from reports import tasks

    tasks.compile_summary.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    member = login(world.member)
    file_url = reverse("reports:job_file", args=[job.uuid, "pdf"])
    assert member.get(file_url).status_code == 403
    assert "summary-jobs" not in member.get(year_url(world)).content.decode()

    response = login(world.secretariat).post(
        reverse("reports:publish", args=[job.uuid]), follow=True
    )
    assert "Phiên bản 1 đã được công bố cho các đơn vị thành viên." in response.content.decode()
    assert YearSummary.objects.get(cluster_year=cy).published_version == job.version
    download = member.get(file_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert download["Cache-Control"] == "private, no-store"
    assert login(world.outsider).get(file_url).status_code == 403


def test_the_summary_settings_are_saved(world):
    response = login(world.secretariat).post(
        year_url(world, "reports:summary_edit"),
        {"number": "12-BC/CTĐ4", "key_tasks": "Việc một\n\n Việc hai ", "signer_name": "Trần B"},
    )
    assert response.status_code == 302
    summary = YearSummary.objects.get(cluster_year=world.cluster_year)
    assert summary.key_task_lines() == ["Việc một", "Việc hai"]
    page = login(world.secretariat).get(year_url(world)).content.decode()
    assert "12-BC/CTĐ4" in page and "Việc hai" in page


def test_a_signed_copy_is_checked_by_content_and_kept_with_its_hash(world):
    url = year_url(world, "reports:signed_upload")
    fake = io.BytesIO(b"MZ\x90\x00 this is a program")
    fake.name = "bao-cao.pdf"
    response = login(world.secretariat).post(url, {"file": fake})
    assert response.status_code == 200
    assert "không khớp" in response.content.decode() or "không phải" in response.content.decode()
    assert not SignedSummary.objects.exists()

    content = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    good = io.BytesIO(content)
    good.name = "bao-cao-da-ky.pdf"
    response = login(world.secretariat).post(url, {"file": good})
    assert response.status_code == 302
    signed = SignedSummary.objects.get()
    import hashlib

    assert signed.sha256 == hashlib.sha256(content).hexdigest()
    assert (signed.original_name, signed.size, signed.uploaded_by) == (
        "bao-cao-da-ky.pdf",
        len(content),
        world.secretariat,
    )
    download = login(world.supervisor).get(reverse("reports:signed_file", args=[signed.uuid]))
    assert b"".join(download.streaming_content) == content
    assert (
        login(world.member).get(reverse("reports:signed_file", args=[signed.uuid])).status_code
        == 403
    )


# Query counts -----------------------------------------------------------------------------


def test_the_year_page_does_not_query_more_with_more_units(world):
    def count(n_units):
        w = build_report_world(n_units=n_units)
        for unit in w.units:
            UnitReportFactory(cluster_year=w.cluster_year, unit=unit)
        for _ in range(3):
            ReportJob.objects.create(kind=ReportJob.SUMMARY, cluster_year=w.cluster_year, year=2021)
        client = login(w.secretariat)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(year_url(w)).status_code == 200
        return len(ctx.captured_queries)

    small = count(3)
    assert small == 19
    assert count(12) == small


def test_a_supervisor_starts_a_rollup_of_their_clusters(world):
    UserFactory()  # someone else
    response = login(world.supervisor).post(reverse("reports:rollup"), {"year": "2021"})
    assert response.status_code == 302
    job = ReportJob.objects.get(kind=ReportJob.ROLLUP)
    assert list(job.cluster_years.all()) == [world.cluster_year]
    assert login(world.member).post(reverse("reports:rollup"), {"year": "2021"}).status_code == 403
    assert login(world.secretariat).get(reverse("reports:job", args=[job.uuid])).status_code == 403


@pytest.mark.django_db(transaction=True)  # the task runs when the job row is committed
def test_without_a_worker_the_compile_button_runs_the_job_in_process(world):
    """The embedded demo has no Redis: the task runs in-process once the job row is committed,
    and the answer to the button is the finished row with its files."""
    client = login(world.secretariat)
    response = client.post(year_url(world, "reports:compile"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    job = ReportJob.objects.get()
    page = response.content.decode()
    assert 'data-job-status="done"' in page and "hx-trigger" not in page
    assert reverse("reports:job_file", args=[job.uuid, "docx"]) in page
    assert "Phiên bản 1" in page
