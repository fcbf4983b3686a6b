"""Demo data of issue 3 for Cluster No. 4: criteria, scorecards and rankings of 2019 and 2020,
the 2021 year in progress, the 2021 pledge, the 2020 campaign "Cách làm hay, mô hình mới" and
the 2018 indicator on the reorganisation of the apparatus.

Published facts (docs/DEMO_DATA.md): the 2020 emulation flag (Cờ thi đua) went to Lâm Đồng and
Tây Ninh and certificates of merit (Bằng khen) to Bà Rịa - Vũng Tàu, Tiền Giang, Long An and
Đồng Nai; 3 collectives of the cluster were commended centrally in "Cách làm hay, mô hình mới";
by 30/06/2018, 4 of 11 units (Bình Phước, Lâm Đồng, Long An, Ninh Thuận) had reorganised their
apparatus. Everything else is invented: the criteria (the real scorecard is not published), every
score, the grade thresholds, the pledge text and the campaign entries. The 2020 scores are chosen
so that the ranking matches the published awards.

Closed years (2019, 2020) are written row by row, since the services refuse closed years; each
change is dated when it would have happened (history rows included), so the audit trail of a
score reads as it would have. The open year 2021 goes through the services where they allow it
(copying and publishing the criteria, opening the scorecards); the self-scoring deadline of 2021
has passed, so its scores are written directly too.

Loading is idempotent, as in clusters.demo: every object is looked up by a natural key (criteria
by a lineage derived from their number), created or brought up to date, validated with
full_clean(), and saved only when something changed.
"""

import datetime
import unicodedata
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from clusters.demo import PUBLISHED, Loader, differs
from clusters.models import ClusterYear
from common.formatting import vn_number
from common.uploads import sha256_hex

from .models import (
    Campaign,
    CampaignEntry,
    CriteriaSet,
    Criterion,
    Evidence,
    GradeBand,
    Indicator,
    IndicatorReport,
    Pledge,
    PledgeSignature,
    RankingPublication,
    Score,
    Scorecard,
    ScoringPolicy,
)
from .services import criteria as criteria_services
from .services import scoring as scoring_services

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
LINEAGE_NAMESPACE = uuid.UUID("3f0d6c52-6a43-4d0e-9b7e-2a4c1c9d0b41")

G, P, YN, B, D = (
    Criterion.GROUP,
    Criterion.POINTS,
    Criterion.YES_NO,
    Criterion.BONUS,
    Criterion.DEDUCTION,
)

# The invented criteria of a Party organisation board: (number, text, kind, maximum, evidence
# required, guidance, children). Base groups I-V add up to 100 points; VI is bonus, VII deductions.
CRITERIA = [
    (
        "I",
        "Công tác tham mưu, hướng dẫn",
        G,
        "25",
        False,
        "",
        [
            (
                "1",
                "Tham mưu cấp ủy ban hành nghị quyết, chỉ thị, kết luận, quy định về công tác "
                "tổ chức xây dựng Đảng đúng tiến độ, có chất lượng",
                P,
                "10",
                True,
                "Đủ, đúng tiến độ: 10 điểm; mỗi văn bản chậm so với chương trình công tác trừ 0,5 "
                "điểm. Minh chứng: danh mục văn bản đã tham mưu ban hành.",
                [],
            ),
            (
                "2",
                "Hướng dẫn, đôn đốc, kiểm tra cấp ủy cấp dưới thực hiện các văn bản của Trung "
                "ương, của tỉnh về công tác tổ chức xây dựng Đảng",
                P,
                "8",
                False,
                "",
                [],
            ),
            (
                "3",
                "Tham mưu chuẩn bị và tổ chức đại hội đảng bộ các cấp nhiệm kỳ 2020 - 2025 theo "
                "Chỉ thị số 35-CT/TW đúng kế hoạch",
                P,
                "7",
                False,
                "",
                [],
            ),
        ],
    ),
    (
        "II",
        "Công tác tổ chức bộ máy, biên chế",
        G,
        "20",
        False,
        "",
        [
            (
                "1",
                "Sắp xếp, kiện toàn tổ chức bộ máy của hệ thống chính trị tinh gọn, hoạt động "
                "hiệu lực, hiệu quả",
                G,
                "10",
                False,
                "",
                [
                    (
                        "1.1",
                        "Hoàn thành sắp xếp các cơ quan tham mưu, giúp việc của cấp ủy theo kế "
                        "hoạch",
                        YN,
                        "5",
                        False,
                        "Có: 5 điểm; không: 0 điểm.",
                        [],
                    ),
                    (
                        "1.2",
                        "Tham mưu đề án, kế hoạch sắp xếp các đơn vị sự nghiệp công lập",
                        P,
                        "5",
                        False,
                        "",
                        [],
                    ),
                ],
            ),
            (
                "2",
                "Quản lý biên chế chặt chẽ, đúng quy định; hoàn thành chỉ tiêu tinh giản biên chế "
                "theo lộ trình",
                P,
                "10",
                True,
                "Minh chứng: báo cáo kết quả tinh giản biên chế trong năm.",
                [],
            ),
        ],
    ),
    (
        "III",
        "Công tác cán bộ",
        G,
        "25",
        False,
        "",
        [
            (
                "1",
                "Công tác quy hoạch cán bộ",
                G,
                "10",
                False,
                "",
                [
                    (
                        "1.1",
                        "Tham mưu rà soát, bổ sung quy hoạch cấp ủy, ban thường vụ, các chức danh "
                        "chủ chốt theo đúng quy trình",
                        P,
                        "5",
                        False,
                        "",
                        [],
                    ),
                    (
                        "1.2",
                        "Tỷ lệ cán bộ nữ, cán bộ trẻ trong quy hoạch đạt yêu cầu",
                        P,
                        "5",
                        False,
                        "",
                        [],
                    ),
                ],
            ),
            (
                "2",
                "Đào tạo, bồi dưỡng cán bộ đúng kế hoạch",
                P,
                "5",
                False,
                "",
                [],
            ),
            (
                "3",
                "Thực hiện quy trình bổ nhiệm, giới thiệu cán bộ ứng cử, luân chuyển cán bộ đúng "
                "quy định",
                P,
                "10",
                True,
                "Minh chứng: hồ sơ, quy trình các trường hợp bổ nhiệm, luân chuyển trong năm.",
                [],
            ),
        ],
    ),
    (
        "IV",
        "Công tác đảng viên, tổ chức cơ sở đảng",
        G,
        "20",
        False,
        "",
        [
            (
                "1",
                "Kết nạp đảng viên đạt hoặc vượt chỉ tiêu nghị quyết",
                P,
                "8",
                True,
                "Đạt 100% chỉ tiêu trở lên: 8 điểm; mỗi 5% dưới chỉ tiêu trừ 1 điểm. Minh chứng: "
                "báo cáo kết quả kết nạp đảng viên.",
                [],
            ),
            (
                "2",
                "Đánh giá, xếp loại chất lượng tổ chức cơ sở đảng và đảng viên đúng hướng dẫn, "
                "đúng thời gian",
                P,
                "6",
                False,
                "",
                [],
            ),
            (
                "3",
                "Cập nhật đầy đủ, kịp thời cơ sở dữ liệu đảng viên trên phần mềm quản lý",
                YN,
                "6",
                False,
                "Có: 6 điểm; không: 0 điểm.",
                [],
            ),
        ],
    ),
    (
        "V",
        "Công tác bảo vệ chính trị nội bộ, xây dựng ngành",
        G,
        "10",
        False,
        "",
        [
            (
                "1",
                "Thẩm định, xác minh, kết luận tiêu chuẩn chính trị đúng quy định",
                P,
                "4",
                False,
                "",
                [],
            ),
            (
                "2",
                "Cơ quan Ban Tổ chức trong sạch, vững mạnh; không có cán bộ, công chức vi phạm "
                "kỷ luật",
                YN,
                "3",
                False,
                "Có: 3 điểm; không: 0 điểm.",
                [],
            ),
            (
                "3",
                "Thực hiện chế độ thông tin, báo cáo với Ban Tổ chức Trung ương và Cụm đầy đủ, "
                "đúng thời hạn",
                P,
                "3",
                False,
                "",
                [],
            ),
        ],
    ),
    (
        "VI",
        "Điểm thưởng",
        G,
        "5",
        False,
        "Tối đa 5 điểm.",
        [
            (
                "1",
                "Có mô hình, cách làm hay được cấp trên ghi nhận, biểu dương",
                B,
                "3",
                False,
                "Kèm văn bản ghi nhận, biểu dương của cấp trên.",
                [],
            ),
            (
                "2",
                "Hoàn thành xuất sắc nhiệm vụ đột xuất do Ban Tổ chức Trung ương giao",
                B,
                "2",
                False,
                "",
                [],
            ),
        ],
    ),
    (
        "VII",
        "Điểm trừ",
        G,
        "5",
        False,
        "Tối đa 5 điểm.",
        [
            (
                "1",
                "Chậm gửi báo cáo, văn bản theo yêu cầu của Cụm, của Ban Tổ chức Trung ương",
                D,
                "3",
                False,
                "Mỗi lần chậm trừ 0,5 điểm.",
                [],
            ),
            (
                "2",
                "Không tham dự đầy đủ các hội nghị, hoạt động của Cụm mà không có lý do",
                D,
                "2",
                False,
                "Mỗi lần vắng trừ 0,5 điểm.",
                [],
            ),
        ],
    ),
]

