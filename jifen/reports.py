"""The leaderboard (积分榜) and the monthly summary (月度汇总), from monthly totals.

Both are sums over each volunteer's months (see `jifen.months`) and, for the
shelf's part of the report, over redemption lines and shelf events.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from jifen.events import Restock, ShelfEvent, Stocktake, VoucherUse
from jifen.months import Month, VolunteerMonths, total_of
from jifen.periods import Period, month_key, month_period, months_back
from jifen.rules import Rules
from jifen.shelf import TakenLine, redeemed_quantities, stock_levels

BoardOrder = Literal["points", "hours"]
TREND_MONTHS = 12


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
    volunteers: Sequence[VolunteerMonths],
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
    entries = []
    first, last = period.first_month, period.last_month
    for volunteer in volunteers:
        if team is not None and volunteer.team != team:
            continue
        served = volunteer.totals(first, last)
        if served.services:
            lifetime = volunteer.up_to(last).hours
            entries.append((volunteer, served, rules.stars_for(lifetime)))

    def measure(entry: tuple[VolunteerMonths, Month, int]) -> Decimal:
        return Decimal(entry[1].points) if order == "points" else entry[1].hours

    entries.sort(key=lambda entry: (-measure(entry), -entry[1].hours, entry[0].name))
    rows: list[BoardRow] = []
    for position, entry in enumerate(entries, start=1):
        tied = position > 1 and measure(entries[position - 2]) == measure(entry)
        rank = rows[-1].rank if tied else position
        if top is not None and rank > top:
            break
        volunteer, served, stars = entry
        rows.append(
            BoardRow(
                rank=rank,
                name=volunteer.name,
                team=volunteer.team,
                points=served.points,
                hours=served.hours,
                stars=stars,
            )
        )
    return rows


# The monthly report ------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    """A month's headline figures."""

    active_volunteers: int
    new_volunteers: int
    services: int
    hours: Decimal
    points_earned: int
    points_redeemed: int
    points_outstanding: int


@dataclass(frozen=True)
class ActivityTotal:
    """What one activity added up to in a month."""

    activity: str
    label: str
    services: int
    hours: Decimal
    points: int


@dataclass(frozen=True)
class TeamTotal:
    """One team's month: members at month end, how many served, hours, points."""

    team: str | None
    members: int
    active_members: int
    hours: Decimal
    points: int


@dataclass(frozen=True)
class ItemMonth:
    """One good on the shelf over a month, and its stock at the month's end."""

    item: str
    label: str
    redeemed: int
    points: int
    restocked: int
    stocktake_difference: int
    stock: int
    low: bool


@dataclass(frozen=True)
class PartnerMonth:
    """One partner's vouchers in a month: issued, used, and the points they stand for."""

    partner: str
    issued: int
    points_issued: int
    used: int
    points_used: int


@dataclass(frozen=True)
class StarReached:
    """A volunteer whose service hours reached a new star level in the month."""

    name: str
    team: str | None
    stars: int
    hours: Decimal


@dataclass(frozen=True)
class TrendMonth:
    """One of the last twelve months: active volunteers and points earned."""

    month: str
    active_volunteers: int
    points_earned: int


