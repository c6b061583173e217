"""What a worker keeps of its terms' counts: per business and knowledge version, for a while,
and never more than its size."""

from __future__ import annotations

import uuid

from aicaller.knowledge.search.backend import TermMemo


def test_counts_are_kept_per_knowledge_version_until_they_expire() -> None:
    now = [0.0]
    memo = TermMemo[int](ttl=60.0, size=100, clock=lambda: now[0])
    business, other = uuid.uuid4(), uuid.uuid4()
    memo.put(business, 1, "file", 10)
    assert memo.get(business, 1, "file") == 10
    assert memo.get(business, 2, "file") is None  # the knowledge changed
    assert memo.get(other, 1, "file") is None
    now[0] = 59.0
    assert memo.get(business, 1, "file") == 10
    now[0] = 61.0
    assert memo.get(business, 1, "file") is None


def test_a_full_memo_drops_expired_entries_then_its_older_half() -> None:
    now = [0.0]
    memo = TermMemo[int](ttl=60.0, size=4, clock=lambda: now[0])
    business = uuid.uuid4()
    for index in range(4):
        memo.put(business, 1, f"old{index}", index)
    now[0] = 100.0  # all expired: the next entry replaces them
    memo.put(business, 1, "new", 9)
    assert len(memo) == 1
    for index in range(5):
        memo.put(business, 1, f"fresh{index}", index)
    assert len(memo) <= 4
    assert memo.get(business, 1, "fresh4") == 4  # the newest stays
    assert memo.get(business, 1, "new") is None  # the oldest went
