"""Every sheet of the planning workbook and the finished plan, block by block, declared once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from dyplan.book.contract.blocks import (
    Block,
    Cell,
    Chart,
    Column,
    Fields,
    Fmt,
    Grid,
    Ledger,
    LedgerRow,
    Panels,
    Sheet,
    Table,
    Text,
    Tiles,
)
from dyplan.model import (
    ALERT_RULES,
    CURVE_PARAMETERS,
    DAYS_PER_WEEK,
    GAP_FACTORS,
    INDEX_FIRST_DAY,
    INDICATOR_KEYS,
    INDICATORS,
    KPIS,
    MATRIX_FACTOR_KEYS,
    MATRIX_FACTORS,
    MIN_HISTORY,
    MIX_INDICATORS,
    RATIO_RANGES,
    SCENARIO_FIGURES,
    SETTING_WEEKS,
    TARGETS,
    TEAM_GROUPS,
    Category,
    Channel,
    IndicatorKind,
    Phase,
    PlanType,
    PromoCalendar,
    Purpose,
    SensitivityOutput,
    SensitivityVariable,
    Stage,
    Strategy,
    Term,
)


def _labels(terms: type[Term]) -> tuple[tuple[str, str, str], ...]:
    return tuple((t.value, t.zh, t.en) for t in terms)


PHASE_ROWS = _labels(Phase)
MONTH_ROWS = tuple((str(m), f"{m}月", month) for m, month in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1))  # fmt: skip

# ---------------------------------------------------------------- 使用说明 guide
GUIDE = Sheet(
    "使用说明",
    "Guide",
    ("按以下步骤完成年度投放规划。", "Follow these steps to plan the year's paid traffic."),
    (
        Text(
            (
                ("① 在「输入」表填写类目、经营阶段、年度GMV目标、开始日期、"
                    "客单价、团队人数、策略类型和月度权重。",
                 "① On 输入 (inputs), fill in category, stage, annual GMV target, start date, AOV, "
                 "team size, strategy and monthly weights."),
                ("② 如需调整默认比例，请修改「假设」表；默认值是常用的起点，可按本店情况修改。",
                 "② Adjust 假设 (assumptions) if needed; every default is a common starting point "
                 "to fit to your shop."),
                ("③ 点击「抖音投放」选项卡的「重新生成分配」，或在终端运行 dyplan regenerate 文件名。",
                 "③ Click 重新生成分配 (regenerate) on the 抖音投放 ribbon tab, or run "
                 "`dyplan regenerate FILE` in a terminal."),
                ("④ 黄色单元格由您填写；灰色单元格由程序计算，重新生成时会被覆盖。",
                 "④ Yellow cells are yours to type; grey cells are computed and rewritten on "
                 "every regenerate."),
                ("⑤ 在「检查点」「评估」表填写实际值，在「风险」表填写风险指标和"
                    "概率/影响评分，再次重新生成即可看到状态与预警。",
                 "⑤ Type actual values on 检查点 and 评估, and risk readings and ratings on 风险; "
                 "regenerate again to see statuses and alerts."),
                ("⑥ 点击「导出方案」或运行 dyplan export 文件名 --out 方案.xlsx，"
                    "得到不含宏、可在任何软件打开的最终方案。",
                 "⑥ Click 导出方案 (export) or run `dyplan export FILE --out plan.xlsx` for a "
                 "macro-free finished plan that opens anywhere."),
                ("⑦ 「优化建议」「重新规划」「投放设置」随重新生成更新；点「采纳建议」采纳建议的渠道占比。",
                 "⑦ 优化建议, 重新规划 and 投放设置 follow every regenerate; 采纳建议 takes the proposal."),
                ("⑧ 比较几套打算：点「保存情景」给当前输入起个名字，改动后再存一个，点「情景对比」并列查看，"
                    "「恢复情景」把其中一套写回输入；方案定下后点「冻结基线」，此后的执行都与它对照（命令行："
                    "dyplan scenario、dyplan baseline）。",
                 "⑧ To weigh options, click 保存情景 (save scenario) to name the current inputs, change "
                 "them and save another, then 情景对比 (compare) to see them side by side and 恢复情景 "
                 "(restore) to type one back; once the plan is approved, 冻结基线 (freeze baseline) keeps "
                 "it to compare with (`dyplan scenario`, `dyplan baseline`)."),
                ("金额单位为人民币元，精确到分；各日金额之和等于阶段金额，阶段之和等于总额。",
                 "Money is CNY to the fen; days add up to phases and phases to the total."),
                ("ROI 指支付ROI = 成交金额 ÷ 消耗。", "ROI means 支付ROI = GMV ÷ ad spend."),
            )
        ),
    ),
    label_width=(110, 4),
)  # fmt: skip

# ---------------------------------------------------------------- 输入 inputs
INPUT_FIELDS = Fields(
    ("基本信息", "Basics"),
    (
        Cell("Shop_Name", "shop_name", "店铺名称", "shop name", Fmt.TEXT),
        Cell("Category", "category", "类目", "category", Fmt.CHOICE, Category),
        Cell("Stage", "stage", "经营阶段", "merchant stage", Fmt.CHOICE, Stage),
        Cell("GMV_Target", "gmv_target", "年度GMV目标", "annual GMV target", Fmt.MONEY,
             note="365 天计划期内的目标成交额 / GMV over the 365 plan days"),
        Cell("Start_Date", "start_date", "计划开始日期", "plan start date", Fmt.DATE,
             note="计划覆盖此后 365 天 / the plan covers 365 days from this date"),
        Cell("Baseline_AOV", "baseline_aov", "基准客单价", "baseline AOV", Fmt.MONEY),
        Cell("Headcount", "headcount", "团队人数", "team headcount", Fmt.INT),
        Cell("Strategy", "strategy", "策略类型", "strategy type", Fmt.CHOICE, Strategy),
    ),
    typed=True,
)  # fmt: skip
SEASONALITY = Grid(
    "Seasonality", "seasonality", ("月度权重", "Monthly seasonality"), MONTH_ROWS,
    (("weight", "权重", "weight"),), Fmt.GENERAL,
)  # fmt: skip
INPUTS = Sheet(
    "输入",
    "Inputs",
    ("黄色单元格由您填写。", "Type in the yellow cells."),
    (INPUT_FIELDS, SEASONALITY),
)

# ---------------------------------------------------------------- 假设 assumptions
ASSUMPTION_FIELDS = Fields(
    ("预算与节奏", "Budget and pacing"),
    (
        *(Cell(name, key, zh, en, Fmt.SHARE, seed_range=RATIO_RANGES[stage],
               note="常用 {:.0%}–{:.0%}，超出时标橙 / usual range".format(*RATIO_RANGES[stage]))
          for name, key, stage, zh, en in (
              ("Ratio_Launch", "ratio_launch", Stage.LAUNCH, "新店起量预算比例", "launch budget ratio"),
              ("Ratio_Mature", "ratio_mature", Stage.MATURE, "成熟经营预算比例", "mature budget ratio"))),
        Cell("Reserve_Share", "reserve_share", "风险储备金比例", "risk reserve share", Fmt.SHARE,
             note="留给突发风险（如成本骤升），不分给渠道 / kept for sudden risks, not split over channels"),
        Cell("Tolerance", "tolerance", "风险容忍度", "risk tolerance", Fmt.SHARE,
             note="检查点差距小于目标的此比例时为「预警」而非「未达标」 / a smaller miss is a warning"),
        Cell("P4_Interval", "p4_checkpoint_interval_days", "成熟期检查间隔(天)",
             "P4 checkpoint interval (days)", Fmt.INT),
        Cell("Forecast_Horizon", "forecast_horizon_days", "预测天数", "forecast horizon (days)",
             Fmt.INT, note="由风险指数的历史向后预测的天数 / days the risk index is forecast ahead"),
        Cell("Early_Warning_Days", "early_warning_days", "提前预警天数", "early warning (days)",
             Fmt.INT, note="预测在此天数内达到「严重」即预警（3 天 = 72 小时） / warn this many days ahead"),
        Cell("Forecast_Interval", "forecast_interval", "预测区间置信度", "forecast interval",
             Fmt.SHARE),
    ),
    typed=True,
)  # fmt: skip


def _grid(name: str, key: str, title: tuple[str, str], rows, cols, fmt: Fmt, **kw) -> Grid:
    return Grid(name, key, title, tuple(rows), tuple(cols), fmt, **kw)


SHARE_BOUNDS = (0, 1)
# Break-even and the optimiser's assumptions come after the earlier blocks, so that nothing of a
# workbook made before them moves; such a workbook lacks their names (``optional``).
MARGIN_FIELDS = Fields(
    ("毛利与退款", "Margin and refunds"),
    (
        Cell("Gross_Margin", "gross_margin", "毛利率", "gross margin", Fmt.SHARE, optional=True,
             note="扣除平台费用后，常见 20%–60% / after platform fees, usually 20–60 %"),
        Cell("Refund_Rate", "refund_rate", "退款率", "refund rate", Fmt.SHARE, optional=True,
             note="常见 5%–30%，服饰更高 / usually 5–30 %, apparel higher"),
    ),
    typed=True,
)  # fmt: skip
BREAKEVEN_FIELDS = Fields(
    ("保本ROI", "Break-even ROI"),
    (
        Cell("Breakeven_ROI", "breakeven_roi", "保本ROI", "break-even ROI", Fmt.NUMBER, optional=True,
             note="1 ÷ (毛利率 × (1 − 退款率))，ROI 低于它即亏损、标红 / under it sales lose money: red"),
        Cell("Breakeven_Check", "breakeven_check", "目标ROI对比", "target ROI vs break-even", Fmt.TEXT,
             wide=True, lines=2, optional=True),
    ),
    typed=False,
)  # fmt: skip
OPTIMISER_FIELDS = Fields(
    ("响应曲线与优化范围", "Response curves and optimiser bounds"),
    (
        Cell("Curve_Saturation", "curve_saturation", "曲线饱和度", "curve saturation", Fmt.NUMBER,
             optional=True, note="推算曲线：计划日消耗 ÷ K，常用 0.3–1 / seeded: planned spend ÷ K, 0.3–1"),
        Cell("Curve_Shape", "curve_shape", "曲线形状", "curve shape", Fmt.NUMBER, optional=True,
             note="1 为边际递减，大于 1 为 S 形，最大 5 / 1: concave, above 1: S-shaped, ≤ 5"),
        Cell("Share_Band", "share_band", "渠道占比浮动", "share band", Fmt.SHARE, optional=True,
             note="建议占比与现有占比最多相差，常用 10%–20% / most a proposal moves a share"),
        Cell("Early_Live_Cap", "early_live_cap", "P1–P2 直播占比上限", "live cap in P1–P2", Fmt.SHARE,
             optional=True, note="起量期直播占比上限，常用 10%–30% / usually 10–30 %"),
    ),
    typed=True,
)  # fmt: skip
#: The columns of a typed response curve: V, K and a.
CURVE_COLUMNS = tuple(zip(CURVE_PARAMETERS, ("V 日GMV上限", "K 半饱和消耗", "a 形状"),
                          ("V: max GMV", "K: at V/2", "a: shape"), strict=True))  # fmt: skip
#: Rows of the events table: seven typical events of up to three windows each, and room to spare.
PROMO_ROWS = 24
PROMO_FIELDS = Fields(
    ("大促日历：活动日在月度季节性之上加权", "Promotion calendar: event days weigh more, over the months"),
    (
        Cell("Promo_Calendar", "promo_calendar", "大促窗口", "event windows", Fmt.TEXT,
             choices=PromoCalendar, optional=True,
             note="典型窗口：下表没填的活动按常见日期（不是平台公布的日期，请核对）；仅填写的活动：只用下表"
                  " / typical: events not typed below take their usual dates (not the announced ones)"),
    ),
    typed=True,
)  # fmt: skip
PROMO_EVENTS = Table(
    "Promo_Events",
    ("大促活动：每行一个阶段，同名活动替换当年的典型窗口",
     "Events: a window a row; a typical one's name replaces it"),
    (
        Column("event", "活动", "event", Fmt.TEXT, 10, typed=True),
        Column("window", "阶段", "window", Fmt.TEXT, 9, typed=True),
        Column("start", "开始", "from", Fmt.DATE, 11, typed=True),
        Column("end", "结束", "to", Fmt.DATE, 11, typed=True),
        Column("multiplier", "GMV倍数", "GMV ×", Fmt.NUMBER, 9, typed=True),
        Column("lead_days", "预算提前", "lead days", Fmt.INT, 10, typed=True),
    ),
    rows=PROMO_ROWS,
    optional=True,
)  # fmt: skip
EVENTS_IN_USE = Table(
    "Events_In_Use",
    ("本方案使用的大促窗口（典型的请按公布日期修改）",
     "Windows in use (edit typical ones to the announced dates)"),
    (
        Column("event", "活动", "event", Fmt.TEXT, 10),
        Column("window", "阶段", "window", Fmt.TEXT, 9),
        Column("start", "开始", "from", Fmt.DATE, 11),
        Column("end", "结束", "to", Fmt.DATE, 11),
        Column("multiplier", "GMV倍数", "GMV ×", Fmt.NUMBER, 9),
        Column("budget_days", "预算窗口", "budget days", Fmt.TEXT, 14),  # the GMV's, moved by the lead
        Column("source", "来源", "source", Fmt.TEXT, 12),
    ),
    rows=None,  # as many windows as the plan's days are weighed by
    optional=True,
    empty=("没有大促窗口：每天只按月度季节性加权。", "No event windows: the days weigh as their months do."),
)  # fmt: skip
ASSUMPTIONS = Sheet(
    "假设",
    "Assumptions",
    ("所有默认值都是常用的起点，可按本店情况修改。",
     "Every default is a common starting point: fit it to your shop."),
    (
        ASSUMPTION_FIELDS,
        _grid("Purpose_Split", "purpose_split",
              ("用途分配：每天的可分配预算按此拆分", "Purpose split per day"),
              [("all", "全部阶段", "all phases")], _labels(Purpose), Fmt.SHARE, bounds=SHARE_BOUNDS),
        _grid("Channel_Mix", "channel_mix",
              ("渠道分配：每行合计 100%", "Channel mix (rows add up to 100 %)"),
              PHASE_ROWS,
              _labels(Channel), Fmt.SHARE, bounds=SHARE_BOUNDS),
        _grid("Subphase_Days", "subphase_days",
              ("子阶段天数：末日为检查点", "Sub-phase days: checked on the last"),
              PHASE_ROWS[:3], [(str(i), f"子阶段{i}", f"sub-phase {i}") for i in (1, 2, 3)],
              Fmt.INT, bounds=(1, 364), whole=True),
        _grid("Team_Ratio", "team_ratio", ("团队比例", "Team ratio"),
              [("all", "人数比例", "ratio")], [(g[1], g[0], g[1]) for g in TEAM_GROUPS],
              Fmt.GENERAL),
        _grid("Level_Cuts", "level_cuts",
              ("风险等级分界：达到即为该级", "Level cuts (on a cut: that level)"),
              [("all", "分界值", "cut points")],
              [("medium", "中 ≥", "medium ≥"), ("high", "高 ≥", "high ≥"),
               ("critical", "严重 ≥", "critical ≥")], Fmt.GENERAL),
        _grid("Matrix_Cuts", "matrix_cuts",
              ("风险矩阵分界：达到即为该级", "Matrix cuts (on a cut: that level)"),
              [("all", "分界值", "cut points")],
              [("medium", "中 ≥", "medium ≥"), ("high", "高 ≥", "high ≥"),
               ("critical", "严重 ≥", "critical ≥")], Fmt.GENERAL),
        _grid("Ctr_Benchmarks", "ctr_benchmarks",
              ("类目CTR基准", "Category CTR benchmark"),
              _labels(Category), [("ctr", "CTR", "CTR")], Fmt.SHARE, bounds=SHARE_BOUNDS),
        _grid("Checkpoint_Targets", "checkpoint_targets", ("检查点目标", "Checkpoint targets"),
              [(t.key, t.zh, t.en) for t in TARGETS], [("target", "目标", "target")], Fmt.BY_UNIT),
        _grid("Alert_Thresholds", "alert_thresholds",
              ("预警阈值：越过即预警", "Alert when crossed"),
              [(r.key, r.zh, r.en) for r in ALERT_RULES], [("threshold", "阈值", "threshold")],
              Fmt.BY_UNIT, bounds=(None, None)),
        _grid("Risk_Anchors", "risk_anchors",
              ("风险评分锚点：锚点之间线性打分 0–100", "Score anchors (linear 0–100 between)"),
              [(i.key, i.zh, i.en) for i in INDICATORS],
              [("good", "良好(0分)", "good (0)"), ("warn", "预警(50分)", "warn (50)"),
               ("critical", "严重(100分)", "critical (100)"), ("weight", "权重", "weight")],
              Fmt.GENERAL, bounds=(None, None)),
        MARGIN_FIELDS,
        BREAKEVEN_FIELDS,
        OPTIMISER_FIELDS,
        _grid("Min_Daily_Spend", "min_daily_spend",
              ("每渠道最低日消耗（元）：默认 0", "Least daily spend per channel (CNY): default 0"),
              [("all", "每天至少", "per day")], _labels(Channel), Fmt.MONEY, optional=True),
        _grid("Response_Curves", "response_curves",
              ("响应曲线（可选）：留空则拟合或推算", "Response curves (optional): blank = fitted or seeded"),
              _labels(Channel), CURVE_COLUMNS, Fmt.GENERAL, optional=True),
        PROMO_FIELDS,
        PROMO_EVENTS,
        EVENTS_IN_USE,
    ),
)  # fmt: skip
#: Every assumption typed on 假设 as a single cell.
ASSUMPTION_CELLS = (
    *ASSUMPTION_FIELDS.cells,
    *MARGIN_FIELDS.cells,
    *OPTIMISER_FIELDS.cells,
    *PROMO_FIELDS.cells,
)

#: The risk weights are the anchors grid's last column: (engine field, grid key, column key).
RISK_WEIGHTS = ("risk_weights", "risk_anchors", "weight")

#: The unit of a risk indicator's values: changes and CTR ratios are shares, shown as %.
KIND_UNITS: dict[IndicatorKind, str] = {
    IndicatorKind.CHANGE: "%", IndicatorKind.CTR_RATIO: "%", IndicatorKind.INDEX: "",
}  # fmt: skip
_KINDS = {i.key: i.kind for i in INDICATORS}
#: Each alert rule's unit: that of the indicator it reads.
ALERT_UNITS = tuple(KIND_UNITS[_KINDS[rule.indicator]] for rule in ALERT_RULES)

#: Which grid rows hold shares (shown as %), for grids of mixed units.
SHARE_ROWS: dict[str, frozenset[str]] = {
    "checkpoint_targets": frozenset(t.key for t in TARGETS if t.share),
    "alert_thresholds": frozenset(r.key for r, u in zip(ALERT_RULES, ALERT_UNITS, strict=True) if u == "%"),
    RISK_WEIGHTS[1]: frozenset(i.key for i in INDICATORS if KIND_UNITS[i.kind] == "%"),
}
#: Columns of such grids that are not in their row's unit: the risk weights.
UNITLESS_COLUMNS: dict[str, frozenset[str]] = {RISK_WEIGHTS[1]: frozenset({RISK_WEIGHTS[2]})}

# ---------------------------------------------------------------- outputs
MONEY_TOTAL = {"fmt": Fmt.MONEY, "width": 15, "total": True}
SUMMARY = Fields(
    ("全年合计", "Year totals"),
    (
        Cell("Total_Budget", "budget", "年度总预算", "total budget", Fmt.MONEY),
        Cell("Reserve_Total", "reserve", "风险储备金", "risk reserve", Fmt.MONEY),
        Cell("Allocatable_Total", "allocatable", "可分配预算", "allocatable budget", Fmt.MONEY),
        Cell("GMV_Total", "gmv", "年度GMV", "annual GMV", Fmt.MONEY),
        Cell("Target_CPA", "target_cpa", "目标转化成本", "target CPA", Fmt.MONEY,
             note="客单价 ÷ 目标ROI / AOV ÷ target ROI"),
    ),
    typed=False,
)  # fmt: skip
PHASE_TABLE = Table(
    "Phase_Table",
    ("阶段预算", "Phase budgets"),
    (
        Column("phase", "阶段", "phase", Fmt.TEXT, 7),
        Column("phase_zh", "名称", "name", Fmt.TEXT, 12),
        Column("start_date", "开始", "start", Fmt.DATE, 11),
        Column("end_date", "结束", "end", Fmt.DATE, 11),
        Column("days", "天数", "days", Fmt.INT, 7, total=True),
        Column("ratio", "预算比例", "ratio", Fmt.SHARE, 9),
        Column("gmv", "GMV", "GMV", **MONEY_TOTAL),
        Column("budget", "预算", "budget", **MONEY_TOTAL),
        Column("reserve", "储备金", "reserve", **MONEY_TOTAL),
        Column("allocatable", "可分配", "allocatable", **MONEY_TOTAL),
        Column("cold_start", "冷启动", "cold start", **MONEY_TOTAL),
        Column("core", "核心获取", "core", **MONEY_TOTAL),
        Column("optimisation", "效果优化", "optimisation", **MONEY_TOTAL),
    ),
    rows=len(Phase),
    total_row=True,
    named_columns=(("Phase_Budgets", "budget"),),
)
SUBPHASE_TABLE = Table(
    "Subphase_Table",
    ("子阶段", "Sub-phases"),
    (
        Column("phase", "阶段", "phase", Fmt.TEXT, 7),
        Column("subphase_zh", "子阶段", "sub-phase", Fmt.TEXT, 12),
        Column("start_date", "开始", "start", Fmt.DATE, 11),
        Column("end_date", "结束", "end", Fmt.DATE, 11),
        Column("days", "天数", "days", Fmt.INT, 7),
        Column("subphase_en", "英文", "in English", Fmt.TEXT, 20),
    ),
    rows=None,
)
PHASES = Sheet(
    "阶段预算",
    "Phase budgets",
    ("由程序计算，请勿手改灰色单元格。", "Computed: grey cells are rewritten on regenerate."),
    (
        SUMMARY,
        PHASE_TABLE,
        Chart(
            "phase_channels",
            (
                "各阶段预算 = 各渠道可分配预算 + 风险储备金",
                "Phase budget = channels + risk reserve",
            ),
        ),
        SUBPHASE_TABLE,
    ),
)

CHANNEL_TABLE = Table(
    "Channel_Table",
    ("渠道分配", "Channel split"),
    (
        Column("phase", "阶段", "phase", Fmt.TEXT, 7),
        Column("phase_zh", "名称", "name", Fmt.TEXT, 12),
        Column("allocatable", "可分配", "allocatable", **MONEY_TOTAL),
        *(Column(c.value, c.zh, c.en, **MONEY_TOTAL) for c in Channel),
        *(Column(f"{c.value}_share", f"{c.zh}占比", f"{c.en} share", Fmt.SHARE, 10) for c in Channel),
    ),
    rows=len(Phase),
    total_row=True,
)
CHANNELS = Sheet(
    "渠道分配",
    "Channel split",
    ("各渠道金额为当日可分配预算之和。", "Channel amounts are sums of each day's allocatable budget."),
    (CHANNEL_TABLE, Chart("channel_mix", ("各阶段渠道占比", "Channel mix per phase"))),
)

DAILY_PLAN = Table(
    "Daily_Plan",
    ("365 天投放日历", "365-day pacing calendar"),
    (
        Column("date", "日期", "date", Fmt.DATE, 11),
        Column("day", "计划日", "plan day", Fmt.INT, 8),
        Column("phase", "阶段", "phase", Fmt.TEXT, 6),
        Column("subphase_zh", "子阶段", "sub-phase", Fmt.TEXT, 12),
        Column("gmv", "GMV", "GMV", **MONEY_TOTAL),
        Column("budget", "预算", "budget", **MONEY_TOTAL),
        Column("reserve", "储备金", "reserve", **MONEY_TOTAL),
        *(Column(c.value, c.zh, c.en, **MONEY_TOTAL) for c in Channel),
        *(Column(p.value, p.zh, p.en, **MONEY_TOTAL) for p in Purpose),
    ),
    rows=365,
    total_row=True,
)
CALENDAR_EVENTS = Table(
    "Calendar_Events",
    ("大促日", "Event days"),
    (
        Column("event", "大促活动", "event", Fmt.TEXT, 18),
        Column("gmv_multiplier", "GMV倍数", "GMV ×", Fmt.NUMBER, 8),
        Column("budget_multiplier", "预算倍数", "budget ×", Fmt.NUMBER, 8),
        Column("event_budget", "大促日预算", "event budget", Fmt.MONEY, 14),
    ),
    rows=365,
    optional=True,
)
CALENDAR = Sheet(
    "投放日历",
    "Calendar",
    ("每日预算 = 阶段预算比例 × 当日GMV；储备金之外的部分按渠道与用途分配。",
     "Daily budget = phase ratio × day's GMV; what is not reserved is split by channel "
     "and purpose."),
    (Chart("pacing", ("全年预算节奏（橙点：大促日）", "Budget pacing over the year (orange: event days)"),
           rows=16),
     Panels(((DAILY_PLAN,), (CALENDAR_EVENTS,)), at=(1, len(DAILY_PLAN.columns) + 1))),
    label_width=(11, 7),
)  # fmt: skip

CHECKPOINTS_TABLE = Table(
    "Checkpoints",
    ("检查点（每阶段至少 5 个）", "Checkpoints (at least 5 per phase)"),
    (
        Column("id", "编号", "id", Fmt.TEXT, 6),
        Column("phase", "阶段", "phase", Fmt.TEXT, 6),
        Column("date", "日期", "date", Fmt.DATE, 11),
        Column("day", "计划日", "plan day", Fmt.INT, 8),
        Column("subphase_zh", "子阶段", "sub-phase", Fmt.TEXT, 12),
        Column("metric_zh", "指标", "metric", Fmt.TEXT, 14),
        Column("metric_en", "Metric", "in English", Fmt.TEXT, 18),
        Column("comparator", "比较", "test", Fmt.TEXT, 5),
        Column("target", "目标", "target", Fmt.BY_UNIT, 11),
        Column("unit", "单位", "unit", Fmt.TEXT, 5),
        Column("measured", "报表值", "from reports", Fmt.BY_UNIT, 13),
        Column("actual", "实际值", "actual", Fmt.BY_UNIT, 11, typed=True),
        Column("status", "状态", "status", Fmt.TEXT, 9),
        # why, in Chinese then English; headed "source" still, so that workbooks made before regenerate
        Column("basis", "依据", "source", Fmt.TEXT, 44, lines=2),
    ),
    rows=None,
)
CHECKPOINTS = Sheet(
    "检查点",
    "Checkpoints",
    ("在「实际值」列填写结果；未达标但差距小于风险容忍度的为「预警」。",
     "Type results in 实际值 (actual); a miss within the risk tolerance shows as 预警 (warning)."),
    (CHECKPOINTS_TABLE,),
    label_width=(7, 7),
)  # fmt: skip

RISK_SUMMARY = Fields(
    ("综合风险", "Composite risk"),
    (
        Cell("Risk_Index", "risk_index", "综合风险指数", "composite risk index", Fmt.NUMBER),
        Cell("Risk_Level", "risk_level", "风险等级", "risk level", Fmt.TEXT),
        Cell("Risk_Warning", "risk_warning", "提前预警", "early warning", Fmt.TEXT, span=5),
        Cell("Alerts_Fired", "alerts_fired", "已触发预警", "alerts fired", Fmt.TEXT, span=5, lines=2),
    ),
    typed=False,
)
RISK_TABLE = Table(
    "Risk_Indicators",
    ("风险指标评分", "Risk indicator scores"),
    (
        Column("indicator_zh", "指标", "indicator", Fmt.TEXT, 14),
        Column("indicator_en", "Indicator", "in English", Fmt.TEXT, 24),
        Column("kind_zh", "取值方式", "value is", Fmt.TEXT, 34),
        Column("value", "当前值", "value", Fmt.BY_UNIT, 10, typed=True),
        Column("measured", "报表值", "from reports", Fmt.BY_UNIT, 13),
        Column("score", "评分", "score", Fmt.NUMBER, 8),
        Column("weight", "权重", "weight", Fmt.GENERAL, 7),
    ),
    rows=len(INDICATORS),
)
ALERTS_TABLE = Table(
    "Alerts",
    ("预警规则", "Alert rules"),
    (
        Column("alert_zh", "预警", "alert", Fmt.TEXT, 26),
        Column("comparator", "比较", "test", Fmt.TEXT, 5),
        Column("threshold", "阈值", "threshold", Fmt.BY_UNIT, 9),
        Column("value", "当前值", "value", Fmt.BY_UNIT, 9),
        Column("fired", "触发", "fired", Fmt.TEXT, 7),
        Column("response_zh", "建议应对", "suggested response", Fmt.TEXT, 40),
    ),
    rows=len(ALERT_RULES),
)
MATRIX_TABLE = Table(
    "Risk_Matrix",
    ("风险矩阵：概率 × 影响", "Risk matrix: probability × impact"),
    (
        Column("factor_zh", "风险因素", "factor", Fmt.TEXT, 14),
        Column("factor_en", "Factor", "in English", Fmt.TEXT, 14),
        Column("probability", "概率 1–5", "probability", Fmt.INT, 10, typed=True),
        Column("impact", "影响 1–5", "impact", Fmt.INT, 10, typed=True),
        Column("score", "得分", "score", Fmt.INT, 8),
        Column("level_zh", "等级", "level", Fmt.TEXT, 8),
    ),
    rows=len(MATRIX_FACTORS),
)
RISK_FORECAST = Table(
    "Risk_Forecast",
    ("风险指数历史与预测", "Risk index history and forecast"),
    (
        Column("date", "日期", "date", Fmt.DATE, 11),
        Column("kind_zh", "类型", "kind", Fmt.TEXT, 8),
        Column("index", "综合指数", "index", Fmt.NUMBER, 10),
        Column("lower", "区间下限", "lower", Fmt.NUMBER, 10),
        Column("upper", "区间上限", "upper", Fmt.NUMBER, 10),
    ),
    rows=None,  # as long as its data: the latest history, then the forecast
    former_rows=90,  # history at the bottom, the forecast above it
)
#: Rows the forecast block shows at most: up to 45 forecast days, the latest history before them.
RISK_FORECAST_ROWS = 90
#: Days of reports the risk index needs: its first day, and the day its forecast starts.
_INDEX_DAYS = (INDEX_FIRST_DAY, INDEX_FIRST_DAY + MIN_HISTORY - 1)
RISK_FORECAST_CHART = Chart(
    "risk_forecast",
    ("综合风险指数走势与 30 天预测", "Risk index and 30-day forecast"),
    follows=RISK_FORECAST,
    empty=(
        "数据不足：导入满 {} 天的报表后显示风险指数走势，满 {} 天后显示预测".format(*_INDEX_DAYS),
        "not enough data: the risk index shows once reports cover {} days, its forecast from day {}".format(
            *_INDEX_DAYS
        ),
    ),
)
RISK = Sheet(
    "风险",
    "Risk",
    ("填写各指标当前值与风险矩阵评分；评分 0–100，越高越危险。",
     "Type each indicator's value and the matrix ratings; scores run 0–100, higher is worse."),
    (
        RISK_SUMMARY,
        RISK_TABLE,
        ALERTS_TABLE,
        MATRIX_TABLE,
        RISK_FORECAST_CHART,
        RISK_FORECAST,
    ),
)  # fmt: skip

#: Each row's unit, for the BY_UNIT columns of tables that have no unit column.
ROW_UNITS: dict[str, tuple[str, ...]] = {
    RISK_TABLE.name: tuple(KIND_UNITS[i.kind] for i in INDICATORS),
    ALERTS_TABLE.name: ALERT_UNITS,
}

TEAM_TABLE = Table(
    "Team_Split",
    ("团队配置 5:3:2", "Team split 5:3:2"),
    (
        Column("group_zh", "分组", "group", Fmt.TEXT, 12),
        Column("group_en", "Group", "in English", Fmt.TEXT, 24),
        Column("role_zh", "岗位", "role", Fmt.TEXT, 12),
        Column("role_en", "Role", "in English", Fmt.TEXT, 18),
        Column("headcount", "人数", "headcount", Fmt.INT, 11, total=True),
    ),
    rows=sum(len(g[2]) for g in TEAM_GROUPS),
    total_row=True,
)
TEAM = Sheet("团队", "Team", ("人数按最大余数法分配。", "Heads are split by largest remainder."),
             (TEAM_TABLE,))  # fmt: skip

EVAL_FIELDS = Fields(
    ("策略", "Strategy"),
    (
        Cell("Strategy_Type", "strategy_zh", "策略类型", "strategy type", Fmt.TEXT),
        Cell("Strategy_Tactics", "tactics_zh", "策略组合", "tactic mix", Fmt.TEXT),
    ),
    typed=False,
)
KPI_TABLE = Table(
    "KPIs",
    ("评估指标（三维度九指标、四维模型）", "Evaluation KPIs (three dimensions × three, four dimensions)"),
    (
        Column("framework_zh", "框架", "framework", Fmt.TEXT, 10),
        Column("dimension_zh", "维度", "dimension", Fmt.TEXT, 7),
        Column("kpi_zh", "指标", "KPI", Fmt.TEXT, 14),
        Column("kpi_en", "KPI", "in English", Fmt.TEXT, 20),
        Column("target", "目标", "target", Fmt.BY_UNIT, 15),
        Column("unit", "单位", "unit", Fmt.TEXT, 5),
        Column("actual", "实际值", "actual", Fmt.BY_UNIT, 15, typed=True),
        Column("attainment", "达成率", "attainment", Fmt.SHARE, 9),
        Column("cadence", "复盘周期", "review", Fmt.TEXT, 8),
        Column("primary_zh", "主维度", "primary", Fmt.TEXT, 7),
    ),
    rows=len(KPIS),
)
#: Below the KPIs, so that nothing of a workbook made before it moves (it lacks the name).
KPI_BREAKEVEN = Fields(
    ("ROI目标与保本", "ROI target and break-even"),
    (
        Cell("KPI_Breakeven_Check", "breakeven_check", "目标ROI对比", "target ROI vs break-even", Fmt.TEXT,
             wide=True, lines=2, optional=True),
    ),
    typed=False,
)  # fmt: skip
EVALUATION = Sheet(
    "评估",
    "Evaluation",
    ("填写实际值后重新生成即可看到达成率。", "Type actuals and regenerate to see attainment."),
    (EVAL_FIELDS, KPI_TABLE, KPI_BREAKEVEN),
)

ACTUALS_SUMMARY = Fields(
    ("实际数据概况", "Actuals at a glance"),
    (
        Cell("Actuals_Through", "through", "数据截至", "data through", Fmt.DATE),
        Cell("Actuals_Days", "days", "有数据天数", "days with data", Fmt.INT),
        Cell("Actuals_Spend", "spend", "累计消耗", "spend to date", Fmt.MONEY),
        Cell("Actuals_GMV", "gmv", "累计成交金额", "GMV to date", Fmt.MONEY),
        Cell("Actuals_ROI", "roi", "累计ROI", "ROI to date", Fmt.NUMBER),
        # as wide as the words saying no report carried net GMV
        Cell("Actuals_Net_ROI", "net_roi", "累计净ROI", "net ROI to date", Fmt.NUMBER, span=2, optional=True),
    ),
    typed=False,
)
#: Rates recomputed from counts (model.tracking.RATES), as actuals tables show them.
RATE_COLUMNS = (
    Column("ctr", "CTR", "CTR", Fmt.SHARE, 8),
    Column("cpc", "CPC", "CPC", Fmt.MONEY, 9),
    Column("cvr", "转化率", "CVR", Fmt.SHARE, 8),
    Column("cpa", "转化成本", "CPA", Fmt.MONEY, 10),
    Column("roi", "ROI", "ROI", Fmt.NUMBER, 8),
    Column("aov", "客单价", "AOV", Fmt.MONEY, 10),
)
PHASE_TRACKING = Table(
    "Phase_Tracking",
    ("分阶段执行 (计划 vs 实际)", "Plan vs actual by phase"),
    (
        Column("phase", "阶段", "phase", Fmt.TEXT, 7),
        Column("phase_zh", "名称", "name", Fmt.TEXT, 12),
        Column("plan_total", "阶段计划", "phase plan", Fmt.MONEY, 15),
        Column("plan_to_date", "截至当日计划", "plan to date", Fmt.MONEY, 15),
        Column("spend", "实际消耗", "actual spend", Fmt.MONEY, 15),
        Column("deviation", "执行偏差", "pacing deviation", Fmt.SHARE, 10),
        *RATE_COLUMNS,
    ),
    rows=len(Phase),
)
#: Phases, then the calendar months a 365-day plan touches (13 unless it starts on the 1st).
GAP_ROWS = len(Phase) + 13
GAP_TABLE = Table(
    "Gap_Decomposition",
    ("为什么没达成：广告GMV差额 = 消耗 + CPM + CTR + 转化率 + 客单价 的影响",
     "Why the plan was missed: the ad GMV gap = spend + CPM + CTR + CVR + AOV effects"),
    (
        Column("period_label", "期间", "period", Fmt.TEXT, 14),
        Column("days", "天数", "days", Fmt.INT, 6),
        Column("plan_gmv", "计划广告GMV", "planned ad GMV", Fmt.MONEY, 15),
        Column("actual_gmv", "实际广告GMV", "actual ad GMV", Fmt.MONEY, 15),
        Column("gap", "差额", "gap", Fmt.MONEY, 15),
        *(Column(key, f"{zh}影响", f"{en} effect", Fmt.MONEY, 14) for key, zh, en in GAP_FACTORS),
        Column("reason", "说明", "note", Fmt.TEXT, 24),
    ),
    rows=GAP_ROWS,
    optional=True,
)  # fmt: skip
IMPORT_LOG = Table(
    "Import_Log",
    ("最近导入 (最新在上)", "Latest imports (newest first)"),
    (
        Column("imported_at", "导入时间", "imported at", Fmt.TEXT, 17),
        Column("file", "文件", "file", Fmt.TEXT, 20),
        Column("kind", "识别为", "read as", Fmt.TEXT, 16),
        Column("first_date", "起始日期", "from", Fmt.DATE, 11),
        Column("last_date", "结束日期", "to", Fmt.DATE, 11),
        Column("rows", "读取行数", "rows read", Fmt.INT, 10),
        Column("skipped", "跳过行数", "rows skipped", Fmt.INT, 13),
        Column("replaced", "替换行数", "rows replaced", Fmt.INT, 13),
        Column("spend", "消耗合计", "spend", Fmt.MONEY, 14),
        Column("gmv", "成交金额合计", "GMV", Fmt.MONEY, 14),
        Column("columns", "读取的列", "columns read", Fmt.TEXT, 24),
        Column("missing", "缺少 (未知，非零)", "missing (unknown, not zero)", Fmt.TEXT, 16),
        Column("problems", "问题", "problems", Fmt.TEXT, 24),
    ),
    rows=10,
)
#: Time-slot and device shifts: measured at import from the reports' 时段 / 设备 columns and
#: kept here, because the daily actuals do not split spend that way.
MIX_SHIFT = Table(
    "Mix_Shift",
    ("时段与设备分布变化 (最近 7 天 vs 前 14 天)", "Time-slot and device shift (last 7 days vs first 14)"),
    (
        Column("indicator_zh", "指标", "indicator", Fmt.TEXT, 14),
        Column("indicator_en", "Indicator", "in English", Fmt.TEXT, 20),
        Column("shift", "分布变化", "shift", Fmt.SHARE, 10),
        Column("through", "数据截至", "data through", Fmt.DATE, 11),
        Column("file", "来源报表", "from report", Fmt.TEXT, 20),
    ),
    rows=len(MIX_INDICATORS),
)
ACTUALS_DAILY = Table(
    "Actuals_Daily",
    ("每日实际数据 (按渠道与来源)", "Daily actuals by channel and source"),
    (
        Column("date", "日期", "date", Fmt.DATE, 11),
        Column("channel_zh", "渠道", "channel", Fmt.TEXT, 9),
        Column("kind", "报表", "report", Fmt.TEXT, 16),
        Column("account", "账户", "account", Fmt.TEXT, 14),
        Column("author", "抖音号", "Douyin account", Fmt.TEXT, 14),
        Column("product", "商品", "product", Fmt.TEXT, 14),
        Column("unit", "计划/单元", "plan / unit", Fmt.TEXT, 20),
        Column("spend", "消耗", "spend", Fmt.MONEY, 14),
        Column("impressions", "展示次数", "impressions", Fmt.INT, 12),
        Column("clicks", "点击次数", "clicks", Fmt.INT, 10),
        Column("conversions", "转化数", "conversions", Fmt.INT, 9),
        Column("gmv", "成交金额", "GMV", Fmt.MONEY, 14),
        Column("orders", "成交订单数", "orders", Fmt.INT, 10),
        Column("gmv_7d", "7日总成交金额", "7-day GMV", Fmt.MONEY, 14),
        Column("user_paid", "用户实际支付金额", "paid by users", Fmt.MONEY, 14),
        Column("net_gmv", "净成交金额", "net GMV", Fmt.MONEY, 14),
        Column("coupon", "智能优惠券金额", "smart coupons", Fmt.MONEY, 14),
        Column("refund_1h", "1小时内退款金额", "refunds within 1 h", Fmt.MONEY, 14),
        Column("viewers", "直播间观看人数", "live viewers", Fmt.INT, 12),
        Column("room_gmv", "直播间成交金额", "live room GMV", Fmt.MONEY, 14),
        *RATE_COLUMNS,
    ),
    rows=None,
)
ACTUALS = Sheet(
    "实际数据",
    "Actuals",
    ("由「导入报表」写入：不同来源（报表类型、账户、计划、抖音号、商品）相加，同一来源再次导入时替换；"
     "报表没有的指标留空（未知，非零）；比率由计数重新计算。",
     "Written by import: different sources (report kind, account, plan, Douyin account, product) add "
     "up, a source imported again is replaced; a measure no report carried stays blank (unknown, not "
     "zero); rates are recomputed from counts."),
    (ACTUALS_SUMMARY, PHASE_TRACKING, GAP_TABLE, IMPORT_LOG, MIX_SHIFT, ACTUALS_DAILY),
    label_width=(12, 14),
    pages_wide=3,  # 26 columns on fewer pages would print too small to read
)  # fmt: skip

#: The width of the cover's right-hand values: money to the fen, no sentences.
COVER_FIGURES = 20
COVER_TARGETS = Tiles(
    ("目标", "Targets"),
    (
        Cell("Cover_GMV", "gmv", "年度GMV目标", "annual GMV target", Fmt.MONEY),
        Cell("Cover_Budget", "budget", "年度总预算", "total budget", Fmt.MONEY),
        Cell("Cover_Reserve", "reserve", "其中风险储备金", "of which risk reserve", Fmt.MONEY),
        Cell("Cover_ROI", "roi", "目标ROI (不低于)", "target ROI (at least)", Fmt.NUMBER),
        Cell("Cover_Breakeven_ROI", "breakeven_roi", "保本ROI (低于即亏损)", "break-even ROI", Fmt.NUMBER),
    ),
)
COVER_PHASES = Table(
    "Cover_Phases",
    ("阶段节奏", "Phase timeline"),
    (
        Column("phase", "阶段", "phase", Fmt.TEXT, 16),
        Column("dates", "起止日期", "dates", Fmt.TEXT, 24),
        Column("budget", "预算 (含储备金)", "budget (reserve included)", Fmt.MONEY, 24, total=True),
        Column("days", "天数", "days", Fmt.INT, 8, total=True),
    ),
    rows=len(Phase),
    total_row=True,
)
COVER_TWO_ROIS = Fields(
    ("两种ROI口径", "Two ROIs, one plan"),
    (
        Cell("Cover_Paid_GMV", "paid_gmv", "广告带来的成交", "ad GMV: budget × ROI", Fmt.MONEY),
        Cell("Cover_Paid_Share", "paid_share", "占GMV目标", "share of the GMV target", Fmt.SHARE),
        Cell("Cover_GMV_Per_Budget", "gmv_per_budget", "GMV目标 ÷ 总预算", "GMV target ÷ budget",
             Fmt.NUMBER),
        Cell("Cover_Two_ROIs", "two_rois", "说明", "reading", Fmt.TEXT, wide=True),
    ),
    typed=False,
)  # fmt: skip
COVER_CHANNELS = Fields(
    ("渠道分配 (可分配预算)", "Channel split (allocatable)"),
    (
        Cell("Cover_Allocatable", "allocatable", "可分配预算", "allocatable budget", Fmt.MONEY),
        *(Cell(f"Cover_{ch.value.title()}", ch.value, ch.zh, ch.en, Fmt.MONEY) for ch in Channel),
    ),
    typed=False,
    value_width=COVER_FIGURES,
)
COVER_TO_DATE = Fields(
    ("执行进度", "Progress to date"),
    (
        Cell("Cover_Through", "through", "数据截至", "data through", Fmt.DATE),
        Cell("Cover_Plan_To_Date", "plan_to_date", "截至当日计划", "planned spend to date", Fmt.MONEY),
        Cell("Cover_Spend", "spend", "累计消耗", "spend to date", Fmt.MONEY),
        Cell("Cover_Pacing", "pacing", "执行偏差", "pacing deviation", Fmt.SHARE),
        Cell("Cover_GMV_To_Date", "gmv", "累计成交金额", "GMV to date", Fmt.MONEY),
        Cell("Cover_ROI_To_Date", "roi", "累计ROI", "ROI to date", Fmt.NUMBER),
        Cell("Cover_Net_ROI_To_Date", "net_roi", "累计净ROI", "net ROI to date", Fmt.NUMBER),
    ),
    typed=False,
    value_width=COVER_FIGURES,
)
COVER_FIELDS = Fields(
    ("方案要点", "The plan in brief"),
    (
        Cell("Cover_Shop", "shop", "店铺", "shop", Fmt.TEXT),
        Cell("Cover_Profile", "profile", "类目 · 阶段", "category · stage", Fmt.TEXT),
        Cell("Cover_Period", "period", "计划期", "plan period", Fmt.TEXT),
        Cell("Cover_Ratios", "ratios", "预算比例", "budget ratios", Fmt.TEXT),
        Cell("Cover_Purpose", "purpose", "用途分配", "purpose split", Fmt.TEXT),
        Cell("Cover_CPA", "cpa", "目标转化成本 (不高于)", "target CPA (at most)", Fmt.MONEY),
        Cell("Cover_Strategy", "strategy", "策略与打法", "strategy and tactics", Fmt.TEXT),
        Cell("Cover_Risk", "risk", "综合风险", "composite risk", Fmt.TEXT),
        Cell("Cover_Generated", "generated", "生成日期", "generated on", Fmt.DATE),
    ),
    typed=False,
)
#: The channel doughnut floats beside the timeline and the two ROIs, so their tall rows stretch no cell.
COVER_CHANNEL_CHART = Chart("cover_channels", ("渠道占比", "Channel shares"), rows=12, width=520)
#: The right-hand panel starts past the left one's widest block, the timeline.
COVER_RIGHT = 1 + len(COVER_PHASES.columns)
#: The finished plan opens on this one-page dashboard instead of the guide.
COVER = Sheet(
    "方案概览",
    "Plan cover",
    ("抖音电商年度付费投放方案", "Douyin e-commerce paid-traffic plan for the year"),
    (
        COVER_TARGETS,
        Panels(
            (
                (COVER_PHASES, COVER_TWO_ROIS, COVER_FIELDS),
                (COVER_CHANNEL_CHART, COVER_CHANNELS, COVER_TO_DATE),
            ),
            at=(1, COVER_RIGHT),
        ),
    ),
    label_width=(14, 22),
    value_width=44,  # the plan in brief in a line each, so no row beside it grows; longer ones wrap
)

# ---------------------------------------------------------------- from plan to action
OPTIMISE_SUMMARY = Fields(
    ("建议概况", "The proposal at a glance"),
    (
        Cell("Optimise_Goal", "goal", "优化目标", "goal", Fmt.TEXT),
        Cell("Optimise_Uplift", "uplift", "广告GMV提升", "ad GMV uplift", Fmt.MONEY),
        Cell("Optimise_Uplift_Share", "uplift_share", "提升幅度", "uplift, share", Fmt.SHARE),
        Cell("Optimise_Breakeven_ROI", "breakeven_roi", "保本ROI", "break-even ROI", Fmt.NUMBER,
             note="边际ROI低于它的那部分消耗每单亏损 / spend whose marginal ROI is under it loses money"),
        Cell("Optimise_Accept", "accept", "如何采纳", "how to accept", Fmt.TEXT, span=8, lines=4),
    ),
    typed=False,
)  # fmt: skip
OPTIMISE_PHASES = Table(
    "Optimise_Phases",
    ("各阶段：当前占比 vs 建议占比（同一预算）", "Per phase: current shares vs proposed (same budget)"),
    (
        Column("phase", "阶段", "phase", Fmt.TEXT, 7),
        Column("phase_zh", "名称", "name", Fmt.TEXT, 12),
        Column("days", "天数", "days", Fmt.INT, 7, total=True),
        Column("budget", "可分配预算", "allocatable", **MONEY_TOTAL),
        Column("current_gmv", "当前广告GMV", "ad GMV now", **MONEY_TOTAL),
        Column("proposed_gmv", "建议广告GMV", "ad GMV proposed", **MONEY_TOTAL),
        Column("uplift", "提升", "uplift", **MONEY_TOTAL),
        Column("uplift_share", "提升幅度", "uplift, share", Fmt.SHARE, 9),
        Column("current_roi", "当前ROI", "ROI now", Fmt.NUMBER, 9),
        Column("proposed_roi", "建议ROI", "ROI proposed", Fmt.NUMBER, 9),
    ),
    rows=len(Phase),
    total_row=True,
)
OPTIMISE_CHANNELS = Table(
    "Optimise_Channels",
    ("各渠道：占比、金额与边际ROI", "Per channel: shares, amounts and marginal ROI"),
    (
        Column("phase", "阶段", "phase", Fmt.TEXT, 7),
        Column("channel_zh", "渠道", "channel", Fmt.TEXT, 12),
        Column("current_share", "当前占比", "share now", Fmt.SHARE, 10),
        Column("proposed_share", "建议占比", "share proposed", Fmt.SHARE, 10),
        Column("current_cny", "当前金额", "amount now", Fmt.MONEY, 15),
        Column("proposed_cny", "建议金额", "amount proposed", Fmt.MONEY, 15),
        Column("current_marginal_roi", "当前边际ROI", "marginal ROI now", Fmt.NUMBER, 12),
        Column("marginal_roi", "建议边际ROI", "marginal ROI proposed", Fmt.NUMBER, 12),
        Column("bound_zh", "受限于", "held at", Fmt.TEXT, 10),
        Column("breakeven_zh", "边际ROI对比保本", "vs break-even", Fmt.TEXT, 14),
    ),
    rows=len(Phase) * len(Channel),
)
CURVE_SOURCES = Table(
    "Curve_Sources",
    ("各渠道的响应曲线：GMV = V·sᵃ ÷ (sᵃ + Kᵃ)", "Each channel's response curve: GMV = V·sᵃ / (sᵃ + Kᵃ)"),
    (
        Column("channel_zh", "渠道", "channel", Fmt.TEXT, 12),
        Column("source_zh", "来源", "source", Fmt.TEXT, 12),
        Column("max_gmv", "最高日GMV V", "most GMV a day V", Fmt.MONEY, 15),
        Column("half_saturation", "半饱和日消耗 K", "spend for half K", Fmt.MONEY, 15),
        Column("shape", "形状 a", "shape a", Fmt.NUMBER, 8),
        Column("r_squared", "拟合优度 R²", "fit R²", Fmt.NUMBER, 10),
        Column("days", "拟合天数", "days fitted", Fmt.INT, 9),
        Column("first", "起始日期", "from", Fmt.DATE, 11),
        Column("last", "结束日期", "to", Fmt.DATE, 11),
    ),
    rows=len(Channel),
)
#: Why each channel's curve is the one it is (a refused fit says why), in a row of its own: room for
#: the sentence without widening a column of the tables around it.
CURVE_NOTES = Fields(
    ("曲线说明", "About the curves"),
    tuple(Cell(f"Curve_Note_{ch.value.title()}", ch.value, ch.zh, ch.en, Fmt.TEXT, span=8, lines=3)
          for ch in Channel),
    typed=False,
)  # fmt: skip
#: Points each channel's curve is drawn through, from no spend to past the largest spend it shows.
CURVE_POINTS_DRAWN = 25
#: The latest days of actuals the curves' charts show as points.
CURVE_DAYS_DRAWN = 90
CURVE_POINTS = Table(
    "Curve_Points",
    (f"曲线与实际日数据（图表的数据：曲线 {CURVE_POINTS_DRAWN} 点，实际数据最近 {CURVE_DAYS_DRAWN} 天）",
     f"Curve points and actual days (the charts' data: {CURVE_POINTS_DRAWN} points a curve, the latest "
     f"{CURVE_DAYS_DRAWN} days)"),
    (
        Column("n", "序号", "#", Fmt.INT, 6),
        *(Column(f"{ch.value}_{key}", f"{ch.zh}{zh}", f"{ch.en} {en}", Fmt.MONEY, 12)
          for ch in Channel
          for key, zh, en in (("curve_spend", "曲线日消耗", "curve spend"),
                              ("curve_gmv", "曲线日GMV", "curve GMV"),
                              ("spend", "实际日消耗", "actual spend"), ("gmv", "实际日GMV", "actual GMV"))),
        Column("date", "实际日期", "actual day", Fmt.DATE, 11),  # of the actual spend and GMV beside it
    ),
    rows=None,  # the curves' points, or the days of actuals where there are more
)  # fmt: skip
CURVE_CHARTS = tuple(
    Chart(
        f"curve_{ch.value}",
        (f"{ch.zh}：响应曲线与实际日数据（日消耗 → 日GMV）", f"{ch.en}: response curve and actual days"),
        rows=16,
        follows=CURVE_POINTS,
        empty=("重新生成后显示响应曲线", "the response curve shows once regenerated"),
        columns=(f"{ch.value}_curve_spend", f"{ch.value}_gmv"),
    )
    for ch in Channel
)
OPTIMISE = Sheet(
    "优化建议",
    "Optimisation",
    ("预算不变、GMV 最多的渠道占比，在各渠道的响应曲线上；每次重新生成与导入后更新。",
     "The shares that bring the most GMV for the same budget; refreshed by every regenerate and import."),
    (OPTIMISE_SUMMARY, OPTIMISE_PHASES, OPTIMISE_CHANNELS, CURVE_SOURCES, CURVE_NOTES, *CURVE_CHARTS,
     CURVE_POINTS),
    label_width=(14, 16),
    value_width=15,
)  # fmt: skip

REPLAN_SUMMARY = Fields(
    ("执行至今", "So far"),
    (
        Cell("Replan_Through", "through", "数据截至", "data through", Fmt.DATE),
        Cell("Replan_Day", "day", "计划第几天", "plan day", Fmt.INT),
        Cell("Replan_Spent", "spent", "已花费", "spent", Fmt.MONEY),
        Cell("Replan_GMV_To_Date", "gmv", "广告成交", "ad GMV", Fmt.MONEY),
        Cell("Replan_ROI_To_Date", "roi", "ROI 至今", "ROI to date", Fmt.NUMBER),
        Cell("Replan_Pace", "pace", "执行进度", "pace", Fmt.SHARE,
             note="已花费 ÷ 截至当日的计划 / spent ÷ the plan to date"),
    ),
    typed=False,
)  # fmt: skip
REPLAN_OUTLOOK = Fields(
    ("全年展望", "The year ahead"),
    (
        Cell("Replan_GMV_Target", "gmv_target", "全年广告GMV目标", "the year's ad GMV target", Fmt.MONEY,
             note="可分配预算 × 目标ROI：广告带来的成交 / allocatable × target ROI: what ads bring"),
        Cell("Replan_Projected_Spend", "projected_spend", "按当前节奏全年花费", "spend at this pace",
             Fmt.MONEY),
        Cell("Replan_Projected_GMV", "projected_gmv", "按当前节奏全年广告GMV", "ad GMV at this pace and ROI",
             Fmt.MONEY),
        Cell("Replan_Remaining", "remaining", "剩余预算（重新分配）", "budget left, re-spread", Fmt.MONEY,
             note="可分配预算 − 已花费，按方案的季节与阶段比例分到剩余天数 / "
                  "allocatable − spent, spread in the plan's proportions"),
        Cell("Replan_Budget_Needed", "budget_needed", "达成目标所需剩余预算", "budget needed at ROI so far",
             Fmt.MONEY,
             note="（目标 − 已成交）÷ 当前ROI / (target − GMV so far) ÷ ROI to date"),
        Cell("Replan_ROI_Needed", "roi_needed", "达成目标所需ROI", "ROI the budget left needs", Fmt.NUMBER,
             note="（目标 − 已成交）÷ 剩余预算 / (target − GMV so far) ÷ budget left"),
    ),
    typed=False,
)  # fmt: skip
_PLAN_ACTUAL_REPLAN = (
    Column("plan", "计划", "plan", Fmt.MONEY, 15),
    Column("actual", "实际", "actual", Fmt.MONEY, 15),
    Column("replan", "重新规划", "re-plan", Fmt.MONEY, 15),
    Column("change", "调整", "change", Fmt.MONEY, 15),
)
REPLAN_PHASES = Table(
    "Replan_Phases",
    ("各阶段可分配预算：计划 / 实际 / 重新规划", "Allocatable per phase: plan, actual, re-plan"),
    (Column("phase", "阶段", "phase", Fmt.TEXT, 7), Column("phase_zh", "名称", "name", Fmt.TEXT, 12),
     *_PLAN_ACTUAL_REPLAN),
    rows=len(Phase),
)  # fmt: skip
REPLAN_MONTHS = Table(
    "Replan_Months",
    ("各月可分配预算：计划 / 实际 / 重新规划", "Allocatable per month: plan, actual, re-plan"),
    (Column("month", "月份", "month", Fmt.TEXT, 9), *_PLAN_ACTUAL_REPLAN),
    rows=None,  # the plan's months, once reports are imported
)
REPLAN_CHART = Chart(
    "replan_months",
    ("各月预算：计划、实际与重新规划", "Budget per month: plan, actual and re-plan"),
    follows=REPLAN_MONTHS,
    empty=("尚未导入报表：导入后按月显示计划、实际与重新规划",
           "no reports imported yet: plan, actual and re-plan per month show once they are"),
)  # fmt: skip
REPLAN = Sheet(
    "重新规划",
    "Re-plan",
    ("已花费的按实际计算，剩余预算按方案比例分到剩余天数。", "Spent is spent; the rest follows the plan."),
    (REPLAN_SUMMARY, REPLAN_OUTLOOK, REPLAN_PHASES, REPLAN_CHART, REPLAN_MONTHS),
    label_width=(22, 26),
)  # fmt: skip

SETTINGS_SUMMARY = Fields(
    ("千川设置", "Qianchuan settings"),
    (
        Cell("Settings_Start", "start", "从这一天起", "from", Fmt.DATE),
        Cell("Settings_ROI_Goal", "roi_goal", "ROI目标", "roi2_goal", Fmt.NUMBER),
        Cell("Settings_Breakeven_ROI", "breakeven_roi", "保本ROI", "break-even ROI", Fmt.NUMBER),
        Cell("Settings_Basis", "basis", "ROI目标依据", "why this goal", Fmt.TEXT, span=7, lines=2),
    ),
    typed=False,
)  # fmt: skip
SETTINGS_WEEKS = Table(
    "Settings_Weeks",
    ("每周预算", "Budget per week"),
    (
        Column("week", "周", "week", Fmt.INT, 6),
        Column("first", "开始", "from", Fmt.DATE, 11),
        Column("last", "结束", "to", Fmt.DATE, 11),
        Column("days", "天数", "days", Fmt.INT, 7, total=True),
        *(Column(k.value, k.zh, k.value, **MONEY_TOTAL) for k in PlanType),
        Column("total", "合计", "total", **MONEY_TOTAL),
    ),
    rows=SETTING_WEEKS,
    total_row=True,
)
SETTINGS_DAYS = Table(
    "Settings_Days",
    ("每日设置：各计划的日预算与ROI目标", "Per day: each plan's daily budget and ROI goal"),
    (
        Column("date", "日期", "date", Fmt.DATE, 11),
        Column("day", "计划日", "plan day", Fmt.INT, 8),
        Column("phase", "阶段", "phase", Fmt.TEXT, 14),
        Column("week", "周", "week", Fmt.INT, 6),
        *(Column(k.value, f"{k.zh}日预算", k.value, Fmt.MONEY, 15) for k in PlanType),
        Column("total", "合计", "total", Fmt.MONEY, 15),
        Column("roi2_goal", "ROI目标", "roi2_goal", Fmt.NUMBER, 9),
    ),
    rows=SETTING_WEEKS * DAYS_PER_WEEK,
)
SETTINGS = Sheet(
    "投放设置",
    "Qianchuan settings",
    ("接下来四周在千川各计划中填写的日预算与ROI目标。", "What to enter in Qianchuan, the next four weeks."),
    (SETTINGS_SUMMARY, SETTINGS_WEEKS, SETTINGS_DAYS),
    label_width=(12, 14),
    value_width=14,
    one_page=True,
)  # fmt: skip

#: The plan's sheets, whose inputs and assumptions a scenario keeps.
_PLAN_SHEETS: tuple[Sheet, ...] = (
    GUIDE, INPUTS, ASSUMPTIONS, PHASES, CHANNELS, CALENDAR, CHECKPOINTS, RISK, TEAM, EVALUATION,
    ACTUALS, OPTIMISE, REPLAN, SETTINGS,
)  # fmt: skip


def grid_fmt(grid: Grid, row: str, col: str) -> Fmt:
    """How a grid's cell shows its value: a grid of mixed units shows its share rows as %."""
    share_rows = SHARE_ROWS.get(grid.key)
    if share_rows is None:
        return grid.fmt
    share = row in share_rows and col not in UNITLESS_COLUMNS.get(grid.key, frozenset())
    return Fmt.SHARE if share else Fmt.GENERAL


