"""The README's tour runs: every `$ jifen ...` example prints what the README shows.

Event ids and voucher codes are random, so both sides have them masked
before comparing. To refresh the README after changing output, run
`python scripts/readme_tour.py`.
"""

import re
import sys
from pathlib import Path

import pytest
from conftest import REPOSITORY

sys.path.insert(0, str(REPOSITORY / "scripts"))
from readme_tour import README, copy_sample, examples, run_example

_RANDOM = [
    (re.compile(r"\b[0-9a-z]{12}\b"), "<event id>"),
    (re.compile(r"\b[2-9A-Z]{6}\b"), "<code>"),
]


def _masked(text: str) -> str:
    for pattern, replacement in _RANDOM:
        text = pattern.sub(replacement, text)
    return text


def test_readme__every_example_prints_what_the_readme_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each README example, run in order on the sample, prints exactly its output."""
    copy_sample(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("JIFEN_HOME", raising=False)
    tour = examples(README.read_text(encoding="utf-8"))
    assert len(tour) >= 15

    for command, shown in tour:
        printed = run_example(command)

        assert _masked(printed) == _masked(shown), command


def test_readme__quick_start_is_two_commands() -> None:
    """The Quick start shows exactly two commands: install-and-run, and the tests."""
    text = README.read_text(encoding="utf-8")
    quick_start = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]

    commands = re.findall(r"```sh\n(.*?)\n```", quick_start, flags=re.DOTALL)

    assert commands == [
        "python3 -m venv .venv && . .venv/bin/activate && pip install . && jifen report --month 2026-11",
        ". .venv/bin/activate && pip install -e '.[test]' && python -m pytest",
    ]
