"""The 优化建议, 重新规划 and 投放设置 sheets of a first-day workbook (only the required inputs typed):
written by every regenerate and import, the engine's numbers, adding up to the fen, and saying so in
their place while there is nothing to show.

Expected numbers follow the rules with a fresh template's assumptions: a mature shop with a GMV
target of 50,000,000 at 6 % has 2,700,000 to allocate after the 10 % reserve; target ROI 2.5.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from dyplan import operations
from dyplan.book import contract as c
from dyplan.book.action_cells import NO_REPORTS
from dyplan.model import PLAN_TYPE_CHANNEL, PlanType
from dyplan.template.render import LINE, text_lines
from tests.book.conftest import TODAY, named_values, set_cells
from tests.reports import samples as s
from tests.reports.samples import Line
from tests.test_first_day import SPEND, first_day, leaks, rows, write_report  # noqa: F401 (fixture)

START = dt.date(2027, 1, 1)
ALLOCATABLE = 2_700_000  # 50,000,000 × 6 % = 3,000,000, less its 10 % reserve
SHEETS = (c.OPTIMISE, c.REPLAN, c.SETTINGS)
ERROR_VALUES = re.compile(r"^(#NAME\?|#REF!|#VALUE!|#DIV/0!|#N/A|#NUM!|#NULL!)$")
#: The plan types' columns on 投放设置, and the calendar's column of the channel each one spends.
PLAN_TYPES = {kind.value: PLAN_TYPE_CHANNEL[kind].value for kind in PlanType}
#: Each channel of the varied report: (营销目标 or 广告类型, base daily spend, curve V, curve K).
VARIED = {"feed": ("短视频", 4_000, 20_000, 6_000), "live": ("直播", 1_200, 6_000, 2_000),
          "search": ("搜索", 2_500, 9_000, 3_000)}  # fmt: skip
VARIED_DAYS = 45


def fen(value: float) -> int:
    return round(value * 100)


def varied_report(folder: Path) -> Path:
    """45 days of three channels whose spend swings ±50 % and whose GMV follows V·s / (s + K) within
    5 %: enough days, and varied enough, for every channel's curve to be fitted."""
    lines = []
    for d in range(VARIED_DAYS):
        for campaign, base, v, k in VARIED.values():
            spend = base * (1 + 0.5 * math.sin(d / 3))
            gmv = v * spend / (spend + k) * (1 + 0.05 * math.cos(d * 1.7))
            day = START + dt.timedelta(days=d)
            lines.append(
                Line(day, campaign, round(spend * 100), 50_000, 800, 20, round(gmv * 100), 20, campaign)
            )
    return s.write_csv(folder / "三渠道.csv", s.table(lines, s.PLATFORM))


def error_values(path: Path) -> list[str]:
    wb = load_workbook(path)
    return [f"{sheet.name}!{cell.coordinate}" for sheet in SHEETS for row in wb[sheet.name].iter_rows()
            for cell in row if isinstance(cell.value, str) and ERROR_VALUES.match(cell.value)]  # fmt: skip


#: A series range in a chart part (openpyxl, which typed the first-day inputs, writes no prefix).
FORMULA = re.compile(r"<(?:c:)?f>([^<]+)</(?:c:)?f>")


def charts_of(path: Path, sheet: c.Sheet) -> list[str]:
    """The chart parts whose series read the sheet's cells."""
    with zipfile.ZipFile(path) as archive:
        charts = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/charts/chart")]
    return [
        chart for chart in charts if any(f.strip("'").startswith(sheet.name) for f in FORMULA.findall(chart))
    ]


def ranges_of(chart: str) -> list[str]:
    return [ref.replace("'", "") for ref in FORMULA.findall(chart)]


@pytest.fixture
def regenerated(first_day: Path) -> Path:  # noqa: F811
    operations.regenerate_file(first_day, today=TODAY)
    return first_day


