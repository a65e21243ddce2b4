"""Tests for jifen.reports: the leaderboard and the monthly summary, from monthly totals."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from jifen.events import (
    RedeemedItem,
    Redemption,
    Restock,
    Service,
    ShelfEvent,
    Stocktake,
    Volunteer,
    VolunteerHistory,
    VoucherUse,
)
from jifen.months import VolunteerMonths, summarise_months
from jifen.periods import all_time, month_period, year_period
from jifen.reports import (
    ActivityTotal,
    BoardRow,
    Headline,
    ItemMonth,
    MonthlyReport,
    PartnerMonth,
    StarReached,
    TeamTotal,
    TrendMonth,
    board,
    headline,
    monthly_report,
)
from jifen.rules import Rules, parse_rules
from jifen.shelf import TakenLine, taken_lines

RULES_TOML = """\
[community]
name = "幸福里社区"

[stars]
hours = [10, 20]

[activities.cleanup]
label = "环境卫生整治"
per = "hour"
points = 3

[activities.repair]
label = "维修家电"
per = "job"
points = 3

[activities.class]
label = "公益课授课"
per = "session"
points = 5

[shelf]
low_stock = 3

[items.rice]
label = "大米"
points = 50

[items.tissue]
label = "卫生纸"
points = 10
low_stock = 5

[offers.haircut]
label = "理发"
partner = "老街理发店"
points = 20

[offers.market-coupon]
label = "超市代金券"
partner = "邻里惠超市"
points = 25
"""
MOMENT = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
OCTOBER = month_period(2026, 10)
NO_FIGURES = Headline(0, 0, 0, Decimal(0), 0, 0, 0)


def rules() -> Rules:
    """Stars at 10 h and 20 h; cleanup, repair, class; rice, tissue; two partners."""
    return parse_rules(RULES_TOML.encode("utf-8"), Path("rules.toml"))


def service(date: str, activity: str, points: int, hours: str | None = None) -> Service:
    """A service on `date` worth `points`, with exact `hours` if given."""
    return Service(
        id=f"s-{date}-{activity}-{points}-{hours}",
        date=dt.date.fromisoformat(date),
        at=MOMENT,
        by="staff",
        activity=activity,
        points=points,
        hours=Decimal(hours) if hours is not None else None,
    )


def redemption(date: str, *lines: RedeemedItem) -> Redemption:
    """Goods or offers taken on `date`; rice worth 50 when no lines are given."""
    items = lines or (RedeemedItem("rice", 1, 50),)
    return Redemption(
        id=f"r-{date}-{items[0].item}",
        date=dt.date.fromisoformat(date),
        at=MOMENT,
        by="staff",
        items=items,
        points=sum(line.points for line in items),
    )


def person(
    name: str,
    *events: Service | Redemption,
    joined: str = "2026-01-01",
    team: str | None = None,
) -> VolunteerHistory:
    """A volunteer's history: their record, then these events."""
    record = Volunteer(
        id=f"v-{name}",
        date=dt.date.fromisoformat(joined),
        at=MOMENT,
        by="staff",
        name=name,
        team=team,
    )
    return VolunteerHistory(Path(f"data/volunteers/{name}.jsonl"), record, events)


def months_of(*histories: VolunteerHistory) -> list[VolunteerMonths]:
    """Each history summarised by month, as the store's cache keeps them."""
    return [summarise_months(history) for history in histories]


def taken_of(*histories: VolunteerHistory) -> list[TakenLine]:
    """Every redemption line of these histories, as the store's cache keeps them."""
    return [line for history in histories for line in taken_lines(history)]


def report_of(
    *histories: VolunteerHistory,
    shelf: tuple[ShelfEvent, ...] = (),
    month: tuple[int, int] = (2026, 10),
) -> MonthlyReport:
    """The monthly report of these histories and shelf events."""
    return monthly_report(
        rules(), months_of(*histories), taken_of(*histories), list(shelf), *month
    )


