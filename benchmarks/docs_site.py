"""Real documentation sites for the benchmarks: Debian's doc packages (``apt-get download``,
cached in ~/.cache/aicaller-bench) served from 127.0.0.1 with added latency.

The server runs in a process of its own: in the benchmark's process its threads took the GIL
from aicaller's event loop, which Scrapy, in a process of its own, never had to share.
"""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

CACHE = Path.home() / ".cache" / "aicaller-bench"


# name: (Debian package, its HTML directory, generator)
SITES = {
    "python": ("python3.11-doc", "usr/share/doc/python3.11/html", "Sphinx"),
    "django": ("python-django-doc", "usr/share/doc/python-django-doc/html", "Sphinx (djangodocs)"),
    "git": ("git-doc", "usr/share/doc/git-doc", "AsciiDoc"),
    "sqlalchemy": (
        "python-sqlalchemy-doc", "usr/share/doc/python-sqlalchemy-doc/html", "Sphinx (zzzeeksphinx)"
    ),
    "mkdocs": ("mkdocs-doc", "usr/share/doc/mkdocs/html", "MkDocs"),
}  # fmt: skip


def debian_docs(name: str) -> Path:
    """The extracted HTML directory of the site's Debian package, downloaded once."""
    package, directory, _ = SITES[name]
    html = CACHE / package / directory
    if html.is_dir():
        return html
    CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run(["apt-get", "download", package], cwd=CACHE, check=True)  # noqa: S603, S607
    deb = next(CACHE.glob(f"{package}_*.deb"))
    target = CACHE / package
    subprocess.run(["dpkg-deb", "-x", str(deb), str(target)], check=True)  # noqa: S603, S607
    return html


def python_docs() -> Path:
    """The extracted HTML directory of python3.11-doc, downloaded once."""
    return debian_docs("python")


class Counter:
    """Requests and 304s, shared with the server process."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._requests = context.Value("i", 0)
        self._not_modified = context.Value("i", 0)

    @property
    def requests(self) -> int:
        return int(self._requests.value)

    @property
    def not_modified(self) -> int:
        return int(self._not_modified.value)

    def count(self, code: int) -> None:
        with self._requests.get_lock():
            self._requests.value += 1
        if code == 304:
            with self._not_modified.get_lock():
                self._not_modified.value += 1

    def reset(self) -> None:
        self._requests.value = self._not_modified.value = 0


class SlowHandler(SimpleHTTPRequestHandler):
    """Static files over keep-alive HTTP/1.1, ``latency`` seconds late, every request counted;
    If-Modified-Since is answered with 304 by the standard library."""

    protocol_version = "HTTP/1.1"
    latency = 0.05
    counter: Counter

    def send_response(self, code: int, message: str | None = None) -> None:
        self.counter.count(code)
        super().send_response(code, message)

    def handle_one_request(self) -> None:
        time.sleep(self.latency)
        super().handle_one_request()

    def log_message(self, format: str, *args: Any) -> None:
        return


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A crawler that stops reading a page (past its size cap) resets the connection: not
        the server's error, and not worth a traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _serve_forever(root: Path, latency: float, counter: Counter, port: Any) -> None:
    SlowHandler.latency, SlowHandler.counter = latency, counter
    server = _Server(("127.0.0.1", 0), partial(SlowHandler, directory=str(root)))
    server.daemon_threads = True
    port.value = server.server_address[1]
    server.serve_forever()


def serve(root: Path, latency: float) -> tuple[int, Counter]:
    """Start the server process (a daemon: it ends with the benchmark); returns its port."""
    context = multiprocessing.get_context("spawn")
    counter, port = Counter(), context.Value("i", 0)
    context.Process(target=_serve_forever, args=(root, latency, counter, port), daemon=True).start()
    while not port.value:
        time.sleep(0.05)
    return int(port.value), counter
