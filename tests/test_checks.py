"""Tests for jifen.checks and `jifen check`, `repair` and `reseal`.

The first half feeds check_ledger small files built in memory, each line
chained the way the store writes it, so every problem shows on its own. The
second half edits a copy of the sample community by hand, the way a person
with a text editor would, and runs the real CLI: every problem is named with
its file and line, and the check never changes a byte.
"""

import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPOSITORY, Jifen, data_files, setup, today_in_shanghai

from jifen.checks import Problem, check_ledger
from jifen.events import (
    Event,
    RedeemedItem,
    Redemption,
    Restock,
    Seal,
    Service,
    Stocktake,
    Void,
    Volunteer,
    sealed_line,
)
from jifen.rules import DEFAULT_RULES_PATH, load_rules

BEIJING_TIME = dt.timezone(dt.timedelta(hours=8))
RULES = load_rules(DEFAULT_RULES_PATH)
WANG = Path("data/volunteers/王大江.jsonl")
LI = Path("data/volunteers/李芳.jsonl")
SHELF = Path("data/shelf.jsonl")


def moment(day: int, minute: int = 0) -> dt.datetime:
    """A moment on a day of November 2026, Beijing time."""
    return dt.datetime(2026, 11, day, 10, minute, tzinfo=BEIJING_TIME)


def record(event_id: str, name: str) -> Volunteer:
    """A volunteer who joined on 1 November."""
    return Volunteer(
        id=event_id, date=dt.date(2026, 11, 1), at=moment(1), by="staff", name=name
    )


def service(
    event_id: str, points: int, day: int = 2, activity: str = "class"
) -> Service:
    """A service worth `points` on a day of November."""
    return Service(
        id=event_id,
        date=dt.date(2026, 11, day),
        at=moment(day),
        by="staff",
        activity=activity,
        points=points,
    )


def redemption(
    event_id: str, item: str, qty: int, points: int, day: int = 3
) -> Redemption:
    """A redemption of one line on a day of November."""
    return Redemption(
        id=event_id,
        date=dt.date(2026, 11, day),
        at=moment(day),
        by="staff",
        items=(RedeemedItem(item=item, qty=qty, points=points),),
        points=points,
    )


