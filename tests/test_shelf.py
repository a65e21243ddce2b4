"""Tests for jifen.shelf: stock, vouchers and redemption limits, from inline events."""

import datetime as dt
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jifen.accounts import account_of
from jifen.errors import JifenError
from jifen.events import (
    RedeemedItem,
    Redemption,
    Restock,
    Service,
    ShelfEvent,
    Stocktake,
    Volunteer,
    VolunteerHistory,
    VoucherUse,
)
from jifen.ledger import Ledger
from jifen.reports import Period, month_period
from jifen.rules import DEFAULT_RULES_PATH, Rules, parse_rules
from jifen.shelf import (
    ShelfLine,
    TakenLine,
    Voucher,
    check_available,
    check_limits,
    limit_period,
    quarter_period,
    redeemed_quantities,
    select_vouchers,
    shelf_view,
    stock_levels,
    taken_lines,
    vouchers,
)

RULES_TOML = """\
[activities.class]
label = "公益课授课"
per = "session"
points = 5

[shelf]
low_stock = 5

[items.rice]
label = "大米"
points = 50
aliases = ["米"]

[items.eggs]
label = "鸡蛋"
points = 20
low_stock = 3

[offers.haircut]
label = "理发"
partner = "老街理发店"
points = 20
aliases = ["剪头发"]
monthly_quota = 2

[offers.coupon]
label = "超市10元代金券"
partner = "邻里惠超市"
points = 25
"""
MOMENT = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
NOVEMBER = month_period(2026, 11)


def rules(shelf: str = "") -> Rules:
    """The small rules above: rice and eggs on the shelf, a haircut and a coupon.

    `shelf` adds lines to the [shelf] table, e.g. 'once_per = "month"'.
    """
    text = RULES_TOML.replace("low_stock = 5\n", f"low_stock = 5\n{shelf}\n", 1)
    return parse_rules(text.encode("utf-8"), Path("rules.toml"))


def day(text: str) -> dt.date:
    """A date written YYYY-MM-DD."""
    return dt.date.fromisoformat(text)


def restock(item: str, qty: int, date: str = "2026-11-01") -> Restock:
    """Goods arriving on the shelf."""
    return Restock(
        id=f"k-{item}-{qty}", date=day(date), at=MOMENT, by="staff", item=item, qty=qty
    )


def stocktake(
    item: str, counted: int, expected: int, date: str = "2026-11-30"
) -> Stocktake:
    """A count of `item`, kept with its difference from what the books expected."""
    return Stocktake(
        id=f"t-{item}-{counted}",
        date=day(date),
        at=MOMENT,
        by="staff",
        item=item,
        counted=counted,
        expected=expected,
        difference=counted - expected,
    )


def use(code: str, date: str) -> VoucherUse:
    """A voucher taken at its partner shop."""
    return VoucherUse(id=f"u-{code}", date=day(date), at=MOMENT, by="staff", code=code)


def service(points: int, date: str = "2026-10-02") -> Service:
    """Classes worth `points`."""
    return Service(
        id=f"s-{date}-{points}",
        date=day(date),
        at=MOMENT,
        by="staff",
        activity="class",
        points=points,
    )


def redemption(
    id: str,
    date: str,
    *lines: tuple[str, int, int] | tuple[str, int, int, tuple[str, ...]],
) -> Redemption:
    """A redemption of (item, quantity, points[, voucher codes]) lines."""
    items = tuple(RedeemedItem(*line) for line in lines)
    return Redemption(
        id=id,
        date=day(date),
        at=MOMENT,
        by="staff",
        items=items,
        points=sum(line.points for line in items),
    )


def history(name: str, *events: Service | Redemption) -> VolunteerHistory:
    """A volunteer who joined on 2026-10-01, with these events in this order."""
    record = Volunteer(
        id=f"v-{name}", date=day("2026-10-01"), at=MOMENT, by="staff", name=name
    )
    return VolunteerHistory(Path(f"data/volunteers/{name}.jsonl"), record, events)