# Leaf key ("II.1.1": group II, criterion 1.1) -> file name of its evidence, for the criteria
# that require evidence; {year} is filled in.
EVIDENCE_NAMES = {
    "I.1": "Danh mục văn bản tham mưu ban hành năm {year}.pdf",
    "II.2": "Báo cáo kết quả tinh giản biên chế năm {year}.pdf",
    "III.3": "Hồ sơ quy trình bổ nhiệm, luân chuyển cán bộ năm {year}.pdf",
    "IV.1": "Báo cáo kết quả kết nạp đảng viên năm {year}.pdf",
}

BONUS_REASONS = {
    "VI.1": "Mô hình của đơn vị được Ban Tổ chức Trung ương biểu dương trong phong trào "
    '"Cách làm hay, mô hình mới".',
    "VI.2": "Hoàn thành nhiệm vụ đột xuất do Ban Tổ chức Trung ương giao (tổng hợp số liệu "
    "phục vụ sơ kết chuyên đề).",
    "VII.1": "Chậm gửi báo cáo sơ kết 6 tháng so với thời hạn của Cụm.",
    "VII.2": "Vắng một buổi sinh hoạt chuyên đề của Cụm không báo trước.",
}

# 2020 self scores (invented), as points lost on base criteria plus bonus and deductions.
# Unlisted base criteria have full marks. Final totals: Lâm Đồng 99, Tây Ninh 98, Bà Rịa -
# Vũng Tàu 96,5, Tiền Giang 94, Long An and Đồng Nai 92,5 (Long An ahead on base points),
# Bình Dương 89,5, TP. Hồ Chí Minh 89, Bình Thuận 86,5, Bình Phước 84, Ninh Thuận 81,5.
SCORES_2020 = {
    "Lâm Đồng": ({"I.2": 1, "III.1.2": 1, "IV.2": 1, "V.1": 1}, {"VI.1": 3}),
    "Tây Ninh": ({"I.2": 1, "II.1.2": 1, "III.1.1": 0.5, "IV.1": 1, "V.1": 1}, {"VI.1": 3}),
    "Bà Rịa - Vũng Tàu": (
        {"I.2": 1, "I.3": 1, "III.1.2": 1, "III.2": 1, "IV.2": 1, "V.3": 0.5},
        {"VI.2": 2},
    ),
    "Tiền Giang": (
        {
            "I.1": 1,
            "I.2": 1.5,
            "II.2": 1,
            "III.1.2": 1,
            "III.3": 1,
            "IV.1": 1,
            "IV.2": 1,
            "V.1": 0.5,
        },
        {"VI.1": 3, "VII.1": 1},
    ),
    "Long An": (
        {
            "I.1": 1,
            "I.2": 1,
            "I.3": 1,
            "II.2": 1.5,
            "III.1.2": 1,
            "III.2": 1,
            "IV.1": 1,
            "V.1": 1,
        },
        {"VI.2": 1},
    ),
    "Đồng Nai": (
        {
            "I.1": 1,
            "I.2": 1,
            "II.1.2": 1,
            "II.2": 1,
            "III.1.1": 1,
            "III.3": 1.5,
            "IV.1": 1,
            "IV.2": 1,
            "V.1": 0.5,
        },
        {"VI.2": 2, "VII.2": 0.5},
    ),
    "Bình Dương": (
        {
            "I.1": 1.5,
            "I.2": 1,
            "I.3": 1,
            "II.2": 2,
            "III.1.2": 1,
            "III.3": 1.5,
            "IV.2": 1,
            "V.3": 1,
        },
        {},
    ),
    "TP. Hồ Chí Minh": (
        {
            "I.1": 1.5,
            "I.2": 1.5,
            "I.3": 1,
            "II.1.2": 1,
            "II.2": 2,
            "III.1.1": 1,
            "III.2": 1,
            "III.3": 1,
            "IV.1": 1,
            "IV.2": 1,
        },
        {"VI.2": 1},
    ),
    "Bình Thuận": (
        {
            "I.1": 2,
            "I.2": 1.5,
            "I.3": 1,
            "II.1.2": 1,
            "II.2": 2,
            "III.1.2": 1,
            "III.3": 1.5,
            "IV.1": 1,
            "IV.2": 1,
            "V.1": 1,
        },
        {"VII.1": 0.5},
    ),
    "Bình Phước": (
        {"I.1": 2, "I.2": 1, "II.2": 2, "III.3": 2, "IV.1": 1, "IV.3": 6, "V.3": 1},
        {"VII.1": 1},
    ),
    "Ninh Thuận": (
        {
            "I.1": 2,
            "I.2": 2,
            "I.3": 1,
            "II.1.2": 1,
            "II.2": 2,
            "III.1.1": 1,
            "III.1.2": 1,
            "III.3": 2,
            "IV.1": 2,
            "IV.2": 1,
            "V.1": 1,
            "V.3": 1,
        },
        {"VI.1": 3, "VII.1": 1, "VII.2": 0.5},
    ),
}

