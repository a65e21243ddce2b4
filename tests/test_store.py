"""Tests for jifen.store: finding the home, file names, reading and appending events."""

import datetime as dt
import json
import tempfile
import threading
import time
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

import filelock
import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jifen import store
from jifen.errors import JifenError
from jifen.events import (
    Event,
    RedeemedItem,
    Redemption,
    Restock,
    Service,
    ShelfEvent,
    Stocktake,
    Volunteer,
    VolunteerHistory,
    VoucherUse,
    chain_digest,
)
from jifen.store import Store, file_stem, find_home

E = TypeVar("E", bound=Event)

BEIJING_TIME = dt.timezone(dt.timedelta(hours=8))
RECORD = (
    '{"kind":"volunteer","v":1,"id":"v1","date":"2026-10-01",'
    '"at":"2026-10-01T09:00:00+08:00","by":"staff","name":"王大江"}'
)
REPAIR = (
    '{"kind":"service","v":1,"id":"s1","date":"2026-10-02",'
    '"at":"2026-10-02T10:00:00+08:00","by":"staff","activity":"repair","points":3}'
)
RESTOCK = (
    '{"kind":"restock","v":1,"id":"k1","date":"2026-10-01",'
    '"at":"2026-10-01T09:00:00+08:00","by":"staff","item":"rice","qty":20}'
)
STOCKTAKE = (
    '{"kind":"stocktake","v":1,"id":"t1","date":"2026-10-31",'
    '"at":"2026-10-31T17:00:00+08:00","by":"staff","item":"rice","counted":18,'
    '"expected":19,"difference":-1}'
)
VOUCHER_USE = (
    '{"kind":"voucher_use","v":1,"id":"u1","date":"2026-10-20",'
    '"at":"2026-10-20T15:00:00+08:00","by":"staff","code":"ABC234"}'
)
RESTOCK_EVENT = Restock(
    id="k1",
    date=dt.date(2026, 10, 1),
    at=dt.datetime(2026, 10, 1, 9, 0, tzinfo=BEIJING_TIME),
    by="staff",
    item="rice",
    qty=20,
)
CLEANUP = (
    '{"kind":"service","v":1,"id":"s2","date":"2026-10-03",'
    '"at":"2026-10-03T10:00:00+08:00","by":"staff","activity":"cleanup",'
    '"points":6,"hours":"2.5"}'
)


def without_digests(events: Iterable[E]) -> list[E]:
    """The events as they were before the store gave each line its digest."""
    return [msgspec.structs.replace(event, digest="") for event in events]


def write_data(home: Path, file_name: str, text: str | bytes) -> Path:
    """Write one volunteer file under home/data/volunteers/ exactly as given."""
    path = home / "data" / "volunteers" / file_name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def read_error(path: Path) -> str:
    """Return the message reading `path` fails with."""
    with pytest.raises(JifenError) as caught:
        Store(path.parent.parent.parent).read(path)
    return caught.value.message