def error_of(function: object, *args: object) -> str:
    """Call `function(*args)` and return the message of the JifenError it raises."""
    assert callable(function)
    with pytest.raises(JifenError) as caught:
        function(*args)
    return caught.value.message


def taken(histories: list[VolunteerHistory]) -> list[TakenLine]:
    """Everyone's redemption lines, as the ledger gets them from the cache."""
    return [line for each in histories for line in taken_lines(each)]


# taken_lines -------------------------------------------------------------------


def test_taken_lines__one_per_redemption_line_with_its_codes() -> None:
    """Services are skipped; each item of each redemption is one line."""
    volunteer = history(
        "李芳",
        service(200),
        redemption("r2", "2026-11-03", ("rice", 1, 50), ("haircut", 2, 40, ("A", "B"))),
    )

    lines = taken_lines(volunteer)

    assert lines == (
        TakenLine("李芳", "r2", dt.date(2026, 11, 3), "rice", 1),
        TakenLine("李芳", "r2", dt.date(2026, 11, 3), "haircut", 2, ("A", "B")),
    )


# redeemed_quantities ---------------------------------------------------------


def test_redeemed_quantities__adds_up_every_volunteers_lines() -> None:
    """Rice taken by two volunteers on three lines adds up; services are not goods."""
    histories = [
        history(
            "赵大爷", service(200), redemption("r1", "2026-10-20", ("rice", 2, 100))
        ),
        history(
            "李芳",
            redemption(
                "r2", "2026-11-03", ("rice", 1, 50), ("haircut", 2, 40, ("A", "B"))
            ),
        ),
    ]

    counts = redeemed_quantities(taken(histories))

    assert counts == Counter({"rice": 3, "haircut": 2})


def test_redeemed_quantities__counts_only_the_period_asked_for() -> None:
    """In November, October's rice does not count; 30 November does, 1 December not."""
    histories = [
        history(
            "赵大爷",
            redemption("r1", "2026-10-31", ("rice", 2, 100)),
            redemption("r2", "2026-11-30", ("rice", 1, 50)),
            redemption("r3", "2026-12-01", ("eggs", 1, 20)),
        )
    ]

    counts = redeemed_quantities(taken(histories), NOVEMBER)

    assert counts == Counter({"rice": 1})


# stock_levels ----------------------------------------------------------------


def test_stock_levels__is_restocked_less_redeemed_plus_stocktake_differences() -> None:
    """20 rice arrive, 3 are taken, a count finds 16 of the 17 expected: 16 left."""
    shelf_events: list[ShelfEvent] = [
        restock("rice", 12),
        restock("rice", 8, "2026-11-10"),
        stocktake("rice", counted=16, expected=17),
        use("ABC234", "2026-11-12"),
    ]

    stock = stock_levels(shelf_events, Counter({"rice": 3, "haircut": 1}))

    assert stock["rice"] == 16
    assert stock["eggs"] == 0


def test_stock_levels__does_not_depend_on_the_order_events_are_read_in() -> None:
    """Each stocktake keeps its own difference, so reading backwards gives the same."""
    shelf_events: list[ShelfEvent] = [
        restock("rice", 10),
        stocktake("rice", counted=7, expected=8),
        restock("eggs", 6),
        stocktake("eggs", counted=7, expected=6),
        restock("rice", 5, "2026-11-20"),
    ]
    redeemed = Counter({"rice": 2})

    forwards = stock_levels(shelf_events, redeemed)
    backwards = stock_levels(reversed(shelf_events), redeemed)

    assert forwards == backwards == Counter({"rice": 12, "eggs": 7})


# vouchers and select_vouchers ------------------------------------------------


