"""The FastAPI application factory and its lifespan."""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from asgi_correlation_id import CorrelationIdMiddleware
from fastapi import FastAPI

from aicaller import __version__
from aicaller.agent.agents import Agents
from aicaller.api.errors import install_error_handlers
from aicaller.api.middleware.embeddings_runtime import EmbeddingsRuntimeMiddleware
from aicaller.api.middleware.request_guard import RequestGuardMiddleware
from aicaller.api.middleware.request_log import RequestLogMiddleware
from aicaller.api.middleware.security_headers import SecurityHeadersMiddleware
from aicaller.api.middleware.unhandled import UnhandledErrorMiddleware
from aicaller.api.openapi import document_request_refusals
from aicaller.api.router import include_routers
from aicaller.config import Settings, get_settings
from aicaller.console.routes import router as console
from aicaller.core import metrics
from aicaller.core.cache import AppCache
from aicaller.core.encryption import SecretBox
from aicaller.core.events import create_event_bus
from aicaller.core.http import SafeHttpClient
from aicaller.core.logging import configure_logging, get_logger
from aicaller.core.process_pool import process_pool
from aicaller.core.query_monitor import QueryMonitor
from aicaller.core.rate_limit import RateLimiter
from aicaller.core.recordings import recording_store
from aicaller.core.security import PasswordHasher, TokenCodec
from aicaller.database import migrate
from aicaller.database.session import Database, create_engine
from aicaller.knowledge.embeddings import runtime as embeddings_runtime
from aicaller.telephony.accounts import TwilioAccounts
from aicaller.telephony.provider import create_provider
from aicaller.voice.availability import start_voice
from aicaller.worker import JobResources, create_job_system

logger = get_logger(__name__)

# Accept the caller's request id when it is a sane token; anything else (log injection, huge
# values) is replaced by a fresh one.
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def _valid_request_id(value: str) -> bool:
    return bool(_REQUEST_ID_RE.match(value))


MULTIPART_OVERHEAD = 64 * 1024


async def _open(app: FastAPI, settings: Settings) -> Database:
    """Connect everything the app needs, in dependency order."""
    database = Database(create_engine(settings))
    app.state.query_monitor = QueryMonitor(database.engine, slow_ms=settings.slow_query_ms)
    if settings.should_auto_migrate:
        await migrate.upgrade(database.engine)
    app.state.database = database
    app.state.password_hasher = PasswordHasher(
        time_cost=settings.password_time_cost, memory_kib=settings.password_memory_kib
    )
    app.state.token_codec = TokenCodec(
        key=settings.signing_key,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        ttl=timedelta(minutes=settings.access_token_minutes),
    )
    app.state.secret_box = SecretBox(settings.signing_key)
    app.state.cache = AppCache(settings)
    await app.state.cache.start()
    app.state.rate_limiter = RateLimiter(settings)
    app.state.http = SafeHttpClient.from_settings(settings)
    app.state.twilio_accounts = TwilioAccounts(
        settings, database, app.state.secret_box, app.state.cache
    )
    app.state.telephony = create_provider(
        settings, http=app.state.http.client, accounts=app.state.twilio_accounts
    )
    app.state.events = create_event_bus(settings)
    app.state.agents = Agents(settings, app.state.http.client)
    app.state.embeddings = embeddings_runtime.install(
        app.state.http, app.state.secret_box, settings
    )
    # The job runner's tasks, started below, inherit it; requests get it from the middleware.
    embeddings_runtime.use(app.state.embeddings)
    # Extraction processes, shared by every sync of this process and started by the first.
    app.state.processes = process_pool(settings.knowledge_extract_processes)
    app.state.jobs = create_job_system(
        settings,
        database,
        on_job_finished=metrics.record_job,
        resources=JobResources(
            http=app.state.http, events=app.state.events, processes=app.state.processes
        ),
    )
    await app.state.jobs.start()
    app.state.recordings = recording_store(settings.data_dir)
    start_voice(app.state, settings)
    logger.info("startup", database=database.engine.dialect.name, version=__version__)
    return database


async def _close(app: FastAPI, database: Database) -> None:
    """Close in the reverse order: nothing still running uses what has closed."""
    await app.state.voice_streams.end_all()  # before the database closes
    await app.state.jobs.stop()  # before the engine closes: running jobs finish or go back
    if app.state.processes is not None:
        app.state.processes.shutdown(cancel_futures=True)
    embeddings_runtime.uninstall(app.state.embeddings)
    await app.state.http.aclose()
    await app.state.events.close()
    await app.state.rate_limiter.close()
    await app.state.cache.close()
    await database.dispose()
    metrics.mark_worker_exited(os.getpid())
    logger.info("shutdown")


def create_app(settings: Settings | None = None, *, configure_logs: bool = True) -> FastAPI:
    """Build the app; nothing connects until the lifespan starts."""
    settings = settings or get_settings()
    if configure_logs:
        configure_logging(level=settings.log_level, json=settings.use_json_logs)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        database = await _open(app, settings)
        try:
            yield
        finally:
            await _close(app, database)

    app = FastAPI(
        title="aicaller",
        version=__version__,
        summary="Self-hostable AI phone agent: calls, knowledge, escalations, QA and analytics.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_error_handlers(app)
    include_routers(app)
    console.install(app)
    document_request_refusals(app)
    # Added innermost first: the correlation id wraps logging, which wraps the 500 fallback,
    # which wraps the checks made before a body is parsed (credentials, size, media type).
    app.add_middleware(
        RequestGuardMiddleware,
        max_body_bytes=settings.api_max_body_bytes,
        # An upload may be as large as the largest document plus its multipart framing.
        max_upload_bytes=settings.knowledge_max_upload_bytes + MULTIPART_OVERHEAD,
    )
    app.add_middleware(SecurityHeadersMiddleware, applies_to=console.is_console_path)
    app.add_middleware(UnhandledErrorMiddleware)
    app.add_middleware(EmbeddingsRuntimeMiddleware)
    app.add_middleware(RequestLogMiddleware, query_count_header=not settings.is_production)
    app.add_middleware(
        CorrelationIdMiddleware, header_name="X-Request-ID", validator=_valid_request_id
    )
    return app
