"""Tests for jifen.months: each volunteer's totals by calendar month."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from jifen.events import RedeemedItem, Redemption, Service, Volunteer, VolunteerHistory
from jifen.months import (
    Month,
    VolunteerMonths,
    summarise_months,
    total_of,
)

MOMENT = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def service(
    date: str, activity: str, points: int, hours: str | None = None, number: int = 0
) -> Service:
    """A service on `date` worth `points`, with exact `hours` if given."""
    return Service(
        id=f"s-{date}-{activity}-{points}-{number}",
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


def history(
    *events: Service | Redemption, joined: str = "2026-09-15", team: str | None = None
) -> VolunteerHistory:
    """甲's history: their record, then these events in file order."""
    record = Volunteer(
        id="v-甲",
        date=dt.date.fromisoformat(joined),
        at=MOMENT,
        by="staff",
        name="甲",
        team=team,
    )
    return VolunteerHistory(Path("data/volunteers/甲.jsonl"), record, events)


def month(*activities: tuple[str, int, str, int], spent: int = 0) -> Month:
    """A month from (activity, services, hours, points) tuples and points spent."""
    built = Month(spent=spent)
    for key, services, hours, points in activities:
        built.add_service(key, services, Decimal(hours), points)
    return built


# summarise_months ------------------------------------------------------------


def test_summarise_months__adds_up_each_month_by_activity() -> None:
    """Services, hours and points per activity, and points spent, month by month."""
    events = history(
        service("2026-10-02", "cleanup", 6, "2.5"),
        service("2026-10-09", "cleanup", 3, "1.25"),
        service("2026-10-09", "repair", 3),
        redemption("2026-10-20", 10),
        service("2026-11-03", "repair", 3),
        redemption("2026-11-04", 50),
        redemption("2026-11-05", 8),
        team="维修队",
    )

    summary = summarise_months(events)

    assert summary == VolunteerMonths(
        name="甲",
        team="维修队",
        joined=dt.date(2026, 9, 15),
        months={
            "2026-10": month(
                ("cleanup", 2, "3.75", 9), ("repair", 1, "0", 3), spent=10
            ),
            "2026-11": month(("repair", 1, "0", 3), spent=58),
        },
    )


def test_summarise_months__the_31st_and_the_1st_are_different_months() -> None:
    """A service on 31 December is 2026-12's; one on 1 January is 2027-01's."""
    events = history(
        service("2027-01-01", "repair", 3), service("2026-12-31", "repair", 5)
    )

    summary = summarise_months(events)

    assert list(summary.months) == ["2026-12", "2027-01"]
    assert (summary.months["2026-12"].points, summary.months["2027-01"].points) == (
        5,
        3,
    )


def test_summarise_months__a_new_volunteer_has_no_months() -> None:
    """Joining alone makes no month."""
    summary = summarise_months(history())

    assert summary.months == {}
    assert summary.up_to(None) == Month()


def test_summarise_months__a_redemption_alone_makes_a_month_without_services() -> None:
    """A month of only spending has 0 services, 0 hours and 0 points earned."""
    summary = summarise_months(history(redemption("2026-10-20", 50)))

    october = summary.months["2026-10"]
    assert (october.services, october.hours, october.points, october.spent) == (
        0,
        Decimal(0),
        0,
        50,
    )


# Month -----------------------------------------------------------------------


def test_month__totals_over_its_activities() -> None:
    """A month's services, hours and points are its activities' added up."""
    october = month(("cleanup", 2, "3.5", 9), ("repair", 3, "1", 9))

    assert (october.services, october.hours, october.points) == (5, Decimal("4.5"), 18)


def test_month__an_empty_month_is_all_zeros() -> None:
    """No activities: nothing done, and the hours are an exact 0."""
    empty = Month()

    assert (empty.services, empty.hours, empty.points, empty.spent) == (
        0,
        Decimal(0),
        0,
        0,
    )


# total_of --------------------------------------------------------------------


def test_total_of__adds_months_activity_by_activity() -> None:
    """The same activity in two months adds up; spending too."""
    first = month(("cleanup", 1, "2", 6), spent=10)
    second = month(("cleanup", 2, "1.5", 3), ("class", 1, "0", 5), spent=20)

    total = total_of([first, second])

    assert total == month(("cleanup", 3, "3.5", 9), ("class", 1, "0", 5), spent=30)


