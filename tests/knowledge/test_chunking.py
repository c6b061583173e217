"""Chunks follow headings, stay near 400-512 tokens, and never split code or tables."""

from __future__ import annotations

import uuid

from aicaller.knowledge.chunking import MAX_TOKENS, chunk_markdown, count_tokens

DOC_ID = uuid.UUID("00000000-0000-0000-0000-000000000001")


def _prose(sentences: int, word: str = "alpha") -> str:
    return " ".join(
        f"The {word} service handles request number {i} quickly." for i in range(sentences)
    )


def test_headings_make_the_path_and_h4_does_not_split() -> None:
    markdown = (
        "# Setup\nIntro text.\n\n## Install\nRun it.\n\n#### Detail\nStill install.\n\n## Use\nGo."
    )
    chunks = chunk_markdown("Guide", markdown)
    assert [c.heading_path for c in chunks] == [
        "Guide > Setup",
        "Guide > Setup > Install",
        "Guide > Setup > Use",
    ]
    assert "#### Detail" in chunks[1].text
    assert "Still install." in chunks[1].text
    assert chunks[1].prefixed.startswith("Guide > Setup > Install\n\n")


def test_the_h1_repeating_the_title_with_markup_is_not_a_heading_again() -> None:
    markdown = "# `json` — JSON *encoder*\nIntro.\n\n## Usage\nCall it."
    chunks = chunk_markdown("json — JSON encoder", markdown)
    assert [c.heading_path for c in chunks] == [
        "json — JSON encoder",
        "json — JSON encoder > Usage",
    ]


def test_long_sections_are_cut_near_the_target_size() -> None:
    chunks = chunk_markdown("Manual", "## Big\n" + "\n\n".join(_prose(8) for _ in range(20)))
    assert len(chunks) > 3
    assert all(c.token_count <= MAX_TOKENS for c in chunks)
    assert all(c.token_count >= 300 for c in chunks[:-1])
    assert all(c.heading_path == "Manual > Big" for c in chunks)
    assert " ".join(c.text for c in chunks).count("request number") == 160


def test_one_giant_paragraph_is_cut_at_sentences() -> None:
    chunks = chunk_markdown("T", _prose(200))
    assert len(chunks) > 1
    assert all(c.token_count <= MAX_TOKENS for c in chunks)
    assert all(c.text.endswith(".") for c in chunks)


def test_code_blocks_and_tables_are_never_split() -> None:
    code = "```python\n" + "\n".join(f"value_{i} = compute({i}) + 1" for i in range(150)) + "\n```"
    table = "| a | b |\n|---|---|\n" + "\n".join(f"| row {i} | {i * 2} |" for i in range(120))
    chunks = chunk_markdown("Ref", f"## Code\n{_prose(30)}\n\n{code}\n\n{table}\n\nAfter.")
    with_code = [c for c in chunks if "```python" in c.text]
    assert len(with_code) == 1
    assert with_code[0].text.count("```") == 2
    assert count_tokens(code) > MAX_TOKENS  # too big for one chunk, kept whole anyway
    with_table = [c for c in chunks if "| row 0 |" in c.text]
    assert len(with_table) == 1
    assert "| row 119 |" in with_table[0].text


def test_chunk_ids_are_stable_and_follow_content() -> None:
    markdown = "## One\nFirst part.\n\n## Two\nSecond part."
    first = [c.chunk_id(DOC_ID) for c in chunk_markdown("Doc", markdown)]
    again = [c.chunk_id(DOC_ID) for c in chunk_markdown("Doc", markdown)]
    edited = [c.chunk_id(DOC_ID) for c in chunk_markdown("Doc", markdown.replace("Second", "2nd"))]
    assert first == again
    assert edited[0] == first[0]
    assert edited[1] != first[1]
    other_document = [c.chunk_id(uuid.uuid4()) for c in chunk_markdown("Doc", markdown)]
    assert set(other_document).isdisjoint(first)


def test_text_before_any_heading_belongs_to_the_title() -> None:
    chunks = chunk_markdown("Notes", "Loose text.\n\n# Later\nMore.")
    assert [c.heading_path for c in chunks] == ["Notes", "Notes > Later"]


def test_a_chunks_token_count_is_its_texts_count() -> None:
    """Counts are added up from the pieces (each text is counted once): the sum must be what
    counting the chunk's own text gives, sentence ends and run-on sentences included."""
    run_on = " ".join(f"word{i}, and-more" for i in range(400))  # no sentence end, > MAX_TOKENS
    lines = "Line one ends.\nLine two: `code`!\tTabbed?  Spaced.\n(Parenthesised.)"
    table = "| a | b |\n|---|---|\n| x, y | z. |"
    markdown = f"## A\n{lines}\n\n{_prose(120)}\n\n{run_on}\n\n{table}\n\n## B\nÜber café — naïve."
    chunks = chunk_markdown("Counts", markdown)
    assert len(chunks) > 4
    assert [c.token_count for c in chunks] == [count_tokens(c.text) for c in chunks]
    assert "Line one ends. Line two: `code`! Tabbed? Spaced. (Parenthesised.)" in chunks[0].text
