"""Argument converters of the worksheet functions: what each accepts as Excel sends it, and the
bilingual message naming the argument when it cannot."""

import datetime as dt
import math

import pytest

from dyplan.excel.converters import (
    Assumption,
    CellArgumentError,
    InputField,
    MatrixRating,
    Number,
    Numbers,
    OneOf,
    chain,
    checked_inputs,
    daily_history,
    date,
    if_given,
    is_at_least,
    metric_key,
    nonnegative_weights,
    not_negative,
    number,
    or_no_value,
    required,
    rows,
)
from dyplan.model import Category, Phase, Stage

SERIAL_2027_03_01 = 46447.0  # days since 1899-12-30


def message(converter, value, argument="arg"):
    """The (zh, en) a converter raises for ``value``."""
    with pytest.raises(CellArgumentError) as raised:
        converter(value, argument)
    return raised.value.zh, raised.value.en


ACCEPTED = {
    "number as Excel sends it": (number, 1234.0, 1234.0),
    "number typed with separators": (number, "1,234", 1234.0),
    "percent text": (number, "9%", 0.09),
    "yuan text": (number, "¥12", 12.0),
    "ten-thousands": (number, "1.2万", 12_000.0),
    "whole number as a float": (number, 3, 3.0),
    "blank number": (number, None, None),
    "empty text": (number, "", None),
    "required number": (required, "5", 5.0),
    "zero is not negative": (not_negative, 0.0, 0.0),
    "date serial": (date, SERIAL_2027_03_01, dt.date(2027, 3, 1)),
    "datetime": (date, dt.datetime(2027, 3, 1, 8), dt.date(2027, 3, 1)),
    "date text": (date, "2027/3/1", dt.date(2027, 3, 1)),
    "blank date": (date, None, None),
    "phase key": (OneOf(Phase), "P2", Phase.P2),
    "phase in Chinese": (OneOf(Phase), "成熟期", Phase.P4),
    "stage in English": (OneOf(Stage), "launch", Stage.LAUNCH),
    "metric in Chinese": (metric_key, "转化成本", "cpa"),
    "metric in English": (metric_key, "creative CTR", "creative_ctr"),
    "≥": (is_at_least, "≥", True),
    ">=": (is_at_least, " >= ", True),
    "<=": (is_at_least, "<=", False),
    "one cell as rows": (rows, 5.0, [[5.0]]),
    "one row as rows": (rows, [1.0, 2.0], [[1.0, 2.0]]),
    "a column as rows": (rows, [[1.0], [2.0]], [[1.0], [2.0]]),
    "a column of numbers": (Numbers(), [[1.0], [None], ["2"]], (1.0, None, 2.0)),
    "a row of three": (Numbers(3), [[0.5, 0.4, 0.1]], (0.5, 0.4, 0.1)),
    "weights ≥ 0": (nonnegative_weights, (1.0, 0.0), (1.0, 0.0)),
    "GMV checked by the engine": (InputField("gmv_target"), 5e6, 5e6),
    "headcount stored whole": (InputField("headcount"), 3.0, 3),
    "category by label": (InputField("category"), "美妆", Category.BEAUTY),
    "tolerance typed": (Assumption("tolerance"), 0.05, 0.05),
    "tolerance blank: the seed's 15 %": (Assumption("tolerance"), None, 0.15),
    "horizon stored whole": (Assumption("forecast_horizon_days"), 7.0, 7),
    "target ROI, one entry of the targets": (Assumption("checkpoint_targets", "roi"), 3.0, 3.0),
    "target ROI blank: the seed's 2.5": (Assumption("checkpoint_targets", "roi"), None, 2.5),
    "P1's mix blank: the seed's 50/40/10": (Assumption("channel_mix", Phase.P1), None, (0.5, 0.4, 0.1)),
    "probability stored whole": (MatrixRating(0), 4.0, 4),
    "impact stored whole": (MatrixRating(1), 5.0, 5),
}  # fmt: skip