def test_total_of__leaves_the_months_it_adds_unchanged() -> None:
    """Adding is not done in place: the cached months stay as they were."""
    first = month(("cleanup", 1, "2", 6), spent=10)
    second = month(("cleanup", 2, "1.5", 3))

    total_of([first, second])

    assert first == month(("cleanup", 1, "2", 6), spent=10)
    assert second == month(("cleanup", 2, "1.5", 3))


def test_total_of__nothing_is_an_empty_month() -> None:
    """No months add up to an empty one."""
    assert total_of([]) == Month()


# VolunteerMonths -------------------------------------------------------------


def test_totals__adds_only_the_months_between_first_and_last() -> None:
    """October to October is October alone; open ends take every month that side."""
    summary = summarise_months(
        history(service("2026-10-02", "repair", 3), service("2026-11-02", "repair", 5))
    )

    assert summary.totals("2026-10", "2026-10").points == 3
    assert summary.totals("2026-11", None).points == 5
    assert summary.totals(None, None).points == 8


def test_up_to__includes_the_month_named_and_every_earlier_one() -> None:
    """Up to November: September to November; None: every month."""
    summary = summarise_months(
        history(
            service("2026-09-30", "cleanup", 3, "1"),
            service("2026-11-30", "cleanup", 6, "2"),
            service("2026-12-01", "cleanup", 9, "3"),
        )
    )

    assert summary.up_to("2026-10").hours == Decimal(1)
    assert summary.up_to("2026-11").hours == Decimal(3)
    assert summary.up_to(None).hours == Decimal(6)


def test_since__is_the_month_joined() -> None:
    """Joined in September: from September, whether they served later or not yet."""
    served = summarise_months(
        history(service("2026-10-02", "repair", 3), joined="2026-09-15")
    )
    idle = summarise_months(history(joined="2026-09-15"))

    assert (served.since, idle.since) == ("2026-09", "2026-09")


def test_since__is_an_earlier_month_of_service_dated_before_joining() -> None:
    """Services dated before the day of registering count from their own month."""
    summary = summarise_months(
        history(
            service("2026-11-20", "repair", 3),
            service("2026-08-31", "repair", 3),
            joined="2026-11-05",
        )
    )

    assert summary.since == "2026-08"


def test_volunteer_months__survives_the_cache_round_trip() -> None:
    """Encoded and decoded as the store's cache does, exact hours and all."""
    summary = summarise_months(
        history(
            service("2026-10-02", "cleanup", 6, "2.25"),
            redemption("2026-10-20", 10),
            team="银发互助队",
        )
    )

    again = msgspec.msgpack.decode(
        msgspec.msgpack.encode(summary), type=VolunteerMonths
    )

    assert again == summary
    assert again.months["2026-10"].hours == Decimal("2.25")


_EVENTS = st.lists(
    st.tuples(
        st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 12, 31)),
        st.sampled_from(["cleanup", "repair", "class"]),
        st.integers(min_value=0, max_value=30),
        st.none() | st.decimals(min_value=0, max_value=24, places=2),
        st.booleans(),
    ),
    max_size=30,
)


@given(_EVENTS)
def test_summarise_months__totals_equal_the_sums_of_the_events(
    drawn: list[tuple[dt.date, str, int, Decimal | None, bool]],
) -> None:
    """All months add up to every service's points and hours and every redemption."""
    events: list[Service | Redemption] = []
    for number, (date, activity, points, hours, spending) in enumerate(drawn):
        if spending:
            events.append(
                Redemption(
                    id=f"r{number}",
                    date=date,
                    at=MOMENT,
                    by="staff",
                    items=(RedeemedItem("rice", 1, points),),
                    points=points,
                )
            )
        else:
            events.append(
                Service(
                    id=f"s{number}",
                    date=date,
                    at=MOMENT,
                    by="staff",
                    activity=activity,
                    points=points,
                    hours=hours,
                )
            )

    total = summarise_months(history(*events)).up_to(None)

    services = [event for event in events if isinstance(event, Service)]
    assert total.services == len(services)
    assert total.points == sum(event.points for event in services)
    assert total.hours == sum(
        (event.hours or Decimal(0) for event in services), Decimal(0)
    )
    assert total.spent == sum(
        event.points for event in events if isinstance(event, Redemption)
    )
