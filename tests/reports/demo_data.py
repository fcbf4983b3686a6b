"""What the reports tests read or add on the demo data (loaded by the fixtures of tests/demo.py):
the 2020 members, a year of Cluster No. 4, the 2020 conference before its results were
published."""

from clusters.models import ClusterYear

MEMBERS_2020 = [  # the eleven boards, in Vietnamese order of their short names
    "Ban Tổ chức Tỉnh ủy Bà Rịa - Vũng Tàu",
    "Ban Tổ chức Tỉnh ủy Bình Dương",
    "Ban Tổ chức Tỉnh ủy Bình Phước",
    "Ban Tổ chức Tỉnh ủy Bình Thuận",
    "Ban Tổ chức Tỉnh ủy Đồng Nai",
    "Ban Tổ chức Tỉnh ủy Lâm Đồng",
    "Ban Tổ chức Tỉnh ủy Long An",
    "Ban Tổ chức Tỉnh ủy Ninh Thuận",
    "Ban Tổ chức Tỉnh ủy Tây Ninh",
    "Ban Tổ chức Tỉnh ủy Tiền Giang",
    "Ban Tổ chức Thành ủy Thành phố Hồ Chí Minh",
]


def cluster_year(year: int) -> ClusterYear:
    return ClusterYear.objects.get(cluster__number=4, year=year)


def hold_back_2020_votes() -> None:
    """The demo's 2020 conference as it stood before its results were published: every poll
    counted but not published, and no proposal yet."""
    from awards.models import Poll, Proposal

    year = cluster_year(2020)
    Poll.objects.filter(conference__cluster_year=year).update(status=Poll.Status.COUNTED)
    Proposal.objects.filter(round__cluster_year=year).delete()
