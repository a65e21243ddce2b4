"""Tests for the shelf at the CLI: restock, stocktake, shelf, redeem and vouchers.

Every refusal is checked as in test_cli: exit status 1, nothing on stdout, one
line on stderr, and every file in data/ byte-identical before and after.
"""

import json
import re
import shlex
from pathlib import Path

import pytest
from conftest import (
    Jifen,
    data_files,
    refused,
    setup,
    table_lines,
    today_in_shanghai,
    write_rules,
)

VOUCHER_LINE = re.compile(r"Voucher ([2-9A-Z]{6}): (.*)")


def shelf_json(jifen: Jifen, month: str = "2026-11") -> dict[str, dict[str, object]]:
    """`jifen shelf --format json` for a month, keyed by item."""
    result = jifen("shelf", "--month", month, "--format", "json")
    assert result.status == 0, result.err
    return {line["item"]: line for line in json.loads(result.out)}


def voucher_codes(output: str) -> list[str]:
    """The voucher codes a redemption printed, in order."""
    return [match[1] for match in map(VOUCHER_LINE.match, output.splitlines()) if match]


def shelf_lines(home: Path) -> list[dict[str, object]]:
    """The events in data/shelf.jsonl, as plain JSON objects."""
    text = (home / "data" / "shelf.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def zhao_with(jifen: Jifen, points: int) -> None:
    """Register 赵大爷 on 1 September and give him `points` (a multiple of 5) in classes."""
    setup(jifen, "join 赵大爷 --date 2026-09-01")
    while points > 0:
        times = min(points // 5, 100)
        setup(jifen, f"log 赵大爷 class --times {times} --date 2026-10-02")
        points -= 5 * times


# restock and the shelf -------------------------------------------------------


def test_restock__prints_what_arrived_and_the_stock_now(
    jifen: Jifen, home: Path
) -> None:
    """20 bags of rice arrive (typed 米); the stock is 20, kept in data/shelf.jsonl."""
    result = jifen(
        *shlex.split(
            "restock 米 20 --date 2026-11-01 --note 街道送来，共20袋。 --id k1"
        )
    )

    assert (result.status, result.err) == (0, "")
    assert (
        result.out == "Restocked 大米 (rice) +20 on 2026-11-01. In stock: 20. Id: k1\n"
    )
    [line] = shelf_lines(home)
    assert {
        key: line[key] for key in ("kind", "id", "date", "item", "qty", "note")
    } == {
        "kind": "restock",
        "id": "k1",
        "date": "2026-11-01",
        "item": "rice",
        "qty": 20,
        "note": "街道送来，共20袋。",
    }


def test_shelf__json_lists_every_good_and_offer(jifen: Jifen) -> None:
    """After restocks and a redemption: each good's stock, each offer's quota left."""
    zhao_with(jifen, 200)
    setup(
        jifen,
        "restock rice 20 --date 2026-11-01",
        "restock eggs 4 --date 2026-11-01",
        "redeem 赵大爷 rice:2 haircut eggs --date 2026-11-03",
    )

    result = jifen("shelf", "--month", "2026-11", "--format", "json")

    lines = json.loads(result.out)
    assert lines[:2] == [
        {
            "item": "rice",
            "label": "大米",
            "points": 50,
            "stock": 18,
            "partner": None,
            "redeemed_this_month": 2,
            "low": False,
        },
        {
            "item": "oil",
            "label": "食用油",
            "points": 60,
            "stock": 0,
            "partner": None,
            "redeemed_this_month": 0,
            "low": True,
        },
    ]
    assert [(line["item"], line["stock"], line["low"]) for line in lines[2:]] == [
        ("flour", 0, True),
        ("tissue", 0, True),
        ("detergent", 0, True),
        ("soap", 0, True),
        ("towel", 0, True),
        ("toothpaste", 0, True),
        ("dish-soap", 0, True),
        ("salt", 0, True),
        ("soy-sauce", 0, True),
        ("eggs", 3, True),
        ("noodles", 0, True),
        ("haircut", 19, False),
        ("care-visit", 8, False),
        ("market-coupon", None, False),
        ("hardware-discount", None, False),
    ]
    assert lines[13] == {
        "item": "haircut",
        "label": "理发",
        "points": 20,
        "stock": 19,
        "partner": "老街理发店",
        "redeemed_this_month": 1,
        "low": False,
    }


def test_shelf__another_month_counts_what_was_taken_then(jifen: Jifen) -> None:
    """--month 2026-10 counts October's redemptions; the stock is always today's."""
    zhao_with(jifen, 200)
    setup(
        jifen,
        "restock rice 20 --date 2026-10-01",
        "redeem 赵大爷 rice --date 2026-10-31",
        "redeem 赵大爷 rice:2 --date 2026-11-01",
    )

    october = shelf_json(jifen, "2026-10")
    november = shelf_json(jifen, "2026-11")

    assert (october["rice"]["stock"], october["rice"]["redeemed_this_month"]) == (17, 1)
    assert (november["rice"]["stock"], november["rice"]["redeemed_this_month"]) == (
        17,
        2,
    )


def test_shelf__table_shows_stock_low_marks_and_partners(
    jifen: Jifen, home: Path
) -> None:
    """The printed shelf: price, stock (low marked), taken this month, partner."""
    write_rules(
        home,
        '[community]\nname = "幸福里社区"\n\n'
        '[activities.class]\nper = "session"\npoints = 5\n\n'
        '[items.rice]\nlabel = "大米"\npoints = 50\n\n'
        '[items.eggs]\nlabel = "鸡蛋"\npoints = 20\nlow_stock = 3\n\n'
        '[offers.haircut]\nlabel = "理发"\npartner = "老街理发店"\npoints = 20\n'
        "monthly_quota = 2\n\n"
        '[offers.coupon]\nlabel = "代金券"\npartner = "邻里惠超市"\npoints = 25\n',
    )
    zhao_with(jifen, 100)
    setup(
        jifen,
        "restock rice 6 --date 2026-11-01",
        "restock eggs 3 --date 2026-11-01",
        "redeem 赵大爷 haircut:2 --date 2026-11-03",
    )

    result = jifen("shelf", "--month", "2026-11")

    assert table_lines(result.out) == [
        "Shelf (积分货架) — 幸福里社区: stock now, taken in 2026-11",
        " Item     Key       Points   In stock   Taken   Partner",
        "───────────────────────────────────────────────────────────",
        " 大米     rice          50          6       0",
        " 鸡蛋     eggs          20      3 low       0",
        " 理发     haircut       20     0 left       2   老街理发店",
        " 代金券   coupon        25          —       0   邻里惠超市",
    ]


# stocktake -------------------------------------------------------------------


def test_stocktake__records_a_loss_and_the_shelf_then_matches_the_count(
    jifen: Jifen, home: Path
) -> None:
    """10 rice in, 2 out: 8 expected; 7 counted is a loss of 1, and the shelf says 7."""
    zhao_with(jifen, 100)
    setup(
        jifen,
        "restock rice 10 --date 2026-11-01",
        "redeem 赵大爷 rice:2 --date 2026-11-03",
    )

    result = jifen("stocktake", "大米", "7", "--date", "2026-11-30", "--id", "t1")

    assert (result.status, result.err) == (0, "")
    assert result.out == (
        "Stocktake of 大米 (rice) on 2026-11-30: expected 8, counted 7: 1 missing, "
        "recorded as a loss. Id: t1\n"
    )
    assert {
        key: shelf_lines(home)[-1][key]
        for key in ("kind", "id", "item", "counted", "expected", "difference")
    } == {
        "kind": "stocktake",
        "id": "t1",
        "item": "rice",
        "counted": 7,
        "expected": 8,
        "difference": -1,
    }
    assert shelf_json(jifen)["rice"]["stock"] == 7


@pytest.mark.parametrize(
    ("counted", "outcome"),
    [
        ("12", "2 more than expected, recorded as a surplus"),
        ("10", "the books match the shelf"),
        ("0", "10 missing, recorded as a loss"),
    ],
)
def test_stocktake__says_surplus_match_or_loss(
    jifen: Jifen, counted: str, outcome: str
) -> None:
    """A count above, at or below what the books expect is named for what it is."""
    setup(jifen, "restock tissue 10 --date 2026-11-01")

    result = jifen("stocktake", "tissue", counted, "--date", "2026-11-30", "--id", "t1")

    assert result.out == (
        f"Stocktake of 卫生纸 (tissue) on 2026-11-30: expected 10, counted {counted}: "
        f"{outcome}. Id: t1\n"
    )
    assert shelf_json(jifen)["tissue"]["stock"] == int(counted)


# Redemption refusals ---------------------------------------------------------


def test_redeem__refuses_when_points_are_short(jifen: Jifen, home: Path) -> None:
    """赵大爷 at 98 points asks for oil and rice (110): 12 short, nothing redeemed."""
    zhao_with(jifen, 95)
    setup(
        jifen,
        "log 赵大爷 repair --date 2026-10-03",
        "restock rice 5 --date 2026-11-01",
        "restock oil 5 --date 2026-11-01",
    )

    message = refused(jifen, home, "redeem", "赵大爷", "oil", "rice")

    assert message == "赵大爷 needs 110, has 98: 12 short; nothing was redeemed"


def test_redeem__refuses_more_than_the_stock(jifen: Jifen, home: Path) -> None:
    """One bag of rice left and two asked: refused, however many points there are."""
    zhao_with(jifen, 500)
    setup(jifen, "restock rice 1 --date 2026-11-01")

    message = refused(jifen, home, "redeem", "赵大爷", "rice:2", "--date", "2026-11-03")

    assert message == "rice (大米): 1 left, 2 asked; nothing was redeemed"


def test_redeem__refuses_a_good_never_restocked(jifen: Jifen, home: Path) -> None:
    """Oil that never arrived has 0 left; the rice asked with it is not taken either."""
    zhao_with(jifen, 500)
    setup(jifen, "restock rice 5 --date 2026-11-01")

    message = refused(jifen, home, "redeem", "赵大爷", "rice", "油")

    assert message == "oil (食用油): 0 left, 1 asked; nothing was redeemed"


def test_redeem__refuses_an_offer_past_its_monthly_quota(
    jifen: Jifen, home: Path
) -> None:
    """8 care visits a month: after 8 in October a ninth is refused; November is new."""
    zhao_with(jifen, 400)
    setup(jifen, "redeem 赵大爷 care-visit:8 --date 2026-10-03")

    message = refused(
        jifen, home, "redeem", "赵大爷", "助老服务", "--date", "2026-10-31"
    )
    november = jifen("redeem", "赵大爷", "助老服务", "--date", "2026-11-01")

    assert message == (
        "care-visit (上门助老服务): 0 of this month's 8 left, 1 asked; "
        "nothing was redeemed"
    )
    assert november.status == 0, november.err


def test_redeem__refuses_a_balance_below_the_minimum(jifen: Jifen, home: Path) -> None:
    """With min_balance = 100, 95 points may not redeem even a 10-point tissue."""
    rules = home / "rules.toml"
    write_rules(
        home,
        rules.read_text(encoding="utf-8").replace(
            "min_balance = 0", "min_balance = 100"
        ),
    )
    zhao_with(jifen, 95)
    setup(jifen, "restock tissue 5 --date 2026-11-01")

    message = refused(jifen, home, "redeem", "赵大爷", "tissue", "--date", "2026-11-03")

    assert message == (
        "赵大爷 has 95 points; this community redeems from 100 points up; "
        "nothing was redeemed"
    )


def test_redeem__refuses_a_second_redemption_in_the_quarter(
    jifen: Jifen, home: Path
) -> None:
    """Once a quarter: after 3 November, the next is allowed from 1 January 2027."""
    rules = home / "rules.toml"
    write_rules(
        home,
        rules.read_text(encoding="utf-8").replace(
            "min_balance = 0", 'min_balance = 0\nonce_per = "quarter"'
        ),
    )
    zhao_with(jifen, 300)
    setup(
        jifen,
        "restock tissue 5 --date 2026-09-01",
        "redeem 赵大爷 tissue --date 2026-09-30",
        "redeem 赵大爷 tissue --date 2026-11-03",
    )

    message = refused(jifen, home, "redeem", "赵大爷", "理发", "--date", "2026-11-20")

    assert message == (
        "赵大爷 already redeemed on 2026-11-03; one redemption per quarter is "
        "allowed; next redemption allowed from 2027-01-01"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["rice2"], "no item 'rice2'; did you mean 'rice' (大米)?"),
        (["haircutt"], "no item 'haircutt'; did you mean 'haircut' (理发)?"),
        (["zzz"], "no item 'zzz'; type `jifen shelf` to see them all"),
        (
            ["rice:0"],
            "quantity '0' is not a whole number from 1 up; type e.g. rice:2",
        ),
    ],
)
def test_redeem__refuses_an_unknown_item(
    jifen: Jifen, home: Path, args: list[str], message: str
) -> None:
    """A good or offer not on the shelf is refused with the one meant, if any."""
    zhao_with(jifen, 100)
    setup(jifen, "restock rice 5 --date 2026-11-01")

    error = refused(jifen, home, "redeem", "赵大爷", *args)

    assert error == message


