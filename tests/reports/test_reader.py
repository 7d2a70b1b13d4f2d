"""Reading Qianchuan exports as users download them: totals equal the numbers put in."""

import datetime as dt
import os
import threading
import zipfile

import openpyxl
import pyarrow as pa
import pytest

from dyplan.files.safety import WorkbookFileError
from dyplan.reports import csv_source, keyed, reader, xlsx_source
from dyplan.reports.reader import ReportFormatError, read_report

from . import samples as s
from .samples import Line, Style

D5, D6 = dt.date(2027, 1, 5), dt.date(2027, 1, 6)
#: Worked by hand; the sums below are the expected values of every test that reads HAND.
HAND = [
    Line(D5, "春季新品-短视频-01", 123_450, 52_340, 1_234, 37, 473_600, 37, "短视频"),
    Line(D5, "品牌直播间-晚场", 200_000, 10_000, 300, 0, 0, 0, "直播"),  # no sale: GMV blank, orders "-"
    Line(D5, "搜索-核心词", 8_808, 1_500, 45, 3, 38_400, 3, "搜索"),
    Line(D6, "春季新品-短视频-01", 1_000_001, 1_000_000, 12_345, 200, 2_560_099, 199, "短视频"),
]
HAND_TOTALS = {
    "spend": 13_322.59,  # 1,234.50 + 2,000.00 + 88.08 + 10,000.01
    "impressions": 1_063_840,  # 52,340 + 10,000 + 1,500 + 1,000,000
    "clicks": 13_924,  # 1,234 + 300 + 45 + 12,345
    "conversions": 240,  # 37 + 0 + 3 + 200
    "gmv": 30_720.99,  # 4,736.00 + 0 + 384.00 + 25,600.99
    "orders": 239,  # 37 + 0 + 3 + 199
}
TITLES = ("巨量千川 · 推广数据报表", "数据时间：2027-01-05 至 2027-01-06")


def plans(report):
    """The plans a report's rows come from, by name (the unit column says 计划 before each)."""
    return report.rows["unit"].str.removeprefix("计划 ")


def by_plan(report):
    return report.rows.assign(campaign=plans(report)).set_index("campaign")


def totals(report) -> dict[str, float]:
    return {name: float(report.rows[name].sum()) for name in HAND_TOTALS}


def assert_totals(report, expected) -> None:
    got = totals(report)
    for name, value in expected.items():
        assert got[name] == pytest.approx(value, abs=0.005), name  # to the fen


def test_samples_hand_totals_match_the_lines():
    """The builder's own sums agree with the totals worked by hand above."""
    assert s.sums(HAND) == pytest.approx(HAND_TOTALS, abs=1e-9)


# ---- Encodings, title lines, the 合计 row --------------------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
@pytest.mark.parametrize("titles", [0, 1, 2], ids=["no-title", "1-title", "2-titles"])
def test_read_report_csv_encodings_and_titles_totals_equal_known(tmp_path, encoding, titles):
    rows = s.table(HAND, titles=TITLES[:titles])
    report = read_report(s.write_csv(tmp_path / "报表.csv", rows, encoding))
    assert_totals(report, HAND_TOTALS)
    assert report.read_rows == 5  # four campaign-days and the 合计 row
    assert report.skipped_rows == 1  # the 合计 row


@pytest.mark.parametrize("ending", ["", "\n", "\r\n", "\r\n\r\n"], ids=["none", "lf", "crlf", "blank-line"])
def test_read_report_csv_header_without_rows_says_so(tmp_path, ending):
    # A day without delivery downloads as the header alone: no rows, not a damaged file.
    path = tmp_path / "报表.csv"
    header = ",".join(s.table(HAND[:1], total=None)[0])
    path.write_text(f"{TITLES[0]}\n{header}{ending}", encoding="utf-8-sig", newline="")
    with pytest.raises(ReportFormatError) as caught:
        read_report(path)
    assert caught.value.en == "报表.csv: no usable data rows."


