"""Scoring a service under the rules: pure arithmetic on exact numbers."""

import math
from collections.abc import Iterable
from decimal import Decimal

from jifen.rules import Activity, Level


def full_hours(activity: Activity, hours: Decimal, counted_today: int = 0) -> int:
    """Return the full hours of a service that count for points.

    Only *full* hours count (the floor of the exact hours, never rounding), and
    an activity with a daily cap counts at most that many full hours a day.
    """
    whole = math.floor(hours)
    if activity.max_hours_per_day is None:
        return whole
    return max(0, min(whole, activity.max_hours_per_day - counted_today))


def counted_on_the_day(activity: Activity, hours_logged: Iterable[Decimal]) -> int:
    """Return the full hours already counted on a day, replaying its services."""
    counted = 0
    for hours in hours_logged:
        counted += full_hours(activity, hours, counted)
    return counted


def score_service(
    activity: Activity,
    *,
    hours: Decimal | None = None,
    times: int = 1,
    level: Level | None = None,
    counted_today: int = 0,
) -> int:
    """Return the points a service earns.

    A per-hour activity earns its points for each full counted hour; any other
    activity earns them for each time. A difficulty level adds its bonus to
    every counted hour or time.
    """
    per_unit = activity.points + (level.bonus if level else 0)
    if activity.per_hour:
        if hours is None:
            raise ValueError("a per-hour activity needs hours")
        units = full_hours(activity, hours, counted_today)
    else:
        units = times
    return per_unit * units
