"""A state machine drives a real ledger home with valid and invalid commands.

Hypothesis picks a sequence of joins, services, redemptions, restocks,
stocktakes, corrections and retries; a small model in memory says what each
should do. After every step the balances and the stock agree with the model,
`jifen check` finds nothing, a refused step raised JifenError and changed no
byte, and every file starts with exactly the bytes it had before: append-only.
"""

import datetime as dt
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest
from conftest import data_files
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from jifen.accounts import account_of
from jifen.errors import JifenError
from jifen.ledger import Ledger
from jifen.rules import DEFAULT_RULES_PATH
from jifen.shelf import redeemed_quantities, stock_levels

T = TypeVar("T")

BEIJING_TIME = dt.timezone(dt.timedelta(hours=8))
NAMES = ["王大江", "李芳"]
ACTIVITIES = {"class": 5, "repair": 3}
PRICES = {"salt": 5, "soap": 8}
JOINED = "2026-10-01"
DAY = "2026-11-03"
DAY_BEFORE = "2026-11-02"


@dataclass(frozen=True)
class Movement:
    """What an entry did: points to a volunteer's balance, goods to the shelf."""

    kind: str
    name: str | None = None
    points: int = 0
    item: str | None = None
    qty: int = 0


def ticking_clock() -> Iterator[dt.datetime]:
    """Moments one second apart: every entry is recorded after the one before."""
    moment = dt.datetime(2026, 11, 3, 9, 0, tzinfo=BEIJING_TIME)
    while True:
        yield moment
        moment += dt.timedelta(seconds=1)


