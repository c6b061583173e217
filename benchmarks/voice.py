"""Streamed calls with the offline speech engines, measured as a caller feels them.

An ``aicaller serve`` process (SQLite, one worker, a Twilio install configured) answers
simulated Twilio callers (tests/voice/caller.py: eSpeak NG speech as real-time 20 ms mu-law
frames over the media WebSocket, marks answered as Twilio does). For 1, 4 and 8 concurrent
calls, each call: the signed voice webhook, the stream, the greeting, ``--turns`` spoken
questions, ``--barge-ins`` interruptions (the caller talks over each answer), the hang-up.
Printed, p50/p95:

- voice-to-voice: the caller's last speech frame sent -> the agent's first audio frame back
  (so it includes the VAD's end-of-turn pause, recognition, the turn and the first sentence);
- greeting: the ``start`` message sent -> the greeting's first audio frame;
- barge-in: the caller's first speech frame over the agent sent -> the ``clear`` message;
- CPU seconds of the server per minute of call (``/proc``, so other load inflates it little),
  all of it and its event loop's thread alone ("loop": what every call's latency queues on);
- with ``--turn-detection vad,smart_turn``, each level once per turn detection (the business's
  setting switched between them, in one server), so the two are compared in one run;
- word error rate of the recogniser, general and business model, on the 50 sentences of
  ``voice_sentences.py`` and two held-out sets (``voice_wer.py``, no server).

    .venv/bin/python benchmarks/voice.py [--levels 1,4,8] [--turns 3] [--barge-ins 5]
        [--turn-detection vad[,smart_turn]] [--postgres] [--no-wer]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from httpx_ws import aconnect_ws
from twilio.request_validator import RequestValidator

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench_app import app_settings, create_tenant, server_environment, sign_in
from bench_postgres import fresh_database
from calls_api import _free_port, _percentile, _wait_ready
from process_cpu import tree_cpu
from tests.agent.clinic import ALWAYS_OPEN, PAGES
from tests.voice.caller import SimulatedCaller
from voice_sentences import SENTENCES
from voice_wer import all_sets, table

TOKEN = "f" * 32
ACCOUNT = "AC" + "0123456789abcdef" * 2
NUMBER = "+14155550123"
INTERRUPTIONS = (
    "sorry, one more question please",
    "wait, what are your opening hours",
    "hold on, do you take new patients",
)


async def barge_ins(caller: SimulatedCaller, count: int, out: dict[str, list[float]]) -> None:
    """The caller asks for a person (the keypad: recognised or not, the agent answers) and
    talks over the answer; then over each answer to that, ``count`` times in all. Measured
    from the caller's first speech frame sent to the ``clear``; a reply over before the
    caller spoke is counted as missed."""
    await caller.wait_quiet(within=60)
    pressed = time.monotonic()
    await caller.dtmf("0")
    heard = await caller.wait_for("agent_audio", after=pressed, within=30)
    for turn in range(count):
        await asyncio.sleep(max(0.0, heard + 0.4 - time.monotonic()))
        before = time.monotonic()
        words = INTERRUPTIONS[turn % len(INTERRUPTIONS)]
        talking = asyncio.create_task(caller.say(words))
        try:
            cleared = await caller.wait_for("clear", after=before, within=5)
            out["barge_in"].append(cleared - await caller.wait_for("caller_started", after=before))
        except AssertionError:
            out["missed"].append(1)
        said = await talking
        try:  # the answer to the interruption (or the rest of the reply, resumed)
            heard = await caller.wait_for("agent_audio", after=said, within=10)
        except AssertionError:
            break
    await caller.wait_quiet(within=60)


async def one_call(base: str, index: int, turns: int, barges: int) -> dict[str, list[float]]:
    """One streamed call; its latencies in seconds and its length."""
    call_sid = "CA" + uuid.uuid4().hex
    params = {"AccountSid": ACCOUNT, "CallSid": call_sid, "From": "+14155550111",
              "To": NUMBER, "Direction": "inbound", "CallStatus": "ringing"}  # fmt: skip
    validator = RequestValidator(TOKEN)
    out: dict[str, list[float]] = {
        "v2v": [], "greeting": [], "barge_in": [], "seconds": [], "unanswered": [], "missed": []
    }  # fmt: skip
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        url = f"{base}/telephony/twilio/voice"
        signed = {"X-Twilio-Signature": validator.compute_signature(url, params)}
        twiml = (await client.post("/telephony/twilio/voice", data=params, headers=signed)).text
        found = re.search(r'<Parameter name="token" value="([^"]+)"', twiml)
        assert found, twiml
        ws_url = base.replace("http://", "ws://") + "/telephony/twilio/media"
        headers = {"X-Twilio-Signature": validator.compute_signature(ws_url, {})}
        async with aconnect_ws(ws_url, client, headers=headers) as ws:
            caller = SimulatedCaller(ws, call_sid=call_sid)
            began = time.monotonic()
            await caller.start(found.group(1))
            out["greeting"].append(await caller.wait_for("agent_audio", within=30) - began)
            await caller.wait_quiet(within=60)
            for turn in range(turns):
                said = await caller.say(SENTENCES[(index + turn) % 20])
                try:
                    answered = await caller.wait_for("agent_audio", after=said, within=10)
                except AssertionError:  # recognised as nothing: the agent waits
                    out["unanswered"].append(1)
                    continue
                out["v2v"].append(answered - said)
                await caller.wait_quiet(within=60)
            await barge_ins(caller, barges, out)
            await caller.hang_up()
            try:
                await asyncio.wait_for(caller.closed.wait(), 30)
            except TimeoutError:
                out["unanswered"].append(1)  # the hang-up was not acknowledged in time
            out["seconds"].append(time.monotonic() - began)
            await caller.stop()
    return out


async def configure(base: str) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        await sign_in(client)
        config = {"greeting": "Thanks for calling Bright Smile Dental, how can I help?",
                  "phone_numbers": [NUMBER], "business_hours": ALWAYS_OPEN,
                  "escalation_numbers": [], "voice_transport": "stream",
                  "voice_silence_seconds": 60}  # fmt: skip
        (await client.patch("/api/v1/config", json=config)).raise_for_status()
        for name, text in PAGES.items():
            files = {"file": (name, text.encode(), "text/markdown")}
            (await client.post("/api/v1/knowledge/documents", files=files)).raise_for_status()


async def set_turn_detection(base: str, detection: str) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        await sign_in(client)
        body = {"turn_detection": detection}
        (await client.patch("/api/v1/config", json=body)).raise_for_status()


def _p(values: list[float], share: float) -> float:
    return _percentile(sorted(values), share) * 1000


def _thread_cpu(pid: int) -> float:
    """User + system CPU seconds so far of ``pid``'s main thread: the server's event loop,
    which carries every call's audio (its other threads are the VAD's, the recogniser's and
    the voice's)."""
    fields = Path(f"/proc/{pid}/task/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _row(
    level: int, detection: str, merged: dict[str, list[float]], cpu: float, loop: float
) -> str:
    cells = [f"{level:5}", f"{detection:10}"]
    cells += [
        f"{_p(merged[key], 0.5):7.0f} /{_p(merged[key], 0.95):6.0f}"
        for key in ("v2v", "greeting", "barge_in")
    ]
    minutes = sum(merged["seconds"]) / 60
    cells.append(f"{cpu / minutes:8.1f}")
    cells.append(f"{loop / minutes:6.1f}")
    cells.append(f"{len(merged['v2v'])} answered, {len(merged['unanswered'])} not")
    cells.append(f"{len(merged['barge_in'])} barge-ins, {len(merged['missed'])} missed")
    return "   ".join(cells)


