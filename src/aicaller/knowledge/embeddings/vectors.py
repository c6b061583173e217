"""Vectors as stored (little-endian float16, unit length) and the per-process matrices a search
scores a question against.

A business's matrix is loaded once from the database and kept while its knowledge version is
unchanged: every change that adds or removes vectors (a sync, an upload, a deletion, an
indexing job) bumps that version in the database, so every worker process sees it at its next
search and reloads; nothing has to be broadcast. The reload runs in the background while
searches go on with the previous matrix (``semantic.vector_index``): it lacks only what
changed. Matrices are float32 in memory, because numpy multiplies float32 with BLAS and float16
without it; their total size is bounded (``embeddings_cache_mb``), the least recently searched
business going first.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from aicaller.knowledge.embeddings.prefilter import SignBits, build, candidates

STORED = np.dtype("<f2")
Matrix = npt.NDArray[np.float32]


def unit(vector: list[float] | npt.NDArray[np.floating]) -> Matrix:
    """``vector`` scaled to unit length (a zero vector stays zero) as float32."""
    array = np.asarray(vector, dtype=np.float32)
    norm = float(np.linalg.norm(array))
    return array / norm if norm > 0 else array


def pack(vector: list[float]) -> bytes:
    """The stored form of ``vector``: unit length, float16."""
    return unit(vector).astype(STORED).tobytes()


def unpack(blobs: list[bytes], dimensions: int) -> Matrix:
    """Stored vectors as one float32 matrix, a row each; a row of the wrong size (a model
    changed under a running process) is a row of zeros, which matches nothing."""
    width = dimensions * STORED.itemsize
    if all(len(blob) == width for blob in blobs):  # the usual case: one conversion
        joined = np.frombuffer(b"".join(blobs), dtype=STORED)
        return joined.reshape(len(blobs), dimensions).astype(np.float32)
    matrix = np.zeros((len(blobs), dimensions), dtype=np.float32)
    for row, blob in enumerate(blobs):
        if len(blob) == width:
            matrix[row] = np.frombuffer(blob, dtype=STORED)
    return matrix


@dataclass(frozen=True, slots=True)
class VectorIndex:
    """One business's vectors at one knowledge version."""

    version: int
    chunk_ids: list[uuid.UUID]
    matrix: Matrix
    document_ids: list[uuid.UUID] = field(default_factory=list)  # each row's page
    prefilter: SignBits | None = None  # large matrices only (``prefilter.build``)

    @classmethod
    def of(
        cls,
        version: int,
        chunk_ids: list[uuid.UUID],
        matrix: Matrix,
        document_ids: list[uuid.UUID],
    ) -> VectorIndex:
        """An index with the first pass a matrix of its size needs (built once, at load)."""
        return cls(version, chunk_ids, matrix, document_ids, build(matrix))

    @property
    def nbytes(self) -> int:
        first_pass = self.prefilter.nbytes if self.prefilter is not None else 0
        return int(self.matrix.nbytes) + first_pass + 128 * len(self.chunk_ids)

    def nearest(self, query: Matrix, count: int) -> list[tuple[int, float]]:
        """The ``count`` rows most similar to ``query`` (cosine: all rows are unit length),
        as (row, similarity), most similar first; a large matrix's rows are those its first
        pass keeps (``prefilter.py``)."""
        if not self.chunk_ids or query.shape[0] != self.matrix.shape[1]:
            return []
        if self.prefilter is None:
            rows = np.arange(len(self.chunk_ids))
            scores = self.matrix @ query
        else:
            rows = candidates(self.prefilter, query, count)
            scores = self.matrix[rows] @ query
        count = min(count, len(scores))
        top = np.argpartition(-scores, count - 1)[:count]
        ordered = top[np.argsort(-scores[top], kind="stable")]
        return [(int(rows[place]), float(scores[place])) for place in ordered]


class MatrixCache:
    """Per-business ``VectorIndex`` of this process, bounded in bytes, least recent out first."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._indexes: OrderedDict[uuid.UUID, VectorIndex] = OrderedDict()
        self._lock = threading.Lock()

    def latest(self, business_id: uuid.UUID) -> VectorIndex | None:
        """The business's index, whatever its version."""
        with self._lock:
            return self._indexes.get(business_id)

    def get(self, business_id: uuid.UUID, version: int) -> VectorIndex | None:
        with self._lock:
            index = self._indexes.get(business_id)
            if index is None or index.version != version:
                return None
            self._indexes.move_to_end(business_id)
            return index

    def put(self, business_id: uuid.UUID, index: VectorIndex) -> None:
        with self._lock:
            self._indexes[business_id] = index
            self._indexes.move_to_end(business_id)
            total = sum(kept.nbytes for kept in self._indexes.values())
            # The business just searched stays even when it alone is over the bound.
            while total > self.max_bytes and len(self._indexes) > 1:
                _, dropped = self._indexes.popitem(last=False)
                total -= dropped.nbytes

    def drop(self, business_id: uuid.UUID) -> None:
        with self._lock:
            self._indexes.pop(business_id, None)

    def __len__(self) -> int:
        return len(self._indexes)
