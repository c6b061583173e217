"""The load of benchmarks/faults.py: an open-loop mix of reads, writes and live-call requests at
a fixed rate, liveness and readiness probes, and the oversized anonymous bodies of fault (d).

Every request is recorded with the time it started, its kind, its outcome (the status, or
``timeout`` / ``error`` when no answer came) and its latency.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from dataclasses import dataclass, field

import httpx
from twilio.request_validator import RequestValidator

TWILIO_SID = "AC" + "0123456789abcdef" * 2
TWILIO_TOKEN = "f" * 32
PUBLIC_URL = "https://calls.example.com"
BUSINESS_NUMBER = "+14155550123"
REQUEST_TIMEOUT = 15.0  # Twilio gives up on a webhook after 15 s
ALWAYS_OPEN = {
    day: [{"open": "00:00", "close": "24:00"}]
    for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
}
PRICES = "# Prices\n\nA routine check-up and cleaning costs $120 and takes about 45 minutes."
GATHER = re.compile(r'<Gather action="([^"]+)"')


@dataclass(frozen=True, slots=True)
class Sample:
    started: float  # time.monotonic()
    kind: str  # read, write, live, liveness, readiness, oversized
    outcome: str  # "200", "503", ..., "timeout", "error"
    ms: float
    detail: str = ""  # readiness: the body's status


@dataclass
class Load:
    """The mix; ``samples`` grows while ``run`` and the probes go on."""

    client: httpx.AsyncClient
    call_ids: list[str]
    samples: list[Sample] = field(default_factory=list)
    test_calls: list[str] = field(default_factory=list)
    gathers: list[tuple[str, str]] = field(default_factory=list)  # (Gather action, CallSid)
    rng: random.Random = field(default_factory=lambda: random.Random(7))  # noqa: S311
    phones: int = 0

    async def _timed(
        self, kind: str, method: str, url: str, **kwargs: object
    ) -> httpx.Response | None:
        started = time.monotonic()
        try:
            response = await self.client.request(method, url, **kwargs)  # type: ignore[arg-type]
        except httpx.TimeoutException:
            self.samples.append(Sample(started, kind, "timeout", _ms(started)))
            return None
        except httpx.TransportError as exc:  # e.g. the server closed the connection
            self.samples.append(Sample(started, kind, f"error({type(exc).__name__})", _ms(started)))
            return None
        detail = ""
        if kind == "readiness":
            detail = str(response.json().get("status"))
        self.samples.append(Sample(started, kind, str(response.status_code), _ms(started), detail))
        return response

    async def one(self) -> None:
        """One request of the mix: 60 % reads, 15 % writes, 25 % live-call requests."""
        roll = self.rng.random()
        call = self.rng.choice(self.call_ids)
        if roll < 0.60:
            url = self.rng.choice(
                ["/api/v1/users/me", "/api/v1/calls?limit=20", f"/api/v1/calls/{call}",
                 "/api/v1/config", "/api/v1/escalations?limit=20"]
            )  # fmt: skip
            await self._timed("read", "GET", url)
        elif roll < 0.75:
            await self._timed(
                "write", "POST", f"/api/v1/calls/{call}/notes", json={"body": "call back"}
            )
        elif roll < 0.80 or not self.test_calls:
            response = await self._timed("live", "POST", "/api/v1/calls/test", json={})
            if response is not None and response.status_code == 201:
                self.test_calls.append(response.json()["call"]["id"])
        elif roll < 0.88:
            await self._turn(self.rng.choice(self.test_calls))
        else:
            await self._phone()

    async def _turn(self, call_id: str) -> None:
        text = {"text": "How much is a cleaning?"}
        response = await self._timed("live", "POST", f"/api/v1/calls/{call_id}/messages", json=text)
        if response is not None and response.status_code == 409 and call_id in self.test_calls:
            self.test_calls.remove(call_id)  # that call has ended

    async def _phone(self) -> None:
        """A phone call's webhook: a new call's voice webhook, or the next speech turn."""
        if self.gathers and self.rng.random() < 0.6:
            path, sid = self.gathers.pop(0)
            params = _params(sid, SpeechResult="how much is a cleaning", Confidence="0.9")
        else:
            self.phones += 1
            sid = f"CA{self.phones:032x}"
            path, params = "/telephony/twilio/voice", _params(sid, CallStatus="ringing")
        signature = RequestValidator(TWILIO_TOKEN).compute_signature(f"{PUBLIC_URL}{path}", params)
        response = await self._timed(
            "live", "POST", path, data=params, headers={"X-Twilio-Signature": signature}
        )
        found = GATHER.search(response.text) if response is not None else None
        if found and len(self.gathers) < 100:
            action = found.group(1).replace("&amp;", "&").removeprefix(PUBLIC_URL)
            self.gathers.append((action, sid))

    async def run(self, rate: float, seconds: float) -> None:
        """Start ``rate`` requests a second for ``seconds`` (open loop), then wait for them."""
        pending: set[asyncio.Task[None]] = set()
        began = time.monotonic()
        for index in range(int(rate * seconds)):
            await asyncio.sleep(max(0.0, began + index / rate - time.monotonic()))
            task = asyncio.create_task(self.one())
            pending.add(task)
            task.add_done_callback(pending.discard)
        if pending:
            await asyncio.wait(pending)

    async def probe(self, kind: str, url: str, every: float, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await asyncio.gather(self._timed(kind, "GET", url), asyncio.sleep(every))

    async def oversized(self, base: str, body: bytes, stop: asyncio.Event) -> None:
        """One anonymous client posting ``body`` again and again until ``stop``."""
        headers = {"Content-Type": "application/json"}
        async with httpx.AsyncClient(base_url=base, timeout=60) as anonymous:
            while not stop.is_set():
                started = time.monotonic()
                try:
                    response = await anonymous.post("/api/v1/calls", content=body, headers=headers)
                    outcome = str(response.status_code)
                except httpx.TransportError:
                    outcome = "error"
                self.samples.append(Sample(started, "oversized", outcome, _ms(started)))


def _ms(started: float) -> float:
    return (time.monotonic() - started) * 1000


def _params(sid: str, **extra: str) -> dict[str, str]:
    return {
        "AccountSid": TWILIO_SID,
        "CallSid": sid,
        "From": "+14155550111",
        "To": BUSINESS_NUMBER,
        "Direction": "inbound",
        "CallStatus": "in-progress",
        **extra,
    }


async def prepare(client: httpx.AsyncClient, calls: int) -> list[str]:
    """Configure the business, give it one knowledge page and ``calls`` calls to read."""
    config = {
        "greeting": "Thanks for calling, how can I help?",
        "phone_numbers": [BUSINESS_NUMBER],
        "escalation_numbers": ["+14155550100"],
        "business_hours": ALWAYS_OPEN,
    }
    (await client.patch("/api/v1/config", json=config)).raise_for_status()
    page = {"file": ("prices.md", PRICES.encode(), "text/markdown")}
    (await client.post("/api/v1/knowledge/documents", files=page)).raise_for_status()
    ids = []
    for _ in range(calls):
        body = {"direction": "inbound", "from_number": "+14155550111", "to_number": BUSINESS_NUMBER}
        response = await client.post("/api/v1/calls", json=body)
        response.raise_for_status()
        ids.append(response.json()["id"])
    return ids
