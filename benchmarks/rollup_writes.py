"""What the rollup triggers (migration 0025) cost a call's writes on PostgreSQL: a call's life
(insert; answered; completed with its duration and sentiment; a summary that changes no
figure; deleted), one statement per transaction as the application writes them, with the
triggers on and off, alternating in the same run.

Each round writes ``--calls`` calls through their life with the triggers enabled, then as many
with them disabled (``ALTER TABLE calls DISABLE TRIGGER``), the order swapping every round.
Prints per step the median over rounds of the mean time a statement took (microseconds, wall,
the client and server on one machine), both ways and their ratio, and the load average.
``--one-transaction`` runs each step's statements in one transaction instead, so the commit
(a WAL flush per statement otherwise) does not hide what the triggers cost.

    .venv/bin/python benchmarks/rollup_writes.py [--calls 500] [--rounds 6] [--one-transaction]

Environment: AICALLER_BENCH_PG (server URL); drops and recreates aicaller_bench_rollup_writes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_app import create_tenant
from bench_postgres import PG, fresh_database

DB_NAME = "aicaller_bench_rollup_writes"
TRIGGERS: dict[str, tuple[str, ...]] = {  # --triggers: which of them are switched on and off
    "rollups": ("call_rollups_insert_delete", "call_rollups_update"),
    "repeats": ("call_repeats_insert_delete", "call_repeats_update"),  # migration 0026
}
TRIGGERS["both"] = TRIGGERS["rollups"] + TRIGGERS["repeats"]
INSERT = """INSERT INTO calls (id, business_id, direction, from_number, to_number, status,
    provider, started_at, metadata, created_at, updated_at)
    VALUES ($1, $2, 'inbound', '+14155550100', '+12125550100', 'ringing', 'simulated', $3,
    '{}'::json, now(), now())"""
STEPS = {
    "insert": INSERT,
    "answered": "UPDATE calls SET status = 'in_progress', answered_at = now() WHERE id = $1",
    "completed": "UPDATE calls SET status = 'completed', ended_at = now(), duration_seconds = 95,"
    " end_reason = 'caller_hangup', sentiment = 'positive' WHERE id = $1",
    "summary (no figure)": "UPDATE calls SET summary = 'asked about hours' WHERE id = $1",
    "delete": "DELETE FROM calls WHERE id = $1",
}


async def _life(
    connection: asyncpg.Connection, business_id: uuid.UUID, count: int, together: bool
) -> dict[str, float]:
    """Mean microseconds per statement of each step over ``count`` calls."""
    start = datetime.now(UTC) - timedelta(days=1)
    ids = [uuid.uuid4() for _ in range(count)]
    means = {}
    for step, sql in STEPS.items():
        began = time.perf_counter()
        if together:
            await connection.execute("BEGIN")
        for i, call_id in enumerate(ids):
            if step == "insert":
                await connection.execute(sql, call_id, business_id, start + timedelta(seconds=i))
            else:
                await connection.execute(sql, call_id)
        if together:
            await connection.execute("COMMIT")
        means[step] = (time.perf_counter() - began) / count * 1e6
    return means


async def main(calls: int, rounds: int, together: bool, triggers: tuple[str, ...]) -> None:
    """Write calls through their life with ``triggers`` on and off, alternating."""
    print(f"load average at start: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    url = await fresh_database(DB_NAME)
    tenant = await create_tenant(url)
    connection = await asyncpg.connect(f"{PG}/{DB_NAME}")
    results: dict[str, list[dict[str, float]]] = {"on": [], "off": []}
    try:
        await _life(connection, tenant.business_id, calls, together)  # warm: plans, caches
        for n in range(rounds):
            for mode in ("on", "off") if n % 2 == 0 else ("off", "on"):
                verb = "ENABLE" if mode == "on" else "DISABLE"
                for trigger in triggers:
                    await connection.execute(f"ALTER TABLE calls {verb} TRIGGER {trigger}")
                results[mode].append(await _life(connection, tenant.business_id, calls, together))
    finally:
        for trigger in triggers:
            await connection.execute(f"ALTER TABLE calls ENABLE TRIGGER {trigger}")
        await connection.close()
    how = "one transaction a step" if together else "one transaction a statement"
    print(f"\n{calls} calls a round ({how}), median of {rounds} rounds, microseconds a statement")
    print(f"{'step':<22}{'triggers on':>12}{'off':>10}{'on / off':>10}")
    for step in STEPS:
        on = statistics.median(r[step] for r in results["on"])
        off = statistics.median(r[step] for r in results["off"])
        print(f"{step:<22}{on:>12.0f}{off:>10.0f}{on / off:>10.2f}")
    print(f"load average at end: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--one-transaction", action="store_true")
    parser.add_argument("--triggers", choices=sorted(TRIGGERS), default="rollups")
    args = parser.parse_args()
    asyncio.run(main(args.calls, args.rounds, args.one_transaction, TRIGGERS[args.triggers]))
