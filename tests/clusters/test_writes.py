"""The secretariat's plain edits go through clusters/services.py: saved with who made them in the
history, in one transaction."""

import pytest
from django.urls import reverse

from clusters.models import ClusterYear, Conference, Person
from clusters.services import save_conference
from tests.clusters.factories import (
    ClusterYearFactory,
    PersonFactory,
    assign,
    make_cluster,
    officer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat(client):
    cluster, units = make_cluster(3)
    cluster_year = ClusterYearFactory(cluster=cluster, year=2021)
    assign(cluster_year, "leader", units[0])
    user = officer(units[0], "thuky", start="2020-01-01")
    client.force_login(user)
    return cluster_year, units, user


def _conference_data(units, people, **overrides):
    data = {
        "kind": Conference.MID_YEAR,
        "title": "Hội nghị sơ kết 6 tháng đầu năm 2021",
        "date": "23/07/2021",
        "place": "Bà Rịa - Vũng Tàu",
        "host_unit": units[0].pk,
        "attending_units": [u.pk for u in units],
        "attendees": [p.pk for p in people],
        "delegates": [people[0].pk],
        "counting_committee": [people[1].pk],
        "summary": "",
    }
    data.update(overrides)
    return data


def test_a_conference_is_saved_with_its_people_and_its_history(client, secretariat):
    cluster_year, units, user = secretariat
    people = [PersonFactory(unit=units[0]), PersonFactory(unit=units[1])]
    url = reverse(
        "clusters:conference_create", kwargs={"cluster": cluster_year.cluster.uuid, "year": 2021}
    )
    response = client.post(url, _conference_data(units, people))
    conference = Conference.objects.get()
    assert response.status_code == 302
    assert set(conference.attending_units.all()) == set(units)
    assert set(conference.attendees.all()) == set(people)
    assert list(conference.delegates.all()) == [people[0]]
    assert list(conference.counting_committee.all()) == [people[1]]
    assert {h.history_user for h in conference.history.all()} == {user}

    edit = reverse("clusters:conference_edit", kwargs={"conference": conference.uuid})
    response = client.post(edit, _conference_data(units[:2], people, delegates=[], place="Huế"))
    assert response.status_code == 302
    conference.refresh_from_db()
    assert conference.place == "Huế"
    assert set(conference.attending_units.all()) == set(units[:2])
    assert list(conference.delegates.all()) == []
    latest = conference.history.first()
    assert latest.place == "Huế"
    assert latest.history_user == user
    assert {row.unit_id for row in latest.attending_units.all()} == {units[0].pk, units[1].pk}


def test_a_conference_is_saved_whole_or_not_at_all(secretariat):
    cluster_year, units, user = secretariat
    conference = Conference(
        cluster_year=cluster_year,
        kind=Conference.OTHER,
        title="Họp",
        date="2021-05-01",
        place="Huế",
    )
    with pytest.raises(ValueError):
        save_conference(
            conference=conference,
            attending_units=units,
            attendees=[Person(full_name="Chưa lưu", unit=units[0])],
            delegates=[],
            counting_committee=[],
            user=user,
        )
    assert Conference.objects.count() == 0
    assert Conference.history.count() == 0


def test_the_year_and_a_person_are_saved_with_who_changed_them(client, secretariat):
    cluster_year, units, user = secretariat
    url = reverse("clusters:year_edit", kwargs={"cluster": cluster_year.cluster.uuid, "year": 2021})
    response = client.post(url, {"status": ClusterYear.Status.IN_PROGRESS, "notes": "Đã rà soát"})
    assert response.status_code == 302
    latest = cluster_year.history.first()
    assert (latest.notes, latest.history_user) == ("Đã rà soát", user)

    people = reverse("clusters:person_create", kwargs={"unit": units[0].uuid})
    response = client.post(people, {"full_name": "Trần Thị Mai", "position": "Chuyên viên"})
    assert response.status_code == 302
    person = Person.objects.get(full_name="Trần Thị Mai")
    assert person.unit == units[0]
    assert [(h.history_type, h.history_user) for h in person.history.all()] == [("+", user)]
    edit = reverse("clusters:person_edit", kwargs={"unit": units[0].uuid, "person": person.uuid})
    response = client.post(edit, {"full_name": "Trần Thị Mai", "position": "Phó Trưởng phòng"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.position == "Phó Trưởng phòng"
    assert [(h.history_type, h.history_user) for h in person.history.all()] == [
        ("~", user),
        ("+", user),
    ]
