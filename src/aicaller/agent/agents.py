"""Which agent holds a business's calls: the offline one, or the LLM one when configured."""

from __future__ import annotations

import httpx

from aicaller.agent.llm import LlmAgent
from aicaller.agent.offline import OfflineAgent
from aicaller.agent.protocol import ConversationAgent
from aicaller.businesses.schemas import AgentMode, BusinessConfig
from aicaller.config import Settings


class Agents:
    """One per process (the LLM client pools its connections)."""

    def __init__(self, settings: Settings, http: httpx.AsyncClient | None) -> None:
        self.offline = OfflineAgent()
        self.llm = LlmAgent(settings, http, self.offline) if settings.llm_configured else None

    def for_config(self, config: BusinessConfig) -> ConversationAgent:
        if config.agent_mode is AgentMode.LLM and self.llm is not None:
            return self.llm
        return self.offline