def restock(date: str, item: str, qty: int) -> Restock:
    """`qty` of `item` arrive on `date`."""
    return Restock(
        id=f"b-{date}-{item}",
        date=dt.date.fromisoformat(date),
        at=MOMENT,
        by="staff",
        item=item,
        qty=qty,
    )


def stocktake(date: str, item: str, counted: int, expected: int) -> Stocktake:
    """A count of `item` on `date`: `counted` found where `expected` were on the books."""
    return Stocktake(
        id=f"p-{date}-{item}",
        date=dt.date.fromisoformat(date),
        at=MOMENT,
        by="staff",
        item=item,
        counted=counted,
        expected=expected,
        difference=counted - expected,
    )


def voucher_use(date: str, code: str) -> VoucherUse:
    """The partner shop takes voucher `code` on `date`."""
    return VoucherUse(
        id=f"u-{code}",
        date=dt.date.fromisoformat(date),
        at=MOMENT,
        by="staff",
        code=code,
    )


# board -----------------------------------------------------------------------


def test_board__ties_share_a_rank_and_the_next_rank_skips() -> None:
    """Two volunteers at 9 points are both 1st; the next is 3rd (1, 1, 3)."""
    volunteers = months_of(
        person("甲", service("2026-10-02", "repair", 9)),
        person("乙", service("2026-10-02", "repair", 9)),
        person("丙", service("2026-10-02", "repair", 3)),
        person("丁", service("2026-10-02", "repair", 1)),
    )

    rows = board(rules(), volunteers, OCTOBER)

    assert [(row.rank, row.name, row.points) for row in rows] == [
        (1, "乙", 9),
        (1, "甲", 9),
        (3, "丙", 3),
        (4, "丁", 1),
    ]


def test_board__a_tie_lower_down_shares_its_rank_too() -> None:
    """10, 5, 5, 2 ranks 1, 2, 2, 4."""
    volunteers = months_of(
        person("甲", service("2026-10-02", "repair", 10)),
        person("乙", service("2026-10-02", "repair", 5)),
        person("丙", service("2026-10-02", "repair", 5)),
        person("丁", service("2026-10-02", "repair", 2)),
    )

    rows = board(rules(), volunteers, OCTOBER)

    assert [row.rank for row in rows] == [1, 2, 2, 4]


def test_board__orders_a_tie_by_hours_then_name_without_splitting_the_rank() -> None:
    """Equal points share a rank; the one with more hours is listed first."""
    volunteers = months_of(
        person("甲", service("2026-10-02", "cleanup", 6, hours="2")),
        person("乙", service("2026-10-02", "cleanup", 6, hours="2.5")),
    )

    rows = board(rules(), volunteers, OCTOBER)

    assert [(row.rank, row.name, row.hours) for row in rows] == [
        (1, "乙", Decimal("2.5")),
        (1, "甲", Decimal("2")),
    ]


def test_board__spending_never_lowers_a_rank() -> None:
    """The one who earned most stays first after redeeming nearly everything."""
    volunteers = months_of(
        person("甲", service("2026-10-02", "repair", 60), redemption("2026-10-03")),
        person("乙", service("2026-10-02", "repair", 30)),
    )

    rows = board(rules(), volunteers, OCTOBER)

    assert [(row.rank, row.name, row.points) for row in rows] == [
        (1, "甲", 60),
        (2, "乙", 30),
    ]


def test_board__counts_only_the_period_and_leaves_out_the_idle() -> None:
    """Services outside the month do not count; a volunteer idle in it is not listed."""
    volunteers = months_of(
        person(
            "甲",
            service("2026-09-30", "repair", 30),
            service("2026-10-01", "repair", 3),
            service("2026-10-31", "repair", 4),
            service("2026-11-01", "repair", 30),
        ),
        person("乙", service("2026-09-15", "repair", 99)),
        person("丙", redemption("2026-10-15")),
    )

    rows = board(rules(), volunteers, OCTOBER)

    assert [(row.rank, row.name, row.points) for row in rows] == [(1, "甲", 7)]