class InputItem(NamedTuple):
    """A cell the user types (an input cell, or a cell of a grid or typed table), as a scenario keeps it."""

    key: str  # its defined name; a grid's with the row and column keys (Channel_Mix[P2,feed]), a
    # table's with the row's number and the column's key (Promo_Events[3,start])
    name: str  # the defined name of its cell, grid or table
    row: int  # 0-based in its grid or table (a cell: 0, 0)
    col: int
    zh: str
    en: str
    fmt: Fmt
    column: str = ""  # a table's cell: its column's key (the table's values are read by column)


#: Tables of typed rows that are assumptions, so a scenario keeps them; the other typed columns
#: (checkpoint and KPI actuals, risk readings) say how the shop is doing, which no scenario changes.
SCENARIO_TABLES = frozenset({PROMO_EVENTS.name})


def _typed_blocks(sheets: tuple[Sheet, ...]) -> Iterator[Fields | Grid | Table]:
    """Every block of input cells, in the order the sheets show them."""
    for sheet in sheets:
        for block in sheet.blocks:
            stacks: tuple[tuple[Block, ...], ...] = block.stacks if isinstance(block, Panels) else ((block,),)
            for inner in (b for stack in stacks for b in stack):
                if (
                    isinstance(inner, Grid)
                    or (isinstance(inner, Fields) and inner.typed)
                    or (isinstance(inner, Table) and inner.name in SCENARIO_TABLES)
                ):
                    yield inner


