"""Tests for jifen.corrections: finding an entry by id and deciding if it may be voided.

The functions are pure, so every case is built from events in memory: a
volunteer's history and the shelf's entries, no files.
"""

import datetime as dt
from pathlib import Path

import pytest

from jifen.corrections import FoundEntry, check_void, find_entry
from jifen.errors import JifenError
from jifen.events import (
    RedeemedItem,
    Redemption,
    Restock,
    Seal,
    Service,
    ShelfEntry,
    Stocktake,
    Void,
    Volunteer,
    VolunteerEntry,
    VolunteerHistory,
    VoucherUse,
    live_shelf_events,
    without_voided,
)
from jifen.rules import DEFAULT_RULES_PATH, Rules, load_rules

BEIJING_TIME = dt.timezone(dt.timedelta(hours=8))
RULES = load_rules(DEFAULT_RULES_PATH)


def moment(day: int) -> dt.datetime:
    """Ten in the morning on a day of November 2026, Beijing time."""
    return dt.datetime(2026, 11, day, 10, 0, tzinfo=BEIJING_TIME)


def service(event_id: str, points: int, day: int = 2) -> Service:
    """A class taught on a day of November, worth `points`."""
    return Service(
        id=event_id,
        date=dt.date(2026, 11, day),
        at=moment(day),
        by="staff",
        activity="class",
        points=points,
    )


def redemption(
    event_id: str, item: str, qty: int, points: int, vouchers: tuple[str, ...] = ()
) -> Redemption:
    """A redemption on 3 November of one line."""
    return Redemption(
        id=event_id,
        date=dt.date(2026, 11, 3),
        at=moment(3),
        by="staff",
        items=(RedeemedItem(item=item, qty=qty, points=points, vouchers=vouchers),),
        points=points,
    )


def void(event_id: str, target: str, day: int = 4) -> Void:
    """A correction of `target` on a day of November."""
    return Void(
        id=event_id,
        date=dt.date(2026, 11, day),
        at=moment(day),
        by="staff",
        target=target,
        reason="录错了",
    )


def restock(event_id: str, qty: int) -> Restock:
    """Rice arriving on 1 November."""
    return Restock(
        id=event_id,
        date=dt.date(2026, 11, 1),
        at=moment(1),
        by="staff",
        item="rice",
        qty=qty,
    )


def zhao(*entries: VolunteerEntry) -> VolunteerHistory:
    """赵大爷's history (registration v1 on 1 October) holding `entries`."""
    record = Volunteer(
        id="v1",
        date=dt.date(2026, 10, 1),
        at=dt.datetime(2026, 10, 1, 9, 0, tzinfo=BEIJING_TIME),
        by="staff",
        name="赵大爷",
    )
    return VolunteerHistory(Path("赵大爷.jsonl"), record, entries)


def refusal(
    histories: list[VolunteerHistory],
    shelf: list[ShelfEntry],
    wanted: str,
    date: dt.date = dt.date(2026, 11, 10),
    rules: Rules = RULES,
) -> str:
    """The message find_entry or check_void refuses voiding `wanted` with."""
    with pytest.raises(JifenError) as caught:
        found = find_entry(histories, shelf, wanted)
        check_void(rules, found, histories, shelf, date)
    return caught.value.message


# find_entry ------------------------------------------------------------------


def test_find_entry__finds_a_service_with_its_volunteer() -> None:
    """A service is found in its volunteer's file, with that history."""
    history = zhao(service("s1", 5))

    found = find_entry([history], [], "s1")

    assert found == FoundEntry(service("s1", 5), history)


def test_find_entry__finds_a_shelf_entry_without_a_volunteer() -> None:
    """A restock is found on the shelf: no volunteer's history."""
    found = find_entry([zhao()], [restock("k1", 5)], "k1")

    assert found == FoundEntry(restock("k1", 5), None)


def test_find_entry__returns_the_earlier_void_of_a_retry() -> None:
    """Retrying the void x1 finds the entry already voided by x1."""
    history = zhao(service("s1", 5), void("x1", "s1"))

    found = find_entry([history], [], "s1", retried_id="x1")

    assert found.voided_by == void("x1", "s1")


def test_find_entry__refuses_an_unknown_id() -> None:
    """An id that is nowhere is refused, saying where ids are shown."""
    message = refusal([zhao(service("s1", 5))], [], "s9")

    assert message == (
        "no entry with id 's9'; the id is shown when an entry is made and in the "
        "passbook (`jifen passbook NAME`)"
    )


def test_find_entry__refuses_a_registration() -> None:
    """The registration is not an entry that can be voided."""
    message = refusal([zhao()], [], "v1")

    assert message == (
        "v1 is the registration of 赵大爷; a registration cannot be voided, only "
        "the entries after it"
    )


def test_find_entry__refuses_a_void() -> None:
    """A correction is not voided in turn."""
    message = refusal([zhao(service("s1", 5), void("x1", "s1"))], [], "x1")

    assert message == "x1 is itself a correction (of s1); it cannot be voided"


def test_find_entry__refuses_a_seal() -> None:
    """A seal vouching for a hand edit cannot be voided."""
    seal = Seal(
        id="z1",
        date=dt.date(2026, 11, 5),
        at=moment(5),
        by="staff",
        reason="补录",
        covers="0" * 64,
    )

    message = refusal([zhao(service("s1", 5), seal)], [], "z1")

    assert message == "z1 is a seal of a hand edit; it cannot be voided"


