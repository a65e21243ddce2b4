"""Tests for jifen.accounts: balances, hours and the passbook, replayed from events."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from jifen.accounts import (
    Account,
    PassbookLine,
    account_of,
    describe_redemption,
    describe_service,
    hours_logged_on,
    passbook,
)
from jifen.events import (
    RedeemedItem,
    Redemption,
    Service,
    Volunteer,
    VolunteerHistory,
)
from jifen.rules import Rules, parse_rules

RULES_TOML = """\
[levels.hard]
label = "较难"
bonus = 1

[activities.cleanup]
label = "环境卫生整治"
per = "hour"
points = 3

[activities.class]
label = "公益课授课"
per = "session"
points = 5

[items.rice]
label = "大米"
points = 50

[items.oil]
label = "食用油"
points = 60
"""
MOMENT = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def rules() -> Rules:
    """The small rules above: cleanup 3 per hour, class 5 per session, rice and oil."""
    return parse_rules(RULES_TOML.encode("utf-8"), Path("rules.toml"))


def service(
    id: str,
    date: str,
    activity: str,
    points: int,
    hours: str | None = None,
    **extra: object,
) -> Service:
    """A service as it would be stored."""
    return Service(
        id=id,
        date=dt.date.fromisoformat(date),
        at=MOMENT,
        by="staff",
        activity=activity,
        points=points,
        hours=Decimal(hours) if hours is not None else None,
        **extra,  # type: ignore[arg-type]
    )


def redemption(id: str, date: str, *lines: tuple[str, int, int]) -> Redemption:
    """A redemption of (item, quantity, points) lines."""
    items = tuple(RedeemedItem(item, qty, points) for item, qty, points in lines)
    return Redemption(
        id=id,
        date=dt.date.fromisoformat(date),
        at=MOMENT,
        by="staff",
        items=items,
        points=sum(line.points for line in items),
    )


def history(
    *events: Service | Redemption, phone: str | None = None
) -> VolunteerHistory:
    """王大江 of 银发互助队, joined 2026-10-01, with these events in this order."""
    record = Volunteer(
        id="v1",
        date=dt.date(2026, 10, 1),
        at=MOMENT,
        by="staff",
        name="王大江",
        team="银发互助队",
        phone=phone,
    )
    return VolunteerHistory(Path("data/volunteers/王大江.jsonl"), record, events)


# account_of ------------------------------------------------------------------


def test_account_of__adds_up_points_and_hours() -> None:
    """95 points, then a 1-hour repair at 3: earned 98, hours exact, one redemption."""
    file = history(
        service("s1", "2026-10-02", "cleanup", 92, hours="30.5"),
        service("s2", "2026-10-03", "class", 3),
        redemption("r1", "2026-10-04", ("rice", 1, 50)),
        service("s3", "2026-10-05", "cleanup", 3, hours="1.25"),
    )

    account = account_of(file)

    assert account == Account(
        name="王大江",
        team="银发互助队",
        joined=dt.date(2026, 10, 1),
        earned=98,
        redeemed=50,
        hours=Decimal("31.75"),
        services=3,
    )
    assert account.balance == 48


def test_account_of__starts_at_zero() -> None:
    """A volunteer who has done nothing has 0 of everything."""
    account = account_of(history(phone="13812345678"))

    assert (account.earned, account.redeemed, account.balance, account.hours) == (
        0,
        0,
        0,
        Decimal(0),
    )


@given(
    st.lists(
        st.tuples(
            st.booleans(),
            st.integers(0, 500),
            st.decimals(min_value=Decimal("0.01"), max_value=Decimal(24), places=2),
        ),
        max_size=20,
    )
)
def test_account_of__balance_is_earned_minus_redeemed(
    steps: list[tuple[bool, int, Decimal]],
) -> None:
    """For any events, balance = Σ service points − Σ redemption points; hours exact."""
    events: list[Service | Redemption] = [
        service(f"s{n}", "2026-10-02", "cleanup", points, hours=str(hours))
        if is_service
        else redemption(f"r{n}", "2026-10-02", ("rice", 1, points or 1))
        for n, (is_service, points, hours) in enumerate(steps)
    ]

    account = account_of(history(*events))

    earned = sum(event.points for event in events if isinstance(event, Service))
    redeemed = sum(event.points for event in events if isinstance(event, Redemption))
    hours = sum(
        (event.hours or Decimal(0) for event in events if isinstance(event, Service)),
        Decimal(0),
    )
    assert (account.earned, account.redeemed) == (earned, redeemed)
    assert account.balance == earned - redeemed
    assert account.hours == hours
    assert type(account.hours) is Decimal


# hours_logged_on -------------------------------------------------------------


def test_hours_logged_on__counts_one_activity_on_one_day() -> None:
    """Only that activity's hours on that date, each service's own, in order."""
    events = (
        service("s1", "2026-10-02", "cleanup", 3, hours="1.5"),
        service("s2", "2026-10-02", "cleanup", 6, hours="2"),
        service("s3", "2026-10-03", "cleanup", 3, hours="1"),
        service("s4", "2026-10-02", "class", 5, hours="2"),
        redemption("r1", "2026-10-02", ("rice", 1, 50)),
    )

    hours = hours_logged_on(events, "cleanup", dt.date(2026, 10, 2))

    assert hours == [Decimal("1.5"), Decimal("2")]


# describe_service and describe_redemption ------------------------------------


def test_describe_service__shows_label_times_and_level() -> None:
    """Two hard classes read '公益课授课 ×2 (较难)'."""
    text = describe_service(
        rules(), service("s1", "2026-10-02", "class", 12, times=2, level="hard")
    )

    assert text == "公益课授课 ×2 (较难)"


def test_describe_service__shows_keys_the_rules_no_longer_have() -> None:
    """An activity or level dropped from rules.toml still shows, by its key."""
    text = describe_service(
        rules(), service("s1", "2026-10-02", "gone", 3, level="extreme")
    )

    assert text == "gone (extreme)"


def test_describe_redemption__lists_each_item_with_its_quantity() -> None:
    """A bottle of oil and two bags of rice read '食用油 ×1, 大米 ×2'."""
    text = describe_redemption(
        rules(), redemption("r1", "2026-10-04", ("oil", 1, 60), ("rice", 2, 100))
    )

    assert text == "食用油 ×1, 大米 ×2"


def test_describe_redemption__shows_the_voucher_codes_of_an_offer() -> None:
    """An offer's line lists its voucher codes after the quantity; goods have none."""
    redeemed = Redemption(
        id="r1",
        date=dt.date(2026, 11, 3),
        at=MOMENT,
        by="staff",
        items=(
            RedeemedItem("rice", 1, 50),
            RedeemedItem("haircut", 2, 40, ("KQ7ABC", "DM3XYZ")),
        ),
        points=90,
    )

    text = describe_redemption(rules(), redeemed)

    assert text == "大米 ×1, haircut ×2 (KQ7ABC DM3XYZ)"


