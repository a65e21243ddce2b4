"""Tests for jifen.cli: every command end to end, through the real CLI in-process.

Each refusal is checked the same way: exit status 1, nothing on stdout, exactly
one line on stderr naming the problem and the fix, and every file in data/
byte-identical before and after.
"""

import json
import math
import shlex
import shutil
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import (
    Jifen,
    data_files,
    refused,
    setup,
    table_lines,
    today_in_shanghai,
    volunteer_file,
    write_rules,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jifen.cli import app, run, voucher_app
from jifen.rules import DEFAULT_RULES_PATH
from jifen.store import file_stem

NAME_FIX = 'leave out / \\ < > : " | ? * and control characters'
REPAIR_ONLY = """\
[activities.repair]
label = "维修家电"
per = "job"
points = 3
"""


# --help ----------------------------------------------------------------------

SUMMARIES = {
    prefix + (command.name or command.callback.__name__): (
        command.callback.__doc__.splitlines()[0]
    )
    for prefix, group in (("", app), ("voucher ", voucher_app))
    for command in group.registered_commands
    if command.callback is not None and command.callback.__doc__
}


def test_commands__every_one_has_a_summary() -> None:
    """The commands the help test walks through are all of them, each with a summary."""
    commands = sorted(SUMMARIES)

    assert commands == [
        "balance",
        "board",
        "check",
        "init",
        "join",
        "log",
        "passbook",
        "redeem",
        "repair",
        "report",
        "reseal",
        "restock",
        "rules",
        "shelf",
        "stocktake",
        "void",
        "voucher list",
        "voucher use",
    ]
    assert [group.name for group in app.registered_groups] == ["voucher"]
    assert len(app.registered_commands) + len(voucher_app.registered_commands) == len(
        commands
    )


@pytest.mark.parametrize("command", sorted(SUMMARIES))
def test_help__every_command_explains_itself(jifen: Jifen, command: str) -> None:
    """`jifen COMMAND --help` exits 0 and prints its usage and its summary."""
    result = jifen(*command.split(), "--help")

    assert (result.status, result.err) == (0, "")
    assert result.out.startswith(f"Usage: jifen {command} [OPTIONS]")
    assert SUMMARIES[command] in " ".join(result.out.split())


def test_help__bare_jifen_shows_the_help(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`jifen` alone prints the help on stdout and exits 0, not a usage error."""
    monkeypatch.chdir(home)

    status = run([])

    captured = capsys.readouterr()
    assert (status, captured.err) == (0, "")
    assert captured.out.startswith("Usage: jifen [OPTIONS] COMMAND [ARGS]...")
    assert "  join       Register a volunteer." in captured.out
    assert "  voucher    Vouchers for partner shops: use one, or list them." in (
        captured.out
    )


def test_run__an_unknown_command_is_one_line(jifen: Jifen, home: Path) -> None:
    """A mistyped command is refused on one line with the command meant and --help."""
    message = refused(jifen, home, "blance")

    assert message == (
        "No such command 'blance'. Did you mean 'balance'? "
        "(type `jifen --help` or `jifen COMMAND --help`)"
    )


# init and finding the home ---------------------------------------------------


def test_init__makes_a_home_that_home_and_jifen_home_find(
    jifen: Jifen, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`jifen init DIR`, then --home DIR and JIFEN_HOME=DIR both work on it."""
    new = tmp_path / "new"

    made = jifen("init", str(new))
    by_option = jifen("--home", str(new), "join", "王大江", "--date", "2026-10-01")
    monkeypatch.setenv("JIFEN_HOME", str(new))
    by_environment = jifen("log", "王大江", "repair", "--date", "2026-10-02")

    assert made.out == (
        f"Made a jifen home in {new}. Edit {new / 'rules.toml'} to suit your "
        "community, then register volunteers with `jifen join NAME`.\n"
    )
    assert (new / "rules.toml").read_bytes() == DEFAULT_RULES_PATH.read_bytes()
    assert (by_option.status, by_environment.status) == (0, 0)
    assert by_environment.out.startswith("王大江 earned 3 points for 维修家电")
    assert list(data_files(new)) == ["volunteers/王大江.jsonl"]
    assert data_files(tmp_path / "home") == {}


def test_init__refuses_a_folder_that_is_already_a_home(
    jifen: Jifen, home: Path
) -> None:
    """init where rules.toml exists changes nothing and says so."""
    rules_before = (home / "rules.toml").read_bytes()

    message = refused(jifen, home, "init", str(home))

    assert message == (
        f"{home / 'rules.toml'} already exists; this folder is already a jifen home"
    )
    assert (home / "rules.toml").read_bytes() == rules_before


def test_any_command__without_a_home_suggests_init(
    jifen: Jifen, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run from an empty folder with JIFEN_HOME unset, jifen suggests `jifen init`."""
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)

    result = jifen("balance")

    assert (result.status, result.out) == (1, "")
    assert result.err == (
        f"Error: no jifen home here: no rules.toml in {empty} or any folder above "
        "it; type `jifen init` to make one, or pass --home DIR\n"
    )


def test_home_option__refuses_a_folder_without_rules(
    jifen: Jifen, home: Path, tmp_path: Path
) -> None:
    """--home at a folder that is not a home says how to make it one."""
    message = refused(jifen, home, "--home", str(tmp_path), "balance")

    assert message == (
        f"--home {tmp_path} has no rules.toml; type `jifen init {tmp_path}` first"
    )


# join ------------------------------------------------------------------------


def test_join__confirms_with_the_phone_masked(jifen: Jifen, home: Path) -> None:
    """The confirmation shows team and a masked phone; the file keeps the record."""
    result = jifen(
        *shlex.split(
            "join 王大江 --team 银发互助队 --phone '138 1234 5678' "
            "--date 2026-10-01 --id j1"
        )
    )

    assert (result.status, result.err) == (0, "")
    assert result.out == (
        "Registered 王大江, team 银发互助队, phone 138****5678 "
        "(joined 2026-10-01, id j1).\n"
    )
    record = json.loads(volunteer_file(home, "王大江").read_text(encoding="utf-8"))
    assert {key: record[key] for key in ("kind", "id", "date", "by", "name")} == {
        "kind": "volunteer",
        "id": "j1",
        "date": "2026-10-01",
        "by": "staff",
        "name": "王大江",
    }
    assert (record["team"], record["phone"]) == ("银发互助队", "13812345678")


def test_join__trims_spaces_including_the_full_width_space(
    jifen: Jifen, home: Path
) -> None:
    """Joining '　王大江 ' registers 王大江; logging '王大江' finds the same person."""
    joined = jifen("join", "\u3000王大江 ", "--date", "2026-10-01", "--id", "j1")

    logged = jifen("log", "王大江", "repair", "--date", "2026-10-02", "--id", "s1")

    assert joined.out == "Registered 王大江 (joined 2026-10-01, id j1).\n"
    assert logged.out.splitlines() == [
        "王大江 earned 3 points for 维修家电 on 2026-10-02.",
        "Balance: 3 points. Service hours: 0 h. Id: s1",
    ]
    assert list(data_files(home)) == ["volunteers/王大江.jsonl"]


@pytest.mark.parametrize(
    ("first", "second", "stored"),
    [
        ("Jos\u00e9", "Jose\u0301", "Jos\u00e9"),
        ("Jose\u0301", "Jos\u00e9", "Jos\u00e9"),
        ("ＡＢＣ", "ABC", "ABC"),
        ("ABC", "ＡＢＣ", "ABC"),
        ("王 大江", "王\u3000\u3000大江", "王 大江"),
    ],
)
def test_join__one_person_whatever_the_unicode_spelling(
    jifen: Jifen, home: Path, first: str, second: str, stored: str
) -> None:
    """Composed vs decomposed accents and full-width letters are one person, one file."""
    setup(jifen, shlex.join(["join", first, "--date", "2026-10-01"]))

    logged = jifen("log", second, "repair", "--date", "2026-10-02")
    again = refused(jifen, home, "join", second)

    assert logged.out.startswith(f"{stored} earned 3 points")
    assert again == (
        f"'{stored}' is already registered (joined 2026-10-01); to register another "
        "person of that name, add something that tells them apart, "
        f"e.g. `jifen join {stored}-2号楼`"
    )
    assert list(data_files(home)) == [f"volunteers/{file_stem(stored)}.jsonl"]
    assert unicodedata.is_normalized("NFC", next(iter(data_files(home))))


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("a/b", "the name 'a/b' contains '/'; " + NAME_FIX),
        ("../etc", "the name '../etc' contains '/'; " + NAME_FIX),
        ("a\\b", "the name 'a\\b' contains '\\'; " + NAME_FIX),
        ("..", "the name '..' may not start with '.' or contain '..'"),
        ("王..大江", "the name '王..大江' may not start with '.' or contain '..'"),
        (
            "王\x07大江",
            "the name '王\\x07大江' contains '\\x07'; " + NAME_FIX,
        ),
        (
            "王\x1b[31m",
            "the name '王\\x1b[31m' contains '\\x1b'; " + NAME_FIX,
        ),
        ("   ", "the name is empty; type a name such as 王大江"),
        ("\u3000\u3000", "the name is empty; type a name such as 王大江"),
    ],
)
def test_join__refuses_unsafe_names(
    jifen: Jifen, home: Path, name: str, message: str
) -> None:
    """Path separators, '..', control characters and blank names are refused."""
    error = refused(jifen, home, "join", name)

    assert error == message
    assert data_files(home) == {}


def test_join__refuses_a_name_already_taken(jifen: Jifen, home: Path) -> None:
    """A second 王大江 is refused with how to tell two people apart."""
    setup(jifen, "join 王大江 --date 2026-10-01")

    message = refused(jifen, home, "join", "王大江")

    assert message == (
        "'王大江' is already registered (joined 2026-10-01); to register another "
        "person of that name, add something that tells them apart, "
        "e.g. `jifen join 王大江-2号楼`"
    )


def test_join__a_retried_id_records_nothing_twice(jifen: Jifen, home: Path) -> None:
    """Joining again with the same --id and details succeeds and writes nothing."""
    setup(jifen, "join 王大江 --date 2026-10-01 --id j1")
    before = data_files(home)

    result = jifen("join", "王大江", "--date", "2026-10-01", "--id", "j1")

    assert result.out == (
        "Already recorded (id j1); nothing written.\n"
        "Registered 王大江 (joined 2026-10-01, id j1).\n"
    )
    assert data_files(home) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--phone", "call me"],
            "--phone 'call me' is not a phone number; type digits, e.g. 13812345678",
        ),
        (
            ["--team", "a/b"],
            "the team name 'a/b' contains '/'; " + NAME_FIX,
        ),
        (
            ["--date", "2999-01-01"],
            "--date 2999-01-01 is in the future (today is {today}); check the date",
        ),
    ],
)
def test_join__refuses_bad_details(
    jifen: Jifen, home: Path, args: list[str], message: str
) -> None:
    """A bad phone, team or joining date is refused and nobody is registered."""
    error = refused(jifen, home, "join", "王大江", *args)

    assert error == message.format(today=today_in_shanghai().isoformat())


# log -------------------------------------------------------------------------


def test_log__per_hour_prints_points_hours_and_witness(jifen: Jifen) -> None:
    """2.5 h of cleanup earns 6 points (full hours only), with hours and witness."""
    setup(jifen, "join 王大江 --date 2026-10-01")

    result = jifen(
        *shlex.split(
            "log 王大江 打扫卫生 --hours 2.5 --date 2026-10-02 --witness 李网格 --id s1"
        )
    )

    assert (result.status, result.err) == (0, "")
    assert result.out.splitlines() == [
        "王大江 earned 6 points for 环境卫生整治 on 2026-10-02, 2.5 h, witness 李网格.",
        "Balance: 6 points. Service hours: 2.5 h. Id: s1",
    ]


def test_log__level_and_times(jifen: Jifen) -> None:
    """Two hard classes earn (5 + 1) × 2 = 12 points."""
    setup(jifen, "join 王大江 --date 2026-10-01")

    result = jifen(
        *shlex.split(
            "log 王大江 class --times 2 --level 较难 --date 2026-10-02 --id s1"
        )
    )

    assert result.out.splitlines() == [
        "王大江 earned 12 points for 公益课授课 on 2026-10-02.",
        "Balance: 12 points. Service hours: 0 h. Id: s1",
    ]


def test_log__says_when_the_daily_cap_held_points_back(jifen: Jifen) -> None:
    """3 h then 3 h of cleanup on one day: the second earns only its 1 counted hour."""
    setup(jifen, "join 王大江 --date 2026-10-01")
    setup(jifen, "log 王大江 cleanup --hours 3 --date 2026-10-02 --id s1")

    result = jifen(
        "log", "王大江", "cleanup", "--hours", "3", "--date", "2026-10-02", "--id", "s2"
    )

    assert result.out.splitlines() == [
        "王大江 earned 3 points for 环境卫生整治 on 2026-10-02, 3 h.",
        "Only 4 full hours of 环境卫生整治 a day count for points; the hours beyond "
        "that still count toward star levels.",
        "Balance: 12 points. Service hours: 6 h. Id: s2",
    ]


def test_log__the_daily_cap_counts_full_hours_across_the_day(jifen: Jifen) -> None:
    """3.5 h then 1 h of cleanup on one day: 3 + 1 full hours, so 9 + 3 = 12 points."""
    setup(jifen, "join 王大江 --date 2026-10-01")
    first = jifen(*shlex.split("log 王大江 cleanup --hours 3.5 --date 2026-10-02"))

    second = jifen(
        *shlex.split("log 王大江 cleanup --hours 1 --date 2026-10-02 --id s2")
    )
    third = jifen(
        *shlex.split("log 王大江 cleanup --hours 1 --date 2026-10-02 --id s3")
    )

    assert first.out.splitlines()[0] == (
        "王大江 earned 9 points for 环境卫生整治 on 2026-10-02, 3.5 h."
    )
    assert second.out.splitlines() == [
        "王大江 earned 3 points for 环境卫生整治 on 2026-10-02, 1 h.",
        "Balance: 12 points. Service hours: 4.5 h. Id: s2",
    ]
    assert third.out.splitlines() == [
        "王大江 earned 0 points for 环境卫生整治 on 2026-10-02, 1 h.",
        "Only 4 full hours of 环境卫生整治 a day count for points; the hours beyond "
        "that still count toward star levels.",
        "Balance: 12 points. Service hours: 5.5 h. Id: s3",
    ]


def test_log__accepts_full_width_digits(jifen: Jifen) -> None:
    """--hours ３ and --date ２０２６-１０-０１ read as 3 and 2026-10-01."""
    setup(jifen, "join 王大江 --date 2026-10-01")

    result = jifen(
        *shlex.split("log 王大江 cleanup --hours ３ --date ２０２６-１０-０１ --id s1")
    )

    assert result.out.splitlines() == [
        "王大江 earned 9 points for 环境卫生整治 on 2026-10-01, 3 h.",
        "Balance: 9 points. Service hours: 3 h. Id: s1",
    ]


def test_log__defaults_to_today(jifen: Jifen, home: Path) -> None:
    """Without --date the service is dated today in the community's time zone."""
    setup(jifen, "join 王大江 --date 2026-10-01")

    result = jifen("log", "王大江", "repair", "--id", "s1")

    today = today_in_shanghai().isoformat()
    assert result.out.splitlines()[0] == (
        f"王大江 earned 3 points for 维修家电 on {today}."
    )


@pytest.mark.parametrize("activity", ["cleanup", "repair"])
def test_log__a_retried_id_records_nothing_twice(
    jifen: Jifen, home: Path, activity: str
) -> None:
    """The same --id again, even for a capped per-hour activity, writes nothing."""
    command = ["log", "王大江", activity, "--hours", "3", "--date", "2026-10-02"]
    setup(jifen, "join 王大江 --date 2026-10-01", shlex.join([*command, "--id", "s1"]))
    before = data_files(home)

    result = jifen(*command, "--id", "s1")

    assert (result.status, result.err) == (0, "")
    assert result.out.splitlines()[0] == "Already recorded (id s1); nothing written."
    assert data_files(home) == before


def test_log__refuses_an_id_used_for_something_else(jifen: Jifen, home: Path) -> None:
    """Reusing an --id for a different service is refused."""
    setup(
        jifen,
        "join 王大江 --date 2026-10-01",
        "log 王大江 repair --date 2026-10-02 --id s1",
    )

    message = refused(
        jifen, home, "log", "王大江", "class", "--date", "2026-10-02", "--id", "s1"
    )

    assert message == (
        "--id s1 was already used on 2026-10-02 for a different entry; use a new id"
    )


def test_log__suggests_the_closest_volunteers(jifen: Jifen, home: Path) -> None:
    """An unknown name is answered with the registered names that look like it."""
    setup(
        jifen,
        "join 王大江 --date 2026-10-01",
        "join '王 大海' --date 2026-10-01",
        "join 王_大海 --date 2026-10-01",
    )

    message = refused(jifen, home, "log", "王大", "repair")

    assert (
        message
        == "no volunteer '王大'; did you mean '王大江' or '王_大海' or '王 大海'?"
    )


def test_log__suggests_join_for_a_stranger(jifen: Jifen, home: Path) -> None:
    """A name like no one registered points to balance and join."""
    setup(jifen, "join 王大江 --date 2026-10-01")

    message = refused(jifen, home, "log", "李四", "repair")

    assert message == (
        "no volunteer '李四'; type `jifen balance` to see everyone, "
        "or `jifen join 李四` to register them"
    )


def test_log__suggests_the_closest_activity(jifen: Jifen, home: Path) -> None:
    """cleanup2 → did you mean 'cleanup' (环境卫生整治)?"""
    setup(jifen, "join 王大江 --date 2026-10-01")

    message = refused(jifen, home, "log", "王大江", "cleanup2", "--hours", "2")

    assert message == "no activity 'cleanup2'; did you mean 'cleanup' (环境卫生整治)?"


DECIMALS = " (at most 2 decimals); type e.g. --hours 1.5"


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("0", "hours must be more than 0; type e.g. --hours 1.5"),
        ("-1", "hours '-1' is not a number of hours" + DECIMALS),
        ("abc", "hours 'abc' is not a number of hours" + DECIMALS),
        ("nan", "hours 'nan' is not a number of hours" + DECIMALS),
        ("inf", "hours 'inf' is not a number of hours" + DECIMALS),
        ("25", "hours 25 is more than a day; log each day's service separately"),
    ],
)
def test_log__refuses_bad_hours(
    jifen: Jifen, home: Path, hours: str, message: str
) -> None:
    """Hours that are not more than 0 and at most 24 are refused."""
    setup(jifen, "join 王大江 --date 2026-10-01")

    error = refused(jifen, home, "log", "王大江", "cleanup", "--hours", hours)

    assert error == message


def test_log__refuses_a_per_hour_activity_without_hours(
    jifen: Jifen, home: Path
) -> None:
    """Cleanup is scored per full hour, so --hours is needed."""
    setup(jifen, "join 王大江 --date 2026-10-01")

    message = refused(jifen, home, "log", "王大江", "cleanup")

    assert message == (
        "cleanup (环境卫生整治) is scored per full hour; add the hours, e.g. --hours 1.5"
    )


def test_log__refuses_times_for_a_per_hour_activity(jifen: Jifen, home: Path) -> None:
    """A per-hour activity takes the total hours, not --times."""
    setup(jifen, "join 王大江 --date 2026-10-01")

    message = refused(
        jifen, home, "log", "王大江", "cleanup", "--hours", "1", "--times", "2"
    )

    assert message == (
        "cleanup (环境卫生整治) is scored per full hour; give the total --hours, "
        "not --times"
    )


@pytest.mark.parametrize("date", ["2026-13-01", "yesterday", "2026/10/01"])
def test_log__refuses_a_malformed_date(jifen: Jifen, home: Path, date: str) -> None:
    """A date that is not YYYY-MM-DD is refused with today as the example."""
    setup(jifen, "join 王大江 --date 2026-10-01")

    message = refused(jifen, home, "log", "王大江", "repair", "--date", date)

    assert message == (
        f"--date {date!r} is not a date; type it as YYYY-MM-DD, "
        f"e.g. {today_in_shanghai().isoformat()}"
    )


def test_log__refuses_a_future_date(jifen: Jifen, home: Path) -> None:
    """A service cannot be logged for a day that has not come."""
    setup(jifen, "join 王大江 --date 2026-10-01")

    message = refused(jifen, home, "log", "王大江", "repair", "--date", "2999-01-01")

    assert message == (
        "--date 2999-01-01 is in the future "
        f"(today is {today_in_shanghai().isoformat()}); check the date"
    )


def test_log__refuses_an_unknown_level(jifen: Jifen, home: Path) -> None:
    """A misspelt level is answered with the level meant."""
    setup(jifen, "join 王大江 --date 2026-10-01")

    message = refused(jifen, home, "log", "王大江", "class", "--level", "hardd")

    assert message == "no level 'hardd'; did you mean 'hard' (较难)?"


# Rich markup is text ---------------------------------------------------------


def test_output__shows_rich_markup_in_names_literally(jifen: Jifen) -> None:
    """[bold] in a name, a team and a witness is printed as typed, never styled."""
    setup(jifen, "join '[bold]李' --team '[red]队' --date 2026-10-01")

    logged = jifen(
        *shlex.split(
            "log '[bold]李' repair --witness '[i]网格员' --date 2026-10-02 --id s1"
        )
    )
    balance = jifen("balance", "[bold]李")
    passbook = jifen("passbook", "[bold]李")
    board = jifen("board", "--month", "2026-10")

    assert logged.out.splitlines()[0] == (
        "[bold]李 earned 3 points for 维修家电 on 2026-10-02, witness [i]网格员."
    )
    assert table_lines(balance.out)[3] == (
        " [bold]李    [red]队        3          0         3       0   —"
    )
    assert (
        passbook.out.splitlines()[0]
        == "Passbook of [bold]李, team [red]队, joined 2026-10-01"
    )
    assert table_lines(passbook.out)[3] == (
        " 2026-10-02   维修家电               +3         3   [i]网格员   s1"
    )
    assert table_lines(board.out)[3] == (
        "    1   [bold]李    [red]队        3       0   —"
    )


def test_output__shows_rich_markup_in_an_error_literally(
    jifen: Jifen, home: Path
) -> None:
    """[red]x[/red] typed as a name is refused, and the message shows it as typed."""
    message = refused(jifen, home, "join", "[red]x[/red]")

    assert message == "the name '[red]x[/red]' contains '/'; " + NAME_FIX


def test_log__stores_a_note_with_markup_as_typed(jifen: Jifen, home: Path) -> None:
    """A note such as [red]x[/red] is kept verbatim in the volunteer's file."""
    setup(jifen, "join 王大江 --date 2026-10-01")

    jifen(
        "log",
        "王大江",
        "repair",
        "--note",
        "[red]x[/red] 修收音机",
        "--date",
        "2026-10-02",
    )

    lines = volunteer_file(home, "王大江").read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[1])["note"] == "[red]x[/red] 修收音机"


