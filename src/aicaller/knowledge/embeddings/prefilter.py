"""A cheap first pass over a large matrix: one sign bit per dimension, compared by Hamming
distance, then exact cosine on the few thousand rows it keeps.

Exact scoring multiplies the question with every row: at 100,000 chunks of 384 dimensions it
reads 165 MB of float32 per question, so it is bound by memory bandwidth and slows with
everything else the machine does. The sign bits of the same rows are 48 bytes each (5 MB):
rows whose signs disagree least with the question's are, with high probability, the nearest
(sign random projections estimate the angle between vectors). The bits are taken after
subtracting the matrix's mean row: embeddings of one model share a common direction, and
uncentred signs carry little about the differences between rows. Subtracting the mean does not
change the exact ranking (every row's score moves by the same ``mean . question``), and the
final scores are exact cosines of the kept rows, so only rows the first pass missed can differ
from exact scoring; how often that happens is measured against exact scoring on the answer
evaluation's real vectors (docs/benchmarks.md, "Hybrid retrieval: search latency").

The words are stored transposed (one array per 64 dimensions) so each pass over them is a
contiguous run through memory.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

EXACT_ROWS = 20_000
"""Matrices up to this many rows are scored exactly: a small business pays nothing for the
first pass, and its exact scan is already cheap."""
CANDIDATE_SHARE, CANDIDATE_FACTOR = 0.1, 2
"""Rows the first pass keeps for exact scoring: a share of the matrix, and at least
``CANDIDATE_FACTOR`` times those asked for. A share, because how many rows the signs must keep
to hold the true nearest grows with the matrix (measured in docs/benchmarks.md)."""
_WORD_BITS = 64

Words = npt.NDArray[np.uint64]


@dataclass(frozen=True, slots=True)
class SignBits:
    centre: npt.NDArray[np.float32]
    words: Words  # (dimensions / 64 rounded up, rows)

    @property
    def nbytes(self) -> int:
        return int(self.words.nbytes + self.centre.nbytes)


def sign_words(vectors: npt.NDArray[np.float32], centre: npt.NDArray[np.float32]) -> Words:
    """Each row's signs after ``centre``, packed 64 to a word, rows along the last axis."""
    packed = np.packbits(np.atleast_2d(vectors) > centre, axis=1)
    padding = (-packed.shape[1]) % (_WORD_BITS // 8)
    if padding:
        packed = np.pad(packed, ((0, 0), (0, padding)))
    return np.ascontiguousarray(packed.view(np.uint64).T)


def build(matrix: npt.NDArray[np.float32]) -> SignBits | None:
    """The first pass for ``matrix``, or None when it is small enough to score exactly."""
    if matrix.shape[0] <= EXACT_ROWS:
        return None
    centre = matrix.mean(axis=0, dtype=np.float32)
    return SignBits(centre, sign_words(matrix, centre))


def candidates(bits: SignBits, query: npt.NDArray[np.float32], count: int) -> npt.NDArray[np.intp]:
    """The rows worth scoring exactly for the ``count`` nearest to ``query``, in row order
    (gathering rows in the order they lie in memory is the cheaper copy)."""
    rows = bits.words.shape[1]
    keep = min(rows, max(count * CANDIDATE_FACTOR, int(rows * CANDIDATE_SHARE)))
    if keep >= rows:
        return np.arange(rows)
    wanted = sign_words(query, bits.centre)[:, 0]
    distance = np.zeros(rows, dtype=np.uint16)
    for word, bit in zip(bits.words, wanted, strict=True):
        distance += np.bitwise_count(word ^ bit)
    return np.sort(np.argpartition(distance, keep - 1)[:keep])