def test_board__stars_count_every_hour_up_to_the_periods_end() -> None:
    """8 h before October and 3 h in it make 11 h: 1★; November's hours do not count."""
    volunteers = months_of(
        person(
            "甲",
            service("2026-09-10", "cleanup", 24, hours="8"),
            service("2026-10-10", "cleanup", 9, hours="3"),
            service("2026-11-10", "cleanup", 30, hours="10"),
        )
    )

    october = board(rules(), volunteers, OCTOBER)
    november = board(rules(), volunteers, month_period(2026, 11))
    ever = board(rules(), volunteers, all_time())

    assert october == [
        BoardRow(rank=1, name="甲", team=None, points=9, hours=Decimal("3"), stars=1)
    ]
    assert (november[0].stars, ever[0].stars) == (2, 2)


def test_board__a_year_and_all_time_add_up_their_months() -> None:
    """2026 holds October and December; all time holds 2025 too."""
    volunteers = months_of(
        person(
            "甲",
            service("2025-12-31", "repair", 3),
            service("2026-01-01", "repair", 5),
            service("2026-12-31", "class", 10),
            joined="2025-01-01",
        ),
        person("乙", service("2026-06-01", "repair", 12)),
    )

    year = board(rules(), volunteers, year_period(2026))
    ever = board(rules(), volunteers, all_time())

    assert [(row.rank, row.name, row.points) for row in year] == [
        (1, "甲", 15),
        (2, "乙", 12),
    ]
    assert [(row.name, row.points) for row in ever] == [("甲", 18), ("乙", 12)]


def test_board__filters_one_team() -> None:
    """With a team, only its members are ranked, and ranks start again at 1."""
    volunteers = months_of(
        person("甲", service("2026-10-02", "repair", 9), team="维修队"),
        person("乙", service("2026-10-02", "repair", 3), team="银发互助队"),
        person("丙", service("2026-10-02", "repair", 1)),
    )

    rows = board(rules(), volunteers, OCTOBER, team="银发互助队")

    assert [(row.rank, row.name, row.team) for row in rows] == [(1, "乙", "银发互助队")]


@pytest.mark.parametrize(
    ("top", "expected"),
    [
        (1, [(1, "乙"), (1, "甲")]),
        (2, [(1, "乙"), (1, "甲")]),
        (3, [(1, "乙"), (1, "甲"), (3, "丙")]),
        (10, [(1, "乙"), (1, "甲"), (3, "丙")]),
    ],
)
def test_board__top_keeps_everyone_tied_at_the_cut(
    top: int, expected: list[tuple[int, str]]
) -> None:
    """Top 1 and top 2 with two tied at the top both list the two; top 3 all three."""
    volunteers = months_of(
        person("甲", service("2026-10-02", "repair", 9)),
        person("乙", service("2026-10-02", "repair", 9)),
        person("丙", service("2026-10-02", "repair", 3)),
    )

    rows = board(rules(), volunteers, OCTOBER, top=top)

    assert [(row.rank, row.name) for row in rows] == expected


def test_board__can_rank_by_hours() -> None:
    """Ranked by hours, more hours with fewer points comes first; equal hours tie."""
    volunteers = months_of(
        person("甲", service("2026-10-02", "class", 30, hours="1")),
        person("乙", service("2026-10-02", "cleanup", 6, hours="2")),
        person("丙", service("2026-10-02", "repair", 3, hours="2.0")),
    )

    rows = board(rules(), volunteers, OCTOBER, order="hours")

    assert [(row.rank, row.name, row.points) for row in rows] == [
        (1, "丙", 3),
        (1, "乙", 6),
        (3, "甲", 30),
    ]


