"""Tests for `jifen void` at the CLI: reversals (冲正) and what they refuse.

A void is a new line in the same file as the entry it reverses; the entry
stays, and from then on counts for nothing. Every refusal is checked as in
test_cli: exit status 1, nothing on stdout, one line on stderr, and every file
in data/ byte-identical before and after.
"""

import json
import re
from pathlib import Path
from typing import Any

from conftest import Jifen, data_files, refused, setup, volunteer_file

VOUCHER_LINE = re.compile(r"Voucher ([2-9A-Z]{6}): ")


def json_of(jifen: Jifen, *args: str) -> Any:
    """Run a read command with --format json and return what it printed, parsed."""
    result = jifen(*args, "--format", "json")
    assert (result.status, result.err) == (0, ""), result
    return json.loads(result.out)


def balance_of(jifen: Jifen, name: str) -> int:
    """A volunteer's balance, from `jifen balance NAME --format json`."""
    [account] = json_of(jifen, "balance", name)
    return int(account["balance"])


def stock_of(jifen: Jifen, item: str) -> int:
    """The shelf's stock of one item in November 2026."""
    shelf = json_of(jifen, "shelf", "--month", "2026-11")
    [stock] = [line["stock"] for line in shelf if line["item"] == item]
    return int(stock)


def lines_of(path: Path) -> list[dict[str, Any]]:
    """The entries of one file, as plain JSON objects."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def zhao_with_100(jifen: Jifen) -> None:
    """赵大爷 joins on 1 September and earns 100 points for 20 classes (id s1)."""
    setup(
        jifen,
        "join 赵大爷 --date 2026-09-01 --id v1",
        "log 赵大爷 class --times 20 --date 2026-10-02 --id s1",
    )


# Services --------------------------------------------------------------------


def test_void__a_service_takes_its_points_back(jifen: Jifen, home: Path) -> None:
    """Voiding a 3-point repair prints what was reversed; the balance is 5 again."""
    setup(
        jifen,
        "join 王大江 --date 2026-10-01",
        "log 王大江 repair --date 2026-10-02 --id s1",
        "log 王大江 class --date 2026-10-03 --id s2",
    )

    result = jifen(
        "void", "s1", "--reason", "录错了人", "--date", "2026-10-05", "--id", "x1"
    )

    assert (result.status, result.err) == (0, "")
    assert result.out == (
        "Voided s1 (维修家电, 王大江, 2026-10-02) on 2026-10-05: 录错了人. Id: x1\n"
    )
    assert balance_of(jifen, "王大江") == 5
    assert {
        key: lines_of(volunteer_file(home, "王大江"))[-1][key]
        for key in ("kind", "id", "date", "by", "target", "reason")
    } == {
        "kind": "void",
        "id": "x1",
        "date": "2026-10-05",
        "by": "staff",
        "target": "s1",
        "reason": "录错了人",
    }


def test_void__the_passbook_shows_both_lines(jifen: Jifen) -> None:
    """The voided service keeps its line; the correction takes its points back."""
    setup(
        jifen,
        "join 王大江 --date 2026-10-01",
        "log 王大江 repair --date 2026-10-02 --id s1",
        "log 王大江 class --date 2026-10-03 --id s2",
        "void s1 --reason 录错了人 --date 2026-10-05 --id x1",
    )

    lines = json_of(jifen, "passbook", "王大江")

    assert lines == [
        {
            "id": "s1",
            "date": "2026-10-02",
            "kind": "service",
            "what": "维修家电",
            "hours": None,
            "points": 3,
            "balance": 3,
            "witness": None,
            "note": None,
        },
        {
            "id": "s2",
            "date": "2026-10-03",
            "kind": "service",
            "what": "公益课授课",
            "hours": None,
            "points": 5,
            "balance": 8,
            "witness": None,
            "note": None,
        },
        {
            "id": "x1",
            "date": "2026-10-05",
            "kind": "void",
            "what": "冲正 s1",
            "hours": None,
            "points": -3,
            "balance": 5,
            "witness": None,
            "note": "录错了人",
        },
    ]


def test_void__a_service_leaves_the_hours_too(jifen: Jifen) -> None:
    """A voided 2.5-hour clean-up counts for neither points nor hours."""
    setup(
        jifen,
        "join 王大江 --date 2026-10-01",
        "log 王大江 cleanup --hours 2.5 --date 2026-10-02 --id s1",
        "log 王大江 cleanup --hours 1 --date 2026-10-03 --id s2",
    )

    setup(jifen, "void s1 --reason 重复登记 --date 2026-10-04")

    [account] = json_of(jifen, "balance", "王大江")
    assert {key: account[key] for key in ("earned", "balance", "hours")} == {
        "earned": 3,
        "balance": 3,
        "hours": 1,
    }


# Redemptions -----------------------------------------------------------------


def test_void__a_redemption_gives_back_points_and_stock(jifen: Jifen) -> None:
    """Voiding rice and two haircuts: 100 points again, rice 10, haircuts 20 left."""
    zhao_with_100(jifen)
    setup(
        jifen,
        "restock rice 10 --date 2026-11-01",
        "redeem 赵大爷 rice haircut:2 --date 2026-11-03 --id r1",
    )
    assert (balance_of(jifen, "赵大爷"), stock_of(jifen, "rice")) == (10, 9)

    result = jifen("void", "r1", "--reason", "拿错了", "--date", "2026-11-04")

    assert result.status == 0, result.err
    assert VOUCHER_LINE.sub("", result.out).startswith("Voided r1 (大米 ×1, 理发 ×2 (")
    assert balance_of(jifen, "赵大爷") == 100
    assert stock_of(jifen, "rice") == 10
    assert stock_of(jifen, "haircut") == 20


def test_void__a_redemptions_vouchers_disappear(jifen: Jifen) -> None:
    """The two haircut vouchers of a voided redemption are listed nowhere."""
    zhao_with_100(jifen)
    setup(jifen, "redeem 赵大爷 haircut:2 --date 2026-11-03 --id r1")
    assert len(json_of(jifen, "voucher", "list", "--open")) == 2

    setup(jifen, "void r1 --reason 拿错了 --date 2026-11-04")

    assert json_of(jifen, "voucher", "list") == []


def test_void__a_redemption_shows_as_points_back_in_the_passbook(
    jifen: Jifen,
) -> None:
    """The correction of a 50-point redemption is +50, with the reason as its note."""
    zhao_with_100(jifen)
    setup(
        jifen,
        "restock rice 1 --date 2026-11-01",
        "redeem 赵大爷 rice --date 2026-11-03 --id r1",
        "void r1 --reason 拿错了 --date 2026-11-04 --id x1",
    )

    lines = json_of(jifen, "passbook", "赵大爷")

    assert [
        (line["id"], line["kind"], line["what"], line["points"], line["balance"])
        for line in lines
    ] == [
        ("s1", "service", "公益课授课 ×20", 100, 100),
        ("r1", "redemption", "大米 ×1", -50, 50),
        ("x1", "void", "冲正 r1", 50, 100),
    ]
    assert lines[-1]["note"] == "拿错了"


# The shelf's entries ---------------------------------------------------------


def test_void__a_restock_takes_the_goods_off_the_books(
    jifen: Jifen, home: Path
) -> None:
    """A restock of 10 typed twice: voiding one leaves 10, the void in shelf.jsonl."""
    setup(
        jifen,
        "restock rice 10 --date 2026-11-01 --id k1",
        "restock rice 10 --date 2026-11-01 --id k2",
    )

    result = jifen("void", "k2", "--reason", "重复录入", "--date", "2026-11-02")

    assert result.status == 0, result.err
    assert result.out.startswith(
        "Voided k2 (restock of 大米, the shelf, 2026-11-01) on 2026-11-02: 重复录入. "
    )
    assert stock_of(jifen, "rice") == 10
    assert [
        (line["kind"], line.get("target"))
        for line in lines_of(home / "data" / "shelf.jsonl")
    ] == [("restock", None), ("restock", None), ("void", "k2")]


def test_void__a_stocktake_brings_the_stock_back(jifen: Jifen) -> None:
    """A count of 8 (2 lost) voided: the books say 10 again."""
    setup(
        jifen,
        "restock rice 10 --date 2026-11-01",
        "stocktake rice 8 --date 2026-11-02 --id t1",
    )
    assert stock_of(jifen, "rice") == 8

    result = jifen("void", "t1", "--reason", "数错了", "--date", "2026-11-02")

    assert result.status == 0, result.err
    assert result.out.startswith(
        "Voided t1 (stocktake of 大米, the shelf, 2026-11-02) on 2026-11-02: 数错了. "
    )
    assert stock_of(jifen, "rice") == 10


def test_void__a_voucher_use_opens_the_voucher_again(jifen: Jifen) -> None:
    """A voucher marked used by mistake is open again after its use is voided."""
    zhao_with_100(jifen)
    result = jifen("redeem", "赵大爷", "haircut", "--date", "2026-11-03")
    [code] = VOUCHER_LINE.findall(result.out)
    setup(jifen, f"voucher use {code} --date 2026-11-05 --id u1")

    voided = jifen("void", "u1", "--reason", "扫错了券", "--date", "2026-11-05")

    assert voided.out.startswith(
        f"Voided u1 (voucher {code} used, the shelf, 2026-11-05) on 2026-11-05: "
        "扫错了券. "
    )
    assert [
        voucher["code"] for voucher in json_of(jifen, "voucher", "list", "--open")
    ] == [code]


# Refusals --------------------------------------------------------------------


def test_void__refuses_an_unknown_id(jifen: Jifen, home: Path) -> None:
    """An id that is nowhere is refused, saying where ids are shown."""
    zhao_with_100(jifen)

    message = refused(jifen, home, "void", "nope", "--reason", "x")

    assert message == (
        "no entry with id 'nope'; the id is shown when an entry is made and in the "
        "passbook (`jifen passbook NAME`)"
    )


def test_void__refuses_a_second_void(jifen: Jifen, home: Path) -> None:
    """An entry already voided says when, by which correction, and why."""
    zhao_with_100(jifen)
    setup(jifen, "void s1 --reason 录错了 --date 2026-10-05 --id x1")

    message = refused(jifen, home, "void", "s1", "--reason", "again")

    assert message == "s1 was already voided on 2026-10-05 (id x1): 录错了"


def test_void__refuses_to_void_a_void(jifen: Jifen, home: Path) -> None:
    """A correction cannot itself be voided."""
    zhao_with_100(jifen)
    setup(jifen, "void s1 --reason 录错了 --date 2026-10-05 --id x1")

    message = refused(jifen, home, "void", "x1", "--reason", "undo")

    assert message == "x1 is itself a correction (of s1); it cannot be voided"


def test_void__refuses_a_registration(jifen: Jifen, home: Path) -> None:
    """A volunteer's registration is not an entry that can be reversed."""
    zhao_with_100(jifen)

    message = refused(jifen, home, "void", "v1", "--reason", "x")

    assert message == (
        "v1 is the registration of 赵大爷; a registration cannot be voided, only "
        "the entries after it"
    )