# The secretariat's adjustments of 2020: (unit, criterion, reviewed score, reason, the unit's
# response or "", final score or None, reason for the final score).
ADJUSTMENTS_2020 = [
    (
        "Bình Dương",
        "IV.1",
        "7",
        "Theo báo cáo của đơn vị, kết nạp đảng viên đến 31/10/2020 đạt 94% chỉ tiêu nghị quyết: "
        "trừ 1 điểm theo hướng dẫn chấm điểm.",
        "Đến 30/11/2020 đơn vị đã kết nạp bổ sung 64 đảng viên, nâng tỷ lệ lên 98% chỉ tiêu; "
        "gửi kèm báo cáo bổ sung. Đề nghị Thường trực Cụm xem xét lại.",
        "7.5",
        "Chấp nhận một phần giải trình: số liệu bổ sung đạt 98% chỉ tiêu, chưa đạt 100%.",
    ),
    (
        "Ninh Thuận",
        "VI.1",
        "0",
        "Mô hình đơn vị nêu chưa có văn bản ghi nhận, biểu dương của cấp trên: chưa đủ điều kiện "
        "cộng điểm thưởng.",
        "",
        None,
        "",
    ),
    (
        "Tây Ninh",
        "VII.1",
        "0.5",
        "Báo cáo sơ kết 6 tháng đầu năm gửi chậm 02 ngày so với thời hạn của Cụm: trừ 0,5 điểm.",
        "",
        None,
        "",
    ),
]

# 2019 (invented): unit -> (base points lost, bonus, deductions), spread over the criteria.
SCORES_2019 = {
    "Tây Ninh": ("3", {"VI.1": 2}),
    "Đồng Nai": ("4", {"VI.2": 2}),
    "Lâm Đồng": ("5", {"VI.1": 2}),
    "Long An": ("6", {"VI.2": 1}),
    "Bà Rịa - Vũng Tàu": ("7.5", {"VI.2": 1.5}),
    "TP. Hồ Chí Minh": ("8", {"VI.2": 1}),
    "Tiền Giang": ("9.5", {"VI.1": 1, "VII.1": 0.5}),
    "Bình Dương": ("10.5", {}),
    "Bình Thuận": ("12", {"VII.1": 0.5}),
    "Ninh Thuận": ("14", {"VII.2": 0.5}),
    "Bình Phước": ("15", {"VII.1": 1}),
}

# 2021, in progress: Lâm Đồng has submitted; Bà Rịa - Vũng Tàu has scored groups I and II.
LAM_DONG_2021 = ({"I.2": 1, "III.1.2": 0.5, "IV.2": 1, "V.1": 0.5}, {"VI.2": 2})
BRVT_2021_SCORED = ("I.", "II.")
BRVT_2021_LOSSES = {"I.2": 0.5, "II.1.2": 0.5}

GRADE_BANDS = [("Xuất sắc", "95"), ("Tốt", "85"), ("Khá", "70"), ("Trung bình", "0")]
TIE_BREAKS = ["base", "deductions", "group:I"]

PLEDGE_2021 = """GIAO ƯỚC THI ĐUA NĂM 2021
Cụm thi đua số 4, Ngành Tổ chức xây dựng Đảng

Thực hiện Kế hoạch tổ chức phong trào thi đua năm 2021 của Cụm thi đua số 4, Ban Tổ chức Tỉnh ủy, \
Thành ủy các tỉnh, thành phố trong Cụm thống nhất ký kết giao ước thi đua với các nội dung sau:

1. Tham mưu cấp ủy lãnh đạo, chỉ đạo quán triệt, triển khai thực hiện Nghị quyết Đại hội XIII \
của Đảng và nghị quyết đại hội đảng bộ các cấp; phục vụ tốt công tác nhân sự bầu cử đại biểu \
Quốc hội khóa XV và đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2021 - 2026.
2. Tiếp tục sắp xếp, tinh gọn tổ chức bộ máy của hệ thống chính trị hoạt động hiệu lực, hiệu \
quả; thực hiện tinh giản biên chế đúng lộ trình.
3. Làm tốt công tác quy hoạch, đào tạo, bồi dưỡng, luân chuyển, đánh giá cán bộ; xây dựng đội \
ngũ cán bộ các cấp đủ phẩm chất, năng lực, uy tín, ngang tầm nhiệm vụ.
4. Nâng cao chất lượng tổ chức cơ sở đảng và đảng viên; kết nạp đảng viên đạt và vượt chỉ tiêu \
nghị quyết; cập nhật đầy đủ, kịp thời cơ sở dữ liệu đảng viên.
5. Đẩy mạnh phong trào thi đua "Cách làm hay, mô hình mới"; xây dựng cơ quan Ban Tổ chức trong \
sạch, vững mạnh, đoàn kết, thống nhất.
6. Thực hiện nghiêm chế độ thông tin, báo cáo; tham gia đầy đủ các hoạt động của Cụm.

Các đơn vị cam kết thực hiện tốt các nội dung đã giao ước; kết quả thực hiện là căn cứ để chấm \
điểm, xếp hạng thi đua năm 2021.

(Nội dung giao ước là giả định cho dữ liệu mẫu.)"""
PLEDGE_NOT_SIGNED = ("Bình Phước", "Ninh Thuận")