def make_home(folder: Path) -> Path:
    """Make `folder` a home: a rules.toml (its content does not matter here)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rules.toml").write_text("", encoding="utf-8")
    return folder


# find_home -------------------------------------------------------------------


def test_find_home__prefers_the_explicit_folder(tmp_path: Path) -> None:
    """--home wins over JIFEN_HOME and the working directory."""
    explicit = make_home(tmp_path / "explicit")
    other = make_home(tmp_path / "other")

    found = find_home(explicit, {"JIFEN_HOME": str(other)}, other)

    assert found == explicit


def test_find_home__uses_jifen_home(tmp_path: Path) -> None:
    """Without --home, JIFEN_HOME wins over the working directory."""
    from_environment = make_home(tmp_path / "env")
    cwd = make_home(tmp_path / "cwd")

    found = find_home(None, {"JIFEN_HOME": str(from_environment)}, cwd)

    assert found == from_environment


def test_find_home__searches_upward_like_git(tmp_path: Path) -> None:
    """From a folder deep inside a home, the home is found."""
    home = make_home(tmp_path / "home")
    deep = home / "data" / "exports"
    deep.mkdir(parents=True)

    found = find_home(None, {"JIFEN_HOME": ""}, deep)

    assert found == home


def test_find_home__refuses_an_explicit_folder_without_rules(tmp_path: Path) -> None:
    """--home pointing at a folder without rules.toml suggests `jifen init` there."""
    with pytest.raises(JifenError) as caught:
        find_home(tmp_path, {}, tmp_path)

    assert caught.value.message == (
        f"--home {tmp_path} has no rules.toml; type `jifen init {tmp_path}` first"
    )


def test_find_home__refuses_jifen_home_without_rules(tmp_path: Path) -> None:
    """JIFEN_HOME pointing at a folder without rules.toml is named as the source."""
    with pytest.raises(JifenError) as caught:
        find_home(None, {"JIFEN_HOME": str(tmp_path)}, tmp_path)

    assert caught.value.message == (
        f"JIFEN_HOME {tmp_path} has no rules.toml; type `jifen init {tmp_path}` first"
    )


def test_find_home__suggests_init_when_nothing_is_found(tmp_path: Path) -> None:
    """No home anywhere upward: the message names the folder and `jifen init`."""
    with pytest.raises(JifenError) as caught:
        find_home(None, {}, tmp_path)

    assert caught.value.message == (
        f"no jifen home here: no rules.toml in {tmp_path} or any folder above it; "
        "type `jifen init` to make one, or pass --home DIR"
    )


# file_stem and path_for ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("王大江", "王大江"),
        ("Li Ming", "Li_Ming"),
        ("nul", "_nul"),
        ("CON", "_CON"),
        ("com1.x", "_com1.x"),
        ("console", "console"),
    ],
)
def test_file_stem__is_safe_on_every_disk(name: str, stem: str) -> None:
    """Spaces become '_' and Windows device names get a leading '_'."""
    result = file_stem(name)

    assert result == stem


def test_path_for__gives_the_free_path_of_a_new_name(tmp_path: Path) -> None:
    """A name not yet registered gets data/volunteers/NAME.jsonl and no record."""
    result = Store(tmp_path).path_for("王大江")

    assert result == (tmp_path / "data" / "volunteers" / "王大江.jsonl", None)


def test_path_for__finds_the_registered_record(tmp_path: Path) -> None:
    """A registered name gets its file and its volunteer record."""
    path = write_data(tmp_path, "王大江.jsonl", RECORD + "\n")

    found, record = Store(tmp_path).path_for("王大江")

    assert found == path
    assert record is not None
    assert (record.id, record.name) == ("v1", "王大江")


def test_path_for__numbers_names_that_share_a_file_name(tmp_path: Path) -> None:
    """'王 大江' and '王_大江' both map to 王_大江; the second gets ~2."""
    write_data(tmp_path, "王_大江.jsonl", RECORD.replace("王大江", "王_大江") + "\n")

    found, record = Store(tmp_path).path_for("王 大江")

    assert (found, record) == (
        tmp_path / "data" / "volunteers" / "王_大江~2.jsonl",
        None,
    )


def test_volunteer_names__reads_each_first_line(tmp_path: Path) -> None:
    """The real names come from the records, not from the file names."""
    write_data(tmp_path, "王_大江.jsonl", RECORD.replace("王大江", "王 大江") + "\n")
    write_data(tmp_path, "_nul.jsonl", RECORD.replace("王大江", "nul") + "\n")

    names = Store(tmp_path).volunteer_names()

    assert names == ["nul", "王 大江"]


def test_volunteer_paths__leaves_out_the_shelf_file(tmp_path: Path) -> None:
    """data/shelf.jsonl and anything else outside data/volunteers/ is no volunteer."""
    volunteer = write_data(tmp_path, "王大江.jsonl", RECORD + "\n")
    (tmp_path / "data" / "shelf.jsonl").write_text(RESTOCK + "\n", encoding="utf-8")
    (tmp_path / "data" / "李芳.jsonl").write_text(RECORD + "\n", encoding="utf-8")

    paths = Store(tmp_path).volunteer_paths()

    assert paths == [volunteer]


def test_volunteer_paths__is_empty_without_a_data_folder(tmp_path: Path) -> None:
    """A home whose data/ folder is missing has no volunteers, not an error."""
    paths = Store(tmp_path).volunteer_paths()

    assert paths == []


# read ------------------------------------------------------------------------


def test_read__returns_the_record_and_the_events(tmp_path: Path) -> None:
    """The first line is the volunteer; the rest are events, hours exact."""
    path = write_data(tmp_path, "王大江.jsonl", f"{RECORD}\n{REPAIR}\n{CLEANUP}\n")

    history = Store(tmp_path).read(path)

    assert history.volunteer.name == "王大江"
    assert [(event.id, event.points) for event in history.events] == [
        ("s1", 3),
        ("s2", 6),
    ]
    assert isinstance(history.events[1], Service)
    assert history.events[1].hours == Decimal("2.5")
    assert type(history.events[1].hours) is Decimal


def test_read__names_file_and_line_of_a_damaged_line(tmp_path: Path) -> None:
    """Broken JSON in the middle stops the read at FILE:LINE: with the fix."""
    path = write_data(tmp_path, "王大江.jsonl", f"{RECORD}\n{REPAIR[:30]}\n{CLEANUP}\n")

    message = read_error(path)

    assert message == (
        f"{path}:2: damaged line (Input data was truncated); nothing was changed; "
        "restore that line from a backup"
    )


def test_read__names_a_torn_last_line(tmp_path: Path) -> None:
    """A last line cut off mid-write is reported with how to repair it."""
    path = write_data(tmp_path, "王大江.jsonl", f"{RECORD}\n{REPAIR}\n{CLEANUP[:40]}")

    message = read_error(path)

    assert message == (
        f"{path}:3: the last line is incomplete (an interrupted write?); nothing was "
        "changed; run `jifen repair` to set it aside, then record that entry again"
    )


def test_read__names_a_whole_last_line_without_its_line_break(tmp_path: Path) -> None:
    """A complete last line missing only its newline is repaired by pressing Enter."""
    path = write_data(tmp_path, "王大江.jsonl", f"{RECORD}\n{REPAIR}")

    message = read_error(path)

    assert message == (
        f"{path}:2: the last line has no line break at its end (edited by hand?); "
        "nothing was changed; run `jifen repair` to add it"
    )


def test_read__names_a_blank_line(tmp_path: Path) -> None:
    """An empty line between events is damage, not something to skip."""
    path = write_data(tmp_path, "王大江.jsonl", f"{RECORD}\n\n{REPAIR}\n")

    message = read_error(path)

    assert message == (
        f"{path}:2: a blank line; nothing was changed; "
        "delete that empty line in a text editor and save"
    )


def test_read__names_a_windows_line_ending(tmp_path: Path) -> None:
    r"""A line ending in \r\n (saved by a Windows editor) is named."""
    path = write_data(tmp_path, "王大江.jsonl", f"{RECORD}\r\n{REPAIR}\n")

    message = read_error(path)

    assert message == (
        f"{path}:1: a Windows line ending (CR LF), left by a Windows editor; "
        "nothing was changed; in Notepad++ choose Edit > EOL Conversion > "
        "Unix (LF) and save"
    )


def test_read__refuses_a_file_not_starting_with_a_volunteer(tmp_path: Path) -> None:
    """A file whose first line is a service has no owner."""
    path = write_data(tmp_path, "王大江.jsonl", f"{REPAIR}\n")

    message = read_error(path)

    assert message == f"{path}:1: the first line is not a volunteer record"


def test_read__refuses_a_second_volunteer_record(tmp_path: Path) -> None:
    """Two volunteer records in one file are named by the second one's line."""
    path = write_data(tmp_path, "王大江.jsonl", f"{RECORD}\n{REPAIR}\n{RECORD}\n")

    message = read_error(path)

    assert message == (
        f"{path}:3: a volunteer entry does not belong in a volunteer's file; "
        "move it back where it came from"
    )