def test_void__refuses_a_redemption_whose_voucher_was_used(
    jifen: Jifen, home: Path
) -> None:
    """A haircut already given at the shop: void the voucher's use first."""
    zhao_with_100(jifen)
    result = jifen("redeem", "赵大爷", "haircut", "--date", "2026-11-03", "--id", "r1")
    [code] = VOUCHER_LINE.findall(result.out)
    setup(jifen, f"voucher use {code} --date 2026-11-05 --id u1")

    message = refused(jifen, home, "void", "r1", "--reason", "x")

    assert message == (
        f"voucher {code} of r1 was used at the shop on 2026-11-05; void that use "
        "first (id u1)"
    )


def test_void__refuses_a_service_whose_points_were_spent(
    jifen: Jifen, home: Path
) -> None:
    """100 earned, 60 spent on oil: taking the 100 back would leave −60."""
    zhao_with_100(jifen)
    setup(
        jifen,
        "restock oil 1 --date 2026-11-01",
        "redeem 赵大爷 oil --date 2026-11-03",
    )

    message = refused(jifen, home, "void", "s1", "--reason", "x")

    assert message == (
        "voiding s1 would leave 赵大爷 at -60 points, because the points were "
        "already spent; void the redemption first"
    )


def test_void__refuses_a_restock_whose_goods_were_handed_out(
    jifen: Jifen, home: Path
) -> None:
    """Two restocks of one bag, both bags taken: without k2 the stock would be −1."""
    zhao_with_100(jifen)
    setup(
        jifen,
        "restock rice 1 --date 2026-11-01 --id k1",
        "restock rice 1 --date 2026-11-01 --id k2",
        "redeem 赵大爷 rice:2 --date 2026-11-03",
    )

    message = refused(jifen, home, "void", "k2", "--reason", "x")

    assert message == (
        "voiding k2 would leave 大米 at -1 in stock, because some were already "
        "handed out; count the shelf with `jifen stocktake` instead"
    )


