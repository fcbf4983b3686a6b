"""The 2024 secretariat proposes the 2025 leadership of Cluster No. 4: every board merges on
1 July 2025, so the proposal skips all eleven and says why; a skipped board is chosen with a
reason, and refused without one."""

import pytest
from playwright.sync_api import expect

from clusters.models import ClusterYear, LeadershipAssignment, LeadershipRole

pytestmark = pytest.mark.django_db(transaction=True)


def test_leadership_page_shows_the_boards_skipped_for_the_2025_mergers(
    page, live_server, demo, login, shot
):
    cluster = demo["cluster"]
    roles = {kind: role.pk for kind, role in demo["roles"].items()}
    year_2024 = ClusterYear.objects.create(
        cluster=cluster, year=2024, status=ClusterYear.Status.IN_PROGRESS
    )
    for kind, short_name in (
        (LeadershipRole.LEADER, "Bà Rịa - Vũng Tàu"),
        (LeadershipRole.STANDING_DEPUTY, "Lâm Đồng"),
        (LeadershipRole.DEPUTY, "Ninh Thuận"),
    ):
        LeadershipAssignment.objects.create(
            cluster_year=year_2024, role=demo["roles"][kind], unit=demo["units"][short_name]
        )
    year_path = f"/clusters/{cluster.uuid}/2024/"

    login(page, live_server, "brvt")
    page.goto(f"{live_server.url}{year_path}")
    page.click(f"main a[href='{year_path}next-leadership/']")
    page.wait_for_url("**/2024/next-leadership/")
    expect(page.locator("main h1")).to_contain_text("2025")

    skipped = page.locator("#skipped li")
    expect(skipped).to_have_count(11)
    expect(skipped.first).to_have_text(
        "Lâm Đồng sáp nhập vào Lâm Đồng từ 01/07/2025, không tồn tại cả năm 2025."
    )
    expect(page.locator("#skipped")).to_contain_text(
        "Bình Dương sáp nhập vào TP. Hồ Chí Minh từ 01/07/2025, không tồn tại cả năm 2025."
    )
    # Nobody exists all year: nothing is proposed, and the page says so.
    expect(page.locator(f"#id_role_{roles[LeadershipRole.LEADER]} option:checked")).to_have_text(
        "---------"
    )
    expect(page.locator(".alert-warning").first).to_have_text(
        "Không đủ đơn vị thành viên cho chức danh Cụm trưởng."
    )
    shot(page, "skipped")

    leader, standing, deputy = (
        roles[LeadershipRole.LEADER],
        roles[LeadershipRole.STANDING_DEPUTY],
        roles[LeadershipRole.DEPUTY],
    )
    page.select_option(f"#id_role_{leader}", label="Bình Dương")
    page.select_option(f"#id_role_{standing}", label="Long An")
    page.select_option(f"#id_role_{deputy}", label="Tây Ninh")
    page.fill(f"#id_reason_{standing}", "Theo thứ tự luân phiên trước sáp nhập.")
    page.fill(f"#id_reason_{deputy}", "Theo thứ tự luân phiên trước sáp nhập.")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page.locator(f"#div_id_reason_{leader} .invalid-feedback")).to_have_text(
        "Bình Dương sáp nhập vào TP. Hồ Chí Minh từ 01/07/2025, không tồn tại cả năm 2025: "
        "nêu lý do vẫn chọn đơn vị này."
    )
    expect(page.locator(f"#id_reason_{standing}")).to_have_value(
        "Theo thứ tự luân phiên trước sáp nhập."
    )
    page.locator(f"#div_id_reason_{leader}").scroll_into_view_if_needed()
    shot(page, "reason-missing")
    assert not ClusterYear.objects.filter(cluster=cluster, year=2025).exists()

    page.fill(f"#id_reason_{leader}", "Hội nghị thống nhất giao Bình Dương đến khi sáp nhập.")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.wait_for_url(f"**/clusters/{cluster.uuid}/2025/")
    leadership = page.locator("#leadership > li")
    expect(leadership).to_have_count(3)
    expect(leadership.nth(0)).to_contain_text("Bình Dương")
    shot(page, "confirmed")
    assert list(
        LeadershipAssignment.objects.filter(cluster_year__cluster=cluster, cluster_year__year=2025)
        .order_by("role__rank")
        .values_list("unit__short_name", "override_reason")
    ) == [
        ("Bình Dương", "Hội nghị thống nhất giao Bình Dương đến khi sáp nhập."),
        ("Long An", "Theo thứ tự luân phiên trước sáp nhập."),
        ("Tây Ninh", "Theo thứ tự luân phiên trước sáp nhập."),
    ]
