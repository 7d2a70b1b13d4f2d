"""Which chart a growing table redraws, and how: only one whose every series reads the table."""

from dyplan.files.chart import TableRows, redraw, series_formula

ROWS = TableRows("风险", first=65, last=67, left=1, right=5)
CELLS = {(65, 1): 46408, (66, 1): 46409, (67, 1): 46410, (65, 3): 30.5, (66, 3): 31.0, (67, 3): 29.25}


def chart(*refs: str, title: str = "旧标题") -> bytes:
    series = "".join(
        f"<c:ser><c:cat><c:strRef><c:f>{cat}</c:f></c:strRef></c:cat>"
        f"<c:val><c:numRef><c:f>{val}</c:f></c:numRef></c:val></c:ser>"
        for cat, val in zip(refs[::2], refs[1::2], strict=True)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><c:chart><c:title><c:tx><c:rich>'
        f"<a:p><a:r><a:t>{title}</a:t></a:r></a:p></c:rich></c:tx></c:title><c:plotArea><c:lineChart>"
        f"{series}</c:lineChart></c:plotArea></c:chart></c:chartSpace>"
    ).encode()


def value(row: int, col: int):
    return CELLS.get((row, col))


def test_chart_of_the_table_runs_over_its_rows_with_their_points_and_the_new_title():
    redrawn = redraw(chart("风险!$A$65", "风险!$C$65"), ROWS, "新标题", value).decode()
    assert "<c:f>'风险'!$A$65:$A$67</c:f>" in redrawn and "<c:f>'风险'!$C$65:$C$67</c:f>" in redrawn
    assert redrawn.count("<c:pt ") == 6  # three dates, three values
    assert "<c:v>29.25</c:v>" in redrawn and "新标题" in redrawn and "旧标题" not in redrawn


def test_charts_reading_anything_else_keep_their_bytes():
    for refs in (
        ("风险!$A$65", "风险!$G$65"),  # a column right of the table
        ("风险!$A$66", "风险!$C$66"),  # not from the table's first row
        ("'我的表'!$A$65", "'我的表'!$C$65"),  # another sheet
        ("风险!$A$65", "风险!$C$65", "风险!$A$1", "风险!$B$1"),  # one series of it, one of the user's
    ):
        data = chart(*refs)
        assert redraw(data, ROWS, "新标题", value) == data, refs


def test_chart_already_drawing_the_rows_keeps_its_bytes():
    once = redraw(chart("风险!$A$65", "风险!$C$65"), ROWS, "新标题", value)
    assert redraw(once, ROWS, "新标题", value) == once


def test_excel_series_formula_follows_the_table_or_is_left_alone():
    formula = "=SERIES(\"综合指数 index\",'风险'!$A$65,'风险'!$C$65,1)"
    drawn = "=SERIES(\"综合指数 index\",'风险'!$A$65:$A$67,'风险'!$C$65:$C$67,1)"
    assert series_formula(formula, ROWS) == drawn
    assert series_formula("=SERIES(\"mine\",'风险'!$A$65,'我的表'!$C$65,1)", ROWS) is None