@pytest.fixture
def imported(first_day: Path, tmp_path: Path) -> Path:  # noqa: F811
    """The first-day workbook after one import: 3 days (2027-01-01 to 01-03), 6,324.91 spent."""
    operations.import_files(first_day, [write_report(tmp_path)])
    return first_day


def test_a_first_day_workbook_fills_the_three_sheets_before_and_after_an_import(first_day, tmp_path):  # noqa: F811
    operations.regenerate_file(first_day, today=TODAY)
    assert error_values(first_day) == [] and leaks(first_day) == []
    assert len(rows(first_day, c.OPTIMISE_PHASES)) == 4 and len(rows(first_day, c.OPTIMISE_CHANNELS)) == 12
    assert named_values(first_day, "Replan_Through") == NO_REPORTS
    assert named_values(first_day, "Settings_Start").date() == START  # nothing spent: from day 1
    assert len(rows(first_day, c.SETTINGS_DAYS)) == 28

    operations.import_files(first_day, [write_report(tmp_path)])
    operations.regenerate_file(first_day, today=TODAY)
    assert error_values(first_day) == [] and leaks(first_day) == []
    assert named_values(first_day, "Replan_Through").date() == dt.date(2027, 1, 3)
    assert named_values(first_day, "Replan_Day") == 3
    assert named_values(first_day, "Replan_Spent") == pytest.approx(SPEND, abs=0.005)
    assert named_values(first_day, "Settings_Start").date() == dt.date(2027, 1, 4)  # the day after
    assert len(rows(first_day, c.REPLAN_MONTHS)) == 12  # 2027-01 … 2027-12


def test_settings_days_add_up_to_their_weeks_and_before_any_import_are_the_calendars(regenerated):
    days, weeks = rows(regenerated, c.SETTINGS_DAYS), rows(regenerated, c.SETTINGS_WEEKS)
    assert [d["date"].date() for d in days] == [START + dt.timedelta(days=i) for i in range(28)]
    assert [d["week"] for d in days] == [w for w in (1, 2, 3, 4) for _ in range(7)]
    for week in weeks:
        mine = [d for d in days if d["week"] == week["week"]]
        for kind in PLAN_TYPES:
            assert sum(fen(d[kind]) for d in mine) == fen(week[kind]), (week["week"], kind)
        assert fen(week["total"]) == sum(fen(week[kind]) for kind in PLAN_TYPES)
    for day in days:
        assert fen(day["total"]) == sum(fen(day[kind]) for kind in PLAN_TYPES)
    # Nothing spent yet: the re-plan spreads all 2,700,000 in the plan's own proportions, so every
    # day's budget per plan type is the calendar's amount of its channel that day.
    calendar = {d["date"]: d for d in rows(regenerated, c.DAILY_PLAN)}
    for day in days:
        for kind, channel in PLAN_TYPES.items():
            assert fen(day[kind]) == fen(calendar[day["date"]][channel]), (day["date"], kind)


def test_settings_after_an_import_add_up_to_the_replanned_weeks_to_the_fen(imported):
    replanned, _ = operations.replan_file(imported, today=TODAY)
    days = rows(imported, c.SETTINGS_DAYS)
    assert days[0]["date"].date() == dt.date(2027, 1, 4) and days[0]["day"] == 4
    by_date = replanned.daily.set_index("date")
    for week in rows(imported, c.SETTINGS_WEEKS):
        dates = [d["date"].date() for d in days if d["week"] == week["week"]]
        assert len(dates) == week["days"] == 7
        for kind, channel in PLAN_TYPES.items():
            replanned_week = sum(fen(by_date.at[date, channel]) for date in dates)
            assert (
                fen(week[kind])
                == replanned_week
                == sum(fen(d[kind]) for d in days if d["week"] == week["week"])
            )