def _items(block: Fields | Grid | Table) -> list[InputItem]:
    if isinstance(block, Fields):
        return [InputItem(cell.name, cell.name, 0, 0, cell.zh, cell.en, cell.fmt) for cell in block.cells]
    if isinstance(block, Table):
        return [
            InputItem(f"{block.name}[{i + 1},{col.key}]", block.name, i, j, f"第{i + 1}行 · {col.zh}",
                      f"row {i + 1} · {col.en}", col.fmt, col.key)
            for i in range(block.rows or 0)
            for j, col in enumerate(block.columns)
            if col.typed
        ]  # fmt: skip
    items, many_rows, many_cols = [], len(block.rows) > 1, len(block.cols) > 1
    for i, row in enumerate(block.rows):
        for j, col in enumerate(block.cols):
            # a grid of one row or one column needs only the other's label
            shown = [labels for labels, many in ((row, many_rows), (col, many_cols)) if many]
            zh, en = (" · ".join(label[k] for label in shown) or block.label[k - 1] for k in (1, 2))
            items.append(InputItem(f"{block.name}[{row[0]},{col[0]}]", block.name, i, j, zh, en,
                                   grid_fmt(block, row[0], col[0])))  # fmt: skip
    return items


def _ledger_rows(blocks: Iterator[Fields | Grid | Table]) -> tuple[LedgerRow, ...]:
    """Each block's title, then its items."""
    rows = []
    for block in blocks:
        rows.append(LedgerRow("", *(block.label if isinstance(block, Grid) else block.title)))
        rows += [LedgerRow(item.key, item.zh, item.en, item.fmt) for item in _items(block)]
    return tuple(rows)


