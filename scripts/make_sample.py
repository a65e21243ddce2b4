"""Regenerate the sample community in data/: twenty volunteers, June to November 2026.

The sample is what a newcomer sees on a first `jifen board --all`, so it is
written the way staff write a real ledger: every volunteer joins, every service
is logged and every redemption made through `jifen.ledger.Ledger`, the same
methods `jifen join`, `jifen log` and `jifen redeem` call. A fixed random seed,
readable fixed ids (v0001, s0001, r0001) and a clock set to the evening of each
day make the files the same, byte for byte, on every run.

Most services are everyday ones, drawn at random from each volunteer's habits.
Three stories are the product brief's facts, and tests/test_sample.py pins them:

- 刘德顺, a retired electrician in 维修帮帮团, has exactly 95 points when he
  repairs a radio for an hour on 2026-10-31, and 98 after it;
- 杨春生, the veteran, has earned 156 points, far ahead of everyone else;
- 王秀兰, a retired teacher of 67 in the four-person 银发互助队, takes a bottle of
  oil and a bag of rice for 110 points.

Usage: `python scripts/make_sample.py [--home DIR]`. It deletes the home's
data/*.jsonl, and nothing else there, then writes them anew.
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
from zoneinfo import ZoneInfo

from jifen.errors import JifenError
from jifen.ledger import Ledger
from jifen.rules import Rules
from jifen.scoring import score_service
from jifen.store import DATA_DIR, SUFFIX

REPOSITORY = Path(__file__).resolve().parent.parent
SEED = 20261130
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
    ("黄伟", dt.date(2026, 9, 12), ("detergent",)),
    ("周凤英", dt.date(2026, 10, 10), ("tissue", "tissue")),
    (VETERAN, dt.date(2026, 10, 16), ("detergent", "tissue")),
    ("马丽华", dt.date(2026, 11, 19), ("tissue",)),
    ("孙国栋", dt.date(2026, 11, 24), ("detergent",)),
    ("郑永强", dt.date(2026, 11, 27), ("tissue",)),
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
    """Goods to take from the shelf, with the points they cost."""

    name: str
    date: dt.date
    items: tuple[str, ...]
    points: int
    note: str | None = None


Entry = Joining | PlannedService | PlannedRedemption

# On one day, people join before they serve, and serve before they spend.
_KIND_ORDER = {Joining: 0, PlannedService: 1, PlannedRedemption: 2}


class Plan:
    """The sample's entries as they are decided, and each volunteer's points so far."""

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
        """Return a service scored under the rules; `add` puts it in the plan."""
        points = score_service(
            self.rules.find_activity(activity),
            hours=Decimal(hours) if hours is not None else None,
            times=times,
            level=self.rules.find_level(level) if level is not None else None,
        )
        return PlannedService(
            name=name,
            date=date,
            activity=activity,
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
        """Return a redemption priced from the shelf; `add` puts it in the plan."""
        points = sum(self.rules.find_item(item).points for item in items)
        return PlannedRedemption(name, date, items, points, note)

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
            if isinstance(entry, Joining) or entry.name != name or entry.date >= date:
                continue
            if isinstance(entry, PlannedService):
                balance += entry.points
            else:
                balance -= entry.points
        return balance

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


def plan_sample(rules: Rules) -> list[Entry]:
    """Decide every entry of the sample, in the order they are to be recorded."""
    chance = random.Random(SEED)
    plan = Plan(rules)

    plan.add(*(Joining(member) for member in ROSTER))
    plan.add(
        *(
            plan.redemption(name, day, items)
            for name, day, items in EVERYDAY_REDEMPTIONS
        )
    )
    for member in ROSTER:
        if member.name not in STORIES:
            plan.add(*everyday_services(plan, chance, member, member.joined, LAST_DAY))
    plan_veteran(plan, chance)
    plan_electrician(plan, chance)
    plan_retired_teacher(plan, chance)
    return plan.in_order()


class SettableClock:
    """The ledger's clock: it reads whatever moment it was last set to."""

    def __init__(self) -> None:
        self.moment: dt.datetime | None = None

    def __call__(self) -> dt.datetime:
        if self.moment is None:
            raise RuntimeError("the sample's clock was read before it was set")
        return self.moment


def remove_sample_files(home: Path) -> None:
    """Delete the home's volunteer files, data/*.jsonl, and nothing else."""
    for path in (home / DATA_DIR).glob("*" + SUFFIX):
        path.unlink()


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
        else:
            ledger.redeem(
                entry.name,
                entry.items,
                date=day,
                note=entry.note,
                event_id=next_id("r"),
            )


def main(argv: Sequence[str] | None = None) -> None:
    """Plan the sample, delete the old data/*.jsonl and record the sample anew."""
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
    try:
        ledger = Ledger(home, by=RECORDER, clock=clock)
        entries = plan_sample(ledger.rules)
        remove_sample_files(home)
        record(ledger, clock, entries)
    except JifenError as error:
        raise SystemExit(f"make_sample: {error.message}") from None

    kinds = Counter(type(entry).__name__ for entry in entries)
    print(
        f"Wrote {kinds['Joining']} volunteers, {kinds['PlannedService']} services "
        f"and {kinds['PlannedRedemption']} redemptions to {home / DATA_DIR}."
    )


if __name__ == "__main__":
    main()