def test_read_report_csv_row_of_spend_without_a_date_is_named(tmp_path):
    # Rows under the header without a date are skipped (notes, blank lines); one that spent is named.
    rows = [["日期", "计划名称", "消耗(元)", "直接成交金额"], ["2027-01-05", "A", "100", "300"],
            ["", "A", "999", "2000"], ["", "", "", ""], ["2027-01-06", "A", "100", "300"]]  # fmt: skip
    report = read_report(s.write_csv(tmp_path / "报表.csv", rows))
    assert report.rows["spend"].sum() == 200
    assert (report.dateless.count, report.dateless.first) == (1, [(2, "999")])


def test_read_report_gb18030_fullwidth_yen_totals_equal_known(tmp_path):
    rows = s.table(HAND, style=Style(money="full"), titles=TITLES)
    report = read_report(s.write_csv(tmp_path / "报表.csv", rows, "gb18030"))
    assert_totals(report, HAND_TOTALS)


def test_read_report_blank_line_under_title_header_found(tmp_path):
    rows = [[TITLES[0]], [], *s.table(HAND)]
    report = read_report(s.write_csv(tmp_path / "报表.csv", rows))
    assert_totals(report, HAND_TOTALS)


def test_read_report_total_row_skipped_and_counted(tmp_path):
    with_total = read_report(s.write_csv(tmp_path / "a.csv", s.table(HAND, total="合计")))
    without = read_report(s.write_csv(tmp_path / "b.csv", s.table(HAND, total=None)))
    assert_totals(with_total, HAND_TOTALS)  # not 2 × the totals
    assert (with_total.read_rows, with_total.skipped_rows) == (5, 1)
    assert (without.read_rows, without.skipped_rows) == (4, 0)


@pytest.mark.parametrize("label", ["合计", "总计", "汇总", "Total"])
def test_read_report_total_label_in_campaign_first_column_skipped(tmp_path, label):
    rows = s.table(HAND, s.CAMPAIGN_FIRST, total=label)
    report = read_report(s.write_csv(tmp_path / "报表.csv", rows))
    assert_totals(report, HAND_TOTALS)
    assert report.skipped_rows == 1


def test_read_report_total_row_with_date_range_skipped(tmp_path):
    """Some exports put the report's period in the 合计 row's date cell."""
    rows = s.table(HAND, total=None)
    total = s.total_row(HAND, s.PLATFORM)
    total[0:2] = ["2027-01-05 ~ 2027-01-06", "合计"]
    report = read_report(s.write_csv(tmp_path / "报表.csv", [*rows, total]))
    assert_totals(report, HAND_TOTALS)
    assert report.skipped_rows == 1


def test_read_report_single_day_total_row_with_date_skipped(tmp_path):
    """A one-day export whose 合计 row repeats the day, the label in the campaign column."""
    day = [line for line in HAND if line.day == D5]
    total = s.total_row(day, s.PLATFORM)
    total[0:2] = ["2027-01-05", "合计"]
    report = read_report(s.write_csv(tmp_path / "报表.csv", [*s.table(day, total=None), total]))
    assert report.rows["spend"].sum() == pytest.approx(3_322.58)  # 1,234.50 + 2,000.00 + 88.08
    assert report.skipped_rows == 1


@pytest.mark.parametrize("name", ["Total护肤套装", "合计划算-短视频", "汇总测试计划", "total care"])
def test_read_report_campaign_named_like_total_kept(tmp_path, name):
    lines = s.renamed(HAND, campaign=name)
    report = read_report(s.write_csv(tmp_path / "报表.csv", s.table(lines, s.CAMPAIGN_FIRST, total=None)))
    assert_totals(report, HAND_TOTALS)
    assert set(plans(report)) == {name}
    assert report.skipped_rows == 0