def test_log__keeps_the_notes_full_width_punctuation(jifen: Jifen, home: Path) -> None:
    """A note's ，。 are stored and shown as typed, under the What text."""
    setup(jifen, "join 王大江 --date 2026-10-01")

    jifen(
        "log",
        "王大江",
        "repair",
        "--note",
        "修好收音机，老人很高兴。",
        "--date",
        "2026-10-02",
        "--id",
        "s1",
    )
    passbook = jifen("passbook", "王大江")

    lines = volunteer_file(home, "王大江").read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[1])["note"] == "修好收音机，老人很高兴。"
    assert table_lines(passbook.out)[3:5] == [
        " 2026-10-02   维修家电                               +3         3             s1",
        "              修好收音机，老人很高兴。",
    ]


# redeem ----------------------------------------------------------------------


def test_redeem__prints_what_was_taken_and_what_is_left(jifen: Jifen) -> None:
    """Two bags of rice (rice:２) cost 100 points, leaving 10."""
    setup(
        jifen,
        "restock rice 2 --date 2026-10-01",
        "join 王大江 --date 2026-10-01",
        "log 王大江 class --times 22 --date 2026-10-02",
    )

    result = jifen("redeem", "王大江", "rice:２", "--date", "2026-10-03", "--id", "r1")

    assert (result.status, result.err) == (0, "")
    assert result.out.splitlines() == [
        "王大江 redeemed 大米 ×2 (100) on 2026-10-03: 100 points spent.",
        "Balance left: 10 points. Id: r1",
    ]


