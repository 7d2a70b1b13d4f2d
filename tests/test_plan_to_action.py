"""From plan to action at the command line: the optimiser's proposal, its acceptance, and the
re-plan with what to set in Qianchuan, on a first-day workbook (only the required inputs typed)."""

import hashlib

import numpy as np
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from dyplan.book import contract as c
from dyplan.cli import app
from tests.book.conftest import named_values, set_cells
from tests.test_first_day import SPEND, first_day, rows, write_report  # noqa: F401 (fixture)

runner = CliRunner()
#: A mature shop's allocatable budget: 50,000,000 × 6 % less the 10 % reserve (see test_first_day).
ALLOCATABLE = 2_700_000
PHASES = ("P1", "P2", "P3", "P4")


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_optimize_proposes_every_phase_and_changes_nothing_without_accept(first_day):  # noqa: F811
    before = digest(first_day)
    result = runner.invoke(app, ["optimize", str(first_day)])
    assert result.exit_code == 0, result.output
    for phase in ("基础建量期", "精准获客期", "深度转化期", "成熟期"):
        assert phase in result.output
    assert "保本ROI" in result.output and "--accept" in result.output
    assert digest(first_day) == before


def test_optimize_accept_types_the_proposed_shares_and_regenerates_with_them(first_day):  # noqa: F811
    result = runner.invoke(app, ["optimize", str(first_day), "--accept"])
    assert result.exit_code == 0, result.output
    mix = named_values(first_day, "Channel_Mix")
    for shares in mix:
        assert sum(shares) == pytest.approx(1, abs=1e-9)
    # the printed proposal is what was typed: each phase's "now → proposed" shares, in channel order
    printed = [[float(p.split("→")[1].strip(" %│")) / 100 for p in cells]
               for cells in _proposal_share_cells(result.output)]  # fmt: skip
    assert printed == [[pytest.approx(s, abs=0.0005) for s in shares] for shares in mix]
    # and regenerate split each phase's allocatable budget by them, to the fen
    for phase, shares in zip(rows(first_day, c.CHANNEL_TABLE), mix, strict=True):
        total = phase["feed"] + phase["search"] + phase["live"]
        for key, share in zip(("feed", "search", "live"), shares, strict=True):
            assert phase[key] == pytest.approx(total * share, abs=0.011)


def _proposal_share_cells(output: str) -> list[list[str]]:
    """The three channel cells (now → proposed) of each phase row of the printed proposal."""
    lines = [line for line in output.splitlines() if line.startswith("│ P")]
    return [[cell for cell in line.split("│")[1:-1]][-3:] for line in lines[: len(PHASES)]]


def test_optimize_refuses_a_target_roi_under_break_even_and_keeps_the_file(first_day):  # noqa: F811
    before = digest(first_day)
    result = runner.invoke(app, ["optimize", str(first_day), "--mode", "roi", "--target", "1", "--accept"])
    assert result.exit_code == 1
    assert "保本ROI" in result.output and "break-even" in result.output
    assert "Traceback" not in result.output
    assert digest(first_day) == before


def test_replan_counts_what_was_spent_and_spreads_the_rest(first_day, tmp_path):  # noqa: F811
    report = write_report(tmp_path)
    assert runner.invoke(app, ["import-report", str(first_day), str(report)]).exit_code == 0
    before = digest(first_day)
    result = runner.invoke(app, ["replan", str(first_day)])
    assert result.exit_code == 0, result.output
    assert "2027-01-03" in result.output and "第 3 天" in result.output
    assert f"¥{SPEND:,.2f}" in result.output
    assert f"¥{ALLOCATABLE - SPEND:,.2f}" in result.output  # 2,700,000 − 6,324.91
    for plan_type in ("直播全域", "商品全域", "搜索"):
        assert plan_type in result.output
    assert digest(first_day) == before  # re-planning only reads


#: Curves typed on 假设, feed / search / live: V (most GMV a day), K (the daily spend bringing V/2), a.
CURVES = [[20_000, 4_000, 1], [9_000, 1_000, 1], [6_000, 3_000, 1]]
#: A flat mature plan spends its allocatable evenly: 2,700,000 ÷ 365 = 7,397.26 a day in every phase.
DAILY = ALLOCATABLE / 365


def brute_force(budget: float, least: tuple[float, float, float] = (0, 0, 0), step: float = 0.0005):
    """The feed, search and live shares of ``budget`` with the most GMV on CURVES, over a grid of shares
    (each channel spending at least ``least``), with GMV = V·s ÷ (s + K) written out again."""
    feed = np.arange(0, 1 + step / 2, step)[:, None]
    search = np.arange(0, 1 + step / 2, step)[None, :]
    live = 1 - feed - search

    def gmv(share, curve):
        spend = np.clip(share, 0, None) * budget
        return curve[0] * spend / (spend + curve[1])

    total = sum(gmv(share, curve) for share, curve in zip((feed, search, live), CURVES, strict=True))
    allowed = live >= -1e-12
    for share, low in zip((feed, search, live), least, strict=True):
        allowed = allowed & (share * budget >= low - 1e-9)
    i, j = np.unravel_index(np.argmax(np.where(allowed, total, -np.inf)), total.shape)
    return float(feed[i, 0]), float(search[0, j]), float(1 - feed[i, 0] - search[0, j])


