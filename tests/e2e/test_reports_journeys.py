"""Journeys of issue 5 (year-end reports) in Chromium, with a real Celery worker on Redis, on
the whole demo data of Cluster No. 4: a unit writes and submits its report and the secretariat
returns and accepts it; the 2020 summary compiles with a live progress bar, downloads as Word,
PDF and Excel that read right, and is published to the members; a supervisor rolls up the year.
"""

import datetime
import io
import subprocess
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import expect

from clusters.management.commands.load_demo import run_loaders
from clusters.models import ClusterYear

pytestmark = pytest.mark.django_db(transaction=True)

JOB_TIMEOUT_MS = 120_000  # the worker shares 2 cores with the browser and the server


@pytest.fixture
def demo_all(celery_worker_process, settings):
    # The live server (this process) serves the files the worker writes.
    settings.MEDIA_ROOT = celery_worker_process[0].media_root
    data, _reports = run_loaders(settings.DEMO_LOADERS)
    return data


def docx_text(path) -> str:
    document = Document(str(path))
    cells = [
        " | ".join(cell.text for cell in row.cells)
        for table in document.tables
        for row in table.rows
    ]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def pdf_text(path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def test_the_2020_summary_compiles_live_and_reads_right(
    demo_all, page, login, live_server, shot, browser
):
    cluster = demo_all["cluster"]
    login(page, live_server, "tayninh")  # the 2020 secretariat (Tây Ninh led 2020)
    page.goto(f"{live_server.url}/clusters/{cluster.uuid}/2020/")
    page.get_by_role("link", name="Báo cáo của các đơn vị và báo cáo tổng kết").click()
    expect(page.locator("#reports-received")).to_have_text("Đã nhận 11/11")
    expect(page.locator("#unit-reports tbody tr")).to_have_count(11)
    expect(page.locator("#key-tasks li")).to_have_count(7)
    shot(page, "1-reports")

    page.click("#compile-summary")
    row = page.locator("#summary-jobs li").first
    expect(row.locator("progress")).to_be_visible()
    expect(row.locator(".app-job-step")).not_to_have_text(
        "Đang chờ tiến trình xử lý", timeout=JOB_TIMEOUT_MS
    )
    shot(page, "2-progress")
    expect(row).to_have_attribute("data-job-status", "done", timeout=JOB_TIMEOUT_MS)
    expect(row.locator("strong").first).to_have_text("Phiên bản 1")
    shot(page, "3-done")

    with page.expect_download() as download:
        row.get_by_role("link", name="Word", exact=True).click()
    assert download.value.suggested_filename == "bao-cao-tong-ket-cum-4-2020-v1.docx"
    text = docx_text(download.value.path())
    for line in [
        "BÁO CÁO",
        "Ban Tổ chức Tỉnh ủy Lâm Đồng",
        "1. Ban Tổ chức Tỉnh ủy Lâm Đồng",
        "2. Ban Tổ chức Tỉnh ủy Tây Ninh",
        "- Cụm trưởng: Ban Tổ chức Tỉnh ủy Bà Rịa - Vũng Tàu;",
        "- Cụm phó Thường trực: Ban Tổ chức Tỉnh ủy Tây Ninh;",
        "- Cụm phó: Ban Tổ chức Tỉnh ủy Bình Thuận.",
        "Ban Tổ chức Tỉnh ủy Lâm Đồng: Đi đầu trong Cụm về chuyển đổi số công tác đảng viên",
        "V. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2021",
    ]:
        assert line in text, line
    assert ": 4 tập thể" in text and ": 14 cá nhân" in text and ": 2 tập thể" in text

    with page.expect_download() as download:
        row.get_by_role("link", name="PDF", exact=True).click()
    text = pdf_text(download.value.path())
    for line in [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "V. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2021",
        "- Cụm trưởng: Ban Tổ chức Tỉnh ủy Bà Rịa - Vũng Tàu;",
        "Ban Tổ chức Tỉnh ủy Lâm Đồng: Đi đầu trong Cụm về chuyển đổi số công tác đảng viên",
    ]:
        assert line in text, line

    with page.expect_download() as download:
        row.get_by_role("link", name="Phụ lục Excel").click()
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert workbook.sheetnames[:3] == ["Xếp hạng", "Bảng điểm", "Khen thưởng"]
    ranked = [
        row[1]
        for row in workbook["Xếp hạng"].iter_rows(values_only=True)
        if isinstance(row[0], int)
    ]
    assert len(ranked) == 11

    # Published, the members read it; an officer of another cluster is refused even with the link.
    row.get_by_role("button", name="Công bố cho các đơn vị").click()
    expect(page.locator(".alert-success")).to_contain_text("Phiên bản 1 đã được công bố")
    pdf_url = row.get_by_role("link", name="PDF", exact=True).get_attribute("href")

    member = browser.new_context(locale="vi-VN").new_page()
    login(member, live_server, "lamdong")
    member.goto(f"{live_server.url}/clusters/{cluster.uuid}/2020/reports/")
    expect(member.locator("#summary-jobs")).to_have_count(0)
    expect(member.get_by_text("Đã công bố cho các đơn vị")).to_be_visible()
    response = member.request.get(f"{live_server.url}{pdf_url}")
    assert response.status == 200 and response.body().startswith(b"%PDF-")
    shot(member, "4-member")
    member.context.close()

    outsider = browser.new_context(locale="vi-VN").new_page()
    login(outsider, live_server, "cum5")
    assert outsider.request.get(f"{live_server.url}{pdf_url}").status == 403
    outsider.context.close()


def test_a_unit_writes_its_report_and_the_secretariat_returns_then_accepts(
    demo, page, login, live_server, shot, browser
):
    cluster = demo["cluster"]  # the clusters' demo data is enough: no job runs here
    # 2021 is in progress; its report deadline is moved ahead so that the unit can submit.
    ClusterYear.objects.filter(cluster=cluster, year=2021).update(
        report_deadline=datetime.date.today() + datetime.timedelta(days=30)
    )
    login(page, live_server, "lamdong")
    page.goto(f"{live_server.url}/clusters/{cluster.uuid}/2021/reports/")
    page.get_by_role("link", name="Báo cáo của đơn vị").click()
    page.fill("#id_achievements", "Hoàn thành 100% chỉ tiêu kết nạp đảng viên năm 2021.")
    page.fill("#id_limitations", "Chuyển đổi số còn chậm ở cấp cơ sở.")
    page.fill("#id_figures-0-label", "Đảng viên mới kết nạp")
    page.fill("#id_figures-0-value", "nhiều")  # not a number
    page.click("text=Lưu báo cáo")
    expect(
        page.locator("#id_figures-0-value + .invalid-feedback, .invalid-feedback").first
    ).to_contain_text("Nhập một số.")
    shot(page, "1-bad-figure")
    page.fill("#id_figures-0-value", "1.604")
    page.fill("#id_figures-0-measure", "người")
    page.click("text=Lưu báo cáo")
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu báo cáo.")
    page.click("#submit-report")
    expect(page.locator(".alert-danger, .alert-error").first).to_contain_text(
        "Hãy viết phần này trước khi gửi."
    )
    page.fill("#id_causes", "Hạ tầng công nghệ chưa đồng bộ.")
    page.click("text=Lưu báo cáo")
    page.click("#submit-report")
    expect(page.locator("#report-status")).to_have_text("đã gửi")
    shot(page, "2-submitted")

    secretariat = browser.new_context(locale="vi-VN").new_page()
    login(secretariat, live_server, "brvt")  # the 2021 secretariat
    secretariat.goto(f"{live_server.url}/clusters/{cluster.uuid}/2021/reports/")
    secretariat.locator("#unit-reports tr", has_text="Lâm Đồng").get_by_role("link").click()
    secretariat.fill("#id_reason", "Bổ sung số liệu chuyển đổi số.")
    secretariat.click("#return-report")
    expect(secretariat.locator("#report-status")).to_have_text("đã trả lại để chỉnh sửa")

    page.reload()
    expect(page.get_by_text("Bổ sung số liệu chuyển đổi số.")).to_be_visible()
    page.fill("#id_figures-1-label", "Hồ sơ đảng viên số hóa")
    page.fill("#id_figures-1-value", "56.280")
    page.click("text=Lưu báo cáo")
    page.click("#submit-report")
    expect(page.locator("#report-status")).to_have_text("đã gửi")

    secretariat.reload()
    secretariat.click("#accept-report")
    expect(secretariat.locator("#report-status")).to_have_text("đã tiếp nhận")
    expect(secretariat.locator("#report-text")).to_contain_text("56.280")
    shot(secretariat, "3-accepted")
    secretariat.context.close()


def test_a_supervisor_rolls_up_the_year(
    celery_worker_process, settings, demo, page, login, live_server, shot
):
    # The clusters' demo data is enough for a roll-up (what is missing is said in it).
    settings.MEDIA_ROOT = celery_worker_process[0].media_root
    login(page, live_server, "giamsat")
    page.goto(f"{live_server.url}/reports/rollup/")
    page.select_option("#id_year", "2020")
    page.click("#start-rollup")
    row = page.locator("#rollup-jobs li").first
    expect(row.locator("progress")).to_be_visible()
    shot(page, "1-progress")
    expect(row).to_have_attribute("data-job-status", "done", timeout=JOB_TIMEOUT_MS)
    shot(page, "2-done")
    with page.expect_download() as download:
        row.get_by_role("link", name="Bảng tổng hợp (Excel)").click()
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert workbook.sheetnames[0] == "Tổng hợp"
    with page.expect_download() as download:
        row.get_by_role("link", name="Báo cáo tóm tắt (Word)").click()
    assert "Cụm thi đua số 4" in docx_text(download.value.path())
