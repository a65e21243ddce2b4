"""Faults with real processes: races, kills at random moments, torn lines, retries, locks.

Most scenarios run `jifen` commands in a pool of worker processes started
once for the module: each worker imports jifen, then runs every command line
it is sent (as JSON on stdin) through the real CLI and answers with its exit
status and output. Commands sent to several workers at once really do meet
at the lock, without paying for an interpreter start per command.

Every process is bounded: a watchdog kills whatever still runs after its
deadline, so a hang fails a test instead of stopping the suite.
"""

import contextlib
import datetime as dt
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from jifen import store
from jifen.checks import Problem
from jifen.errors import JifenError
from jifen.events import Service, digest_of_line, sealed_line
from jifen.ledger import Ledger
from jifen.rules import DEFAULT_RULES_PATH

BEIJING_TIME = dt.timezone(dt.timedelta(hours=8))
MOMENT = dt.datetime(2026, 11, 20, 10, 0, tzinfo=BEIJING_TIME)
WORKERS = 20
# The whole module's pool is killed after this long: nothing here hangs the suite.
POOL_DEADLINE_SECONDS = 240
TIMEOUT_SECONDS = 60

RACE_ROUNDS = 20
SERVICES_EACH = 100
LOGGING_WORKERS = 8
LOGS_EACH = 100
KILLS = 200

WORKER = """\
import contextlib, io, json, sys
from jifen.cli import run
print("ready", flush=True)
for line in sys.stdin:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = run(json.loads(line))
    print(json.dumps([status, out.getvalue(), err.getvalue()]), flush=True)
"""


@dataclass(frozen=True)
class Finished:
    """What one command did: its exit status and what it printed."""

    status: int
    out: str
    err: str


def child_environment() -> dict[str, str]:
    """The environment for a child: UTF-8 output, wide lines, no JIFEN_HOME."""
    environment = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200"}
    environment.pop("JIFEN_HOME", None)
    return environment


@contextlib.contextmanager
def killed_after(
    seconds: float, processes: Sequence[subprocess.Popen[str]]
) -> Iterator[None]:
    """Kill every process still running once `seconds` have passed, and at the end."""

    def kill_all() -> None:
        for process in processes:
            if process.poll() is None:
                process.kill()

    timer = threading.Timer(seconds, kill_all)
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        kill_all()
        for process in processes:
            process.wait(timeout=TIMEOUT_SECONDS)


class Workers:
    """Real processes, each running the `jifen` command lines it is sent, in order."""

    def __init__(self, count: int) -> None:
        self.processes = [
            subprocess.Popen(
                [sys.executable, "-c", WORKER],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                env=child_environment(),
            )
            for _ in range(count)
        ]

    def wait_until_ready(self) -> None:
        """Wait for every worker to have imported jifen."""
        for process in self.processes:
            assert process.stdout is not None
            assert process.stdout.readline() == "ready\n"

    def send(self, worker: int, home: Path, *args: str) -> None:
        """Send one command line to a worker: `jifen --home HOME --by staff ARGS`."""
        stdin = self.processes[worker].stdin
        assert stdin is not None
        stdin.write(json.dumps(["--home", str(home), "--by", "staff", *args]) + "\n")
        stdin.flush()

    def receive(self, worker: int) -> Finished:
        """Wait for a worker's answer to the oldest command it has not answered."""
        stdout = self.processes[worker].stdout
        assert stdout is not None
        answer = stdout.readline()
        assert answer, f"worker {worker} stopped"
        status, out, err = json.loads(answer)
        return Finished(status, out, err)

    def run(self, home: Path, *args: str, worker: int = 0) -> Finished:
        """Run one command in one worker and return what it did."""
        self.send(worker, home, *args)
        return self.receive(worker)

    def run_together(
        self, home: Path, commands: Sequence[Sequence[str]]
    ) -> list[Finished]:
        """Run each command in its own worker, all sent before any answer is read."""
        for worker, command in enumerate(commands):
            self.send(worker, home, *command)
        return [self.receive(worker) for worker in range(len(commands))]


@pytest.fixture(scope="module")
def workers() -> Iterator[Workers]:
    """A pool of WORKERS jifen processes, shared by the module's tests."""
    pool = Workers(WORKERS)
    with killed_after(POOL_DEADLINE_SECONDS, pool.processes):
        pool.wait_until_ready()
        yield pool