# ---- Header variants, cell formats, rates, ROI -----------------------------------------------
@pytest.mark.parametrize("layout", list(s.LAYOUTS), ids=list(s.LAYOUTS))
def test_read_report_header_variants_totals_equal_known(tmp_path, layout):
    lines = s.month()
    report = read_report(s.write_csv(tmp_path / "报表.csv", s.table(lines, s.LAYOUTS[layout])))
    assert_totals(report, s.sums(lines))
    assert set(report.columns) >= {"date", "plan", "spend", "impressions", "clicks", "gmv"}


def test_read_report_header_variant_names_recorded(tmp_path):
    report = read_report(s.write_csv(tmp_path / "报表.csv", s.table(HAND, s.VARIANT)))
    assert report.columns["date"] == "时间"
    assert report.columns["spend"] == "花费"
    assert report.columns["impressions"] == "展现次数"
    assert report.columns["gmv"] == "支付GMV"
    assert report.columns["orders"] == "成交订单数"
    assert "channel" not in report.columns


@pytest.mark.parametrize("money", ["yuan", "full", "plain"])
def test_read_report_money_and_count_text_totals_equal_known(tmp_path, money):
    rows = s.table(HAND, style=Style(money=money))
    if money == "yuan":  # the hand sample's cells really read as users see them
        cell = dict(zip(rows[0], rows[1], strict=True)), dict(zip(rows[0], rows[2], strict=True))
        assert (
            cell[0]["消耗(元)"] == "¥1,234.50"
            and cell[0]["展示次数"] == "52,340"
            and cell[0]["点击率"] == "2.36%"
        )
        assert (
            cell[1]["直接成交金额"] == "" and cell[1]["直接成交订单数"] == "-" and cell[1]["转化成本"] == "--"
        )
    report = read_report(s.write_csv(tmp_path / "报表.csv", rows))
    assert_totals(report, HAND_TOTALS)


def test_read_report_dash_and_blank_cells_of_a_column_read_as_zero_absent_column_unknown(tmp_path):
    rows = [["日期", "计划名称", "消耗", "展示次数", "点击次数", "转化数", "直接成交金额", "直接成交订单数"],
            ["2027-01-05", "A", "¥100.00", "-", "--", "", "-", "--"],
            ["2027-01-05", "B", "¥50.50", "1,000", "10", "2", "¥256.00", "2"]]  # fmt: skip
    report = read_report(s.write_csv(tmp_path / "报表.csv", rows))
    by_campaign = by_plan(report)
    assert by_campaign.loc["A", "spend"] == 100.0
    # Exports write "-" where there is none: A spent 100.00 and sold nothing (ROI counts its spend)
    assert (by_campaign[["impressions", "clicks", "conversions", "gmv", "orders"]].loc["A"] == 0).all()
    assert report.rows["net_gmv"].isna().all()  # no such column: unknown, not zero
    # Totals over both: spend 100.00 + 50.50; the dashes add nothing.
    assert report.rows["spend"].sum() == pytest.approx(150.50)
    assert report.rows["impressions"].sum() == 1_000


def test_read_report_text_in_a_count_column_counted_blank_and_named(tmp_path):
    rows = s.table(HAND, total=None)
    column = rows[0].index("展示次数")
    rows[2][column] = "未知"  # 品牌直播间's 展示次数 (10,000) is not a number
    rows[3][column] = "N/A"  # nor is 搜索-核心词's (1,500)
    report = read_report(s.write_csv(tmp_path / "报表.csv", rows))
    assert report.rows["impressions"].sum() == 52_340 + 1_000_000
    assert report.unreadable["impressions"].count == 2
    assert report.unreadable["impressions"].first == [(2, "未知"), (3, "N/A")]  # data rows 2 and 3
    assert report.rows["spend"].sum() == pytest.approx(13_322.59)


