"""What a report's columns mean: every header name the platforms export, per field, and the report kind.

Names are real headers of 巨量千川 (标准推广 and 全域推广), 巨量引擎, 电商罗盘 and the open API's
field names. They are compared after ``normalise_header``: case, spaces and brackets do not count,
a unit in the header ("消耗(元)", "点击率(%)") is part of the name as exported and may be left out.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence

from dyplan.model import COUNTS, EXTRA_MEASURES, ROOM_LEDGER, UNKNOWN_CHANNEL, Channel

#: Field → the header names that mean it. The first name is the one messages suggest.
ALIASES: dict[str, tuple[str, ...]] = {
    # dates: a day, or a live session's start (罗盘 live sessions)
    "date": ("日期", "时间", "统计日期", "日期时间", "天", "开播日期", "直播开始时间", "开播时间",
             "数据起始时间", "date", "stat_date", "stat_datetime"),
    # keys: where a row's spend comes from
    "account": ("账户", "账户id", "账户名称", "广告主id", "广告主", "广告账户", "advertiser_id",
                "advertiser_name"),
    "plan": ("计划id", "计划名称", "计划", "广告计划", "广告计划id", "广告计划名称", "计划名", "ad_id",
             "ad_name"),
    "group": ("广告组id", "广告组", "广告组名称", "campaign_id", "campaign_name", "campaign"),
    "material": ("素材id", "素材名称"),
    "author": ("抖音号id", "抖音号名称", "抖音号", "达人昵称", "aweme_id", "aweme_name"),
    "product": ("商品id", "商品名称", "product_id"),
    # where the channel is read (PLANNING_RULES §8: search beats goal)
    "scene": ("营销场景", "广告类型", "marketing_scene"),
    "goal": ("营销目标", "推广目标", "marketing_goal"),
    "channel": ("渠道", "投放渠道", "channel"),
    # the six counts
    "spend": ("消耗", "花费", "总消耗", "整体消耗", "总花费", "投放消耗店铺绑定", "投放消耗店铺被投",
              "展现数据-总花费", "cost", "spend", "stat_cost", "stat_cost_for_roi2"),
    "impressions": ("展示次数", "展现次数", "展示数", "展现数", "整体展示次数", "整体展现次数", "曝光次数",
                    "曝光量", "展现数据-展示数", "impressions", "show", "show_cnt",
                    "product_show_count_for_roi2"),
    "clicks": ("点击次数", "点击数", "整体点击次数", "广告点击次数", "展现数据-点击数", "clicks", "click",
               "click_cnt", "product_click_count_for_roi2"),
    "conversions": ("转化数", "转化次数", "转化数据-转化数", "conversions", "convert", "convert_cnt"),
    "gmv": ("直接成交金额", "整体成交金额", "整体成交金额含优惠券", "广告成交金额", "支付gmv", "成交金额",
            "直接支付金额", "成交订单金额", "gmv", "pay_order_amount", "direct_order_pay_gmv",
            "total_pay_order_gmv_include_coupon_for_roi2"),
    "orders": ("直接成交订单数", "整体成交订单数", "直接成交笔数", "广告成单数", "成交订单数", "支付订单数",
               "直接支付订单数", "orders", "pay_order_count", "direct_order_pay_count",
               "total_pay_order_count_for_roi2"),
    # what merchants also judge by (kept on 实际数据 when a report has them)
    "gmv_7d": ("7日总成交金额", "7日总支付金额"),
    "user_paid": ("用户实际支付金额", "total_pay_order_gmv_for_roi2"),
    "net_gmv": ("净成交金额", "1小时净成交金额"),
    "coupon": ("智能优惠券金额", "整体成交智能优惠券金额", "total_pay_order_coupon_amount_for_roi2"),
    "refund_1h": ("1小时内退款金额", "1h退款金额"),
    "viewers": ("直播间观看人数", "观看人数"),
    "room_gmv": ("直播间成交金额",),
    # rates: read only to derive the amount they stand for when its column is absent
    "roi": ("支付roi", "直接支付roi", "整体支付roi", "roi", "pay_roi", "total_prepay_and_pay_order_roi2",
            "prepay_and_pay_order_roi"),
    "roi_7d": ("7日总支付roi",),
    "net_roi": ("净成交roi",),
    "conversion_cost": ("转化成本", "转化数据-转化成本", "conversion_cost", "convert_cost"),
    # spend splits for the mix indicators
    "hour": ("时段", "小时", "投放时段", "hour", "stat_hour"),
    "device": ("设备", "设备类型", "操作系统", "平台", "device", "platform", "os"),
}  # fmt: skip
#: The platform's own rates and labels: known, so not reported as unread, but never used.
IGNORED = ("1小时内退款率", "1h退款率", "点击率", "转化率", "平均点击单价", "平均千次展现费用", "推广方式",
           "流量来源", "ctr", "cvr", "cpc", "cpm")  # fmt: skip
REQUIRED = ("date", "spend")
KEYS = ("account", "plan", "group", "material", "author", "product")
#: A row's unit: the finest of these the report has (materials are summed into their plan).
UNITS = ("plan", "group", "material")
MEASURES = (*COUNTS, *EXTRA_MEASURES)
#: Fields read as numbers.
NUMBERS = (*MEASURES, "roi", "roi_7d", "net_roi", "conversion_cost")
#: Money fields: an unreadable cell in one refuses the file (unless the user lets it pass).
MONEY = ("spend", "gmv", "gmv_7d", "user_paid", "net_gmv", "coupon", "refund_1h", "room_gmv")
#: Rate → (the amount it derives when that amount's column is absent, from which measure, multiplied
#: by it or dividing it). A refund rate derives nothing: exports write it as 3.2 as often as 3.2 %.
DERIVES: dict[str, tuple[str, str, bool]] = {
    "roi": ("gmv", "spend", True),
    "roi_7d": ("gmv_7d", "spend", True),
    "net_roi": ("net_gmv", "spend", True),
    "conversion_cost": ("conversions", "spend", False),
}
#: A total row's label, alone in its cell ("合计", "总计：", "全部", "Total"); "Total护肤" is a plan.
TOTAL_ROW = re.compile(r"^\s*(?:合计|总计|汇总|全部|total)\s*[:：]?\s*$", re.IGNORECASE)


def normalise_header(text: object) -> str:
    """Lower case, without spaces, brackets, a currency sign or a trailing 元 or "%"."""
    value = re.sub(r"[\s\(\)（）\[\]【】:：]|¥|￥", "", str(text or "")).lower()
    return re.sub(r"(?<=.)(元|%)$", "", value)


_LOOKUP = {normalise_header(alias): name for name, aliases in ALIASES.items() for alias in aliases}
_IGNORED = {normalise_header(name) for name in IGNORED}


def match_columns(header: Sequence[object]) -> dict[int, str]:
    """Position → field for every header cell recognised (the first of duplicates wins)."""
    found: dict[int, str] = {}
    for position, cell in enumerate(header):
        name = _LOOKUP.get(normalise_header(cell))
        if name and name not in found.values():
            found[position] = name
    return found


def unrecognised(header: Sequence[object], found: dict[int, str]) -> list[str]:
    """Header cells neither recognised nor known to be ignored, as written."""
    return [
        str(cell).strip()
        for position, cell in enumerate(header)
        if position not in found and str(cell or "").strip() and normalise_header(cell) not in _IGNORED
    ]


class Kind(enum.Enum):
    """What a report is, by its columns (and, where the columns cannot tell, its file name)."""

    STANDARD = "千川·标准推广"
    UNI_LIVE = "千川·全域推直播"
    UNI_PRODUCT = "千川·全域推商品"
    UNI = "千川·全域推广"
    OCEAN = "巨量引擎"
    COMPASS_LIVE = ROOM_LEDGER

    @property
    def channel(self) -> str:
        """The channel every row of such a report is, unless its scene or goal says otherwise."""
        return Channel.LIVE.value if self in (Kind.UNI_LIVE, Kind.COMPASS_LIVE) else UNKNOWN_CHANNEL


_UNI_HEADER = re.compile(r"^整体|_for_roi2$|roi2$")


def report_kind(header: Sequence[object], found: dict[int, str], file_name: str) -> Kind:
    """The kind of a report: 罗盘 live sessions, 全域推广 (live or product), 巨量引擎 or 标准推广."""
    fields = set(found.values())
    names = [normalise_header(cell) for cell in header]
    if "room_gmv" in fields or any(n in ("直播开始时间", "开播时间", "开播日期") for n in names):
        return Kind.COMPASS_LIVE
    if any(_UNI_HEADER.search(n) for n in names):
        if "author" in fields or "直播" in file_name:
            return Kind.UNI_LIVE
        if "product" in fields or "商品" in file_name:
            return Kind.UNI_PRODUCT
        return Kind.UNI
    if "gmv" not in fields and "roi" not in fields and "orders" not in fields:
        return Kind.OCEAN  # an ad platform's export: no shop sales in it
    return Kind.STANDARD


#: Words in a row's 营销场景 / 营销目标 / 渠道 cell → its channel. Search beats goal: a 搜索广告 plan
#: for a live room is search; 通投 alone says nothing about live or feed.
SEARCH_WORDS = ("搜索", "search")
GOAL_WORDS: tuple[tuple[str, str], ...] = (
    ("直播", Channel.LIVE.value), ("live", Channel.LIVE.value),
    ("短视频", Channel.FEED.value), ("图文", Channel.FEED.value), ("video", Channel.FEED.value),
    ("信息流", Channel.FEED.value), ("feed", Channel.FEED.value),
)  # fmt: skip


def row_channel(scene: str, goal: str, channel: str, kind: Kind) -> str:
    """A row's channel from its scene, goal and channel cells, else the report kind's."""
    if any(word in scene.lower() for word in SEARCH_WORDS) or any(w in channel.lower() for w in SEARCH_WORDS):
        return Channel.SEARCH.value
    for text in (goal.lower(), channel.lower()):
        for word, found in GOAL_WORDS:
            if word in text:
                return found
    return kind.channel