def test_read__refuses_a_shelf_entry_in_a_volunteers_file(tmp_path: Path) -> None:
    """A restock pasted into a volunteer's file is named by its line."""
    path = write_data(tmp_path, "王大江.jsonl", f"{RECORD}\n{RESTOCK}\n")

    message = read_error(path)

    assert message == (
        f"{path}:2: a restock entry does not belong in a volunteer's file; "
        "move it back where it came from"
    )


def test_read__refuses_an_empty_file(tmp_path: Path) -> None:
    """A file with no lines at all has lost its volunteer record."""
    path = write_data(tmp_path, "王大江.jsonl", "")

    message = read_error(path)

    assert message == (
        f"{path}: the file is empty (its first line should be the volunteer's "
        "record); nothing was changed; restore the file from a backup"
    )


def write_slowly_under_the_lock(
    home: Path, path: Path, first: str, rest: str
) -> threading.Thread:
    """Hold the lock like a command writing `path`: `first` now, `rest` 0.2 s later.

    Returns the writing thread once `first` is on disk.
    """
    started = threading.Event()

    def write() -> None:
        with filelock.FileLock(home / "data" / ".lock"):
            path.write_text(first, encoding="utf-8")
            started.set()
            time.sleep(0.2)
            path.write_text(first + rest, encoding="utf-8")

    writer = threading.Thread(target=write)
    writer.start()
    assert started.wait(timeout=5)
    return writer