async def _business_model(data_dir: Path) -> None:
    """Until the recogniser's model of the business is built (ADR 0034); a server without
    one (an older version of the code) is measured as it is after 10 s."""
    for _ in range(100):
        if any((data_dir / "voice-lm").glob("*/*.arpa")):
            return
        await asyncio.sleep(0.1)
    print("no business language model: calls recognised with the general model")


def _serve(
    url: str, data_dir: Path, base: str, port: int, decoders: int
) -> subprocess.Popen[bytes]:
    values = app_settings(url, "", data_dir, public_url=base, twilio_account_sid=ACCOUNT,
                          twilio_auth_token=TOKEN, voice_preload_decoders=decoders)  # fmt: skip
    values.pop("redis_url")  # embedded: in-process cache and events, one worker
    env = {**os.environ, **server_environment(values)}
    command = [sys.executable, "-m", "aicaller", "serve", "--workers", "1", "--port", str(port)]
    log = (data_dir / "server.log").open("wb")
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="1,4,8")
    parser.add_argument("--turns", type=int, default=3)
    parser.add_argument("--barge-ins", type=int, default=5, help="barge-ins per call")
    parser.add_argument("--turn-detection", default="vad", help="vad, smart_turn or both")
    parser.add_argument(
        "--postgres", action="store_true", help="PostgreSQL (AICALLER_BENCH_PG) instead of SQLite"
    )
    parser.add_argument("--no-wer", action="store_true", help="no word error rates")
    args = parser.parse_args()
    if not args.no_wer:
        print(table(await all_sets()))
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        url = (
            await fresh_database("aicaller_bench_voice")
            if args.postgres
            else f"sqlite+aiosqlite:///{data_dir / 'voice.db'}"
        )
        await create_tenant(url)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        levels = [int(n) for n in args.levels.split(",")]
        # As an operator would: a decoder ready for each call expected at once.
        server = _serve(url, data_dir, base, port, max(levels))
        try:
            for _ in range(6):  # decoders load before serving: up to a minute on a busy host
                try:
                    await _wait_ready(base)
                    break
                except SystemExit:
                    continue
            await configure(base)
            await one_call(base, 0, 1, 1)  # warm-up: models loaded, decoders pooled
            await _business_model(data_dir)  # its build started by the warm-up call
            print(
                "calls   turns by     v2v p50/p95 ms   greeting p50/p95   barge-in p50/p95"
                "   CPU s/call-min  loop   turns"
            )
            for level in levels:
                for detection in args.turn_detection.split(","):
                    await set_turn_detection(base, detection)
                    before = sum(tree_cpu(os.getpid()).values())
                    loop_before = _thread_cpu(server.pid)
                    results = await asyncio.gather(
                        *(one_call(base, i, args.turns, args.barge_ins) for i in range(level))
                    )
                    cpu = sum(tree_cpu(os.getpid()).values()) - before
                    loop = _thread_cpu(server.pid) - loop_before
                    merged = {k: [v for r in results for v in r[k]] for k in results[0]}
                    print(_row(level, detection, merged, cpu, loop), flush=True)
        except BaseException:
            log = (data_dir / "server.log").read_text()
            print(log[-6000:])  # why the server failed
            print(
                "\n".join(line for line in log.splitlines() if "locked" in line or "slow" in line)[
                    -4000:
                ]
            )
            raise
        finally:
            server.terminate()  # its streams end first (server_shutdown)
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(10)


if __name__ == "__main__":
    asyncio.run(main())
