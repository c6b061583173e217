"""The knowledge base: documents (uploads, crawled pages), chunks and search."""