def test_replan_spreads_exactly_the_budget_left_to_the_fen(imported):
    # 2,700,000 − 6,324.91 = 2,693,675.09
    assert fen(named_values(imported, "Replan_Remaining")) == fen(ALLOCATABLE) - fen(SPEND) == 269_367_509
    months = rows(imported, c.REPLAN_MONTHS)
    assert sum(fen(m["replan"]) for m in months) == fen(ALLOCATABLE)  # spent + the rest re-spread
    assert sum(fen(m["actual"] or 0) for m in months) == fen(SPEND)
    assert sum(fen(m["plan"]) for m in months) == fen(ALLOCATABLE)
    phases = rows(imported, c.REPLAN_PHASES)
    assert sum(fen(p["replan"]) for p in phases) == fen(ALLOCATABLE)
    allocatable = [p["allocatable"] for p in rows(imported, c.PHASE_TABLE)]
    assert [fen(p["plan"]) for p in phases] == [fen(a) for a in allocatable]
    for p in phases:
        assert fen(p["change"]) == fen(p["replan"]) - fen(p["plan"])


def test_replan_before_any_import_says_so_in_its_place_not_in_zeros(regenerated):
    assert named_values(regenerated, "Replan_Through") == NO_REPORTS
    for name in ("Replan_Day", "Replan_Spent", "Replan_ROI_To_Date", "Replan_Projected_Spend",
                 "Replan_Budget_Needed", "Replan_ROI_Needed"):  # fmt: skip
        assert named_values(regenerated, name) is None, name
    assert named_values(regenerated, "Replan_GMV_Target") == pytest.approx(6_750_000)  # 2,700,000 × 2.5
    assert named_values(regenerated, "Replan_Remaining") == pytest.approx(ALLOCATABLE)
    assert [p["actual"] for p in rows(regenerated, c.REPLAN_PHASES)] == [None] * 4
    assert rows(regenerated, c.REPLAN_MONTHS) == []
    (chart,) = charts_of(regenerated, c.REPLAN)
    assert c.REPLAN_CHART.empty[0] in chart and c.REPLAN_CHART.title[0] not in chart


def test_replan_chart_draws_every_month_once_reports_are_imported(imported):
    (chart,) = charts_of(imported, c.REPLAN)
    _, top, _ = c.table_origin(c.REPLAN_MONTHS)
    last = top + 11
    assert ranges_of(chart) == [
        f"重新规划!${col}${top}:${col}${last}" for col in "ABACAD"
    ]  # month × plan, actual, re-plan
    assert c.REPLAN_CHART.title[0] in chart


def test_optimise_sheet_is_the_engines_proposal(regenerated):
    proposal = operations.optimize_file(regenerated, today=TODAY).proposal
    sheet = rows(regenerated, c.OPTIMISE_CHANNELS)
    engine = [(p, i) for p in proposal.phases for i in range(3)]
    assert [r["proposed_share"] for r in sheet] == [pytest.approx(p.proposed_mix[i]) for p, i in engine]
    assert [fen(r["proposed_cny"]) for r in sheet] == [fen(p.proposed_cny[i]) for p, i in engine]
    assert [r["marginal_roi"] for r in sheet] == [
        pytest.approx(p.proposed.marginal_roi[i]) for p, i in engine
    ]
    # the current shares beside them are those typed in 假设's channel mix
    mix = named_values(regenerated, "Channel_Mix")
    assert [r["current_share"] for r in sheet] == [mix[n][i] for n in range(4) for i in range(3)]
    phases = rows(regenerated, c.OPTIMISE_PHASES)
    assert [fen(r["proposed_gmv"]) for r in phases] == [fen(p.proposed_gmv) for p in proposal.phases]
    total_uplift = sum(fen(r["uplift"]) for r in phases)
    assert fen(named_values(regenerated, "Optimise_Uplift")) == total_uplift > 0
    assert "dyplan optimize" in named_values(regenerated, "Optimise_Accept")


def gmv(v: float, k: float, a: float, spend: float) -> float:
    """V·sᵃ / (sᵃ + Kᵃ), written out again."""
    return v * spend**a / (spend**a + k**a)


