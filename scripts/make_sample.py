"""Regenerate the sample community in data/: twenty volunteers, June to November 2026.

The sample is what a newcomer sees on a first `jifen board --all` or `jifen shelf`,
so it is written the way staff write a real ledger: every volunteer joins, every
service is logged, goods are restocked and counted, and every redemption and
voucher use is made through `jifen.ledger.Ledger`, the same methods `jifen join`,
`jifen log`, `jifen restock`, `jifen stocktake`, `jifen redeem` and
`jifen voucher use` call. A fixed random seed, readable fixed ids and a clock set
to the evening of each day make the files the same, byte for byte, on every run.
The ids are v0001 (volunteer), s0001 (service), r0001 (redemption), b0001
(restock, 补货), p0001 (stocktake, 盘点) and u0001 (voucher used at a partner).

Most services are everyday ones, drawn at random from each volunteer's habits.
Three stories are the product brief's facts, and tests/test_sample.py pins them:

- 刘德顺, a retired electrician in 维修帮帮团, has exactly 95 points when he
  repairs a radio for an hour on 2026-10-31, and 98 after it;
- 杨春生, the veteran, has earned 156 points, far ahead of everyone else;
- 王秀兰, a retired teacher of 67 in the four-person 银发互助队, takes a bottle of
  oil and a bag of rice for 110 points.

The shelf (积分货架) has its own history, also pinned by the tests: the street
office's monthly deliveries (街道配送) and one donation (爱心企业捐赠) arrive
before anything is taken; a month-end stocktake (盘点) finds one pack of tissue
missing, and later ones match the books; partner vouchers (a haircut, a market
coupon, a hardware discount, a home-care visit) are redeemed and most of them
are taken at the shop a few days later, while the latest are still open.

Usage: `python scripts/make_sample.py [--home DIR]`. It deletes the home's
data/volunteers/*.jsonl and data/shelf.jsonl (and data/*.jsonl, the layout
before volunteers had their own folder), and nothing else there, then writes
them anew.
"""

import argparse
import calendar
import datetime as dt
import itertools
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

import jifen.ledger
from jifen.errors import JifenError
from jifen.events import _CODE_ALPHABET
from jifen.ledger import Ledger
from jifen.rules import Rules
from jifen.scoring import counted_on_the_day, score_service
from jifen.store import DATA_DIR, SHELF_FILE, SUFFIX, VOLUNTEERS_DIR

REPOSITORY = Path(__file__).resolve().parent.parent
SEED = 20261130
# Voucher codes have a generator of their own, so they never shift the services.
VOUCHER_SEED = 20261201
# As long as the codes of jifen.events.new_voucher_code, which it stands in for.
VOUCHER_CODE_LENGTH = 6
RECORDER = "社区工作站"
LAST_DAY = dt.date(2026, 11, 30)
EVENING = dt.time(19, 0)
MINUTES_BETWEEN_ENTRIES = 3

# The grid workers (网格员) who witness most services.
GRID_WORKERS = ("陈晓雯", "唐志远", "邱丽娟")
WITNESSED_SHARE = 0.75
HARD_SHARE = 0.15
NOTED_SHARE = 0.4

VETERAN = "杨春生"
VETERAN_EARNED = 156

ELECTRICIAN = "刘德顺"
RADIO_DAY = dt.date(2026, 10, 31)
BALANCE_BEFORE_RADIO = 95
QUIET_MONTH = 3

RETIRED_TEACHER = "王秀兰"
SHOPPING_DAY = dt.date(2026, 11, 20)
BALANCE_BEFORE_SHOPPING = 112


@dataclass(frozen=True)
class Chore:
    """How everyday services of one activity look: hours, notes, difficulty."""

    hours: tuple[str, ...]
    notes: tuple[str, ...]
    can_be_hard: bool = False