def test_redeem__adds_up_repeated_items(jifen: Jifen) -> None:
    """'米 rice 油' is two rice and one oil, each line priced."""
    setup(
        jifen,
        "restock rice 2 --date 2026-10-01",
        "restock oil 1 --date 2026-10-01",
        "join 王大江 --date 2026-10-01",
        "log 王大江 class --times 40 --date 2026-10-02",
    )

    result = jifen(
        "redeem", "王大江", "米", "rice", "油", "--date", "2026-10-03", "--id", "r1"
    )

    assert result.out.splitlines() == [
        "王大江 redeemed 大米 ×2 (100), 食用油 ×1 (60) on 2026-10-03: 160 points spent.",
        "Balance left: 40 points. Id: r1",
    ]


def test_redeem__refuses_when_points_are_short(jifen: Jifen, home: Path) -> None:
    """At 98 points, oil and rice (110) are refused: 12 short, nothing redeemed."""
    setup(
        jifen,
        "restock rice 5 --date 2026-10-01",
        "restock oil 5 --date 2026-10-01",
        "join 王大江 --date 2026-10-01",
        "log 王大江 class --times 19 --date 2026-10-02",
        "log 王大江 repair --date 2026-10-03",
    )

    message = refused(jifen, home, "redeem", "王大江", "oil", "rice")

    assert message == "王大江 needs 110, has 98: 12 short; nothing was redeemed"