def issued_vouchers() -> list[Voucher]:
    """赵大爷's two haircuts on 3 November (one used on the 5th), 李芳's coupon on the 1st."""
    histories = [
        history(
            "赵大爷",
            redemption(
                "r1", "2026-11-03", ("rice", 1, 50), ("haircut", 2, 40, ("KQ7", "DM3"))
            ),
        ),
        history("李芳", redemption("r2", "2026-11-01", ("coupon", 1, 25, ("ZZ9",)))),
    ]
    return vouchers(taken(histories), [restock("rice", 5), use("KQ7", "2026-11-05")])


def test_vouchers__lists_each_code_with_its_volunteer_and_use() -> None:
    """One voucher per unit of an offer, oldest first, then by code; goods have none."""
    issued = issued_vouchers()

    assert issued == [
        Voucher("ZZ9", "coupon", "李芳", day("2026-11-01"), "r2"),
        Voucher("DM3", "haircut", "赵大爷", day("2026-11-03"), "r1"),
        Voucher(
            "KQ7", "haircut", "赵大爷", day("2026-11-03"), "r1", used=day("2026-11-05")
        ),
    ]


@pytest.mark.parametrize(
    "partner", ["老街理发店", "haircut", "理发", "剪头发", "HAIRCUT"]
)
def test_select_vouchers__by_partner_shop_or_offer(partner: str) -> None:
    """A partner is named by its shop, or by its offer's key, label or alias."""
    chosen = select_vouchers(rules(), issued_vouchers(), partner=partner)

    assert [voucher.code for voucher in chosen] == ["DM3", "KQ7"]


def test_select_vouchers__only_the_open_ones() -> None:
    """--open leaves out the vouchers a shop has already taken."""
    chosen = select_vouchers(rules(), issued_vouchers(), only_open=True)

    assert [voucher.code for voucher in chosen] == ["ZZ9", "DM3"]


def test_select_vouchers__refuses_an_unknown_partner_and_lists_them() -> None:
    """A shop not in the rules is refused with the partners there are."""
    message = error_of(select_vouchers, rules(), issued_vouchers(), "理发店")

    assert message == "no partner '理发店'; the partners are: 老街理发店, 邻里惠超市"


# limit_period and quarter_period ---------------------------------------------


@pytest.mark.parametrize(
    ("date", "label", "start", "end"),
    [
        ("2026-01-01", "2026-Q1", "2026-01-01", "2026-03-31"),
        ("2026-03-31", "2026-Q1", "2026-01-01", "2026-03-31"),
        ("2026-04-01", "2026-Q2", "2026-04-01", "2026-06-30"),
        ("2026-08-15", "2026-Q3", "2026-07-01", "2026-09-30"),
        ("2026-11-03", "2026-Q4", "2026-10-01", "2026-12-31"),
    ],
)
def test_quarter_period__holds_the_calendar_quarter(
    date: str, label: str, start: str, end: str
) -> None:
    """Quarters run January–March, April–June, July–September, October–December."""
    period = quarter_period(day(date))

    assert period == Period(label, day(start), day(end))


@pytest.mark.parametrize(
    ("once_per", "start", "end"),
    [
        ("month", "2026-02-01", "2026-02-28"),
        ("quarter", "2026-01-01", "2026-03-31"),
        ("year", "2026-01-01", "2026-12-31"),
    ],
)
def test_limit_period__is_the_month_quarter_or_year(
    once_per: str, start: str, end: str
) -> None:
    """The limit's period is the calendar month, quarter or year of the redemption."""
    period = limit_period(once_per, day("2026-02-14"))

    assert (period.start, period.end) == (day(start), day(end))


# check_limits ----------------------------------------------------------------


def limits_of(rules_: Rules, volunteer: VolunteerHistory, date: str) -> None:
    """Check a redemption by `volunteer` on `date` against the rules' limits."""
    check_limits(rules_, account_of(volunteer), volunteer, day(date))