@dataclass(frozen=True)
class MonthlyReport:
    """Everything the month-end summary says."""

    community: str
    month: str
    headline: Headline
    previous_month: Headline | None = None
    year_ago: Headline | None = None
    by_activity: list[ActivityTotal] = field(default_factory=list)
    by_team: list[TeamTotal] = field(default_factory=list)
    board: list[BoardRow] = field(default_factory=list)
    shelf: list[ItemMonth] = field(default_factory=list)
    vouchers: list[PartnerMonth] = field(default_factory=list)
    stars_reached: list[StarReached] = field(default_factory=list)
    trend: list[TrendMonth] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Whether nothing at all happened in the month."""
        figures = self.headline
        return not (
            figures.services
            or figures.points_redeemed
            or figures.new_volunteers
            or any(item.restocked or item.stocktake_difference for item in self.shelf)
            or any(partner.used for partner in self.vouchers)
        )


def headline(volunteers: Iterable[VolunteerMonths], key: str) -> Headline | None:
    """Return the headline figures of month `key`, or None before anyone joined."""
    members = [volunteer for volunteer in volunteers if volunteer.since <= key]
    if not members:
        return None
    months = [volunteer.months.get(key, Month()) for volunteer in members]
    return Headline(
        active_volunteers=sum(1 for month in months if month.services),
        new_volunteers=sum(
            1 for volunteer in members if month_key(volunteer.joined) == key
        ),
        services=sum(month.services for month in months),
        hours=sum((month.hours for month in months), Decimal(0)),
        points_earned=sum(month.points for month in months),
        points_redeemed=sum(month.spent for month in months),
        points_outstanding=sum(
            total.points - total.spent
            for total in (volunteer.up_to(key) for volunteer in members)
        ),
    )


def monthly_report(
    rules: Rules,
    volunteers: Sequence[VolunteerMonths],
    taken: Sequence[TakenLine],
    shelf_events: Sequence[ShelfEvent],
    year: int,
    month: int,
) -> MonthlyReport:
    """Add up one calendar month of the ledger."""
    period = month_period(year, month)
    key = period.label
    figures = headline(volunteers, key) or Headline(0, 0, 0, Decimal(0), 0, 0, 0)
    return MonthlyReport(
        community=rules.community,
        month=key,
        headline=figures,
        previous_month=headline(volunteers, months_back(year, month, 2)[0]),
        year_ago=headline(volunteers, f"{year - 1:04d}-{month:02d}"),
        by_activity=_by_activity(rules, volunteers, key),
        by_team=_by_team(volunteers, key),
        board=board(rules, volunteers, period, top=10),
        shelf=_shelf_month(rules, taken, shelf_events, period),
        vouchers=_vouchers_month(rules, taken, shelf_events, period),
        stars_reached=_stars_reached(rules, volunteers, key),
        trend=[
            TrendMonth(
                month=trend_key,
                active_volunteers=sum(
                    1
                    for volunteer in volunteers
                    if volunteer.months.get(trend_key, Month()).services
                ),
                points_earned=sum(
                    volunteer.months.get(trend_key, Month()).points
                    for volunteer in volunteers
                ),
            )
            for trend_key in months_back(year, month, TREND_MONTHS)
            if any(volunteer.since <= trend_key for volunteer in volunteers)
        ],
    )


def _by_activity(
    rules: Rules, volunteers: Iterable[VolunteerMonths], key: str
) -> list[ActivityTotal]:
    totals = total_of(
        volunteer.months[key] for volunteer in volunteers if key in volunteer.months
    )
    return sorted(
        (
            ActivityTotal(
                activity=activity,
                label=rules.label_of_activity(activity),
                services=tally.services,
                hours=tally.hours,
                points=tally.points,
            )
            for activity, tally in totals.activities.items()
        ),
        key=lambda total: (-total.points, total.activity),
    )


def _by_team(volunteers: Iterable[VolunteerMonths], key: str) -> list[TeamTotal]:
    teams: dict[str | None, list[VolunteerMonths]] = defaultdict(list)
    for volunteer in volunteers:
        if volunteer.since <= key:
            teams[volunteer.team].append(volunteer)
    totals = []
    for team, members in teams.items():
        months = [member.months.get(key, Month()) for member in members]
        totals.append(
            TeamTotal(
                team=team,
                members=len(members),
                active_members=sum(1 for month in months if month.services),
                hours=sum((month.hours for month in months), Decimal(0)),
                points=sum(month.points for month in months),
            )
        )
    return sorted(
        totals, key=lambda total: (total.team is None, -total.points, total.team or "")
    )


def _shelf_month(
    rules: Rules,
    taken: Sequence[TakenLine],
    shelf_events: Sequence[ShelfEvent],
    period: Period,
) -> list[ItemMonth]:
    assert period.end is not None
    up_to_end = Period(period.label, None, period.end)
    stock = stock_levels(
        [event for event in shelf_events if event.date <= period.end],
        redeemed_quantities(taken, up_to_end),
    )
    redeemed = redeemed_quantities(taken, period)
    restocked: Counter[str] = Counter()
    differences: Counter[str] = Counter()
    for event in shelf_events:
        if event.date not in period:
            continue
        if isinstance(event, Restock):
            restocked[event.item] += event.qty
        elif isinstance(event, Stocktake):
            differences[event.item] += event.difference
    return [
        ItemMonth(
            item=item.key,
            label=item.label,
            redeemed=redeemed[item.key],
            points=redeemed[item.key] * item.points,
            restocked=restocked[item.key],
            stocktake_difference=differences[item.key],
            stock=stock[item.key],
            low=stock[item.key] <= rules.low_stock_of(item),
        )
        for item in rules.items.values()
    ]


def _vouchers_month(
    rules: Rules,
    taken: Sequence[TakenLine],
    shelf_events: Sequence[ShelfEvent],
    period: Period,
) -> list[PartnerMonth]:
    offer_of_code = {code: line.item for line in taken for code in line.vouchers}
    issued: Counter[str] = Counter()
    points_issued: Counter[str] = Counter()
    used: Counter[str] = Counter()
    points_used: Counter[str] = Counter()
    for line in taken:
        if line.date in period and line.item in rules.offers:
            offer = rules.offers[line.item]
            issued[offer.partner] += len(line.vouchers)
            points_issued[offer.partner] += len(line.vouchers) * offer.points
    for event in shelf_events:
        if isinstance(event, VoucherUse) and event.date in period:
            used_offer = rules.offers.get(offer_of_code.get(event.code, ""))
            if used_offer is not None:
                used[used_offer.partner] += 1
                points_used[used_offer.partner] += used_offer.points
    partners = dict.fromkeys(offer.partner for offer in rules.offers.values())
    return [
        PartnerMonth(
            partner,
            issued[partner],
            points_issued[partner],
            used[partner],
            points_used[partner],
        )
        for partner in partners
        if issued[partner] or used[partner]
    ]


def _stars_reached(
    rules: Rules, volunteers: Iterable[VolunteerMonths], key: str
) -> list[StarReached]:
    reached = []
    for volunteer in volunteers:
        month = volunteer.months.get(key)
        if month is None or not month.hours:
            continue
        after = volunteer.up_to(key).hours
        stars = rules.stars_for(after)
        if stars > rules.stars_for(after - month.hours):
            reached.append(StarReached(volunteer.name, volunteer.team, stars, after))
    return sorted(reached, key=lambda star: (-star.stars, -star.hours, star.name))
