"""What benchmarks/faults.py stands on: the two TCP proxies (in a thread with an event loop of
their own) and the server process behind them."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' TCP proxy
from bench_app import app_settings, server_environment
from faults_load import PUBLIC_URL, TWILIO_SID, TWILIO_TOKEN
from tests.faults.proxy import TcpProxy


class Proxies:
    """The PostgreSQL and Redis proxies, on an event loop of their own in a thread, so their
    forwarding does not queue behind the load generator's work (nor the other way round)."""

    def __init__(self, database_url: str, redis_url: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.database = self._run(_started(TcpProxy.for_url(database_url)))
        self.redis = self._run(_started(TcpProxy.for_url(redis_url)))

    def _run(self, work: Coroutine[Any, Any, TcpProxy | None]) -> Any:
        return asyncio.run_coroutine_threadsafe(work, self.loop).result()

    def act(self, proxy: TcpProxy, *actions: str) -> None:
        for action in actions:
            self.loop.call_soon_threadsafe(getattr(proxy, action))

    def close(self) -> None:
        for proxy in (self.database, self.redis):
            asyncio.run_coroutine_threadsafe(proxy.close(), self.loop).result()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()


async def _started(proxy: TcpProxy) -> TcpProxy:
    await proxy.start()
    return proxy


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def serve(
    database_url: str, redis_url: str, data_dir: Path, port: int, log_level: str
) -> subprocess.Popen[bytes]:
    values = app_settings(
        database_url, redis_url, data_dir, log_level=log_level,
        rate_limit_enabled=True,  # the limiter's Redis path is part of what is faulted
        rate_limit_authenticated="100000/minute", rate_limit_anonymous="100000/minute",
        log_json=True, twilio_account_sid=TWILIO_SID, twilio_auth_token=TWILIO_TOKEN,
        twilio_from_number="+14155550199", public_url=PUBLIC_URL,
    )  # fmt: skip
    env = {**os.environ, **server_environment(values)}
    command = [sys.executable, "-m", "aicaller", "serve", "--port", str(port)]
    log = (data_dir / "server.log").open("wb")
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603


async def wait_ready(base: str) -> None:
    async with httpx.AsyncClient(base_url=base) as client:
        for _ in range(300):
            try:
                if (await client.get("/health/ready")).status_code == 200:
                    return
            except httpx.TransportError:
                await asyncio.sleep(0.1)
                continue
            await asyncio.sleep(0.1)
    raise SystemExit("the server did not become ready; see server.log")