def test_void__refuses_a_date_before_the_entry(jifen: Jifen, home: Path) -> None:
    """A correction dated before the service it reverses is refused."""
    zhao_with_100(jifen)

    message = refused(
        jifen, home, "void", "s1", "--reason", "x", "--date", "2026-10-01"
    )

    assert message == (
        "s1 is dated 2026-10-02; its correction cannot be dated before that; "
        "check --date"
    )


def test_void__refuses_a_blank_reason(jifen: Jifen, home: Path) -> None:
    """A correction must say why."""
    zhao_with_100(jifen)

    message = refused(jifen, home, "void", "s1", "--reason", "  ")

    assert message == "give the reason for the correction, e.g. --reason 录错了时长"


def test_void__refuses_an_id_used_for_another_entry(jifen: Jifen, home: Path) -> None:
    """--id of the service itself cannot name its own correction."""
    zhao_with_100(jifen)

    message = refused(jifen, home, "void", "s1", "--reason", "x", "--id", "s1")

    assert message == (
        "--id s1 was already used on 2026-10-02 for a different entry; use a new id"
    )


# Retries ---------------------------------------------------------------------


def test_void__a_retried_id_records_nothing_twice(jifen: Jifen, home: Path) -> None:
    """The same void with the same --id says so, and writes nothing."""
    zhao_with_100(jifen)
    setup(jifen, "void s1 --reason 录错了 --date 2026-10-05 --id x1")
    before = data_files(home)

    result = jifen(
        "void", "s1", "--reason", "录错了", "--date", "2026-10-05", "--id", "x1"
    )

    assert (result.status, result.err) == (0, "")
    assert result.out.splitlines() == [
        "Already recorded (id x1); nothing written.",
        "Voided s1 (公益课授课 ×20, 赵大爷, 2026-10-02) on 2026-10-05: 录错了. Id: x1",
    ]
    assert data_files(home) == before
    assert balance_of(jifen, "赵大爷") == 0


