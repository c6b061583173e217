"""Page-level fusion of the two rankings, vectors as stored, the nearest rows of a matrix and
the bound on the matrices a process keeps."""

from __future__ import annotations

import uuid

import numpy as np
from fastapi import FastAPI

from aicaller.knowledge.embeddings import runtime
from aicaller.knowledge.embeddings.fusion import fuse
from aicaller.knowledge.embeddings.vectors import MatrixCache, VectorIndex, pack, unit, unpack
from aicaller.knowledge.search.backend import SearchHit

PAGES = {name: uuid.uuid4() for name in "ABCDE"}


def hit(page: str, number: int) -> SearchHit:
    chunk = uuid.uuid5(PAGES[page], str(number))
    return SearchHit(chunk, PAGES[page], page, None, page, "text", "", 1.0)


def pages(hits: list[SearchHit]) -> list[str]:
    return list(dict.fromkeys(found.title for found in hits))


def test_a_page_both_rankings_hold_beats_one_only_a_single_ranking_puts_first() -> None:
    lexical = [hit("A", 1), hit("B", 1), hit("C", 1)]
    semantic = [hit("D", 1), hit("B", 2), hit("C", 2)]
    fused = fuse(lexical, semantic, 10)
    assert pages(fused) == ["B", "C", "A", "D"]
    assert fused[0].score == 1.0
    assert [found.score for found in fused] == sorted((f.score for f in fused), reverse=True)


def test_a_long_page_does_not_crowd_out_the_next_ones() -> None:
    lexical = [hit("A", n) for n in range(6)] + [hit("B", 1)]
    fused = fuse(lexical, [hit("B", 2), hit("A", 9)], 3)
    assert [found.title for found in fused] == ["A", "B", "A"]


def test_one_ranking_alone_keeps_its_page_order() -> None:
    semantic = [hit("C", 1), hit("A", 1), hit("C", 2), hit("B", 1)]
    assert pages(fuse([], semantic, 10)) == ["C", "A", "B"]
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