def test_read_record__waits_out_a_file_another_command_is_making(
    tmp_path: Path,
) -> None:
    """A volunteer file `join` has made but not yet written is read once it is."""
    path = tmp_path / "data" / "volunteers" / "王大江.jsonl"
    path.parent.mkdir(parents=True)
    writer = write_slowly_under_the_lock(tmp_path, path, "", RECORD + "\n")

    try:
        record = Store(tmp_path).read_record(path)
    finally:
        writer.join()

    assert (record.id, record.name) == ("v1", "王大江")


@pytest.mark.parametrize(
    "first",
    ["", RECORD[:30], f"{RECORD}\n{REPAIR[:20]}"],
    ids=["file-just-made", "record-half-written", "event-half-written"],
)
def test_read__waits_out_a_file_another_command_is_writing(
    tmp_path: Path, first: str
) -> None:
    """A reader that catches a file mid-write waits for the lock, then reads it whole."""
    path = tmp_path / "data" / "volunteers" / "王大江.jsonl"
    path.parent.mkdir(parents=True)
    whole = f"{RECORD}\n{REPAIR}\n"
    writer = write_slowly_under_the_lock(tmp_path, path, first, whole[len(first) :])

    try:
        history = Store(tmp_path).read(path)
    finally:
        writer.join()

    assert history.volunteer.name == "王大江"
    assert [event.id for event in history.events] == ["s1"]


# read_shelf and append_shelf -------------------------------------------------


def write_shelf(home: Path, text: str) -> Path:
    """Write home/data/shelf.jsonl exactly as given and return it."""
    path = home / "data" / "shelf.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def test_read_shelf__is_empty_without_a_shelf_file(tmp_path: Path) -> None:
    """A home that never restocked has no shelf events, not an error."""
    events = Store(tmp_path).read_shelf()

    assert events == []


def test_read_shelf__returns_restocks_stocktakes_and_voucher_uses(
    tmp_path: Path,
) -> None:
    """Each line of data/shelf.jsonl comes back as its typed event, in file order."""
    write_shelf(tmp_path, f"{RESTOCK}\n{STOCKTAKE}\n{VOUCHER_USE}\n")

    events = Store(tmp_path).read_shelf()

    assert events == [
        RESTOCK_EVENT,
        Stocktake(
            id="t1",
            date=dt.date(2026, 10, 31),
            at=dt.datetime(2026, 10, 31, 17, 0, tzinfo=BEIJING_TIME),
            by="staff",
            item="rice",
            counted=18,
            expected=19,
            difference=-1,
        ),
        VoucherUse(
            id="u1",
            date=dt.date(2026, 10, 20),
            at=dt.datetime(2026, 10, 20, 15, 0, tzinfo=BEIJING_TIME),
            by="staff",
            code="ABC234",
        ),
    ]


def test_read_shelf__refuses_a_volunteers_entry(tmp_path: Path) -> None:
    """A service pasted into the shelf's file is named by its line."""
    path = write_shelf(tmp_path, f"{RESTOCK}\n{REPAIR}\n")

    with pytest.raises(JifenError) as caught:
        Store(tmp_path).read_shelf()

    assert caught.value.message == (
        f"{path}:2: a service entry does not belong in the shelf's file; "
        "move it back where it came from"
    )


def test_read_shelf__names_a_damaged_line(tmp_path: Path) -> None:
    """Broken JSON in the shelf's file stops the read at FILE:LINE:."""
    path = write_shelf(tmp_path, f"{RESTOCK[:30]}\n{STOCKTAKE}\n")

    with pytest.raises(JifenError) as caught:
        Store(tmp_path).read_shelf()

    assert caught.value.message == (
        f"{path}:1: damaged line (Input data was truncated); nothing was changed; "
        "restore that line from a backup"
    )


