"""The README's tour runs: every `$ jifen ...` example prints what the README shows.

The tour runs in order on a copy of the sample community, 80 columns wide,
the way a newcomer would type it from the repository root. Event ids and
voucher codes are random, so both sides have them masked before comparing.
"""

import re
import shlex
import shutil
from pathlib import Path

import pytest

from conftest import REPOSITORY
from jifen.cli import run

_RANDOM = [
    (re.compile(r"\b[0-9a-z]{12}\b"), "<event id>"),
    (re.compile(r"\b[2-9A-Z]{6}\b"), "<code>"),
]


def _masked(text: str) -> str:
    for pattern, replacement in _RANDOM:
        text = pattern.sub(replacement, text)
    return "\n".join(line.rstrip() for line in text.splitlines())


def readme_examples() -> list[tuple[str, str]]:
    """Return (command, expected output) for every `$ jifen` line in console blocks."""
    text = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    examples = []
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.DOTALL):
        command = None
        output: list[str] = []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command is not None:
                    examples.append((command, "\n".join(output)))
                command, output = line[2:], []
            else:
                output.append(line)
        if command is not None:
            examples.append((command, "\n".join(output)))
    return examples


def test_readme__every_example_prints_what_the_readme_shows(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each README example, run in order on the sample, prints exactly its output."""
    shutil.copyfile(REPOSITORY / "rules.toml", tmp_path / "rules.toml")
    shutil.copytree(REPOSITORY / "data", tmp_path / "data", ignore=_skip_cache)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("JIFEN_HOME", raising=False)
    examples = [
        (command, expected)
        for command, expected in readme_examples()
        if command.startswith("jifen ") and not command.startswith("jifen init")
    ]
    assert len(examples) >= 10

    for command, expected in examples:
        capsys.readouterr()
        run(["--by", "staff", *shlex.split(command)[1:]])
        captured = capsys.readouterr()

        assert _masked(captured.out + captured.err) == _masked(expected), command


def _skip_cache(folder: str, names: list[str]) -> list[str]:
    return [name for name in names if name in (".cache", ".lock")]