@pytest.mark.parametrize("block_bytes", [512, csv_source.BLOCK_BYTES])
def test_read_report_csv_rows_named_by_their_line_under_the_header(tmp_path, monkeypatch, block_bytes):
    """A problem cell is named by its line below the header, as the user finds it in the file: short
    rows, blank lines and lines of spaces count as lines, in one block or across several."""
    monkeypatch.setattr(csv_source, "BLOCK_BYTES", block_bytes)
    rows = s.table(s.month(days=10), total=None)  # 30 data lines
    column = rows[0].index("展示次数")
    rows[3][column] = "未知"  # line 3 under the header
    rows.insert(5, ["只有一格"])  # line 5: a short row, no date
    rows.insert(8, [])  # line 8: blank
    rows.insert(12, ["   "])  # line 12: spaces
    rows[20][column] = "N/A"  # line 20
    rows.insert(25, ["2027-01-09", "多一格", *[""] * len(rows[0])])  # line 25: a long row, plan 多一格
    rows[30][column] = "?"  # line 30
    path = s.write_csv(tmp_path / "报表.csv", rows)
    report = read_report(path)
    assert report.unreadable["impressions"].first == [(3, "未知"), (20, "N/A"), (30, "?")]
    assert report.bad_dates.first == [(5, "只有一格")]
    lines = path.read_text("utf-8-sig").splitlines()
    assert lines[report.header_row - 1 + 20].count("N/A") == 1  # the file's line of data row 20


def test_read_report_text_in_a_money_column_refused_naming_column_and_rows(tmp_path):
    rows = s.table(HAND, total=None)
    column = rows[0].index("消耗(元)")
    rows[2][column] = "未知"
    path = s.write_csv(tmp_path / "报表.csv", rows)
    with pytest.raises(ReportFormatError) as refused:
        read_report(path)
    assert "「消耗(元)」1（2: '未知'）" in refused.value.zh and "--allow-unreadable" in refused.value.en
    report = read_report(path, allow_unreadable=True)  # the user's explicit choice: counted as blank
    assert report.unreadable["spend"].count == 1


def test_read_report_rates_in_file_disagree_counts_still_read(tmp_path):
    rows = s.table(HAND, style=Style(lie_about_rates=True))
    assert (
        rows[1][rows[0].index("点击率")] == "50.00%"
    )  # 点击率 says 50 %; the counts say 1,234 / 52,340 ≈ 2.36 %
    report = read_report(s.write_csv(tmp_path / "报表.csv", rows))
    assert_totals(report, HAND_TOTALS)
    assert set(report.rows.columns) >= {"date", "unit", "channel", *HAND_TOTALS}


def test_read_report_gmv_column_missing_gmv_is_roi_times_spend(tmp_path):
    # ROIs that the export's two decimals show exactly:
    #   ¥1,000.00 × 2.35 = ¥2,350.00;  ¥400.00 × 0.50 = ¥200.00;  ¥123.00 × 3.00 = ¥369.00
    lines = [
        Line(D5, "A", 100_000, gmv_fen=235_000, orders=10),
        Line(D5, "B", 40_000, gmv_fen=20_000, orders=1, channel="直播"),
        Line(D6, "A", 12_300, gmv_fen=36_900, orders=3),
    ]
    rows = s.table(lines, s.ROI_ONLY)
    roi = rows[0].index("支付ROI")
    assert [row[roi] for row in rows[1:4]] == ["2.35", "0.50", "3.00"]  # 支付ROI as written
    report = read_report(s.write_csv(tmp_path / "报表.csv", rows))
    assert "gmv" not in report.columns and report.derived["gmv"] == "支付ROI"
    assert report.rows["gmv"].sum() == pytest.approx(2_350 + 200 + 369, abs=0.005)
    assert report.rows["spend"].sum() == pytest.approx(1_000 + 400 + 123)