CAMPAIGN_2020 = "Cách làm hay, mô hình mới"
# (unit, title, description, results, shortlisted, submitted on)
CAMPAIGN_ENTRIES_2020 = [
    (
        "Lâm Đồng",
        "Quản lý hồ sơ đảng viên và sinh hoạt chi bộ trên nền tảng số",
        "Số hóa hồ sơ đảng viên, lịch và nội dung sinh hoạt chi bộ trên phần mềm dùng chung "
        "của tỉnh; cấp ủy cơ sở theo dõi việc sinh hoạt định kỳ và chuyên đề.",
        "100% chi bộ trực thuộc các đảng bộ huyện áp dụng; thời gian tổng hợp báo cáo giảm "
        "khoảng một nửa.",
        True,
        datetime.date(2020, 9, 15),
    ),
    (
        "Tây Ninh",
        'Quy trình "5 bước" thẩm định nhân sự cấp ủy phục vụ đại hội đảng bộ các cấp',
        "Chuẩn hóa các bước rà soát, thẩm định, xác minh tiêu chuẩn chính trị và lấy ý kiến "
        "đối với nhân sự dự kiến tham gia cấp ủy nhiệm kỳ 2020 - 2025.",
        "Không có trường hợp nhân sự phải thay thế sau đại hội do vướng tiêu chuẩn chính trị.",
        True,
        datetime.date(2020, 9, 28),
    ),
    (
        "Tiền Giang",
        "Số hóa hồ sơ cán bộ thuộc diện Ban Thường vụ Tỉnh ủy quản lý",
        "Xây dựng cơ sở dữ liệu hồ sơ cán bộ, cập nhật quá trình công tác, đánh giá hằng năm và "
        "quy hoạch; tra cứu theo phân quyền.",
        "Hoàn thành số hóa hồ sơ cán bộ diện Ban Thường vụ Tỉnh ủy quản lý.",
        True,
        datetime.date(2020, 10, 5),
    ),
    (
        "Long An",
        'Mô hình "Sổ tay đảng viên điện tử" hỗ trợ sinh hoạt chi bộ ở cơ sở',
        "Ứng dụng trên điện thoại cung cấp văn bản, tài liệu sinh hoạt chi bộ và thông báo của "
        "cấp ủy đến đảng viên.",
        "Triển khai thí điểm tại 2 đảng bộ huyện.",
        False,
        datetime.date(2020, 10, 20),
    ),
    (
        "Bình Thuận",
        "Phát triển đảng viên trong doanh nghiệp ngoài khu vực nhà nước",
        "Phối hợp với các doanh nghiệp tạo nguồn, bồi dưỡng quần chúng ưu tú là người lao động "
        "để giới thiệu kết nạp vào Đảng.",
        "Thành lập mới 3 chi bộ trong doanh nghiệp ngoài khu vực nhà nước.",
        False,
        datetime.date(2020, 10, 28),
    ),
]

INDICATOR_2018 = "Đã sắp xếp, tinh gọn tổ chức bộ máy"
REORGANISED_BY_2018_06_30 = ("Bình Phước", "Lâm Đồng", "Long An", "Ninh Thuận")
INFERRED_NOT_REORGANISED = "Suy ra từ thông tin đã công bố: 4/11 đơn vị đã sắp xếp đến 30/6/2018"

NOTES = [
    "Bảng tiêu chí 2019–2021 là giả định (the real scorecard is not published): 5 nhóm cơ bản "
    "100 điểm, điểm thưởng và điểm trừ tối đa 5 điểm.",
    "Ngưỡng xếp loại (Xuất sắc ≥ 95, Tốt ≥ 85, Khá ≥ 70, Trung bình) và thứ tự xét khi bằng "
    "điểm (điểm cơ bản, điểm trừ, nhóm I) là giả định (invented thresholds and tie-breaks).",
    "Mọi điểm số và điều chỉnh 2019–2021 là giả định; điểm 2020 được chọn để thứ hạng khớp khen "
    "thưởng đã công bố (Cờ thi đua: Lâm Đồng, Tây Ninh; Bằng khen: Bà Rịa - Vũng Tàu, Tiền "
    "Giang, Long An, Đồng Nai).",
    "Minh chứng là tệp PDF mẫu sinh tự động (evidence files are generated placeholders).",
    'Nội dung giao ước 2021, các đơn vị đã ký trên hệ thống, các bài dự thi "Cách làm hay, mô '
    'hình mới" và 3 bài được chọn là giả định (công bố: 3 tập thể của Cụm được biểu dương ở '
    "cấp Trung ương).",
    "Chỉ tiêu sắp xếp bộ máy đến 30/6/2018 (4/11: Bình Phước, Lâm Đồng, Long An, Ninh Thuận) "
    "theo thông tin đã công bố.",
]


def _at(year, month, day, hour=9, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=TZ)


def _points(value) -> Decimal:
    return Decimal(str(value))