def new_home(folder: Path) -> Ledger:
    """A fresh home with the default rules, opened by `staff` at a fixed moment."""
    folder.mkdir(parents=True)
    shutil.copyfile(DEFAULT_RULES_PATH, folder / "rules.toml")
    return Ledger(folder, by="staff", clock=lambda: MOMENT)


def join_with_services(ledger: Ledger, name: str, services: int) -> None:
    """Register `name` on 1 October with `services` one-point classes, lines chained."""
    ledger.join(name, date="2026-10-01")
    path, _ = ledger.store.path_for(name)
    previous = digest_of_line(path.read_bytes())
    lines = []
    for number in range(services):
        service = Service(
            id=f"{name}-{number}",
            date=dt.date(2026, 10, 2),
            at=MOMENT,
            by="staff",
            activity="class",
            points=1,
        )
        line = sealed_line(service, previous)
        previous = digest_of_line(line)
        lines.append(line)
    with path.open("ab") as file:
        file.write(b"".join(lines))


def event_ids(home: Path) -> Counter[str]:
    """How many times each id appears in the home's event files."""
    paths = [
        *(home / "data" / "volunteers").glob("*.jsonl"),
        home / "data" / "shelf.jsonl",
    ]
    return Counter(
        json.loads(line)["id"]
        for path in paths
        if path.exists()
        for line in path.read_bytes().splitlines()
    )


