"""What the reports tests read or add on the demo data (loaded by the fixtures of tests/demo.py):
the 2020 members, a year of Cluster No. 4, the 2020 award ballots."""

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


def run_poll(conference, award_type, candidates, ballots, seats):
    """A published poll of the conference on an award type, its options linked to the slate's
    candidates, through the awards services: every delegate casts one ballot (ballots[i] lists
    the indexes of the chosen candidates), the committee counts, certifies and publishes."""
    from awards.models import Poll, PollOption
    from awards.services import attendance, committee, polls

    poll = Poll.objects.create(
        conference=conference,
        question=f"Đề nghị tặng {award_type.name}",
        seats=seats,
        award_type=award_type,
    )
    options = [
        PollOption.objects.create(
            poll=poll,
            label=c.unit.short_name if c.unit_id else c.person.full_name,
            unit=c.unit if c.unit_id else None,
            candidate=c,
            position=i,
        )
        for i, c in enumerate(candidates)
    ]
    polls.open_poll(poll=poll)
    delegates = list(conference.delegates.order_by("pk"))
    assert len(delegates) == len(ballots)
    # checked in once for the conference, with their accounts: a later poll finds them present
    present = set(attendance.attendance_of(conference))
    for person, chosen in zip(delegates, ballots, strict=True):
        if person.pk not in present:
            attendance.check_in(conference=conference, person=person, channel="account")
        polls.cast_with_account(poll=poll, person=person, choices=[options[i].pk for i in chosen])
    polls.close_poll(poll=poll)
    committee.mark_counted(poll=poll)
    for member in conference.counting_committee.exclude(user=None):
        committee.certify(poll=poll, user=member.user)
    committee.publish(poll=poll)
    return poll


def vote_2020_awards():
    """The 2020 year-end conference's three ballots on the demo slate, electing the published
    2 flags (9 and 9 of 11 votes), 4 unit certificates and 14 individuals."""
    from awards.models import AwardType, Candidate, NominationRound

    year = cluster_year(2020)
    conference = year.conferences.get(kind="year_end")
    nomination_round = NominationRound.objects.get(cluster_year=year)

    def slate(name, recipient):
        award_type = AwardType.objects.get(cluster=year.cluster, name=name, recipient=recipient)
        candidates = list(
            nomination_round.candidates.filter(
                award_type=award_type, status=Candidate.Status.ON_SLATE
            )
            .select_related("unit", "person")
            .order_by("pk")
        )
        return award_type, candidates

    flag, flags = slate("Cờ thi đua của Ban Tổ chức Trung ương", AwardType.UNIT)
    merit = "Bằng khen của Trưởng Ban Tổ chức Trung ương"
    merit_units, units = slate(merit, AwardType.UNIT)
    merit_people, people = slate(merit, AwardType.INDIVIDUAL)
    assert [c.unit.short_name for c in flags] == ["Lâm Đồng", "Tây Ninh", "Bà Rịa - Vũng Tàu"]
    assert len(units) == 5 and len(people) == 16
    return [
        run_poll(conference, flag, flags, [[0, 1]] * 7 + [[0, 2]] * 2 + [[1, 2]] * 2, 2),
        run_poll(conference, merit_units, units, [[0, 1, 2, 3]] * 8 + [[0, 1, 2, 4]] * 3, 4),
        run_poll(
            conference,
            merit_people,
            people,
            [list(range(14))] * 9 + [list(range(12)) + [14, 15]] * 2,
            14,
        ),
    ]