def test_void__a_retried_shelf_void_records_nothing_twice(
    jifen: Jifen, home: Path
) -> None:
    """Retrying the void of a restock with its --id adds no second void."""
    setup(
        jifen,
        "restock rice 10 --date 2026-11-01 --id k1",
        "void k1 --reason 重复 --date 2026-11-02 --id x1",
    )
    before = data_files(home)

    result = jifen(
        "void", "k1", "--reason", "重复", "--date", "2026-11-02", "--id", "x1"
    )

    assert result.out.splitlines()[0] == "Already recorded (id x1); nothing written."
    assert data_files(home) == before
    assert stock_of(jifen, "rice") == 0


# The check after corrections -------------------------------------------------


def test_void__a_ledger_with_corrections_checks_clean(jifen: Jifen) -> None:
    """Points spent, earned again, then the first service voided: check finds nothing."""
    zhao_with_100(jifen)
    setup(
        jifen,
        "restock rice 1 --date 2026-11-01 --id k1",
        "restock rice 1 --date 2026-11-01 --id k2",
        "redeem 赵大爷 rice --date 2026-11-03",
        "log 赵大爷 class --times 20 --date 2026-11-04",
        "void s1 --reason 重复登记 --date 2026-11-05",
        "void k2 --reason 重复录入 --date 2026-11-05",
    )

    result = jifen("check")

    assert (result.status, result.out) == (
        0,
        "No problems: 2 files, 8 entries checked.\n",
    )
