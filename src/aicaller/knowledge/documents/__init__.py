"""Uploaded documents and crawled pages: storing their text and (re)building their chunks."""