@dataclass
class _DemoLoader(Loader):
    """clusters.demo's loader, plus history rows dated and signed as the change would have been,
    and timestamps (auto_now fields) set to their demo date. Objects created in this run are
    counted once, however many steps bring them to their state."""

    fresh: set = field(default_factory=set)

    def is_fresh(self, obj) -> bool:
        return (type(obj), obj.pk) in self.fresh

    def created_now(self, obj) -> None:
        self.fresh.add((type(obj), obj.pk))
        self.created += 1

    def put(
        self,
        model,
        lookup: dict,
        values: dict | None = None,
        *,
        when: datetime.datetime | None = None,
        user=None,
        reason: str | None = None,
        stamps: dict | None = None,
    ):
        values = values or {}
        obj = model.objects.filter(**lookup).first()
        created = obj is None
        changed = []
        if created:
            obj = model(**lookup, **values)
        else:
            changed = [name for name, value in values.items() if differs(obj, name, value)]
            for name in changed:
                setattr(obj, name, values[name])
        if created or changed:
            obj.full_clean(exclude=_unknown_people(obj))
            if when is not None:
                obj._history_date = when
            obj._history_user = user
            if reason:
                obj._change_reason = reason
            obj.save()
            if created:
                self.created_now(obj)
            elif not self.is_fresh(obj):
                self.updated += 1
                self.changed_objects.append(f"{model.__name__}: {obj}")
        if stamps:
            self.stamp(obj, stamps, count=not (created or changed or self.is_fresh(obj)))
        return obj

    def stamp(self, obj, stamps: dict, count: bool = True) -> None:
        """Set automatic timestamps (auto_now, auto_now_add) that save() would overwrite, on the
        row and on its history rows that recorded the overwritten value."""
        model = type(obj)
        stale = {name: value for name, value in stamps.items() if getattr(obj, name) != value}
        if not stale:
            return
        model.objects.filter(pk=obj.pk).update(**stale)
        history = getattr(model, "history", None)
        if history is not None:
            fields = {f.name for f in history.model._meta.get_fields()}
            for name, value in stale.items():
                if name in fields:
                    history.filter(**{model._meta.pk.attname: obj.pk}).filter(
                        **{name: getattr(obj, name)}
                    ).update(**{name: value})
        for name, value in stale.items():
            setattr(obj, name, value)
        if count:
            self.updated += 1
            self.changed_objects.append(f"{model.__name__} (timestamps): {obj}")

    def steps(
        self,
        model,
        lookup: dict,
        steps: list[tuple[dict, datetime.datetime, object, str]],
        *,
        new: bool = False,
    ):
        """Create an object through its successive states, one dated history row each; an
        existing object is brought to the last state in one step. The last state is validated
        (the earlier ones only set fewer fields). `new`: the caller knows it does not exist."""
        merged = {}
        for values, _when, _user, _reason in steps:
            merged.update(values)
        if not new and model.objects.filter(**lookup).exists():
            _values, when, user, reason = steps[-1]
            return self.put(model, lookup, merged, when=when, user=user, reason=reason or None)
        final = model(**lookup, **merged)
        final.full_clean(exclude=_unknown_people(final))
        obj = model(**lookup)
        for values, when, user, reason in steps:
            for name, value in values.items():
                setattr(obj, name, value)
            obj._history_date = when
            obj._history_user = user
            obj._change_reason = reason or None
            obj.save()
        self.created_now(obj)
        return obj


def _unknown_people(obj) -> list[str]:
    """Fields such as uploaded_by that are nullable but not blank=True: the demo leaves them
    empty for units without a demo account, so full_clean() must not require them."""
    return [
        f.name
        for f in type(obj)._meta.concrete_fields
        if f.null and not f.blank and f.is_relation and getattr(obj, f.attname) is None
    ]


def _walk(nodes, parent_key=""):
    """(key, parent key, node) in depth-first order; a key is the path of numbers, e.g.
    "II.1.1" for criterion 1.1 of group II (a sub-criterion's number already says its parent)."""
    for node in nodes:
        number = node[0]
        if not parent_key:
            key = number
        elif "." in number:
            key = f"{parent_key.split('.')[0]}.{number}"
        else:
            key = f"{parent_key}.{number}"
        yield key, parent_key, node
        yield from _walk(node[6], key)


def _lineage(key: str) -> uuid.UUID:
    """The same criterion in every year's criteria (so trends and copies follow it)."""
    return uuid.uuid5(LINEAGE_NAMESPACE, f"cum-4/tieu-chi/{key}")


def _load_criteria(load: _DemoLoader, cluster_year: ClusterYear, published_at) -> CriteriaSet:
    criteria_set = load.put(
        CriteriaSet,
        {"cluster_year": cluster_year, "version": 1},
        {
            "status": CriteriaSet.Status.PUBLISHED,
            "title": f"Bảng tiêu chí đánh giá, chấm điểm thi đua năm {cluster_year.year} "
            "(giả định cho dữ liệu mẫu)",
            "published_at": published_at,
            "published_by": None,
        },
        when=published_at,
        stamps={"created_at": published_at - datetime.timedelta(days=10)},
    )
    nodes: dict[str, Criterion] = {}
    for position, (key, parent_key, node) in enumerate(_walk(CRITERIA), start=1):
        number, text, kind, max_points, evidence, guidance, _children = node
        nodes[key] = load.put(
            Criterion,
            {"criteria_set": criteria_set, "lineage": _lineage(key)},
            {
                "parent": nodes[parent_key] if parent_key else None,
                "number": number,
                "position": position * 10,
                "text": text,
                "guidance": guidance,
                "kind": kind,
                "max_points": _points(max_points),
                "evidence_required": evidence,
            },
        )
    problems = criteria_services.check(criteria_set=criteria_set)
    if problems:
        raise ImproperlyConfigured(f"The demo criteria of {cluster_year.year}: {problems}")
    return criteria_set


def _leaves(criteria_set: CriteriaSet) -> dict[str, Criterion]:
    """Leaf criteria by key, as _walk names them ("II.1.1")."""
    criteria = {c.pk: c for c in criteria_set.criteria.all()}

    def key(criterion: Criterion) -> str:
        parent = criteria.get(criterion.parent_id)
        if parent is None:
            return criterion.number
        if "." in criterion.number:
            return f"{key(parent).split('.')[0]}.{criterion.number}"
        return f"{key(parent)}.{criterion.number}"

    return {
        key(c): c for c in sorted(criteria.values(), key=lambda c: c.position) if not c.is_group
    }


def _self_values(leaves: dict[str, Criterion], losses: dict, extras: dict) -> dict[str, tuple]:
    """key -> (self score, explanation) for every leaf."""
    values = {}
    for key, criterion in leaves.items():
        if criterion.kind in (Criterion.POINTS, Criterion.YES_NO):
            lost = _points(losses.get(key, 0))
            score = criterion.max_points - lost
            if not lost:
                explanation = "Hoàn thành đầy đủ, đúng thời gian quy định."
            elif criterion.kind == Criterion.YES_NO:
                explanation = "Chưa hoàn thành trong năm."
            else:
                explanation = (
                    f"Tự trừ {vn_number(lost)} điểm: còn một số nội dung chậm so với kế hoạch."
                )
        else:
            score = _points(extras.get(key, 0))
            explanation = BONUS_REASONS[key] if score else ""
        values[key] = (score, explanation)
    return values


