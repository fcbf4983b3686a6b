"""The workbook helpers: sheet names Excel accepts, and the cells' look once saved and read back."""

import io
from decimal import Decimal

from openpyxl import Workbook, load_workbook

from common.spreadsheets import (
    header_cell,
    number_cell,
    set_widths,
    sheet_title,
    text_cell,
    title_rows,
)


def test_sheet_titles_are_cleaned_cut_and_unique():
    taken: set[str] = set()
    long = "I. Công tác tổ chức, cán bộ và xây dựng Đảng"
    assert sheet_title("1/2: [nhóm]?", taken) == "1-2- -nhóm--"
    assert sheet_title(long, taken) == "I. Công tác tổ chức, cán bộ và"
    assert sheet_title(long, taken) == "I. Công tác tổ chức, cán bộ (2)"
    assert sheet_title("i. công tác tổ chức, cán bộ và", taken) == "i. công tác tổ chức, cán bộ (3)"
    assert sheet_title(" :: ", taken) == "--"
    assert sheet_title("", taken) == "Sheet"
    assert taken == {
        "1-2- -nhóm--",
        "i. công tác tổ chức, cán bộ và",
        "i. công tác tổ chức, cán bộ (2)",
        "i. công tác tổ chức, cán bộ (3)",
        "--",
        "sheet",
    }


def saved(workbook: Workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0]


def test_cells_keep_their_look_once_saved():
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    title_rows(sheet, "Kết quả", "Chưa công bố.", 3)
    header_cell(sheet["A3"], "Đơn vị")
    number_cell(sheet["B4"], Decimal("55.50"))
    number_cell(sheet["C4"], Decimal("40.00"), "0.00")
    number_cell(sheet["D4"], None)
    text_cell(sheet["A4"], "Tây Ninh", bold=True)
    set_widths(sheet, {"A": 26, "B": 12})
    sheet = saved(workbook)

    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:C1", "A2:C2"]
    assert (sheet["A1"].value, sheet["A1"].font.b, sheet["A1"].font.sz) == ("Kết quả", True, 14)
    assert (sheet["A2"].value, sheet["A2"].font.i) == ("Chưa công bố.", True)
    head = sheet["A3"]
    assert (head.value, head.font.b, head.fill.fgColor.rgb) == ("Đơn vị", True, "00DCE6F1")
    assert (head.alignment.horizontal, head.alignment.vertical, head.alignment.wrap_text) == (
        "center",
        "center",
        True,
    )
    assert (head.border.left.style, head.border.left.color.rgb) == ("thin", "00999999")
    assert [(c.value, c.number_format, c.border.top.style) for c in sheet[4][1:4]] == [
        (55.5, "General", "thin"),
        (40, "0.00", "thin"),
        (None, "General", "thin"),
    ]
    text = sheet["A4"]
    assert (text.value, text.font.b, text.alignment.vertical, text.alignment.wrap_text) == (
        "Tây Ninh",
        True,
        "top",
        True,
    )
    assert (sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width) == (26, 12)