class LedgerMachine(RuleBasedStateMachine):
    """Commands on a real home, each checked against a model kept in memory."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="jifen-stateful-"))
        self.home = self.folder / "home"
        (self.home / "data").mkdir(parents=True)
        shutil.copyfile(DEFAULT_RULES_PATH, self.home / "rules.toml")
        moments = ticking_clock()
        self.ledger = Ledger(self.home, by="staff", clock=lambda: next(moments))
        self.balances: dict[str, int] = {}
        self.stock: Counter[str] = Counter()
        self.movements: dict[str, Movement] = {}
        self.voided: set[str] = set()
        self.corrections: set[str] = set()
        self.registrations: set[str] = set()
        self.logged: list[tuple[str, str, int, str]] = []

    def teardown(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def attempt(self, valid: bool, command: Callable[[], T]) -> T | None:
        """Run a command the model expects to work or to be refused, append-only."""
        before = data_files(self.home)
        if not valid:
            with pytest.raises(JifenError):
                command()
            assert data_files(self.home) == before
            return None
        result = command()
        after = data_files(self.home)
        for name, data in before.items():
            assert after[name].startswith(data), name
        return result

    # Commands ---------------------------------------------------------------

    @initialize()
    def first_volunteer_and_goods(self) -> None:
        self.join(NAMES[0])
        self.log(NAMES[0], "class", 3)
        for item in sorted(PRICES):
            self.restock(item, 3)

    # Once everyone has joined, a join can only be refused: no need to keep trying.
    @precondition(lambda self: len(self.balances) < len(NAMES))
    @rule(name=st.sampled_from(NAMES))
    def join(self, name: str) -> None:
        joined = self.attempt(
            name not in self.balances, lambda: self.ledger.join(name, date=JOINED)
        )
        if joined is not None:
            self.balances[name] = 0
            self.registrations.add(joined.volunteer.id)

    @rule(
        name=st.sampled_from(NAMES),
        activity=st.sampled_from(sorted(ACTIVITIES)),
        times=st.integers(1, 3),
    )
    def log(self, name: str, activity: str, times: int) -> None:
        event_id = f"log-{len(self.logged)}"
        logged = self.attempt(
            name in self.balances,
            lambda: self.ledger.log(
                name, activity, times=str(times), date=DAY, event_id=event_id
            ),
        )
        if logged is not None:
            points = ACTIVITIES[activity] * times
            assert logged.service.points == points
            self.balances[name] += points
            self.movements[event_id] = Movement("service", name=name, points=points)
            self.logged.append((name, activity, times, event_id))

    @rule(data=st.data())
    def redeem(self, data: st.DataObject) -> None:
        # Mostly someone registered, goods on the shelf, and up to one more than
        # the points and the stock allow: many work, some spend every point.
        joined = sorted(self.balances)
        name = data.draw(st.sampled_from([*joined, *joined, *NAMES]))
        in_stock = [item for item in sorted(PRICES) if self.stock[item] > 0]
        item = data.draw(st.sampled_from([*in_stock, *in_stock, *sorted(PRICES)]))
        most = min(self.stock[item], self.balances.get(name, 0) // PRICES[item])
        qty = data.draw(st.integers(1, most + 1))
        cost = PRICES[item] * qty
        valid = (
            name in self.balances
            and self.stock[item] >= qty
            and self.balances[name] >= cost
        )
        redeemed = self.attempt(
            valid, lambda: self.ledger.redeem(name, [f"{item}:{qty}"], date=DAY)
        )
        if redeemed is not None:
            self.balances[name] -= cost
            self.stock[item] -= qty
            self.movements[redeemed.redemption.id] = Movement(
                "redemption", name=name, points=-cost, item=item, qty=-qty
            )

    @rule(item=st.sampled_from(sorted(PRICES)), qty=st.integers(1, 3))
    def restock(self, item: str, qty: int) -> None:
        restocked = self.attempt(
            True, lambda: self.ledger.restock(item, str(qty), date=DAY)
        )
        assert restocked is not None
        self.stock[item] += qty
        self.movements[restocked.restock.id] = Movement("restock", item=item, qty=qty)

    @rule(item=st.sampled_from(sorted(PRICES)), counted=st.integers(0, 4))
    def stocktake(self, item: str, counted: int) -> None:
        taken = self.attempt(
            True, lambda: self.ledger.stocktake(item, str(counted), date=DAY)
        )
        assert taken is not None
        difference = counted - self.stock[item]
        assert taken.stocktake.difference == difference
        self.stock[item] = counted
        self.movements[taken.stocktake.id] = Movement(
            "stocktake", item=item, qty=difference
        )

    @rule(
        kind=st.sampled_from(
            ["service", "redemption", "restock", "stocktake", "other"]
        ),
        back=st.integers(0, 2),
        early=st.sampled_from([False, False, False, True]),
    )
    def void(self, kind: str, back: int, early: bool) -> None:
        # One of the last few entries of a kind, whose effects are still around,
        # or a correction, a registration or an id that is nowhere.
        entries = [key for key, done in self.movements.items() if done.kind == kind]
        others = sorted({*self.corrections, *self.registrations, "no-such-id"})
        candidates = entries or others
        target = candidates[-1 - back % len(candidates)]
        movement = self.movements.get(target)
        valid = (
            movement is not None
            and target not in self.voided
            and not early
            and (
                movement.name is None or self.balances[movement.name] >= movement.points
            )
            and (movement.item is None or self.stock[movement.item] >= movement.qty)
        )
        voided = self.attempt(
            valid,
            lambda: self.ledger.void(
                target, reason="录错了", date=DAY_BEFORE if early else DAY
            ),
        )
        if voided is not None:
            assert movement is not None
            if movement.name is not None:
                self.balances[movement.name] -= movement.points
            if movement.item is not None:
                self.stock[movement.item] -= movement.qty
            self.voided.add(target)
            self.corrections.add(voided.void.id)

    @precondition(lambda self: self.logged)
    @rule(pick=st.integers(0, 10**6))
    def retry_log(self, pick: int) -> None:
        name, activity, times, event_id = self.logged[pick % len(self.logged)]
        before = data_files(self.home)

        retried = self.ledger.log(
            name, activity, times=str(times), date=DAY, event_id=event_id
        )

        assert retried.already_recorded
        assert data_files(self.home) == before

    # After every step -------------------------------------------------------

    @invariant()
    def balances_agree(self) -> None:
        for name, balance in self.balances.items():
            assert account_of(self.ledger.history(name)).balance == balance, name

    @invariant()
    def stock_agrees(self) -> None:
        stock = stock_levels(
            self.ledger.store.read_shelf(), redeemed_quantities(self.ledger.taken())
        )
        assert {item: stock[item] for item in PRICES} == {
            item: self.stock[item] for item in PRICES
        }

    @invariant()
    def check_finds_nothing(self) -> None:
        assert self.ledger.check().problems == []


LedgerMachine.TestCase.settings = settings(
    max_examples=80,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


class TestLedgerMachine(LedgerMachine.TestCase):
    """Any sequence of commands keeps balances, stock and files as the model says."""