CHORES = {
    "cleanup": Chore(
        ("1", "1.5", "2", "2.5"),
        ("花坛除草", "清理绿化带垃圾", "雨后清扫落叶", "清洗垃圾分类桶站"),
        can_be_hard=True,
    ),
    "class": Chore(
        ("1", "1.5", "2"),
        ("智能手机使用课", "书法课", "防诈骗讲座", "太极拳教学"),
    ),
    "mediation": Chore(
        ("1", "2", "3"),
        ("楼上漏水纠纷", "停车位争执", "装修噪音协调", "宠物扰邻"),
        can_be_hard=True,
    ),
    "repair": Chore(
        ("1", "1.5"),
        ("修电饭煲", "修电风扇", "换客厅灯管", "修洗衣机排水", "修电水壶"),
        can_be_hard=True,
    ),
    "wire-patrol": Chore(
        ("1", "1.5", "2"),
        ("劝导5号楼楼道飞线", "夜间巡查电动车充电", "地下车库巡查"),
    ),
    "stairwell": Chore(
        ("1", "1.5", "2", "2.5"),
        ("清理2单元楼道堆物", "搬走楼道废旧家具", "清理消防通道纸箱"),
        can_be_hard=True,
    ),
    "delivery": Chore(
        ("0.5", "1"),
        ("送《老年健康》", "送防诈骗宣传册", "送社区通知"),
    ),
    "companion": Chore(
        ("1", "1.5", "2", "2.5"),
        ("陪独居老人聊天", "陪同散步", "给老人读报"),
    ),
    "medicine": Chore(
        ("0.5",),
        ("代买降压药", "代买感冒药", "代取处方药"),
    ),
    "safety": Chore(
        ("1", "1.5", "2"),
        ("燃气管道检查", "消防通道排查", "检查灭火器"),
        can_be_hard=True,
    ),
}


@dataclass(frozen=True)
class Member:
    """A volunteer of the sample: how they joined and what they usually do.

    `activities` are drawn at random, so one listed twice comes up twice as often.
    """

    name: str
    joined: dt.date
    activities: tuple[str, ...]
    services_per_month: int
    team: str | None = None
    phone: str | None = None
    note: str | None = None


SILVER_HAIR = "银发互助队"
REPAIR_HELP = "维修帮帮团"
SAFE_PATROL = "平安巡逻队"
YOUTH = "青年志愿服务队"

ROSTER = (
    Member(
        VETERAN,
        dt.date(2026, 6, 1),
        ("cleanup", "cleanup", "stairwell", "wire-patrol", "safety", "mediation"),
        7,
        team=SAFE_PATROL,
        phone="13611835207",
        note="老党员，3号楼楼栋长",
    ),
    Member(
        ELECTRICIAN,
        dt.date(2026, 6, 3),
        ("repair", "repair", "repair", "wire-patrol", "safety"),
        7,
        team=REPAIR_HELP,
        phone="13801927364",
        note="退休电工，原区供电所维修班",
    ),
    Member(
        RETIRED_TEACHER,
        dt.date(2026, 6, 5),
        ("class", "class", "companion", "delivery", "medicine"),
        8,
        team=SILVER_HAIR,
        phone="13916452870",
        note="退休教师，67岁",
    ),
    Member(
        "黄伟",
        dt.date(2026, 6, 8),
        ("wire-patrol", "safety", "stairwell"),
        4,
        team=SAFE_PATROL,
    ),
    Member(
        "李淑珍",
        dt.date(2026, 6, 10),
        ("companion", "companion", "medicine", "delivery", "cleanup"),
        4,
        team=SILVER_HAIR,
        note="退休会计，独居",
    ),
    Member(
        "郑永强",
        dt.date(2026, 6, 12),
        ("repair", "repair", "safety"),
        3,
        team=REPAIR_HELP,
        phone="15821346078",
        note="会修自行车和门锁",
    ),
    Member(
        "孙国栋",
        dt.date(2026, 6, 18),
        ("companion", "cleanup", "safety"),
        4,
        team=SILVER_HAIR,
        note="退休钳工",
    ),
    Member(
        "马丽华",
        dt.date(2026, 6, 20),
        ("mediation", "mediation", "safety", "cleanup"),
        3,
        team=SAFE_PATROL,
        note="原居委会干部",
    ),
    Member(
        "罗美玲",
        dt.date(2026, 6, 22),
        ("cleanup", "stairwell", "delivery"),
        3,
    ),
    Member(
        "周凤英",
        dt.date(2026, 7, 2),
        ("companion", "delivery", "medicine"),
        3,
        team=SILVER_HAIR,
        phone="18917630452",
    ),
    Member(
        "林晓燕",
        dt.date(2026, 7, 10),
        ("class", "companion", "medicine"),
        2,
        team=YOUTH,
        phone="18621097735",
        note="社区医院护士",
    ),
    Member(
        "徐浩然",
        dt.date(2026, 7, 15),
        ("cleanup", "delivery", "class"),
        3,
        team=YOUTH,
        note="大学生，暑假返乡",
    ),
    Member(
        "谢春花",
        dt.date(2026, 8, 1),
        ("companion", "medicine", "cleanup"),
        3,
        phone="15000873316",
    ),
    Member(
        "何建军",
        dt.date(2026, 8, 15),
        ("repair", "wire-patrol"),
        3,
        team=REPAIR_HELP,
        phone="13764528109",
        note="水电工",
    ),
    Member(
        "胡振东",
        dt.date(2026, 9, 5),
        ("wire-patrol", "safety"),
        3,
        team=SAFE_PATROL,
        phone="18802165934",
    ),
    Member(
        "韩立新",
        dt.date(2026, 9, 18),
        ("stairwell", "cleanup"),
        2,
    ),
    Member(
        "江建平",
        dt.date(2026, 10, 8),
        ("safety", "wire-patrol", "mediation"),
        2,
        note="小区业委会委员",
    ),
    Member(
        "高婷",
        dt.date(2026, 11, 2),
        ("class", "delivery", "cleanup"),
        4,
        team=YOUTH,
        phone="15201938846",
        note="幼儿园老师",
    ),
    Member(
        "吴志刚",
        dt.date(2026, 11, 3),
        ("repair", "safety"),
        4,
        team=REPAIR_HELP,
        note="刚退休，原电器厂技术员",
    ),
    Member(
        "曹文静",
        dt.date(2026, 11, 9),
        ("cleanup", "delivery"),
        3,
        note="新搬来的住户",
    ),
)