def test_append_shelf__makes_the_file_then_adds_one_line(tmp_path: Path) -> None:
    """The first shelf event makes data/shelf.jsonl; the next is one more line."""
    ledger_store = Store(tmp_path)
    use = VoucherUse(
        id="u2",
        date=dt.date(2026, 10, 21),
        at=dt.datetime(2026, 10, 21, 9, 0, tzinfo=BEIJING_TIME),
        by="staff",
        code="XYZ789",
    )

    ledger_store.append_shelf(RESTOCK_EVENT)
    ledger_store.append_shelf(use)

    assert ledger_store.shelf == tmp_path / "data" / "shelf.jsonl"
    assert ledger_store.shelf.read_text(encoding="utf-8").splitlines() == [
        '{"kind":"restock","v":1,"id":"k1","date":"2026-10-01",'
        '"at":"2026-10-01T09:00:00+08:00","by":"staff","digest":"97fb814b2ce3810d",'
        '"item":"rice","qty":20,"note":null}',
        '{"kind":"voucher_use","v":1,"id":"u2","date":"2026-10-21",'
        '"at":"2026-10-21T09:00:00+08:00","by":"staff","digest":"756cf94358ded7dc",'
        '"code":"XYZ789","note":null}',
    ]
    assert without_digests(ledger_store.read_shelf()) == [RESTOCK_EVENT, use]


def test_append_shelf__refuses_to_write_after_a_torn_line(tmp_path: Path) -> None:
    """A shelf file cut off mid-line is named and nothing is appended to it."""
    path = write_shelf(tmp_path, f"{RESTOCK}\n{STOCKTAKE[:40]}")

    with pytest.raises(JifenError) as caught:
        Store(tmp_path).append_shelf(RESTOCK_EVENT)

    assert caught.value.message == (
        f"{path}:2: the last line is incomplete (an interrupted write?); nothing was "
        "changed; run `jifen repair` to set it aside, then record that entry again"
    )
    assert path.read_text(encoding="utf-8") == f"{RESTOCK}\n{STOCKTAKE[:40]}"


# create, append and the lock -------------------------------------------------


def test_create__refuses_to_overwrite(tmp_path: Path) -> None:
    """Creating a file that exists changes nothing."""
    path = write_data(tmp_path, "王大江.jsonl", RECORD + "\n")
    record = Store(tmp_path).read_record(path)

    with pytest.raises(JifenError) as caught:
        Store(tmp_path).create(path, record)

    assert caught.value.message == f"{path} already exists; nothing was written"
    assert path.read_text(encoding="utf-8") == RECORD + "\n"


def test_append__writes_one_json_line(tmp_path: Path) -> None:
    """An appended service is one line, hours as an exact string, points an int."""
    path = write_data(tmp_path, "王大江.jsonl", RECORD + "\n")
    service = Service(
        id="s9",
        date=dt.date(2026, 10, 5),
        at=dt.datetime(2026, 10, 5, 18, 0, tzinfo=BEIJING_TIME),
        by="staff",
        activity="cleanup",
        points=3,
        hours=Decimal("1.50"),
    )

    Store(tmp_path).append(path, service)

    assert path.read_text(encoding="utf-8").splitlines()[1] == (
        '{"kind":"service","v":1,"id":"s9","date":"2026-10-05",'
        '"at":"2026-10-05T18:00:00+08:00","by":"staff","digest":"16557e3b5fac6c63",'
        '"activity":"cleanup","points":3,"hours":"1.50","times":1,"level":null,'
        '"witness":null,"note":null}'
    )


def test_append__chains_each_digest_to_the_line_before(tmp_path: Path) -> None:
    """Each line's digest is chain_digest of the line before's digest and itself."""
    ledger_store = Store(tmp_path)
    path = tmp_path / "data" / "volunteers" / "王大江.jsonl"
    record = Volunteer(
        id="v1",
        date=dt.date(2026, 10, 1),
        at=dt.datetime(2026, 10, 1, 9, 0, tzinfo=BEIJING_TIME),
        by="staff",
        name="王大江",
    )
    service = Service(
        id="s1",
        date=dt.date(2026, 10, 2),
        at=dt.datetime(2026, 10, 2, 10, 0, tzinfo=BEIJING_TIME),
        by="staff",
        activity="repair",
        points=3,
    )
    redemption = Redemption(
        id="r1",
        date=dt.date(2026, 10, 3),
        at=dt.datetime(2026, 10, 3, 10, 0, tzinfo=BEIJING_TIME),
        by="staff",
        items=(RedeemedItem(item="soap", qty=1, points=3),),
        points=3,
    )

    ledger_store.create(path, record)
    ledger_store.append(path, service)
    ledger_store.append(path, redemption)

    digests = [json.loads(line)["digest"] for line in path.read_bytes().splitlines()]
    first = chain_digest("", record)
    second = chain_digest(first, service)
    assert digests == [first, second, chain_digest(second, redemption)]
    assert len(set(digests)) == 3
    assert all(len(digest) == 16 for digest in digests)


