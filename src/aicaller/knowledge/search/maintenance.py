"""Keeping the search index quick to read after bulk writes (a sync's end, a bulk load).

SQLite: FTS5 adds a b-tree (segment) per flushed batch and merges them only lazily, so after a
sync the index is many segments and every query term is looked up in each; merged into one,
every search reads less (docs/benchmarks.md, "Retrieval quality"). The merge runs in steps of
``MERGE_PAGES`` pages, each its own short write transaction, so calls and other writers wait
for one step at most, never for the whole merge, which grows with the index.

PostgreSQL: ``ANALYZE chunks`` refreshes the lexeme statistics search plans with (autovacuum
would, minutes later), and ``gin_clean_pending_list`` moves the GIN index's pending entries
(``fastupdate``), which every search scans linearly, into the indexes proper.
"""

from __future__ import annotations

from sqlalchemy import text

from aicaller.database.session import Database, run_to_the_end

MERGE_PAGES = 500
"""Pages of merged index one step writes (FTS5 'merge', negative: merge across levels)."""
MAX_STEPS = 10_000
_MERGED = 2  # a step changing fewer rows than this found nothing left to merge (FTS5's docs)


async def tidy_index(database: Database) -> int:
    """Merge SQLite's index segments, or refresh PostgreSQL's statistics; steps taken."""
    if database.engine.dialect.name == "postgresql":
        async with database.transaction() as session:
            await session.execute(text("ANALYZE chunks"))
            for index in (
                "ix_chunks_search_vector",
                "ix_chunks_lead_vector",
                "ix_chunks_name_vector",
            ):
                flush = text("SELECT gin_clean_pending_list(CAST(:index AS regclass))")
                await session.execute(flush, {"index": index})
        return 1
    steps = 0
    while steps < MAX_STEPS:
        steps += 1
        # A step is not cut short by a shutdown's cancel (it would leave the write lock held).
        if await run_to_the_end(_merge_step(database)) < _MERGED:
            break
    return steps


async def _merge_step(database: Database) -> int:
    """One FTS5 merge step in its own transaction; the rows it changed."""
    async with database.transaction() as session:
        before = (await session.execute(text("SELECT total_changes()"))).scalar_one()
        await session.execute(
            text("INSERT INTO chunks_fts (chunks_fts, rank) VALUES ('merge', :pages)"),
            {"pages": -MERGE_PAGES},
        )
        after = (await session.execute(text("SELECT total_changes()"))).scalar_one()
    return int(after - before)