def test_read_report_channel_words_mapped_to_feed_live_search(tmp_path):
    report = read_report(s.write_csv(tmp_path / "报表.csv", s.table(HAND)))
    day = report.rows[report.rows["date"] == D5].set_index("channel")["spend"]
    assert day.to_dict() == pytest.approx({"feed": 1_234.50, "live": 2_000.00, "search": 88.08})


def test_read_report_no_channel_column_channel_unknown(tmp_path):
    report = read_report(s.write_csv(tmp_path / "报表.csv", s.table(HAND, s.VARIANT)))
    assert set(report.rows["channel"]) == {"unknown"}


def test_read_report_several_campaigns_per_day_one_row_each(tmp_path):
    lines = s.month(days=31)  # 3 campaigns × 31 days
    report = read_report(s.write_csv(tmp_path / "报表.csv", s.table(lines)))
    assert len(report.rows) == 93
    assert report.rows.groupby("date")["unit"].nunique().eq(3).all()
    assert (report.read_rows, report.skipped_rows) == (94, 1)


def test_read_report_same_campaign_twice_a_day_rows_summed(tmp_path):
    """An export split by creative lists a campaign once per creative: the day sums them."""
    lines = [Line(D5, "A", 10_000, 1_000, 10), Line(D5, "A", 2_550, 500, 5), Line(D6, "A", 1, 1, 0)]
    report = read_report(s.write_csv(tmp_path / "报表.csv", s.table(lines)))
    d5 = report.rows[report.rows["date"] == D5].iloc[0]
    assert len(report.rows) == 2
    assert (d5["spend"], d5["impressions"], d5["clicks"]) == (125.50, 1_500, 15)  # 100 + 25.50


@pytest.mark.parametrize("engine", ["csv", "xlsx"])
def test_read_report_rows_across_chunks_summed(tmp_path, monkeypatch, engine):
    """Large files are read in chunks, and rows held are summed per key along the way: a key that
    spans two chunks, or two of those sums, is still one row."""
    monkeypatch.setattr(xlsx_source, "CHUNK_ROWS", 7)  # XLSX rows per chunk
    monkeypatch.setattr(csv_source, "BLOCK_BYTES", 512)  # CSV bytes per chunk: a few rows
    monkeypatch.setattr(keyed, "SUM_ROWS", 10)
    lines = s.month(days=10)  # 30 rows: at least 4 chunks of 7
    doubled = lines + lines  # every campaign-day twice, the copies far apart
    path = tmp_path / f"报表.{engine}"
    rows = s.table(doubled)
    s.write_csv(path, rows) if engine == "csv" else s.write_xlsx_openpyxl(path, rows)
    seen = []
    report = read_report(path, seen.append)
    expected = s.sums(doubled)
    assert_totals(report, expected)
    assert len(report.rows) == 30
    assert seen[-1] == 61 and seen == sorted(seen) and len(seen) >= 4  # 60 lines and 合计


def test_read_report_failing_mid_file_stops_the_reading_thread(tmp_path, monkeypatch):
    """An import that fails part-way lets the file go at once: its reading thread has ended."""
    monkeypatch.setattr(csv_source, "BLOCK_BYTES", 512)
    path = s.write_csv(tmp_path / "报表.csv", s.table(s.month(days=10)))
    normalise = reader._Reading.add
    chunks = iter(range(100))

    def fail_on_second_chunk(*args):
        if next(chunks) == 1:
            raise pa.ArrowInvalid("disk error")
        return normalise(*args)

    monkeypatch.setattr(reader._Reading, "add", fail_on_second_chunk)
    reading = None
    try:
        read_report(path)
    except ReportFormatError:  # asked while the error is still live, as its caller would see it
        reading = [t for t in threading.enumerate() if t.name == "dyplan-csv-reader"]
    assert reading == []


