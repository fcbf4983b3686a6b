"""Criteria to and from Excel: the round trip, bad rows listed and nothing imported, hostile files
refused with a clear message."""

import datetime
import io
import os
import re
import zipfile
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from clusters.models import ClusterYear
from scorecards.models import CriteriaSet
from scorecards.services import criteria as criteria_services
from scorecards.services.criteria_excel import COLUMNS, parse_workbook
from tests.clusters.factories import ClusterYearFactory, assign, make_cluster, officer
from tests.scorecards.factories import make_criteria

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    cluster, units = make_cluster(3)
    y2020 = ClusterYearFactory(cluster=cluster, year=2020, status=ClusterYear.Status.CLOSED)
    assign(y2020, "leader", units[1])
    y2021 = ClusterYearFactory(cluster=cluster, year=2021)
    assign(y2021, "leader", units[0])
    return {
        "y2020": y2020,
        "y2021": y2021,
        "secretary": officer(units[0]),
        "officer": officer(units[2]),
    }


def url(name, cluster_year, **kwargs):
    return reverse(
        f"scorecards:{name}",
        kwargs={"cluster": cluster_year.cluster.uuid, "year": cluster_year.year, **kwargs},
    )


def texts(response) -> list[str]:
    """The messages this request added (not those left over from earlier redirects)."""
    return [str(m) for m in get_messages(response.wsgi_request)._queued_messages]


def tree_of(criteria_set) -> list[tuple]:
    labels = {}
    rows = []
    for c in criteria_set.criteria.order_by("position"):
        label = f"{labels[c.parent_id]}.{c.number}" if c.parent_id else c.number
        labels[c.pk] = label
        rows.append((label, c.text, c.guidance, c.kind, c.max_points, c.evidence_required))
    return rows


