"""Run the README's tour on a copy of the sample community, or refresh its output.

    python scripts/readme_tour.py          # rewrite README.md with what jifen prints now

Each console block in README.md holds `$ jifen ...` lines, each followed by
what it prints. The tour runs in order, 80 columns wide, on a copy of the
repository's rules.toml and data/, so the sample itself is never changed.
tests/test_readme.py uses the same functions to check the README is true.
"""

import contextlib
import io
import os
import re
import shlex
import shutil
import tempfile
from pathlib import Path

from jifen.cli import run

REPOSITORY = Path(__file__).resolve().parent.parent
README = REPOSITORY / "README.md"
_BLOCK = re.compile(r"```console\n(.*?)```", flags=re.DOTALL)


def examples(text: str) -> list[tuple[str, str]]:
    """Return (command, output shown) for every `$ jifen` line in console blocks."""
    found = []
    for block in _BLOCK.findall(text):
        for chunk in re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]:
            command, _newline, output = chunk.partition("\n")
            found.append((command, output.rstrip("\n")))
    return found


def copy_sample(folder: Path) -> None:
    """Copy the sample community's rules and data into `folder`."""
    shutil.copyfile(REPOSITORY / "rules.toml", folder / "rules.toml")
    shutil.copytree(
        REPOSITORY / "data",
        folder / "data",
        ignore=shutil.ignore_patterns(".cache", ".lock"),
    )


def run_example(command: str) -> str:
    """Run one `jifen ...` line in the current folder and return what it printed."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        run(["--by", "staff", *shlex.split(command)[1:]])
    return "\n".join(line.rstrip() for line in printed.getvalue().splitlines())


def refresh(text: str) -> str:
    """Return the README with every example's output replaced by a fresh run."""

    def rerun(block: re.Match[str]) -> str:
        parts = [
            f"$ {command}\n{run_example(command)}\n"
            for command, _ in examples(block.group(0))
        ]
        return "```console\n" + "".join(parts) + "```"

    return _BLOCK.sub(rerun, text)


def main() -> None:
    text = README.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as folder:
        copy_sample(Path(folder))
        os.chdir(folder)
        os.environ["COLUMNS"] = "80"
        os.environ.pop("JIFEN_HOME", None)
        README.write_text(refresh(text), encoding="utf-8")
    print(f"Refreshed {len(examples(text))} examples in {README}")


if __name__ == "__main__":
    main()
