"""Every router of the app, mounted in one place."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from aicaller.agent.routes import live as live_call_routes
from aicaller.agent.routes import web_calls as test_call_routes
from aicaller.analytics import routes as analytics_routes
from aicaller.api import health, metrics
from aicaller.businesses import routes as business_routes
from aicaller.calls import routes as call_routes
from aicaller.knowledge.documents import routes as document_routes
from aicaller.knowledge.embeddings import routes as embedding_routes
from aicaller.knowledge.gaps import routes as gap_routes
from aicaller.knowledge.search import routes as search_routes
from aicaller.knowledge.sources import routes as documentation_routes
from aicaller.knowledge.synonyms import routes as synonym_routes
from aicaller.qa import routes as qa_routes
from aicaller.telephony import routes as telephony_routes
from aicaller.users.routes import api_keys, auth, users
from aicaller.voice.routes import sockets, twilio_media

API_PREFIX = "/api/v1"


def build_api_router() -> APIRouter:
    api = APIRouter(prefix=API_PREFIX)
    api.include_router(auth.router)
    api.include_router(users.router)
    api.include_router(api_keys.router)
    api.include_router(business_routes.router)
    api.include_router(test_call_routes.router)
    api.include_router(live_call_routes.router)
    api.include_router(sockets.router)
    api.include_router(call_routes.router)
    api.include_router(search_routes.router)
    api.include_router(document_routes.router)
    api.include_router(gap_routes.router)
    api.include_router(synonym_routes.router)
    api.include_router(embedding_routes.router)
    api.include_router(documentation_routes.router)
    api.include_router(qa_routes.router)
    api.include_router(analytics_routes.router)
    return api


def include_routers(app: FastAPI) -> None:
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.include_router(telephony_routes.router)
    app.include_router(twilio_media.router)
    app.include_router(build_api_router())