def test_board__nobody_served_is_an_empty_board() -> None:
    """A month without services, or a home without volunteers, ranks nobody."""
    volunteers = months_of(person("甲", service("2026-09-02", "repair", 9)))

    assert board(rules(), volunteers, OCTOBER) == []
    assert board(rules(), [], OCTOBER) == []


# headline --------------------------------------------------------------------


def test_headline__adds_up_the_month() -> None:
    """Active, new, services, hours, points earned and redeemed, and outstanding."""
    volunteers = months_of(
        person(
            "甲",
            service("2026-09-20", "class", 60),
            service("2026-10-01", "cleanup", 6, hours="2.5"),
            service("2026-10-31", "repair", 3),
            redemption("2026-10-15"),
            redemption("2026-11-01"),
            joined="2026-09-01",
        ),
        person("乙", service("2026-10-20", "repair", 3), joined="2026-10-01"),
        person("丙", joined="2026-10-31"),
        person("丁", service("2026-11-01", "repair", 3), joined="2026-11-01"),
    )

    figures = headline(volunteers, "2026-10")

    assert figures == Headline(
        active_volunteers=2,
        new_volunteers=2,
        services=3,
        hours=Decimal("2.5"),
        points_earned=12,
        points_redeemed=50,
        points_outstanding=60 + 12 - 50,
    )


def test_headline__is_none_before_anyone_joined() -> None:
    """The month before the first volunteer joined has no figures to compare."""
    volunteers = months_of(person("甲", joined="2026-10-31"))

    assert headline(volunteers, "2026-09") is None
    assert headline(volunteers, "2026-10") == Headline(0, 1, 0, Decimal(0), 0, 0, 0)
    assert headline([], "2026-10") is None


def test_headline__counts_a_service_dated_before_joining() -> None:
    """A service dated before the join date counts in its month, as on the board."""
    volunteers = months_of(
        person("甲", service("2026-10-20", "repair", 3), joined="2026-11-05"),
        person("乙", service("2026-10-21", "repair", 3), joined="2026-09-01"),
    )

    figures = headline(volunteers, "2026-10")

    assert figures == Headline(2, 0, 2, Decimal(0), 6, 0, 6)


# monthly_report: comparisons -------------------------------------------------


def test_monthly_report__compares_with_the_previous_month() -> None:
    """October's figures beside September's; no year-ago figures before anyone joined."""
    report = report_of(
        person(
            "甲",
            service("2026-09-10", "repair", 3),
            service("2026-10-10", "class", 5),
            service("2026-10-11", "class", 5),
            joined="2026-09-01",
        )
    )

    assert report.headline == Headline(1, 0, 2, Decimal(0), 10, 0, 13)
    assert report.previous_month == Headline(1, 1, 1, Decimal(0), 3, 0, 3)
    assert report.year_ago is None


def test_monthly_report__no_previous_month_in_the_first_month() -> None:
    """The month the first volunteer joined has nothing to compare with."""
    report = report_of(
        person("甲", service("2026-10-10", "class", 5), joined="2026-10-01")
    )

    assert (report.previous_month, report.year_ago) == (None, None)


def test_monthly_report__january_compares_with_december_and_a_year_ago() -> None:
    """January 2027 against December 2026 and January 2026."""
    report = report_of(
        person(
            "甲",
            service("2026-01-31", "repair", 3),
            service("2026-12-31", "class", 5),
            service("2027-01-01", "class", 10),
            joined="2026-01-01",
        ),
        month=(2027, 1),
    )

    assert report.previous_month == Headline(1, 0, 1, Decimal(0), 5, 0, 8)
    assert report.year_ago == Headline(1, 1, 1, Decimal(0), 3, 0, 3)
    assert report.headline.points_outstanding == 18


# monthly_report: activities and teams ----------------------------------------