def test_redeem__a_retried_id_records_nothing_twice(jifen: Jifen, home: Path) -> None:
    """Redeeming again with the same --id spends nothing more."""
    setup(
        jifen,
        "restock tissue 5 --date 2026-10-01",
        "join 王大江 --date 2026-10-01",
        "log 王大江 class --times 2 --date 2026-10-02",
        "redeem 王大江 tissue --date 2026-10-03 --id r1",
    )
    before = data_files(home)

    result = jifen("redeem", "王大江", "tissue", "--date", "2026-10-03", "--id", "r1")

    assert result.out.splitlines() == [
        "Already recorded (id r1); nothing written.",
        "王大江 redeemed 卫生纸 ×1 (10) on 2026-10-03: 10 points spent.",
        "Balance left: 0 points. Id: r1",
    ]
    assert data_files(home) == before


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (["rice2"], "no item 'rice2'; did you mean 'rice' (大米)?"),
        (["rice:0"], "quantity '0' is not a whole number from 1 up; type e.g. rice:2"),
        (["米:两"], "quantity '两' is not a whole number from 1 up; type e.g. 米:2"),
    ],
)
def test_redeem__refuses_unknown_items_and_bad_quantities(
    jifen: Jifen, home: Path, items: list[str], message: str
) -> None:
    """A misspelt item or a quantity that is not a count is refused."""
    setup(
        jifen,
        "restock rice 5 --date 2026-10-01",
        "join 王大江 --date 2026-10-01",
        "log 王大江 class --times 40 --date 2026-10-02",
    )

    error = refused(jifen, home, "redeem", "王大江", *items)

    assert error == message


# balance ---------------------------------------------------------------------


