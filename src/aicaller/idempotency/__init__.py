"""Idempotency-Key support: the first response to a side-effecting POST, replayed on retries."""