#: Every input and assumption cell a scenario keeps: what the workbook's inputs are read from.
INPUT_ITEMS: tuple[InputItem, ...] = tuple(i for b in _typed_blocks(_PLAN_SHEETS) for i in _items(b))

# ---------------------------------------------------------------- 情景 scenarios
#: The longest a scenario's name may be: the heads over its columns show it whole, in three lines.
SCENARIO_NAME_LENGTH = 20
SCENARIO_LEDGER = Ledger(
    "Scenarios",
    (
        "已保存的情景，每列一个：点「保存情景」或运行 dyplan scenario save",
        "Saved scenarios, a column each: 保存情景, or `dyplan scenario save`",
    ),
    Column("key", "键", "key", Fmt.TEXT, 40),
    (30, 40),
    (
        LedgerRow("name", "情景", "scenario", Fmt.TEXT, lines=3),
        LedgerRow("saved_on", "保存日期", "saved on", Fmt.DATE),
    ),
    _ledger_rows(_typed_blocks(_PLAN_SHEETS)),
    printed=3,
)
SCENARIOS = Sheet(
    "情景",
    "Scenarios",
    ("每列一个情景，保存时的全部输入与假设；恢复按 A 列的键写回。",
     "A scenario per column: every input and assumption as saved, matched back by column A's key."),
    (SCENARIO_LEDGER,),
    label_width=(40, 30),
    value_width=40,
)  # fmt: skip