def xlsx(rows, header=COLUMNS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if header:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def rezip(data: bytes, add: dict[str, bytes] | None = None, replace=None, stored=()) -> bytes:
    """The same .xlsx with members added or replaced."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if replace and item.filename in replace:
                content = replace[item.filename]
            target.writestr(item.filename, content)
        for name, content in (add or {}).items():
            compression = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            target.writestr(name, content, compress_type=compression)
    return output.getvalue()


def upload(client, cluster_year, data: bytes, name="bang-tieu-chi.xlsx", **fields):
    return client.post(
        url("criteria_import", cluster_year),
        {"file": SimpleUploadedFile(name, data), **fields},
    )


GOOD_ROWS = [
    ["I", "", "Công tác tham mưu", "Theo kế hoạch năm", "Nhóm tiêu chí", 60, "Không"],
    ["1", "I", "Tham mưu ban hành văn bản", "", "Chấm điểm trong khung", "37,5", "Có"],
    ["2", "I", "Hoàn thành sắp xếp bộ máy", "", "Có/Không", 22.5, ""],
    ["II", "", "Điểm thưởng", "", "Nhóm tiêu chí", None, "Không"],
    ["a", "II", "Mô hình mới được nhân rộng", "", "Điểm thưởng", 10, "Có"],
]


def test_export_then_import_gives_the_same_tree(client, world):
    source = make_criteria(world["y2020"])
    source.criteria.filter(number="1").update(guidance="=Chấm theo văn bản ban hành")
    client.force_login(world["officer"])
    response = client.get(url("criteria_export", world["y2020"], version=1))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    number = world["y2020"].cluster.number
    assert response["Content-Disposition"] == (
        f'attachment; filename="bang-tieu-chi-cum-{number}-2020-v1.xlsx"'
    )
    exported = response.content
    sheet = load_workbook(io.BytesIO(exported)).active
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        COLUMNS,
        ["I", None, "Công tác tham mưu", None, "Nhóm tiêu chí", 60, "Không"],
        [
            "1",
            "I",
            "Tham mưu ban hành văn bản",
            "=Chấm theo văn bản ban hành",
            "Chấm điểm trong khung",
            40,
            "Có",
        ],
        ["2", "I", "Hoàn thành sắp xếp bộ máy", None, "Có/Không", 20, "Không"],
        ["II", None, "Điểm thưởng", None, "Nhóm tiêu chí", 10, "Không"],
        ["a", "II", "Mô hình mới được nhân rộng", None, "Điểm thưởng", 10, "Không"],
        ["III", None, "Điểm trừ", None, "Nhóm tiêu chí", 5, "Không"],
        ["a", "III", "Chậm gửi báo cáo", None, "Điểm trừ", 5, "Không"],
    ]
    # The guidance that starts with "=" stayed text: it is not a formula in the file.
    assert sheet["D3"].data_type == "s"

    y = world["y2021"]
    client.force_login(world["secretary"])
    preview = upload(client, y, exported)
    assert preview.status_code == 200
    parsed = preview.context["parsed"]
    assert parsed.bad_rows == []
    assert [(r.row, r.path, r.depth) for r in parsed.rows] == [
        (2, "I", 0),
        (3, "I.1", 1),
        (4, "I.2", 1),
        (5, "II", 0),
        (6, "II.a", 1),
        (7, "III", 0),
        (8, "III.a", 1),
    ]
    assert "Nhập 7 dòng" in preview.content.decode()
    assert not y.criteria_sets.exists()  # the preview writes nothing

    response = client.post(url("criteria_import_confirm", y), {"token": preview.context["token"]})
    assert response.status_code == 302
    assert texts(response) == ["Đã nhập 7 dòng vào bản nháp (phiên bản 1)."]
    draft = y.criteria_sets.get()
    assert draft.status == CriteriaSet.Status.DRAFT
    assert tree_of(draft) == tree_of(source)
    # The pending file is gone from the session: the same token cannot import twice.
    again = client.post(url("criteria_import_confirm", y), {"token": preview.context["token"]})
    assert texts(again) == ["Bản xem trước đã hết hiệu lực: hãy tải tệp lên lại."]


def test_reimporting_the_published_criteria_makes_a_new_version_that_keeps_lineages(client, world):
    y = world["y2021"]
    published = make_criteria(y)
    client.force_login(world["secretary"])
    exported = client.get(url("criteria_export", y, version=1)).content
    edited = load_workbook(io.BytesIO(exported))
    edited.active["F6"] = 8  # bonus a: 10 -> 8
    edited.active["F5"] = 8  # group II: 10 -> 8
    output = io.BytesIO()
    edited.save(output)

    response = upload(client, y, output.getvalue())
    assert response.context["form"].errors == {"reason": ["Nêu lý do ban hành phiên bản mới."]}
    preview = upload(client, y, output.getvalue(), reason="Giảm điểm thưởng")
    assert preview.context["parsed"].bad_rows == []
    client.post(url("criteria_import_confirm", y), {"token": preview.context["token"]})

    draft = y.criteria_sets.get(status=CriteriaSet.Status.DRAFT)
    assert (draft.version, draft.change_reason) == (2, "Giảm điểm thưởng")
    assert [row[4] for row in tree_of(draft)] == [
        Decimal("60"),
        Decimal("40"),
        Decimal("20"),
        Decimal("8"),
        Decimal("8"),
        Decimal("5"),
        Decimal("5"),
    ]
    lineage = dict(published.criteria.values_list("text", "lineage"))
    assert dict(draft.criteria.values_list("text", "lineage")) == lineage
    assert criteria_services.check(criteria_set=draft) == []


def test_vietnamese_numbers_and_empty_group_maxima(client, world):
    parsed = parse_workbook(xlsx(GOOD_ROWS))
    assert parsed.bad_rows == []
    assert [(r.path, r.max_points, r.evidence_required) for r in parsed.rows] == [
        ("I", Decimal("60"), False),
        ("I.1", Decimal("37.50"), True),  # "37,5" typed as text
        ("I.2", Decimal("22.50"), False),  # 22.5 typed as a number
        ("II", Decimal("10.00"), False),  # empty: the sum of its criteria
        ("II.a", Decimal("10"), True),
    ]
    # Excel turns "1.1" typed in a cell into the number 1.1: it is read back as "1.1".
    parsed = parse_workbook(
        xlsx(
            [
                ["1", "", "Nhóm", "", "nhóm tiêu chí", 2, ""],
                [1.1, 1, "Tiêu chí", "", "CÓ/KHÔNG", 2, "x"],
            ]
        )
    )
    assert parsed.bad_rows == []
    assert [(r.path, r.kind) for r in parsed.rows] == [("1", "group"), ("1.1.1", "yes_no")]


def test_bad_rows_are_listed_and_nothing_is_imported(client, world):
    y = world["y2021"]
    rows = [
        ["I", "", "Nhóm I", "", "Nhóm tiêu chí", 20, ""],  # 2
        ["1", "I", "Tiêu chí 1", "", "Chấm điểm trong khung", 5, "Có"],  # 3
        ["1", "I", "Trùng số", "", "Chấm điểm trong khung", 1, ""],  # 4
        ["3", "IV", "Cha không có", "", "Chấm điểm trong khung", 1, ""],  # 5
        ["4", "I", "Loại lạ", "", "Điểm cộng", 1, ""],  # 6
        ["5", "I", "Điểm chữ", "", "Chấm điểm trong khung", "mười", ""],  # 7
        ["6", "I", "Điểm âm", "", "Chấm điểm trong khung", -2, ""],  # 8
        ["7", "I", "", "", "Chấm điểm trong khung", 1, ""],  # 9
        ["8", "I", "Công thức", "", "Chấm điểm trong khung", "=1+1", ""],  # 10
        ["9", "I.1", "Dưới một tiêu chí", "", "Chấm điểm trong khung", 1, ""],  # 11
        ["10", "I", "Minh chứng lạ", "", "Chấm điểm trong khung", 1, "Chắc chắn"],  # 12
        ["II", "", "Điểm thưởng", "", "Nhóm tiêu chí", 10, ""],  # 13
        ["a", "II", "Thưởng a", "", "Điểm thưởng", 4, ""],  # 14
        ["b", "II", "Thưởng b", "", "Điểm thưởng", "4,0", ""],  # 15
        ["III", "", "Nhóm rỗng", "", "Nhóm tiêu chí", 5, ""],  # 16
        ["", "", "Không số", "", "Chấm điểm trong khung", 1, ""],  # 17
        ["11", "I", "Hai số lẻ", "", "Chấm điểm trong khung", "1,255", ""],  # 18
        ["12", "I", "Thiếu điểm", "", "Chấm điểm trong khung", None, ""],  # 19
        ["13", "I", "x" * 4001, "", "Chấm điểm trong khung", 1, ""],  # 20
    ]
    client.force_login(world["secretary"])
    criteria_services.add_criterion(
        criteria_set=criteria_services.draft_for(cluster_year=y),
        parent=None,
        number="I",
        text="Bản nháp đang có",
        kind="group",
        max_points=Decimal("10"),
    )
    response = upload(client, y, xlsx(rows))
    assert response.status_code == 200
    bad = [(b.row, b.message) for b in response.context["parsed"].bad_rows]
    assert bad == [
        (4, "Số thứ tự 1 đã được dùng trong cùng cấp cha (dòng 3)."),
        (5, "Không tìm thấy cấp cha “IV” ở các dòng phía trên."),
        (
            6,
            "Loại “Điểm cộng” không hợp lệ: hãy ghi một trong các loại “Nhóm tiêu chí”, "
            "“Chấm điểm trong khung”, “Có/Không”, “Điểm thưởng”, “Điểm trừ”.",
        ),
        (7, "Điểm tối đa “mười” không phải là số."),
        (8, "Điểm tối đa không được là số âm."),
        (9, "Nội dung tiêu chí đang để trống."),
        (10, "Cột “Điểm tối đa” chứa công thức: hãy nhập trực tiếp giá trị."),
        (11, "Cấp cha “I.1” (dòng 3) không phải là nhóm tiêu chí."),
        (12, "Cột “Bắt buộc minh chứng” ghi “Có” hoặc “Không”, không ghi “Chắc chắn”."),
        (13, "Nhóm II: tổng điểm tối đa của các tiêu chí là 8, nhưng điểm tối đa của nhóm là 10."),
        (16, "Nhóm III chưa có tiêu chí nào."),
        (17, "Số thứ tự (“Số TT”) đang để trống."),
        (18, "Điểm tối đa chỉ được có tối đa hai chữ số thập phân."),
        (19, "Điểm tối đa đang để trống."),
        (20, "Cột “Nội dung tiêu chí” dài quá 4000 ký tự."),
    ]
    page = " ".join(response.content.decode().split())
    assert "Dòng 7: Điểm tối đa “mười” không phải là số." in page
    assert "15 lỗi: không nhập gì cho đến khi sửa xong trong tệp" in page
    assert response.context["token"] == ""
    assert 'name="token"' not in page  # no confirm button
    # Confirming anyway (a forged or stale token) imports nothing either.
    response = client.post(url("criteria_import_confirm", y), {"token": "0" * 64})
    assert texts(response) == ["Bản xem trước đã hết hiệu lực: hãy tải tệp lên lại."]
    draft = y.criteria_sets.get()
    assert [row[1] for row in tree_of(draft)] == ["Bản nháp đang có"]


def test_the_import_replaces_the_draft_all_or_nothing(client, world):
    y = world["y2021"]
    client.force_login(world["secretary"])
    draft = criteria_services.draft_for(cluster_year=y)
    criteria_services.add_criterion(
        criteria_set=draft,
        parent=None,
        number="I",
        text="Sẽ bị thay",
        kind="group",
        max_points=Decimal("10"),
    )
    preview = upload(client, y, xlsx(GOOD_ROWS))
    assert "Việc nhập sẽ thay thế bản nháp (phiên bản 1) cùng 1 mục hiện có." in " ".join(
        preview.content.decode().split()
    )
    maxima = re.findall(r'<td class="cell-num">([^<]*)</td>', preview.content.decode())
    assert maxima == ["60", "37,5", "22,5", "10", "10"]  # written the Vietnamese way
    # Someone publishes the draft meanwhile: the confirmation would now need a new version,
    # and without a reason it imports nothing at all.
    draft.criteria.all().delete()
    criteria_services.add_criterion(
        criteria_set=draft,
        parent=None,
        number="I",
        text="Đã công bố",
        kind="group",
        max_points=Decimal("1"),
    )
    root = draft.criteria.get()
    criteria_services.add_criterion(
        criteria_set=draft, parent=root, number="1", text="Một", kind="points", max_points=1
    )
    criteria_services.publish(criteria_set=draft, user=None)
    response = client.post(url("criteria_import_confirm", y), {"token": preview.context["token"]})
    assert texts(response) == ["Nêu lý do ban hành phiên bản mới."]
    assert list(y.criteria_sets.values_list("version", "status")) == [(1, "published")]

    preview = upload(client, y, xlsx(GOOD_ROWS), reason="Bổ sung")
    client.post(url("criteria_import_confirm", y), {"token": preview.context["token"]})
    new = y.criteria_sets.get(status=CriteriaSet.Status.DRAFT)
    assert [row[0] for row in tree_of(new)] == ["I", "I.1", "I.2", "II", "II.a"]


def bomb_member() -> bytes:
    return b"\0" * (20 * 1024 * 1024)


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>'
)

NOT_A_DOCUMENT = "Tệp này không phải là tài liệu PDF, Word, Excel, JPG hoặc PNG."
UNREADABLE = "Không đọc được tệp này như một tệp Excel."


def hostile_files():
    good = xlsx(GOOD_ROWS)
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("readme.txt", "không phải Excel")
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    many_rows = xlsx([[str(i), "", f"Nhóm {i}", "", "Nhóm tiêu chí", 1, ""] for i in range(2001)])
    far = Workbook()
    far.active.append(COLUMNS)
    far.active.cell(row=1_000_000, column=1, value="1")
    far_bytes = io.BytesIO()
    far.save(far_bytes)
    return [
        ("not a zip", b"Day khong phai tep Excel", "tieu-chi.xlsx", NOT_A_DOCUMENT),
        ("a zip that is not xlsx", plain_zip.getvalue(), "tieu-chi.xlsx", NOT_A_DOCUMENT),
        (
            "a Word file",
            docx.getvalue(),
            "tieu-chi.docx",
            "Chỉ có thể nhập tệp Excel (.xlsx) tại đây.",
        ),
        (
            "a PDF",
            b"%PDF-1.4\n%%EOF\n",
            "tieu-chi.pdf",
            "Chỉ có thể nhập tệp Excel (.xlsx) tại đây.",
        ),
        (
            "an xlsx under another name",
            good,
            "tieu-chi.pdf",
            "Nội dung tệp không khớp với phần mở rộng của tên tệp (.pdf).",
        ),
        (
            "a huge-row sheet",
            many_rows,
            "tieu-chi.xlsx",
            "Trang tính có hơn 2000 dòng; một bảng tiêu chí ngắn hơn nhiều.",
        ),
        (
            "a cell a million rows down",
            far_bytes.getvalue(),
            "tieu-chi.xlsx",
            "Trang tính có hơn 2000 dòng; một bảng tiêu chí ngắn hơn nhiều.",
        ),
        (
            "a zip bomb",
            rezip(good, add={"xl/media/image1.bin": bomb_member()}),
            "tieu-chi.xlsx",
            "Tệp khi giải nén chứa nhiều dữ liệu hơn hẳn một bảng tiêu chí; tệp đã bị từ chối.",
        ),
        (
            "too large",
            rezip(
                good,
                add={"xl/media/image1.png": os.urandom(3 * 1024 * 1024)},
                stored={"xl/media/image1.png"},
            ),
            "tieu-chi.xlsx",
            "Tệp quá lớn (3,0 MB); dung lượng tối đa là 2 MB.",
        ),
        (
            "macros",
            rezip(good, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}),
            "tieu-chi.xlsx",
            "Không chấp nhận tệp Excel có macro: hãy lưu thành tệp Excel thông thường (.xlsx) "
            "rồi tải lên lại.",
        ),
        (
            "links to other workbooks",
            rezip(good, add={"xl/externalLinks/externalLink1.xml": b"<externalLink/>"}),
            "tieu-chi.xlsx",
            "Tệp Excel có liên kết tới tệp khác: hãy ngắt liên kết (Data > Edit Links), lưu lại "
            "rồi tải lên lại.",
        ),
        (
            "a broken sheet",
            rezip(good, replace={"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row"}),
            "tieu-chi.xlsx",
            UNREADABLE,
        ),
        (
            "an entity bomb",
            rezip(good, replace={"xl/worksheets/sheet1.xml": BILLION_LAUGHS}),
            "tieu-chi.xlsx",
            UNREADABLE,
        ),
        (
            "no header",
            xlsx([["x"]] * 12, header=None),
            "tieu-chi.xlsx",
            "Không tìm thấy dòng tiêu đề: trang tính đầu tiên cần có các cột “Số TT”, “Cấp cha”, "
            "“Nội dung tiêu chí”, “Hướng dẫn”, “Loại”, “Điểm tối đa”, “Bắt buộc minh chứng” "
            "trong 10 dòng đầu.",
        ),
        (
            "a missing column",
            xlsx(GOOD_ROWS, header=[c for c in COLUMNS if c != "Loại"]),
            "tieu-chi.xlsx",
            "Trang tính thiếu cột “Loại”.",
        ),
        (
            "an empty table",
            xlsx([]),
            "tieu-chi.xlsx",
            "Trang tính không có tiêu chí nào dưới dòng tiêu đề.",
        ),
    ]


@pytest.mark.parametrize(
    ("case", "data", "name", "message"), hostile_files(), ids=[c[0] for c in hostile_files()]
)
def test_hostile_files_are_refused_with_a_clear_message(client, world, case, data, name, message):
    y = world["y2021"]
    client.force_login(world["secretary"])
    response = upload(client, y, data, name=name)
    assert response.status_code == 200
    assert response.context["form"].errors == {"file": [message]}
    assert response.context["parsed"] is None
    assert not CriteriaSet.objects.filter(cluster_year=y).exists()
    assert not any(key.startswith("criteria_import") for key in client.session.keys())


def test_formulas_and_dates_are_bad_values(client, world):
    rows = [
        ["I", "", "Nhóm", "", "Nhóm tiêu chí", "=SUM(F3:F3)", ""],
        [datetime.date(2021, 1, 1), "I", "Excel đổi 1.1 thành ngày", "", "Có/Không", 5, ""],
    ]
    parsed = parse_workbook(xlsx(rows))
    assert [(b.row, b.message) for b in parsed.bad_rows] == [
        (2, "Cột “Điểm tối đa” chứa công thức: hãy nhập trực tiếp giá trị."),
        (3, "Cột “Số TT” chứa ngày tháng: hãy định dạng ô là văn bản (Text) rồi nhập lại."),
    ]
