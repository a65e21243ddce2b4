"""Shared fixtures and helpers for the CLI tests.

A fresh ledger home, a way to run the real CLI in-process, and the checks that
a refused command printed one line and left every file in data/ as it was.
"""

import datetime as dt
import shlex
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from jifen.cli import run
from jifen.rules import DEFAULT_RULES_PATH

REPOSITORY = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Result:
    """What one run of `jifen` did: its exit status and what it printed."""

    status: int
    out: str
    err: str


Jifen = Callable[..., Result]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A new ledger home holding the default rules and an empty data/ folder."""
    folder = tmp_path / "home"
    (folder / "data").mkdir(parents=True)
    shutil.copyfile(DEFAULT_RULES_PATH, folder / "rules.toml")
    return folder


@pytest.fixture
def jifen(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Jifen:
    """Run `jifen ARGS...` against the home fixture and capture its output.

    The terminal is 200 columns wide so table rows stay on one line, and the
    recorder is always `staff` so outputs are the same on every machine.
    """
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("JIFEN_HOME", raising=False)
    monkeypatch.chdir(home)

    def invoke(*args: str) -> Result:
        capsys.readouterr()
        status = run(["--by", "staff", *args])
        captured = capsys.readouterr()
        return Result(status, captured.out, captured.err)

    return invoke


def today_in_shanghai() -> dt.date:
    """Today's date where the default rules' community is."""
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()


def data_files(home: Path) -> dict[str, bytes]:
    """Every file under home/data/, by its path there, and its exact bytes.

    Folders are walked, not listed; the lock file, the note of who holds it, and the derived cache
    (data/.cache/, safe to delete) are left out.
    """
    data = home / "data"
    return {
        path.relative_to(data).as_posix(): path.read_bytes()
        for path in sorted(data.rglob("*"))
        if path.is_file()
        and path.name not in (".lock", ".lock-holder")
        and ".cache" not in path.relative_to(data).parts
    }


def volunteer_file(home: Path, name: str) -> Path:
    """The path of a volunteer's file: data/volunteers/NAME.jsonl."""
    return home / "data" / "volunteers" / f"{name}.jsonl"


def setup(jifen: Jifen, *commands: str) -> None:
    """Run each command line (shell quoting) and insist that it worked."""
    for command in commands:
        result = jifen(*shlex.split(command))
        assert result.status == 0, (command, result.err)


def refused(jifen: Jifen, home: Path, *args: str) -> str:
    """Run a command that must be refused; return its one error line, sans 'Error: '.

    Refused means: exit status 1, nothing on stdout, one line on stderr, and
    data/ exactly as it was.
    """
    before = data_files(home)

    result = jifen(*args)

    assert (result.status, result.out) == (1, ""), result
    assert data_files(home) == before
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("Error: "), result.err
    return lines[0].removeprefix("Error: ")


def table_lines(output: str) -> list[str]:
    """The lines of printed output without the padding Rich adds after a title."""
    return [line.rstrip() for line in output.splitlines()]


def write_rules(home: Path, text: str) -> Path:
    """Replace the home's rules.toml with `text`."""
    path = home / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path