def test_monthly_report__by_activity_most_points_first() -> None:
    """Each activity's services, hours and points; one the rules dropped shows its key."""
    report = report_of(
        person(
            "甲",
            service("2026-10-01", "cleanup", 6, hours="2.5"),
            service("2026-10-02", "repair", 3),
            service("2026-10-03", "gardening", 4, hours="1"),
        ),
        person(
            "乙", service("2026-10-03", "repair", 3), service("2026-09-03", "class", 5)
        ),
    )

    assert report.by_activity == [
        ActivityTotal("cleanup", "环境卫生整治", 1, Decimal("2.5"), 6),
        ActivityTotal("repair", "维修家电", 2, Decimal(0), 6),
        ActivityTotal("gardening", "gardening", 1, Decimal(1), 4),
    ]


def test_monthly_report__by_team_with_a_group_for_no_team_last() -> None:
    """Members at month end, who served, hours and points; no team comes last."""
    report = report_of(
        person("甲", service("2026-10-01", "cleanup", 6, hours="2"), team="维修队"),
        person("乙", service("2026-10-02", "repair", 3), team="维修队"),
        person("丙", team="维修队"),
        person("丁", service("2026-10-02", "class", 10), team="银发互助队"),
        person("戊", service("2026-10-02", "repair", 3)),
        person("己"),
        person(
            "庚", service("2026-11-01", "class", 50), team="巡逻队", joined="2026-11-01"
        ),
    )

    assert report.by_team == [
        TeamTotal("银发互助队", 1, 1, Decimal(0), 10),
        TeamTotal("维修队", 3, 2, Decimal(2), 9),
        TeamTotal(None, 2, 1, Decimal(0), 3),
    ]


def test_monthly_report__board_is_the_top_10_with_ties_at_the_cut() -> None:
    """Eleven volunteers, two tied in 10th place: all eleven are listed."""
    histories = [
        person(f"志愿者{number:02d}", service("2026-10-02", "repair", 30 - number))
        for number in range(9)
    ]
    histories += [
        person("甲", service("2026-10-02", "repair", 2)),
        person("乙", service("2026-10-02", "repair", 2)),
        person("丙", service("2026-10-02", "repair", 1)),
    ]

    report = report_of(*histories)

    assert [row.rank for row in report.board] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10]
    assert report.board[-1].name == "甲"


# monthly_report: the shelf and vouchers ---------------------------------------


def test_monthly_report__the_shelf_month() -> None:
    """Redeemed, restocked, stocktake difference, stock at month end and low, per good.

    Rice: 10 in September, 2 taken in October, 1 found missing on the 31st,
    so 7 at month end; November's delivery and redemption are not counted.
    Tissue: 4 arrive in October, 1 taken: 3, at or below its own low mark 5.
    """
    histories = [
        person(
            "甲",
            redemption("2026-09-30", RedeemedItem("rice", 1, 50)),
            redemption("2026-10-01", RedeemedItem("rice", 2, 100)),
            redemption("2026-10-31", RedeemedItem("tissue", 1, 10)),
            redemption("2026-11-01", RedeemedItem("rice", 1, 50)),
        )
    ]
    shelf = (
        restock("2026-09-01", "rice", 11),
        restock("2026-10-05", "tissue", 4),
        stocktake("2026-10-31", "rice", 7, 8),
        restock("2026-11-01", "rice", 20),
        stocktake("2026-11-02", "tissue", 0, 3),
    )

    report = report_of(*histories, shelf=shelf)

    assert report.shelf == [
        ItemMonth("rice", "大米", 2, 100, 0, -1, 7, False),
        ItemMonth("tissue", "卫生纸", 1, 10, 4, 0, 3, True),
    ]


def test_monthly_report__stock_is_low_at_the_communitys_mark() -> None:
    """Rice is low at 3 or fewer (the [shelf] mark); 4 is not low."""
    shelf_at = {
        count: report_of(shelf=(restock("2026-10-01", "rice", count),)).shelf[0]
        for count in (3, 4)
    }

    assert (shelf_at[3].low, shelf_at[4].low) == (True, False)