# Vouchers --------------------------------------------------------------------


def redeem_haircuts(jifen: Jifen, quantity: int = 1, extra: str = "") -> list[str]:
    """赵大爷 redeems haircuts on 3 November; return the voucher codes printed."""
    zhao_with(jifen, 100)
    result = jifen(
        *shlex.split(f"redeem 赵大爷 haircut:{quantity} --date 2026-11-03 {extra}")
    )
    assert result.status == 0, result.err
    return voucher_codes(result.out)


def test_redeem__an_offer_issues_one_voucher_per_unit(jifen: Jifen) -> None:
    """Two haircuts print two distinct codes to show at 老街理发店."""
    zhao_with(jifen, 100)

    result = jifen("redeem", "赵大爷", "剪头发:2", "--date", "2026-11-03", "--id", "r1")

    lines = result.out.splitlines()
    codes = voucher_codes(result.out)
    assert (result.status, result.err) == (0, "")
    assert lines[0] == "赵大爷 redeemed 理发 ×2 (40) on 2026-11-03: 40 points spent."
    assert [VOUCHER_LINE.sub(r"Voucher <code>: \2", line) for line in lines[1:]] == [
        "Voucher <code>: 理发 at 老街理发店. Show this code at the shop.",
        "Voucher <code>: 理发 at 老街理发店. Show this code at the shop.",
        "Balance left: 60 points. Id: r1",
    ]
    assert len(set(codes)) == 2