def test_optimise_sheet_gmv_is_its_curves_at_its_daily_spends(regenerated):
    """Each phase's ad GMV, now and proposed, is its days × Σ over channels of the sheet's own curve
    (V, K, a of Curve_Sources) at that channel's daily spend (its amount ÷ the phase's days)."""
    curves = [(r["max_gmv"], r["half_saturation"], r["shape"]) for r in rows(regenerated, c.CURVE_SOURCES)]
    channels = rows(regenerated, c.OPTIMISE_CHANNELS)
    for n, phase in enumerate(rows(regenerated, c.OPTIMISE_PHASES)):
        days = phase["days"]
        mine = channels[3 * n : 3 * n + 3]
        for key in ("current", "proposed"):
            expected = days * sum(
                gmv(*curve, r[f"{key}_cny"] / days) for curve, r in zip(curves, mine, strict=True)
            )
            # V and K are shown to the fen: the GMV agrees to a millionth
            assert phase[f"{key}_gmv"] == pytest.approx(expected, rel=1e-6), (phase["phase"], key)
        assert fen(phase["uplift"]) == fen(phase["proposed_gmv"]) - fen(phase["current_gmv"])


def test_seeded_curves_pass_through_the_planned_spend_at_the_target_roi(regenerated):
    """No actuals: each curve is seeded through the channel's planned daily spend s₀ (its year's amount
    ÷ 365) at the target ROI 2.5, with K = s₀ ÷ 0.5; V·x / (x + 1) = 2.5 s₀ at x = s₀/K = 0.5 gives
    V = 2.5 s₀ × 3 = 7.5 s₀."""
    channel_rows = rows(regenerated, c.CHANNEL_TABLE)
    sources = rows(regenerated, c.CURVE_SOURCES)
    for source, key in zip(sources, ("feed", "search", "live"), strict=True):
        planned = sum(r[key] for r in channel_rows) / 365
        assert source["source_zh"] == "由方案推算"
        assert source["half_saturation"] == pytest.approx(2 * planned, abs=0.01)
        assert source["max_gmv"] == pytest.approx(7.5 * planned, abs=0.01)
        assert source["shape"] == 1
        assert source["days"] is None and source["r_squared"] is None
    assert "没有实际数据" in named_values(regenerated, "Curve_Note_Feed")


def test_fitted_curves_name_their_days_and_their_charts_draw_the_actual_days(first_day, tmp_path):  # noqa: F811
    operations.import_files(first_day, [varied_report(tmp_path)])
    sources = rows(first_day, c.CURVE_SOURCES)
    assert [r["source_zh"] for r in sources] == ["实际数据拟合"] * 3
    assert [r["days"] for r in sources] == [VARIED_DAYS] * 3
    assert all(r["r_squared"] > 0.9 for r in sources)  # GMV follows its curve within 5 %
    assert f"按 {VARIED_DAYS} 天实际数据拟合" in named_values(first_day, "Curve_Note_Search")
    points = rows(first_day, c.CURVE_POINTS)
    assert len(points) == VARIED_DAYS  # more days than the curve's 25 points
    assert [p["date"].date() for p in points] == [START + dt.timedelta(days=d) for d in range(VARIED_DAYS)]
    assert all(p["feed_spend"] > 0 and p["feed_gmv"] > 0 for p in points)
    assert sum(p["live_curve_spend"] is not None for p in points) == c.CURVE_POINTS_DRAWN
    # each channel's chart runs over all 45 rows of its own four columns, under its own title
    _, top, left = c.table_origin(c.CURVE_POINTS)
    charts = charts_of(first_day, c.OPTIMISE)
    assert len(charts) == 3
    for chart, block in zip(charts, c.CURVE_CHARTS, strict=True):
        first, last = block.drawn(c.CURVE_POINTS)
        ranges = set(ranges_of(chart))
        columns = {re.search(r"\$([A-Z]+)\$", ref)[1] for ref in ranges}
        assert ranges == {f"优化建议!${col}${top}:${col}${top + VARIED_DAYS - 1}" for col in columns}
        assert columns == {c.address(1, left + j)[:-1] for j in range(first, last + 1)}
        assert block.title[0] in chart


