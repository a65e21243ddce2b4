"""`jifen check`: every problem in a ledger's files, each with its file and line.

Unlike the commands, which stop at the first damaged line, the check reads
everything and collects problems as values, so a worker sees them all at
once, printed like a compiler's: `FILE:LINE: message`.
"""

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import msgspec

from jifen.events import (
    Event,
    Redemption,
    Restock,
    Seal,
    Service,
    Stocktake,
    Void,
    Volunteer,
    chain_digest,
    decoder,
)
from jifen.i18n import _
from jifen.rules import Rules

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Problem:
    """One thing wrong, where it is, and what to do."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class _File:
    """One file's events that could be read, with their line numbers."""

    path: Path
    is_shelf: bool
    data: bytes = b""
    events: list[tuple[int, Event]] = field(default_factory=list)
    offsets: dict[int, int] = field(default_factory=dict)
    damaged: bool = False
    # A line that could not be read at all: a replay without it would mislead.
    unreadable: bool = False


@dataclass(frozen=True)
class Report:
    """What the check found: the problems, and how much it read."""

    problems: list[Problem]
    files: int
    entries: int


def check_ledger(
    rules: Rules,
    volunteer_files: Iterable[tuple[Path, bytes]],
    shelf: tuple[Path, bytes] | None,
) -> Report:
    """Check every file of a home and return all problems, in file and line order.

    Files are taken one at a time and let go once checked; only what must be
    compared across files (ids, names, stock movements) is kept, so a city's
    ledger is checked in bounded memory.
    """
    problems: list[Problem] = []
    first_ids: dict[str, tuple[Path, int]] = {}
    owners: dict[str, Path] = {}
    moves: list[_Move] = []
    unreadable = False
    files = entries = 0
    for path, data, is_shelf in _one_at_a_time(volunteer_files, shelf):
        file = _read(path, data, is_shelf, problems)
        _check_chain(file, problems)
        _check_kinds(file, problems)
        _check_voids(file, problems)
        _check_names(rules, file, problems)
        _check_ids(file, first_ids, problems)
        _check_copy(file, owners, problems)
        # Replays only run over files read whole, or they report what a lost line hides.
        if not file.is_shelf and not file.unreadable:
            _check_balance(file, problems)
        moves += _stock_moves(rules, file)
        unreadable = unreadable or file.unreadable
        files += 1
        entries += len(file.events)
    if not unreadable:
        _check_stock(moves, problems)
    problems.sort(key=lambda problem: (str(problem.path), problem.line))
    return Report(problems, files, entries)


def _one_at_a_time(
    volunteer_files: Iterable[tuple[Path, bytes]], shelf: tuple[Path, bytes] | None
) -> Iterator[tuple[Path, bytes, bool]]:
    for path, data in volunteer_files:
        yield path, data, False
    if shelf is not None:
        yield shelf[0], shelf[1], True


def _read(path: Path, data: bytes, is_shelf: bool, problems: list[Problem]) -> _File:
    file = _File(path, is_shelf, data)
    found_before = len(problems)
    if data.startswith(BOM):
        problems.append(
            Problem(
                path, 1, _("a byte-order mark at the start (saved as 'UTF-8 with BOM')")
            )
        )
        data = data[len(BOM) :]
    lines = data.split(b"\n")
    if lines[-1]:
        try:
            decoder.decode(lines[-1])
            message = _(
                "the last line has no line break at its end; `jifen repair` adds it"
            )
        except msgspec.DecodeError:
            message = _(
                "the last line is incomplete (an interrupted write); "
                "`jifen repair` sets it aside and keeps every complete entry"
            )
        problems.append(Problem(path, len(lines), message))
    offset = 0
    for number, line in enumerate(lines[:-1], start=1):
        file.offsets[number] = offset
        offset += len(line) + 1
        if line.endswith(b"\r"):
            problems.append(Problem(path, number, _("a Windows line ending (CR LF)")))
            line = line[:-1]
        if not line.strip():
            problems.append(Problem(path, number, _("a blank line")))
            continue
        try:
            file.events.append((number, decoder.decode(line)))
        except msgspec.DecodeError as error:
            file.unreadable = True
            problems.append(
                Problem(
                    path, number, _("not a valid entry ({reason})").format(reason=error)
                )
            )
    file.damaged = len(problems) > found_before
    return file