def test_voucher_list__open_vouchers_as_json(jifen: Jifen) -> None:
    """--open lists the voucher just issued, with its volunteer, offer and partner."""
    [code] = redeem_haircuts(jifen)

    result = jifen("voucher", "list", "--open", "--format", "json")

    assert json.loads(result.out) == [
        {
            "code": code,
            "volunteer": "赵大爷",
            "offer": "haircut",
            "label": "理发",
            "partner": "老街理发店",
            "points": 20,
            "issued": "2026-11-03",
            "used": None,
        }
    ]


def test_voucher_use__accepts_the_code_in_lowercase(jifen: Jifen, home: Path) -> None:
    """The shop's code typed in lowercase is used; it is no longer open afterwards."""
    [code] = redeem_haircuts(jifen)

    result = jifen("voucher", "use", code.lower(), "--date", "2026-11-05", "--id", "u1")
    still_open = jifen("voucher", "list", "--open", "--format", "json")

    assert (result.status, result.err) == (0, "")
    assert result.out == (
        f"Voucher {code} used on 2026-11-05: 理发 at 老街理发店, for 赵大爷.\n"
    )
    assert json.loads(still_open.out) == []
    assert {key: shelf_lines(home)[-1][key] for key in ("kind", "id", "code")} == {
        "kind": "voucher_use",
        "id": "u1",
        "code": code,
    }


