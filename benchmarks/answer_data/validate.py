"""Validate the hand-written documentation question sets under ``docs/``.

Each set is a JSON file naming a Debian documentation package and the root of its
HTML inside that package; every question lists the pages that answer it. The
checks here are what a mistake in hand-written data would break: the shape of
the file, unique ids, and that every listed page really exists in the package.

Usage::

    python3 benchmarks/answer_data/validate.py [--root DIR] FILE.json [FILE.json ...]

Without ``--root`` the pages are looked up under
``~/.cache/aicaller-bench/<package>/<root>`` (where the benchmark extracts the
packages). Exit status 1 and one line per problem when anything is wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

TOP_KEYS = {"set", "package", "root", "written_by", "questions"}
QUESTION_KEYS = {"id", "question", "pages", "where"}
# Sphinx navigation pages at the root answer no real question; listing one is a mistake.
NAVIGATION = {"genindex.html", "search.html", "contents.html", "py-modindex.html"}


def check_pages(where: str, pages: object, root: Path) -> list[str]:
    """Problems with one question's list of acceptable pages."""
    if not isinstance(pages, list) or not 1 <= len(pages) <= 4:
        return [f"{where}: 'pages' must list 1 to 4 pages"]
    problems = [f"{where}: a page is listed twice"] if len(set(pages)) != len(pages) else []
    for page in pages:
        if not isinstance(page, str) or page.startswith("/") or ".." in page:
            problems.append(f"{where}: bad page path {page!r}")
        elif page in NAVIGATION:
            problems.append(f"{where}: {page} is a navigation page")
        elif not (root / page).is_file():
            problems.append(f"{where}: {page} not found under {root}")
    return problems


def check_question(where: str, q: object, prefix: str, seen: set[str]) -> list[str]:
    """Problems with one question; ``seen`` collects ids and texts across the set."""
    if not isinstance(q, dict) or set(q) != QUESTION_KEYS:
        return [f"{where}: keys must be {sorted(QUESTION_KEYS)}"]
    problems: list[str] = []
    qid, text, note = q["id"], q["question"], q["where"]
    if not isinstance(qid, str) or not qid.startswith(prefix):
        problems.append(f"{where}: id {qid!r} must start with {prefix!r}")
    elif f"id:{qid}" in seen:
        problems.append(f"{where}: duplicate id {qid}")
    seen.add(f"id:{qid}")
    if not isinstance(text, str) or len(text.split()) < 3:
        problems.append(f"{where}: question must be a sentence")
    elif f"text:{text.strip().lower()}" in seen:
        problems.append(f"{where}: duplicate question text")
    else:
        seen.add(f"text:{text.strip().lower()}")
    if not isinstance(note, str) or not note.strip():
        problems.append(f"{where}: 'where' must say where the answer is")
    return problems


def check_set(path: Path, root_override: Path | None) -> list[str]:
    """Return the problems found in one set file (empty when it is valid)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"{path}: cannot read JSON: {exc}"]
    if not isinstance(data, dict) or set(data) != TOP_KEYS:
        keys = sorted(data) if isinstance(data, dict) else type(data).__name__
        return [f"{path}: top-level keys must be {sorted(TOP_KEYS)}, got {keys}"]
    problems = [
        f"{path}: '{key}' must be a non-empty string"
        for key in sorted(TOP_KEYS - {"questions"})
        if not isinstance(data[key], str) or not data[key].strip()
    ]
    if problems:
        return problems
    root = root_override or (
        Path.home() / ".cache" / "aicaller-bench" / data["package"] / data["root"]
    )
    if not root.is_dir():
        return [f"{path}: package root {root} does not exist"]
    questions = data["questions"]
    if not isinstance(questions, list) or not questions:
        return [f"{path}: 'questions' must be a non-empty list"]
    seen: set[str] = set()
    for index, q in enumerate(questions):
        where = f"{path}: question #{index + 1}"
        if isinstance(q, dict) and isinstance(q.get("id"), str):
            where += f" ({q['id']})"
        problems += check_question(where, q, f"{data['set']}-", seen)
        if isinstance(q, dict):
            problems += check_pages(where, q.get("pages"), root)
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, help="package root holding the pages")
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args(argv)
    problems: list[str] = []
    for path in args.files:
        found = check_set(path, args.root)
        problems.extend(found)
        if not found:
            count = len(json.loads(path.read_text(encoding="utf-8"))["questions"])
            print(f"{path}: OK, {count} questions")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