def test_locked__gives_up_when_another_command_holds_the_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lock held elsewhere makes the write wait, then refuse with a clear message."""
    monkeypatch.setattr(store, "LOCK_TIMEOUT_SECONDS", 0.05)
    (tmp_path / "data").mkdir()
    other = filelock.FileLock(tmp_path / "data" / ".lock")

    with other, pytest.raises(JifenError) as caught, Store(tmp_path).locked():
        pass

    assert caught.value.message == (
        "another jifen command has been writing for 0 s (unknown); "
        "nothing was written; try again in a moment"
    )


# Round trip ------------------------------------------------------------------

texts = st.text(min_size=1, max_size=12)
maybe_texts = st.none() | texts
moments = st.datetimes(
    min_value=dt.datetime(2000, 1, 1),
    max_value=dt.datetime(2100, 1, 1),
    timezones=st.just(BEIJING_TIME),
)
services = st.builds(
    Service,
    id=texts,
    date=st.dates(),
    at=moments,
    by=texts,
    activity=texts,
    points=st.integers(0, 10**6),
    hours=st.none()
    | st.decimals(min_value=Decimal("0.01"), max_value=Decimal(24), places=2),
    times=st.integers(1, 100),
    level=maybe_texts,
    witness=maybe_texts,
    note=maybe_texts,
)
redemptions = st.builds(
    Redemption,
    id=texts,
    date=st.dates(),
    at=moments,
    by=texts,
    items=st.lists(
        st.builds(
            RedeemedItem,
            item=texts,
            qty=st.integers(1, 100),
            points=st.integers(1, 10**6),
        ),
        min_size=1,
        max_size=3,
    ).map(tuple),
    points=st.integers(1, 10**6),
    note=maybe_texts,
)
volunteers = st.builds(
    Volunteer,
    id=texts,
    date=st.dates(),
    at=moments,
    by=texts,
    name=texts,
    team=maybe_texts,
    phone=maybe_texts,
    note=maybe_texts,
)


@settings(max_examples=60, deadline=None)
@given(volunteers, st.lists(services | redemptions, max_size=5))
def test_append_then_read__gives_back_the_same_events(
    volunteer: Volunteer, events: list[Service | Redemption]
) -> None:
    """Any events written with create and append read back equal, with no floats."""
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        ledger_store = Store(home)
        path = home / "data" / "volunteers" / "someone.jsonl"
        ledger_store.create(path, volunteer)
        for event in events:
            ledger_store.append(path, event)

        history = ledger_store.read(path)

    assert without_digests([history.volunteer]) == [volunteer]
    assert without_digests(history.events) == events
    for event in history.events:
        assert type(event.points) is int
        if isinstance(event, Service) and event.hours is not None:
            assert type(event.hours) is Decimal


restocks = st.builds(
    Restock,
    id=texts,
    date=st.dates(),
    at=moments,
    by=texts,
    item=texts,
    qty=st.integers(1, 10**5),
    note=maybe_texts,
)
stocktakes = st.builds(
    Stocktake,
    id=texts,
    date=st.dates(),
    at=moments,
    by=texts,
    item=texts,
    counted=st.integers(0, 10**5),
    expected=st.integers(-(10**5), 10**5),
    difference=st.integers(-(10**5), 10**5),
    note=maybe_texts,
)
voucher_uses = st.builds(
    VoucherUse, id=texts, date=st.dates(), at=moments, by=texts, code=texts
)


@settings(max_examples=60, deadline=None)
@given(st.lists(restocks | stocktakes | voucher_uses, max_size=6))
def test_append_shelf_then_read_shelf__gives_back_the_same_events(
    events: list[ShelfEvent],
) -> None:
    """Any shelf events appended read back equal, in order, each chained to the last."""
    with tempfile.TemporaryDirectory() as folder:
        ledger_store = Store(Path(folder))
        for event in events:
            ledger_store.append_shelf(event)

        read_back = ledger_store.read_shelf()

    assert without_digests(read_back) == events
    previous = ""
    for event in read_back:
        assert event.digest == chain_digest(previous, event)
        previous = event.digest


def test_read__names_a_byte_order_mark(tmp_path: Path) -> None:
    """A file saved as 'UTF-8 with BOM' is named as such, not as a damaged line."""
    path = write_data(tmp_path, "王大江.jsonl", f"\ufeff{RECORD}\n")

    message = read_error(path)

    assert message == (
        f"{path}:1: the file starts with a byte-order mark, added when it was saved "
        "as 'UTF-8 with BOM' (Windows Notepad does this); nothing was changed; "
        "save it again choosing the encoding 'UTF-8'"
    )


def test_read_all__refuses_a_copy_of_a_volunteers_file(tmp_path: Path) -> None:
    """A backup copy left beside the file would count everything twice: refused."""
    home = make_home(tmp_path / "home")
    write_data(home, "王大江.jsonl", f"{RECORD}\n{REPAIR}\n")
    write_data(home, "王大江 - 副本.jsonl", f"{RECORD}\n{REPAIR}\n")
    folder = home / "data" / "volunteers"

    with pytest.raises(JifenError) as caught:
        Store(home).read_all()
    with pytest.raises(JifenError) as cached:
        Store(home).summaries("points", count_points, int)

    assert (
        caught.value.message
        == cached.value.message
        == (
            f"{folder}/王大江.jsonl holds 王大江 again (a copy of 王大江 - 副本.jsonl?); "
            f"move the copy out of {folder}, so nothing is counted twice"
        )
    )


# summaries -------------------------------------------------------------------


def count_points(history: VolunteerHistory) -> int:
    """A stand-in summary: the points on a volunteer's services."""
    return sum(event.points for event in history.events if isinstance(event, Service))