def restock(event_id: str, qty: int, day: int = 1, item: str = "rice") -> Restock:
    """Goods arriving on a day of November."""
    return Restock(
        id=event_id,
        date=dt.date(2026, 11, day),
        at=moment(day),
        by="staff",
        item=item,
        qty=qty,
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


def chained(*events: Event) -> bytes:
    """The bytes of a file holding `events`, each line chained as the store does."""
    lines = []
    previous = ""
    for event in events:
        line = sealed_line(event, previous)
        previous = json.loads(line)["digest"]
        lines.append(line)
    return b"".join(lines)


def problems_in(
    volunteers: list[tuple[Path, bytes]], shelf: bytes | None = None
) -> list[str]:
    """Check the files given and return each problem as FILE:LINE: message."""
    report = check_ledger(
        RULES, volunteers, (SHELF, shelf) if shelf is not None else None
    )
    return [str(problem) for problem in report.problems]


# check_ledger ----------------------------------------------------------------


def test_check_ledger__a_clean_ledger_has_no_problems() -> None:
    """Two volunteers and a shelf, all written as the store writes: nothing found."""
    wang = chained(
        record("v1", "王大江"),
        service("s1", 100),
        redemption("r1", "rice", 1, 50),
        void("x1", "r1"),
    )
    li = chained(record("v2", "李芳"), service("s2", 5))
    shelf = chained(restock("k1", 2), restock("k2", 1, day=2), void("x2", "k2"))

    report = check_ledger(RULES, [(WANG, wang), (LI, li)], (SHELF, shelf))

    assert (report.problems, report.files, report.entries) == ([], 3, 9)


def test_problem__prints_like_a_compiler() -> None:
    """A problem reads FILE:LINE: message."""
    problem = Problem(WANG, 3, "a blank line")

    assert str(problem) == "data/volunteers/王大江.jsonl:3: a blank line"


def test_check_ledger__a_changed_line_breaks_the_chain_there() -> None:
    """Points changed by hand in line 2 of 3: line 2 no longer follows."""
    data = chained(record("v1", "王大江"), service("s1", 5), service("s2", 5, day=3))
    edited = data.replace(b'"points":5', b'"points":50', 1)

    problems = problems_in([(WANG, edited)])

    assert problems == [
        f"{WANG}:2: this line does not follow from the one before it: it or an "
        "earlier line was changed, removed or moved by hand; if that was meant, "
        "seal the file with `jifen reseal` and a reason"
    ]


def test_check_ledger__finds_a_torn_last_line_after_every_whole_one() -> None:
    """A last line cut off is named, and the whole lines before it are fine."""
    data = chained(record("v1", "王大江"), service("s1", 5))

    problems = problems_in([(WANG, data[:-20])])

    assert problems == [
        f"{WANG}:2: the last line is incomplete (an interrupted write); "
        "`jifen repair` sets it aside and keeps every complete entry"
    ]


def test_check_ledger__finds_an_empty_volunteer_file() -> None:
    """A volunteer's file with no bytes at all, as repair leaves a cut-off join."""
    problems = problems_in([(WANG, b"")], b"")

    assert problems == [
        f"{WANG}:1: the file is empty (its first line should be the volunteer's "
        "record); delete it if the volunteer never finished joining, or restore it "
        "from a backup"
    ]


def test_check_ledger__finds_a_negative_amount() -> None:
    """A service of −5 points is named, and the balance it leaves."""
    data = chained(record("v1", "王大江"), service("s1", -5))

    problems = problems_in([(WANG, data)])

    assert problems == [
        f"{WANG}:2: a negative amount (-5)",
        f"{WANG}:2: the balance falls to -5 here",
    ]


def test_check_ledger__finds_an_unknown_activity_and_item() -> None:
    """An activity and an item that rules.toml does not have are both named."""
    data = chained(
        record("v1", "王大江"),
        service("s1", 5, activity="chess"),
        redemption("r1", "caviar", 1, 5),
    )

    problems = problems_in([(WANG, data)])

    assert problems == [
        f"{WANG}:2: unknown activity 'chess' (not in rules.toml)",
        f"{WANG}:3: unknown item 'caviar' (not in rules.toml)",
    ]


def test_check_ledger__finds_a_void_of_nothing_and_a_second_void() -> None:
    """A void of an id that is not earlier in the file, and one voided twice."""
    data = chained(
        record("v1", "王大江"),
        service("s1", 5),
        void("x1", "nope"),
        void("x2", "s1"),
        void("x3", "s1"),
    )

    problems = problems_in([(WANG, data)])

    assert problems == [
        f"{WANG}:3: a correction of nope, which is not an earlier entry of this file",
        f"{WANG}:5: s1 is voided a second time (first on line 4)",
    ]


def test_check_ledger__finds_an_id_used_in_two_files() -> None:
    """The same id in two volunteers' files names both places."""
    wang = chained(record("v1", "王大江"), service("s1", 5))
    li = chained(record("v2", "李芳"), service("s1", 5))

    problems = problems_in([(WANG, wang), (LI, li)])

    assert problems == [
        f"{LI}:2: the id s1 is used again (first at {WANG}:2)",
    ]


def test_check_ledger__finds_a_volunteer_copied_to_a_second_file() -> None:
    """A backup copy beside the file: the registration is found twice."""
    wang = chained(record("v1", "王大江"))
    copy = Path("data/volunteers/王大江~2.jsonl")

    problems = problems_in([(WANG, wang), (copy, wang)])

    assert problems == [
        f"{copy}:1: the id v1 is used again (first at {WANG}:1)",
        f"{copy}:1: 王大江 is registered in {WANG} too (a backup copy?)",
    ]


def test_check_ledger__finds_a_balance_below_zero() -> None:
    """5 earned and 50 redeemed: the balance falls to −45 on the redemption."""
    data = chained(
        record("v1", "王大江"), service("s1", 5), redemption("r1", "rice", 1, 50)
    )

    problems = problems_in([(WANG, data)], chained(restock("k1", 1)))

    assert problems == [f"{WANG}:3: the balance falls to -45 here"]


def test_check_ledger__finds_stock_below_zero() -> None:
    """One bag arrived, two taken: the stock falls to −1 on the redemption."""
    data = chained(
        record("v1", "王大江"), service("s1", 500), redemption("r1", "rice", 2, 100)
    )

    problems = problems_in([(WANG, data)], chained(restock("k1", 1)))

    assert problems == [f"{WANG}:3: rice stock falls to -1 here"]


def test_check_ledger__counts_a_stocktake_loss_in_the_stock() -> None:
    """A count that books a loss of 3 bags out of 2 leaves −1, named on the shelf."""
    count = Stocktake(
        id="t1",
        date=dt.date(2026, 11, 2),
        at=moment(2),
        by="staff",
        item="rice",
        counted=0,
        expected=3,
        difference=-3,
    )

    problems = problems_in([], chained(restock("k1", 2), count))

    assert problems == [f"{SHELF}:2: rice stock falls to -1 here"]


def test_check_ledger__a_void_takes_points_back_where_it_stands() -> None:
    """100 earned, 50 spent, 100 earned, the first 100 voided: never below 0."""
    data = chained(
        record("v1", "王大江"),
        service("s1", 100),
        redemption("r1", "rice", 1, 50),
        service("s2", 100, day=5),
        void("x1", "s1", day=6),
    )

    problems = problems_in([(WANG, data)], chained(restock("k1", 1)))

    assert problems == []


def test_check_ledger__a_void_takes_stock_back_when_it_is_written() -> None:
    """5 arrived, 1 taken, 5 more, the first 5 voided: the stock never goes below 0."""
    wang = chained(
        record("v1", "王大江"), service("s1", 100), redemption("r1", "rice", 1, 50)
    )
    shelf = chained(restock("k1", 5), restock("k2", 5, day=5), void("x1", "k1", day=6))

    problems = problems_in([(WANG, wang)], shelf)

    assert problems == []


def test_check_ledger__arrivals_in_the_same_second_count_first() -> None:
    """A bag restocked and taken in the same second is not a stock below zero."""
    wang = chained(
        record("v1", "王大江"), service("s1", 100), redemption("r1", "rice", 1, 50, 1)
    )

    problems = problems_in([(WANG, wang)], chained(restock("k1", 1, day=1)))

    assert problems == []


def test_check_ledger__a_time_without_its_zone_does_not_stop_the_check() -> None:
    """A restock whose time lost its +08:00 by hand is checked like the rest."""
    shelf = chained(restock("k1", 1), restock("k2", 1, day=2))
    edited = shelf.replace(b"T10:00:00+08:00", b"T10:00:00", 1)

    problems = problems_in([], edited)

    assert problems == [
        f"{SHELF}:1: this line does not follow from the one before it: it or an "
        "earlier line was changed, removed or moved by hand; if that was meant, "
        "seal the file with `jifen reseal` and a reason"
    ]


def test_check_ledger__an_unreadable_line_is_not_replayed_around() -> None:
    """A damaged service line is named once; no balance is replayed without it."""
    data = chained(
        record("v1", "王大江"), service("s1", 100), redemption("r1", "soap", 1, 8)
    )
    lines = data.split(b"\n")
    lines[1] = lines[1].replace(b'"points":100', b'"points":100.0')

    problems = problems_in([(WANG, b"\n".join(lines))])

    assert problems == [
        f"{WANG}:2: not a valid entry (Expected `int`, got `float` - at `$.points`)"
    ]


def test_check_ledger__trusts_lines_before_a_valid_seal() -> None:
    """A hand edit sealed with the sha256 of everything before the seal is trusted."""
    data = chained(record("v1", "王大江"), service("s1", 5))
    edited = data.replace(b'"points":5', b'"points":8', 1)
    seal = Seal(
        id="z1",
        date=dt.date(2026, 11, 5),
        at=moment(5),
        by="staff",
        reason="补录纸质记录",
        covers=hashlib.sha256(edited).hexdigest(),
    )
    last_digest = json.loads(edited.splitlines()[-1])["digest"]

    problems = problems_in([(WANG, edited + sealed_line(seal, last_digest))])

    assert problems == []


# The sample community, edited by hand ----------------------------------------

WANG_XIULAN = "data/volunteers/王秀兰.jsonl"
CHAIN = (
    "this line does not follow from the one before it: it or an earlier line was "
    "changed, removed or moved by hand; if that was meant, seal the file with "
    "`jifen reseal` and a reason"
)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A copy of the sample community's rules.toml and data/, without its cache."""
    folder = tmp_path / "sample"
    folder.mkdir()
    shutil.copyfile(REPOSITORY / "rules.toml", folder / "rules.toml")
    shutil.copytree(
        REPOSITORY / "data",
        folder / "data",
        ignore=shutil.ignore_patterns(".cache", ".lock", ".lock-holder"),
    )
    return folder


def edit_lines(path: Path, change: Callable[[list[bytes]], list[bytes]]) -> None:
    """Rewrite a file by hand: `change` gets its lines (no line breaks) and returns them."""
    lines = path.read_bytes().split(b"\n")
    path.write_bytes(b"\n".join(change(lines)))


def on_line(
    number: int, change: Callable[[bytes], bytes]
) -> Callable[..., list[bytes]]:
    """An edit of one line, by its number from 1."""

    def edit(lines: list[bytes]) -> list[bytes]:
        lines[number - 1] = change(lines[number - 1])
        return lines

    return edit


def append_chained(path: Path, event: Event) -> None:
    """Append a line with a digest that follows, as someone who knows the rule would."""
    data = path.read_bytes()
    previous = json.loads(data.splitlines()[-1])["digest"]
    path.write_bytes(data + sealed_line(event, previous))


def test_check__the_sample_community_is_clean(jifen: Jifen) -> None:
    """The sample has no problems: one line, exit 0."""
    result = jifen("check")

    assert (result.status, result.err) == (0, "")
    assert result.out == "No problems: 21 files, 375 entries checked.\n"


HAND_EDITS: dict[str, tuple[Callable[[list[bytes]], list[bytes]], list[str]]] = {
    "points changed in a middle line": (
        on_line(3, lambda line: line.replace(b'"points":4', b'"points":9')),
        [f"3: {CHAIN}"],
    ),
    "broken JSON": (
        on_line(3, lambda line: line[:-1]),
        ["3: not a valid entry (Input data was truncated)"],
    ),
    "a blank line": (
        lambda lines: [*lines[:3], b"", *lines[3:]],
        ["4: a blank line"],
    ),
    "CRLF": (
        on_line(3, lambda line: line + b"\r"),
        ["3: a Windows line ending (CR LF)"],
    ),
    "a BOM": (
        on_line(1, lambda line: b"\xef\xbb\xbf" + line),
        ["1: a byte-order mark at the start (saved as 'UTF-8 with BOM')"],
    ),
    "a deleted line": (
        lambda lines: [*lines[:3], *lines[4:]],
        [f"4: {CHAIN}"],
    ),
    "two lines swapped": (
        lambda lines: [*lines[:2], lines[3], lines[2], *lines[4:]],
        [f"3: {CHAIN}"],
    ),
    "a torn last line": (
        lambda lines: [*lines[:-2], lines[-2][:30]],
        [
            "38: the last line is incomplete (an interrupted write); "
            "`jifen repair` sets it aside and keeps every complete entry"
        ],
    ),
    "float points": (
        on_line(3, lambda line: line.replace(b'"points":4', b'"points":3.0')),
        ["3: not a valid entry (Expected `int`, got `float` - at `$.points`)"],
    ),
    "negative points": (
        on_line(3, lambda line: line.replace(b'"points":4', b'"points":-4')),
        [
            f"3: {CHAIN}",
            "3: a negative amount (-4)",
            "35: the balance falls to -6 here",
        ],
    ),
    "an unknown activity": (
        on_line(
            3,
            lambda line: line.replace(b'"activity":"companion"', b'"activity":"chess"'),
        ),
        [f"3: {CHAIN}", "3: unknown activity 'chess' (not in rules.toml)"],
    ),
}


@pytest.mark.parametrize("edit", sorted(HAND_EDITS))
def test_check__names_each_hand_edit_and_changes_nothing(
    jifen: Jifen, home: Path, edit: str
) -> None:
    """Each hand edit in 王秀兰's file is named by line; exit 1; no byte changes."""
    change, expected = HAND_EDITS[edit]
    path = home / WANG_XIULAN
    edit_lines(path, change)
    before = data_files(home)

    result = jifen("check")

    assert (result.status, result.err) == (1, "")
    count = f"{len(expected)} problem{'s' if len(expected) > 1 else ''}"
    assert result.out.splitlines() == [
        *(f"{path}:{problem}" for problem in expected),
        f"{count} found in 21 files.",
    ]
    assert data_files(home) == before


def test_check__names_an_unknown_item_on_the_shelf(jifen: Jifen, home: Path) -> None:
    """Rice changed to caviar in the first restock: the chain and the item, by line."""
    shelf = home / "data" / "shelf.jsonl"
    edit_lines(shelf, on_line(1, lambda line: line.replace(b'"rice"', b'"caviar"')))
    before = data_files(home)

    result = jifen("check")

    assert result.status == 1
    assert result.out.splitlines()[:2] == [
        f"{shelf}:1: {CHAIN}",
        f"{shelf}:1: unknown item 'caviar' (not in rules.toml)",
    ]
    assert data_files(home) == before


def test_check__names_an_id_used_in_two_files(jifen: Jifen, home: Path) -> None:
    """黄伟's new line reuses 王秀兰's id s0012: named at 黄伟's line, pointing back."""
    huang = home / "data" / "volunteers" / "黄伟.jsonl"
    lines_before = len(huang.read_bytes().splitlines())
    append_chained(huang, service("s0012", 5, day=20))
    before = data_files(home)

    result = jifen("check")

    assert (result.status, result.out) == (
        1,
        f"{huang}:{lines_before + 1}: the id s0012 is used again "
        f"(first at {home / WANG_XIULAN}:3)\n"
        "1 problem found in 21 files.\n",
    )
    assert data_files(home) == before


def test_check__names_a_void_of_nothing(jifen: Jifen, home: Path) -> None:
    """A void whose target is not in the file is named on its line."""
    path = home / WANG_XIULAN
    append_chained(path, void("x9", "nope", day=20))
    before = data_files(home)

    result = jifen("check")

    assert result.out.splitlines() == [
        f"{path}:39: a correction of nope, which is not an earlier entry of this file",
        "1 problem found in 21 files.",
    ]
    assert data_files(home) == before


def test_check__names_a_volunteer_copied_to_a_second_file(
    jifen: Jifen, home: Path
) -> None:
    """A backup copy of 高婷's file: named as registered twice."""
    folder = home / "data" / "volunteers"
    shutil.copyfile(folder / "高婷.jsonl", folder / "高婷~2.jsonl")
    lines = len((folder / "高婷.jsonl").read_bytes().splitlines())
    before = data_files(home)

    result = jifen("check")

    assert result.status == 1
    assert f"{folder / '高婷~2.jsonl'}:1: 高婷 is registered in " in result.out
    assert result.out.splitlines()[-1] == (f"{lines + 1} problems found in 22 files.")
    assert data_files(home) == before


def test_check__names_a_balance_below_zero(jifen: Jifen, home: Path) -> None:
    """A 1000-point redemption added with a good digest: the balance falls below 0."""
    path = home / WANG_XIULAN
    [account] = json.loads(jifen("balance", "王秀兰", "--format", "json").out)
    append_chained(path, redemption("r9", "haircut", 50, 1000, day=30))
    before = data_files(home)

    result = jifen("check")

    assert result.out.splitlines() == [
        f"{path}:39: the balance falls to {account['balance'] - 1000} here",
        "1 problem found in 21 files.",
    ]
    assert data_files(home) == before


def test_check__names_stock_below_zero(jifen: Jifen, home: Path) -> None:
    """A stocktake booking a loss of 1000 bags: rice stock falls below 0 there."""
    shelf = home / "data" / "shelf.jsonl"
    [rice] = [
        line["stock"]
        for line in json.loads(jifen("shelf", "--format", "json").out)
        if line["item"] == "rice"
    ]
    loss = Stocktake(
        id="t9",
        date=dt.date(2026, 11, 30),
        at=dt.datetime(2026, 11, 30, 18, 0, tzinfo=BEIJING_TIME),
        by="staff",
        item="rice",
        counted=0,
        expected=1000,
        difference=-1000,
    )
    append_chained(shelf, loss)
    before = data_files(home)

    result = jifen("check")

    assert result.out.splitlines() == [
        f"{shelf}:36: rice stock falls to {rice - 1000} here",
        "1 problem found in 21 files.",
    ]
    assert data_files(home) == before


def test_check__json_lists_problems_as_objects(jifen: Jifen, home: Path) -> None:
    """--format json: a list of {file, line, message}, exit 1."""
    path = home / WANG_XIULAN
    edit_lines(path, lambda lines: [*lines[:3], b"", *lines[3:]])
    before = data_files(home)

    result = jifen("check", "--format", "json")

    assert result.status == 1
    assert json.loads(result.out) == [
        {"file": str(path), "line": 4, "message": "a blank line"}
    ]
    assert data_files(home) == before


def test_check__json_is_an_empty_list_when_clean(jifen: Jifen) -> None:
    """--format json on the clean sample: [] and exit 0."""
    result = jifen("check", "--format", "json")

    assert (result.status, json.loads(result.out)) == (0, [])


# repair ----------------------------------------------------------------------


def test_repair__sets_a_torn_line_aside_and_check_is_clean(
    jifen: Jifen, home: Path
) -> None:
    """The cut-off last line moves to a side file; every whole line stays."""
    path = home / WANG_XIULAN
    whole = path.read_bytes()
    last = whole.splitlines(keepends=True)[-1]
    path.write_bytes(whole[:-10])

    result = jifen("repair")

    [side] = path.parent.glob("王秀兰.jsonl.torn-*")
    assert (result.status, result.err) == (0, "")
    assert result.out.splitlines() == [
        f"{path}: set aside an incomplete last line ({len(last) - 10} bytes) in "
        f"{side.name}.",
        "Every complete entry was kept. Check the ledger with `jifen check`.",
    ]
    assert path.read_bytes() == whole[: -len(last)]
    assert side.read_bytes() == last[:-10]
    assert jifen("check").status == 0


def test_repair__of_a_cut_off_join_moves_the_whole_file_aside(
    jifen: Jifen, home: Path
) -> None:
    """A join cut short has nothing complete: the file goes aside whole, and they can join again."""
    setup(jifen, "join 新来的 --date 2026-11-01")
    path = home / "data" / "volunteers" / "新来的.jsonl"
    fragment = path.read_bytes()[:40]
    path.write_bytes(fragment)

    result = jifen("repair")

    [side] = path.parent.glob("新来的.jsonl.torn-*")
    assert result.out == (
        f"{path}: set aside an incomplete last line (40 bytes) in {side.name}.\n"
        "Every complete entry was kept. Check the ledger with `jifen check`.\n"
    )
    assert side.read_bytes() == fragment
    assert not path.exists()
    assert jifen("check").status == 0
    assert jifen("join", "新来的", "--date", "2026-11-01").status == 0


def test_repair__adds_the_line_break_a_whole_last_entry_lacks(
    jifen: Jifen, home: Path
) -> None:
    """A complete last entry without its line break is kept and completed, not set aside."""
    setup(jifen, "join 新来的 --date 2026-11-01", "log 新来的 repair --date 2026-11-02")
    path = home / "data" / "volunteers" / "新来的.jsonl"
    whole = path.read_bytes()
    path.write_bytes(whole[:-1])
    told = jifen("check").out.splitlines()[0]

    result = jifen("repair")

    assert (
        told
        == f"{path}:2: the last line has no line break at its end; `jifen repair` adds it"
    )
    assert result.out == (
        f"{path}: the last entry was whole; added its missing line break.\n"
        "Every complete entry was kept. Check the ledger with `jifen check`.\n"
    )
    assert path.read_bytes() == whole
    assert jifen("check").status == 0


def test_repair__with_nothing_torn_changes_nothing(jifen: Jifen, home: Path) -> None:
    """On a clean ledger repair says so and writes nothing."""
    before = data_files(home)

    result = jifen("repair")

    assert result.out == "Nothing to repair: every file ends with a complete line.\n"
    assert data_files(home) == before


# reseal ----------------------------------------------------------------------


def test_reseal__a_hand_edited_file_checks_clean_again(
    jifen: Jifen, home: Path
) -> None:
    """After `jifen reseal 王秀兰 --reason ...` the edited file is trusted."""
    path = home / WANG_XIULAN
    edit_lines(
        path, on_line(3, lambda line: line.replace(b'"points":4', b'"points":5'))
    )
    covered = path.read_bytes()

    result = jifen("reseal", "王秀兰", "--reason", "补录纸质记录")
    checked = jifen("check")

    seal = json.loads(path.read_bytes().splitlines()[-1])
    assert (result.status, result.err) == (0, "")
    assert result.out == (
        f"Sealed {path} as it is now, by staff: 补录纸质记录. Id: {seal['id']}\n"
    )
    assert {key: seal[key] for key in ("kind", "by", "reason", "covers")} == {
        "kind": "seal",
        "by": "staff",
        "reason": "补录纸质记录",
        "covers": hashlib.sha256(covered).hexdigest(),
    }
    assert path.read_bytes().startswith(covered)
    assert (checked.status, checked.out) == (
        0,
        "No problems: 21 files, 376 entries checked.\n",
    )


def test_reseal__an_edit_before_the_seal_is_found_again(
    jifen: Jifen, home: Path
) -> None:
    """A second edit above the seal voids it: the seal and the first change show."""
    path = home / WANG_XIULAN
    edit_lines(
        path, on_line(3, lambda line: line.replace(b'"points":4', b'"points":5'))
    )
    setup(jifen, "reseal 王秀兰 --reason 补录纸质记录")
    seal_line = path.read_bytes().count(b"\n")
    edit_lines(path, on_line(10, lambda line: line.replace(b'"by":"', b'"by":"x', 1)))

    result = jifen("check")

    assert (result.status, result.out) == (
        1,
        f"{path}:3: {CHAIN}\n"
        f"{path}:{seal_line}: the seal made here on {today_in_shanghai().isoformat()} "
        "by staff no longer matches: a line before it was changed after it was "
        "sealed\n"
        "2 problems found in 21 files.\n",
    )


def test_reseal__an_edit_after_the_seal_is_found(jifen: Jifen, home: Path) -> None:
    """Lines added after the seal are checked as usual."""
    path = home / WANG_XIULAN
    edit_lines(
        path, on_line(3, lambda line: line.replace(b'"points":4', b'"points":5'))
    )
    setup(
        jifen,
        "reseal 王秀兰 --reason 补录纸质记录",
        "log 王秀兰 class --date 2026-11-30",
    )
    edit_lines(
        path, on_line(40, lambda line: line.replace(b'"points":5', b'"points":6'))
    )

    result = jifen("check")

    assert result.out == f"{path}:40: {CHAIN}\n1 problem found in 21 files.\n"


def test_reseal__the_shelf(jifen: Jifen, home: Path) -> None:
    """`jifen reseal --shelf` seals the shelf's file after a hand edit."""
    shelf = home / "data" / "shelf.jsonl"
    edit_lines(shelf, on_line(1, lambda line: line.replace(b'"qty":3', b'"qty":4')))

    sealed = jifen("reseal", "--shelf", "--reason", "配送单核对")
    checked = jifen("check")

    assert sealed.out.startswith(f"Sealed {shelf} as it is now, by staff: 配送单核对. ")
    assert checked.status == 0, checked.out


def test_reseal__refuses_a_file_with_a_torn_last_line(jifen: Jifen, home: Path) -> None:
    """A torn tail is not sealed; the message says to repair it."""
    path = home / WANG_XIULAN
    path.write_bytes(path.read_bytes()[:-10])
    before = data_files(home)

    result = jifen("reseal", "王秀兰", "--reason", "x")

    assert (result.status, result.out) == (1, "")
    assert result.err == (
        f"Error: {path}:38: the last line is incomplete (an interrupted write?); "
        "nothing was changed; run `jifen repair` to set it aside, then record that "
        "entry again\n"
    )
    assert data_files(home) == before