MEMBERS = {member.name: member for member in ROSTER}
STORIES = {VETERAN, ELECTRICIAN, RETIRED_TEACHER}

# Everyday trips to the points shelf (积分货架): who, when, which goods.
EVERYDAY_REDEMPTIONS = (
    ("罗美玲", dt.date(2026, 7, 28), ("tissue",)),
    ("李淑珍", dt.date(2026, 8, 21), ("tissue", "detergent")),
    ("孙国栋", dt.date(2026, 9, 8), ("soap", "towel")),
    ("黄伟", dt.date(2026, 9, 12), ("detergent",)),
    ("周凤英", dt.date(2026, 10, 10), ("tissue", "tissue")),
    (VETERAN, dt.date(2026, 10, 16), ("detergent", "tissue")),
    ("谢春花", dt.date(2026, 10, 22), ("noodles", "noodles", "salt")),
    ("郑永强", dt.date(2026, 10, 24), ("dish-soap",)),
    ("林晓燕", dt.date(2026, 10, 29), ("soy-sauce", "salt")),
    ("黄伟", dt.date(2026, 11, 6), ("eggs",)),
    ("韩立新", dt.date(2026, 11, 12), ("toothpaste",)),
    ("马丽华", dt.date(2026, 11, 19), ("tissue",)),
    ("孙国栋", dt.date(2026, 11, 24), ("detergent",)),
    ("郑永强", dt.date(2026, 11, 27), ("tissue",)),
)

# Partner offers (合作商户) redeemed for vouchers: who, when, which offers, a note.
PARTNER_REDEMPTIONS = (
    ("孙国栋", dt.date(2026, 8, 26), ("haircut",), None),
    ("徐浩然", dt.date(2026, 10, 3), ("market-coupon",), "国庆回家，给家里买菜"),
    ("马丽华", dt.date(2026, 10, 15), ("haircut",), None),
    ("罗美玲", dt.date(2026, 11, 5), ("market-coupon",), None),
    (ELECTRICIAN, dt.date(2026, 11, 6), ("hardware-discount",), "买电工胶布和插座"),
    ("马丽华", dt.date(2026, 11, 9), ("care-visit",), "为婆婆预约上门助浴"),
    (VETERAN, dt.date(2026, 11, 10), ("haircut", "haircut"), "和老伴各理一次发"),
    ("何建军", dt.date(2026, 11, 16), ("hardware-discount",), "买水龙头配件"),
    (ELECTRICIAN, dt.date(2026, 11, 18), ("care-visit",), "为老伴预约上门康复护理"),
    ("黄伟", dt.date(2026, 11, 26), ("hardware-discount", "market-coupon"), None),
    ("胡振东", dt.date(2026, 11, 27), ("haircut",), None),
)

# Vouchers the partner shops took: whose, which offer, on which day, a note.
# Each takes that volunteer's oldest open voucher for the offer; the rest stay open.
VOUCHER_USES = (
    ("孙国栋", "haircut", dt.date(2026, 8, 29), None),
    ("徐浩然", "market-coupon", dt.date(2026, 10, 5), None),
    ("马丽华", "haircut", dt.date(2026, 10, 17), None),
    ("罗美玲", "market-coupon", dt.date(2026, 11, 8), None),
    (ELECTRICIAN, "hardware-discount", dt.date(2026, 11, 9), None),
    ("马丽华", "care-visit", dt.date(2026, 11, 12), "护理员上门助浴1次"),
    (VETERAN, "haircut", dt.date(2026, 11, 13), None),
    ("何建军", "hardware-discount", dt.date(2026, 11, 20), None),
    (ELECTRICIAN, "care-visit", dt.date(2026, 11, 21), "康复护理员上门1次"),
    ("黄伟", "market-coupon", dt.date(2026, 11, 29), None),
)

