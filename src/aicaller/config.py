"""Settings, read from the environment (prefix ``AICALLER_``) and an optional ``.env`` file."""

from __future__ import annotations

import contextlib
import os
import secrets
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from limits import parse
from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Secrets people copy from examples; production refuses them.
_KNOWN_WEAK_SECRETS = frozenset({"", "changeme", "change-me", "secret", "dev", "development"})
MIN_SECRET_LENGTH = 32
MIN_DISTINCT_SECRET_CHARACTERS = 10  # rejects "aaaa...", "abababab..." and similar placeholders


class Environment(StrEnum):
    """Where the app runs; production tightens secrets, logging and reload."""

    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class ConfigurationError(RuntimeError):
    """The settings cannot be used to start the app."""


class Settings(BaseSettings):
    """Every knob of aicaller. The defaults run on one laptop with no services."""

    model_config = SettingsConfigDict(
        env_prefix="AICALLER_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    environment: Environment = Environment.DEVELOPMENT
    data_dir: Path = Path("./data")
    secret_key: SecretStr | None = None

    database_url: str | None = None
    db_pool_size: Annotated[int, Field(ge=1, le=200)] = 10
    db_max_overflow: Annotated[int, Field(ge=0, le=200)] = 20
    db_pool_timeout: Annotated[float, Field(gt=0)] = 30.0
    db_pool_recycle: Annotated[int, Field(ge=-1)] = 1800
    db_pool_pre_ping: bool = True
    # PostgreSQL: how long opening a connection may take before the database counts as down.
    db_connect_timeout: Annotated[float, Field(gt=0, le=60)] = 5.0
    db_echo: bool = False
    auto_migrate: bool | None = None

    jwt_issuer: str = "aicaller"
    jwt_audience: str = "aicaller-api"
    access_token_minutes: Annotated[int, Field(ge=1, le=24 * 60)] = 60

    # Argon2id cost; the defaults are the library's recommendation (RFC 9106 second choice).
    password_time_cost: Annotated[int, Field(ge=1)] = 3
    password_memory_kib: Annotated[int, Field(ge=8)] = 65536

    log_level: str = "INFO"
    log_json: bool | None = None

    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65535)] = 8000
    # Largest request body other than a document upload (JSON, forms): parsing is CPU work on
    # the event loop, so it is kept far below the upload limit.
    api_max_body_bytes: Annotated[int, Field(ge=1024)] = 1024 * 1024

    admin_email: str | None = None
    admin_password: SecretStr | None = None

    # Redis: shared cache layer, distributed rate limits, job queue. Unset = all in-process.
    redis_url: str | None = None
    # A slow Redis must never stall a request: past this it counts as a miss/failure.
    redis_socket_timeout: Annotated[float, Field(gt=0, le=10)] = 0.1
    # The job queue's and the event bus's Redis clients (connect and read). Longer than the
    # cache's because a worker's dequeue blocks in Redis for a second by design.
    redis_queue_socket_timeout: Annotated[float, Field(ge=2, le=60)] = 5.0
    # How long one live-progress message may take to reach Redis before it is dropped. It is
    # sent in the background; its publisher waits for it only briefly (see core/events.py).
    events_publish_timeout_seconds: Annotated[float, Field(gt=0, le=10)] = 2.0

    cache_enabled: bool = True
    cache_local_max_entries: Annotated[int, Field(ge=1)] = 10_000
    cache_ttl_principal_seconds: Annotated[int, Field(ge=1)] = 300
    cache_ttl_config_seconds: Annotated[int, Field(ge=1)] = 3600
    cache_ttl_search_seconds: Annotated[int, Field(ge=1)] = 900
    cache_ttl_analytics_seconds: Annotated[int, Field(ge=1)] = 300

    # Analytics: the longest report range, the most buckets one report may have, and exports.
    analytics_max_range_days: Annotated[int, Field(ge=1, le=3660)] = 366
    analytics_max_buckets: Annotated[int, Field(ge=1, le=100_000)] = 2500
    analytics_export_max_rows: Annotated[int, Field(ge=1)] = 1_000_000
    analytics_export_batch_size: Annotated[int, Field(ge=1, le=10_000)] = 1000
    # Pooled connections (PostgreSQL) that reports of this process may use at once besides the
    # request's own, to run a report's statements side by side; 0 runs them one by one.
    analytics_parallel_connections: Annotated[int, Field(ge=0, le=64)] = 3
    # Sum the calls' figures from the per-slot rollups (migration 0025) rather than read every
    # call; off, every report reads the calls (to compare, or to rule the rollups out).
    analytics_rollups: bool = True

    # Rate limits in the `limits` notation ("600/minute", "10 per second").
    rate_limit_enabled: bool = True
    rate_limit_authenticated: str = "600/minute"
    rate_limit_anonymous: str = "120/minute"
    rate_limit_login_ip: str = "20/minute"
    rate_limit_login_account: str = "5/minute"
    # Per route group (the path segment after /api/v1: "users", "config", ...), overriding
    # rate_limit_authenticated, e.g. AICALLER_RATE_LIMIT_GROUPS='{"calls": "1200/minute"}'.
    rate_limit_groups: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check_rate_limits(self) -> Settings:
        texts = [
            self.rate_limit_authenticated,
            self.rate_limit_anonymous,
            self.rate_limit_login_ip,
            self.rate_limit_login_account,
            *self.rate_limit_groups.values(),
        ]
        for text in texts:
            try:
                parse(text)
            except ValueError as exc:
                raise ValueError(f"{text!r} is not a rate limit such as '600/minute'") from exc
        return self

    # GET /metrics is served to loopback clients, or to anyone presenting this bearer token.
    metrics_token: SecretStr | None = None
    slow_query_ms: Annotated[float, Field(ge=0)] = 100.0

    # The shared outbound HTTP client (documentation crawling, LLM and telephony APIs).
    http_timeout_seconds: Annotated[float, Field(gt=0)] = 15.0
    http_max_connections: Annotated[int, Field(ge=1)] = 100
    http_retry_attempts: Annotated[int, Field(ge=1, le=10)] = 5  # first try + 4 retries
    http_retry_base_delay_seconds: Annotated[float, Field(ge=0)] = 1.0  # 1 s, 2 s, 4 s, 8 s
    http_retry_max_delay_seconds: Annotated[float, Field(ge=0)] = 60.0
    http_max_response_bytes: Annotated[int, Field(ge=1024)] = 10 * 1024 * 1024
    http_max_redirects: Annotated[int, Field(ge=0, le=20)] = 5
    http_user_agent: str = "aicaller/0.1 (+https://github.com/aicaller/aicaller)"
    # Lifts the SSRF guard's address check (loopback, private ranges): local use and tests only.
    allow_private_urls: bool = False

    # Background jobs.
    jobs_concurrency: Annotated[int, Field(ge=1, le=256)] = 4
    jobs_poll_seconds: Annotated[float, Field(gt=0)] = 1.0
    jobs_heartbeat_seconds: Annotated[float, Field(gt=0)] = 5.0
    jobs_stale_after_seconds: Annotated[float, Field(gt=0)] = 30.0
    jobs_max_attempts: Annotated[int, Field(ge=1, le=100)] = 5
    jobs_retry_base_delay_seconds: Annotated[float, Field(ge=0)] = 2.0
    jobs_shutdown_grace_seconds: Annotated[float, Field(ge=0)] = 20.0

    # Telephony: "auto" uses Twilio once its credentials are set, else "simulated" (places no
    # real calls). Webhooks are signed against the public URL Twilio calls (behind a proxy too).
    telephony_provider: Literal["auto", "simulated", "twilio"] = "auto"
    public_url: str | None = None  # e.g. https://calls.example.com
    twilio_account_sid: str | None = None
    twilio_auth_token: SecretStr | None = None
    twilio_from_number: str | None = None  # caller ID for outbound calls
    twilio_api_timeout_seconds: Annotated[float, Field(gt=0, le=60)] = 10.0

    # The conversation agent. An OpenAI-compatible endpoint (OpenAI, vLLM, Ollama ...) enables
    # agent_mode "llm" per business; any LLM error or timeout falls back to the offline agent.
    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_model: str = "gpt-4o-mini"
    llm_timeout_seconds: Annotated[float, Field(gt=0, le=120)] = 8.0
    llm_max_tool_rounds: Annotated[int, Field(ge=1, le=10)] = 3
    # Bounds on one LLM turn: tool calls run per round (extra ones are not run; the model is
    # told), tokens the model may write (sent as max_tokens), characters said (a longer reply
    # is cut at a sentence end) and past turns sent (the latest ones plus the call's first two).
    llm_max_tool_calls: Annotated[int, Field(ge=1, le=20)] = 3
    llm_max_reply_tokens: Annotated[int, Field(ge=16, le=4096)] = 200
    llm_max_reply_chars: Annotated[int, Field(ge=80, le=5000)] = 500
    llm_history_turns: Annotated[int, Field(ge=2, le=200)] = 12
    # Offline recogniser decoders loaded at start: loading one holds the interpreter for about
    # a second (every call's audio waits), so they are loaded before serving and then reused;
    # more concurrent offline calls than this load more on demand.
    voice_preload_decoders: Annotated[int, Field(ge=0, le=64)] = 2
    # Silent gathers re-prompted before the agent says goodbye and hangs up.
    agent_silence_prompts: Annotated[int, Field(ge=0, le=5)] = 2
    # How long an Idempotency-Key's first response is replayed (Stripe keeps 24 hours too).
    idempotency_ttl_hours: Annotated[int, Field(ge=1, le=24 * 30)] = 24

    # Knowledge base.
    knowledge_max_upload_bytes: Annotated[int, Field(ge=1024)] = 20 * 1024 * 1024
    # Within this age a re-sync does not request a page at all; after it, a conditional request.
    knowledge_page_ttl_hours: Annotated[float, Field(ge=0)] = 24.0
    # Processes extracting crawled pages (trafilatura is CPU-bound and holds the GIL); 0 runs
    # extraction in a thread of the syncing process.
    knowledge_extract_processes: Annotated[int, Field(ge=0, le=64)] = 2
    # Start those processes when a process that runs syncs starts, not at its first sync (which
    # would otherwise wait for them).
    knowledge_extract_preload: bool = True
    # Semantic retrieval (a business's own /embeddings endpoint, knowledge/embeddings/): chunks
    # sent per request; how long a search waits for the question's vector before answering
    # from the lexical index alone (and how long it then stops asking a failing endpoint);
    # how long a failed indexing waits before it is tried again; the memory the per-business
    # vector matrices may use in each process (least recently searched dropped first).
    embeddings_batch_size: Annotated[int, Field(ge=1, le=2048)] = 64
    embeddings_query_timeout_seconds: Annotated[float, Field(gt=0, le=30)] = 2.0
    embeddings_down_seconds: Annotated[float, Field(ge=0, le=3600)] = 30.0
    embeddings_retry_minutes: Annotated[float, Field(ge=0, le=24 * 60)] = 15.0
    embeddings_cache_mb: Annotated[int, Field(ge=1, le=1024 * 1024)] = 1024

    @model_validator(mode="after")
    def _check_production_secret(self) -> Settings:
        if self.environment is Environment.PRODUCTION:
            value = self.secret_key.get_secret_value() if self.secret_key else ""
            too_simple = len(set(value)) < MIN_DISTINCT_SECRET_CHARACTERS
            if value.lower() in _KNOWN_WEAK_SECRETS or len(value) < MIN_SECRET_LENGTH or too_simple:
                raise ConfigurationError(
                    "AICALLER_SECRET_KEY must be set to a random value of at least "
                    f"{MIN_SECRET_LENGTH} characters in production"
                )
        return self

    @property
    def twilio_configured(self) -> bool:
        return bool(self.twilio_account_sid and self.twilio_auth_token)

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_base_url)

    @property
    def is_production(self) -> bool:
        return self.environment is Environment.PRODUCTION

    @property
    def resolved_database_url(self) -> str:
        """The configured URL, or the embedded SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'aicaller.db').as_posix()}"

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    @property
    def should_auto_migrate(self) -> bool:
        """Embedded (SQLite) installs migrate on start; server databases migrate explicitly."""
        return self.is_sqlite if self.auto_migrate is None else self.auto_migrate

    @property
    def use_json_logs(self) -> bool:
        return self.is_production if self.log_json is None else self.log_json

    @cached_property
    def signing_key(self) -> str:
        """The JWT signing key; in development a random one is made once and kept on disk."""
        if self.secret_key is not None and self.secret_key.get_secret_value():
            return self.secret_key.get_secret_value()
        return _load_or_create_dev_secret(self.data_dir)


def _load_or_create_dev_secret(data_dir: Path) -> str:
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        # Write a complete file under a private name, then link it into place: link() is atomic
        # and fails if the key already exists, so workers starting together all end up reading
        # the one key that won, and nobody ever reads a half-written file.
        draft = data_dir / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(48))
        try:
            # FileExistsError means another worker won the race; its key is read below.
            with contextlib.suppress(FileExistsError):
                os.link(draft, path)
        finally:
            draft.unlink()
    key = path.read_text(encoding="utf-8").strip()
    if len(key) < MIN_SECRET_LENGTH:
        raise ConfigurationError(f"{path} is damaged; delete it to generate a new key")
    return key


def get_settings() -> Settings:
    """Settings from the environment; raises ConfigurationError when unusable."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"AICALLER_{'_'.join(str(p) for p in error['loc']).upper()}: {error['msg']}"
            for error in exc.errors()
        )
        raise ConfigurationError(problems) from exc
