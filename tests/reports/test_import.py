"""Importing reports into a fresh demo workbook: the 实际数据 sheet, tracking, checkpoints, alerts."""

import datetime as dt
import types
import zipfile
from collections import defaultdict
from xml.sax.saxutils import escape

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from dyplan import operations
from dyplan.book import contract as c
from dyplan.cli import app
from dyplan.demo import demo_inputs
from dyplan.errors import InputError
from dyplan.files.safety import WorkbookFileError
from dyplan.model.risk import INDICATORS
from dyplan.reports.reader import ReportFormatError
from tests.book.conftest import named_values, set_cell, table_cell

from . import samples as s
from .samples import Line, Style

NOW = dt.datetime(2027, 2, 20, 9, 30)  # after P1's day 30 (2027-01-30), before P2's checkpoints
LABELS = {"短视频": "信息流", "直播": "直播推广", "搜索": "搜索"}  # report word → the sheet's channel


@pytest.fixture
def demo_path(tmp_path):
    """A new workbook with the demo inputs, made as users make it (as in tests/book)."""
    path = tmp_path / "规划.xlsx"
    operations.new_workbook(path, demo_inputs())
    return path


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    """import_files stamps the import with dt.datetime.now(): make it a day in the plan's year."""
    clock = types.SimpleNamespace(datetime=types.SimpleNamespace(now=lambda: NOW), date=dt.date)
    monkeypatch.setattr(operations, "dt", clock)


def rows_of(path, table: c.Table) -> list[dict]:
    """A table's data rows (its defined name spans the header row too), as column key → value."""
    keys = [column.key for column in table.columns]
    rows = [dict(zip(keys, row, strict=True)) for row in named_values(path, table.name)[1:]]
    return [row for row in rows if any(v not in (None, "") for v in row.values())]