def _check_chain(file: _File, problems: list[Problem]) -> None:
    """Find the first line whose digest does not follow from the line before it.

    Lines before the last valid seal (`jifen reseal`) are trusted as they are.
    A file with damaged lines is left to those problems.
    """
    if file.damaged:
        return
    start = 0
    broken_seals: list[tuple[int, Seal]] = []
    for position, (number, event) in enumerate(file.events):
        if not isinstance(event, Seal):
            continue
        covered = file.data[: file.offsets[number]]
        if event.covers == hashlib.sha256(covered).hexdigest():
            start = position
            broken_seals.clear()
        else:
            broken_seals.append((number, event))
    for number, seal in broken_seals:
        problems.append(
            Problem(
                file.path,
                number,
                _(
                    "the seal made here on {date} by {by} no longer matches: a line "
                    "before it was changed after it was sealed"
                ).format(date=seal.date.isoformat(), by=seal.by),
            )
        )
    previous = file.events[start - 1][1].digest if start else ""
    for number, event in file.events[start:]:
        if event.digest != chain_digest(previous, event):
            problems.append(
                Problem(
                    file.path,
                    number,
                    _(
                        "this line does not follow from the one before it: it or an "
                        "earlier line was changed, removed or moved by hand; if that "
                        "was meant, seal the file with `jifen reseal` and a reason"
                    ),
                )
            )
            return
        previous = event.digest


def _check_kinds(file: _File, problems: list[Problem]) -> None:
    if not file.is_shelf and not file.data:
        # What `jifen repair` leaves of a registration cut short: every command
        # that reads all volunteers refuses such a file.
        problems.append(
            Problem(
                file.path,
                1,
                _(
                    "the file is empty (its first line should be the volunteer's "
                    "record); delete it if the volunteer never finished joining, "
                    "or restore it from a backup"
                ),
            )
        )
    for position, (number, event) in enumerate(file.events):
        if file.is_shelf:
            wrong = isinstance(event, Volunteer | Service | Redemption)
        elif position == 0:
            wrong = not isinstance(event, Volunteer)
        else:
            wrong = not isinstance(event, Service | Redemption | Void | Seal)
        if wrong:
            problems.append(
                Problem(
                    file.path,
                    number,
                    _("a {kind} entry does not belong here").format(
                        kind=type(event).__name__.lower()
                    ),
                )
            )
        for amount in _amounts(event):
            if amount < 0:
                problems.append(
                    Problem(
                        file.path,
                        number,
                        _("a negative amount ({amount})").format(amount=amount),
                    )
                )


def _amounts(event: Event) -> Iterable[int]:
    if isinstance(event, Service | Redemption):
        yield event.points
    if isinstance(event, Redemption):
        for line in event.items:
            yield line.qty
            yield line.points
    if isinstance(event, Restock):
        yield event.qty
    if isinstance(event, Stocktake):
        yield event.counted


def _check_voids(file: _File, problems: list[Problem]) -> None:
    seen: dict[str, int] = {}
    targets: dict[str, int] = {}
    for number, event in file.events:
        if isinstance(event, Void):
            if event.target not in seen:
                problems.append(
                    Problem(
                        file.path,
                        number,
                        _(
                            "a correction of {id}, which is not an earlier entry of this file"
                        ).format(id=event.target),
                    )
                )
            elif event.target in targets:
                problems.append(
                    Problem(
                        file.path,
                        number,
                        _("{id} is voided a second time (first on line {line})").format(
                            id=event.target, line=targets[event.target]
                        ),
                    )
                )
            targets.setdefault(event.target, number)
        seen.setdefault(event.id, number)


def _check_names(rules: Rules, file: _File, problems: list[Problem]) -> None:
    for number, event in file.events:
        unknown = []
        if isinstance(event, Service) and event.activity not in rules.activities:
            unknown.append(_("activity {key!r}").format(key=event.activity))
        if isinstance(event, Redemption):
            unknown += [
                _("item {key!r}").format(key=line.item)
                for line in event.items
                if line.item not in rules.items and line.item not in rules.offers
            ]
        if isinstance(event, Restock | Stocktake) and event.item not in rules.items:
            unknown.append(_("item {key!r}").format(key=event.item))
        for what in unknown:
            problems.append(
                Problem(
                    file.path,
                    number,
                    _("unknown {what} (not in rules.toml)").format(what=what),
                )
            )


