"""The permission matrix: every URL, as every role, allowed or refused.

Roles come from the demo data (clusters/demo.py): admin; giamsat, supervisor of Cluster No. 4;
brvt, officer of the 2021 leader (the 2021 secretariat); tayninh, officer of the 2020 leader
(last year's secretariat, 2020 is closed) and of the 2021 standing deputy; lamdong, a plain
unit officer; kiemphieu, counting committee of 2020; daibieu, a delegate of 2020; cum5, the
secretariat of another cluster.
"""

import pytest
from django.urls import reverse

from clusters.demo import load_demo_data
from clusters.models import Conference

USERS = ["admin", "giamsat", "brvt", "tayninh", "lamdong", "kiemphieu", "daibieu", "cum5"]
CLUSTER_VIEWERS = {"admin", "giamsat", "brvt", "tayninh", "lamdong"}
SECRETARIAT_2021 = {"admin", "brvt"}
EVERYONE = set(USERS)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        data = load_demo_data()
    yield data
    with django_db_blocker.unblock():
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)


def matrix(demo):
    c4 = demo["cluster"].uuid
    y2021 = {"cluster": c4, "year": 2021}
    y2020 = {"cluster": c4, "year": 2020}
    conf_2020 = Conference.objects.get(cluster_year__year=2020, kind=Conference.YEAR_END)
    conf_2021 = Conference.objects.filter(cluster_year__year=2021).first()
    brvt = demo["units"]["Bà Rịa - Vũng Tàu"]
    brvt_person = brvt.people.first()
    closed_year_page = reverse("clusters:year_detail", kwargs=y2020)
    return [
        # (url, allowed users, outcome for the others when logged in)
        (reverse("home"), EVERYONE, None),
        (reverse("clusters:cluster_list"), EVERYONE, None),
        (reverse("clusters:cluster_detail", kwargs={"cluster": c4}), CLUSTER_VIEWERS, 403),
        (reverse("clusters:year_detail", kwargs=y2021), CLUSTER_VIEWERS, 403),
        (reverse("clusters:year_detail", kwargs=y2020), CLUSTER_VIEWERS, 403),
        (reverse("clusters:year_edit", kwargs=y2021), SECRETARIAT_2021, 403),
        (reverse("clusters:leadership_next", kwargs=y2021), SECRETARIAT_2021, 403),
        (reverse("clusters:conference_create", kwargs=y2021), SECRETARIAT_2021, 403),
        # A closed year: its own secretariat (tayninh) is told it is closed; only admins edit.
        (
            reverse("clusters:year_edit", kwargs=y2020),
            {"admin"},
            {
                "tayninh": closed_year_page,
                "giamsat": closed_year_page,
                "brvt": closed_year_page,
                "lamdong": closed_year_page,
            },
        ),
        (
            reverse("clusters:leadership_next", kwargs=y2020),
            {"admin"},
            {
                "tayninh": closed_year_page,
                "giamsat": closed_year_page,
                "brvt": closed_year_page,
                "lamdong": closed_year_page,
            },
        ),
        (
            reverse("clusters:conference_detail", kwargs={"conference": conf_2020.uuid}),
            CLUSTER_VIEWERS | {"kiemphieu", "daibieu"},
            403,
        ),
        (
            reverse("clusters:conference_edit", kwargs={"conference": conf_2021.uuid}),
            SECRETARIAT_2021,
            403,
        ),
        (reverse("clusters:unit_detail", kwargs={"unit": brvt.uuid}), EVERYONE, None),
        (
            reverse("clusters:unit_people", kwargs={"unit": brvt.uuid}),
            {"admin", "giamsat", "brvt"},
            403,
        ),
        (reverse("clusters:person_create", kwargs={"unit": brvt.uuid}), {"admin", "brvt"}, 403),
        (
            reverse("clusters:person_edit", kwargs={"unit": brvt.uuid, "person": brvt_person.uuid}),
            {"admin", "brvt"},
            403,
        ),
        # The cluster settings: the 2021 secretariat changes them, the supervisor reads them.
        (
            reverse("clusters:settings", kwargs={"cluster": c4}),
            SECRETARIAT_2021 | {"giamsat"},
            403,
        ),
        *[
            (reverse(name, kwargs={"cluster": c4}), SECRETARIAT_2021, 403)
            for name in (
                "clusters:settings_roles",
                "clusters:settings_rotation",
                "clusters:settings_rotation_rule",
                "scorecards:settings_grade_bands",
                "scorecards:settings_tie_breaks",
                "awards:settings_polls",
            )
        ],
        # The new-cluster wizard: admins and supervisors.
        (
            reverse("clusters:cluster_wizard_step", kwargs={"step": "cluster"}),
            {"admin", "giamsat"},
            403,
        ),
    ]


@pytest.mark.django_db
def test_permission_matrix(client, demo):
    failures = []
    for url, allowed, refusal in matrix(demo):
        client.logout()
        response = client.get(url)
        if response.status_code != 302 or not response["Location"].startswith(reverse("login")):
            failures.append(f"anonymous {url}: {response.status_code}")
        for username in USERS:
            client.force_login(demo["users"][username])
            response = client.get(url)
            if username in allowed:
                expected = 200
            elif isinstance(refusal, dict):
                expected = refusal.get(username, 403)
            else:
                expected = refusal
            got = response.status_code
            if isinstance(expected, str):
                ok = got == 302 and response["Location"] == expected
            else:
                ok = got == expected
            if not ok:
                failures.append(f"{username} {url}: expected {expected}, got {got}")
    assert failures == []


@pytest.mark.django_db
def test_refused_posts_change_nothing(client, demo):
    """Writing as the wrong person is refused and saves nothing."""
    c4 = demo["cluster"].uuid
    year = demo["years"][2021]
    before = (year.status, year.plan_title)
    for username in ("tayninh", "lamdong", "giamsat", "cum5"):
        client.force_login(demo["users"][username])
        response = client.post(
            reverse("clusters:year_edit", kwargs={"cluster": c4, "year": 2021}),
            {"status": "closed", "plan_title": "Bị sửa trái phép"},
        )
        assert response.status_code == 403
    year.refresh_from_db()
    assert (year.status, year.plan_title) == before


@pytest.mark.django_db
def test_refusal_page_is_in_vietnamese(client, demo):
    client.force_login(demo["users"]["lamdong"])
    response = client.get(
        reverse("clusters:unit_people", kwargs={"unit": demo["units"]["Bà Rịa - Vũng Tàu"].uuid}),
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 403
    assert "Bạn không có quyền truy cập trang này." in response.content.decode()