# ---------------------------------------------------------------- 情景对比 scenarios compared
SCENARIO_COMPARE_LEDGER = Ledger(
    "Scenario_Compare",
    (
        "各方案及与基准之差：点「情景对比」或运行 dyplan scenario compare",
        "Each plan and its difference to the base: 情景对比, or `dyplan scenario compare`",
    ),
    Column("key", "键", "key", Fmt.TEXT, 15),
    (20, 22),
    (
        LedgerRow("name", "情景", "scenario", Fmt.TEXT, lines=3),
        LedgerRow("note", "说明", "note", Fmt.TEXT, lines=3),
    ),
    tuple(LedgerRow(f.key, f.zh, f.en, Fmt.MONEY if f.money else Fmt.NUMBER) for f in SCENARIO_FIGURES),
    width=17,
    printed=5,
)
SCENARIO_COMPARE = Sheet(
    "情景对比",
    "Scenarios compared",
    ("各情景按自己的输入生成方案；差额 = 情景 − 基准，金额精确到分。",
     "Each plan from its own inputs; difference = plan − base, money to the fen."),
    (SCENARIO_COMPARE_LEDGER,),
    label_width=(15, 20),
    value_width=22,
)  # fmt: skip

# ---------------------------------------------------------------- 基线 baseline
BASELINE_FIELDS = Fields(
    ("冻结的基线", "The frozen baseline"),
    (
        Cell("Baseline_Frozen_On", "frozen_on", "冻结日期", "frozen on", Fmt.DATE),
        Cell("Baseline_Inputs", "inputs", "冻结时的输入", "inputs when frozen", Fmt.TEXT, span=7),
    ),
    typed=False,
    kept=True,
)
_BASELINE_MONEY = {"fmt": Fmt.MONEY, "width": 14}
#: Rows the comparison has room for: the 4 phases, and the months of the baseline's year and of the
#: live plan's (13 each at most, should the start date have moved).
BASELINE_COMPARE_ROWS = len(Phase) + 2 * 13
BASELINE_COMPARE = Table(
    "Baseline_Compare",
    ("基线、当前方案与实际：按阶段与自然月", "Baseline, plan and actual by phase and month"),
    (
        Column("period", "类型", "by", Fmt.TEXT, 10),
        Column("key", "期间", "period", Fmt.TEXT, 14),
        Column("baseline_gmv", "基线GMV目标", "baseline GMV target", **_BASELINE_MONEY),
        Column("plan_gmv", "当前GMV目标", "plan GMV target", **_BASELINE_MONEY),
        Column("baseline_allocatable", "基线可分配", "baseline allocatable", **_BASELINE_MONEY),
        Column("plan_allocatable", "当前可分配", "plan allocatable", **_BASELINE_MONEY),
        Column("actual_spend", "实际消耗", "actual spend", **_BASELINE_MONEY),
        Column("plan_vs_baseline", "当前 − 基线", "plan − baseline", **_BASELINE_MONEY),
        Column("actual_vs_baseline", "实际 − 基线", "actual − baseline", **_BASELINE_MONEY),
        Column("baseline_ad_gmv", "基线广告GMV", "baseline ad GMV", **_BASELINE_MONEY),
        Column("plan_ad_gmv", "当前广告GMV", "plan ad GMV", **_BASELINE_MONEY),
        Column("actual_gmv", "实际成交", "actual GMV", **_BASELINE_MONEY),
        Column("ad_gmv_vs_baseline", "成交 − 基线", "GMV − baseline", **_BASELINE_MONEY),
    ),
    rows=BASELINE_COMPARE_ROWS,
    empty=("尚未冻结基线：运行 dyplan baseline freeze 工作簿.xlsx，或点击「抖音投放」选项卡的「冻结基线」。",
           "No baseline yet: run `dyplan baseline freeze WORKBOOK.xlsx`, or click 冻结基线 on the 抖音投放 "
           "ribbon tab."),
)  # fmt: skip
BASELINE_DAILY = Table(
    "Baseline_Daily",
    ("冻结时的每日方案（此后不再改变）", "The plan as frozen, day by day (never changed after)"),
    (
        Column("date", "日期", "date", Fmt.DATE, 11),
        Column("phase", "阶段", "phase", Fmt.TEXT, 6),
        Column("budget", "预算", "budget", **_BASELINE_MONEY),
        Column("allocatable", "可分配", "allocatable", **_BASELINE_MONEY),
        Column("gmv", "GMV目标", "GMV target", **_BASELINE_MONEY),
        Column("ad_gmv", "广告GMV", "ad GMV", **_BASELINE_MONEY),
        *(Column(c.value, c.zh, c.en, **_BASELINE_MONEY) for c in Channel),
    ),
    rows=365,
    kept=True,
)
BASELINE = Sheet(
    "基线",
    "Baseline",
    ("冻结时的方案逐日保存于此；此后每次重新生成与导入都与它对照。",
     "The plan as frozen, day by day; every regenerate and import sets the live plan and actuals beside it."),
    (BASELINE_FIELDS, BASELINE_COMPARE, BASELINE_DAILY),
    label_width=(10, 16),
    value_width=14,
)  # fmt: skip

