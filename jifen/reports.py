"""The leaderboard (积分榜) and the monthly summary (月度汇总), from events alone."""

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from jifen.errors import JifenError
from jifen.events import Service, VolunteerHistory
from jifen.i18n import _
from jifen.rules import Rules
from jifen.text import fold, parse_month

BoardOrder = Literal["points", "hours"]


@dataclass(frozen=True)
class Period:
    """A span of calendar days, both ends included; None leaves that end open."""

    label: str
    start: dt.date | None = None
    end: dt.date | None = None

    def __contains__(self, date: dt.date) -> bool:
        return (self.start is None or date >= self.start) and (
            self.end is None or date <= self.end
        )


def month_period(year: int, month: int) -> Period:
    """Return the calendar month `year`-`month`."""
    last_day = calendar.monthrange(year, month)[1]
    return Period(
        f"{year:04d}-{month:02d}",
        dt.date(year, month, 1),
        dt.date(year, month, last_day),
    )


def last_full_month(today: dt.date) -> tuple[int, int]:
    """Return (year, month) of the month before the one holding `today`."""
    last_day = today.replace(day=1) - dt.timedelta(days=1)
    return last_day.year, last_day.month


def all_time() -> Period:
    """Return the period that holds every date."""
    return Period(_("all time"))


def year_period(year: int) -> Period:
    """Return the calendar year."""
    return Period(f"{year:04d}", dt.date(year, 1, 1), dt.date(year, 12, 31))


def choose_period(
    today: dt.date,
    *,
    month: str | None = None,
    year: str | None = None,
    everything: bool = False,
) -> Period:
    """Return the period a person asked for with --month, --year or --all.

    With none of them it is the current month.
    """
    if sum((month is not None, year is not None, everything)) > 1:
        raise JifenError(_("give only one of --month, --year and --all"))
    if everything:
        return all_time()
    if year is not None:
        folded = fold(year)
        if not (folded.isascii() and folded.isdigit() and len(folded) == 4):
            raise JifenError(
                _("--year {year!r} is not a year; type it as YYYY, e.g. {this}").format(
                    year=year, this=today.year
                )
            )
        return year_period(int(folded))
    if month is not None:
        return month_period(*parse_month(month))
    return month_period(today.year, today.month)


@dataclass
class _Tally:
    """A running count of services, hours and points (a volunteer's or an activity's)."""

    name: str
    team: str | None = None
    services: int = 0
    hours: Decimal = Decimal(0)
    points: int = 0
    lifetime_hours: Decimal = Decimal(0)

    def add(self, service: Service) -> None:
        self.services += 1
        self.hours += service.hours or 0
        self.points += service.points


@dataclass(frozen=True)
class BoardRow:
    """One volunteer's place on the board."""

    rank: int
    name: str
    team: str | None
    points: int
    hours: Decimal
    stars: int


def board(
    rules: Rules,
    histories: Sequence[VolunteerHistory],
    period: Period,
    *,
    team: str | None = None,
    top: int | None = None,
    order: BoardOrder = "points",
) -> list[BoardRow]:
    """Rank volunteers by points earned (or hours served) in the period.

    Spending never lowers a rank. Ties share a rank and the next rank skips
    (1, 1, 3). Star levels count every hour served up to the period's end.
    """
    tallies = []
    for history in histories:
        if team is not None and history.volunteer.team != team:
            continue
        tally = _Tally(history.volunteer.name, history.volunteer.team)
        for event in history.events:
            if not isinstance(event, Service):
                continue
            if period.end is None or event.date <= period.end:
                tally.lifetime_hours += event.hours or 0
            if event.date in period:
                tally.add(event)
        if tally.services:
            tallies.append(tally)

    def measure(tally: _Tally) -> Decimal:
        return Decimal(tally.points) if order == "points" else tally.hours

    tallies.sort(key=lambda tally: (-measure(tally), -tally.hours, tally.name))
    rows: list[BoardRow] = []
    for position, tally in enumerate(tallies, start=1):
        tied = position > 1 and measure(tallies[position - 2]) == measure(tally)
        rank = rows[-1].rank if tied else position
        if top is not None and rank > top:
            break
        rows.append(
            BoardRow(
                rank=rank,
                name=tally.name,
                team=tally.team,
                points=tally.points,
                hours=tally.hours,
                stars=rules.stars_for(tally.lifetime_hours),
            )
        )
    return rows


@dataclass(frozen=True)
class ActivityTotal:
    """What one activity added up to in a month."""

    activity: str
    label: str
    services: int = 0
    hours: Decimal = Decimal(0)
    points: int = 0


@dataclass(frozen=True)
class MonthlyReport:
    """The month's headline figures, points by activity, and the top of the board."""

    community: str
    month: str
    active_volunteers: int
    new_volunteers: int
    services: int
    hours: Decimal
    points_earned: int
    points_redeemed: int
    by_activity: list[ActivityTotal] = field(default_factory=list)
    board: list[BoardRow] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Whether nothing at all happened in the month."""
        return not (self.services or self.points_redeemed or self.new_volunteers)


def monthly_report(
    rules: Rules, histories: Sequence[VolunteerHistory], year: int, month: int
) -> MonthlyReport:
    """Add up one calendar month of the ledger."""
    period = month_period(year, month)
    active = new = services = points_earned = points_redeemed = 0
    hours = Decimal(0)
    totals: dict[str, _Tally] = {}
    for history in histories:
        if history.volunteer.date in period:
            new += 1
        was_active = False
        for event in history.events:
            if event.date not in period:
                continue
            if isinstance(event, Service):
                was_active = True
                services += 1
                points_earned += event.points
                hours += event.hours or 0
                totals.setdefault(event.activity, _Tally(event.activity)).add(event)
            else:
                points_redeemed += event.points
        active += was_active
    by_activity = sorted(
        (
            ActivityTotal(
                activity=key,
                label=rules.label_of_activity(key),
                services=total.services,
                hours=total.hours,
                points=total.points,
            )
            for key, total in totals.items()
        ),
        key=lambda total: (-total.points, total.activity),
    )
    return MonthlyReport(
        community=rules.community,
        month=period.label,
        active_volunteers=active,
        new_volunteers=new,
        services=services,
        hours=hours,
        points_earned=points_earned,
        points_redeemed=points_redeemed,
        by_activity=by_activity,
        board=board(rules, histories, period, top=10),
    )