def test_voucher_list__by_partner_shows_used_and_open(jifen: Jifen) -> None:
    """--partner 老街理发店 lists its vouchers, used ones with the day, others open."""
    first, second = sorted(redeem_haircuts(jifen, 2))
    setup(
        jifen,
        "redeem 赵大爷 market-coupon --date 2026-11-04",
        f"voucher use {first} --date 2026-11-05",
    )

    result = jifen("voucher", "list", "--partner", "老街理发店")

    assert table_lines(result.out) == [
        "Vouchers",
        " Code     Volunteer   Offer   Partner      Issued       Used",
        "───────────────────────────────────────────────────────────────────",
        f" {first}   赵大爷      理发    老街理发店   2026-11-03   2026-11-05",
        f" {second}   赵大爷      理发    老街理发店   2026-11-03   open",
    ]


def test_voucher_list__says_when_nothing_matches(jifen: Jifen) -> None:
    """No vouchers at all: one friendly line, not an empty table."""
    result = jifen("voucher", "list", "--open")

    assert result.out == "No vouchers match.\n"


def test_voucher_use__refuses_a_second_use(jifen: Jifen, home: Path) -> None:
    """A used voucher is refused, saying when it was used and for whom."""
    [code] = redeem_haircuts(jifen)
    setup(jifen, f"voucher use {code} --date 2026-11-05")

    message = refused(jifen, home, "voucher", "use", code, "--date", "2026-11-06")

    assert message == (
        f"voucher {code} (理发, 赵大爷) was already used on 2026-11-05; "
        "it cannot be used twice"
    )