def _check_ids(
    file: _File, first: dict[str, tuple[Path, int]], problems: list[Problem]
) -> None:
    for number, event in file.events:
        if event.id in first:
            path, line = first[event.id]
            problems.append(
                Problem(
                    file.path,
                    number,
                    _("the id {id} is used again (first at {path}:{line})").format(
                        id=event.id, path=path, line=line
                    ),
                )
            )
        else:
            first[event.id] = (file.path, number)


def _check_copy(file: _File, owner: dict[str, Path], problems: list[Problem]) -> None:
    record = next(
        (event for _line, event in file.events[:1] if isinstance(event, Volunteer)),
        None,
    )
    if record is None:
        return
    if record.name in owner:
        problems.append(
            Problem(
                file.path,
                1,
                _("{name} is registered in {other} too (a backup copy?)").format(
                    name=record.name, other=owner[record.name]
                ),
            )
        )
    owner.setdefault(record.name, file.path)


def _replayed(file: _File) -> list[tuple[int, dt.datetime, Event, int]]:
    """Return each line that moves points or stock: its line, moment, entry and sign.

    The sign is 1 for an entry and -1 for the void of an earlier one: a void
    takes its entry back where the void stands, as the passbook shows it and
    as `jifen void` decided it. Points spent before a mistaken service was
    voided were there when they were spent.
    """
    seen: dict[str, Event] = {}
    reversed_ids: set[str] = set()
    moves: list[tuple[int, dt.datetime, Event, int]] = []
    for number, event in file.events:
        if isinstance(event, Void):
            target = seen.get(event.target)
            if target is not None and event.target not in reversed_ids:
                reversed_ids.add(event.target)
                moves.append((number, event.at, target, -1))
        elif not isinstance(event, Volunteer | Seal):
            moves.append((number, event.at, event, 1))
        seen.setdefault(event.id, event)
    return moves


def _check_balance(file: _File, problems: list[Problem]) -> None:
    balance = 0
    for number, _at, event, sign in _replayed(file):
        if isinstance(event, Service):
            change = sign * event.points
        elif isinstance(event, Redemption):
            change = -sign * event.points
        else:
            continue
        balance += change
        if change < 0 and balance < 0:
            problems.append(
                Problem(
                    file.path,
                    number,
                    _("the balance falls to {balance} here").format(balance=balance),
                )
            )


_Move = tuple[dt.datetime, Path, int, str, int]


def _stock_moves(rules: Rules, file: _File) -> list[_Move]:
    """Return one file's stock movements: moment, place, item and change."""
    zone = ZoneInfo(rules.timezone)
    moves: list[_Move] = []
    for number, at, event, sign in _replayed(file):
        # A time typed by hand without its zone must not stop the check.
        moment = at if at.tzinfo is not None else at.replace(tzinfo=zone)
        if isinstance(event, Restock):
            moves.append((moment, file.path, number, event.item, sign * event.qty))
        elif isinstance(event, Stocktake):
            moves.append(
                (moment, file.path, number, event.item, sign * event.difference)
            )
        elif isinstance(event, Redemption):
            for line in event.items:
                if line.item in rules.items:
                    moves.append(
                        (moment, file.path, number, line.item, -sign * line.qty)
                    )
    return moves


def _check_stock(moves: list[_Move], problems: list[Problem]) -> None:
    """Replay every stock movement in the order it was recorded; stock never goes below 0.

    Moments are kept to the second, so of movements in one second the
    arrivals are counted first: which came first cannot be known.
    """
    stock: Counter[str] = Counter()
    for _at, path, number, item, change in sorted(
        moves, key=lambda move: (move[0], move[4] < 0)
    ):
        stock[item] += change
        if change < 0 and stock[item] < 0:
            problems.append(
                Problem(
                    path,
                    number,
                    _("{item} stock falls to {stock} here").format(
                        item=item, stock=stock[item]
                    ),
                )
            )