def small_ledger(jifen: Jifen) -> None:
    """Register 王大江 (with a phone) and 李芳, and log and redeem in October 2026.

    10 tissues arrive on the shelf on 1 October.
    王大江: 2.5 h and 3.5 h of cleanup (6 + 9), a repair (3), tissue redeemed (10).
    李芳: one class (5).
    """
    setup(
        jifen,
        "restock tissue 10 --date 2026-10-01",
        "join 王大江 --team 银发互助队 --phone 13812345678 --date 2026-10-01",
        "join 李芳 --date 2026-10-05",
        "log 王大江 cleanup --hours 2.5 --date 2026-10-02 --witness 李网格 --id s1",
        "log 王大江 cleanup --hours 3.5 --date 2026-10-03 --id s2",
        "log 王大江 repair --date 2026-10-31 --id s3",
        "redeem 王大江 tissue --date 2026-10-31 --id r1",
        "log 李芳 class --date 2026-10-06 --id s4",
    )


def test_balance__json_for_everyone(jifen: Jifen) -> None:
    """balance --format json lists each volunteer's figures, and never the phone."""
    small_ledger(jifen)

    result = jifen("balance", "--format", "json")

    assert json.loads(result.out) == [
        {
            "name": "李芳",
            "team": None,
            "earned": 5,
            "redeemed": 0,
            "balance": 5,
            "hours": 0,
            "stars": 0,
        },
        {
            "name": "王大江",
            "team": "银发互助队",
            "earned": 18,
            "redeemed": 10,
            "balance": 8,
            "hours": 6,
            "stars": 0,
        },
    ]
    assert "13812345678" not in result.out
    assert "phone" not in result.out


def test_balance__table_for_one_volunteer(jifen: Jifen) -> None:
    """The table shows earned, redeemed, balance, hours and stars, and no phone."""
    small_ledger(jifen)

    result = jifen("balance", "王大江")

    assert table_lines(result.out) == [
        "Balances — 幸福里社区",
        " Volunteer   Team         Earned   Redeemed   Balance   Hours   Stars",
        "──────────────────────────────────────────────────────────────────────",
        " 王大江      银发互助队       18         10         8       6   —",
    ]


def test_balance__an_empty_home_says_how_to_start(jifen: Jifen) -> None:
    """No volunteers yet: a friendly line, not an empty table."""
    result = jifen("balance")

    assert result.out == "No volunteers yet. Register one with `jifen join NAME`.\n"


# passbook --------------------------------------------------------------------


def test_passbook__json_lines_with_running_balance(jifen: Jifen) -> None:
    """Each line: id, date, kind, what, hours, points (− spent), balance, witness, note."""
    small_ledger(jifen)

    result = jifen("passbook", "王大江", "--format", "json")

    assert json.loads(result.out) == [
        {
            "id": "s1",
            "date": "2026-10-02",
            "kind": "service",
            "what": "环境卫生整治",
            "hours": 2.5,
            "points": 6,
            "balance": 6,
            "witness": "李网格",
            "note": None,
        },
        {
            "id": "s2",
            "date": "2026-10-03",
            "kind": "service",
            "what": "环境卫生整治",
            "hours": 3.5,
            "points": 9,
            "balance": 15,
            "witness": None,
            "note": None,
        },
        {
            "id": "s3",
            "date": "2026-10-31",
            "kind": "service",
            "what": "维修家电",
            "hours": None,
            "points": 3,
            "balance": 18,
            "witness": None,
            "note": None,
        },
        {
            "id": "r1",
            "date": "2026-10-31",
            "kind": "redemption",
            "what": "卫生纸 ×1",
            "hours": None,
            "points": -10,
            "balance": 8,
            "witness": None,
            "note": None,
        },
    ]
    assert "13812345678" not in result.out


def test_passbook__table_shows_the_phone_masked(jifen: Jifen) -> None:
    """The printed passbook heads with team, masked phone and joining date."""
    small_ledger(jifen)

    result = jifen("passbook", "王大江")

    assert table_lines(result.out) == [
        "Passbook of 王大江, team 银发互助队, phone 138****5678, joined 2026-10-01",
        " Date         What           Hours   Points   Balance   Witness   Id",
        "───────────────────────────────────────────────────────────────────────────────",
        " 2026-10-02   环境卫生整治     2.5       +6         6   李网格    s1",
        " 2026-10-03   环境卫生整治     3.5       +9        15             s2",
        " 2026-10-31   维修家电                   +3        18             s3",
        " 2026-10-31   卫生纸 ×1                 −10         8             r1",
        "Balance: 8 points; earned 18, redeemed 10; 6 h, —",
    ]
    assert "13812345678" not in result.out


def test_passbook__a_new_volunteer_has_an_empty_passbook(jifen: Jifen) -> None:
    """No entries yet: the heading and a hint to log a service."""
    setup(jifen, "join 王大江 --date 2026-10-01")

    result = jifen("passbook", "王大江")

    assert result.out.splitlines() == [
        "Passbook of 王大江, joined 2026-10-01",
        "No entries yet. Log a service with `jifen log NAME ACTIVITY`.",
    ]


# board -----------------------------------------------------------------------


def test_board__json_with_competition_ranking(jifen: Jifen) -> None:
    """Two at 9 points share rank 1, the next is 3rd; spending 50 lowers no rank."""
    setup(
        jifen,
        "join 甲 --team 维修队 --date 2026-09-01",
        "join 乙 --date 2026-10-01",
        "join 丙 --date 2026-10-01",
        "log 甲 repair --times 3 --date 2026-10-02",
        "log 乙 cleanup --hours 3 --date 2026-10-02",
        "log 丙 repair --date 2026-10-02",
        "log 甲 class --times 10 --date 2026-09-30",
        "restock rice 1 --date 2026-10-01",
        "redeem 甲 rice --date 2026-10-03",
    )

    result = jifen("board", "--month", "2026-10", "--format", "json")

    assert json.loads(result.out) == [
        {"rank": 1, "name": "乙", "team": None, "points": 9, "hours": 3, "stars": 0},
        {
            "rank": 1,
            "name": "甲",
            "team": "维修队",
            "points": 9,
            "hours": 0,
            "stars": 0,
        },
        {"rank": 3, "name": "丙", "team": None, "points": 3, "hours": 0, "stars": 0},
    ]


def test_board__table_for_all_time(jifen: Jifen) -> None:
    """--all ranks every service ever logged."""
    setup(
        jifen,
        "join 甲 --date 2026-09-01",
        "log 甲 class --times 2 --date 2026-09-30",
        "log 甲 repair --date 2026-10-02",
    )

    result = jifen("board", "--all")

    assert table_lines(result.out) == [
        "Leaderboard (积分榜) — 幸福里社区, all time",
        " Rank   Volunteer   Team   Points   Hours   Stars",
        "──────────────────────────────────────────────────",
        "    1   甲                     13       0   —",
    ]


def test_board__an_empty_month_says_so(jifen: Jifen) -> None:
    """No services in the month: one friendly line."""
    result = jifen("board", "--month", "2026-10")

    assert result.out == "No services logged in 2026-10 yet.\n"