def test_voucher_use__refuses_an_unknown_code(jifen: Jifen, home: Path) -> None:
    """A code no redemption issued is refused, shown in capitals, with the fix."""
    redeem_haircuts(jifen)

    message = refused(jifen, home, "voucher", "use", "zzzzzz")

    assert message == (
        "no voucher 'ZZZZZZ'; check the code on the slip, or type "
        "`jifen voucher list --open` to see the open ones"
    )


def test_voucher_use__refuses_a_day_before_the_voucher_was_issued(
    jifen: Jifen, home: Path
) -> None:
    """A voucher issued on 3 November cannot have been used on the 2nd."""
    [code] = redeem_haircuts(jifen)

    message = refused(jifen, home, "voucher", "use", code, "--date", "2026-11-02")

    assert message == (
        f"voucher {code} was issued on 2026-11-03; it cannot be used before that; "
        "check --date"
    )


def test_voucher_list__refuses_an_unknown_partner(jifen: Jifen, home: Path) -> None:
    """A shop that is not a partner is refused with the partners there are."""
    message = refused(jifen, home, "voucher", "list", "--partner", "理发店")

    assert message == (
        "no partner '理发店'; the partners are: 康乐居家养老服务站, 老王五金店, "
        "老街理发店, 邻里惠超市"
    )


# Restock and stocktake refusals ----------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["restock", "rice", "0"],
            "quantity '0' is not a whole number from 1 up; type e.g. jifen restock rice 20",
        ),
        (
            ["restock", "rice", "10000"],
            "quantity 10000 is more than 9999; check the number",
        ),
        (
            ["restock", "rice", "-5"],
            "quantity '-5' is not a whole number from 1 up; type e.g. jifen restock rice 20",
        ),
        (
            ["stocktake", "rice", "-1"],
            "count '-1' is not a whole number from 0 up; type e.g. jifen stocktake rice 12",
        ),
        (
            ["restock", "rice", "两"],
            "quantity '两' is not a whole number from 1 up; type e.g. jifen restock rice 20",
        ),
        (
            ["restock", "rice2", "5"],
            "no item 'rice2'; did you mean 'rice' (大米)?",
        ),
        (
            ["restock", "haircut", "5"],
            "haircut (理发) is a service of 老街理发店, paid by voucher; it has no stock to restock or count",
        ),
        (
            ["stocktake", "rice", "abc"],
            "count 'abc' is not a whole number from 0 up; type e.g. jifen stocktake rice 12",
        ),
        (
            ["stocktake", "rice", "5", "--date", "2999-01-01"],
            "--date 2999-01-01 is in the future (today is {today}); check the date",
        ),
    ],
)
def test_restock_and_stocktake__refuse_bad_input(
    jifen: Jifen, home: Path, args: list[str], message: str
) -> None:
    """A quantity or count that is not a number, or an item not a good, is refused."""
    setup(jifen, "restock rice 5 --date 2026-11-01")

    error = refused(jifen, home, *args)

    assert error == message.format(today=today_in_shanghai().isoformat())


