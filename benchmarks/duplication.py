"""Code duplication: the share of lines that repeat a run of ``--min-lines`` or more elsewhere.

The plan's success criterion is "< 5% duplication". This measures it with pylint's ``symilar``
(the duplicate-code checker of pylint, run on its own) rather than a count of our own making:
comments, docstrings and imports are left out, since repeating them is not duplicated logic.
Prints the lines read, the duplicated lines and their share, for ``src/`` (with and without the
migrations, whose table definitions restate columns by design) and for ``tests/``.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/duplication.py [--min-lines 6]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOTAL = re.compile(r"TOTAL lines=(\d+) duplicates=(\d+) percent=([\d.]+)")


def tracked(pattern: str) -> list[str]:
    """Python files git tracks under ``pattern`` (what a clean clone holds)."""
    listed = subprocess.run(  # noqa: S603 - fixed arguments, our own pattern
        ["git", "ls-files", pattern],  # noqa: S607 - git from PATH, as a developer runs it
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return listed.stdout.split()


def measure(files: list[str], min_lines: int) -> tuple[int, int, float]:
    """Lines read, duplicated lines and their percentage, from symilar's TOTAL line."""
    symilar = Path(sys.executable).with_name("symilar")
    options = ["-d", str(min_lines), "-i", "--ignore-docstrings", "--ignore-imports"]
    run = subprocess.run(  # noqa: S603 - the venv's symilar on files git tracks
        [str(symilar), *options, *files], cwd=ROOT, capture_output=True, text=True, check=False
    )
    found = TOTAL.search(run.stdout)
    if found is None:
        raise SystemExit(f"symilar printed no TOTAL line:\n{run.stdout[-2000:]}{run.stderr}")
    return int(found[1]), int(found[2]), float(found[3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-lines", type=int, default=6)
    args = parser.parse_args()
    sources = tracked("src/*.py")
    groups = {
        "src/": sources,
        "src/ without migrations": [f for f in sources if "/migrations/versions/" not in f],
        "tests/": tracked("tests/*.py"),
    }
    print(f"runs of {args.min_lines}+ lines; target: under 5% duplicated")
    for name, files in groups.items():
        lines, duplicated, percent = measure(files, args.min_lines)
        counts = f"{len(files):4} files {lines:7,} lines {duplicated:6,} duplicated"
        print(f"{name:26} {counts} {percent:5.2f}%")


if __name__ == "__main__":
    main()