def test_find_entry__refuses_a_second_void() -> None:
    """An entry voided once says when, by which correction and why."""
    message = refusal([zhao(service("s1", 5), void("x1", "s1"))], [], "s1")

    assert message == "s1 was already voided on 2026-11-04 (id x1): 录错了"


def test_find_entry__a_shelf_void_is_found_as_a_second_void() -> None:
    """A restock voided on the shelf is refused a second time."""
    shelf: list[ShelfEntry] = [restock("k1", 5), void("x1", "k1")]

    message = refusal([], shelf, "k1")

    assert message == "k1 was already voided on 2026-11-04 (id x1): 录错了"


# check_void ------------------------------------------------------------------


def test_check_void__accepts_a_service_not_yet_spent() -> None:
    """5 + 3 earned, nothing spent: voiding the 3 leaves 5."""
    history = zhao(service("s1", 5), service("s2", 3))

    refused = check_void(
        RULES, find_entry([history], [], "s2"), [history], [], dt.date(2026, 11, 5)
    )

    assert refused is None


def test_check_void__refuses_a_service_whose_points_were_spent() -> None:
    """100 earned, 60 spent: taking back the 100 would leave −60."""
    history = zhao(service("s1", 100), redemption("r1", "oil", 1, 60))

    message = refusal([history], [restock("k1", 1)], "s1")

    assert message == (
        "voiding s1 would leave 赵大爷 at -60 points, because the points were "
        "already spent; void the redemption first"
    )


def test_check_void__accepts_a_spent_service_once_the_redemption_is_voided() -> None:
    """With the redemption voided first, the service can be voided down to 0."""
    history = zhao(service("s1", 100), redemption("r1", "oil", 1, 60), void("x1", "r1"))

    found = find_entry([history], [], "s1")
    refused = check_void(RULES, found, [history], [], dt.date(2026, 11, 5))

    assert (found.entry, refused) == (service("s1", 100), None)


def test_check_void__refuses_a_redemption_whose_voucher_was_used() -> None:
    """A haircut voucher the shop took: void that use first."""
    history = zhao(service("s1", 100), redemption("r1", "haircut", 1, 20, ("ABC234",)))
    use = VoucherUse(
        id="u1", date=dt.date(2026, 11, 5), at=moment(5), by="staff", code="ABC234"
    )

    message = refusal([history], [use], "r1")

    assert message == (
        "voucher ABC234 of r1 was used at the shop on 2026-11-05; void that use "
        "first (id u1)"
    )


def test_check_void__accepts_a_redemption_whose_voucher_use_was_voided() -> None:
    """Once the voucher's use is voided, the redemption can be voided too."""
    history = zhao(service("s1", 100), redemption("r1", "haircut", 1, 20, ("ABC234",)))
    use = VoucherUse(
        id="u1", date=dt.date(2026, 11, 5), at=moment(5), by="staff", code="ABC234"
    )
    shelf: list[ShelfEntry] = [use, void("x1", "u1", day=6)]

    refused = check_void(
        RULES, find_entry([history], shelf, "r1"), [history], shelf, moment(7).date()
    )

    assert refused is None


def test_check_void__refuses_a_restock_whose_goods_were_handed_out() -> None:
    """3 + 2 bags arrived, 4 taken: without the 2 the stock would be −1."""
    history = zhao(service("s1", 500), redemption("r1", "rice", 4, 200))
    shelf: list[ShelfEntry] = [restock("k1", 3), restock("k2", 2)]

    message = refusal([history], shelf, "k2")

    assert message == (
        "voiding k2 would leave 大米 at -1 in stock, because some were already "
        "handed out; count the shelf with `jifen stocktake` instead"
    )


def test_check_void__refuses_a_stocktake_surplus_already_handed_out() -> None:
    """A surplus of 2 found and then taken: without the count the stock is −2."""
    history = zhao(service("s1", 500), redemption("r1", "rice", 5, 250))
    count = Stocktake(
        id="t1",
        date=dt.date(2026, 11, 2),
        at=moment(2),
        by="staff",
        item="rice",
        counted=5,
        expected=3,
        difference=2,
    )
    shelf: list[ShelfEntry] = [restock("k1", 3), count]

    message = refusal([history], shelf, "t1")

    assert message == (
        "voiding t1 would leave 大米 at -2 in stock, because some were already "
        "handed out; count the shelf with `jifen stocktake` instead"
    )


def test_check_void__refuses_a_date_before_the_entry() -> None:
    """A correction dated 1 November of a service of 2 November is refused."""
    history = zhao(service("s1", 5))

    message = refusal([history], [], "s1", date=dt.date(2026, 11, 1))

    assert message == (
        "s1 is dated 2026-11-02; its correction cannot be dated before that; "
        "check --date"
    )


# without_voided --------------------------------------------------------------


def test_without_voided__leaves_out_the_voided_entry_and_the_void() -> None:
    """Of a service, its void and another service, only the other one counts."""
    entries = [service("s1", 5), void("x1", "s1"), service("s2", 3)]

    assert without_voided(entries) == [service("s2", 3)]


def test_history_events__leave_out_voided_entries_but_entries_keep_them() -> None:
    """A history's events are what counts; its entries are every line."""
    history = zhao(service("s1", 5), void("x1", "s1"), service("s2", 3))

    assert history.events == (service("s2", 3),)
    assert len(history.entries) == 3


def test_live_shelf_events__leave_out_a_voided_restock() -> None:
    """The restock k1, voided, no longer counts on the shelf."""
    shelf: list[ShelfEntry] = [restock("k1", 5), restock("k2", 2), void("x1", "k1")]

    assert live_shelf_events(shelf) == [restock("k2", 2)]