def jifen_process(home: Path, *args: str) -> Finished:
    """Run `python -m jifen --home HOME --by staff ARGS` as its own process."""
    finished = subprocess.run(
        [sys.executable, "-m", "jifen", "--home", str(home), "--by", "staff", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=child_environment(),
        timeout=TIMEOUT_SECONDS,
    )
    return Finished(finished.returncode, finished.stdout, finished.stderr)


# (1) Twenty processes reach for the last bag of rice --------------------------


def test_race__one_of_twenty_gets_the_last_bag_every_round(
    workers: Workers, tmp_path: Path
) -> None:
    """20 processes redeem the last bag at once, 20 rounds: one wins, check is clean."""
    names = [f"志愿者{number:02d}" for number in range(WORKERS)]
    for round_number in range(RACE_ROUNDS):
        home = tmp_path / f"round-{round_number}"
        ledger = new_home(home)
        for name in names:
            join_with_services(ledger, name, SERVICES_EACH)
        # On the real clock, like the redemptions: check replays stock in time order.
        Ledger(home, by="staff").restock("rice", "1", date="2026-11-01")
        workers.run_together(home, [["shelf", "--format", "json"]] * WORKERS)

        finished = workers.run_together(
            home, [["redeem", name, "rice", "--date", "2026-11-03"] for name in names]
        )

        winners = [result for result in finished if result.status == 0]
        losers = [result for result in finished if result.status != 0]
        assert len(winners) == 1, (round_number, finished)
        assert " redeemed 大米 ×1 (50) on 2026-11-03: 50 points spent." in (
            winners[0].out
        )
        assert {(result.status, result.out, result.err) for result in losers} == {
            (1, "", "Error: rice (大米): 0 left, 1 asked; nothing was redeemed\n")
        }
        entries = WORKERS * (1 + SERVICES_EACH) + 2
        assert workers.run(home, "check") == Finished(
            0, f"No problems: {WORKERS + 1} files, {entries} entries checked.\n", ""
        )


# (2) Eight processes log a hundred services each --------------------------------


def test_many_writers__800_services_all_kept_with_exact_totals(
    workers: Workers, tmp_path: Path
) -> None:
    """8 processes × 100 logs for 4 volunteers: 800 lines, 800 ids, 1000 points each."""
    ledger = new_home(tmp_path / "home")
    names = ["王大江", "李芳", "赵大爷", "陈阿姨"]
    for name in names:
        ledger.join(name, date="2026-10-01")
    home = ledger.home

    for worker in range(LOGGING_WORKERS):
        for number in range(LOGS_EACH):
            name = names[number % len(names)]
            workers.send(worker, home, "log", name, "class", "--date", "2026-11-03")
    finished = [
        workers.receive(worker)
        for worker in range(LOGGING_WORKERS)
        for _ in range(LOGS_EACH)
    ]

    assert {(result.status, result.err) for result in finished} == {(0, "")}
    reported = [result.out.rsplit("Id: ", 1)[1].strip() for result in finished]
    assert len(set(reported)) == LOGGING_WORKERS * LOGS_EACH
    records = [record.id for record in ledger.store.volunteer_records()]
    assert event_ids(home) == Counter([*records, *reported])
    balances = json.loads(workers.run(home, "balance", "--format", "json").out)
    assert {
        account["name"]: (account["earned"], account["balance"]) for account in balances
    } == {name: (1000, 1000) for name in names}
    assert workers.run(home, "check") == Finished(
        0, "No problems: 4 files, 804 entries checked.\n", ""
    )


# (3) A writer killed with SIGKILL at random moments ------------------------------

# A parent that imports jifen once, then forks a fresh writer for every round:
# the writer logs services under ids ROUND-0, ROUND-1 ... and reports each id
# only once its command has returned. The test kills the writer, not the parent.
FORKING_WRITER = """\
import os, sys
from pathlib import Path
from jifen.ledger import Ledger
home = Path(sys.argv[1])
print("ready", flush=True)
for line in sys.stdin:
    round_name = line.strip()
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:
        ledger = Ledger(home, by="staff")
        number = 0
        while True:
            event_id = f"{round_name}-{number}"
            ledger.log("王大江", "class", date="2026-11-03", event_id=event_id)
            os.write(1, f"written {event_id}\\n".encode())
            number += 1
    print(f"writer {pid}", flush=True)
    _, status = os.waitpid(pid, 0)
    print(f"gone {os.waitstatus_to_exitcode(status)}", flush=True)
"""


def test_kill__a_writer_killed_at_random_moments_loses_nothing_it_reported(
    tmp_path: Path,
) -> None:
    """200 SIGKILLs mid-logging: every id reported is stored once; repair, check clean."""
    ledger = new_home(tmp_path / "home")
    ledger.join("王大江", date="2026-10-01", event_id="v1")
    home = ledger.home
    path, _ = ledger.store.path_for("王大江")
    writer = subprocess.Popen(
        [sys.executable, "-c", FORKING_WRITER, str(home)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=child_environment(),
    )
    assert writer.stdin is not None and writer.stdout is not None
    randomness = random.Random(20261120)
    reported: list[str] = []
    retried: list[str] = []
    torn = 0

    with killed_after(2 * TIMEOUT_SECONDS, [writer]):
        assert writer.stdout.readline() == "ready\n"
        for round_number in range(KILLS):
            writer.stdin.write(f"k{round_number}\n")
            writer.stdin.flush()
            # Once the writer has written its first entry, kill it a moment later.
            pid = 0
            written: list[str] = []
            while not (pid and written):
                line = writer.stdout.readline()
                if line.startswith("writer "):
                    pid = int(line.removeprefix("writer "))
                else:
                    assert line.startswith("written "), line
                    written.append(line.removeprefix("written ").strip())
            time.sleep(randomness.uniform(0.0, 0.02))
            os.kill(pid, signal.SIGKILL)
            while not (line := writer.stdout.readline()).startswith("gone "):
                assert line.startswith("written "), line
                written.append(line.removeprefix("written ").strip())
            assert line == "gone -9\n"
            reported += written

            # The file is whole, or only its last line was cut short.
            problems = Ledger(home).check().problems
            if problems:
                assert problems == [
                    Problem(
                        path,
                        path.read_bytes().count(b"\n") + 1,
                        "the last line is incomplete (an interrupted write); "
                        "`jifen repair` sets it aside and keeps every complete entry",
                    )
                ]
                torn += 1
                for mended in Ledger(home).repair():
                    if mended.side is not None:
                        mended.side.unlink()
            # The staff retry the entry the writer never confirmed, with its --id.
            unconfirmed = f"k{round_number}-{len(written)}"
            Ledger(home, by="staff").log(
                "王大江", "class", date="2026-11-03", event_id=unconfirmed
            )
            retried.append(unconfirmed)

    stored = event_ids(home)
    assert set(stored.values()) == {1}
    assert set(reported) | set(retried) == set(stored) - {"v1"}
    repaired = jifen_process(home, "repair")
    checked = jifen_process(home, "check")
    assert repaired == Finished(
        0, "Nothing to repair: every file ends with a complete line.\n", ""
    )
    assert checked == Finished(
        0, f"No problems: 1 file, {len(stored)} entries checked.\n", ""
    ), torn


# (4) The last line cut at every byte ---------------------------------------------


def ticking_clock() -> Iterator[dt.datetime]:
    """Moments one second apart, so each repair's side file has its own name."""
    moment = MOMENT
    while True:
        yield moment
        moment += dt.timedelta(seconds=1)


@pytest.mark.parametrize("which", ["volunteer", "shelf"])
def test_torn_tail__cut_at_every_byte_is_found_refused_and_repaired(
    tmp_path: Path, which: str
) -> None:
    """Each cut of the last line: check names it, writes are refused, repair heals it."""
    moments = ticking_clock()
    ledger = Ledger(
        new_home(tmp_path / "home").home, by="staff", clock=lambda: next(moments)
    )
    ledger.join("王大江", date="2026-10-01")
    ledger.log("王大江", "class", date="2026-10-02")
    ledger.restock("rice", "5", date="2026-11-01")
    ledger.log("王大江", "cleanup", hours="2.5", date="2026-10-03", witness="李芳")
    ledger.restock("oil", "3", date="2026-11-01", note="街道配送")
    volunteer_file, _ = ledger.store.path_for("王大江")
    path = volunteer_file if which == "volunteer" else ledger.store.shelf
    whole = path.read_bytes()
    last = whole.splitlines(keepends=True)[-1]
    kept = whole[: -len(last)]
    number = whole.count(b"\n")

    for cut in range(1, len(last)):
        path.write_bytes(kept + last[:cut])
        whole_entry = cut == len(last) - 1

        problems = ledger.check().problems
        with pytest.raises(JifenError) as refused:
            if which == "volunteer":
                ledger.log("王大江", "class", date="2026-10-04")
            else:
                ledger.restock("rice", "1", date="2026-11-02")
        unchanged = path.read_bytes()
        [mended] = ledger.repair()

        if whole_entry:
            assert problems == [
                Problem(
                    path,
                    number,
                    "the last line has no line break at its end; "
                    "`jifen repair` adds it",
                )
            ]
            assert refused.value.message == (
                f"{path}:{number}: the last line has no line break at its end "
                "(edited by hand?); nothing was changed; run `jifen repair` to add it"
            )
            assert (mended.path, mended.side, mended.moved) == (path, None, 0)
            assert path.read_bytes() == whole
        else:
            assert problems == [
                Problem(
                    path,
                    number,
                    "the last line is incomplete (an interrupted write); "
                    "`jifen repair` sets it aside and keeps every complete entry",
                )
            ], cut
            assert refused.value.message == (
                f"{path}:{number}: the last line is incomplete (an interrupted "
                "write?); nothing was changed; run `jifen repair` to set it aside, "
                "then record that entry again"
            ), cut
            assert (mended.path, mended.moved) == (path, cut)
            assert mended.side is not None
            assert mended.side.read_bytes() == last[:cut]
            assert path.read_bytes() == kept
            mended.side.unlink()
        assert unchanged == kept + last[:cut]
        assert ledger.check().problems == []
        path.write_bytes(whole)


# (6) Retries with the same --id ----------------------------------------------------


def data_bytes(home: Path) -> dict[str, bytes]:
    """Every event file of a home with its bytes."""
    data = home / "data"
    return {
        path.relative_to(data).as_posix(): path.read_bytes()
        for path in sorted(data.rglob("*.jsonl"))
    }


def test_retry__each_command_repeated_with_its_id_records_once(
    workers: Workers, tmp_path: Path
) -> None:
    """join, log, restock, redeem, stocktake and void, each sent twice: one entry each."""
    home = new_home(tmp_path / "home").home
    commands = [
        ["join", "王大江", "--date", "2026-10-01", "--id", "j1"],
        [
            "log",
            "王大江",
            "class",
            "--times",
            "20",
            "--date",
            "2026-10-02",
            "--id",
            "s1",
        ],
        ["restock", "rice", "5", "--date", "2026-11-01", "--id", "k1"],
        ["redeem", "王大江", "rice", "--date", "2026-11-03", "--id", "r1"],
        ["stocktake", "rice", "4", "--date", "2026-11-04", "--id", "t1"],
        ["void", "r1", "--reason", "拿错了", "--date", "2026-11-05", "--id", "x1"],
    ]

    for command in commands:
        first = workers.run(home, *command)
        after_first = data_bytes(home)
        again = workers.run(home, *command)

        assert (first.status, again.status, again.err) == (0, 0, ""), command
        assert "Already recorded" not in first.out
        assert again.out.startswith("Already recorded"), (command, again.out)
        assert data_bytes(home) == after_first
    assert sorted(event_ids(home)) == ["j1", "k1", "r1", "s1", "t1", "x1"]
    assert set(event_ids(home).values()) == {1}


def test_retry__ten_processes_with_one_id_record_one_service(
    workers: Workers, tmp_path: Path
) -> None:
    """10 processes log the same service with the same --id at once: one line."""
    ledger = new_home(tmp_path / "home")
    ledger.join("王大江", date="2026-10-01")
    home = ledger.home

    finished = workers.run_together(
        home, [["log", "王大江", "class", "--date", "2026-11-03", "--id", "same"]] * 10
    )

    assert {(result.status, result.err) for result in finished} == {(0, "")}
    first_lines = sorted(result.out.splitlines()[0] for result in finished)
    assert first_lines == [
        *["Already recorded (id same); nothing written."] * 9,
        "王大江 earned 5 points for 公益课授课 on 2026-11-03.",
    ]
    assert event_ids(home)["same"] == 1


def test_retry__ten_processes_with_one_id_redeem_once(
    workers: Workers, tmp_path: Path
) -> None:
    """10 processes redeem the same oil with the same --id at once: 60 points, once."""
    ledger = new_home(tmp_path / "home")
    ledger.join("王大江", date="2026-10-01")
    ledger.log("王大江", "class", times="20", date="2026-10-02")
    ledger.restock("oil", "5", date="2026-11-01")
    home = ledger.home

    finished = workers.run_together(
        home, [["redeem", "王大江", "oil", "--date", "2026-11-03", "--id", "r1"]] * 10
    )

    assert {(result.status, result.err) for result in finished} == {(0, "")}
    assert sum(result.out.startswith("Already recorded") for result in finished) == 9
    assert event_ids(home)["r1"] == 1
    [account] = json.loads(
        workers.run(home, "balance", "王大江", "--format", "json").out
    )
    assert (account["redeemed"], account["balance"]) == (60, 40)


# (9) The lock: a killed holder, a live one ----------------------------------------

# Holds the home's lock until killed. Its arguments make it look, to anyone
# kept waiting, like the command `jifen log 王大江`.
LOCK_HOLDER = """\
import sys, time
from pathlib import Path
from jifen.store import Store
with Store(Path(sys.argv[3])).locked():
    print("holding", flush=True)
    time.sleep(60)
"""

# `jifen ARGS` with the lock's timeout shortened to one second.
IMPATIENT = """\
import sys
from jifen import store
store.LOCK_TIMEOUT_SECONDS = 1.0
from jifen.cli import run
sys.exit(run(sys.argv[1:]))
"""


def hold_lock(home: Path) -> subprocess.Popen[str]:
    """Start a process that holds the home's lock; return once it holds it."""
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, "log", "王大江", str(home)],
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=child_environment(),
    )
    assert holder.stdout is not None
    assert holder.stdout.readline() == "holding\n"
    return holder