# Goods arriving on the shelf: the street office's monthly deliveries and a donation.
STREET_OFFICE = "街道配送"
RESTOCKS = (
    (
        dt.date(2026, 7, 6),
        (("rice", 3), ("oil", 3), ("flour", 3), ("tissue", 10), ("detergent", 6)),
        f"{STREET_OFFICE}，7月",
    ),
    (
        dt.date(2026, 8, 3),
        (("soap", 10), ("towel", 6), ("toothpaste", 8), ("salt", 10)),
        f"{STREET_OFFICE}，8月",
    ),
    (
        dt.date(2026, 9, 1),
        (("tissue", 6), ("dish-soap", 6), ("soy-sauce", 6), ("noodles", 10)),
        f"{STREET_OFFICE}，9月",
    ),
    (
        dt.date(2026, 9, 24),
        (("rice", 5), ("oil", 5), ("flour", 5)),
        "爱心企业捐赠（丰收粮油公司）",
    ),
    (
        dt.date(2026, 11, 3),
        (("tissue", 6), ("detergent", 4), ("eggs", 4), ("noodles", 6)),
        f"{STREET_OFFICE}，11月",
    ),
)

# Month-end counts (盘点): the day, the good, counted − expected, and a note.
STOCKTAKES = (
    (dt.date(2026, 9, 30), "tissue", -1, "月底盘点，少1提，可能发放时漏登"),
    (dt.date(2026, 9, 30), "detergent", 0, "月底盘点"),
    (dt.date(2026, 10, 31), "tissue", 0, "月底盘点，与账面一致"),
    (dt.date(2026, 10, 31), "rice", 0, "月底盘点，与账面一致"),
    (dt.date(2026, 10, 31), "oil", 0, "月底盘点，与账面一致"),
)


@dataclass(frozen=True)
class Joining:
    """A volunteer joins the scheme."""

    member: Member

    @property
    def date(self) -> dt.date:
        """The day they joined."""
        return self.member.joined


@dataclass(frozen=True)
class PlannedService:
    """A service to log, with the points the rules give it."""

    name: str
    date: dt.date
    activity: str
    points: int
    hours: str | None = None
    times: int = 1
    level: str | None = None
    witness: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class PlannedRedemption:
    """Goods and partner offers to take for points, with the points they cost."""

    name: str
    date: dt.date
    items: tuple[str, ...]
    points: int
    note: str | None = None


@dataclass(frozen=True)
class PlannedRestock:
    """Goods arriving on the shelf."""

    date: dt.date
    item: str
    quantity: int
    note: str | None = None


@dataclass(frozen=True)
class PlannedStocktake:
    """A count of one good on the shelf, with the stock the books expect."""

    date: dt.date
    item: str
    expected: int
    counted: int
    note: str | None = None


@dataclass(frozen=True)
class PlannedVoucherUse:
    """A partner shop takes a volunteer's oldest open voucher for an offer."""

    name: str
    date: dt.date
    offer: str
    note: str | None = None


Entry = (
    Joining
    | PlannedRestock
    | PlannedService
    | PlannedRedemption
    | PlannedVoucherUse
    | PlannedStocktake
)

# On one day, people join and goods arrive first; then people serve and spend,
# shops take vouchers, and the shelf is counted last, after the day's trade.
_KIND_ORDER = {
    Joining: 0,
    PlannedRestock: 1,
    PlannedService: 2,
    PlannedRedemption: 3,
    PlannedVoucherUse: 4,
    PlannedStocktake: 5,
}