def teams_ledger(jifen: Jifen) -> None:
    """Three teams' volunteers serving in 2025 and 2026.

    甲 (维修队): 9 points in October 2026 and 20 in December 2025.
    乙 (维修队): 9 points and 3 h in October 2026.
    丙 (银发互助队): 8 points for 4.5 h of wire patrol in October 2026.
    丁 (no team): 5 points in March 2026.
    """
    setup(
        jifen,
        "join 甲 --team 维修队 --date 2025-12-01",
        "join 乙 --team 维修队 --date 2026-09-01",
        "join 丙 --team 银发互助队 --date 2026-09-01",
        "join 丁 --date 2026-03-01",
        "log 甲 repair --times 3 --date 2026-10-02",
        "log 甲 class --times 4 --date 2025-12-31",
        "log 乙 cleanup --hours 3 --date 2026-10-02",
        "log 丙 wire-patrol --hours 4.5 --date 2026-10-03",
        "log 丁 class --date 2026-03-01",
    )


def test_board__a_whole_year(jifen: Jifen) -> None:
    """--year 2026 leaves out December 2025; --year 2025 holds only it."""
    teams_ledger(jifen)

    this_year = json.loads(jifen("board", "--year", "2026", "-f", "json").out)
    last_year = jifen("board", "--year", "2025")

    assert [(row["rank"], row["name"], row["points"]) for row in this_year] == [
        (1, "乙", 9),
        (1, "甲", 9),
        (3, "丙", 8),
        (4, "丁", 5),
    ]
    assert table_lines(last_year.out) == [
        "Leaderboard (积分榜) — 幸福里社区, 2025",
        " Rank   Volunteer   Team     Points   Hours   Stars",
        "────────────────────────────────────────────────────",
        "    1   甲          维修队       20       0   —",
    ]


def test_board__one_team(jifen: Jifen) -> None:
    """--team ranks only that team's members, from 1."""
    teams_ledger(jifen)

    rows = json.loads(
        jifen("board", "--month", "2026-10", "--team", "银发互助队", "-f", "json").out
    )

    assert rows == [
        {
            "rank": 1,
            "name": "丙",
            "team": "银发互助队",
            "points": 8,
            "hours": 4.5,
            "stars": 0,
        }
    ]


def test_board__refuses_an_unknown_team_and_lists_the_teams(
    jifen: Jifen, home: Path
) -> None:
    """A team nobody belongs to is refused with the names of the real ones."""
    teams_ledger(jifen)

    message = refused(jifen, home, "board", "--team", "维修")

    assert message == "no team '维修'; the teams are: 维修队, 银发互助队"


def test_board__an_unknown_team_in_a_new_home(jifen: Jifen, home: Path) -> None:
    """With no teams at all the message says so."""
    message = refused(jifen, home, "board", "--team", "维修队")

    assert message == "no team '维修队'; the teams are: none yet"


def test_board__top_keeps_ties_at_the_cut(jifen: Jifen) -> None:
    """--top 1 lists both volunteers tied in first place; --top 3 all three."""
    teams_ledger(jifen)

    top_one = json.loads(
        jifen("board", "--month", "2026-10", "--top", "1", "-f", "json").out
    )
    top_three = json.loads(
        jifen("board", "--month", "2026-10", "--top", "3", "-f", "json").out
    )

    assert [(row["rank"], row["name"]) for row in top_one] == [(1, "乙"), (1, "甲")]
    assert [(row["rank"], row["name"]) for row in top_three] == [
        (1, "乙"),
        (1, "甲"),
        (3, "丙"),
    ]


def test_board__refuses_a_top_below_one(jifen: Jifen, home: Path) -> None:
    """--top 0 is refused in one line."""
    message = refused(jifen, home, "board", "--top", "0")

    assert message == (
        "Invalid value for '--top': Input should be greater than or equal to 1 "
        "(type `jifen --help` or `jifen COMMAND --help`)"
    )


def test_board__by_hours(jifen: Jifen) -> None:
    """--by hours puts 丙's 4.5 h first, then 乙's 3 h, then 甲 with none."""
    teams_ledger(jifen)

    result = jifen("board", "--month", "2026-10", "--by", "hours")

    assert table_lines(result.out)[3:] == [
        "    1   丙          银发互助队        8     4.5   —",
        "    2   乙          维修队            9       3   —",
        "    3   甲          维修队            9       0   —",
    ]


@pytest.mark.parametrize(
    "options",
    [
        ["--month", "2026-10", "--all"],
        ["--month", "2026-10", "--year", "2026"],
        ["--year", "2026", "--all"],
    ],
)
def test_board__refuses_two_periods(
    jifen: Jifen, home: Path, options: list[str]
) -> None:
    """Only one of --month, --year and --all may be given."""
    message = refused(jifen, home, "board", *options)

    assert message == "give only one of --month, --year and --all"


# report ----------------------------------------------------------------------

DEFAULT_GOODS = [
    ("rice", "大米"),
    ("oil", "食用油"),
    ("flour", "面粉"),
    ("tissue", "卫生纸"),
    ("detergent", "洗衣粉"),
    ("soap", "香皂"),
    ("towel", "毛巾"),
    ("toothpaste", "牙膏"),
    ("dish-soap", "洗洁精"),
    ("salt", "食盐"),
    ("soy-sauce", "酱油"),
    ("eggs", "鸡蛋"),
    ("noodles", "挂面"),
]


def test_report__json_for_a_small_ledger(jifen: Jifen) -> None:
    """October's figures: the 31st counts in October; 30 September and 1 November do not."""
    small_ledger(jifen)
    setup(
        jifen,
        "join 张伟 --date 2026-09-01",
        "log 张伟 class --date 2026-09-30",
        "log 李芳 class --date 2026-11-01",
    )

    result = jifen("report", "--month", "2026-10", "--format", "json")

    assert json.loads(result.out) == {
        "community": "幸福里社区",
        "month": "2026-10",
        "active_volunteers": 2,
        "new_volunteers": 2,
        "services": 4,
        "hours": 6,
        "points_earned": 23,
        "points_redeemed": 10,
        "points_outstanding": 18,
        "previous_month": {
            "active_volunteers": 1,
            "new_volunteers": 1,
            "services": 1,
            "hours": 0,
            "points_earned": 5,
            "points_redeemed": 0,
            "points_outstanding": 5,
        },
        "year_ago": None,
        "by_activity": [
            {
                "activity": "cleanup",
                "label": "环境卫生整治",
                "services": 2,
                "hours": 6,
                "points": 15,
            },
            {
                "activity": "class",
                "label": "公益课授课",
                "services": 1,
                "hours": 0,
                "points": 5,
            },
            {
                "activity": "repair",
                "label": "维修家电",
                "services": 1,
                "hours": 0,
                "points": 3,
            },
        ],
        "by_team": [
            {
                "team": "银发互助队",
                "members": 1,
                "active_members": 1,
                "hours": 6,
                "points": 18,
            },
            {"team": None, "members": 2, "active_members": 1, "hours": 0, "points": 5},
        ],
        "board": [
            {
                "rank": 1,
                "name": "王大江",
                "team": "银发互助队",
                "points": 18,
                "hours": 6,
                "stars": 0,
            },
            {
                "rank": 2,
                "name": "李芳",
                "team": None,
                "points": 5,
                "hours": 0,
                "stars": 0,
            },
        ],
        "shelf": [
            {
                "item": item,
                "label": label,
                "redeemed": 1 if item == "tissue" else 0,
                "points": 10 if item == "tissue" else 0,
                "restocked": 10 if item == "tissue" else 0,
                "stocktake_difference": 0,
                "stock": 9 if item == "tissue" else 0,
                "low": item != "tissue",
            }
            for item, label in DEFAULT_GOODS
        ],
        "vouchers": [],
        "stars_reached": [],
        "last_12_months": [
            {"month": "2026-09", "active_volunteers": 1, "points_earned": 5},
            {"month": "2026-10", "active_volunteers": 2, "points_earned": 23},
        ],
    }


