"""The conversation engine: agents that hold a call, and what happens after it.

``protocol.py`` is what every agent implements; ``offline.py`` is the deterministic default,
``llm.py`` the OpenAI-compatible one (falling back to offline); ``conversation.py`` runs a turn
against a call record; ``analysis.py`` and ``tasks.py`` analyse and score a call once it ended.
"""