class Plan:
    """The sample's entries as they are decided: points so far, stock on the shelf."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.entries: list[Entry] = []

    def service(
        self,
        name: str,
        date: dt.date,
        activity: str,
        *,
        hours: str | None = None,
        times: int = 1,
        level: str | None = None,
        witness: str | None = None,
        note: str | None = None,
    ) -> PlannedService:
        """Return a service scored under the rules; `add` puts it in the plan.

        A daily cap counts the full hours of the volunteer's services of the same
        activity already in the plan that day, as the ledger does.
        """
        kind = self.rules.find_activity(activity)
        same_day = [
            Decimal(entry.hours)
            for entry in self.entries
            if isinstance(entry, PlannedService)
            and (entry.name, entry.date, entry.activity) == (name, date, kind.key)
            and entry.hours is not None
        ]
        points = score_service(
            kind,
            hours=Decimal(hours) if hours is not None else None,
            times=times,
            level=self.rules.find_level(level) if level is not None else None,
            counted_today=counted_on_the_day(kind, same_day),
        )
        return PlannedService(
            name=name,
            date=date,
            activity=kind.key,
            points=points,
            hours=hours,
            times=times,
            level=level,
            witness=witness,
            note=note,
        )

    def redemption(
        self,
        name: str,
        date: dt.date,
        items: tuple[str, ...],
        note: str | None = None,
    ) -> PlannedRedemption:
        """Return a redemption priced from the shelf and the partner offers.

        Each unit is named once: ("tissue", "tissue") takes two packs.
        """
        points = sum(self.rules.find_reward(item).points for item in items)
        return PlannedRedemption(name, date, items, points, note)

    def restocks(
        self,
        date: dt.date,
        goods: Iterable[tuple[str, int]],
        note: str | None = None,
    ) -> list[PlannedRestock]:
        """Return one delivery's goods, one restock per good."""
        return [
            PlannedRestock(date, self.rules.find_item(item).key, quantity, note)
            for item, quantity in goods
        ]

    def stocktake(
        self, date: dt.date, item: str, difference: int, note: str | None = None
    ) -> PlannedStocktake:
        """Return a count at the end of `date` that finds `difference` from the books."""
        key = self.rules.find_item(item).key
        expected = self.stock_at_end_of(key, date)
        return PlannedStocktake(date, key, expected, expected + difference, note)

    def add(self, *entries: Entry) -> None:
        """Put entries in the plan."""
        self.entries.extend(entries)

    def earned(self, name: str) -> int:
        """Return the points a volunteer has earned so far in the plan."""
        return sum(
            entry.points
            for entry in self.entries
            if isinstance(entry, PlannedService) and entry.name == name
        )

    def balance_before(self, name: str, date: dt.date) -> int:
        """Return the points a volunteer has to spend at the start of a day."""
        balance = 0
        for entry in self.entries:
            if entry.date >= date:
                continue
            if isinstance(entry, PlannedService) and entry.name == name:
                balance += entry.points
            elif isinstance(entry, PlannedRedemption) and entry.name == name:
                balance -= entry.points
        return balance

    def stock_at_end_of(self, item: str, date: dt.date) -> int:
        """Return the stock of a good the books show after a day's trade."""
        stock = 0
        for entry in self.entries:
            if entry.date > date:
                continue
            if isinstance(entry, PlannedRestock) and entry.item == item:
                stock += entry.quantity
            elif isinstance(entry, PlannedStocktake) and entry.item == item:
                stock += entry.counted - entry.expected
            elif isinstance(entry, PlannedRedemption):
                stock -= sum(
                    1
                    for text in entry.items
                    if self.rules.find_reward(text).key == item
                )
        return stock

    def in_order(self) -> list[Entry]:
        """Return the entries day by day, each day's kinds in `_KIND_ORDER`.

        Within a kind, entries keep the order they were decided in (the sort is
        stable), so the files come out the same on every run.
        """
        return sorted(
            self.entries, key=lambda entry: (entry.date, _KIND_ORDER[type(entry)])
        )