# passbook --------------------------------------------------------------------


def test_passbook__keeps_a_running_balance_in_date_order() -> None:
    """Lines go by date (a late entry for 2 October comes first), balance after each."""
    file = history(
        service("s1", "2026-10-05", "cleanup", 60, hours="20.5", witness="李网格"),
        service("s2", "2026-10-02", "class", 5),
        redemption("r1", "2026-10-06", ("rice", 1, 50)),
        service("s3", "2026-10-02", "class", 3),
    )

    lines = passbook(rules(), file)

    assert lines == [
        PassbookLine(
            id="s2",
            date=dt.date(2026, 10, 2),
            kind="service",
            what="公益课授课",
            hours=None,
            points=5,
            balance=5,
            witness=None,
        ),
        PassbookLine(
            id="s3",
            date=dt.date(2026, 10, 2),
            kind="service",
            what="公益课授课",
            hours=None,
            points=3,
            balance=8,
            witness=None,
        ),
        PassbookLine(
            id="s1",
            date=dt.date(2026, 10, 5),
            kind="service",
            what="环境卫生整治",
            hours=Decimal("20.5"),
            points=60,
            balance=68,
            witness="李网格",
        ),
        PassbookLine(
            id="r1",
            date=dt.date(2026, 10, 6),
            kind="redemption",
            what="大米 ×1",
            hours=None,
            points=-50,
            balance=18,
            witness=None,
        ),
    ]


def test_passbook__carries_each_entrys_note() -> None:
    """A service's and a redemption's note come with their lines, punctuation kept."""
    file = history(
        service("s1", "2026-10-05", "class", 5, note="给老人讲防诈骗，效果好。"),
        Redemption(
            id="r1",
            date=dt.date(2026, 10, 6),
            at=MOMENT,
            by="staff",
            items=(RedeemedItem("rice", 1, 50),),
            points=50,
            note="代领",
        ),
        service("s2", "2026-10-07", "class", 5),
    )

    notes = [line.note for line in passbook(rules(), file)]

    assert notes == ["给老人讲防诈骗，效果好。", "代领", None]


def test_passbook__is_empty_for_a_new_volunteer() -> None:
    """No events, no lines."""
    lines = passbook(rules(), history())

    assert lines == []
