"""Periods of calendar days: months, years and all time, as people ask for them.

Months are calendar months of service dates, which are already calendar dates
in the community's time zone: a service dated the 31st belongs to that month,
one dated the 1st to the next.
"""

import calendar
import datetime as dt
from dataclasses import dataclass

from jifen.errors import JifenError
from jifen.i18n import _
from jifen.text import fold, parse_month


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

    @property
    def first_month(self) -> str | None:
        """The first month the period reaches into, YYYY-MM; None when open-ended."""
        return None if self.start is None else month_key(self.start)

    @property
    def last_month(self) -> str | None:
        """The last month the period reaches into, YYYY-MM; None when open-ended."""
        return None if self.end is None else month_key(self.end)


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


def month_key(date: dt.date) -> str:
    """Return the month holding `date` as YYYY-MM, the key of monthly totals."""
    return f"{date.year:04d}-{date.month:02d}"


def months_back(year: int, month: int, count: int) -> list[str]:
    """Return the `count` months ending with `year`-`month`, oldest first, as YYYY-MM."""
    keys = []
    for back in range(count - 1, -1, -1):
        index = year * 12 + (month - 1) - back
        keys.append(f"{index // 12:04d}-{index % 12 + 1:02d}")
    return keys