def test_monthly_report__vouchers_issued_and_used_per_partner() -> None:
    """Issued in the month, used in the month (even if issued before), and their points.

    Two haircuts issued in October, one used in October; a coupon issued in
    September is used in October; a haircut used in November is not counted.
    """
    histories = [
        person(
            "甲",
            redemption(
                "2026-09-28",
                RedeemedItem("market-coupon", 1, 25, vouchers=("COUPON",)),
            ),
            redemption(
                "2026-10-10",
                RedeemedItem("haircut", 2, 40, vouchers=("CUTAAA", "CUTBBB")),
            ),
        )
    ]
    shelf = (
        voucher_use("2026-10-01", "COUPON"),
        voucher_use("2026-10-31", "CUTAAA"),
        voucher_use("2026-11-01", "CUTBBB"),
    )

    report = report_of(*histories, shelf=shelf)

    assert report.vouchers == [
        PartnerMonth("老街理发店", issued=2, points_issued=40, used=1, points_used=20),
        PartnerMonth("邻里惠超市", issued=0, points_issued=0, used=1, points_used=25),
    ]
    assert report_of(*histories, shelf=shelf, month=(2026, 12)).vouchers == []


# monthly_report: stars and trend ---------------------------------------------


def test_monthly_report__stars_reached_in_the_month() -> None:
    """Crossing 10 h gives 1★, crossing both 10 h and 20 h gives 2★; no new star, no line."""
    report = report_of(
        person(
            "甲",
            service("2026-09-01", "cleanup", 24, hours="9.5"),
            service("2026-10-01", "cleanup", 3, hours="0.5"),
            team="维修队",
        ),
        person("乙", service("2026-10-01", "cleanup", 24, hours="21")),
        person(
            "丙",
            service("2026-09-01", "cleanup", 33, hours="11"),
            service("2026-10-01", "cleanup", 6, hours="2"),
        ),
        person("丁", service("2026-10-01", "cleanup", 24, hours="9.75")),
        person("戊", service("2026-11-01", "cleanup", 24, hours="12")),
    )

    assert report.stars_reached == [
        StarReached("乙", None, 2, Decimal(21)),
        StarReached("甲", "维修队", 1, Decimal(10)),
    ]


def test_monthly_report__trend_starts_at_the_first_month_anyone_joined() -> None:
    """Active volunteers and points for each month since the first join, oldest first."""
    report = report_of(
        person(
            "甲",
            service("2026-08-31", "repair", 3),
            service("2026-10-01", "class", 5),
            joined="2026-08-01",
        ),
        person("乙", service("2026-10-02", "repair", 3), joined="2026-10-01"),
    )

    assert report.trend == [
        TrendMonth("2026-08", 1, 3),
        TrendMonth("2026-09", 0, 0),
        TrendMonth("2026-10", 2, 8),
    ]


def test_monthly_report__trend_is_at_most_twelve_months() -> None:
    """With two years of history, the trend holds the last 12 months, this one last."""
    report = report_of(
        person("甲", service("2026-10-15", "repair", 3), joined="2024-10-01"),
        month=(2026, 11),
    )

    assert len(report.trend) == 12
    assert (report.trend[0].month, report.trend[-1].month) == ("2025-12", "2026-11")
    assert [month.points_earned for month in report.trend[-2:]] == [3, 0]