def counting_reads(monkeypatch: pytest.MonkeyPatch, home_store: Store) -> list[str]:
    """Record the name of every file the store reads whole."""
    names: list[str] = []
    read = home_store.read

    def read_and_count(path: Path) -> VolunteerHistory:
        names.append(path.name)
        return read(path)

    monkeypatch.setattr(home_store, "read", read_and_count)
    return names


def test_summaries__reads_only_files_changed_since_the_last_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second call reads nothing; after an append only that file is read."""
    home = make_home(tmp_path / "home")
    write_data(home, "王大江.jsonl", f"{RECORD}\n{REPAIR}\n")
    write_data(home, "李芳.jsonl", RECORD.replace("王大江", "李芳") + "\n")
    home_store = Store(home)
    reads = counting_reads(monkeypatch, home_store)
    first = home_store.summaries("points", count_points, int)

    second = home_store.summaries("points", count_points, int)
    with (home / "data" / "volunteers" / "李芳.jsonl").open("a") as file:
        file.write(CLEANUP + "\n")
    third = home_store.summaries("points", count_points, int)

    assert (first, second, third) == ([0, 3], [0, 3], [6, 3])
    assert reads == ["李芳.jsonl", "王大江.jsonl", "李芳.jsonl"]


def test_summaries__rebuilds_from_a_damaged_or_deleted_cache(tmp_path: Path) -> None:
    """The cache is derived: garbage in it, or no cache at all, gives the same answer."""
    home = make_home(tmp_path / "home")
    write_data(home, "王大江.jsonl", f"{RECORD}\n{REPAIR}\n")
    home_store = Store(home)
    home_store.summaries("points", count_points, int)
    cache = home / "data" / ".cache" / "points.msgpack"

    cache.write_bytes(b"not a cache")
    after_damage = home_store.summaries("points", count_points, int)
    cache.unlink()
    after_deletion = home_store.summaries("points", count_points, int)

    assert (after_damage, after_deletion) == ([3], [3])


def test_summaries__forgets_a_file_that_is_gone(tmp_path: Path) -> None:
    """A volunteer file removed by hand drops out of the summaries."""
    home = make_home(tmp_path / "home")
    write_data(home, "王大江.jsonl", f"{RECORD}\n{REPAIR}\n")
    gone = write_data(home, "李芳.jsonl", RECORD.replace("王大江", "李芳") + "\n")
    home_store = Store(home)
    home_store.summaries("points", count_points, int)

    gone.unlink()

    assert home_store.summaries("points", count_points, int) == [3]