def test_report__month_edges(jifen: Jifen) -> None:
    """A service on 31 October is October's; one on 1 November is November's."""
    setup(
        jifen,
        "join 王大江 --date 2026-09-01",
        "log 王大江 repair --date 2026-10-31",
        "log 王大江 class --date 2026-11-01",
    )

    october = json.loads(jifen("report", "--month", "2026-10", "-f", "json").out)
    november = json.loads(jifen("report", "--month", "2026-11", "-f", "json").out)

    assert (october["services"], october["points_earned"]) == (1, 3)
    assert (november["services"], november["points_earned"]) == (1, 5)


def test_report__an_empty_month_prints_the_friendly_empty_state(jifen: Jifen) -> None:
    """A month with nothing in it says so and how to go on."""
    setup(jifen, "join 王大江 --date 2026-08-01", "log 王大江 repair --date 2026-10-31")

    result = jifen("report", "--month", "2026-09")

    assert result.out.splitlines() == [
        "Monthly report (月度汇总) — 幸福里社区, 2026-09",
        "Nothing was logged or redeemed in 2026-09. Log a service with "
        "`jifen log NAME ACTIVITY`, or pick another month with --month YYYY-MM.",
    ]


def test_report__defaults_to_the_last_full_month(jifen: Jifen) -> None:
    """Without --month the report is for the month before this one."""
    today = today_in_shanghai()
    last = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)

    result = jifen("report", "--format", "json")

    assert json.loads(result.out)["month"] == f"{last[0]:04d}-{last[1]:02d}"


def test_report__refuses_a_bad_month(jifen: Jifen, home: Path) -> None:
    """--month 2026-13 is refused with the format."""
    message = refused(jifen, home, "report", "--month", "2026-13")

    assert message == (
        "--month '2026-13' is not a month; type it as YYYY-MM, e.g. 2026-11"
    )


@pytest.mark.parametrize("extension", ["md", "csv", "html", "json"])
def test_report__output_writes_the_file_and_says_so(
    jifen: Jifen, home: Path, extension: str
) -> None:
    """--output FILE writes what the format prints and confirms in one line."""
    small_ledger(jifen)
    printed = jifen("report", "--month", "2026-10", "--format", extension)
    file = home / f"月报.{extension}"

    result = jifen(
        "report", "--month", "2026-10", "--format", extension, "--output", str(file)
    )

    assert (result.status, result.err) == (0, "")
    assert result.out == f"Wrote the report for 2026-10 to {file}.\n"
    assert file.read_bytes() == printed.out.encode("utf-8")


def test_report__output_replaces_an_old_file(jifen: Jifen, home: Path) -> None:
    """Writing over last month's file leaves only the new report in it."""
    small_ledger(jifen)
    file = home / "report.md"
    file.write_text("old text " * 1000, encoding="utf-8")

    jifen("report", "--month", "2026-10", "-f", "md", "-o", str(file))

    assert file.read_text(encoding="utf-8").startswith(
        "# Monthly report (月度汇总) — 幸福里社区, 2026-10\n"
    )
    assert "old text" not in file.read_text(encoding="utf-8")


def test_report__refuses_output_for_the_table(jifen: Jifen, home: Path) -> None:
    """The table is for the screen: --output needs a file format."""
    message = refused(jifen, home, "report", "--month", "2026-10", "-o", "r.txt")

    assert message == (
        "to write a file, choose its format too, e.g. --format html --output r.txt"
    )
    assert not (home / "r.txt").exists()


@pytest.mark.parametrize(
    ("where", "reason"),
    [
        ("no-such-folder/report.md", "No such file or directory"),
        (".", "Is a directory"),
    ],
)
def test_report__refuses_an_unwritable_output(
    jifen: Jifen, home: Path, where: str, reason: str
) -> None:
    """A file in a missing folder, or a folder, is refused in one line, exit 1."""
    message = refused(jifen, home, "report", "-f", "md", "--output", where)

    assert message == (
        f"cannot write {where} ({reason}); check the folder exists and is writable"
    )


# rules -----------------------------------------------------------------------


def test_rules__json_lists_what_the_file_says(jifen: Jifen, home: Path) -> None:
    """`jifen rules -f json` shows community, activities, levels, shelf, stars."""
    write_rules(
        home,
        '[community]\nname = "幸福里社区"\n\n'
        + REPAIR_ONLY
        + '\n[shelf]\nmin_balance = 20\nonce_per = "month"\n'
        + '\n[items.rice]\nlabel = "大米"\npoints = 50\naliases = ["米"]\n'
        + '\n[offers.haircut]\nlabel = "理发"\npartner = "老街理发店"\npoints = 20\n'
        + "monthly_quota = 20\n",
    )

    result = jifen("rules", "--format", "json")

    assert json.loads(result.out) == {
        "community": "幸福里社区",
        "timezone": "Asia/Shanghai",
        "activities": [
            {
                "key": "repair",
                "label": "维修家电",
                "per": "job",
                "points": 3,
                "aliases": [],
                "max_hours_per_day": None,
            }
        ],
        "levels": [],
        "items": [{"key": "rice", "label": "大米", "points": 50}],
        "offers": [
            {
                "key": "haircut",
                "label": "理发",
                "partner": "老街理发店",
                "points": 20,
                "monthly_quota": 20,
            }
        ],
        "shelf": {"low_stock": 5, "min_balance": 20, "once_per": "month"},
        "stars": [100, 300, 600, 1000, 1500],
    }


SYNTAX_FIX = (
    'put text in double quotes, e.g. label = "大米", and keep keys plain ASCII '
    "such as rice"
)


