"""Seeding for benchmarks/calls_api.py: a business, its admin and N calls, generated inside
PostgreSQL (INSERT ... SELECT over generate_series) so 100,000 calls take seconds, not minutes."""

from __future__ import annotations

import asyncpg
from bench_app import create_tenant

# One call every 52 s over 60 days (at 100,000 calls); 85% completed, the rest not answered.
CALLS_SQL = """
INSERT INTO calls (id, business_id, direction, from_number, to_number, status, provider,
    started_at, answered_at, ended_at, duration_seconds, end_reason, summary, sentiment,
    resolved_by_ai, metadata, created_at, updated_at)
SELECT gen_random_uuid(), $1,
    (ARRAY['inbound', 'inbound', 'inbound', 'outbound', 'web'])[1 + i % 5],
    '+1415555' || lpad((i % 10000)::text, 4, '0'), '+12125550100',
    CASE WHEN i % 100 < 85 THEN 'completed'
         ELSE (ARRAY['no_answer', 'busy', 'failed', 'canceled'])[1 + i % 4] END,
    'simulated', started, started + interval '2 seconds',
    started + make_interval(secs => 2 + i % 900),
    CASE WHEN i % 100 < 85 THEN 2 + i % 900 ELSE 0 END,
    'caller_hangup',
    'Caller asked about ' ||
        (ARRAY['opening hours', 'an appointment', 'insurance', 'billing', 'parking'])[1 + i % 5],
    (ARRAY['positive', 'neutral', 'negative'])[1 + i % 3],
    i % 7 <> 0, jsonb_build_object('seq', i)::json, started, started
FROM (SELECT i, now() - make_interval(secs => i * (5184000.0 / $2)) AS started
      FROM generate_series(1, $2) AS i) AS numbered
"""
TURNS_SQL = """
INSERT INTO transcript_turns (id, business_id, call_id, sequence, speaker, text, offset_ms,
    confidence, sources, created_at, updated_at)
SELECT gen_random_uuid(), c.business_id, c.id, s,
    CASE WHEN s % 2 = 0 THEN 'agent' ELSE 'caller' END,
    CASE WHEN s % 2 = 0 THEN 'Thanks for calling, how can I help you today?'
         ELSE 'I wanted to ask about my appointment next week, please.' END,
    s * 4000, CASE WHEN s % 2 = 1 THEN 0.93 END, '[]'::json, c.started_at, c.started_at
FROM calls c CROSS JOIN generate_series(0, 5) AS s
WHERE c.status = 'completed'
"""
NOTES_SQL = """
INSERT INTO call_notes (id, business_id, call_id, author_id, body, created_at, updated_at)
SELECT gen_random_uuid(), c.business_id, c.id, $1, 'Called back; all sorted.',
    c.ended_at, c.ended_at
FROM calls c WHERE (c.metadata->>'seq')::int % 10 = 0
"""
ESCALATIONS_SQL = """
INSERT INTO escalations (id, business_id, call_id, reason, priority, status, created_at,
    updated_at, resolved_at, resolution)
SELECT gen_random_uuid(), c.business_id, c.id, 'Caller asked for a person',
    (ARRAY['low', 'normal', 'high', 'urgent'])[1 + (c.metadata->>'seq')::int % 4],
    (ARRAY['open', 'acknowledged', 'resolved'])[1 + (c.metadata->>'seq')::int % 3],
    c.ended_at, c.ended_at,
    CASE WHEN (c.metadata->>'seq')::int % 3 = 2 THEN c.ended_at END,
    CASE WHEN (c.metadata->>'seq')::int % 3 = 2 THEN 'Handled by staff' END
FROM calls c WHERE (c.metadata->>'seq')::int % 12 = 1
"""


async def seed_calls(url: str, count: int) -> list[str]:
    """Migrate, create the business and admin, insert ``count`` calls; returns the call ids."""
    tenant = await create_tenant(url)
    connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        async with connection.transaction():
            await connection.execute(CALLS_SQL, tenant.business_id, count)
            await connection.execute(TURNS_SQL)
            await connection.execute(NOTES_SQL, tenant.admin_id)
            await connection.execute(ESCALATIONS_SQL)
        # As autovacuum leaves a table that has taken its inserts: statistics, and the visibility
        # map that lets PostgreSQL read covering indexes alone.
        await connection.execute("VACUUM (ANALYZE)")
        rows = await connection.fetch("SELECT id FROM calls")
    finally:
        await connection.close()
    return [str(row["id"]) for row in rows]
