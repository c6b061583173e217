"""A business's own synonym groups for search: ``/api/v1/knowledge/synonyms``."""