def everyday_services(
    plan: Plan,
    chance: random.Random,
    member: Member,
    first: dt.date,
    last: dt.date,
    *,
    skip: Iterable[dt.date] = (),
) -> list[PlannedService]:
    """Return a volunteer's everyday services from `first` to `last`, at most one a day.

    Each month gets about `services_per_month` of them, fewer in a part month.
    """
    skipped = set(skip)
    days = [
        first + dt.timedelta(days=offset) for offset in range((last - first).days + 1)
    ]
    services = []
    for (year, month), month_days in itertools.groupby(
        days, key=lambda day: (day.year, day.month)
    ):
        open_days = [day for day in month_days if day not in skipped]
        month_length = calendar.monthrange(year, month)[1]
        wanted = max(0, member.services_per_month + chance.randint(-1, 1))
        count = min(len(open_days), wanted * len(open_days) // month_length)
        for day in sorted(chance.sample(open_days, count)):
            activity = chance.choice(member.activities)
            services.append(everyday_service(plan, chance, member.name, day, activity))
    return services


def everyday_service(
    plan: Plan, chance: random.Random, name: str, day: dt.date, activity: str
) -> PlannedService:
    """Return one everyday service, mostly witnessed, sometimes hard or noted."""
    chore = CHORES[activity]
    hard = chore.can_be_hard and chance.random() < HARD_SHARE
    witnessed = chance.random() < WITNESSED_SHARE
    noted = chance.random() < NOTED_SHARE
    return plan.service(
        name,
        day,
        activity,
        hours=chance.choice(chore.hours),
        level="hard" if hard else None,
        witness=chance.choice(GRID_WORKERS) if witnessed else None,
        note=chance.choice(chore.notes) if noted else None,
    )


def trim_to(
    chance: random.Random, services: Sequence[PlannedService], room: int
) -> list[PlannedService]:
    """Drop services at random until they earn at most `room` − 2 points.

    The two or more points still missing are then made up exactly by `top_up`.
    """
    kept = list(services)
    while kept and sum(service.points for service in kept) > room - 2:
        del kept[chance.randrange(len(kept))]
    return kept


def top_up(
    plan: Plan,
    name: str,
    day: dt.date,
    points: int,
    *,
    odd_job: tuple[str, str],
    even_job: str,
) -> list[PlannedService]:
    """Return services on one day worth exactly `points`, which must be 2 or more.

    An odd total takes one three-point job (`odd_job`: its activity and hours);
    the rest is two-point sessions of `even_job`.
    """
    services = []
    if points % 2:
        activity, hours = odd_job
        services.append(
            plan.service(name, day, activity, hours=hours, witness=GRID_WORKERS[0])
        )
    sessions = (points - sum(service.points for service in services)) // 2
    if sessions:
        services.append(
            plan.service(name, day, even_job, times=sessions, witness=GRID_WORKERS[0])
        )
    if sum(service.points for service in services) != points:
        raise RuntimeError(
            f"cannot make up exactly {points} points for {name} on {day} "
            f"with {odd_job[0]} and {even_job}; did rules.toml change their points?"
        )
    return services


def plan_veteran(plan: Plan, chance: random.Random) -> None:
    """杨春生 serves every week and ends far ahead, with 156 points earned."""
    member = MEMBERS[VETERAN]
    closing_day = dt.date(2026, 11, 28)
    services = everyday_services(
        plan, chance, member, member.joined, LAST_DAY, skip=[closing_day]
    )

    plan.add(*trim_to(chance, services, VETERAN_EARNED - plan.earned(VETERAN)))
    missing = VETERAN_EARNED - plan.earned(VETERAN)
    plan.add(
        *top_up(
            plan,
            VETERAN,
            closing_day,
            missing,
            odd_job=("stairwell", "1"),
            even_job="delivery",
        )
    )


def plan_electrician(plan: Plan, chance: random.Random) -> None:
    """刘德顺 has 95 points on the day he repairs a radio for an hour, and 98 after.

    His balance counts what he has spent at the shelf before that day.
    """
    member = MEMBERS[ELECTRICIAN]
    catch_up_day = RADIO_DAY - dt.timedelta(days=4)
    before = everyday_services(
        plan,
        chance,
        member,
        member.joined,
        RADIO_DAY - dt.timedelta(days=1),
        skip=[catch_up_day],
    )

    room = BALANCE_BEFORE_RADIO - plan.balance_before(ELECTRICIAN, RADIO_DAY)
    plan.add(*trim_to(chance, before, room))
    missing = BALANCE_BEFORE_RADIO - plan.balance_before(ELECTRICIAN, RADIO_DAY)
    plan.add(
        *top_up(
            plan,
            ELECTRICIAN,
            catch_up_day,
            missing,
            odd_job=("repair", "1"),
            even_job="medicine",
        )
    )
    plan.add(
        plan.service(
            ELECTRICIAN,
            RADIO_DAY,
            "repair",
            hours="1",
            witness=GRID_WORKERS[1],
            note="修好独居的赵奶奶的老收音机",
        )
    )
    # A quieter November keeps him clearly behind the veteran on the board.
    quieter = replace(member, services_per_month=QUIET_MONTH)
    plan.add(
        *everyday_services(
            plan, chance, quieter, RADIO_DAY + dt.timedelta(days=1), LAST_DAY
        )
    )


def plan_retired_teacher(plan: Plan, chance: random.Random) -> None:
    """王秀兰, 67, saves up and takes a bottle of oil and a bag of rice for 110 points."""
    member = MEMBERS[RETIRED_TEACHER]
    catch_up_day = SHOPPING_DAY - dt.timedelta(days=2)
    before = everyday_services(
        plan,
        chance,
        member,
        member.joined,
        SHOPPING_DAY - dt.timedelta(days=1),
        skip=[catch_up_day],
    )

    room = BALANCE_BEFORE_SHOPPING - plan.balance_before(RETIRED_TEACHER, SHOPPING_DAY)
    plan.add(*trim_to(chance, before, room))
    missing = BALANCE_BEFORE_SHOPPING - plan.balance_before(
        RETIRED_TEACHER, SHOPPING_DAY
    )
    plan.add(
        *top_up(
            plan,
            RETIRED_TEACHER,
            catch_up_day,
            missing,
            odd_job=("cleanup", "1"),
            even_job="delivery",
        )
    )
    plan.add(
        plan.redemption(
            RETIRED_TEACHER, SHOPPING_DAY, ("oil", "rice"), note="攒了半年积分"
        )
    )
    plan.add(
        *everyday_services(
            plan, chance, member, SHOPPING_DAY + dt.timedelta(days=1), LAST_DAY
        )
    )


def plan_shelf_trade(plan: Plan) -> None:
    """Goods arrive; volunteers take goods and vouchers; partner shops take vouchers."""
    for day, goods, note in RESTOCKS:
        plan.add(*plan.restocks(day, goods, note))
    plan.add(
        *(
            plan.redemption(name, day, items)
            for name, day, items in EVERYDAY_REDEMPTIONS
        ),
        *(
            plan.redemption(name, day, offers, note)
            for name, day, offers, note in PARTNER_REDEMPTIONS
        ),
        *(
            PlannedVoucherUse(name, day, offer, note)
            for name, offer, day, note in VOUCHER_USES
        ),
    )


def plan_stocktakes(plan: Plan) -> None:
    """Count the shelf at month ends, once every redemption is in the plan.

    Each count goes in before the next is made: a loss found lowers the stock
    that later counts expect.
    """
    for day, item, difference, note in STOCKTAKES:
        plan.add(plan.stocktake(day, item, difference, note))


def plan_sample(rules: Rules) -> list[Entry]:
    """Decide every entry of the sample, in the order they are to be recorded."""
    chance = random.Random(SEED)
    plan = Plan(rules)

    plan.add(*(Joining(member) for member in ROSTER))
    plan_shelf_trade(plan)
    for member in ROSTER:
        if member.name not in STORIES:
            plan.add(*everyday_services(plan, chance, member, member.joined, LAST_DAY))
    plan_veteran(plan, chance)
    plan_electrician(plan, chance)
    plan_retired_teacher(plan, chance)
    plan_stocktakes(plan)
    return plan.in_order()


class SettableClock:
    """The ledger's clock: it reads whatever moment it was last set to."""

    def __init__(self) -> None:
        self.moment: dt.datetime | None = None

    def __call__(self) -> dt.datetime:
        if self.moment is None:
            raise RuntimeError("the sample's clock was read before it was set")
        return self.moment


class SeededVoucherCodes:
    """Voucher codes from a seeded generator, the sample's stand-in for `secrets`.

    `jifen.events.new_voucher_code` draws from `secrets`, as a real community's
    codes must be unguessable; that would make the sample differ on every run.
    `jifen.ledger` imports that function by name, so `main` patches
    `jifen.ledger.new_voucher_code` with this generator while the sample is
    recorded, and only then: the package behaves as ever for its users. The
    codes are as long as the real ones and use the same alphabet (no 0/O, 1/I/L).
    """

    def __init__(self, seed: int) -> None:
        self.chance = random.Random(seed)

    def __call__(self) -> str:
        return "".join(
            self.chance.choice(_CODE_ALPHABET) for _ in range(VOUCHER_CODE_LENGTH)
        )


def remove_sample_files(home: Path) -> None:
    """Delete the home's event files, and nothing else in data/.

    They are data/volunteers/*.jsonl and data/shelf.jsonl, and data/*.jsonl:
    the volunteer files of the layout before volunteers had their own folder.
    """
    data = home / DATA_DIR
    old_layout = data.glob("*" + SUFFIX)
    volunteers = (data / VOLUNTEERS_DIR).glob("*" + SUFFIX)
    for path in [*old_layout, *volunteers]:
        path.unlink()
    (data / SHELF_FILE).unlink(missing_ok=True)


def open_voucher(ledger: Ledger, name: str, offer: str, day: dt.date) -> str:
    """Return the code of a volunteer's oldest voucher for an offer still open."""
    for voucher in ledger.vouchers():
        if (voucher.volunteer, voucher.offer, voucher.used) == (name, offer, None):
            return voucher.code
    raise RuntimeError(
        f"{name} has no open {offer} voucher to use on {day}; "
        "did PARTNER_REDEMPTIONS change?"
    )


def record(ledger: Ledger, clock: SettableClock, entries: Sequence[Entry]) -> None:
    """Write every entry through the ledger, as staff would on each day's evening."""
    zone = ZoneInfo(ledger.rules.timezone)
    entries_on: Counter[dt.date] = Counter()
    ids_given: Counter[str] = Counter()

    def next_id(prefix: str) -> str:
        ids_given[prefix] += 1
        return f"{prefix}{ids_given[prefix]:04d}"

    for entry in entries:
        evening = dt.datetime.combine(entry.date, EVENING, tzinfo=zone)
        clock.moment = evening + dt.timedelta(
            minutes=MINUTES_BETWEEN_ENTRIES * entries_on[entry.date]
        )
        entries_on[entry.date] += 1
        day = entry.date.isoformat()

        if isinstance(entry, Joining):
            member = entry.member
            ledger.join(
                member.name,
                team=member.team,
                phone=member.phone,
                date=day,
                note=member.note,
                event_id=next_id("v"),
            )
        elif isinstance(entry, PlannedService):
            logged = ledger.log(
                entry.name,
                entry.activity,
                hours=entry.hours,
                times=str(entry.times) if entry.times != 1 else None,
                level=entry.level,
                date=day,
                witness=entry.witness,
                note=entry.note,
                event_id=next_id("s"),
            )
            if logged.service.points != entry.points:
                raise RuntimeError(
                    f"the ledger gave {entry.name} {logged.service.points} points "
                    f"for {entry.activity} on {day}; the plan counted {entry.points}"
                )
        elif isinstance(entry, PlannedRedemption):
            redeemed = ledger.redeem(
                entry.name,
                entry.items,
                date=day,
                note=entry.note,
                event_id=next_id("r"),
            )
            if redeemed.redemption.points != entry.points:
                raise RuntimeError(
                    f"the ledger charged {entry.name} {redeemed.redemption.points} "
                    f"points on {day}; the plan counted {entry.points}"
                )
        elif isinstance(entry, PlannedRestock):
            ledger.restock(
                entry.item,
                str(entry.quantity),
                date=day,
                note=entry.note,
                event_id=next_id("b"),
            )
        elif isinstance(entry, PlannedStocktake):
            counted = ledger.stocktake(
                entry.item,
                str(entry.counted),
                date=day,
                note=entry.note,
                event_id=next_id("p"),
            ).stocktake
            if counted.expected != entry.expected:
                raise RuntimeError(
                    f"the ledger expected {counted.expected} {entry.item} on {day}; "
                    f"the plan expected {entry.expected}"
                )
        else:
            ledger.use_voucher(
                open_voucher(ledger, entry.name, entry.offer, entry.date),
                date=day,
                note=entry.note,
                event_id=next_id("u"),
            )


def main(argv: Sequence[str] | None = None) -> None:
    """Plan the sample, delete the old event files and record the sample anew."""
    parser = argparse.ArgumentParser(
        description="Regenerate the sample community in a ledger home's data/ folder."
    )
    parser.add_argument(
        "--home",
        type=Path,
        default=REPOSITORY,
        help="the ledger home to write into (default: the repository root)",
    )
    arguments = parser.parse_args(argv)
    home: Path = arguments.home

    clock = SettableClock()
    codes = SeededVoucherCodes(VOUCHER_SEED)
    try:
        ledger = Ledger(home, by=RECORDER, clock=clock)
        entries = plan_sample(ledger.rules)
        remove_sample_files(home)
        # Seeded voucher codes, for this run only: see SeededVoucherCodes.
        with mock.patch.object(jifen.ledger, "new_voucher_code", codes):
            record(ledger, clock, entries)
    except JifenError as error:
        raise SystemExit(f"make_sample: {error.message}") from None

    kinds = Counter(type(entry).__name__ for entry in entries)
    print(
        f"Wrote {kinds['Joining']} volunteers, {kinds['PlannedService']} services, "
        f"{kinds['PlannedRedemption']} redemptions, {kinds['PlannedRestock']} restocks, "
        f"{kinds['PlannedStocktake']} stocktakes and {kinds['PlannedVoucherUse']} "
        f"voucher uses to {home / DATA_DIR}."
    )


if __name__ == "__main__":
    main()