def test_accepting_a_fitted_proposal_leaves_nothing_more_to_accept(first_day, tmp_path):  # noqa: F811
    """Fitted curves do not move with the mix: once their proposal is typed in, it is the proposal."""
    operations.import_files(first_day, [varied_report(tmp_path)])
    operations.optimize_file(first_day, accept=True, today=TODAY)
    assert named_values(first_day, "Optimise_Accept").startswith("「假设」的渠道分配已是建议的占比")
    assert all(fen(r["uplift"]) == 0 for r in rows(first_day, c.OPTIMISE_PHASES))


#: The sentences of the three sheets that span several cells, with room for as many lines as they need.
SENTENCES = ("Optimise_Accept", "Curve_Note_Feed", "Curve_Note_Search", "Curve_Note_Live", "Settings_Basis")


def room(ws, name: str) -> tuple[float, float]:
    """The width a field's value has (its merged columns') and the height of its row."""
    _, row, col = c.cell_of(name)
    merged = next(m for m in ws.merged_cells.ranges if (m.min_row, m.min_col) == (row, col))
    widths = (ws.column_dimensions[get_column_letter(j)].width for j in range(col, merged.max_col + 1))
    return sum(math.floor(w) for w in widths), ws.row_dimensions[row].height


@pytest.mark.parametrize("report", ["none", "three days", "varied"])
def test_the_sentences_fit_the_cells_they_span(first_day, tmp_path, report):  # noqa: F811
    """Without reports, with too few days to fit (the longest note: why not), and fitted."""
    if report == "none":
        operations.regenerate_file(first_day, today=TODAY)
    else:
        operations.import_files(
            first_day, [write_report(tmp_path) if report == "three days" else varied_report(tmp_path)]
        )
    wb = load_workbook(first_day)
    for name in SENTENCES:
        sheet, row, col = c.cell_of(name)
        value = wb[sheet].cell(row, col).value
        width, height = room(wb[sheet], name)
        assert isinstance(value, str) and text_lines(value, width) * LINE <= height, (name, value)


def test_a_plan_without_budget_still_regenerates_and_says_why_there_is_no_proposal(first_day):  # noqa: F811
    """A mature ratio of 0 % leaves nothing to allocate, so no curve can be seeded: the plan stands,
    and 优化建议 says why it proposes nothing instead of failing the regenerate."""
    set_cells(first_day, {"Ratio_Mature": 0})
    operations.regenerate_file(first_day, today=TODAY)
    assert named_values(first_day, "Total_Budget") == 0
    assert "没有可分配预算" in named_values(first_day, "Optimise_Accept")
    assert rows(first_day, c.OPTIMISE_PHASES) == [] and rows(first_day, c.CURVE_SOURCES) == []
    assert error_values(first_day) == [] and leaks(first_day) == []


def test_once_the_actuals_cover_the_whole_plan_nothing_is_left_to_set(first_day, tmp_path):  # noqa: F811
    year = [Line(START + dt.timedelta(days=d), "全年", 100_000, 1_000, 10, 1, 250_000, 1) for d in range(365)]
    operations.import_files(first_day, [s.write_csv(tmp_path / "全年.csv", s.table(year, s.PLATFORM))])
    assert named_values(first_day, "Replan_Day") == 365
    assert named_values(first_day, "Settings_Start") == "方案已结束 / the plan is over"
    assert "请制定下一年的方案" in named_values(first_day, "Settings_Basis")
    assert rows(first_day, c.SETTINGS_DAYS) == [] and rows(first_day, c.SETTINGS_WEEKS) == []
    # 365 days × 1,000.00 spent: the budget left is 2,700,000 − 365,000, with no day to spend it on
    assert fen(named_values(first_day, "Replan_Spent")) == 36_500_000
    assert named_values(first_day, "Replan_Remaining") == 0
