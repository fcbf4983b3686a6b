"""Demo data of issue 4 for Cluster No. 4: the award types and the 2020 nomination round.

Published facts (docs/DEMO_DATA.md): at the 2020 year-end conference the cluster proposed the
emulation flag (Cờ thi đua) for Lâm Đồng and Tây Ninh, certificates of merit (Bằng khen) for 4
collectives (Bà Rịa - Vũng Tàu, Tiền Giang, Long An, Đồng Nai) and for 14 individuals. The
quotas are those numbers. Everything else is invented: the eligibility hints, the extra
candidates on the slate (so that the ballots choose among more names than seats), who the 14
individuals are (the invented people of clusters.demo), their achievements and the reasons
given for overriding a hint.

The conference that votes on this slate is held by the next loader (awards.demo_conference).

Loading is idempotent, as in clusters.demo: every object is looked up by a natural key,
created or brought up to date, validated with full_clean(), and saved only when something
changed. 2020 is closed, so the rows are written directly (the services refuse closed years).
"""

from django.db import transaction

from clusters.demo import INVENTED, Loader

from .models import AwardType, Candidate, NominationRound, Quota

FLAG = "Cờ thi đua của Ban Tổ chức Trung ương"
MERIT = "Bằng khen của Trưởng Ban Tổ chức Trung ương"
COMMENDATION = "Giấy khen"
MEDAL = 'Kỷ niệm chương "Vì sự nghiệp công tác Tổ chức xây dựng Đảng"'

# (key, name, recipient, top-N hint, grade hint). Hints are invented.
AWARD_TYPES = [
    ("flag", FLAG, AwardType.UNIT, 2, "Xuất sắc"),
    ("merit_units", MERIT, AwardType.UNIT, 6, ""),
    ("merit_people", MERIT, AwardType.INDIVIDUAL, None, ""),
    ("commendation", COMMENDATION, AwardType.UNIT, None, ""),
    ("medal", MEDAL, AwardType.INDIVIDUAL, None, ""),
]

# Published quotas of 2020 (the numbers of awards proposed).
QUOTAS_2020 = {"flag": 2, "merit_units": 4, "merit_people": 14}

# The unit slates of 2020: the published recipients first, then one invented extra candidate
# each (with the reason given for proposing it against the hint; ranks from the demo ranking).
FLAG_2020 = ["Lâm Đồng", "Tây Ninh"]
FLAG_2020_EXTRA = (
    "Bà Rịa - Vũng Tàu",
    "Giả định cho dữ liệu mẫu: xếp thứ 3, chỉ kém Tây Ninh 1,5 điểm; nhiều đơn vị đề nghị "
    "đưa vào danh sách để Hội nghị bỏ phiếu.",
)
MERIT_UNITS_2020 = ["Bà Rịa - Vũng Tàu", "Tiền Giang", "Long An", "Đồng Nai"]
MERIT_UNITS_2020_EXTRA = (
    "Bình Dương",
    "Giả định cho dữ liệu mẫu: xếp thứ 7, có nhiều đổi mới trong công tác cán bộ; Thường "
    "trực Cụm đề nghị đưa vào danh sách để Hội nghị bỏ phiếu.",
)

# The individuals (all invented people of clusters.demo): 14, as many as the quota, then 2
# extra names. (unit short name, full name, achievements).
PEOPLE_2020 = [
    ("Tiền Giang", "Lê Thị Thu Hà"),
    ("Bình Dương", "Phạm Thị Ngọc Lan"),
    ("Long An", "Huỳnh Thị Mai"),
    ("Tây Ninh", "Nguyễn Hoàng Phúc"),
    ("Đồng Nai", "Trịnh Thị Kim Oanh"),
    ("Bình Phước", "Đỗ Thị Thanh Hương"),
    ("Bà Rịa - Vũng Tàu", "Lương Minh Khoa"),
    ("Lâm Đồng", "Vũ Thị Thanh Tâm"),
    ("Ninh Thuận", "Ngô Thị Diễm My"),
    ("Bình Thuận", "Tạ Quang Vinh"),
    ("TP. Hồ Chí Minh", "Mai Thị Phương Thảo"),
    ("Tây Ninh", "Đặng Thị Hồng Nhung"),
    ("Lâm Đồng", "Hồ Văn Lợi"),
    ("Bà Rịa - Vũng Tàu", "Phan Thị Bích Ngọc"),
    # Two more than the quota.
    ("Long An", "Võ Minh Trí"),
    ("Bình Thuận", "Dương Thị Mỹ Linh"),
]
PEOPLE_QUOTA = 14

