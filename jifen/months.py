"""Each volunteer's totals by calendar month: what boards and reports add up.

Every period a board or report asks for is made of whole months, so one small
summary per volunteer answers them all: services, hours and points by
activity, and points spent, for each month they did anything. The store
caches these summaries, so a repeated report reads only the files that
changed since.
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

import msgspec

from jifen.events import Service, VolunteerHistory
from jifen.periods import month_key


class ActivityMonth(msgspec.Struct, array_like=True):
    """One activity's services, hours and points in one month."""

    services: int = 0
    hours: Decimal = Decimal(0)
    points: int = 0


class Month(msgspec.Struct, array_like=True):
    """One volunteer's month: what they did, by activity, and what they spent.

    `services`, `hours` and `points` are the activities' totals, kept beside
    them because boards and reports ask for them millions of times in a city.
    """

    activities: dict[str, ActivityMonth] = msgspec.field(default_factory=dict)
    spent: int = 0
    services: int = 0
    hours: Decimal = Decimal(0)
    points: int = 0

    def add_service(
        self, activity: str, services: int, hours: Decimal, points: int
    ) -> None:
        """Count services of one activity into the month."""
        tally = self.activities.setdefault(activity, ActivityMonth())
        tally.services += services
        tally.hours += hours
        tally.points += points
        self.services += services
        self.hours += hours
        self.points += points


class VolunteerMonths(msgspec.Struct, frozen=True):
    """A volunteer and their months, keyed YYYY-MM."""

    name: str
    team: str | None
    joined: dt.date
    months: dict[str, Month]

    @property
    def since(self) -> str:
        """The first month they count in, YYYY-MM: the month they joined, or earlier.

        `jifen log` refuses a date before joining, but a file written before
        it did, or edited by hand, may hold one: such a volunteer counts from
        that earlier month, so the headline agrees with the board and teams.
        """
        joined = month_key(self.joined)
        # `months` is kept sorted, so its first key is the earliest.
        first = next(iter(self.months), joined)
        return min(joined, first)

    def totals(self, first: str | None = None, last: str | None = None) -> Month:
        """Return the months from `first` to `last` (YYYY-MM, None: open) added up.

        Only the totals are added, not the breakdown by activity: this is what
        boards ask of every volunteer, so it stays cheap.
        """
        total = Month()
        for key, month in self.months.items():
            if (first is None or key >= first) and (last is None or key <= last):
                total.services += month.services
                total.hours += month.hours
                total.points += month.points
                total.spent += month.spent
        return total

    def up_to(self, key: str | None) -> Month:
        """Return the totals of every month up to and including `key` (all for None)."""
        return self.totals(None, key)


def total_of(months: Iterable[Month]) -> Month:
    """Return several months (of one volunteer or many) added into one."""
    total = Month()
    for month in months:
        for activity, tally in month.activities.items():
            total.add_service(activity, tally.services, tally.hours, tally.points)
        total.spent += month.spent
    return total


def summarise_months(history: VolunteerHistory) -> VolunteerMonths:
    """Add up one volunteer's events month by month."""
    months: dict[str, Month] = {}
    for event in history.events:
        month = months.setdefault(month_key(event.date), Month())
        if isinstance(event, Service):
            month.add_service(
                event.activity, 1, event.hours or Decimal(0), event.points
            )
        else:
            month.spent += event.points
    volunteer = history.volunteer
    return VolunteerMonths(
        name=volunteer.name,
        team=volunteer.team,
        joined=volunteer.date,
        months=dict(sorted(months.items())),
    )