# A retried --id records nothing twice ----------------------------------------


def test_restock__a_retried_id_records_nothing_twice(jifen: Jifen, home: Path) -> None:
    """The same restock with the same --id says so and adds nothing."""
    setup(jifen, "restock rice 10 --date 2026-11-01 --id k1")
    before = data_files(home)

    result = jifen("restock", "rice", "10", "--date", "2026-11-01", "--id", "k1")

    assert result.out.splitlines() == [
        "Already recorded (id k1); nothing written.",
        "Restocked 大米 (rice) +10 on 2026-11-01. In stock: 10. Id: k1",
    ]
    assert data_files(home) == before


def test_stocktake__a_retried_id_records_nothing_twice(
    jifen: Jifen, home: Path
) -> None:
    """A count retried after more rice was taken is the same count, not a new loss."""
    zhao_with(jifen, 100)
    setup(
        jifen,
        "restock rice 10 --date 2026-11-01",
        "stocktake rice 8 --date 2026-11-02 --id t1",
        "redeem 赵大爷 rice --date 2026-11-03",
    )
    before = data_files(home)

    result = jifen("stocktake", "rice", "8", "--date", "2026-11-02", "--id", "t1")

    assert (result.status, result.err) == (0, "")
    assert result.out == (
        "Already recorded (id t1); nothing written.\n"
        "Stocktake of 大米 (rice) on 2026-11-02: expected 10, counted 8: 2 missing, "
        "recorded as a loss. Id: t1\n"
    )
    assert data_files(home) == before
    assert shelf_json(jifen)["rice"]["stock"] == 7


def test_stocktake__refuses_an_id_used_for_another_count(
    jifen: Jifen, home: Path
) -> None:
    """The same --id with another count is a different entry, refused."""
    setup(
        jifen,
        "restock rice 10 --date 2026-11-01",
        "stocktake rice 8 --date 2026-11-02 --id t1",
    )

    message = refused(
        jifen, home, "stocktake", "rice", "9", "--date", "2026-11-02", "--id", "t1"
    )

    assert message == (
        "--id t1 was already used on 2026-11-02 for a different entry; use a new id"
    )


def test_redeem__a_retried_offer_issues_no_second_voucher(
    jifen: Jifen, home: Path
) -> None:
    """Redeeming a haircut again with the same --id prints the same code, writes none."""
    [code] = redeem_haircuts(jifen, extra="--id r1")
    before = data_files(home)

    result = jifen("redeem", "赵大爷", "haircut", "--date", "2026-11-03", "--id", "r1")
    listed = jifen("voucher", "list", "--format", "json")

    assert result.out.splitlines() == [
        "Already recorded (id r1); nothing written.",
        "赵大爷 redeemed 理发 ×1 (20) on 2026-11-03: 20 points spent.",
        f"Voucher {code}: 理发 at 老街理发店. Show this code at the shop.",
        "Balance left: 80 points. Id: r1",
    ]
    assert data_files(home) == before
    assert [voucher["code"] for voucher in json.loads(listed.out)] == [code]


def test_redeem__a_retry_is_not_refused_by_the_limit_its_first_run_set(
    jifen: Jifen, home: Path
) -> None:
    """Once a month: the retried redemption is the same one, not a second."""
    rules = home / "rules.toml"
    write_rules(
        home,
        rules.read_text(encoding="utf-8").replace(
            "min_balance = 0", 'min_balance = 0\nonce_per = "month"'
        ),
    )
    zhao_with(jifen, 100)
    setup(
        jifen,
        "restock rice 1 --date 2026-11-01",
        "redeem 赵大爷 rice --date 2026-11-03 --id r1",
    )
    before = data_files(home)

    result = jifen("redeem", "赵大爷", "rice", "--date", "2026-11-03", "--id", "r1")

    assert result.out.splitlines()[0] == "Already recorded (id r1); nothing written."
    assert data_files(home) == before


