"""Demo data: Cluster No. 4 of the Party Organisation sector (Cụm thi đua số 4, Ngành Tổ chức
xây dựng Đảng) as published, plus what a working demo needs and the publications do not say.

Sources: docs/DEMO_DATA.md (the published facts, the 2025 mergers, what is invented).
Everything not published is marked where it is stored: notes say "Giả định cho dữ liệu mẫu"
(assumed for the demo data), summaries say "Dữ liệu giả định". People's names are invented.

Loading is idempotent: every object is looked up by a natural key, created or brought up to
date, validated with full_clean() and saved only when something changed, so a second run
writes nothing (not even history rows).
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import models, transaction

from .models import (
    Cluster,
    ClusterYear,
    Conference,
    LeadershipAssignment,
    LeadershipRole,
    Membership,
    OfficerTerm,
    Person,
    RotationSlot,
    Supervision,
    Unit,
)

DEMO_PASSWORD = "demo12345"

INVENTED = "Giả định cho dữ liệu mẫu"
PUBLISHED = "Theo thông tin đã công bố"
INFERRED_2020_LEADER = (
    "Suy ra từ thông tin đã công bố: Tây Ninh đăng cai Hội nghị tổng kết năm 2020, "
    "do Cụm trưởng đăng cai"
)
MEMBERSHIP_NOTE = "Năm bắt đầu 2018: giả định cho dữ liệu mẫu"
SUCCESSOR_MEMBERSHIP_NOTE = (
    "Giả định: sáu đơn vị kế thừa tạo thành Cụm số 4 từ 2026 (chưa có thông tin công bố)"
)

LAST_DAY_BEFORE_MERGER = datetime.date(2025, 6, 30)
FIRST_DAY_AFTER_MERGER = datetime.date(2025, 7, 1)

SECTOR = "Ngành Tổ chức xây dựng Đảng"

# The eleven members in the order of the published list (docs/DEMO_DATA.md), which is also the
# (invented) rotation order: short name -> (province, successor's short name).
MEMBERS = [
    ("Tiền Giang", "Tiền Giang", "Đồng Tháp"),
    ("Bình Dương", "Bình Dương", "TP. Hồ Chí Minh"),
    ("Long An", "Long An", "Tây Ninh"),
    ("Tây Ninh", "Tây Ninh", "Tây Ninh"),
    ("Đồng Nai", "Đồng Nai", "Đồng Nai"),
    ("Bình Phước", "Bình Phước", "Đồng Nai"),
    ("Bà Rịa - Vũng Tàu", "Bà Rịa - Vũng Tàu", "TP. Hồ Chí Minh"),
    ("Lâm Đồng", "Lâm Đồng", "Lâm Đồng"),
    ("Ninh Thuận", "Ninh Thuận", "Khánh Hòa"),
    ("Bình Thuận", "Bình Thuận", "Lâm Đồng"),
    ("TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh", "TP. Hồ Chí Minh"),
]

# The six boards of the provinces as merged on 1 July 2025 (docs/DEMO_DATA.md).
SUCCESSORS = [
    ("TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh"),
    ("Tây Ninh", "Tây Ninh"),
    ("Đồng Nai", "Đồng Nai"),
    ("Lâm Đồng", "Lâm Đồng"),
    ("Đồng Tháp", "Đồng Tháp"),
    ("Khánh Hòa", "Khánh Hòa"),
]

# Two invented people per unit: (full name, position, gender, birth year). The first of each
# unit is its delegate at the year-end conferences.
PEOPLE = {
    "Tiền Giang": [
        ("Nguyễn Văn Hùng", "Phó Trưởng ban", Person.MALE, 1968),
        ("Lê Thị Thu Hà", "Chuyên viên", Person.FEMALE, 1985),
    ],
    "Bình Dương": [
        ("Trần Quốc Bảo", "Phó Trưởng ban", Person.MALE, 1970),
        ("Phạm Thị Ngọc Lan", "Chuyên viên", Person.FEMALE, 1988),
    ],
    "Long An": [
        ("Võ Minh Trí", "Trưởng ban", Person.MALE, 1966),
        ("Huỳnh Thị Mai", "Chuyên viên", Person.FEMALE, 1987),
    ],
    "Tây Ninh": [
        ("Đặng Thị Hồng Nhung", "Phó Trưởng ban", Person.FEMALE, 1972),
        ("Nguyễn Hoàng Phúc", "Chuyên viên", Person.MALE, 1986),
    ],
    "Đồng Nai": [
        ("Bùi Văn Thắng", "Phó Trưởng ban", Person.MALE, 1969),
        ("Trịnh Thị Kim Oanh", "Chuyên viên", Person.FEMALE, 1990),
    ],
    "Bình Phước": [
        ("Lý Văn Quang", "Trưởng ban", Person.MALE, 1965),
        ("Đỗ Thị Thanh Hương", "Chuyên viên", Person.FEMALE, 1984),
    ],
    "Bà Rịa - Vũng Tàu": [
        ("Phan Thị Bích Ngọc", "Phó Trưởng ban", Person.FEMALE, 1971),
        ("Lương Minh Khoa", "Chuyên viên", Person.MALE, 1989),
    ],
    "Lâm Đồng": [
        ("Hồ Văn Lợi", "Phó Trưởng ban", Person.MALE, 1967),
        ("Vũ Thị Thanh Tâm", "Chuyên viên", Person.FEMALE, 1986),
    ],
    "Ninh Thuận": [
        ("Châu Văn Sang", "Phó Trưởng ban", Person.MALE, 1970),
        ("Ngô Thị Diễm My", "Chuyên viên", Person.FEMALE, 1991),
    ],
    "Bình Thuận": [
        ("Dương Thị Mỹ Linh", "Phó Trưởng ban", Person.FEMALE, 1973),
        ("Tạ Quang Vinh", "Chuyên viên", Person.MALE, 1983),
    ],
    "TP. Hồ Chí Minh": [
        ("Lâm Quốc Thịnh", "Phó Trưởng ban", Person.MALE, 1968),
        ("Mai Thị Phương Thảo", "Chuyên viên", Person.FEMALE, 1987),
    ],
}

# Accounts linked to a person: username -> (unit short name, full name).
ACCOUNT_PEOPLE = {
    "brvt": ("Bà Rịa - Vũng Tàu", "Lương Minh Khoa"),
    "tayninh": ("Tây Ninh", "Nguyễn Hoàng Phúc"),
    "lamdong": ("Lâm Đồng", "Vũ Thị Thanh Tâm"),
    "kiemphieu": ("Tiền Giang", "Lê Thị Thu Hà"),
    "kiemphieu2": ("Bình Phước", "Đỗ Thị Thanh Hương"),
    "kiemphieu3": ("Bình Thuận", "Tạ Quang Vinh"),
    "daibieu": ("Đồng Nai", "Bùi Văn Thắng"),
}

# The vote-counting committee (ban kiểm phiếu) of the 2020 and 2021 year-end conferences.
COUNTING_COMMITTEE = [
    ("Tiền Giang", "Lê Thị Thu Hà"),
    ("Bình Phước", "Đỗ Thị Thanh Hương"),
    ("Bình Thuận", "Tạ Quang Vinh"),
]

# Leadership per year: (leader, standing deputy, deputy, note).
LEADERSHIP = {
    2018: ("Long An", "Đồng Nai", "Tây Ninh", INVENTED),
    2019: ("Đồng Nai", "Tây Ninh", "Bà Rịa - Vũng Tàu", INVENTED),
    2020: ("Tây Ninh", "Bà Rịa - Vũng Tàu", "Lâm Đồng", INVENTED),
    2021: ("Bà Rịa - Vũng Tàu", "Tây Ninh", "Bình Thuận", PUBLISHED),
}

# username -> (last name, first name, role in Vietnamese with an English gloss).
# last_name holds the family and middle names (họ và tên đệm), first_name the given name (tên),
# as Vietnamese forms do.
DEMO_LOGINS = [
    ("admin", "Quản trị", "viên", "Quản trị hệ thống — administrator (superuser, Django admin)"),
    (
        "giamsat",
        "Trần Minh",
        "Đức",
        "Giám sát Cụm số 4, Vụ Địa phương III — supervisor of Cluster No. 4",
    ),
    (
        "brvt",
        "Lương Minh",
        "Khoa",
        "Thư ký Cụm 2021 (cán bộ BTC Bà Rịa - Vũng Tàu, Cụm trưởng 2021) — 2021 secretariat",
    ),
    (
        "tayninh",
        "Nguyễn Hoàng",
        "Phúc",
        "Thư ký Cụm 2020, năm đã khóa (cán bộ BTC Tây Ninh, Cụm phó Thường trực 2021) — "
        "secretariat of closed 2020, officer of the 2021 standing deputy",
    ),
    (
        "lamdong",
        "Vũ Thị Thanh",
        "Tâm",
        "Cán bộ đơn vị (cán bộ BTC Lâm Đồng) — unit officer",
    ),
    (
        "kiemphieu",
        "Lê Thị Thu",
        "Hà",
        "Ban kiểm phiếu Hội nghị tổng kết 2020 và 2021 (BTC Tiền Giang, không phải cán bộ "
        "đơn vị) — vote-counting committee",
    ),
    (
        "kiemphieu2",
        "Đỗ Thị Thanh",
        "Hương",
        "Ban kiểm phiếu (BTC Bình Phước) — vote-counting committee: every member certifies a count",
    ),
    (
        "kiemphieu3",
        "Tạ Quang",
        "Vinh",
        "Ban kiểm phiếu (BTC Bình Thuận) — vote-counting committee",
    ),
    (
        "daibieu",
        "Bùi Văn",
        "Thắng",
        "Đại biểu Hội nghị tổng kết 2020 và 2021 (BTC Đồng Nai, không phải cán bộ đơn vị) — "
        "voting delegate",
    ),
    (
        "cum5",
        "Trương Văn",
        "Nam",
        "Thư ký Cụm số 5 (giả định) 2021, không thuộc Cụm số 4 — officer and secretariat of "
        "another cluster",
    ),
]


@dataclass
class Loader:
    """Creates or updates objects by natural key, validating each one before it is saved."""

    created: int = 0
    updated: int = 0
    changed_objects: list[str] = field(default_factory=list)

    def upsert(self, model, lookup: dict, values: dict | None = None):
        values = values or {}
        try:
            obj = model.objects.get(**lookup)
        except model.DoesNotExist:
            obj = model(**lookup, **values)
            obj.full_clean()
            obj.save()
            self.created += 1
            return obj
        changed = False
        for name, value in values.items():
            if differs(obj, name, value):
                setattr(obj, name, value)
                changed = True
        if changed:
            obj.full_clean()
            obj.save()
            self.updated += 1
            self.changed_objects.append(f"{model.__name__}: {obj}")
        return obj

    def set_m2m(self, obj, name: str, targets) -> None:
        manager = getattr(obj, name)
        wanted = {target.pk for target in targets}
        existing = set(manager.values_list("pk", flat=True))
        if existing != wanted:
            manager.set(targets)
            if existing:
                self.updated += 1
                self.changed_objects.append(f"{type(obj).__name__}.{name}: {obj}")
            else:
                self.created += 1

    def user(self, username: str, **values):
        User = get_user_model()
        try:
            user = User.objects.get(username=username)
            created = False
        except User.DoesNotExist:
            user = User(username=username)
            created = True
        changed = created
        for name, value in values.items():
            if getattr(user, name) != value:
                setattr(user, name, value)
                changed = True
        # Reset a changed password, so the printed logins always work.
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            changed = True
        if changed:
            user.full_clean()
            user.save()
            if created:
                self.created += 1
            else:
                self.updated += 1
                self.changed_objects.append(f"User: {username}")
        return user


def differs(obj, name: str, value) -> bool:
    """Whether setting the field `name` of obj to value would change it (a relation compared by
    its key, so that nothing is fetched)."""
    if isinstance(value, models.Model) or value is None:
        field_ = obj._meta.get_field(name)
        if field_.is_relation:
            return getattr(obj, field_.attname) != (value.pk if value is not None else None)
    return getattr(obj, name) != value


def _board_name(short_name: str) -> str:
    if short_name == "TP. Hồ Chí Minh":
        return "Ban Tổ chức Thành ủy Thành phố Hồ Chí Minh"
    return f"Ban Tổ chức Tỉnh ủy {short_name}"


@transaction.atomic
def load_demo_data() -> dict:
    """Load the demo data (idempotent) and return the objects by key.

    Keys: cluster, cluster_5, units (the eleven former members by short name), successors
    (the six boards from 1 July 2025 by short name), roles (by kind), years (ClusterYear by
    year), conferences (by key such as "2020_year_end"), people (short name -> [delegate,
    officer]), users (by username), stats (created / updated counts of this run).
    """
    load = Loader()

    cluster = load.upsert(
        Cluster,
        {"number": 4, "sector": SECTOR},
        {
            "name": "Cụm thi đua số 4, Ngành Tổ chức xây dựng Đảng",
            "supervising_body": "Vụ Địa phương III, Ban Tổ chức Trung ương",
            "description": (
                "Cụm gồm Ban Tổ chức Tỉnh ủy, Thành ủy của 11 tỉnh, thành phố: Tiền Giang, "
                "Bình Dương, Long An, Tây Ninh, Đồng Nai, Bình Phước, Bà Rịa - Vũng Tàu, "
                "Lâm Đồng, Ninh Thuận, Bình Thuận và Thành phố Hồ Chí Minh. Từ ngày 01/7/2025, "
                "sau sắp xếp đơn vị hành chính, 11 đơn vị được hợp nhất thành 6 đơn vị. "
                "Thành phần Cụm từ năm 2026 là giả định của dữ liệu mẫu."
            ),
            "recent_leader_years": 3,
        },
    )

    roles = {}
    for rank, (kind, name) in enumerate(
        [
            (LeadershipRole.LEADER, "Cụm trưởng"),
            (LeadershipRole.STANDING_DEPUTY, "Cụm phó Thường trực"),
            (LeadershipRole.DEPUTY, "Cụm phó"),
        ],
        start=1,
    ):
        roles[kind] = load.upsert(
            LeadershipRole, {"cluster": cluster, "rank": rank}, {"kind": kind, "name": name}
        )

    # Units: the successors first, since a predecessor's validation looks at its successor.
    successors = {
        short_name: load.upsert(
            Unit,
            {"name": _board_name(short_name), "valid_from": FIRST_DAY_AFTER_MERGER},
            {
                "short_name": short_name,
                "province": province,
                "valid_until": None,
                "successor": None,
                "succession_kind": "",
            },
        )
        for short_name, province in SUCCESSORS
    }
    units = {
        short_name: load.upsert(
            Unit,
            {"name": _board_name(short_name), "valid_until": LAST_DAY_BEFORE_MERGER},
            {
                "short_name": short_name,
                "province": province,
                "valid_from": None,  # unknown
                "successor": successors[successor],
                "succession_kind": Unit.MERGED,
            },
        )
        for short_name, province, successor in MEMBERS
    }

    for unit in units.values():
        load.upsert(
            Membership,
            {"cluster": cluster, "unit": unit, "start_year": 2018},
            {"end_year": 2025, "note": MEMBERSHIP_NOTE},
        )
    for unit in successors.values():
        load.upsert(
            Membership,
            {"cluster": cluster, "unit": unit, "start_year": 2026},
            {"end_year": None, "note": SUCCESSOR_MEMBERSHIP_NOTE},
        )

    rotation = [units[short_name] for short_name, _, _ in MEMBERS] + list(successors.values())
    for position, unit in enumerate(rotation, start=1):
        load.upsert(RotationSlot, {"cluster": cluster, "unit": unit}, {"position": position})

    notes = {
        2020: (
            "Cụm đã xây dựng Kế hoạch thi đua và Bảng tiêu chí đánh giá thi đua năm 2020. "
            "Báo cáo tổng kết nêu kết quả đạt được, hạn chế, nguyên nhân và 7 nhiệm vụ "
            "trọng tâm năm 2021."
        )
    }
    years = {}
    for year in (2018, 2019, 2020):
        years[year] = load.upsert(
            ClusterYear,
            {"cluster": cluster, "year": year},
            {
                "status": ClusterYear.Status.CLOSED,
                "plan_title": f"Kế hoạch tổ chức phong trào thi đua năm {year} "
                "của Cụm thi đua số 4",
                "notes": notes.get(year, ""),
            },
        )
    years[2021] = load.upsert(
        ClusterYear,
        {"cluster": cluster, "year": 2021},
        {
            "status": ClusterYear.Status.IN_PROGRESS,
            "plan_title": "Kế hoạch tổ chức phong trào thi đua năm 2021 của Cụm thi đua số 4",
            "scorecard_deadline": datetime.date(2021, 11, 15),
            "report_deadline": datetime.date(2021, 11, 20),
            "nomination_deadline": datetime.date(2021, 11, 25),
            "notes": "Các thời hạn trong năm 2021 là giả định cho dữ liệu mẫu.",
        },
    )

    cluster_5 = _load_cluster_5(load)

    # Accounts, then people (some linked to an account).
    logins = {username: (last, first) for username, last, first, _ in DEMO_LOGINS}

    def account(username):
        last, first = logins[username]
        return load.user(
            username,
            last_name=last,
            first_name=first,
            email=f"{username}@example.vn",
            is_active=True,
            is_staff=username == "admin",
            is_superuser=username == "admin",
        )

    users = {username: account(username) for username, *_ in DEMO_LOGINS}
    load.upsert(Supervision, {"user": users["giamsat"], "cluster": cluster})
    person_accounts = {person: username for username, person in ACCOUNT_PEOPLE.items()}

    def person_values(short_name, full_name, position, gender, birth_year):
        username = person_accounts.get((short_name, full_name))
        return {
            "position": position,
            "gender": gender,
            "birth_year": birth_year,
            "user": users[username] if username else None,
            "email": f"{username}@example.vn" if username else "",
        }

    people = {
        short_name: [
            load.upsert(
                Person,
                {"unit": units[short_name], "full_name": entry[0]},
                person_values(short_name, *entry),
            )
            for entry in entries
        ]
        for short_name, entries in PEOPLE.items()
    }
    for username in ("brvt", "tayninh", "lamdong"):
        load.upsert(
            OfficerTerm,
            {
                "user": users[username],
                "unit": units[ACCOUNT_PEOPLE[username][0]],
                "start_date": datetime.date(2019, 1, 1),
            },
            {"end_date": LAST_DAY_BEFORE_MERGER},
        )
    unit_a = cluster_5["units"]["Mẫu A"]
    load.upsert(
        Person,
        {"unit": unit_a, "full_name": "Trương Văn Nam"},
        {
            "position": "Chuyên viên",
            "gender": Person.MALE,
            "birth_year": 1985,
            "user": users["cum5"],
            "email": "cum5@example.vn",
        },
    )
    load.upsert(
        OfficerTerm,
        {"user": users["cum5"], "unit": unit_a, "start_date": datetime.date(2019, 1, 1)},
        {"end_date": None},
    )
    delegates = [people[short_name][0] for short_name, _, _ in MEMBERS]
    committee = [
        next(p for p in people[short_name] if p.full_name == full_name)
        for short_name, full_name in COUNTING_COMMITTEE
    ]

    conferences = {}
    conferences["2018_mid_year"] = load.upsert(
        Conference,
        {
            "cluster_year": years[2018],
            "kind": Conference.MID_YEAR,
            "date": datetime.date(2018, 8, 10),
        },
        {
            "title": "Hội nghị sơ kết công tác thi đua 6 tháng đầu năm 2018 của Thường trực Cụm",
            "place": "Long An",
            "host_unit": units["Long An"],
            "summary": (
                "Thường trực Cụm sơ kết công tác thi đua 6 tháng đầu năm 2018 tại Long An. "
                "Đến ngày 30/6/2018, 4/11 đơn vị (Bình Phước, Lâm Đồng, Long An, Ninh Thuận) "
                "đã sắp xếp, kiện toàn tổ chức bộ máy."
            ),
        },
    )
    conferences["2020_year_end"] = load.upsert(
        Conference,
        {
            "cluster_year": years[2020],
            "kind": Conference.YEAR_END,
            "date": datetime.date(2020, 12, 4),
        },
        {
            "title": "Hội nghị tổng kết công tác thi đua năm 2020",
            "place": "Tây Ninh",
            "host_unit": units["Tây Ninh"],
            "summary": (
                "Hội nghị tổng kết công tác thi đua năm 2020 của Cụm thi đua số 4 tổ chức tại "
                "Tây Ninh ngày 04/12/2020. Qua bỏ phiếu kín, Hội nghị thống nhất đề nghị tặng "
                "Cờ thi đua cho 2 đơn vị (Ban Tổ chức Tỉnh ủy Lâm Đồng, Ban Tổ chức Tỉnh ủy "
                "Tây Ninh); đề nghị tặng Bằng khen cho 4 tập thể (Ban Tổ chức Tỉnh ủy Bà Rịa - "
                "Vũng Tàu, Tiền Giang, Long An, Đồng Nai) và 14 cá nhân. Trong phong trào thi "
                'đua "Cách làm hay, mô hình mới", 3 tập thể và 4 cá nhân của Cụm được biểu '
                "dương ở cấp Trung ương. Các đơn vị ký giao ước thi đua năm 2021 và bầu Ban "
                "Tổ chức Tỉnh ủy Bà Rịa - Vũng Tàu làm Cụm trưởng, Ban Tổ chức Tỉnh ủy Tây Ninh "
                "làm Cụm phó Thường trực, Ban Tổ chức Tỉnh ủy Bình Thuận làm Cụm phó năm 2021. "
                "(Danh sách đại biểu và Ban kiểm phiếu là giả định cho dữ liệu mẫu.)"
            ),
        },
    )
    conferences["2021_pledge"] = load.upsert(
        Conference,
        {
            "cluster_year": years[2021],
            "kind": Conference.PLEDGE,
            "date": datetime.date(2020, 12, 4),
        },
        {
            "title": "Ký kết giao ước thi đua năm 2021",
            "place": "Tây Ninh",
            "host_unit": units["Tây Ninh"],
            "summary": (
                "Các đơn vị thành viên ký kết giao ước thi đua năm 2021 tại Hội nghị tổng kết "
                "công tác thi đua năm 2020 của Cụm."
            ),
        },
    )
    conferences["2021_mid_year"] = load.upsert(
        Conference,
        {
            "cluster_year": years[2021],
            "kind": Conference.MID_YEAR,
            "date": datetime.date(2021, 7, 23),
        },
        {
            "title": "Hội nghị sơ kết công tác thi đua 6 tháng đầu năm 2021",
            "place": "Bà Rịa - Vũng Tàu (trực tuyến)",
            "host_unit": units["Bà Rịa - Vũng Tàu"],
            "summary": "Dữ liệu giả định: ngày, hình thức và nội dung hội nghị không có trong "
            "thông tin đã công bố.",
        },
    )
    conferences["2021_year_end"] = load.upsert(
        Conference,
        {
            "cluster_year": years[2021],
            "kind": Conference.YEAR_END,
            "date": datetime.date(2021, 12, 10),
        },
        {
            "title": "Hội nghị tổng kết công tác thi đua năm 2021",
            "place": "Bà Rịa - Vũng Tàu",
            "host_unit": units["Bà Rịa - Vũng Tàu"],
            "summary": "Dữ liệu giả định: hội nghị dự kiến, do Cụm trưởng năm 2021 đăng cai; "
            "danh sách đại biểu và Ban kiểm phiếu là giả định.",
        },
    )
    all_units = list(units.values())
    load.set_m2m(conferences["2020_year_end"], "attending_units", all_units)
    load.set_m2m(conferences["2021_pledge"], "attending_units", all_units)
    for key in ("2020_year_end", "2021_year_end"):
        load.set_m2m(conferences[key], "delegates", delegates)
        load.set_m2m(conferences[key], "counting_committee", committee)
    load.set_m2m(conferences["2020_year_end"], "attendees", delegates + committee)

    for year, (leader, standing, deputy, note) in LEADERSHIP.items():
        if year == 2020:
            leader_note = INFERRED_2020_LEADER
        else:
            leader_note = note
        decided_at = conferences["2020_year_end"] if year == 2021 else None
        for kind, short_name, assignment_note in (
            (LeadershipRole.LEADER, leader, leader_note),
            (LeadershipRole.STANDING_DEPUTY, standing, note),
            (LeadershipRole.DEPUTY, deputy, note),
        ):
            load.upsert(
                LeadershipAssignment,
                {"cluster_year": years[year], "role": roles[kind]},
                {"unit": units[short_name], "decided_at": decided_at, "note": assignment_note},
            )

    return {
        "cluster": cluster,
        "cluster_5": cluster_5["cluster"],
        "units": units,
        "successors": successors,
        "roles": roles,
        "years": years,
        "conferences": conferences,
        "people": people,
        "users": users,
        "stats": {
            "created": load.created,
            "updated": load.updated,
            "changed": load.changed_objects,
        },
    }


def _load_cluster_5(load: Loader) -> dict:
    """A small invented cluster, so that "an officer of another cluster" can be shown."""
    cluster = load.upsert(
        Cluster,
        {"number": 5, "sector": SECTOR},
        {
            "name": "Cụm thi đua số 5 (giả định)",
            "supervising_body": "",
            "description": (
                "Cụm giả định cho dữ liệu mẫu: các đơn vị, thành phần và lãnh đạo Cụm đều "
                "không có thật."
            ),
            "recent_leader_years": 3,
        },
    )
    roles = {}
    for rank, (kind, name) in enumerate(
        [
            (LeadershipRole.LEADER, "Cụm trưởng"),
            (LeadershipRole.STANDING_DEPUTY, "Cụm phó Thường trực"),
            (LeadershipRole.DEPUTY, "Cụm phó"),
        ],
        start=1,
    ):
        roles[kind] = load.upsert(
            LeadershipRole, {"cluster": cluster, "rank": rank}, {"kind": kind, "name": name}
        )
    units = {}
    for letter in "ABC":
        short_name = f"Mẫu {letter}"
        units[short_name] = load.upsert(
            Unit,
            {"name": f"Ban Tổ chức Tỉnh ủy mẫu {letter} (giả định)"},
            {"short_name": short_name, "province": f"Tỉnh mẫu {letter} (giả định)"},
        )
        load.upsert(
            Membership,
            {"cluster": cluster, "unit": units[short_name], "start_year": 2018},
            {"end_year": None, "note": INVENTED},
        )
    year = load.upsert(
        ClusterYear,
        {"cluster": cluster, "year": 2021},
        {
            "status": ClusterYear.Status.IN_PROGRESS,
            "plan_title": "Kế hoạch thi đua năm 2021 của Cụm thi đua số 5 (giả định)",
        },
    )
    for kind, short_name in (
        (LeadershipRole.LEADER, "Mẫu A"),
        (LeadershipRole.STANDING_DEPUTY, "Mẫu B"),
        (LeadershipRole.DEPUTY, "Mẫu C"),
    ):
        load.upsert(
            LeadershipAssignment,
            {"cluster_year": year, "role": roles[kind]},
            {"unit": units[short_name], "decided_at": None, "note": INVENTED},
        )
    return {"cluster": cluster, "units": units, "year": year}
