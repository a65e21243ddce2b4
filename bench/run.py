"""Time jifen's commands on a city-sized home, and their peak memory.

    python bench/run.py /tmp/city --events 1000000 --volunteers 30000

Makes the home with bench/make_city.py when it is not there yet, then runs
each command as a person would (a new process each time) several times and
prints the median wall time and the peak resident memory. "cold" runs start
with data/.cache deleted; "warm" ones reuse it. Writing commands run on a
volunteer picked from the home, with dates inside the generated years.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run_once(home: Path, arguments: list[str]) -> tuple[float, int]:
    """Run `jifen ARGUMENTS` once; return (seconds, peak memory in MiB of that run)."""
    command = [sys.executable, "-m", "jifen", "--home", str(home), *arguments]
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            errors.seek(0)
            message = errors.read().decode("utf-8", "replace").strip()
            raise SystemExit(f"{' '.join(arguments)} failed: {message}")
    return seconds, usage.ru_maxrss // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("home", type=Path)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--volunteers", type=int, default=30_000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    if not (options.home / "rules.toml").exists():
        # In a child process, so this one stays small: children start with the
        # parent's memory counted in their peak.
        maker = Path(__file__).with_name("make_city.py")
        subprocess.run(
            [
                sys.executable,
                str(maker),
                str(options.home),
                f"--events={options.events}",
                f"--volunteers={options.volunteers}",
            ],
            check=True,
        )
    volunteer = sorted(os.listdir(options.home / "data" / "volunteers"))[0][
        : -len(".jsonl")
    ]
    cache = options.home / "data" / ".cache"

    cases: list[tuple[str, list[str], bool]] = [
        ("report (cold cache)", ["report", "--month", "2025-06"], True),
        ("report (warm cache)", ["report", "--month", "2025-06"], False),
        ("board --all --top 10", ["board", "--all", "--top", "10"], False),
        ("balance (one person)", ["balance", volunteer], False),
        ("passbook", ["passbook", volunteer], False),
        ("log", ["log", volunteer, "repair", "--date", "2025-12-30"], False),
        (
            "redeem (warm cache)",
            ["redeem", volunteer, "salt", "--date", "2025-12-30"],
            False,
        ),
        ("shelf", ["shelf"], False),
        ("check (reads everything)", ["check"], False),
    ]
    print(f"{'command':<28} {'median s':>9} {'peak MiB':>9}")
    for label, arguments, cold in cases:
        times = []
        peak = 0
        for _ in range(options.repeat):
            if cold:
                shutil.rmtree(cache, ignore_errors=True)
            seconds, memory = run_once(options.home, arguments)
            times.append(seconds)
            peak = max(peak, memory)
        print(f"{label:<28} {statistics.median(times):>9.2f} {peak:>9}")


if __name__ == "__main__":
    main()
