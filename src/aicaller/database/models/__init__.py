"""All tables, imported here so Alembic and the metadata see every one."""

from aicaller.database.models.api_key import ApiKey
from aicaller.database.models.business import Business, BusinessPhoneNumber
from aicaller.database.models.call import Call
from aicaller.database.models.call_note import CallNote
from aicaller.database.models.call_rollup import call_rollups
from aicaller.database.models.document import Chunk, Document
from aicaller.database.models.documentation import DocumentationSource, SyncJob, SyncPage
from aicaller.database.models.embedding import ChunkEmbedding, EmbeddingConfig
from aicaller.database.models.escalation import Escalation
from aicaller.database.models.idempotency_record import IdempotencyRecord
from aicaller.database.models.job import Job
from aicaller.database.models.knowledge_gap import KnowledgeGap
from aicaller.database.models.qa import Evaluation, Scorecard
from aicaller.database.models.search_synonym import SearchSynonym
from aicaller.database.models.transcript_turn import TranscriptTurn
from aicaller.database.models.user import User

__all__ = [
    "ApiKey",
    "Business",
    "BusinessPhoneNumber",
    "Call",
    "CallNote",
    "Chunk",
    "ChunkEmbedding",
    "Document",
    "DocumentationSource",
    "EmbeddingConfig",
    "Escalation",
    "Evaluation",
    "IdempotencyRecord",
    "Job",
    "KnowledgeGap",
    "Scorecard",
    "SearchSynonym",
    "SyncJob",
    "SyncPage",
    "TranscriptTurn",
    "User",
    "call_rollups",
]