def _spread(leaves: dict[str, Criterion], loss: Decimal, offset: int) -> dict[str, Decimal]:
    """Distribute a loss over the points criteria, at most 1 point at a time, from `offset`."""
    keys = [k for k, c in leaves.items() if c.kind == Criterion.POINTS]
    losses: dict[str, Decimal] = {}
    index = offset
    while loss > 0:
        key = keys[index % len(keys)]
        step = min(Decimal("1"), loss, leaves[key].max_points - losses.get(key, Decimal("0")))
        if step > 0:
            losses[key] = losses.get(key, Decimal("0")) + step
            loss -= step
        index += 1
    return losses


def _slug(text: str) -> str:
    ascii_text = (
        unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
        .encode("ascii", "ignore")
        .decode()
    )
    return "-".join("".join(ch if ch.isalnum() else " " for ch in ascii_text).lower().split())


def _pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a few lines of text (ASCII: the standard fonts lack Vietnamese)."""
    text = [
        unicodedata.normalize("NFKD", line.replace("đ", "d").replace("Đ", "D"))
        .encode("ascii", "ignore")
        .decode()
        .replace("\\", "\\\\")
        .replace("(", "\\(")
        .replace(")", "\\)")
        for line in lines
    ]
    stream = "BT /F1 12 Tf 16 TL 72 770 Td " + " ".join(f"({line}) Tj T*" for line in text) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R "
        ">> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("ascii")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode("ascii")
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode("ascii")
    return out


def _store(name: str, content: bytes) -> None:
    """Write a generated file under MEDIA_ROOT unless it is already there, unchanged."""
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as existing:
            if existing.read() == content:
                return
        default_storage.delete(name)
    saved = default_storage.save(name, ContentFile(content))
    if saved != name:
        raise ImproperlyConfigured(f"The demo evidence {name} was stored as {saved}.")


def _evidence(load: _DemoLoader, score: Score, key: str, unit, year: int, when, user) -> Evidence:
    name = EVIDENCE_NAMES[key].format(year=year)
    path = f"evidence/demo/{year}/{_slug(unit.short_name)}-{key}.pdf"
    content = _pdf(
        [
            "MINH CHUNG MAU - DU LIEU GIA DINH (demo evidence, invented)",
            unit.name,
            f"Nam {year} - tieu chi {key}",
            name.removesuffix(".pdf"),
        ]
    )
    _store(path, content)
    return load.put(
        Evidence,
        {"score": score, "original_name": name},
        {
            "file": path,
            "size": len(content),
            "sha256": sha256_hex(content),
            "uploaded_by": user,
        },
        when=when,
        user=user,
        stamps={"uploaded_at": when},
    )


def _load_closed_year(
    load: _DemoLoader,
    *,
    cluster_year: ClusterYear,
    criteria_set: CriteriaSet,
    units: dict,
    self_scores: dict[str, dict[str, tuple]],
    adjustments: list,
    officers: dict,
    secretariat,
    leader: str,
    leader_reviewer,
    dates: dict,
) -> dict[str, Scorecard]:
    """Finalised scorecards of a closed year, written row by row in the order things happened:
    opened, self-scored with evidence, submitted, reviewed (adjustments with reasons), answered,
    final scores, finalised."""
    year = cluster_year.year
    leaves = _leaves(criteria_set)
    adjusted = {(unit, key): rest for unit, key, *rest in adjustments}
    scorecards = {}
    for index, (short_name, values) in enumerate(self_scores.items()):
        unit = units[short_name]
        officer = officers.get(short_name)
        reviewer = leader_reviewer if short_name == leader else secretariat
        submitted_at = dates["submitted"] + datetime.timedelta(hours=5 * index)
        scored_at = submitted_at - datetime.timedelta(days=3)
        responded_at = dates["responded"]
        finalised_at = dates["finalised"]
        new_scorecard = not Scorecard.objects.filter(cluster_year=cluster_year, unit=unit).exists()
        scorecard = load.steps(
            Scorecard,
            {"cluster_year": cluster_year, "unit": unit},
            [
                (
                    {"criteria_set": criteria_set, "status": Scorecard.Status.DRAFT},
                    dates["opened"],
                    None,
                    "",
                ),
                (
                    {
                        "status": Scorecard.Status.SUBMITTED,
                        "submitted_at": submitted_at,
                        "submitted_by": officer,
                    },
                    submitted_at,
                    officer,
                    "",
                ),
                ({"status": Scorecard.Status.REVIEWED}, dates["reviewed"], reviewer, ""),
                ({"status": Scorecard.Status.FINALISED}, finalised_at, reviewer, ""),
            ],
        )
        for key, criterion in leaves.items():
            self_score, explanation = values[key]
            steps = [
                (
                    {"self_score": self_score, "explanation": explanation, "revision": 1},
                    scored_at,
                    officer,
                    "",
                )
            ]
            adjustment = adjusted.get((short_name, key))
            reviewed = _points(adjustment[0]) if adjustment else self_score
            review_reason = adjustment[1] if adjustment else ""
            steps.append(
                (
                    {
                        "reviewed_score": reviewed,
                        "review_reason": review_reason,
                        "reviewed_by": reviewer,
                        "reviewed_at": dates["reviewed"],
                        "revision": 2,
                    },
                    dates["reviewed"],
                    reviewer,
                    review_reason,
                )
            )
            revision = 2
            final, final_reason = reviewed, ""
            if adjustment and adjustment[2]:
                revision += 1
                steps.append(
                    (
                        {
                            "unit_response": adjustment[2],
                            "responded_at": responded_at,
                            "revision": revision,
                        },
                        responded_at,
                        officer,
                        "",
                    )
                )
            if adjustment and adjustment[3] is not None:
                revision += 1
                final, final_reason = _points(adjustment[3]), adjustment[4]
            steps.append(
                (
                    {"final_score": final, "final_reason": final_reason, "revision": revision},
                    finalised_at,
                    reviewer,
                    final_reason,
                )
            )
            score = load.steps(
                Score, {"scorecard": scorecard, "criterion": criterion}, steps, new=new_scorecard
            )
            load.stamp(score, {"updated_at": finalised_at}, count=False)
            if criterion.evidence_required:
                _evidence(load, score, key, unit, year, scored_at, officer)
        scorecards[short_name] = scorecard
    return scorecards


def _load_2021(load: _DemoLoader, data: dict, criteria_2020: CriteriaSet) -> dict:
    """2021 in progress: criteria copied from 2020 and published, every scorecard opened;
    Lâm Đồng submitted, Bà Rịa - Vũng Tàu part-way, the others not started."""
    cluster_year = data["years"][2021]
    units = data["units"]
    users = data["users"]
    published_at = _at(2021, 1, 15)
    opened_at = _at(2021, 1, 18)
    if not cluster_year.criteria_sets.exists():
        draft = criteria_services.copy_from_year(
            source_year=criteria_2020.cluster_year, target_year=cluster_year
        )
        criteria_services.publish(criteria_set=draft, user=users["brvt"])
        load.created_now(draft)
        load.created += draft.criteria.count()
        draft.refresh_from_db()
        CriteriaSet.history.filter(id=draft.pk).update(
            history_date=published_at, history_user=users["brvt"]
        )
        load.stamp(
            draft,
            {"created_at": published_at - datetime.timedelta(days=5), "published_at": published_at},
            count=False,
        )
    criteria_set = criteria_services.published_for(cluster_year)
    scorecards = {}
    for unit in sorted(units.values(), key=lambda u: u.pk):
        existed = Scorecard.objects.filter(cluster_year=cluster_year, unit=unit).exists()
        scorecard = scoring_services.open_scorecard(cluster_year=cluster_year, unit=unit)
        if not existed:
            load.created_now(scorecard)
            for score in scorecard.scores.all():
                load.created_now(score)
            Scorecard.history.filter(id=scorecard.pk).update(history_date=opened_at)
            scorecard.scores.update(updated_at=opened_at)
        scorecards[unit.short_name] = scorecard

    leaves = _leaves(criteria_set)
    lamdong = users["lamdong"]
    lam_dong = _self_values(leaves, *LAM_DONG_2021)
    scores = {s.criterion_id: s for s in scorecards["Lâm Đồng"].scores.all()}
    for key, criterion in leaves.items():
        when = _at(2021, 11, 8, 14, 0)
        score = load.put(
            Score,
            {"pk": scores[criterion.pk].pk},
            {"self_score": lam_dong[key][0], "explanation": lam_dong[key][1], "revision": 1},
            when=when,
            user=lamdong,
            stamps={"updated_at": when},
        )
        if criterion.evidence_required:
            _evidence(load, score, key, units["Lâm Đồng"], 2021, when, lamdong)
    submitted_at = _at(2021, 11, 10, 15, 20)
    load.put(
        Scorecard,
        {"pk": scorecards["Lâm Đồng"].pk},
        {
            "status": Scorecard.Status.SUBMITTED,
            "submitted_at": submitted_at,
            "submitted_by": lamdong,
        },
        when=submitted_at,
        user=lamdong,
    )

    brvt = users["brvt"]
    brvt_values = _self_values(leaves, BRVT_2021_LOSSES, {})
    scores = {s.criterion_id: s for s in scorecards["Bà Rịa - Vũng Tàu"].scores.all()}
    for key, criterion in leaves.items():
        if not key.startswith(BRVT_2021_SCORED):
            continue
        when = _at(2021, 11, 12, 10, 30)
        score = load.put(
            Score,
            {"pk": scores[criterion.pk].pk},
            {"self_score": brvt_values[key][0], "explanation": brvt_values[key][1], "revision": 1},
            when=when,
            user=brvt,
            stamps={"updated_at": when},
        )
        if criterion.evidence_required:
            _evidence(load, score, key, units["Bà Rịa - Vũng Tàu"], 2021, when, brvt)
    scorecards = {
        s.unit.short_name: s
        for s in Scorecard.objects.filter(cluster_year=cluster_year).select_related("unit")
    }
    return {"criteria_2021": criteria_set, "scorecards_2021": scorecards}


@transaction.atomic
def load_demo_scorecards(data: dict) -> dict:
    """Load the scorecards demo data (idempotent) on top of clusters.demo.load_demo_data().

    Keys returned: scoring_policy, grade_bands, criteria_2019, criteria_2020, criteria_2021,
    scorecards_2019, scorecards_2020, scorecards_2021 (by unit short name), ranking_2019,
    ranking_2020 (RankingPublication), pledge_2021, campaign_2020, indicator_2018; and stats,
    summary, notes for the load_demo command. Side effects: rows in the scorecards tables and
    their history, and generated evidence PDFs under MEDIA_ROOT/evidence/demo/.
    """
    load = _DemoLoader()
    cluster = data["cluster"]
    units = data["units"]
    users = data["users"]
    years = data["years"]
    officers = {"Bà Rịa - Vũng Tàu": users["brvt"], "Tây Ninh": users["tayninh"]}
    officers["Lâm Đồng"] = users["lamdong"]

    policy = load.put(ScoringPolicy, {"cluster": cluster}, {"tie_breaks": TIE_BREAKS})
    bands = [
        load.put(GradeBand, {"cluster": cluster, "min_total": _points(minimum)}, {"name": name})
        for name, minimum in GRADE_BANDS
    ]

    # 2020: Tây Ninh leads (its officer is the secretariat); Bà Rịa - Vũng Tàu, the standing
    # deputy, reviews Tây Ninh's own scorecard.
    criteria_2020 = _load_criteria(load, years[2020], _at(2020, 3, 16))
    leaves_2020 = _leaves(criteria_2020)
    scorecards_2020 = _load_closed_year(
        load,
        cluster_year=years[2020],
        criteria_set=criteria_2020,
        units=units,
        self_scores={
            unit: _self_values(leaves_2020, losses, extras)
            for unit, (losses, extras) in SCORES_2020.items()
        },
        adjustments=ADJUSTMENTS_2020,
        officers=officers,
        secretariat=users["tayninh"],
        leader="Tây Ninh",
        leader_reviewer=users["brvt"],
        dates={
            "opened": _at(2020, 10, 1),
            "submitted": _at(2020, 11, 10, 8, 30),
            "reviewed": _at(2020, 11, 20, 10, 0),
            "responded": _at(2020, 11, 23, 16, 0),
            "finalised": _at(2020, 11, 27, 15, 0),
        },
    )
    ranking_2020 = load.put(
        RankingPublication,
        {"cluster_year": years[2020]},
        {"published_at": _at(2020, 12, 4, 8, 30), "published_by": users["tayninh"]},
        when=_at(2020, 12, 4, 8, 30),
        user=users["tayninh"],
    )

    # 2019: Đồng Nai leads (no demo account); Tây Ninh, the standing deputy, reviews Đồng Nai.
    criteria_2019 = _load_criteria(load, years[2019], _at(2019, 3, 20))
    leaves_2019 = _leaves(criteria_2019)
    scorecards_2019 = _load_closed_year(
        load,
        cluster_year=years[2019],
        criteria_set=criteria_2019,
        units=units,
        self_scores={
            unit: _self_values(leaves_2019, _spread(leaves_2019, _points(loss), index), extras)
            for index, (unit, (loss, extras)) in enumerate(SCORES_2019.items())
        },
        adjustments=[],
        officers={"Tây Ninh": users["tayninh"]},
        secretariat=None,
        leader="Đồng Nai",
        leader_reviewer=users["tayninh"],
        dates={
            "opened": _at(2019, 10, 1),
            "submitted": _at(2019, 11, 12, 8, 30),
            "reviewed": _at(2019, 11, 22, 10, 0),
            "responded": _at(2019, 11, 25, 16, 0),
            "finalised": _at(2019, 11, 29, 15, 0),
        },
    )
    ranking_2019 = load.put(
        RankingPublication,
        {"cluster_year": years[2019]},
        {"published_at": _at(2019, 12, 6, 14, 0), "published_by": None},
        when=_at(2019, 12, 6, 14, 0),
    )

    result_2021 = _load_2021(load, data, criteria_2020)

    pledge = load.put(
        Pledge, {"cluster_year": years[2021]}, {"text": PLEDGE_2021}, when=_at(2020, 11, 30)
    )
    for index, (short_name, unit) in enumerate(units.items()):
        if short_name in PLEDGE_NOT_SIGNED:
            continue
        signed_at = _at(2020, 12, 7, 8, 0) + datetime.timedelta(hours=7 * index)
        officer = officers.get(short_name)
        load.put(
            PledgeSignature,
            {"pledge": pledge, "unit": unit},
            {"signed_by": officer},
            when=signed_at,
            user=officer,
            stamps={"signed_at": signed_at},
        )

    campaign = load.put(
        Campaign,
        {"cluster_year": years[2020], "title": CAMPAIGN_2020},
        {
            "description": (
                'Phong trào thi đua "Cách làm hay, mô hình mới" năm 2020 của Cụm thi đua số 4. '
                "Theo thông tin đã công bố, 3 tập thể và 4 cá nhân của Cụm được biểu dương ở cấp "
                "Trung ương; các bài dự thi và bài được chọn ở đây là giả định cho dữ liệu mẫu."
            ),
            "start_date": datetime.date(2020, 1, 1),
            "end_date": datetime.date(2020, 10, 31),
        },
        when=_at(2020, 1, 10),
        user=users["tayninh"],
    )
    entries = []
    for short_name, title, description, results, shortlisted, day in CAMPAIGN_ENTRIES_2020:
        submitted_at = datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=TZ)
        officer = officers.get(short_name)
        entries.append(
            load.put(
                CampaignEntry,
                {"campaign": campaign, "unit": units[short_name], "title": title},
                {
                    "description": description,
                    "results": results,
                    "shortlisted": shortlisted,
                    "submitted_by": officer,
                },
                when=submitted_at,
                user=officer,
                stamps={"submitted_at": submitted_at},
            )
        )

    indicator = load.put(
        Indicator,
        {"cluster_year": years[2018], "text": INDICATOR_2018},
        {"kind": Indicator.YES_NO, "as_of": datetime.date(2018, 6, 30)},
        when=_at(2018, 6, 1),
    )
    for short_name, unit in units.items():
        reorganised = short_name in REORGANISED_BY_2018_06_30
        reported_at = _at(2018, 7, 5)
        load.put(
            IndicatorReport,
            {"indicator": indicator, "unit": unit},
            {
                "value_yes": reorganised,
                "note": PUBLISHED if reorganised else INFERRED_NOT_REORGANISED,
                "reported_by": None,
            },
            when=reported_at,
            stamps={"reported_at": reported_at},
        )

    summary = _summary(result_2021["scorecards_2021"], entries, pledge, indicator)
    return {
        "scoring_policy": policy,
        "grade_bands": bands,
        "criteria_2019": criteria_2019,
        "criteria_2020": criteria_2020,
        "scorecards_2019": scorecards_2019,
        "scorecards_2020": scorecards_2020,
        "ranking_2019": ranking_2019,
        "ranking_2020": ranking_2020,
        **result_2021,
        "pledge_2021": pledge,
        "campaign_2020": campaign,
        "campaign_entries_2020": entries,
        "indicator_2018": indicator,
        "stats": {
            "created": load.created,
            "updated": load.updated,
            "changed": load.changed_objects,
        },
        "summary": summary,
        "notes": list(NOTES),
    }


def _summary(scorecards_2021: dict, entries: list, pledge: Pledge, indicator: Indicator) -> list:
    statuses = {
        name: Scorecard.objects.get(pk=scorecard.pk).status
        for name, scorecard in scorecards_2021.items()
    }
    submitted = sorted(
        name for name, status in statuses.items() if status != Scorecard.Status.DRAFT
    )
    signed = pledge.signatures.count()
    yes = indicator.reports.filter(value_yes=True).count()
    return [
        "Bảng tiêu chí 2019, 2020, 2021 (2021 sao chép từ 2020), đã công bố; xếp loại Xuất sắc "
        "≥ 95, Tốt ≥ 85, Khá ≥ 70.",
        "Bảng điểm 2019, 2020: 11 đơn vị, đã chốt điểm, xếp hạng đã công bố (2020: 1. Lâm "
        "Đồng, 2. Tây Ninh; 3 điều chỉnh có lý do, 1 giải trình).",
        f"Bảng điểm 2021: {len(statuses)} đơn vị; đã nộp: {', '.join(submitted)}; Bà Rịa - "
        "Vũng Tàu đang chấm; các đơn vị khác chưa chấm.",
        f"Giao ước thi đua 2021: {signed}/{len(statuses)} đơn vị đã ký; "
        f'"{CAMPAIGN_2020}" 2020: {len(entries)} bài, '
        f"{sum(1 for e in entries if e.shortlisted)} được chọn; "
        f"chỉ tiêu 2018 ({indicator.text.lower()}): {yes}/{indicator.reports.count()}.",
    ]
