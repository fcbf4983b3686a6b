import datetime

import factory
from django.contrib.auth import get_user_model

from clusters.models import (
    Cluster,
    ClusterYear,
    Conference,
    LeadershipAssignment,
    LeadershipRole,
    Membership,
    OfficerTerm,
    Person,
    RotationSlot,
    Unit,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")
    password = factory.django.Password("demo12345")


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda c: f"Cụm thi đua số {c.number}")
    sector = "Ngành Tổ chức xây dựng Đảng"
    supervising_body = "Vụ Địa phương III"

    @factory.post_generation
    def with_roles(cluster, create, extracted, **kwargs):
        if create and extracted is not False:
            for rank, (kind, name) in enumerate(
                [
                    (LeadershipRole.LEADER, "Cụm trưởng"),
                    (LeadershipRole.STANDING_DEPUTY, "Cụm phó Thường trực"),
                    (LeadershipRole.DEPUTY, "Cụm phó"),
                ],
                start=1,
            ):
                LeadershipRole.objects.create(cluster=cluster, kind=kind, name=name, rank=rank)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    province = factory.Sequence(lambda n: f"Tỉnh {n}")
    short_name = factory.LazyAttribute(lambda u: u.province)
    name = factory.LazyAttribute(lambda u: f"Ban Tổ chức Tỉnh ủy {u.province}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    cluster = factory.SubFactory(ClusterFactory)
    unit = factory.SubFactory(UnitFactory)
    start_year = 2018


class ClusterYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClusterYear

    cluster = factory.SubFactory(ClusterFactory)
    year = 2021
    status = ClusterYear.Status.IN_PROGRESS


class ConferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conference

    cluster_year = factory.SubFactory(ClusterYearFactory)
    kind = Conference.YEAR_END
    title = factory.LazyAttribute(lambda c: f"Hội nghị tổng kết năm {c.cluster_year.year}")
    date = factory.LazyAttribute(lambda c: datetime.date(c.cluster_year.year, 12, 4))
    place = "Tây Ninh"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    unit = factory.SubFactory(UnitFactory)


class OfficerTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficerTerm

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    start_date = datetime.date(2018, 1, 1)


def make_cluster(n_units: int = 5, start_year: int = 2018, **kwargs):
    """A cluster with n member units (from start_year), in rotation order, with its roles."""
    cluster = ClusterFactory(**kwargs)
    units = UnitFactory.create_batch(n_units)
    for position, unit in enumerate(units, start=1):
        MembershipFactory(cluster=cluster, unit=unit, start_year=start_year)
        RotationSlot.objects.create(cluster=cluster, unit=unit, position=position)
    return cluster, units


def assign(cluster_year: ClusterYear, kind: str, unit: Unit) -> LeadershipAssignment:
    role = cluster_year.cluster.roles.get(kind=kind)
    return LeadershipAssignment.objects.create(cluster_year=cluster_year, role=role, unit=unit)


def make_criteria(cluster_year, publish: bool = True, user=None):
    """A small criteria tree: I (base, 60) = 1 (points 40, evidence) + 2 (yes/no 20);
    II (bonus, 10) = a (bonus 10); III (deductions, 5) = a (deduction 5)."""
    from decimal import Decimal

    from scorecards.models import CriteriaSet, Criterion
    from scorecards.services import criteria as criteria_services

    criteria_set = CriteriaSet.objects.create(cluster_year=cluster_year, title="Bảng tiêu chí")
    position = iter(range(10, 1000, 10))

    def node(number, text, kind, max_points, parent=None, evidence=False):
        return Criterion.objects.create(
            criteria_set=criteria_set,
            parent=parent,
            number=number,
            text=text,
            kind=kind,
            max_points=Decimal(max_points),
            evidence_required=evidence,
            position=next(position),
        )

    group_1 = node("I", "Công tác tham mưu", Criterion.GROUP, "60")
    node("1", "Tham mưu ban hành văn bản", Criterion.POINTS, "40", group_1, evidence=True)
    node("2", "Hoàn thành sắp xếp bộ máy", Criterion.YES_NO, "20", group_1)
    group_2 = node("II", "Điểm thưởng", Criterion.GROUP, "10")
    node("a", "Mô hình mới được nhân rộng", Criterion.BONUS, "10", group_2)
    group_3 = node("III", "Điểm trừ", Criterion.GROUP, "5")
    node("a", "Chậm gửi báo cáo", Criterion.DEDUCTION, "5", group_3)
    if publish:
        criteria_services.publish(criteria_set=criteria_set, user=user)
    return criteria_set