# ---------------------------------------------------------------- 敏感性 sensitivity
#: The most steps each way a sensitivity table has room for.
SENSITIVITY_STEPS = 9
SENSITIVITY_PICKS = Fields(
    ("选择：两个输入与表中数值（留空为默认）", "Pick two inputs and the figure (blank: the default)"),
    (
        Cell("Sensitivity_Rows", "rows", "行：变动的输入", "rows: the input moved", Fmt.TEXT,
             choices=SensitivityVariable, note="默认 年度GMV目标 / default GMV target"),
        Cell("Sensitivity_Columns", "columns", "列：变动的输入", "columns: the input moved", Fmt.TEXT,
             choices=SensitivityVariable, note="默认 预算比例 / default budget ratio"),
        Cell("Sensitivity_Output", "output", "表中数值", "figure in the table", Fmt.TEXT,
             choices=SensitivityOutput, note="默认 年度总预算 / default total budget"),
    ),
    typed=True,
)  # fmt: skip
SENSITIVITY_STEP_GRID = Grid(
    "Sensitivity_Steps",
    "sensitivity_steps",
    ("步长：每个输入乘以 (1 + 步长)，留空的不算", "Steps: each input × (1 + step); blank ones are left out"),
    (("rows", "行", "rows"), ("columns", "列", "columns")),
    tuple((str(i), f"步长{i}", f"step {i}") for i in range(1, SENSITIVITY_STEPS + 1)),
    Fmt.SHARE,
    bounds=(-0.99, 10),
)
SENSITIVITY_MADE = Fields(
    ("生成", "Made"),
    (
        Cell("Sensitivity_Made", "made", "生成于", "made", Fmt.TEXT, span=8, lines=2),
    ),
    typed=False,
    kept=True,
)  # fmt: skip
_SENSITIVITY_CELLS = tuple(
    Column(f"c{i}", f"列{i}", f"col {i}", Fmt.MONEY, 15) for i in range(1, SENSITIVITY_STEPS + 1)
)
SENSITIVITY_COLUMNS = Table(
    "Sensitivity_Heads",
    ("各列：列输入的变动与取值", "The columns: each column's change and value"),
    (Column("change", "变动", "change", Fmt.TEXT, 9), Column("value", "列输入", "column input", Fmt.TEXT, 16),
     *(Column(col.key, col.zh, col.en, Fmt.TEXT, col.width) for col in _SENSITIVITY_CELLS)),
    rows=2,
    kept=True,
)  # fmt: skip
SENSITIVITY_TABLE = Table(
    "Sensitivity",
    ("敏感性表：行 × 列，按方案自己的规则与取整计算（静态数值）",
     "The table: rows × columns, by the plan's own rules and rounding (static values)"),
    (Column("change", "行变动", "row change", Fmt.TEXT, 9),
     Column("value", "行输入", "row input", Fmt.TEXT, 16), *_SENSITIVITY_CELLS),
    rows=SENSITIVITY_STEPS,
    kept=True,
    empty=("尚未生成：点击「抖音投放」选项卡的「敏感性分析」，或运行 dyplan sensitivity 工作簿.xlsx。",
           "Not made yet: click 敏感性分析 on the 抖音投放 ribbon tab, or run "
           "`dyplan sensitivity WORKBOOK.xlsx`."),
)  # fmt: skip
SENSITIVITY_CHART = Chart(
    "sensitivity",
    ("敏感性：每列一条线", "Sensitivity: a line per column"),
    rows=16,
    follows=SENSITIVITY_TABLE,
    empty=("尚未生成敏感性表", "no sensitivity table yet"),
    columns=("change", f"c{SENSITIVITY_STEPS}"),
)  # fmt: skip
SENSITIVITY = Sheet(
    "敏感性",
    "Sensitivity",
    ("两个输入各按步长变动，每格是方案在这两个输入下的数值；改了输入后请再生成。",
     "Two inputs moved by steps: each cell is the plan's figure with those two."),
    (SENSITIVITY_PICKS, SENSITIVITY_STEP_GRID, SENSITIVITY_MADE, SENSITIVITY_COLUMNS, SENSITIVITY_CHART,
     SENSITIVITY_TABLE),
    label_width=(16, 22),
    value_width=16,
)  # fmt: skip

SHEETS: tuple[Sheet, ...] = (*_PLAN_SHEETS, SCENARIOS, SCENARIO_COMPARE, BASELINE, SENSITIVITY)
#: Sheets added after workbooks were first made: a workbook made before them has none of them, and
#: regenerate and import leave them out (they never add a sheet to a user's file); the commands that
#: need one say so.
LATER_SHEETS: tuple[Sheet, ...] = (
    OPTIMISE, REPLAN, SETTINGS, SCENARIOS, SCENARIO_COMPARE, BASELINE, SENSITIVITY,
)  # fmt: skip

#: Engine fields typed inside output tables: the table, its typed column and the row keys.
TABLE_FIELDS: dict[str, tuple[Table, str, tuple[str, ...]]] = {
    "risk_values": (RISK_TABLE, "value", INDICATOR_KEYS),
    "risk_ratings": (MATRIX_TABLE, "probability", MATRIX_FACTOR_KEYS),
    "promo_events": (PROMO_EVENTS, "event", tuple(str(i) for i in range(1, PROMO_ROWS + 1))),
}