ACHIEVEMENTS = (
    "{name}, {position} Ban Tổ chức {unit}: hoàn thành xuất sắc nhiệm vụ năm 2020; tham mưu "
    "tốt công tác chuẩn bị đại hội đảng bộ các cấp nhiệm kỳ 2020 - 2025. (Giả định cho dữ liệu "
    "mẫu.)"
)

NOTES = [
    "Khen thưởng: Cờ thi đua (Lâm Đồng, Tây Ninh), Bằng khen tập thể (Bà Rịa - Vũng Tàu, "
    "Tiền Giang, Long An, Đồng Nai) và số lượng 14 cá nhân theo thông tin đã công bố; gợi ý "
    "điều kiện, các ứng viên bổ sung (Bà Rịa - Vũng Tàu cho Cờ thi đua, Bình Dương cho Bằng "
    "khen, 2 cá nhân), danh sách 14 cá nhân và thành tích là giả định (invented).",
]


@transaction.atomic
def load_demo_awards(data: dict) -> dict:
    """Load the awards demo data (idempotent) on top of the earlier loaders.

    Keys returned: award_types (by key: flag, merit_units, merit_people, commendation, medal),
    nomination_round_2020, candidates_2020 (by award key, in slate order); and stats, summary,
    notes for the load_demo command. Side effects: rows in the awards tables and their history.
    """
    load = Loader()
    cluster = data["cluster"]
    units = data["units"]
    years = data["years"]
    tayninh = data["users"]["tayninh"]
    people = {
        (person.unit.short_name, person.full_name): person
        for persons in data["people"].values()
        for person in persons
    }

    award_types = {}
    for rank, (key, name, recipient, top_n, grade) in enumerate(AWARD_TYPES, start=1):
        award_types[key] = load.upsert(
            AwardType,
            {"cluster": cluster, "name": name, "recipient": recipient},
            {"rank": rank, "top_n_hint": top_n, "grade_hint": grade},
        )

    nomination_round = load.upsert(
        NominationRound, {"cluster_year": years[2020]}, {"status": NominationRound.Status.FINAL}
    )
    for key, quota in QUOTAS_2020.items():
        load.upsert(
            Quota, {"round": nomination_round, "award_type": award_types[key]}, {"quota": quota}
        )

    def unit_candidate(key, short_name, reason=""):
        return load.upsert(
            Candidate,
            {"round": nomination_round, "award_type": award_types[key], "unit": units[short_name]},
            {
                "status": Candidate.Status.ON_SLATE,
                "hint_override_reason": reason,
                "nominated_by": tayninh,
                "achievements": "",
            },
        )

    candidates = {
        "flag": [unit_candidate("flag", name) for name in FLAG_2020]
        + [unit_candidate("flag", *FLAG_2020_EXTRA)],
        "merit_units": [unit_candidate("merit_units", name) for name in MERIT_UNITS_2020]
        + [unit_candidate("merit_units", *MERIT_UNITS_2020_EXTRA)],
        "merit_people": [],
    }
    for short_name, full_name in PEOPLE_2020:
        person = people[(short_name, full_name)]
        candidates["merit_people"].append(
            load.upsert(
                Candidate,
                {
                    "round": nomination_round,
                    "award_type": award_types["merit_people"],
                    "person": person,
                },
                {
                    "status": Candidate.Status.ON_SLATE,
                    "achievements": ACHIEVEMENTS.format(
                        name=full_name,
                        position=person.position,
                        unit=units[short_name].short_name,
                    ),
                    "hint_override_reason": "",
                    "nominated_by": None,
                },
            )
        )

    summary = [
        f"Khen thưởng 2020: {len(AWARD_TYPES)} loại khen thưởng; danh sách đề nghị đã chốt: "
        f"Cờ thi đua {len(candidates['flag'])} đơn vị (chỉ tiêu 2), Bằng khen "
        f"{len(candidates['merit_units'])} tập thể (chỉ tiêu 4), "
        f"{len(candidates['merit_people'])} cá nhân (chỉ tiêu {PEOPLE_QUOTA}).",
    ]
    return {
        "award_types": award_types,
        "nomination_round_2020": nomination_round,
        "candidates_2020": candidates,
        "stats": {
            "created": load.created,
            "updated": load.updated,
            "changed": load.changed_objects,
        },
        "summary": summary,
        "notes": [*NOTES, f"{INVENTED}: gợi ý xếp loại Xuất sắc của Cờ thi đua."],
    }