@pytest.mark.parametrize("converter, value, expected", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_converters_accept_what_excel_sends(converter, value, expected):
    got = converter(value, "arg")
    assert got == expected and type(got) is type(expected)


REJECTED = {  # converter, value, argument, then what it says in Chinese and in English
    "TRUE as a number": (number, True, "arg",
                         "应为数字，当前为 True", "must be a number, got True"),
    "words as a number": (number, "一百万", "gmv",
                          "应为数字，当前为 '一百万'", "must be a number, got '一百万'"),
    "blank required": (required, None, "target",
                       "不能为空", "is required"),
    "negative": (not_negative, -0.5, "budget",
                 "不能为负数", "cannot be negative"),
    "words as a date": (date, "monday", "start_date",
                        "应为日期，当前为 'monday'", "must be a date, got 'monday'"),
    "unknown phase": (OneOf(Phase), "P9", "phase",
                      "应为 基础建量期、精准获客期、深度转化期、成熟期 之一，当前为 'P9'",
                      "must be one of P1, P2, P3, P4, got 'P9'"),
    "a range as a phase": (OneOf(Phase), ["P1"], "phase",
                           "应为 基础建量期、精准获客期、深度转化期、成熟期 之一，当前为 ['P1']",
                           "must be one of P1, P2, P3, P4, got ['P1']"),
    "comparator =": (is_at_least, "=", "comparator",
                     "应为 ≥ 或 ≤，当前为 '='", "must be ≥ or ≤, got '='"),
    "two numbers for three": (Numbers(3), [[1.0, 2.0]], "cuts",
                              "应为 3 个数，当前为 2 个", "must be 3 numbers, not 2"),
    "a 2×2 block": (Numbers(), [[1.0, 2.0], [3.0, 4.0]], "ratio",
                    "应为一行或一列，当前为 2 行 × 2 列",
                    "must be one row or one column, got 2 rows × 2 columns"),
    "a blank weight": (nonnegative_weights, (1.0, None), "weights",
                       "每个权重应为 ≥ 0 的数", "every weight must be a number ≥ 0"),
    "13 days of history": (daily_history, [[1.0]] * 13, "history",
                           "至少需要 14 个值，当前 13 个", "needs at least 14 values, got 13"),
    "GMV not above 0": (InputField("gmv_target"), -1.0, "gmv",
                        "应为数字 > 0 且 ≤ 1e+13，当前为 -1.0",
                        "must be a number > 0 and <= 1e+13, got -1.0"),
    "blank category": (InputField("category"), None, "category",
                       "应为 美妆、服饰、食品、家居、3C、汽车、其他 之一，当前为空",
                       "must be one of beauty, apparel, food, home, electronics, auto, other, got blank"),
    "12 negative month weights": (InputField("seasonality"), (-1.0,) * 12, "seasonality",
                                  "应为数字 ≥ 0，当前为 -1.0（另有 11 处）",
                                  "must be a number >= 0, got -1.0 (11 more)"),
    "tolerance 150 %": (Assumption("tolerance"), 1.5, "tolerance",
                        "应为数字 ≥ 0 且 ≤ 1，当前为 1.5", "must be a number >= 0 and <= 1, got 1.5"),
    "46 days ahead": (Assumption("forecast_horizon_days"), 46.0, "horizon",
                      "应为整数 ≥ 1 且 ≤ 45，当前为 46.0", "must be a whole number >= 1 and <= 45, got 46.0"),
    "ROI 0": (Assumption("checkpoint_targets", "roi"), 0.0, "roi",
              "应为数字 > 0，当前为 0.0", "must be a number > 0, got 0.0"),
    "mix adding up to 150 %": (Assumption("channel_mix", Phase.P1), (0.5, 0.5, 0.5), "channel_mix",
                               "各项比例之和应为 100%，当前为 150.00%",
                               "shares must add up to 100%, they add up to 150.00%"),
    "probability 6": (MatrixRating(0), 6.0, "probability",
                      "应为整数 ≥ 1 且 ≤ 5，当前为 6.0", "must be a whole number >= 1 and <= 5, got 6.0"),
    "impact 2.5": (MatrixRating(1), 2.5, "impact",
                   "应为整数 ≥ 1 且 ≤ 5，当前为 2.5", "must be a whole number >= 1 and <= 5, got 2.5"),
}  # fmt: skip


@pytest.mark.parametrize("converter, value, argument, zh, en", REJECTED.values(), ids=REJECTED.keys())
def test_converters_name_the_argument_in_both_languages(converter, value, argument, zh, en):
    assert message(converter, value, argument) == (f"{argument}：{zh}", f"{argument}: {en}")


def test_converters_name_the_cell_of_a_range_that_is_no_number():
    assert message(Numbers(), [[1.0], ["y"]], "scores") == (
        "scores[2]：应为数字，当前为 'y'",
        "scores[2]: must be a number, got 'y'",
    )


def test_converters_metric_lists_what_there_is():
    zh, en = message(metric_key, "GMV", "metric")
    assert zh.startswith("metric：未知指标 'GMV'，可用：目标人群覆盖率、素材数量")
    assert en.startswith("metric: unknown metric 'GMV'; use one of reach, creatives")


def test_converters_history_drops_trailing_blanks_and_keeps_gaps():
    history = [[float(v)] for v in range(10, 17)] + [[None]] + [[float(v)] for v in range(18, 25)]
    days = daily_history(history + [[None]] * 3, "history")  # 14 values, a gap, a taller range
    assert len(days) == 15 and math.isnan(days[7]) and days[-1] == 24.0


def test_converters_chain_in_order_and_leave_blanks_for_if_given():
    tolerance = chain(number, Assumption("tolerance"))
    assert tolerance("5%", "tolerance") == 0.05 and tolerance(None, "tolerance") == 0.15
    assert if_given(Numbers(3))(None, "cuts") is None
    assert if_given(Numbers(3))([[1.0, 2.0, 3.0]], "cuts") == (1.0, 2.0, 3.0)
    assert Number.__metadata__ == (number,)


def test_converters_an_engine_check_counts_the_other_problems():
    with pytest.raises(CellArgumentError) as raised:
        checked_inputs("arg", gmv_target=-1.0, headcount=0)
    assert raised.value.zh.endswith("（另有 1 处）") and raised.value.en.endswith(" (1 more)")


def test_converters_a_range_where_one_cell_belongs_is_checked_uncached():
    zh, en = message(InputField("category"), ["美妆", "服饰"], "category")
    assert zh.endswith("当前为 ('美妆', '服饰')") and en.endswith("got ('美妆', '服饰')")


def test_converters_no_result_shows_a_dash_not_an_empty_text():
    """An empty cached result is one never computed to LibreOffice and WPS: they show an error."""
    assert or_no_value(None) == "—" and or_no_value(0.0) == 0.0
