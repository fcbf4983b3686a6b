"""Demo data of issue 5 for Cluster No. 4: the eleven units' reports for 2020 and the settings
of the 2020 year-end summary.

Published facts (docs/DEMO_DATA.md): the 2020 report listed achievements, limitations, their
causes, and 7 key tasks for 2021. Everything here is invented (giả định cho dữ liệu mẫu): every
sentence of the units' reports, their key figures, the wording of the 7 key tasks, the number
and symbol of the summary ("35-BC/CTĐ4") and its signer. The texts are written in the style of
such reports and name the work of that year (the 2020-2025 Party congresses, the reorganisation
of the apparatus, admitting members, the Covid-19 epidemic), but no figure in them is real.

All reports are accepted except Bình Phước's, which is submitted and awaits the secretariat, so
the summary shows how it flags a report not yet accepted.

Loading is idempotent, as in clusters.demo: every object is looked up by a natural key (a
report by cluster year and unit, a key figure by report and position), created or brought up
to date, validated with full_clean(), and saved only when something changed. 2020 is closed, so
the rows are written directly.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from awards.demo_conference import SIGNER_2020
from clusters.demo import INVENTED, Loader

from .models import KeyFigure, UnitReport, YearSummary

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SUBMITTED_ONLY = ("Bình Phước",)
SUMMARY_NUMBER_2020 = "35-BC/CTĐ4"

KEY_TASKS_2021 = [
    "Tham mưu cấp ủy quán triệt, triển khai thực hiện Nghị quyết Đại hội XIII của Đảng và nghị "
    "quyết đại hội đảng bộ các cấp nhiệm kỳ 2020 - 2025 về công tác tổ chức xây dựng Đảng.",
    "Phục vụ tốt công tác nhân sự bầu cử đại biểu Quốc hội khóa XV và đại biểu Hội đồng nhân "
    "dân các cấp nhiệm kỳ 2021 - 2026.",
    "Tiếp tục sắp xếp, tinh gọn tổ chức bộ máy của hệ thống chính trị hoạt động hiệu lực, hiệu "
    "quả; thực hiện tinh giản biên chế đúng lộ trình.",
    "Làm tốt công tác quy hoạch, đào tạo, bồi dưỡng, luân chuyển, đánh giá cán bộ; xây dựng "
    "đội ngũ cán bộ các cấp, nhất là cán bộ chiến lược, đủ phẩm chất, năng lực, uy tín.",
    "Nâng cao chất lượng sinh hoạt chi bộ và chất lượng đảng viên; kết nạp đảng viên đạt và "
    "vượt chỉ tiêu nghị quyết.",
    'Đẩy mạnh phong trào thi đua "Cách làm hay, mô hình mới"; nhân rộng các mô hình đã được '
    "biểu dương trong Cụm.",
    "Thực hiện nghiêm chế độ thông tin, báo cáo; tham gia đầy đủ, có chất lượng các hoạt động "
    "của Cụm thi đua năm 2021.",
]

# unit -> (achievements, limitations, causes, lessons, proposals, key figures). Invented.
REPORTS_2020 = {
    "Tiền Giang": (
        "Tham mưu Ban Thường vụ Tỉnh ủy chỉ đạo tổ chức thành công đại hội đảng bộ các cấp "
        "nhiệm kỳ 2020 - 2025, đúng tiến độ và hướng dẫn của Trung ương. Hoàn thành số hóa hồ "
        "sơ cán bộ thuộc diện Ban Thường vụ Tỉnh ủy quản lý. Kết nạp 2.146 đảng viên, đạt 107% "
        "chỉ tiêu nghị quyết.",
        "Việc sắp xếp các đơn vị sự nghiệp công lập ở một số huyện còn chậm. Chất lượng sinh "
        "hoạt chi bộ ở một số chi bộ ấp, khu phố chưa cao.",
        "Một số cấp ủy cơ sở chưa quan tâm đúng mức đến đổi mới nội dung sinh hoạt chi bộ; "
        "việc hướng dẫn của cấp trên có lúc chưa kịp thời.",
        "Bám sát chỉ đạo của Trung ương và Tỉnh ủy, chủ động tham mưu từ sớm; phân công rõ "
        "người, rõ việc, rõ thời hạn.",
        "Đề nghị Ban Tổ chức Trung ương sớm ban hành hướng dẫn về sắp xếp các đơn vị sự nghiệp "
        "công lập thuộc cấp huyện.",
        [
            ("Đảng viên mới kết nạp", "2146", "người"),
            ("Hồ sơ cán bộ được số hóa", "1380", "hồ sơ"),
            ("Tỷ lệ chỉ tiêu kết nạp đảng viên", "107", "%"),
        ],
    ),
    "Bình Dương": (
        "Tham mưu ban hành quy định về đánh giá cán bộ hằng quý bằng sản phẩm cụ thể. Tổ chức "
        "đại hội đảng bộ các cấp an toàn, đúng kế hoạch trong điều kiện phòng, chống dịch "
        "Covid-19. Phát triển đảng viên trong doanh nghiệp ngoài khu vực nhà nước có chuyển "
        "biến.",
        "Tỷ lệ kết nạp đảng viên đến cuối tháng 10 chưa đạt chỉ tiêu nghị quyết. Một số tổ "
        "chức cơ sở đảng trong doanh nghiệp hoạt động còn hình thức.",
        "Lực lượng lao động biến động lớn do dịch bệnh; chủ doanh nghiệp ngoài nhà nước chưa "
        "thật sự quan tâm đến việc thành lập tổ chức đảng.",
        "Đánh giá cán bộ phải gắn với kết quả, sản phẩm cụ thể; phối hợp chặt chẽ với chủ "
        "doanh nghiệp trong tạo nguồn phát triển đảng viên.",
        "Đề nghị Trung ương có cơ chế đặc thù về tổ chức đảng trong doanh nghiệp có vốn đầu tư "
        "nước ngoài.",
        [
            ("Đảng viên mới kết nạp", "1912", "người"),
            ("Tổ chức đảng mới thành lập trong doanh nghiệp", "14", "tổ chức"),
        ],
    ),
    "Long An": (
        "Tham mưu tổ chức thành công Đại hội đại biểu Đảng bộ tỉnh lần thứ XI. Hoàn thành sắp "
        "xếp, kiện toàn bộ máy các cơ quan tham mưu, giúp việc của cấp ủy cấp huyện. Triển khai "
        'thí điểm mô hình "Sổ tay đảng viên điện tử" tại 2 đảng bộ huyện.',
        "Công tác quy hoạch cán bộ nữ, cán bộ trẻ ở cơ sở chưa đạt tỷ lệ đề ra. Việc cập nhật "
        "cơ sở dữ liệu đảng viên ở một số nơi chưa kịp thời.",
        "Nguồn cán bộ trẻ, cán bộ nữ ở cơ sở còn ít; cán bộ làm công tác đảng viên ở cơ sở "
        "kiêm nhiệm nhiều việc.",
        "Ứng dụng công nghệ thông tin phải đi đôi với bồi dưỡng kỹ năng cho cán bộ cơ sở.",
        "Đề nghị nâng cấp phần mềm quản lý cơ sở dữ liệu đảng viên dùng chung, cho phép cập "
        "nhật trực tuyến từ cơ sở.",
        [
            ("Đảng viên mới kết nạp", "1458", "người"),
            ("Cơ quan tham mưu cấp huyện đã sắp xếp", "30", "cơ quan"),
            ("Chi bộ dùng sổ tay đảng viên điện tử", "126", "chi bộ"),
        ],
    ),
    "Tây Ninh": (
        "Là Cụm trưởng năm 2020, điều hành các hoạt động của Cụm đúng kế hoạch, tổ chức Hội "
        'nghị tổng kết chu đáo. Xây dựng và áp dụng quy trình "5 bước" thẩm định nhân sự cấp '
        "ủy, không có trường hợp phải thay thế sau đại hội. Hoàn thành 100% kế hoạch kiểm tra, "
        "giám sát của Ban Thường vụ Tỉnh ủy về công tác tổ chức, cán bộ.",
        "Báo cáo sơ kết 6 tháng gửi Cụm còn chậm so với thời hạn. Công tác luân chuyển cán bộ "
        "từ tỉnh về cơ sở chưa nhiều.",
        "Khối lượng công việc chuẩn bị đại hội lớn, cùng lúc với nhiệm vụ của Cụm trưởng; số "
        "cán bộ đủ điều kiện luân chuyển còn ít.",
        "Thẩm định nhân sự kỹ, chặt chẽ từ đầu là điều kiện để đại hội thành công; sự phối hợp "
        "giữa các đơn vị trong Cụm giúp hoàn thành tốt nhiệm vụ chung.",
        "Đề nghị Cụm duy trì trao đổi kinh nghiệm trực tuyến hằng quý giữa các đơn vị.",
        [
            ("Nhân sự cấp ủy được thẩm định", "2310", "người"),
            ("Cuộc kiểm tra, giám sát về công tác tổ chức, cán bộ", "24", "cuộc"),
        ],
    ),
    "Đồng Nai": (
        "Tham mưu ban hành đề án nâng cao chất lượng sinh hoạt chi bộ giai đoạn 2020 - 2025. "
        "Thực hiện tinh giản biên chế vượt lộ trình. Tổ chức bồi dưỡng nghiệp vụ công tác tổ "
        "chức cho cán bộ cấp huyện, cấp xã.",
        "Việc đánh giá, xếp loại chất lượng tổ chức đảng ở một số nơi còn nể nang. Tiến độ "
        "giải quyết một số việc về chính sách cán bộ còn chậm.",
        "Tâm lý ngại va chạm của một bộ phận cán bộ; hồ sơ chính sách cán bộ tồn đọng từ trước "
        "cần nhiều thời gian xác minh.",
        "Phải gắn đánh giá tổ chức đảng với kết quả thực hiện nhiệm vụ chính trị của địa "
        "phương, đơn vị.",
        "Đề nghị Trung ương hướng dẫn tiêu chí đánh giá, xếp loại tổ chức đảng gắn với sản "
        "phẩm cụ thể.",
        [
            ("Cán bộ cấp huyện, xã được bồi dưỡng nghiệp vụ", "1250", "người"),
            ("Tỷ lệ tinh giản biên chế so với năm 2015", "10.5", "%"),
        ],
    ),
    "Bình Phước": (
        "Hoàn thành sắp xếp các cơ quan tham mưu, giúp việc của Tỉnh ủy theo Nghị quyết số "
        "18-NQ/TW. Đại hội đảng bộ các cấp tổ chức đúng tiến độ. Tỷ lệ tổ chức cơ sở đảng hoàn "
        "thành tốt nhiệm vụ trở lên tăng so với năm 2019.",
        "Kết nạp đảng viên ở vùng đồng bào dân tộc thiểu số còn khó khăn. Báo cáo gửi Cụm một "
        "số lần chưa đúng thời hạn.",
        "Nguồn quần chúng ưu tú ở vùng sâu, vùng xa ít; cán bộ theo dõi công tác thi đua của "
        "Cụm thay đổi trong năm.",
        "Cần bố trí cán bộ ổn định theo dõi công tác thi đua, bảo đảm chế độ thông tin, báo cáo.",
        "Đề nghị Cụm tổ chức trao đổi kinh nghiệm phát triển đảng viên ở vùng đồng bào dân tộc "
        "thiểu số.",
        [
            ("Đảng viên mới kết nạp", "986", "người"),
            ("Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên", "88.6", "%"),
        ],
    ),
    "Bà Rịa - Vũng Tàu": (
        "Là Cụm phó Thường trực, phối hợp tốt với Cụm trưởng và thẩm định bảng điểm của đơn vị "
        "Cụm trưởng khách quan. Tham mưu tổ chức thành công đại hội đảng bộ các cấp; hoàn "
        "thành quy hoạch cán bộ nhiệm kỳ 2020 - 2025 và 2021 - 2026. Chuẩn hóa cơ sở dữ liệu "
        "đảng viên toàn tỉnh.",
        "Việc luân chuyển cán bộ giữa các ngành còn ít. Một số mô hình mới chưa được tổng kết "
        "để nhân rộng.",
        "Cơ chế luân chuyển giữa các ngành chưa đồng bộ; việc tổng kết mô hình chưa được quan "
        "tâm đúng mức.",
        "Chuẩn bị kỹ từ khâu quy hoạch thì công tác nhân sự đại hội mới chủ động.",
        "Đề nghị Cụm tổ chức hội thảo chuyên đề về luân chuyển cán bộ trong năm 2021.",
        [
            ("Đảng viên mới kết nạp", "1604", "người"),
            ("Cán bộ được luân chuyển", "42", "người"),
            ("Hồ sơ đảng viên được chuẩn hóa", "56280", "hồ sơ"),
        ],
    ),
    "Lâm Đồng": (
        "Đi đầu trong Cụm về chuyển đổi số công tác đảng viên: quản lý hồ sơ đảng viên và sinh "
        "hoạt chi bộ trên nền tảng số, được biểu dương ở cấp Trung ương. Tham mưu tổ chức đại "
        "hội đảng bộ các cấp đạt kết quả toàn diện. Hoàn thành sắp xếp tổ chức bộ máy từ năm "
        "2018.",
        "Một số chi bộ ở vùng sâu chưa đủ điều kiện hạ tầng để sinh hoạt trên nền tảng số. Việc "
        "đánh giá cán bộ ở một số cơ quan còn chung chung.",
        "Hạ tầng mạng ở vùng sâu, vùng xa chưa đồng bộ; tiêu chí đánh giá cán bộ chưa được lượng "
        "hóa đầy đủ.",
        "Chuyển đổi số phải đi từ nhu cầu thực tế của chi bộ, có lộ trình và sự vào cuộc của "
        "người đứng đầu.",
        "Đề nghị nhân rộng mô hình quản lý sinh hoạt chi bộ trên nền tảng số trong Cụm.",
        [
            ("Chi bộ sinh hoạt trên nền tảng số", "1046", "chi bộ"),
            ("Đảng viên mới kết nạp", "1327", "người"),
            ("Thời gian tổng hợp báo cáo giảm", "50", "%"),
        ],
    ),
    "Ninh Thuận": (
        "Hoàn thành sắp xếp, kiện toàn tổ chức bộ máy các cơ quan đảng cấp tỉnh, cấp huyện. Đại "
        "hội đảng bộ các cấp thành công, đúng kế hoạch. Chú trọng phát triển đảng viên là người "
        "đồng bào Chăm, Raglai.",
        "Chất lượng đội ngũ cán bộ cơ sở chưa đồng đều. Việc ứng dụng công nghệ thông tin trong "
        "quản lý đảng viên còn hạn chế.",
        "Điều kiện kinh tế - xã hội còn khó khăn; kinh phí đầu tư cho ứng dụng công nghệ thông "
        "tin hạn chế.",
        "Phải quan tâm đào tạo cán bộ người đồng bào dân tộc thiểu số tại chỗ.",
        "Đề nghị Trung ương hỗ trợ kinh phí đào tạo cán bộ cơ sở vùng đồng bào dân tộc thiểu số.",
        [
            ("Đảng viên mới kết nạp", "812", "người"),
            ("Đảng viên người dân tộc thiểu số mới kết nạp", "96", "người"),
        ],
    ),
    "Bình Thuận": (
        "Thành lập mới 3 chi bộ trong doanh nghiệp ngoài khu vực nhà nước. Tham mưu tổ chức đại "
        "hội đảng bộ các cấp đúng tiến độ, bảo đảm an toàn. Thực hiện tốt công tác bảo vệ chính "
        "trị nội bộ.",
        "Chế độ báo cáo định kỳ gửi Cụm có lúc chậm. Việc sơ kết, tổng kết các chuyên đề còn "
        "chưa sâu.",
        "Cán bộ tham mưu kiêm nhiệm nhiều việc trong năm đại hội.",
        "Phát triển đảng viên trong doanh nghiệp cần sự đồng thuận của chủ doanh nghiệp và tổ "
        "chức công đoàn.",
        "Đề nghị Cụm tiếp tục chia sẻ các biểu mẫu báo cáo dùng chung.",
        [
            ("Đảng viên mới kết nạp", "1102", "người"),
            ("Chi bộ mới thành lập trong doanh nghiệp", "3", "chi bộ"),
        ],
    ),
    "TP. Hồ Chí Minh": (
        "Tham mưu tổ chức thành công Đại hội đại biểu Đảng bộ Thành phố lần thứ XI. Triển khai "
        "mô hình chính quyền đô thị, sắp xếp tổ chức bộ máy tương ứng. Kết nạp đảng viên đạt chỉ "
        "tiêu nghị quyết.",
        "Tỷ lệ tổ chức đảng trong doanh nghiệp ngoài khu vực nhà nước còn thấp. Việc đánh giá "
        "cán bộ theo sản phẩm cụ thể mới ở bước đầu.",
        "Số lượng doanh nghiệp lớn, biến động nhanh; chưa có hướng dẫn thống nhất về đánh giá "
        "cán bộ theo sản phẩm.",
        "Chủ động đề xuất mô hình tổ chức phù hợp với đặc thù đô thị đặc biệt.",
        "Đề nghị Trung ương sớm tổng kết thí điểm mô hình chính quyền đô thị về công tác tổ "
        "chức, cán bộ.",
        [
            ("Đảng viên mới kết nạp", "7845", "người"),
            ("Tổ chức đảng trong doanh nghiệp ngoài nhà nước", "1210", "tổ chức"),
            ("Tỷ lệ chỉ tiêu kết nạp đảng viên", "100.4", "%"),
            ("Cán bộ diện Thành ủy quản lý được đánh giá", "3920", "người"),
        ],
    ),
}

NOTES = [
    "Báo cáo năm 2020 của 11 đơn vị (kết quả, hạn chế, nguyên nhân, bài học, kiến nghị, số "
    "liệu chủ yếu), 7 nhiệm vụ trọng tâm năm 2021 (công bố: 7 nhiệm vụ; nội dung là giả "
    "định), số ký hiệu 35-BC/CTĐ4 và người ký Báo cáo tổng kết là giả định (invented).",
]


def _at(year, month, day, hour=9) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, 0, tzinfo=TZ)


@transaction.atomic
def load_demo_reports(data: dict) -> dict:
    """Load the reports demo data (idempotent) on top of the clusters, scorecards and awards
    loaders.

    Keys returned: unit_reports_2020 (by unit short name), year_summary_2020; and stats, summary,
    notes for the load_demo command. Side effects: rows in the reports tables and their history.
    """
    load = Loader()
    units = data["units"]
    users = data["users"]
    year = data["years"][2020]
    officers = {
        "Bà Rịa - Vũng Tàu": users["brvt"],
        "Tây Ninh": users["tayninh"],
        "Lâm Đồng": users["lamdong"],
    }
    secretary = users["tayninh"]  # the 2020 leader's officer

    reports = {}
    for index, (short_name, entry) in enumerate(REPORTS_2020.items()):
        achievements, limitations, causes, lessons, proposals, figures = entry
        submitted_at = _at(2020, 11, 16, 8) + datetime.timedelta(hours=5 * index)
        accepted = short_name not in SUBMITTED_ONLY
        reports[short_name] = report = load.upsert(
            UnitReport,
            {"cluster_year": year, "unit": units[short_name]},
            {
                "achievements": achievements,
                "limitations": limitations,
                "causes": causes,
                "lessons": lessons,
                "proposals": proposals,
                "status": UnitReport.Status.ACCEPTED if accepted else UnitReport.Status.SUBMITTED,
                "revision": 1,
                "submitted_at": submitted_at,
                "submitted_by": officers.get(short_name),
                "returned_reason": "",
                "accepted_at": _at(2020, 11, 25, 15) if accepted else None,
                "accepted_by": secretary if accepted else None,
            },
        )
        for position, (label, value, measure) in enumerate(figures, start=1):
            load.upsert(
                KeyFigure,
                {"report": report, "position": position},
                {"label": label, "value": Decimal(value), "measure": measure},
            )
        report.figures.filter(position__gt=len(figures)).delete()

    summary = load.upsert(
        YearSummary,
        {"cluster_year": year},
        {
            "number": SUMMARY_NUMBER_2020,
            "key_tasks": "\n".join(KEY_TASKS_2021),
            "signer_name": SIGNER_2020,
        },
    )
    accepted = sum(1 for r in reports.values() if r.status == UnitReport.Status.ACCEPTED)
    return {
        "unit_reports_2020": reports,
        "year_summary_2020": summary,
        "stats": {
            "created": load.created,
            "updated": load.updated,
            "changed": load.changed_objects,
        },
        "summary": [
            f"Báo cáo năm 2020: {len(reports)} đơn vị ({accepted} đã duyệt, "
            f"{len(reports) - accepted} chờ duyệt: {', '.join(SUBMITTED_ONLY)}); Báo cáo tổng "
            f"kết số {SUMMARY_NUMBER_2020} với {len(KEY_TASKS_2021)} nhiệm vụ trọng tâm năm 2021.",
        ],
        "notes": [*NOTES, f"{INVENTED}: toàn bộ nội dung báo cáo của các đơn vị năm 2020."],
    }
