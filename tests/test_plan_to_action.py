"""From plan to action at the command line: the optimiser's proposal, its acceptance, and the
re-plan with what to set in Qianchuan, on a first-day workbook (only the required inputs typed)."""

import hashlib

import pytest
from typer.testing import CliRunner

from dyplan.book import contract as c
from dyplan.cli import app
from tests.book.conftest import named_values
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