# ---- XLSX --------------------------------------------------------------------------------------
@pytest.mark.parametrize("writer", list(s.WRITERS))
@pytest.mark.parametrize("style", [Style(), Style(date="cell", money="number")], ids=["text", "cells"])
def test_read_report_xlsx_totals_equal_known(tmp_path, writer, style):
    lines = s.month()
    path = s.WRITERS[writer](tmp_path / "报表.xlsx", s.table(lines, style=style, titles=TITLES))
    report = read_report(path)
    assert_totals(report, s.sums(lines))
    assert (report.read_rows, report.skipped_rows) == (94, 1)  # 93 campaign-days and 合计
    assert sorted(set(report.rows["date"])) == [dt.date(2027, 1, d) for d in range(1, 32)]


def test_read_report_xlsx_hand_sample_totals_equal_known(tmp_path):
    path = s.write_xlsx_xlsxwriter(tmp_path / "报表.xlsx", s.table(HAND, titles=TITLES[:1]))
    assert_totals(read_report(path), HAND_TOTALS)


def test_read_report_xlsx_uppercase_suffix_read(tmp_path):
    path = s.write_xlsx_openpyxl(tmp_path / "报表.XLSX", s.table(HAND))
    assert_totals(read_report(path), HAND_TOTALS)


def _workbook(path, sheets, hidden=()):
    """An XLSX of ``sheets`` (name → rows), in order, as a user puts pages of their own around a report;
    those named in ``hidden`` hidden."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        sheet.sheet_state = "hidden" if name in hidden else "visible"
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_read_report_xlsx_report_after_a_cover_sheet_is_read(tmp_path):
    cover = [["巨量千川 · 数据说明"], ["指标口径见官网"]]
    path = _workbook(tmp_path / "报表.xlsx", {"说明": cover, "数据": s.table(HAND, titles=TITLES[:1])})
    assert_totals(read_report(path), HAND_TOTALS)


def test_read_report_xlsx_a_hidden_copy_of_the_report_is_not_a_second_report(tmp_path):
    # A sheet the user cannot see is not theirs to split off: the visible report is read.
    sheets = {"数据": s.table(HAND), "原始": s.table(HAND[:1])}
    assert_totals(read_report(_workbook(tmp_path / "报表.xlsx", sheets, hidden={"原始"})), HAND_TOTALS)


def test_read_report_xlsx_two_report_sheets_are_refused_by_name(tmp_path):
    # Summed they could count a spend twice (one sheet may total the other); read as one, one is lost.
    sheets = {"短视频": s.table(HAND[:1]), "直播": s.table(HAND[1:2])}
    with pytest.raises(ReportFormatError) as caught:
        read_report(_workbook(tmp_path / "报表.xlsx", sheets))
    assert "短视频、直播" in caught.value.zh and "短视频, 直播" in caught.value.en
    assert "Nothing was imported" in caught.value.en


# ---- Dates -------------------------------------------------------------------------------------
@pytest.mark.parametrize("style", ["iso", "slash", "compact", "datetime", "excel_csv"])
def test_read_report_csv_date_formats_read_as_dates(tmp_path, style):
    rows = s.table(HAND, style=Style(date=style))
    if style == "slash":
        assert rows[1][0] == "2027/1/5"
    report = read_report(s.write_csv(tmp_path / "报表.csv", rows))
    assert sorted(set(report.rows["date"])) == [D5, D6]
    assert_totals(report, HAND_TOTALS)
    assert report.skipped_rows == 1  # only 合计


@pytest.mark.parametrize("writer", list(s.WRITERS))
def test_read_report_xlsx_date_cells_and_text_dates_read(tmp_path, writer):
    rows = s.table(HAND, style=Style(date="cell"), total=None)
    rows[2][0] = dt.datetime(2027, 1, 5, 0, 0)  # a date-time cell
    rows[3][0] = "2027/1/5"  # a text date among date cells
    rows[4][0] = 20270106  # yyyymmdd typed as a number
    path = s.WRITERS[writer](tmp_path / "报表.xlsx", rows)
    report = read_report(path)
    assert sorted(set(report.rows["date"])) == [D5, D6]
    assert_totals(report, HAND_TOTALS)
    assert report.skipped_rows == 0


def test_read_report_rows_without_date_skipped_and_counted(tmp_path):
    rows = s.table(HAND, total=None)
    rows[2][0] = ""  # 品牌直播间 ¥2,000.00 loses its date
    rows[3][0] = "未知"  # 搜索-核心词 ¥88.08 too
    report = read_report(s.write_csv(tmp_path / "报表.csv", rows))
    assert report.rows["spend"].sum() == pytest.approx(1_234.50 + 10_000.01)
    assert (report.read_rows, report.skipped_rows) == (4, 2)


# ---- Untrusted text ----------------------------------------------------------------------------
FORMULAS = ['=HYPERLINK("http://example.com","点我")', "+1", "-1", "@x", "=1+1", "-", "+cmd|' /C calc'!A0"]


@pytest.mark.parametrize("engine", ["csv", "openpyxl", "xlsxwriter"])
def test_read_report_formula_looking_campaign_names_kept_verbatim(tmp_path, engine):
    lines = [Line(D5, name, 100 * (k + 1)) for k, name in enumerate(FORMULAS)]
    rows = s.table(lines)
    path = tmp_path / ("报表.csv" if engine == "csv" else "报表.xlsx")
    s.write_csv(path, rows) if engine == "csv" else s.WRITERS[engine](path, rows)
    report = read_report(path)
    spend = by_plan(report)["spend"]
    # Kept as text, never evaluated; "-" alone is the grammar's blank (scalars.BLANKS), so no name
    assert spend.to_dict() == {("" if name == "-" else name): float(k + 1) for k, name in enumerate(FORMULAS)}
    assert all(isinstance(name, str) for name in plans(report))


@pytest.mark.parametrize("engine", ["csv", "xlsx"])
def test_read_report_one_megabyte_campaign_name_read(tmp_path, engine):
    huge = s.giant_name(1_000_000)
    lines = [Line(D5, huge, 12_345, 100, 3), *HAND]
    path = tmp_path / f"报表.{engine}"
    rows = s.table(lines)
    s.write_csv(path, rows) if engine == "csv" else s.write_xlsx_openpyxl(path, rows)
    report = read_report(path)
    assert huge in set(plans(report))
    assert report.rows["spend"].sum() == pytest.approx(13_322.59 + 123.45)


@pytest.mark.parametrize("name", ["x" * 1_000_000, '逗号,引号"' + "y" * 1_000_000], ids=["plain", "quoted"])
def test_read_report_huge_cell_cut_by_header_search_read(tmp_path, name):
    """The header search reads the first 256 KB: here it ends inside the giant cell."""
    lines = [Line(D5, name, 12_345, 100, 3), *HAND]
    report = read_report(s.write_csv(tmp_path / "报表.csv", s.table(lines)))
    assert name in set(plans(report))
    assert report.rows["spend"].sum() == pytest.approx(13_322.59 + 123.45)


# ---- Files the reader cannot use ---------------------------------------------------------------
def test_read_report_unknown_layout_error_lists_found_and_required(tmp_path):
    rows = s.table(HAND, s.UNKNOWN, total=None)
    with pytest.raises(ReportFormatError) as caught:
        read_report(s.write_csv(tmp_path / "未知.csv", rows))
    error = caught.value
    for found in ("名称", "金额", "备注"):
        assert found in error.zh and found in error.en
    assert "日期" in error.zh and "消耗" in error.zh  # the required columns, as the export names them
    assert "date" in error.en and "spend" in error.en
    assert "未知.csv" in error.zh and "未知.csv" in error.en


def test_read_report_missing_spend_error_names_spend_only(tmp_path):
    rows = [["日期", "计划名称", "展示次数"], ["2027-01-05", "A", "100"]]
    with pytest.raises(ReportFormatError) as caught:
        read_report(s.write_csv(tmp_path / "报表.csv", rows))
    assert "消耗" in caught.value.zh and "spend" in caught.value.en
    assert "date" not in caught.value.en.split("missing required:")[1].split("(")[0]


def test_read_report_xlsx_unknown_layout_error_lists_found(tmp_path):
    path = s.write_xlsx_openpyxl(tmp_path / "报表.xlsx", s.table(HAND, s.UNKNOWN, total=None))
    with pytest.raises(ReportFormatError, match="名称") as caught:
        read_report(path)
    assert "spend" in caught.value.en


def _garbage(path):
    path.write_bytes(os.urandom(64 * 1024))


def _nul(path):
    path.write_bytes(b"\x00" * 10_000)


def _unclosed_quote(path):
    path.write_text('日期,计划名称,消耗\n2027-01-05,"未闭合的计划名,100\n2027-01-06,B,20\n', "utf-8")


def _empty(path):
    path.write_bytes(b"")


def _header_only(path):
    path.write_text("日期,计划名称,消耗\n", "utf-8")


def _not_a_zip(path):
    path.write_bytes(b"PK\x03\x04 this is not really a zip" * 50)


def _zip_without_workbook(path):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")


def _truncated_xlsx(path):
    s.write_xlsx_openpyxl(path, s.table(HAND))
    path.write_bytes(path.read_bytes()[:2_000])


def _broken_sheet_xml(path):
    s.write_xlsx_openpyxl(path, s.table(HAND))
    with zipfile.ZipFile(path) as source:
        items = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w") as target:
        for name, data in items:
            target.writestr(name, data[: len(data) // 2] if name.endswith("sheet1.xml") else data)


def _empty_sheet(path):
    s.write_xlsx_openpyxl(path, [])


MALFORMED = {
    "garbage.csv": _garbage,
    "nul.csv": _nul,
    "quote.csv": _unclosed_quote,
    "empty.csv": _empty,
    "header_only.csv": _header_only,
    "not_zip.xlsx": _not_a_zip,
    "zip_not_workbook.xlsx": _zip_without_workbook,
    "truncated.xlsx": _truncated_xlsx,
    "broken_xml.xlsx": _broken_sheet_xml,
    "empty_sheet.xlsx": _empty_sheet,
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_read_report_malformed_file_raises_bilingual_error(tmp_path, name):
    path = tmp_path / name
    MALFORMED[name](path)
    with pytest.raises((ReportFormatError, WorkbookFileError)) as caught:
        read_report(path)
    assert name in caught.value.zh and name in caught.value.en


def test_read_report_unclosed_quote_reports_damaged_file(tmp_path):
    path = tmp_path / "quote.csv"
    _unclosed_quote(path)
    with pytest.raises(ReportFormatError, match="损坏") as caught:
        read_report(path)
    assert "malformed" in caught.value.en


@pytest.mark.parametrize("name", ["报表.xls", "报表.txt", "报表"])
def test_read_report_other_suffix_refused(tmp_path, name):
    path = s.write_csv(tmp_path / name, s.table(HAND))
    with pytest.raises(ReportFormatError, match=r"\.csv"):
        read_report(path)


def test_read_report_missing_file_refused(tmp_path):
    with pytest.raises(ReportFormatError, match="找不到报表"):
        read_report(tmp_path / "没有.csv")


@pytest.mark.parametrize("engine", ["csv", "xlsx"])
def test_read_report_duplicate_header_first_column_used(tmp_path, engine):
    """Two columns called 消耗 (a custom report with 消耗 twice): the first one counts."""
    rows = s.table(HAND, total=None)
    rows[0].append("消耗(元)")
    for row in rows[1:]:
        row.append("¥999,999.00")
    path = tmp_path / f"报表.{engine}"
    s.write_csv(path, rows) if engine == "csv" else s.write_xlsx_openpyxl(path, rows)
    assert_totals(read_report(path), HAND_TOTALS)
