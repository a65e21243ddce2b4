"""Scoring a service under the rules: pure arithmetic on exact numbers."""

import math
from decimal import Decimal

from jifen.rules import Activity, Level


def counted_hours(
    activity: Activity, hours: Decimal, already_today: Decimal = Decimal(0)
) -> Decimal:
    """Return how many of `hours` count for points under the daily cap."""
    if activity.max_hours_per_day is None:
        return hours
    room = Decimal(activity.max_hours_per_day) - already_today
    return max(Decimal(0), min(hours, room))


def score_service(
    activity: Activity,
    *,
    hours: Decimal | None = None,
    times: int = 1,
    level: Level | None = None,
    already_today: Decimal = Decimal(0),
) -> int:
    """Return the points a service earns.

    A per-hour activity earns its points for each *full* counted hour (the floor
    of the exact hours, never rounding); any other activity earns them for each
    time. A difficulty level adds its bonus to every counted hour or time.
    """
    per_unit = activity.points + (level.bonus if level else 0)
    if activity.per_hour:
        if hours is None:
            raise ValueError("a per-hour activity needs hours")
        units = math.floor(counted_hours(activity, hours, already_today))
    else:
        units = times
    return per_unit * units