@pytest.mark.parametrize(
    ("text", "line_and_message"),
    [
        (
            "[community\n" + REPAIR_ONLY,
            "1: Expected ']' at the end of a table declaration (at line 1, column 11); "
            + SYNTAX_FIX,
        ),
        (
            REPAIR_ONLY + '\n[items.rice]\nlabel = "大米"\n大米 = 50\n',
            "8: Invalid statement (at line 8, column 1); " + SYNTAX_FIX,
        ),
        (
            REPAIR_ONLY + "\n[items.大米]\npoints = 50\n",
            "6: Invalid initial character for a key part (at line 6, column 8); "
            + SYNTAX_FIX,
        ),
        (
            REPAIR_ONLY + "\n[items.rice]\npoints = -50\n",
            "7: points = -50 must be a whole number of at least 1",
        ),
        (
            REPAIR_ONLY + "\n[items.rice]\npoints = 50\nprice = 50\n",
            "8: unknown field 'price' in [items.rice]; "
            "allowed here: label, points, aliases, low_stock",
        ),
        (
            REPAIR_ONLY.replace('per = "job"', 'per = "hours"'),
            "3: per = 'hours' is not known; did you mean per = 'hour'?",
        ),
        (
            REPAIR_ONLY
            + '\n[items.rice]\npoints = 50\naliases = ["米"]\n'
            + '\n[items.oil]\npoints = 60\naliases = ["米"]\n',
            "12: '米' already names 'rice'; give each a distinct alias",
        ),
    ],
    ids=[
        "syntax",
        "chinese-key",
        "chinese-header",
        "negative-points",
        "unknown-field",
        "misspelt-per",
        "duplicate-alias",
    ],
)
def test_any_command__reports_a_broken_rules_file_in_one_line(
    jifen: Jifen, home: Path, text: str, line_and_message: str
) -> None:
    """Each mistake names rules.toml, its line and the fix, and nothing runs."""
    setup(jifen, "join 王大江 --date 2026-10-01")
    path = write_rules(home, text)

    message = refused(jifen, home, "log", "王大江", "repair", "--date", "2026-10-02")

    assert message == f"{path}:{line_and_message}"


def test_any_command__accepts_rules_with_a_utf8_bom(jifen: Jifen, home: Path) -> None:
    """A rules.toml saved with a byte-order mark works like any other."""
    (home / "rules.toml").write_bytes(b"\xef\xbb\xbf" + REPAIR_ONLY.encode("utf-8"))

    setup(jifen, "join 王大江 --date 2026-10-01")
    result = jifen("log", "王大江", "维修家电", "--date", "2026-10-02", "--id", "s1")

    assert result.out.splitlines() == [
        "王大江 earned 3 points for 维修家电 on 2026-10-02.",
        "Balance: 3 points. Service hours: 0 h. Id: s1",
    ]


# Damaged data ----------------------------------------------------------------

RECORD = (
    '{"kind":"volunteer","v":1,"id":"v1","date":"2026-10-01",'
    '"at":"2026-10-01T09:00:00+08:00","by":"staff","name":"王大江"}'
)
REPAIR = (
    '{"kind":"service","v":1,"id":"s1","date":"2026-10-02",'
    '"at":"2026-10-02T10:00:00+08:00","by":"staff","activity":"repair","points":3}'
)


def write_volunteer_file(home: Path, text: str) -> Path:
    """Write data/volunteers/王大江.jsonl exactly as given."""
    path = volunteer_file(home, "王大江")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["balance"],
        ["balance", "王大江"],
        ["passbook", "王大江"],
        ["board", "--all"],
        ["report", "--month", "2026-10"],
        ["log", "王大江", "repair"],
        ["redeem", "王大江", "tissue"],
    ],
)
def test_any_command__stops_at_a_damaged_line(
    jifen: Jifen, home: Path, command: list[str]
) -> None:
    """Broken JSON in the middle of a file stops reads and writes with FILE:LINE:."""
    path = write_volunteer_file(home, f"{RECORD}\n{REPAIR[:40]}\n{REPAIR}\n")

    message = refused(jifen, home, *command)

    assert message == (
        f"{path}:2: damaged line (Input data was truncated); nothing was changed; "
        "restore that line from a backup"
    )


@pytest.mark.parametrize(
    "command",
    [["log", "王大江", "repair"], ["redeem", "王大江", "tissue"], ["balance"]],
)
def test_any_command__refuses_a_torn_last_line(
    jifen: Jifen, home: Path, command: list[str]
) -> None:
    """A last line cut off mid-write is reported and nothing is written after it."""
    path = write_volunteer_file(home, f"{RECORD}\n{REPAIR}\n{REPAIR[:50]}")

    message = refused(jifen, home, *command)

    assert message == (
        f"{path}:3: the last line is incomplete (an interrupted write?); nothing was "
        "changed; run `jifen repair` to set it aside, then record that entry again"
    )


def test_log__refuses_a_file_missing_only_its_last_line_break(
    jifen: Jifen, home: Path
) -> None:
    """A whole last line without its newline is named, with the one-key repair."""
    path = write_volunteer_file(home, f"{RECORD}\n{REPAIR}")

    message = refused(jifen, home, "log", "王大江", "repair")

    assert message == (
        f"{path}:2: the last line has no line break at its end (edited by hand?); "
        "nothing was changed; run `jifen repair` to add it"
    )


def test_log__other_volunteers_still_work_beside_a_damaged_file(
    jifen: Jifen, home: Path
) -> None:
    """Damage in one volunteer's file does not stop logging for another."""
    write_volunteer_file(home, f"{RECORD}\n{REPAIR[:40]}\n")
    setup(jifen, "join 李芳 --date 2026-10-01")

    result = jifen("log", "李芳", "repair", "--date", "2026-10-02", "--id", "s1")

    assert (
        result.out.splitlines()[0] == "李芳 earned 3 points for 维修家电 on 2026-10-02."
    )


# Balance is always earned minus redeemed -------------------------------------

PRICES = {"tissue": 10, "detergent": 15, "rice": 50}
POINTS = {"repair": 3, "class": 5, "mediation": 8}
commands = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(sorted(POINTS)), st.just("")),
        st.tuples(st.just("cleanup"), st.sampled_from(["0.5", "1", "2.75", "3"])),
        st.tuples(st.just("redeem"), st.sampled_from(sorted(PRICES))),
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(commands)
def test_balance__is_earned_minus_redeemed_after_any_commands(
    jifen: Jifen, home: Path, steps: list[tuple[str, str]]
) -> None:
    """Over any logs and redemptions on one day, balance = earned − redeemed ≥ 0.

    The shelf holds plenty of each good, so only the points decide a redemption;
    cleanup counts at most 4 full hours over the day.
    """
    shutil.rmtree(home / "data")
    setup(jifen, "join 王大江 --date 2026-10-01")
    setup(jifen, *(f"restock {item} 20 --date 2026-10-01" for item in PRICES))
    earned = redeemed = 0
    cleanup_hours = 0

    for what, detail in steps:
        if what == "redeem":
            affordable = PRICES[detail] <= earned - redeemed
            result = jifen("redeem", "王大江", detail, "--date", "2026-10-02")
            redeemed += PRICES[detail] if affordable else 0
            assert result.status == (0 if affordable else 1), result
        elif what == "cleanup":
            counted = max(0, min(math.floor(Decimal(detail)), 4 - cleanup_hours))
            cleanup_hours += counted
            result = jifen(
                "log", "王大江", "cleanup", "--hours", detail, "--date", "2026-10-02"
            )
            earned += 3 * counted
            assert result.status == 0, result
        else:
            result = jifen("log", "王大江", what, "--date", "2026-10-02")
            earned += POINTS[what]
            assert result.status == 0, result

    account = json.loads(jifen("balance", "王大江", "-f", "json").out)[0]
    assert (account["earned"], account["redeemed"]) == (earned, redeemed)
    assert account["balance"] == earned - redeemed >= 0