def test_check_limits__refuses_a_balance_below_the_minimum() -> None:
    """With min_balance = 100, a volunteer at 95 points may not redeem yet."""
    volunteer = history("赵大爷", service(95))

    message = error_of(limits_of, rules("min_balance = 100"), volunteer, "2026-11-03")

    assert message == (
        "赵大爷 has 95 points; this community redeems from 100 points up; "
        "nothing was redeemed"
    )


def test_check_limits__lets_the_minimum_itself_redeem() -> None:
    """Exactly min_balance points is enough, and no limits at all refuse nothing."""
    volunteer = history(
        "赵大爷", service(100), redemption("r1", "2026-11-01", ("rice", 1, 50))
    )

    limits_of(rules("min_balance = 50"), volunteer, "2026-11-03")
    limits_of(rules(), volunteer, "2026-11-03")


@pytest.mark.parametrize(
    ("once_per", "next_date"),
    [("month", "2026-12-01"), ("quarter", "2027-01-01"), ("year", "2027-01-01")],
)
def test_check_limits__refuses_a_second_redemption_in_the_period(
    once_per: str, next_date: str
) -> None:
    """Once per month, quarter or year: the message names the day and the next one."""
    volunteer = history(
        "赵大爷",
        service(300),
        redemption("r1", "2026-10-20", ("rice", 1, 50)),
        redemption("r2", "2026-11-03", ("eggs", 1, 20)),
    )

    message = error_of(
        limits_of, rules(f'once_per = "{once_per}"'), volunteer, "2026-11-20"
    )

    assert message == (
        "赵大爷 already redeemed on 2026-11-03; one redemption per "
        f"{once_per} is allowed; next redemption allowed from {next_date}"
    )


def test_check_limits__allows_one_redemption_in_each_new_period() -> None:
    """Once a quarter: a redemption in Q3 does not hold back one in Q4."""
    volunteer = history(
        "赵大爷", service(300), redemption("r1", "2026-09-30", ("rice", 1, 50))
    )

    limits_of(rules('once_per = "quarter"'), volunteer, "2026-10-01")


# check_available -------------------------------------------------------------


def available(
    wanted: list[tuple[str, int]], stock: dict[str, int], this_month: dict[str, int]
) -> None:
    """Check `wanted` (item, quantity) lines against stock and this month's redemptions."""
    lines = [RedeemedItem(item, qty, 0) for item, qty in wanted]
    check_available(rules(), lines, Counter(stock), Counter(this_month))


def test_check_available__refuses_more_goods_than_are_left() -> None:
    """One bag of rice left, two asked: refused, saying how many are left."""
    message = error_of(
        available, [("eggs", 1), ("rice", 2)], {"rice": 1, "eggs": 4}, {}
    )

    assert message == "rice (大米): 1 left, 2 asked; nothing was redeemed"


def test_check_available__refuses_a_good_never_restocked() -> None:
    """A good that never arrived has 0 left."""
    message = error_of(available, [("eggs", 1)], {}, {})

    assert message == "eggs (鸡蛋): 0 left, 1 asked; nothing was redeemed"


def test_check_available__refuses_an_offer_past_its_monthly_quota() -> None:
    """Two haircuts a month: after one, two more are refused, saying one is left."""
    message = error_of(available, [("haircut", 2)], {}, {"haircut": 1})

    assert message == (
        "haircut (理发): 1 of this month's 2 left, 2 asked; nothing was redeemed"
    )


def test_check_available__lets_the_last_unit_go() -> None:
    """The last bag, the last haircut of the month and an offer without quota pass."""
    available(
        [("rice", 1), ("haircut", 1), ("coupon", 50)],
        {"rice": 1},
        {"haircut": 1, "coupon": 400},
    )


# shelf_view ------------------------------------------------------------------


