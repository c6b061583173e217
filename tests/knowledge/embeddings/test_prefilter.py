"""The first pass over large matrices finds the rows exact scoring finds, and the similarity
threshold speaks for whole pages."""

from __future__ import annotations

import uuid

import numpy as np
import pytest

from aicaller.knowledge.embeddings import prefilter
from aicaller.knowledge.embeddings.fusion import fuse
from aicaller.knowledge.embeddings.vectors import Matrix, VectorIndex
from aicaller.knowledge.search.backend import SearchHit


def clustered(rows: int, dimensions: int, seed: int) -> Matrix:
    """Unit rows in topics of about five, as a documentation site's chunks are (pure noise
    would make every row about as far from a question as every other)."""
    rng = np.random.default_rng(seed)
    topics = rng.standard_normal((rows // 5, dimensions)) + 1.5  # a direction all rows share
    matrix = topics[rng.integers(0, len(topics), rows)] + 0.5 * rng.standard_normal(
        (rows, dimensions)
    )
    unit_rows: Matrix = (matrix / np.linalg.norm(matrix, axis=1, keepdims=True)).astype(np.float32)
    return unit_rows


def index_of(matrix: Matrix) -> VectorIndex:
    ids = [uuid.uuid4() for _ in range(len(matrix))]
    return VectorIndex.of(1, ids, matrix, ids)


def test_a_large_matrix_finds_the_rows_exact_scoring_finds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(prefilter, "EXACT_ROWS", 1000)
    monkeypatch.setattr(prefilter, "CANDIDATE_SHARE", 0.05)
    matrix = clustered(6000, 96, seed=7)  # 96 dimensions: two words, the second padded
    index = index_of(matrix)
    assert index.prefilter is not None
    assert index.nbytes > matrix.nbytes + index.prefilter.nbytes - 1
    rng = np.random.default_rng(8)
    found_exactly = 0
    for row in rng.integers(0, len(matrix), 50):
        noise = rng.standard_normal(96).astype(np.float32) * 0.3 / np.sqrt(96)
        question = (matrix[row] + noise) / np.linalg.norm(matrix[row] + noise)
        exact = np.argsort(-(matrix @ question), kind="stable")[:4]
        found = index.nearest(question, 4)
        assert found[0][0] == row  # what the question is nearly a copy of, always
        # Scores are exact cosines, whatever the first pass kept.
        assert [score for _, score in found] == pytest.approx(
            (matrix[[place for place, _ in found]] @ question).tolist(), abs=1e-6
        )
        found_exactly += [place for place, _ in found] == exact.tolist()
    assert found_exactly >= 45  # the rest differ in a near tie of the fourth place or so
    assert index.nearest(np.ones(5, dtype=np.float32), 3) == []  # another model's question


def test_a_small_matrix_is_scored_exactly_without_a_first_pass() -> None:
    matrix = clustered(50, 16, seed=1)
    index = index_of(matrix)
    assert index.prefilter is None
    assert [row for row, _ in index.nearest(matrix[3], 1)] == [3]
    assert len(index.nearest(matrix[3], 500)) == 50


def test_only_pages_whose_nearest_chunk_passes_the_threshold_get_semantic_evidence() -> None:
    page, other, lexical_page = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()

    def hit(document: uuid.UUID, score: float) -> SearchHit:
        return SearchHit(uuid.uuid4(), document, "t", None, "t", "x", "", score)

    near = [hit(page, 0.5), hit(other, 0.25), hit(page, 0.1)]
    lexical = [hit(lexical_page, 1.0)]
    fused = fuse(lexical, near, 10, min_similarity=0.3)
    assert [found.document_id for found in fused] == [page, page, lexical_page]
    assert fuse(lexical, near, 10, min_similarity=0.6)[0].document_id == lexical_page
