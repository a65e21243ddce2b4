"""Tests for jifen.periods: months, years and all time, as people ask for them."""

import datetime as dt
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jifen.errors import JifenError
from jifen.periods import (
    Period,
    all_time,
    choose_period,
    last_full_month,
    month_key,
    month_period,
    months_back,
    year_period,
)

TODAY = dt.date(2026, 12, 3)


# month_period ----------------------------------------------------------------


def test_month_period__spans_the_whole_month() -> None:
    """October runs from the 1st to the 31st, both included."""
    october = month_period(2026, 10)

    assert october == Period("2026-10", dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert dt.date(2026, 10, 31) in october
    assert dt.date(2026, 11, 1) not in october
    assert dt.date(2026, 9, 30) not in october


def test_month_period__knows_leap_years() -> None:
    """February 2028 has 29 days; February 2026 and 2100 have 28."""
    ends = [month_period(year, 2).end for year in (2028, 2026, 2100)]

    assert ends == [dt.date(2028, 2, 29), dt.date(2026, 2, 28), dt.date(2100, 2, 28)]


def test_month_period__december_ends_on_new_years_eve() -> None:
    """December's last day is the 31st; 1 January is the next year's."""
    december = month_period(2026, 12)

    assert december.end == dt.date(2026, 12, 31)
    assert dt.date(2027, 1, 1) not in december


def test_month_period__first_and_last_month_are_itself() -> None:
    """A month reaches into itself only."""
    october = month_period(2026, 10)

    assert (october.first_month, october.last_month) == ("2026-10", "2026-10")


# year_period and all_time ----------------------------------------------------


def test_year_period__holds_its_twelve_months() -> None:
    """2026 runs from 1 January to 31 December and holds 2026-01 to 2026-12."""
    year = year_period(2026)

    assert (year.label, year.start, year.end) == (
        "2026",
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
    )
    assert (year.first_month, year.last_month) == ("2026-01", "2026-12")


def test_all_time__holds_every_date_and_has_no_end_months() -> None:
    """The open period holds the first and last day there can be; its months are open."""
    period = all_time()

    assert dt.date.min in period
    assert dt.date.max in period
    assert (period.label, period.first_month, period.last_month) == (
        "all time",
        None,
        None,
    )


# last_full_month -------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 12, 1), (2026, 11)),
        (dt.date(2026, 12, 31), (2026, 11)),
        (dt.date(2027, 1, 1), (2026, 12)),
        (dt.date(2026, 3, 31), (2026, 2)),
    ],
)
def test_last_full_month__is_the_month_before_today(
    today: dt.date, expected: tuple[int, int]
) -> None:
    """On any day of a month the last full month is the one before, across years."""
    assert last_full_month(today) == expected


# choose_period ---------------------------------------------------------------


def test_choose_period__defaults_to_the_current_month() -> None:
    """Without --month, --year or --all it is the month holding today."""
    assert choose_period(TODAY) == month_period(2026, 12)


def test_choose_period__month_year_and_all() -> None:
    """--month YYYY-MM, --year YYYY (full-width digits too) and --all."""
    assert choose_period(TODAY, month="2026-10") == month_period(2026, 10)
    assert choose_period(TODAY, year="２０２６") == year_period(2026)
    assert choose_period(TODAY, everything=True) == all_time()


@pytest.mark.parametrize(
    "given_options",
    [
        {"month": "2026-10", "everything": True},
        {"month": "2026-10", "year": "2026"},
        {"year": "2026", "everything": True},
    ],
)
def test_choose_period__refuses_more_than_one(given_options: dict[str, object]) -> None:
    """Two of --month, --year and --all contradict each other."""
    with pytest.raises(JifenError) as refused:
        choose_period(TODAY, **given_options)  # type: ignore[arg-type]

    assert refused.value.message == "give only one of --month, --year and --all"


@pytest.mark.parametrize("year", ["26", "2026-10", "二〇二六", "abcd"])
def test_choose_period__refuses_a_bad_year(year: str) -> None:
    """A year must be four digits; the message gives this year as the example."""
    with pytest.raises(JifenError) as refused:
        choose_period(TODAY, year=year)

    assert refused.value.message == (
        f"--year {year!r} is not a year; type it as YYYY, e.g. 2026"
    )


def test_choose_period__refuses_a_bad_month() -> None:
    """--month 2026-13 is not a month."""
    with pytest.raises(JifenError) as refused:
        choose_period(TODAY, month="2026-13")

    assert refused.value.message == (
        "--month '2026-13' is not a month; type it as YYYY-MM, e.g. 2026-11"
    )


# month_key and months_back ---------------------------------------------------


def test_month_key__the_31st_and_the_1st() -> None:
    """The 31st is its own month's; the 1st is the next month's."""
    keys = [month_key(dt.date(2026, 12, 31)), month_key(dt.date(2027, 1, 1))]

    assert keys == ["2026-12", "2027-01"]


def test_months_back__crosses_a_years_end_oldest_first() -> None:
    """The four months ending with February 2027 start in November 2026."""
    assert months_back(2027, 2, 4) == ["2026-11", "2026-12", "2027-01", "2027-02"]


def test_months_back__one_month_is_itself() -> None:
    """Counting one month back gives just that month."""
    assert months_back(2026, 1, 1) == ["2026-01"]


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)),
    st.integers(min_value=1, max_value=40),
)
def test_months_back__agrees_with_month_period(date: dt.date, count: int) -> None:
    """Each key is the month before the next, and the last is the month itself."""
    keys = months_back(date.year, date.month, count)

    assert len(keys) == count
    assert keys[-1] == month_key(date)
    for earlier, later in pairwise(keys):
        first_day = month_period(int(later[:4]), int(later[5:])).start
        assert first_day is not None
        assert month_key(first_day - dt.timedelta(days=1)) == earlier


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_month_period__holds_exactly_the_dates_of_its_key(date: dt.date) -> None:
    """A date lies in the month named by its own key, and not in the next one."""
    month = month_period(date.year, date.month)

    assert date in month
    assert month.label == month_key(date)
    assert month.end is not None
    assert month.end + dt.timedelta(days=1) not in month