def test_shelf_view__shows_stock_quota_left_and_what_runs_low() -> None:
    """Rice 10 in, 4 out: 6, not low; eggs 3, low at their own 3; haircut 1 of 2."""
    histories = [
        history(
            "赵大爷",
            service(500),
            redemption("r1", "2026-10-20", ("rice", 2, 100)),
            redemption(
                "r2", "2026-11-03", ("rice", 2, 100), ("haircut", 1, 20, ("KQ7",))
            ),
            redemption(
                "r3", "2026-11-04", ("eggs", 1, 20), ("coupon", 2, 50, ("A", "B"))
            ),
        )
    ]
    shelf_events: list[ShelfEvent] = [restock("rice", 10), restock("eggs", 4)]

    lines = shelf_view(rules(), taken(histories), shelf_events, NOVEMBER)

    assert lines == [
        ShelfLine("rice", "大米", 50, None, stock=6, redeemed_this_month=2, low=False),
        ShelfLine("eggs", "鸡蛋", 20, None, stock=3, redeemed_this_month=1, low=True),
        ShelfLine(
            "haircut",
            "理发",
            20,
            "老街理发店",
            stock=1,
            redeemed_this_month=1,
            low=False,
        ),
        ShelfLine(
            "coupon",
            "超市10元代金券",
            25,
            "邻里惠超市",
            stock=None,
            redeemed_this_month=2,
            low=False,
        ),
    ]


def test_shelf_view__marks_an_offer_whose_quota_is_used_up() -> None:
    """Two haircuts in November use the quota: 0 left, marked low."""
    histories = [
        history(
            "赵大爷", redemption("r1", "2026-11-03", ("haircut", 2, 40, ("A", "B")))
        )
    ]

    lines = shelf_view(rules(), taken(histories), [], NOVEMBER)

    assert lines[2] == ShelfLine(
        "haircut", "理发", 20, "老街理发店", stock=0, redeemed_this_month=2, low=True
    )


# No commands drive stock or balance below zero -------------------------------

GOODS = {"rice": 50, "tissue": 10, "eggs": 20}
steps = st.lists(
    st.one_of(
        st.tuples(st.just("log"), st.sampled_from(sorted(GOODS)), st.integers(1, 30)),
        st.tuples(
            st.just("restock"), st.sampled_from(sorted(GOODS)), st.integers(1, 5)
        ),
        st.tuples(st.just("redeem"), st.sampled_from(sorted(GOODS)), st.integers(1, 4)),
        st.tuples(
            st.just("stocktake"), st.sampled_from(sorted(GOODS)), st.integers(0, 6)
        ),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=40, deadline=None)
@given(steps)
def test_ledger__no_commands_drive_stock_or_balance_below_zero(
    commands: list[tuple[str, str, int]],
) -> None:
    """Any restocks, redemptions, stocktakes and logs: stock and balance stay ≥ 0.

    A redemption goes through exactly when the shelf and the points both allow
    it; after every command the ledger agrees with a simple running count.
    """
    clock = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        shutil.copyfile(DEFAULT_RULES_PATH, home / "rules.toml")
        ledger = Ledger(home, by="staff", clock=lambda: clock)
        ledger.join("赵大爷", date="2026-10-01")
        stock = dict.fromkeys(GOODS, 0)
        balance = 0

        for command, item, number in commands:
            if command == "log":
                ledger.log("赵大爷", "class", times=str(number))
                balance += 5 * number
            elif command == "restock":
                ledger.restock(item, str(number))
                stock[item] += number
            elif command == "stocktake":
                ledger.stocktake(item, str(number))
                stock[item] = number
            elif number <= stock[item] and GOODS[item] * number <= balance:
                ledger.redeem("赵大爷", [f"{item}:{number}"])
                stock[item] -= number
                balance -= GOODS[item] * number
            else:
                with pytest.raises(JifenError, match="nothing was redeemed"):
                    ledger.redeem("赵大爷", [f"{item}:{number}"])

            shown = {line.item: line.stock for line in ledger.shelf(NOVEMBER)}
            account = account_of(ledger.history("赵大爷"))
            assert {item: shown[item] for item in GOODS} == stock
            assert account.balance == balance
            assert min(stock.values()) >= 0
            assert account.balance >= 0
