"""Tests for jifen.reports: periods, the leaderboard and the monthly summary."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from jifen.events import (
    RedeemedItem,
    Redemption,
    Service,
    Volunteer,
    VolunteerHistory,
)
from jifen.reports import (
    ActivityTotal,
    BoardRow,
    MonthlyReport,
    Period,
    all_time,
    board,
    month_period,
    monthly_report,
)
from jifen.rules import Rules, parse_rules

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

[items.rice]
label = "大米"
points = 50
"""
MOMENT = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def rules() -> Rules:
    """The small rules above: stars at 10 h and 20 h, cleanup and repair, rice."""
    return parse_rules(RULES_TOML.encode("utf-8"), Path("rules.toml"))


def service(date: str, activity: str, points: int, hours: str | None = None) -> Service:
    """A service on `date` worth `points`, with exact `hours` if given."""
    return Service(
        id=f"s-{date}-{activity}-{points}",
        date=dt.date.fromisoformat(date),
        at=MOMENT,
        by="staff",
        activity=activity,
        points=points,
        hours=Decimal(hours) if hours is not None else None,
    )


def redemption(date: str, points: int) -> Redemption:
    """Rice worth `points` taken on `date`."""
    return Redemption(
        id=f"r-{date}-{points}",
        date=dt.date.fromisoformat(date),
        at=MOMENT,
        by="staff",
        items=(RedeemedItem("rice", 1, points),),
        points=points,
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


OCTOBER = month_period(2026, 10)


# Periods ---------------------------------------------------------------------


def test_month_period__spans_the_whole_month() -> None:
    """October runs from the 1st to the 31st, both included."""
    october = month_period(2026, 10)

    assert october == Period("2026-10", dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert dt.date(2026, 10, 31) in october
    assert dt.date(2026, 11, 1) not in october
    assert dt.date(2026, 9, 30) not in october


def test_month_period__knows_leap_years() -> None:
    """February 2028 has 29 days; February 2026 has 28."""
    leap = month_period(2028, 2)
    common = month_period(2026, 2)

    assert (leap.end, common.end) == (dt.date(2028, 2, 29), dt.date(2026, 2, 28))


def test_all_time__holds_every_date() -> None:
    """The open period holds the first and the last day there can be."""
    period = all_time()

    assert dt.date.min in period
    assert dt.date.max in period
    assert period.label == "all time"


# board -----------------------------------------------------------------------


def test_board__ties_share_a_rank_and_the_next_rank_skips() -> None:
    """Two volunteers at 9 points are both 1st; the next is 3rd (1, 1, 3)."""
    histories = [
        person("甲", service("2026-10-02", "repair", 9)),
        person("乙", service("2026-10-02", "repair", 9)),
        person("丙", service("2026-10-02", "repair", 3)),
    ]

    rows = board(rules(), histories, OCTOBER)

    assert [(row.rank, row.name, row.points) for row in rows] == [
        (1, "乙", 9),
        (1, "甲", 9),
        (3, "丙", 3),
    ]


def test_board__orders_a_tie_by_hours_then_name_without_splitting_the_rank() -> None:
    """Equal points share a rank; the one with more hours is listed first."""
    histories = [
        person("甲", service("2026-10-02", "cleanup", 6, hours="2")),
        person("乙", service("2026-10-02", "cleanup", 6, hours="2.5")),
    ]

    rows = board(rules(), histories, OCTOBER)

    assert [(row.rank, row.name, row.hours) for row in rows] == [
        (1, "乙", Decimal("2.5")),
        (1, "甲", Decimal("2")),
    ]


def test_board__spending_never_lowers_a_rank() -> None:
    """The one who earned most stays first after redeeming nearly everything."""
    histories = [
        person("甲", service("2026-10-02", "repair", 60), redemption("2026-10-03", 50)),
        person("乙", service("2026-10-02", "repair", 30)),
    ]

    rows = board(rules(), histories, OCTOBER)

    assert [(row.rank, row.name, row.points) for row in rows] == [
        (1, "甲", 60),
        (2, "乙", 30),
    ]


def test_board__counts_only_the_period_and_leaves_out_the_idle() -> None:
    """Services outside the month do not count; a volunteer idle in it is not listed."""
    histories = [
        person(
            "甲",
            service("2026-09-30", "repair", 30),
            service("2026-10-01", "repair", 3),
            service("2026-11-01", "repair", 30),
        ),
        person("乙", service("2026-09-15", "repair", 99)),
    ]

    rows = board(rules(), histories, OCTOBER)

    assert [(row.rank, row.name, row.points) for row in rows] == [(1, "甲", 3)]


def test_board__stars_count_every_hour_up_to_the_periods_end() -> None:
    """8 h before October and 3 h in it make 11 h: 1★; November's hours do not count."""
    histories = [
        person(
            "甲",
            service("2026-09-10", "cleanup", 24, hours="8"),
            service("2026-10-10", "cleanup", 9, hours="3"),
            service("2026-11-10", "cleanup", 30, hours="10"),
        )
    ]

    rows = board(rules(), histories, OCTOBER)

    assert rows == [
        BoardRow(rank=1, name="甲", team=None, points=9, hours=Decimal("3"), stars=1)
    ]


def test_board__filters_one_team() -> None:
    """With a team, only its members are ranked."""
    histories = [
        person("甲", service("2026-10-02", "repair", 9), team="维修队"),
        person("乙", service("2026-10-02", "repair", 3), team="银发互助队"),
    ]

    rows = board(rules(), histories, OCTOBER, team="银发互助队")

    assert [(row.rank, row.name, row.team) for row in rows] == [(1, "乙", "银发互助队")]


def test_board__top_keeps_everyone_tied_at_the_cut() -> None:
    """Top 1 with two tied at the top lists both."""
    histories = [
        person("甲", service("2026-10-02", "repair", 9)),
        person("乙", service("2026-10-02", "repair", 9)),
        person("丙", service("2026-10-02", "repair", 3)),
    ]

    rows = board(rules(), histories, OCTOBER, top=1)

    assert [(row.rank, row.name) for row in rows] == [(1, "乙"), (1, "甲")]


def test_board__can_rank_by_hours() -> None:
    """Ranked by hours, the one with more hours but fewer points comes first."""
    histories = [
        person("甲", service("2026-10-02", "repair", 30, hours="1")),
        person("乙", service("2026-10-02", "cleanup", 6, hours="2")),
    ]

    rows = board(rules(), histories, OCTOBER, order="hours")

    assert [(row.rank, row.name) for row in rows] == [(1, "乙"), (2, "甲")]


# monthly_report --------------------------------------------------------------


def test_monthly_report__adds_up_the_month() -> None:
    """Headline figures, points by activity (most first) and the board, for October."""
    histories = [
        person(
            "甲",
            service("2026-10-01", "cleanup", 6, hours="2.5"),
            service("2026-10-31", "repair", 3),
            redemption("2026-10-15", 50),
            joined="2026-09-30",
        ),
        person("乙", service("2026-10-20", "repair", 3), joined="2026-10-01"),
        person("丙", joined="2026-10-31"),
    ]

    report = monthly_report(rules(), histories, 2026, 10)

    assert report == MonthlyReport(
        community="幸福里社区",
        month="2026-10",
        active_volunteers=2,
        new_volunteers=2,
        services=3,
        hours=Decimal("2.5"),
        points_earned=12,
        points_redeemed=50,
        by_activity=[
            ActivityTotal("cleanup", "环境卫生整治", 1, Decimal("2.5"), 6),
            ActivityTotal("repair", "维修家电", 2, Decimal(0), 6),
        ],
        board=[
            BoardRow(1, "甲", None, 9, Decimal("2.5"), 0),
            BoardRow(2, "乙", None, 3, Decimal(0), 0),
        ],
    )
    assert not report.empty


@pytest.mark.parametrize(
    ("date", "its_month", "other_month"),
    [
        ("2026-10-31", (2026, 10), (2026, 11)),
        ("2026-11-01", (2026, 11), (2026, 10)),
        ("2026-12-31", (2026, 12), (2027, 1)),
        ("2027-01-01", (2027, 1), (2026, 12)),
    ],
)
def test_monthly_report__a_service_belongs_to_its_own_month(
    date: str, its_month: tuple[int, int], other_month: tuple[int, int]
) -> None:
    """The 31st counts in its month and the 1st in the next, across a year's end."""
    histories = [person("甲", service(date, "repair", 3))]

    counted = monthly_report(rules(), histories, *its_month)
    neighbour = monthly_report(rules(), histories, *other_month)

    assert (counted.services, counted.points_earned) == (1, 3)
    assert (neighbour.services, neighbour.points_earned) == (0, 0)


def test_monthly_report__an_idle_month_is_empty() -> None:
    """Nothing logged, redeemed or joined in the month: the report is empty."""
    histories = [person("甲", service("2026-09-30", "repair", 3), joined="2026-09-01")]

    report = monthly_report(rules(), histories, 2026, 10)

    assert report.empty
    assert (report.services, report.by_activity, report.board) == (0, [], [])


def test_monthly_report__a_month_with_only_a_redemption_is_not_empty() -> None:
    """Spending points is something that happened in the month."""
    histories = [person("甲", redemption("2026-10-05", 50), joined="2026-09-01")]

    report = monthly_report(rules(), histories, 2026, 10)

    assert not report.empty
    assert (report.active_volunteers, report.points_redeemed) == (0, 50)
