"""Extraction CPU per page on the Python 3.11 docs, and its output compared with a saved run.

Runs ``extract_html`` (and chunking) over every HTML page of ``python3.11-doc`` in this
process, one page after another, and prints the CPU time per page. ``--save FILE`` writes each
page's output (title, markdown, links, canonical, chunks) to a JSON file; ``--compare FILE``
reports every page whose output differs from the saved one (save on the old code, compare on
the new): a speed-up can be shown to keep the text byte-identical, a change of extraction to
change what it meant to.

    .venv/bin/python benchmarks/extraction.py [--save out.json | --compare out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from docs_site import python_docs

from aicaller.knowledge.chunking import chunk_markdown
from aicaller.knowledge.documentation_scraper.extract import extract_html


def page_output(path: Path, root: Path) -> tuple[dict[str, Any], float, float]:
    """One page's output, and the CPU seconds of extraction and of chunking."""
    url = f"http://127.0.0.1/{path.relative_to(root).as_posix()}"
    content = path.read_bytes()
    started = time.process_time()
    page = extract_html(content, url=url)
    extracted = time.process_time()
    chunks = chunk_markdown(page.title or url, page.markdown)
    chunked = time.process_time()
    output = {
        "title": page.title, "markdown": page.markdown, "links": list(page.links),
        "canonical": page.canonical,
        "chunks": [[c.ordinal, c.heading_path, c.text, c.token_count] for c in chunks],
    }  # fmt: skip
    return output, extracted - started, chunked - extracted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save", type=Path, help="write every page's output to this file")
    parser.add_argument("--compare", type=Path, help="compare every page with this file")
    args = parser.parse_args()
    root = python_docs()
    pages = sorted(root.rglob("*.html"))
    outputs: dict[str, dict[str, Any]] = {}
    extract_cpu = chunk_cpu = 0.0
    for path in pages:
        output, extract_s, chunk_s = page_output(path, root)
        outputs[path.relative_to(root).as_posix()] = output
        extract_cpu, chunk_cpu = extract_cpu + extract_s, chunk_cpu + chunk_s
    print(f"{len(pages)} pages: extraction {extract_cpu / len(pages) * 1000:.1f} ms CPU/page, "
          f"chunking {chunk_cpu / len(pages) * 1000:.1f} ms CPU/page")  # fmt: skip
    if args.save:
        args.save.write_text(json.dumps(outputs, ensure_ascii=False))
    if args.compare:
        saved: dict[str, dict[str, Any]] = json.loads(args.compare.read_text())
        differing = sorted(
            name for name in saved.keys() | outputs.keys() if saved.get(name) != outputs.get(name)
        )
        for name in differing[:20]:
            fields = [k for k in ("title", "markdown", "links", "canonical", "chunks")
                      if saved.get(name, {}).get(k) != outputs.get(name, {}).get(k)]  # fmt: skip
            print(f"differs: {name} ({', '.join(fields)})")
        print(f"{len(differing)} of {len(outputs)} pages differ from {args.compare}")
        sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