def day_of(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def daily(path) -> dict[tuple[dt.date, str], dict]:
    """The stored rows (one per date, channel and source) summed per (date, channel) by the test."""
    by_key: dict[tuple[dt.date, str], dict] = {}
    for row in rows_of(path, c.ACTUALS_DAILY):
        sums = by_key.setdefault((day_of(row["date"]), row["channel_zh"]), {})
        for name, value in row.items():
            if isinstance(value, int | float) and name not in ("ctr", "cpc", "cvr", "cpa", "roi", "aov"):
                sums[name] = sums.get(name, 0) + value
    return by_key


def expected_daily(lines) -> dict[tuple[dt.date, str], dict[str, float]]:
    """The sample's numbers summed per (date, channel) in fen and counts, by the test itself."""
    groups = defaultdict(list)
    for line in lines:
        groups[(line.day, LABELS[line.channel])].append(line)
    return {key: s.sums(group) for key, group in groups.items()}


def assert_daily(path, lines) -> None:
    got, expected = daily(path), expected_daily(lines)
    assert set(got) == set(expected)
    for key, sums in expected.items():
        for name, value in sums.items():
            assert (got[key][name] or 0) == pytest.approx(value, abs=0.005), (key, name)


def import_reports(workbook, *reports):
    return operations.import_files(workbook, list(reports))


def csv_report(folder, name, lines, **table):
    return s.write_csv(folder / name, s.table(lines, **table))


def between(lines, first: int, last: int) -> list[Line]:
    """The lines dated January ``first`` to ``last`` 2027."""
    return [line for line in lines if dt.date(2027, 1, first) <= line.day <= dt.date(2027, 1, last)]


# ---- The 实际数据 sheet --------------------------------------------------------------------------
def test_import_files_actuals_daily_and_summary_equal_known_totals(demo_path, tmp_path):
    lines = s.month()  # January 2027: 3 campaigns a day, one per channel
    report = csv_report(tmp_path, "千川_1月.csv", lines, style=Style(lie_about_rates=True))
    _, read = import_reports(demo_path, report)
    assert (read[0].read_rows, read[0].skipped_rows) == (94, 1)
    assert_daily(demo_path, lines)
    assert len(daily(demo_path)) == 93  # 31 days × 3 channels
    known = s.sums(lines)
    assert named_values(demo_path, "Actuals_Spend") == pytest.approx(known["spend"], abs=0.005)
    assert named_values(demo_path, "Actuals_GMV") == pytest.approx(known["gmv"], abs=0.005)
    assert named_values(demo_path, "Actuals_Days") == 31
    assert day_of(named_values(demo_path, "Actuals_Through")) == dt.date(2027, 1, 31)
    assert named_values(demo_path, "Actuals_ROI") == pytest.approx(known["gmv"] / known["spend"], abs=0.005)


def test_import_files_a_negative_spend_row_counts_nowhere(demo_path, tmp_path):
    # A refund booked as negative spend is not delivery: the day is left out of the actuals, and its
    # GMV out of the file's totals as well, so the summary, the import log and the sheet agree.
    header = ["日期", "计划名称", "营销目标", "消耗(元)", "直接成交金额"]
    report = s.write_csv(tmp_path / "退款.csv", [header, ["2027-01-01", "A", "短视频带货", "100", "300"],
                                                ["2027-01-02", "A", "短视频带货", "-50", "400"]])  # fmt: skip
    summary = import_reports(demo_path, report)[0].summaries[0]
    assert (summary.spend, summary.gmv) == (100, 300)
    assert any("negative spend: 1" in problem for problem in summary.problems)
    assert (named_values(demo_path, "Actuals_GMV"), named_values(demo_path, "Actuals_Days")) == (300, 1)
    log = rows_of(demo_path, c.IMPORT_LOG)[0]
    assert (log["spend"], log["gmv"]) == (100, 300)


def test_import_files_with_a_start_date_out_of_range_names_the_cell_and_changes_nothing(demo_path, tmp_path):
    set_cell(demo_path, "Start_Date", dt.date(9999, 12, 31))  # the last day Excel knows
    original = demo_path.read_bytes()
    with pytest.raises(InputError) as caught:
        import_reports(demo_path, csv_report(tmp_path, "千川.csv", s.month()))
    assert [p.where for p in caught.value.problems] == ["输入!C9"]
    assert demo_path.read_bytes() == original


def test_import_files_rates_on_sheet_recomputed_from_counts(demo_path, tmp_path):
    # One day, one campaign: 点击率 in the file says 50 %; the counts say 1,234 / 52,340.
    lines = [Line(dt.date(2027, 1, 5), "A", 123_450, 52_340, 1_234, 37, 473_600, 37)]
    import_reports(demo_path, csv_report(tmp_path, "报表.csv", lines, style=Style(lie_about_rates=True)))
    [row] = rows_of(demo_path, c.ACTUALS_DAILY)
    assert (row["channel_zh"], row["unit"]) == ("信息流", "计划 A")
    assert row["ctr"] == pytest.approx(1_234 / 52_340)  # ≈ 2.36 %, not 50 %
    assert row["cpa"] == pytest.approx(1_234.50 / 37)  # ≈ ¥33.36, not ¥0.01
    assert row["roi"] == pytest.approx(4_736.00 / 1_234.50)  # ≈ 3.84, not 88.88


def test_import_files_same_report_twice_totals_unchanged(demo_path, tmp_path):
    lines = s.month()
    report = csv_report(tmp_path, "千川_1月.csv", lines)
    import_reports(demo_path, report)
    import_reports(demo_path, report)
    assert_daily(demo_path, lines)  # not twice the numbers
    assert named_values(demo_path, "Actuals_Spend") == pytest.approx(s.sums(lines)["spend"], abs=0.005)
    assert len(rows_of(demo_path, c.IMPORT_LOG)) == 2


@pytest.mark.parametrize("order", ["early-first", "late-first"])
def test_import_files_overlapping_ranges_later_import_wins(demo_path, tmp_path, order):
    early = between(s.month(seed=1), 1, 20)  # January 1–20
    late = between(s.month(seed=2), 11, 31)  # January 11–31: 11–20 overlap with other numbers
    files = {
        "early": csv_report(tmp_path, "1-20.csv", early),
        "late": csv_report(tmp_path, "11-31.csv", late),
    }
    first, second = ("early", "late") if order == "early-first" else ("late", "early")
    import_reports(demo_path, files[first])
    import_reports(demo_path, files[second])
    # late last: days 1–10 from the early report, 11–31 from the late one; early last: 1–20 and 21–31
    expected = between(early, 1, 10) + late if second == "late" else early + between(late, 21, 31)
    assert_daily(demo_path, expected)
    assert len(daily(demo_path)) == 93
    assert named_values(demo_path, "Actuals_Spend") == pytest.approx(s.sums(expected)["spend"], abs=0.005)


@pytest.mark.parametrize("order", ["xy-then-x", "x-then-xy"])
def test_import_files_two_files_overlapping_campaign_days_later_file_wins(demo_path, tmp_path, order):
    both = s.month(campaigns=[("计划X", "短视频"), ("计划Y", "短视频")], days=10, seed=3)  # Jan 1–10
    x_again = between(s.month(campaigns=[("计划X", "短视频")], days=15, seed=4), 6, 15)  # X, Jan 6–15
    files = [csv_report(tmp_path, "XY.csv", both), csv_report(tmp_path, "X.csv", x_again)]
    if order == "xy-then-x":  # X's days 6–10 come from the second file; Y is untouched
        expected = [line for line in both if line.campaign == "计划Y" or line.day.day <= 5] + x_again
    else:  # the first file's X is replaced on 6–10 by the second (the XY file)
        files.reverse()
        expected = both + between(x_again, 11, 15)
    import_reports(demo_path, *files)
    assert_daily(demo_path, expected)
    on_7th = [r for r in rows_of(demo_path, c.ACTUALS_DAILY) if day_of(r["date"]) == dt.date(2027, 1, 7)]
    assert sorted(r["unit"] for r in on_7th) == ["计划 计划X", "计划 计划Y"]  # a row per plan


def test_import_files_csv_then_xlsx_with_numeric_ids_later_file_wins(demo_path, tmp_path):
    """The same campaigns by 计划ID: text in the CSV, number cells in the XLSX."""
    ids = [("1745001", "短视频"), ("1745002", "直播")]
    old = s.month(campaigns=ids, days=5, seed=5)
    new = s.month(campaigns=ids, days=5, seed=6)
    rows = s.table(new, s.VARIANT, Style(date="cell", money="number"))
    for row in rows[1:-1]:
        row[1] = int(row[1])  # 计划ID as a number cell
    xlsx = s.write_xlsx_xlsxwriter(tmp_path / "新.xlsx", rows)
    csv_file = csv_report(tmp_path, "旧.csv", old, layout=s.VARIANT)
    import_reports(demo_path, csv_file, xlsx)
    known = s.sums(new)  # every campaign-day of the CSV is replaced: nothing counted twice
    assert named_values(demo_path, "Actuals_Spend") == pytest.approx(known["spend"], abs=0.005)
    assert len(rows_of(demo_path, c.ACTUALS_DAILY)) == 5 * 2  # 5 days × 2 plans, once each


# ---- Import log, failures, untrusted names ------------------------------------------------------
def test_import_files_import_log_newest_first(demo_path, tmp_path):
    jan = s.month(days=31)
    a = csv_report(tmp_path, "A.csv", between(jan, 1, 10))
    b = csv_report(tmp_path, "B.csv", between(jan, 11, 20))
    cc = s.write_xlsx_openpyxl(tmp_path / "C.xlsx", s.table(between(jan, 21, 31), total=None))
    import_reports(demo_path, a)
    import_reports(demo_path, b, cc)
    log = rows_of(demo_path, c.IMPORT_LOG)
    assert [r["file"] for r in log] == ["C.xlsx", "B.csv", "A.csv"]
    assert {r["imported_at"] for r in log} == {"2027-02-20 09:30"}
    assert [(day_of(r["first_date"]), day_of(r["last_date"])) for r in log] == [
        (dt.date(2027, 1, 21), dt.date(2027, 1, 31)),
        (dt.date(2027, 1, 11), dt.date(2027, 1, 20)),
        (dt.date(2027, 1, 1), dt.date(2027, 1, 10)),
    ]
    # rows read: 11 days × 3 campaigns (no 合计); 10 × 3 + 合计; 10 × 3 + 合计
    assert [(r["rows"], r["skipped"]) for r in log] == [(33, 0), (31, 1), (31, 1)]


def test_import_files_import_log_keeps_ten_newest(demo_path, tmp_path):
    lines = s.steady(dt.date(2027, 1, 1), 1, 10_000, 2)
    for n in range(12):
        import_reports(demo_path, csv_report(tmp_path, f"第{n:02d}次.csv", lines))
    log = rows_of(demo_path, c.IMPORT_LOG)
    assert [r["file"] for r in log] == [f"第{n:02d}次.csv" for n in range(11, 1, -1)]


def _unknown(folder):
    return csv_report(folder, "未知.csv", s.month(days=2), layout=s.UNKNOWN)


def _garbage(folder):
    path = folder / "乱码.csv"
    path.write_bytes(bytes(range(256)) * 100)
    return path


def _not_a_zip(folder):
    path = folder / "假的.xlsx"
    path.write_text("这不是 xlsx")
    return path


@pytest.mark.parametrize("bad", [_unknown, _garbage, _not_a_zip], ids=["unknown", "garbage", "not-zip"])
def test_import_files_bad_report_workbook_byte_for_byte_unchanged(demo_path, tmp_path, bad):
    import_reports(demo_path, csv_report(tmp_path, "好.csv", s.month(days=3)))
    before = demo_path.read_bytes()
    good = csv_report(tmp_path, "也好.csv", s.month(first=dt.date(2027, 1, 4), days=3))
    with pytest.raises((ReportFormatError, WorkbookFileError)):
        import_reports(demo_path, good, bad(tmp_path))
    assert demo_path.read_bytes() == before
    assert not list(tmp_path.glob(".dyplan-*"))  # no temporary file left behind


@pytest.mark.parametrize("name", ["=1+1.csv", "+1.csv", "-1.csv", "@x.csv", '=HYPERLINK("x").csv'])
def test_import_files_formula_looking_file_name_stored_as_text(demo_path, tmp_path, name):
    import_reports(demo_path, csv_report(tmp_path, name, s.month(days=2)))
    sheet, top, left = c.table_origin(c.IMPORT_LOG)
    cell = load_workbook(demo_path)[sheet].cell(top, left + c.IMPORT_LOG.column("file"))
    assert (cell.value, cell.data_type) == (name, "s")
    formula = escape(name.removeprefix("="))  # how a formula cell would hold it: <f>1+1.csv</f>
    with zipfile.ZipFile(demo_path) as archive:
        sheets = [archive.read(i).decode() for i in archive.infolist() if "worksheets/" in i.filename]
    assert not any(f"<f>{formula}</f>" in xml for xml in sheets)


# ---- Plan against actuals -----------------------------------------------------------------------
def test_import_files_phase_tracking_p1_spend_is_january_1_to_30(demo_path, tmp_path):
    lines = s.month()  # January 1–31: day 31 is P2's first day
    import_reports(demo_path, csv_report(tmp_path, "千川_1月.csv", lines))
    phases = {row["phase"]: row for row in rows_of(demo_path, c.PHASE_TRACKING)}
    p1, p2 = s.sums(between(lines, 1, 30)), s.sums(between(lines, 31, 31))
    assert phases["P1"]["spend"] == pytest.approx(p1["spend"], abs=0.005)
    assert phases["P2"]["spend"] == pytest.approx(p2["spend"], abs=0.005)
    assert phases["P1"]["ctr"] == pytest.approx(p1["clicks"] / p1["impressions"])
    assert phases["P1"]["cpa"] == pytest.approx(p1["spend"] / p1["conversions"])
    assert not phases["P3"]["spend"] and not phases["P4"]["spend"]


def checkpoint(path, phase: str, day: int, metric_en: str) -> dict:
    rows = rows_of(path, c.CHECKPOINTS_TABLE)
    return next(r for r in rows if (r["phase"], r["day"], r["metric_en"]) == (phase, day, metric_en))


@pytest.mark.parametrize(
    ("daily_fen", "cpa", "status"),
    [
        # Days 1–30, ¥4,800.00 and 100 conversions a day: 144,000.00 ÷ 3,000 = ¥48.00 ≤ ¥51.20
        (480_000, 48.00, "达标"),
        # ¥5,500.00 a day: 165,000.00 ÷ 3,000 = ¥55.00; over by 3.80 < 15 % × 51.20 = 7.68
        (550_000, 55.00, "预警"),
        # ¥6,400.00 a day: 192,000.00 ÷ 3,000 = ¥64.00; over by 12.80 ≥ 7.68
        (640_000, 64.00, "未达标"),
    ],
    ids=["met", "warning", "missed"],
)
def test_import_files_p1_day30_cpa_checkpoint_status(demo_path, tmp_path, daily_fen, cpa, status):
    # Target CPA = baseline AOV 128 ÷ target ROI 2.5 = ¥51.20. Day 31 (P2) costs ¥1,000.00 a
    # conversion and must not enter the day-30 window.
    lines = s.steady(dt.date(2027, 1, 1), 30, daily_fen, 100) + s.steady(dt.date(2027, 1, 31), 1, 100_000, 2)
    import_reports(demo_path, csv_report(tmp_path, "千川_1月.csv", lines))
    row = checkpoint(demo_path, "P1", 30, "CPA")
    assert row["target"] == pytest.approx(128 / 2.5)
    assert row["measured"] == pytest.approx(cpa)
    assert row["status"] == status


def test_import_files_checkpoint_after_data_end_stays_unmeasured(demo_path, tmp_path):
    lines = s.steady(dt.date(2027, 1, 1), 29, 480_000, 100)  # data through day 29 only
    import_reports(demo_path, csv_report(tmp_path, "千川_1月.csv", lines))
    row = checkpoint(demo_path, "P1", 30, "CPA")
    assert row["measured"] is None
    assert row["status"] == "缺数据"  # due 2027-01-30, today 2027-02-20, nothing measured


CONVERSION_COST = [ind.key for ind in INDICATORS].index("conversion_cost")


def cost_rise(recent_fen: int) -> list[Line]:
    """January 1–14 at ¥5,000.00 and 100 conversions a day, then 7 days at ``recent_fen`` and 100."""
    return s.steady(dt.date(2027, 1, 1), 14, 500_000, 100) + s.steady(
        dt.date(2027, 1, 15), 7, recent_fen, 100
    )


def alert(path, alert_zh: str) -> dict:
    return next(r for r in rows_of(path, c.ALERTS_TABLE) if r["alert_zh"] == alert_zh)


@pytest.mark.parametrize(
    ("recent_fen", "change", "fired"),
    [
        # First 14 days ¥5,000.00 and 100 conversions a day: CPA ¥50.00.
        # Last 7 days ¥7,000.00 a day: CPA ¥70.00 → (70 − 50) ÷ 50 = +40 % > 30 %
        (700_000, 0.40, True),
        # ¥6,000.00 a day: ¥60.00 → +20 %
        (600_000, 0.20, False),
        # ¥6,500.00 a day: ¥65.00 → +30 % exactly, not above the threshold
        (650_000, 0.30, False),
    ],
    ids=["+40%", "+20%", "+30%"],
)
def test_import_files_conversion_cost_alert_fires_above_30_percent(
    demo_path, tmp_path, recent_fen, change, fired
):
    table_cell(demo_path, c.RISK_TABLE, CONVERSION_COST, "value", None)  # the demo types 0.12 there
    lines = cost_rise(recent_fen)
    plan = import_reports(demo_path, csv_report(tmp_path, "千川_1月.csv", lines))[0].plan
    row = alert(demo_path, "转化成本上升超过阈值")
    assert row["value"] == pytest.approx(change)
    assert row["fired"].startswith("是") is fired
    assert ("转化成本上升超过阈值" in named_values(demo_path, "Alerts_Fired")) is fired
    assert bool(plan.alerts.set_index("rule").loc["conversion_cost", "fired"]) is fired


def test_import_files_typed_risk_value_wins_over_reports(demo_path, tmp_path):
    """The demo types conversion cost +12 %: a report's +40 % does not replace what the user typed."""
    lines = cost_rise(700_000)
    import_reports(demo_path, csv_report(tmp_path, "千川_1月.csv", lines))
    row = alert(demo_path, "转化成本上升超过阈值")
    assert row["value"] == pytest.approx(0.12)
    assert row["fired"] == "否"


# ---- The command ----------------------------------------------------------------------------------
runner = CliRunner()


def test_cli_import_report_prints_rows_per_file_and_exits_0(demo_path, tmp_path):
    jan = s.month()
    a = csv_report(tmp_path, "千川_上旬.csv", between(jan, 1, 10))
    b = s.write_xlsx_openpyxl(tmp_path / "千川_中下旬.xlsx", s.table(between(jan, 11, 31), titles=["报表"]))
    result = runner.invoke(app, ["import-report", str(demo_path), str(a), str(b)])
    assert result.exit_code == 0, result.output
    # 10 days × 3 campaigns + 合计; 21 days × 3 campaigns + 合计
    assert (
        "千川_上旬.csv：识别为 read as 千川·标准推广；2027-01-01 – 2027-01-10；"
        "读取 31 行 rows，跳过 skipped 1" in result.output
    )
    assert (
        "千川_中下旬.xlsx：识别为 read as 千川·标准推广；2027-01-11 – 2027-01-31；"
        "读取 64 行 rows，跳过 skipped 1" in result.output
    )
    assert "已更新 updated" in result.output
    assert named_values(demo_path, "Actuals_Spend") == pytest.approx(s.sums(jan)["spend"], abs=0.005)


def test_cli_import_report_fired_alert_printed(demo_path, tmp_path):
    table_cell(demo_path, c.RISK_TABLE, CONVERSION_COST, "value", None)
    lines = cost_rise(700_000)
    result = runner.invoke(app, ["import-report", str(demo_path), str(csv_report(tmp_path, "r.csv", lines))])
    assert result.exit_code == 0, result.output
    assert "预警 alert 转化成本上升超过阈值" in result.output


def test_cli_import_report_unknown_layout_bilingual_message_exits_1(demo_path, tmp_path):
    before = demo_path.read_bytes()
    result = runner.invoke(app, ["import-report", str(demo_path), str(_unknown(tmp_path))])
    assert result.exit_code == 1
    assert "无法识别报表格式" in result.output and "unknown report layout" in result.output
    assert "名称" in result.output and "消耗" in result.output
    assert "Traceback" not in result.output
    assert demo_path.read_bytes() == before


def hourly_report(path, first_weeks: tuple[float, float], last_week: tuple[float, float]) -> object:
    """21 days of a report split by 时段 (two slots): 1,000 spend a day, shares as given."""
    lines = ["日期,时段,消耗,展示次数,点击次数,转化数,直接成交金额,直接成交订单数"]
    for day in range(21):
        date = (dt.date(2027, 1, 1) + dt.timedelta(days=day)).isoformat()
        shares = first_weeks if day < 14 else last_week
        for slot, share in zip(("00-12", "12-24"), shares, strict=True):
            lines.append(f"{date},{slot},{1000 * share:.2f},50000,700,12,3000,10")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def test_import_time_slot_shift_is_measured_scored_and_kept(demo_path, tmp_path):
    # First 14 days 60 % / 40 % of spend by slot, last 7 days 30 % / 70 %:
    # shift = ½ (|0.6 − 0.3| + |0.4 − 0.7|) = 0.30, the critical anchor → score 100.
    operations.import_files(demo_path, [hourly_report(tmp_path / "时段.csv", (0.6, 0.4), (0.3, 0.7))])
    shift = {r["indicator_en"]: r for r in rows_of(demo_path, c.MIX_SHIFT)}
    assert shift["time-slot mix shift"]["shift"] == pytest.approx(0.30)
    assert day_of(shift["time-slot mix shift"]["through"]) == dt.date(2027, 1, 21)
    assert shift["device mix shift"]["shift"] is None  # the report has no 设备 column
    risk = {r["indicator_en"]: r for r in rows_of(demo_path, c.RISK_TABLE)}
    assert risk["time-slot mix shift"]["measured"] == pytest.approx(0.30)
    assert risk["time-slot mix shift"]["score"] == pytest.approx(100)
    # A later report without 时段 keeps the shift measured before, through regenerate too.
    later = csv_report(tmp_path, "无时段.csv", [Line(dt.date(2027, 2, 1), "计划A", 50_000)])
    operations.import_files(demo_path, [later])
    operations.regenerate_file(demo_path, today=NOW.date())
    shift = {r["indicator_en"]: r for r in rows_of(demo_path, c.MIX_SHIFT)}
    assert shift["time-slot mix shift"]["shift"] == pytest.approx(0.30)
