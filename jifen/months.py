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
    """One volunteer's month: what they did, by activity, and what they spent."""

    activities: dict[str, ActivityMonth] = msgspec.field(default_factory=dict)
    spent: int = 0

    @property
    def services(self) -> int:
        """Services done in the month."""
        return sum(activity.services for activity in self.activities.values())

    @property
    def hours(self) -> Decimal:
        """Service hours in the month."""
        return sum(
            (activity.hours for activity in self.activities.values()), Decimal(0)
        )

    @property
    def points(self) -> int:
        """Points earned in the month."""
        return sum(activity.points for activity in self.activities.values())


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
        return min([month_key(self.joined), *self.months])

    def in_months(self, keys: Iterable[str]) -> Month:
        """Return the months `keys` added into one."""
        return total_of(self.months[key] for key in keys if key in self.months)

    def up_to(self, key: str | None) -> Month:
        """Return every month up to and including `key` (all of them for None)."""
        return self.in_months(
            month for month in self.months if key is None or month <= key
        )


def total_of(months: Iterable[Month]) -> Month:
    """Return several months (of one volunteer or many) added into one."""
    total = Month()
    for month in months:
        for activity, tally in month.activities.items():
            into = total.activities.setdefault(activity, ActivityMonth())
            into.services += tally.services
            into.hours += tally.hours
            into.points += tally.points
        total.spent += month.spent
    return total


def summarise_months(history: VolunteerHistory) -> VolunteerMonths:
    """Add up one volunteer's events month by month."""
    months: dict[str, Month] = {}
    for event in history.events:
        month = months.setdefault(month_key(event.date), Month())
        if isinstance(event, Service):
            tally = month.activities.setdefault(event.activity, ActivityMonth())
            tally.services += 1
            tally.hours += event.hours or 0
            tally.points += event.points
        else:
            month.spent += event.points
    volunteer = history.volunteer
    return VolunteerMonths(
        name=volunteer.name,
        team=volunteer.team,
        joined=volunteer.date,
        months=dict(sorted(months.items())),
    )