def test_voucher_use__a_retried_id_records_nothing_twice(
    jifen: Jifen, home: Path
) -> None:
    """Using a voucher again with the same --id is not a second use, and writes nothing."""
    [code] = redeem_haircuts(jifen)
    setup(jifen, f"voucher use {code} --date 2026-11-05 --id u1")
    before = data_files(home)

    result = jifen("voucher", "use", code, "--date", "2026-11-05", "--id", "u1")

    assert (result.status, result.err) == (0, "")
    assert result.out == (
        "Already recorded; nothing written.\n"
        f"Voucher {code} used on 2026-11-05: 理发 at 老街理发店, for 赵大爷.\n"
    )
    assert data_files(home) == before


# The shelf's file and its rules ----------------------------------------------

RESTOCK = (
    '{"kind":"restock","v":1,"id":"k1","date":"2026-11-01",'
    '"at":"2026-11-01T09:00:00+08:00","by":"staff","item":"rice","qty":20}'
)


@pytest.mark.parametrize(
    "command",
    [
        ["shelf"],
        ["restock", "rice", "5"],
        ["stocktake", "rice", "5"],
        ["redeem", "赵大爷", "rice"],
        ["voucher", "list"],
    ],
)
def test_any_shelf_command__stops_at_a_damaged_line(
    jifen: Jifen, home: Path, command: list[str]
) -> None:
    """Broken JSON in data/shelf.jsonl stops every shelf command with FILE:LINE:."""
    zhao_with(jifen, 100)
    path = home / "data" / "shelf.jsonl"
    path.write_text(f"{RESTOCK}\n{RESTOCK[:40]}\n{RESTOCK}\n", encoding="utf-8")

    message = refused(jifen, home, *command)

    assert message == (
        f"{path}:2: damaged line (Input data was truncated); nothing was changed; "
        "restore that line from a backup"
    )


CLASS_ONLY = """\
[activities.class]
label = "公益课授课"
per = "session"
points = 5
"""
RICE = '\n[items.rice]\nlabel = "大米"\npoints = 50\naliases = ["米"]\n'
HAIRCUT = '\n[offers.haircut]\nlabel = "理发"\npartner = "老街理发店"\npoints = 20\n'


@pytest.mark.parametrize(
    ("text", "line_and_message"),
    [
        (
            CLASS_ONLY + "\n[shelf]\nmin_points = 10\n",
            "7: unknown field 'min_points' in [shelf]; "
            "allowed here: low_stock, min_balance, once_per",
        ),
        (
            CLASS_ONLY + RICE.replace("points = 50", "points = -50"),
            "8: points = -50 must be a whole number of at least 1",
        ),
        (
            CLASS_ONLY + HAIRCUT.replace("points = 20", "points = -20"),
            "9: points = -20 must be a whole number of at least 1",
        ),
        (
            CLASS_ONLY + RICE + HAIRCUT + 'aliases = ["米"]\n',
            "15: '米' already names 'rice'; give each a distinct alias",
        ),
        (
            CLASS_ONLY + '\n[shelf]\nonce_per = "quater"\n' + RICE,
            "7: once_per = 'quater' is not known; did you mean once_per = 'quarter'?",
        ),
    ],
    ids=[
        "unknown-shelf-field",
        "negative-item-price",
        "negative-offer-price",
        "alias-of-a-good-and-an-offer",
        "misspelt-once-per",
    ],
)
def test_any_shelf_command__reports_a_broken_shelf_in_the_rules(
    jifen: Jifen, home: Path, text: str, line_and_message: str
) -> None:
    """Each mistake in [shelf], [items] or [offers] names rules.toml, its line, the fix."""
    path = write_rules(home, text)

    message = refused(jifen, home, "shelf")

    assert message == f"{path}:{line_and_message}"


# The voucher group -----------------------------------------------------------


def test_voucher__bare_shows_its_help(jifen: Jifen) -> None:
    """`jifen voucher` alone prints its commands on stdout and exits 0."""
    result = jifen("voucher")

    assert (result.status, result.err) == (0, "")
    assert result.out.startswith("Usage: jifen voucher [OPTIONS] COMMAND [ARGS]...")
    assert "  use   Mark a voucher used at the partner shop" in result.out