def test_lock__a_killed_holder_does_not_block_the_next_command(tmp_path: Path) -> None:
    """A holder killed with SIGKILL leaves the lock free: the next log runs at once."""
    ledger = new_home(tmp_path / "home")
    ledger.join("王大江", date="2026-10-01")
    holder = hold_lock(ledger.home)
    with killed_after(TIMEOUT_SECONDS, [holder]):
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=TIMEOUT_SECONDS)
        started = time.monotonic()

        result = jifen_process(
            ledger.home, "log", "王大江", "class", "--date", "2026-11-03"
        )

        waited = time.monotonic() - started
    assert (result.status, result.err) == (0, "")
    assert result.out.startswith("王大江 earned 5 points for 公益课授课 on 2026-11-03.")
    assert waited < store.LOCK_TIMEOUT_SECONDS


def test_lock__a_live_holder_makes_the_waiter_give_up_cleanly(tmp_path: Path) -> None:
    """A waiter gives up after the timeout: exit 1, one line naming the holder, no write."""
    ledger = new_home(tmp_path / "home")
    ledger.join("王大江", date="2026-10-01")
    home = ledger.home
    before = data_bytes(home)
    holder = hold_lock(home)
    with killed_after(TIMEOUT_SECONDS, [holder]):
        waiter = subprocess.run(
            [
                *(
                    sys.executable,
                    "-c",
                    IMPATIENT,
                    "--home",
                    str(home),
                    "--by",
                    "staff",
                ),
                *("log", "王大江", "class", "--date", "2026-11-03"),
            ],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=child_environment(),
            timeout=TIMEOUT_SECONDS,
        )

    assert (waiter.returncode, waiter.stdout) == (1, "")
    assert re.fullmatch(
        rf"Error: another jifen command has been writing for 1 s \(jifen log 王大江, "
        rf"pid {holder.pid}, since \d\d:\d\d:\d\d\); nothing was written; try again "
        r"in a moment\n",
        waiter.stderr,
    ), waiter.stderr
    assert data_bytes(home) == before
