"""Reports laid out as the platforms export them: the header names are real ones (found in public code
that parses 巨量千川, 巨量引擎 and 电商罗盘 exports and the open API), the numbers are chosen here, and
every expected total below is summed by hand from them."""

import datetime as dt

import openpyxl
import pytest

from dyplan import operations
from dyplan.book import contract as c
from dyplan.demo import demo_inputs
from dyplan.reports.fields import Kind
from dyplan.reports.reader import read_report
from tests.book.conftest import named_values

from . import samples as s

D1, D2 = dt.date(2027, 1, 4), dt.date(2027, 1, 5)


def xlsx(path, rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def by_channel(report) -> dict[str, float]:
    return report.rows.groupby("channel")["spend"].sum().round(2).to_dict()


# 标准推广 (XLSX, numbers stored as text): channel from 广告类型 / 营销目标; search beats goal.
STANDARD = [
    ["日期", "计划ID", "计划名称", "广告类型", "营销目标", "消耗(元)", "展示次数", "点击次数", "点击率(%)",
     "转化数", "直接成交金额(元)", "直接成交订单数", "直接支付ROI"],
    [str(D1), "1745001", "直播间-晚场", "通投广告", "直播带货", "1,200.00", "30,000", "600", "2.00%", "20",
     "3,600.00", "20", "3.00"],
    [str(D1), "1745002", "短视频-新品", "通投广告", "短视频带货", "800.50", "20,000", "400", "2.00%", "10",
     "1,601.00", "10", "2.00"],
    [str(D1), "1745003", "搜索-品牌词", "搜索广告", "直播带货", "99.50", "1,000", "50", "5.00%", "1",
     "199.00", "1", "2.00"],
]  # fmt: skip
# 全域推直播 (XLSX): one row per 抖音号 and day, 全部 first (the total), no clicks or impressions.
UNI_LIVE = [
    ["日期", "抖音号名称", "抖音号ID", "整体消耗", "整体成交订单数", "整体成交金额", "整体支付ROI",
     "用户实际支付金额", "净成交金额", "净成交ROI", "1小时内退款率"],
    ["全部", "-", "-", "3,000.00", "60", "12,000.00", "4.00", "11,000.00", "9,000.00", "3.00", "5%"],
    [str(D1), "品牌官方旗舰店", "88001", "1,000.00", "20", "4,000.00", "4.00", "3,700.00", "3,000.00", "3.00",
     "5%"],
    [str(D2), "品牌官方旗舰店", "88001", "2,000.00", "40", "8,000.00", "4.00", "7,300.00", "6,000.00", "3.00",
     "5%"],
]  # fmt: skip
# 全域推商品 (CSV in GB18030): one row per 商品 and day, 万 in a count.
UNI_PRODUCT = [
    ["日期", "商品ID", "商品名称", "整体展示次数", "整体点击次数", "整体消耗(元)", "整体成交订单数",
     "整体成交金额(元)", "整体支付ROI", "智能优惠券金额"],
    [str(D1), "3600001", "精华液 30ml", "1.2万", "300", "500.00", "5", "1,500.00", "3.00", "50.00"],
    [str(D2), "3600001", "精华液 30ml", "0.8万", "200", "250.25", "2", "600.00", "2.40", "20.00"],
]  # fmt: skip


def standard_path(tmp_path):
    return xlsx(tmp_path / "标准推广_0104.xlsx", STANDARD)


def uni_live_path(tmp_path):
    return xlsx(tmp_path / "全域推直播_0104-0105.xlsx", UNI_LIVE)


def uni_product_path(tmp_path):
    return s.write_csv(tmp_path / "全域推商品_0104-0105.csv", UNI_PRODUCT, encoding="gb18030")


def test_standard_xlsx_numbers_as_text_channels_from_scene_and_goal(tmp_path):
    report = read_report(standard_path(tmp_path))
    assert report.kind is Kind.STANDARD
    # 搜索广告 beats 直播带货: the third plan is search
    assert by_channel(report) == {"live": 1_200.00, "feed": 800.50, "search": 99.50}
    assert report.rows["gmv"].sum() == pytest.approx(3_600 + 1_601 + 199)
    assert report.missing == []


def test_uni_live_xlsx_total_row_skipped_live_channel_and_extra_measures(tmp_path):
    report = read_report(uni_live_path(tmp_path))
    assert report.kind is Kind.UNI_LIVE
    assert (report.read_rows, report.skipped_rows) == (3, 1)  # 全部 is the total
    assert by_channel(report) == {"live": 3_000.00}  # a 全域推直播 export is live
    assert report.rows["user_paid"].sum() == pytest.approx(11_000)
    assert report.rows["net_gmv"].sum() == pytest.approx(9_000)
    assert set(report.missing) == {"impressions", "clicks", "conversions"}
    assert report.rows["impressions"].isna().all()  # unknown, not zero


def test_uni_product_gb18030_csv_wan_suffix_read(tmp_path):
    report = read_report(uni_product_path(tmp_path))
    assert report.kind is Kind.UNI_PRODUCT
    assert report.rows["impressions"].sum() == 12_000 + 8_000
    assert report.rows["spend"].sum() == pytest.approx(750.25)
    assert report.rows["coupon"].sum() == pytest.approx(70)
    assert by_channel(report) == {"unknown": 750.25}  # nothing tells: 未分渠道, said in the summary


def test_standard_csv_title_lines_total_and_footer(tmp_path):
    rows = [["巨量千川 · 推广数据"], ["时间范围：2027-01-04 ~ 2027-01-04"], *STANDARD,
            ["合计", "-", "-", "-", "-", "2,100.00", "51,000", "1,050", "-", "31", "5,400.00", "31", "-"],
            ["数据来源：巨量千川"]]  # fmt: skip
    report = read_report(s.write_csv(tmp_path / "标准推广.csv", rows))
    assert report.rows["spend"].sum() == pytest.approx(2_100.00)
    assert report.bad_dates.count == 1 and report.bad_dates.first[0][1] == "数据来源：巨量千川"


def test_compass_live_sessions_live_spend_and_room_gmv_kept_apart(tmp_path):
    rows = [["直播开始时间", "直播时长", "直播间观看人数", "直播间成交金额", "投放消耗(店铺绑定)"],
            ["2027-01-04 20:00:00", "3小时", "12,000", "50,000.00", "4,000.00"],
            ["2027-01-05 20:00:00", "2小时", "8,000", "30,000.00", "2,500.00"]]  # fmt: skip
    report = read_report(s.write_csv(tmp_path / "罗盘_直播明细.csv", rows))
    assert report.kind is Kind.COMPASS_LIVE
    assert by_channel(report) == {"live": 6_500.00}
    assert report.rows["room_gmv"].sum() == pytest.approx(80_000)
    assert report.rows["gmv"].isna().all()  # the room's GMV is not what the ads brought
    assert report.rows["viewers"].sum() == 20_000


def test_open_api_dump_english_fields_channel_from_marketing_goal(tmp_path):
    rows = [["stat_datetime", "ad_id", "marketing_goal", "stat_cost", "show_cnt", "click_cnt", "convert_cnt",
             "pay_order_count", "pay_order_amount"],
            ["2027-01-04 00:00:00", "1001", "LIVE_PROM_GOODS", "300.5", "9000", "90", "3", "3", "900"],
            ["2027-01-04 00:00:00", "1002", "VIDEO_PROM_GOODS", "199.5", "7000", "70", "2", "2",
             "400"]]  # fmt: skip
    report = read_report(s.write_csv(tmp_path / "api.csv", rows))
    assert by_channel(report) == {"live": 300.50, "feed": 199.50}
    assert report.rows["gmv"].sum() == pytest.approx(1_300)


def ocean_path(tmp_path):
    rows = [["数据起始时间", "广告组id", "广告组name", "计划id", "展现数据-展示数", "展现数据-点击数",
             "展现数据-总花费", "转化数据-转化数"],
            [str(D1), "501", "品牌组", "9001", "40000", "800", "1,000.00", "40"],
            [str(D2), "501", "品牌组", "9001", "30000", "600", "500.00", "20"]]  # fmt: skip
    return xlsx(tmp_path / "巨量引擎_广告组.xlsx", rows)


def test_ocean_engine_without_gmv_read_gmv_unknown(tmp_path):
    report = read_report(ocean_path(tmp_path))
    assert report.kind is Kind.OCEAN
    assert report.rows["spend"].sum() == pytest.approx(1_500)
    assert report.rows["gmv"].isna().all() and "gmv" in report.missing


# ---- Into the workbook -------------------------------------------------------------------------
@pytest.fixture
def workbook(tmp_path):
    path = tmp_path / "规划.xlsx"
    operations.new_workbook(path, demo_inputs())
    return path


WEEK_SPEND = 2_100.00 + 3_000.00 + 750.25  # 标准推广 + 全域推直播 + 全域推商品, by hand


def test_three_files_of_one_week_imported_together_add_up(workbook, tmp_path):
    files = [standard_path(tmp_path), uni_live_path(tmp_path), uni_product_path(tmp_path)]
    imported, _ = operations.import_files(workbook, files)
    assert named_values(workbook, "Actuals_Spend") == pytest.approx(WEEK_SPEND, abs=0.005)
    assert imported.replaced_rows == [0, 0, 0]


def test_three_files_imported_one_after_another_add_up_and_again_change_nothing(workbook, tmp_path):
    files = [standard_path(tmp_path), uni_live_path(tmp_path), uni_product_path(tmp_path)]
    for file in files:
        operations.import_files(workbook, [file])
    assert named_values(workbook, "Actuals_Spend") == pytest.approx(WEEK_SPEND, abs=0.005)
    stored = named_values(workbook, c.ACTUALS_DAILY.name)
    imported, _ = operations.import_files(workbook, [files[1]])  # 全域推直播 again
    assert imported.replaced_rows == [2]
    assert named_values(workbook, c.ACTUALS_DAILY.name) == stored
    assert named_values(workbook, "Actuals_Spend") == pytest.approx(WEEK_SPEND, abs=0.005)


def test_file_without_gmv_leaves_gmv_and_roi_blank(workbook, tmp_path):
    operations.import_files(workbook, [ocean_path(tmp_path)])
    assert named_values(workbook, "Actuals_Spend") == pytest.approx(1_500, abs=0.005)
    assert named_values(workbook, "Actuals_GMV") is None
    assert named_values(workbook, "Actuals_ROI") is None


def test_file_without_gmv_beside_one_with_gmv_lowers_no_roi(workbook, tmp_path):
    operations.import_files(workbook, [standard_path(tmp_path), ocean_path(tmp_path)])
    # ROI over the spend whose GMV is known: 5,400.00 ÷ 2,100.00, not ÷ 3,600.00
    assert named_values(workbook, "Actuals_ROI") == pytest.approx(round(5_400 / 2_100, 2))


def test_room_ledger_spend_yields_to_the_ad_report_on_the_same_day(workbook, tmp_path):
    """罗盘's 投放消耗 is the ads' spend on the room, which 千川's 全域推直播 also carries: on a day both
    have it, it counts once (千川's); on a day only 罗盘 has it, 罗盘's counts."""
    D3 = dt.date(2027, 1, 6)
    rows = [["直播开始时间", "直播间观看人数", "直播间成交金额", "投放消耗(店铺绑定)"],
            [f"{D1} 20:00:00", "12,000", "50,000.00", "4,000.00"],
            [f"{D2} 20:00:00", "8,000", "30,000.00", "2,500.00"],
            [f"{D3} 20:00:00", "5,000", "10,000.00", "1,500.00"]]  # fmt: skip
    compass = s.write_csv(tmp_path / "罗盘_直播明细.csv", rows)
    operations.import_files(workbook, [compass, uni_live_path(tmp_path)])
    # 全域推直播 1,000.00 (Jan 4) + 2,000.00 (Jan 5) + 罗盘 1,500.00 (Jan 6 only)
    assert named_values(workbook, "Actuals_Spend") == pytest.approx(4_500.00, abs=0.005)
    # GMV: 全域推直播's 4,000 + 8,000; the room's 直播间成交金额 is not ad GMV
    assert named_values(workbook, "Actuals_GMV") == pytest.approx(12_000.00, abs=0.005)
    stored = named_values(workbook, c.ACTUALS_DAILY.name)
    assert len([row for row in stored if row and row[2] == "罗盘·直播"]) == 3  # all kept, for a re-import