def type_curves(path, **cells) -> None:
    """The curves typed on 假设, with ``cells``; and no promotion event, so that every phase's day has the
    same budget (the year's allocatable ÷ 365)."""
    cells = {"Promo_Calendar": "仅填写的活动", **cells}
    wb = load_workbook(path)
    sheet, row, col = c.grid_origin(c.grid_of("response_curves"))
    for i, curve in enumerate(CURVES):
        for j, number in enumerate(curve):
            wb[sheet].cell(row + i, col + j).value = number
    wb.save(path)
    set_cells(path, cells)


def test_optimize_proposes_on_the_curves_typed_on_the_assumptions_sheet(first_day):  # noqa: F811
    """No bounds (a 100-point band, no live cap): on curves with a = 1 the best split has one marginal
    ROI λ, V·K ÷ (s + K)² = λ, so s = √(V·K) · (B + ΣK) ÷ Σ√(V·K) − K: with √(V·K) = 8,944.27, 3,000 and
    4,242.64 and B + ΣK = 15,397.26 that is 4,507.9 / 1,853.6 / 1,035.7, shares 60.94 / 25.06 / 14.00 %.
    A grid of every 0.05 % of the budget agrees."""
    type_curves(first_day, Share_Band=1, Early_Live_Cap=1)
    result = runner.invoke(app, ["optimize", str(first_day), "--accept"])
    assert result.exit_code == 0, result.output
    assert result.output.count("手动输入 typed") == 3  # every channel's curve is the typed one
    expected = brute_force(DAILY)
    assert expected == pytest.approx((0.6094, 0.2506, 0.1400), abs=0.0006)
    for shares in named_values(first_day, "Channel_Mix"):  # the proposal, accepted, in basis points
        assert shares == pytest.approx(expected, abs=0.0006)


def test_optimize_keeps_the_least_daily_spend_typed_on_the_assumptions_sheet(first_day):  # noqa: F811
    """Live must spend 3,000 of the 7,397.26 a day (40.56 %): the rest is split on the curves as before,
    feed and search meeting at one marginal ROI; the grid search under the same floor agrees."""
    type_curves(first_day, Share_Band=1, Early_Live_Cap=1)
    wb = load_workbook(first_day)
    sheet, row, col = c.grid_origin(c.grid_of("min_daily_spend"))
    wb[sheet].cell(row, col + 2).value = 3_000  # live
    wb.save(first_day)
    result = runner.invoke(app, ["optimize", str(first_day), "--accept"])
    assert result.exit_code == 0, result.output
    expected = brute_force(DAILY, least=(0, 0, 3_000))
    assert expected[2] == pytest.approx(3_000 / DAILY, abs=0.0006)
    for shares in named_values(first_day, "Channel_Mix"):
        assert shares == pytest.approx(expected, abs=0.0006)


def test_a_typed_margin_moves_the_proposals_break_even(first_day):  # noqa: F811
    """Margin 30 %, no refunds: break-even 1 ÷ 0.30 = 3.33, above the plan's target ROI 2.5. The seeded
    curves bring about the target ROI, so every phase's proposal is marked under break-even, and a target
    ROI of 2.5, fine at the defaults' 2.22, is refused."""
    assert runner.invoke(app, ["optimize", str(first_day), "--mode", "roi"]).exit_code == 0
    set_cells(first_day, {"Gross_Margin": 0.3, "Refund_Rate": 0})
    result = runner.invoke(app, ["optimize", str(first_day)])
    assert result.exit_code == 0, result.output
    assert "保本ROI break-even ROI 3.33" in result.output
    assert [line.count("⚠") for line in result.output.splitlines() if line.startswith("│ P")] == [1] * 4
    refused = runner.invoke(app, ["optimize", str(first_day), "--mode", "roi"])
    assert refused.exit_code == 1 and "保本ROI 3.33" in refused.output


def test_replan_raises_the_qianchuan_roi_goal_to_a_typed_break_even(first_day, tmp_path):  # noqa: F811
    """Reports so far: ROI 11,840.90 ÷ 6,324.91 = 1.87. The rest of the year needs (2,700,000 × 2.5 −
    11,840.90) ÷ (2,700,000 − 6,324.91) = 2.50; with margin 30 % and no refunds break-even is 3.333…,
    so the goal is raised to it and rounded up: 3.34."""
    set_cells(first_day, {"Gross_Margin": 0.3, "Refund_Rate": 0})
    report = write_report(tmp_path)
    assert runner.invoke(app, ["import-report", str(first_day), str(report)]).exit_code == 0
    result = runner.invoke(app, ["replan", str(first_day)])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "roi2_goal 3.34" in said and "raised to break-even" in said