def test_monthly_report__the_whole_report() -> None:
    """A small October in full: every part of the report, exactly."""
    report = report_of(
        person(
            "甲",
            service("2026-10-01", "cleanup", 6, hours="2.5"),
            service("2026-10-31", "repair", 3),
            redemption("2026-10-15", RedeemedItem("tissue", 1, 10)),
            joined="2026-09-30",
            team="维修队",
        ),
        person("乙", service("2026-10-20", "repair", 3), joined="2026-10-01"),
        shelf=(restock("2026-10-01", "tissue", 10),),
    )

    assert report == MonthlyReport(
        community="幸福里社区",
        month="2026-10",
        headline=Headline(2, 1, 3, Decimal("2.5"), 12, 10, 2),
        previous_month=Headline(0, 1, 0, Decimal(0), 0, 0, 0),
        year_ago=None,
        by_activity=[
            ActivityTotal("cleanup", "环境卫生整治", 1, Decimal("2.5"), 6),
            ActivityTotal("repair", "维修家电", 2, Decimal(0), 6),
        ],
        by_team=[
            TeamTotal("维修队", 1, 1, Decimal("2.5"), 9),
            TeamTotal(None, 1, 1, Decimal(0), 3),
        ],
        board=[
            BoardRow(1, "甲", "维修队", 9, Decimal("2.5"), 0),
            BoardRow(2, "乙", None, 3, Decimal(0), 0),
        ],
        shelf=[
            ItemMonth("rice", "大米", 0, 0, 0, 0, 0, True),
            ItemMonth("tissue", "卫生纸", 1, 10, 10, 0, 9, False),
        ],
        vouchers=[],
        stars_reached=[],
        trend=[TrendMonth("2026-09", 0, 0), TrendMonth("2026-10", 2, 12)],
    )
    assert not report.empty


# Month edges and the empty month ---------------------------------------------


@pytest.mark.parametrize(
    ("date", "its_month", "other_month"),
    [
        ("2026-10-31", (2026, 10), (2026, 11)),
        ("2026-11-01", (2026, 11), (2026, 10)),
        ("2026-12-31", (2026, 12), (2027, 1)),
        ("2027-01-01", (2027, 1), (2026, 12)),
        ("2028-02-29", (2028, 2), (2028, 3)),
    ],
)
def test_monthly_report__a_service_belongs_to_its_own_month(
    date: str, its_month: tuple[int, int], other_month: tuple[int, int]
) -> None:
    """The 31st counts in its month and the 1st in the next, across a year's end."""
    history = person("甲", service(date, "repair", 3), redemption(date))

    counted = report_of(history, month=its_month)
    neighbour = report_of(history, month=other_month)

    assert (
        counted.headline.services,
        counted.headline.points_earned,
        counted.headline.points_redeemed,
        len(counted.board),
    ) == (1, 3, 50, 1)
    assert (
        neighbour.headline.services,
        neighbour.headline.points_earned,
        neighbour.headline.points_redeemed,
        neighbour.board,
    ) == (0, 0, 0, [])


def test_monthly_report__an_idle_month_is_empty() -> None:
    """Nothing logged, redeemed or joined in the month: the report is empty."""
    report = report_of(person("甲", service("2026-09-30", "repair", 3)))

    assert report.empty
    assert report.headline == Headline(0, 0, 0, Decimal(0), 0, 0, 3)
    assert (report.by_activity, report.board, report.vouchers) == ([], [], [])
    assert report.stars_reached == []


def test_monthly_report__a_new_home_is_empty() -> None:
    """No volunteers and no shelf events: zeros, nothing to compare, no trend."""
    report = report_of()

    assert report.empty
    assert report.headline == NO_FIGURES
    assert (report.previous_month, report.year_ago, report.trend) == (None, None, [])
    assert (report.by_team, report.board) == ([], [])
    assert [item.stock for item in report.shelf] == [0, 0]


@pytest.mark.parametrize(
    ("histories", "shelf"),
    [
        ((person("甲", redemption("2026-10-05")),), ()),
        ((person("甲", joined="2026-10-05"),), ()),
        ((), (restock("2026-10-05", "rice", 3),)),
        ((), (stocktake("2026-10-05", "rice", 2, 3),)),
    ],
    ids=["a redemption", "a new volunteer", "a delivery", "a stocktake difference"],
)
def test_monthly_report__a_month_with_anything_in_it_is_not_empty(
    histories: tuple[VolunteerHistory, ...], shelf: tuple[ShelfEvent, ...]
) -> None:
    """Spending, joining, goods arriving or going missing all happened in the month."""
    report = report_of(*histories, shelf=shelf)

    assert not report.empty
