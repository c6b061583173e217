"""Page-level fusion of the two rankings, vectors as stored, the nearest rows of a matrix and
the bound on the matrices a process keeps."""

from __future__ import annotations

import uuid

import numpy as np
from fastapi import FastAPI

from aicaller.knowledge.embeddings import runtime
from aicaller.knowledge.embeddings.fusion import Fused, fuse
from aicaller.knowledge.embeddings.vectors import MatrixCache, VectorIndex, pack, unit, unpack
from aicaller.knowledge.search.backend import SearchHit

PAGES = {name: uuid.uuid4() for name in "ABCDEFG"}
NAMES = {page: name for name, page in PAGES.items()}


def hit(page: str, number: int, score: float = 1.0) -> SearchHit:
    chunk = uuid.uuid5(PAGES[page], str(number))
    return SearchHit(chunk, PAGES[page], page, None, page, "text", "", score)


def pages(fused: list[Fused]) -> list[str]:
    return list(dict.fromkeys(NAMES[found.document_id] for found in fused))


def test_a_page_both_rankings_hold_beats_one_only_a_single_ranking_puts_first() -> None:
    lexical = [hit("A", 1, 1.0), hit("B", 1, 0.9), hit("C", 1, 0.5)]
    semantic = [hit("D", 1, 0.62), hit("B", 2, 0.6), hit("C", 2, 0.45)]
    fused = fuse(lexical, semantic, 10)
    assert pages(fused) == ["B", "D", "C", "A"]
    assert fused[0].score == 1.0
    assert [found.score for found in fused] == sorted((f.score for f in fused), reverse=True)


def test_a_page_the_model_puts_clearly_first_wins_over_lexical_rank() -> None:
    """The caller's words are not the page's: lexically far down, semantically far ahead."""
    scores = (1.0, 0.9, 0.8, 0.7, 0.3)
    lexical = [hit(page, 1, score) for page, score in zip("ABCDE", scores, strict=True)]
    semantic = [hit("E", 2, 0.55), hit("B", 2, 0.40), hit("A", 2, 0.35), hit("C", 2, 0.30)]
    assert pages(fuse(lexical, semantic, 10))[0] == "E"
    # Without the model's margin (all about as near) the lexical order stands.
    even = [hit("E", 2, 0.41), hit("B", 2, 0.40), hit("A", 2, 0.40), hit("C", 2, 0.40)]
    assert pages(fuse(lexical, even, 10)) == ["A", "B", "C", "E", "D"]


def test_a_page_near_throughout_beats_a_lucky_chunk_but_length_alone_does_not_count() -> None:
    throughout = [hit("F", n, 0.60 - n / 100) for n in range(3)]
    lucky = [hit("G", 1, 0.61), hit("G", 2, 0.30)]
    assert pages(fuse([], sorted(lucky + throughout, key=lambda h: -h.score), 10)) == ["F", "G"]
    long = [hit("F", n, 0.40) for n in range(6)]
    assert pages(fuse([], [hit("G", 1, 0.6), *long], 10)) == ["G", "F"]


def test_a_long_page_does_not_crowd_out_the_next_ones() -> None:
    lexical = [hit("A", n, 1.0 - n / 10) for n in range(6)] + [hit("B", 1, 0.5)]
    fused = fuse(lexical, [hit("B", 2, 0.5), hit("A", 9, 0.45)], 3)
    assert pages(fused) == ["A", "B"]
    assert [NAMES[found.document_id] for found in fused] == ["A", "B", "A"]


def test_one_ranking_alone_keeps_its_page_order() -> None:
    semantic = [hit("C", 1, 0.9), hit("A", 1, 0.8), hit("C", 2, 0.7), hit("B", 1, 0.6)]
    assert pages(fuse([], semantic, 10)) == ["C", "A", "B"]
    lexical = [hit("B", 1, 1.0), hit("A", 1, 0.5), hit("B", 2, 0.4)]
    assert pages(fuse(lexical, [], 10)) == ["B", "A"]
    assert fuse([], [], 5) == []


def test_vectors_are_stored_at_unit_length_in_half_precision() -> None:
    blob = pack([3.0, 4.0])
    assert len(blob) == 4
    [row] = unpack([blob], 2)
    assert np.allclose(row, [0.6, 0.8], atol=1e-3)
    assert unpack([b"\x00" * 6], 2).tolist() == [[0.0, 0.0]]  # another model's width: zeros
    assert unit([0.0, 0.0]).tolist() == [0.0, 0.0]


def test_the_nearest_rows_come_most_similar_first() -> None:
    ids = [uuid.uuid4() for _ in range(4)]
    matrix = np.stack([unit(v) for v in ([1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [-1.0, 0.0])])
    index = VectorIndex(1, ids, matrix)
    assert [row for row, _ in index.nearest(unit([1.0, 0.1]), 3)] == [0, 2, 1]
    assert index.nearest(unit([1.0, 0.0, 0.0]), 3) == []  # a question of another size
    assert VectorIndex(1, [], unpack([], 2)).nearest(unit([1.0, 0.0]), 3) == []


def test_the_cache_keeps_the_latest_version_and_drops_the_least_recent_business() -> None:
    def index(version: int) -> VectorIndex:
        ids = [uuid.uuid4() for _ in range(10)]
        return VectorIndex(version, ids, np.zeros((10, 100), dtype=np.float32))

    first, second, third = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    cache = MatrixCache(max_bytes=2 * index(1).nbytes)
    cache.put(first, index(1))
    cache.put(second, index(1))
    assert cache.get(first, 2) is None  # its knowledge changed since
    assert cache.get(first, 1) is not None  # now the most recent
    cache.put(third, index(1))
    assert (cache.get(second, 1), len(cache)) == (None, 2)
    cache.drop(first)
    assert cache.get(first, 1) is None


def test_a_second_app_stopped_in_the_process_hands_semantic_search_back_to_the_first(
    app: FastAPI,
) -> None:
    """The CLI or a test may start and stop another app beside the running one: the running
    app must keep its semantic search (the last runtime installed is uninstalled first)."""
    running = runtime.current()
    assert running is not None  # the session's apps (one per database) installed theirs
    assert app.state.embeddings in runtime._installed
    second = runtime.install(running.http, running.secret_box, running.settings)
    assert runtime.current() is second
    runtime.uninstall(second)
    assert runtime.current() is running
    runtime.uninstall(second)  # twice is harmless
    assert runtime.current() is running
