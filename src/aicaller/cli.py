"""The ``aicaller`` command: serve, worker, db, users, voices, demo, call."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Awaitable, Callable
from typing import Annotated, NoReturn, TypeVar

import httpx
import typer
import uvicorn
from pydantic import ValidationError as PydanticValidationError

from aicaller import bootstrap
from aicaller.agent import terminal
from aicaller.api.http_protocol import ProblemHttpToolsProtocol
from aicaller.cli_voices import voices_app
from aicaller.config import ConfigurationError, Settings, get_settings
from aicaller.core import metrics
from aicaller.core.errors import AppError
from aicaller.core.logging import configure_logging
from aicaller.database import migrate
from aicaller.database.session import Database, create_engine
from aicaller.users.roles import Role
from aicaller.worker import SchemaNotCurrent, run_worker

app = typer.Typer(help="aicaller: a self-hostable AI phone agent.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema migrations.", no_args_is_help=True)
users_app = typer.Typer(help="Manage users.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(voices_app, name="voices")

T = TypeVar("T")


def _settings() -> Settings:
    try:
        settings = get_settings()
    except ConfigurationError as exc:
        typer.secho(f"Configuration error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    configure_logging(level=settings.log_level, json=settings.use_json_logs)
    return settings


def _with_database(settings: Settings, work: Callable[[Database], Awaitable[T]]) -> T:
    async def run() -> T:
        database = Database(create_engine(settings))
        try:
            return await work(database)
        finally:
            await database.dispose()

    return asyncio.run(run())


def _fail(message: str) -> NoReturn:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(1)


def _run_or_fail(settings: Settings, work: Callable[[Database], Awaitable[T]]) -> T:
    """Run ``work``; a domain error or invalid input is a one-line message, not a traceback."""
    try:
        return _with_database(settings, work)
    except AppError as exc:
        _fail(f"Error: {exc.message}")
    except PydanticValidationError as exc:
        reasons = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'value'}: {e['msg']}" for e in exc.errors()
        )
        _fail(f"Invalid input: {reasons}")


def _prepare_multiprocess(settings: Settings) -> None:
    """Environment the worker processes inherit when several serve requests."""
    # Each worker writes its metric samples here and any worker answers a scrape for all.
    directory = settings.data_dir / "prometheus"
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    os.environ[metrics.MULTIPROC_ENV] = str(directory.resolve())
    if not settings.redis_url:
        # In-process caches cannot be invalidated across processes without Redis, and a revoked
        # key must stop working on every worker at once: caching is off instead.
        os.environ["AICALLER_CACHE_ENABLED"] = "false"
        typer.echo("Several workers without AICALLER_REDIS_URL: response caching is disabled.")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes")] = 1,
    reload: Annotated[bool, typer.Option(help="Reload on code changes (development)")] = False,
) -> None:
    """Run the API server (migrating and creating the first admin on an embedded install)."""
    settings = _settings()
    if reload and settings.is_production:
        typer.secho("--reload is for development only", fg=typer.colors.RED, err=True)
        raise typer.Exit(2)

    async def prepare(database: Database) -> bootstrap.CreatedLogin | None:
        if settings.should_auto_migrate:
            await migrate.upgrade(database.engine)
        elif not await migrate.is_current(database.engine):
            _fail("The database schema is not up to date: run `aicaller db upgrade` first")
        return await bootstrap.ensure_first_admin(database, settings)

    login = _run_or_fail(settings, prepare)
    if workers > 1 and not reload:
        _prepare_multiprocess(settings)
    bind_host, bind_port = host or settings.host, port or settings.port
    # A wildcard address is where the server listens, not one a browser can open.
    shown = "127.0.0.1" if bind_host in {"0.0.0.0", "::", ""} else bind_host  # noqa: S104
    address = f"http://{'[' + shown + ']' if ':' in shown else shown}:{bind_port}"
    if login is not None:
        typer.secho("\nCreated the first admin for " + login.business_name, bold=True)
        typer.echo(f"  email:    {login.email}")
        if login.password:
            typer.echo(f"  password: {login.password}   (shown once; change it after login)")
    typer.secho(f"\nThe console:  {address}/", bold=True)
    typer.echo(f"The API:      {address}/docs\n")
    uvicorn.run(
        "aicaller.main:create_app",
        factory=True,
        host=bind_host,
        port=bind_port,
        workers=None if reload else workers,
        reload=reload,
        log_config=None,
        access_log=False,
        proxy_headers=True,
        http=ProblemHttpToolsProtocol,  # its unparsable-request 400 is a problem too
    )


@app.command()
def worker() -> None:
    """Run background jobs until SIGTERM/SIGINT, then finish or release the running ones.

    With AICALLER_REDIS_URL it consumes the Redis job queue; without, it polls the database.

    Job modules beyond aicaller/*/tasks.py: AICALLER_JOB_MODULES=package.module,...
    """
    settings = _settings()
    try:
        asyncio.run(run_worker(settings, on_job_finished=metrics.record_job))
    except SchemaNotCurrent as exc:
        _fail(str(exc))


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Apply migrations up to REVISION (default: the latest)."""
    settings = _settings()
    _with_database(settings, lambda database: migrate.upgrade(database.engine, revision))
    typer.echo(f"Database at {revision}")


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument()]) -> None:
    """Revert migrations down to REVISION (``base`` removes every table)."""
    settings = _settings()
    _with_database(settings, lambda database: migrate.downgrade(database.engine, revision))
    typer.echo(f"Database at {revision}")


@db_app.command("current")
def db_current() -> None:
    """Print the schema revision the database is at."""
    settings = _settings()
    revision = _with_database(settings, lambda database: migrate.current_revision(database.engine))
    typer.echo(revision or "(empty database)")


@users_app.command("create")
def users_create(
    email: Annotated[str, typer.Option(help="Login email")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
    role: Annotated[Role, typer.Option(help="admin, supervisor, agent or viewer")] = Role.ADMIN,
    business: Annotated[
        str | None, typer.Option(help="Business id or name (created if new)")
    ] = None,
) -> None:
    """Create a user in a business."""
    settings = _settings()

    async def work(database: Database) -> tuple[str, bool]:
        if settings.should_auto_migrate:
            await migrate.upgrade(database.engine)
        return await bootstrap.create_user(
            database, settings, email=email, password=password, role=role, business=business
        )

    business_name, created = _run_or_fail(settings, work)
    note = " (new business)" if created else ""
    typer.echo(f"Created {role.value} {email} in {business_name}{note}")


@app.command()
def call(
    url: Annotated[str | None, typer.Option(help="The server (default: host and port)")] = None,
    email: Annotated[str | None, typer.Option(help="Sign in as this user")] = None,
    password: Annotated[str | None, typer.Option(help="Asked for when an email is given")] = None,
    token: Annotated[
        str | None, typer.Option(envvar="AICALLER_TOKEN", help="A JWT or API key instead")
    ] = None,
) -> None:
    """Talk to the business's agent in the terminal (a web test call on a running server)."""
    settings = _settings()
    if email and not (password or token):
        password = typer.prompt("Password", hide_input=True)
    credentials = terminal.Credentials(token=token, email=email, password=password)
    base_url = url or f"http://{settings.host}:{settings.port}"

    async def read(prompt: str) -> str | None:
        try:
            return await asyncio.to_thread(input, prompt)
        except EOFError:
            return None

    async def run() -> str:
        async with terminal.make_client(base_url) as client:
            return await terminal.converse(client, credentials, read, typer.echo)

    try:
        asyncio.run(run())
    except terminal.CallFailed as exc:
        _fail(f"Error: {exc}")
    except httpx.HTTPError as exc:
        _fail(f"Cannot reach {base_url}: {exc}")


@app.command()
def demo() -> None:
    """Create the demo business and an admin, and print how to sign in."""
    settings = _settings()

    async def work(database: Database) -> bootstrap.CreatedLogin:
        if settings.should_auto_migrate:
            await migrate.upgrade(database.engine)
        return await bootstrap.create_demo(database, settings)

    login = _run_or_fail(settings, work)
    typer.secho(f"Demo business ready: {login.business_name}", bold=True)
    typer.echo(f"  email:    {login.email}")
    typer.echo(f"  password: {login.password}")
    if login.sample_calls and login.sample_calls.calls:
        added = login.sample_calls
        typer.echo(
            f"  sample data: {added.calls} calls over the last 60 days, "
            f"{added.notes} notes, {added.escalations} escalations"
        )
    if login.knowledge_pages:
        typer.echo(f"  knowledge: {login.knowledge_pages} pages about the clinic")
    typer.echo(f"  try it:   aicaller call --email {login.email} --password '{login.password}'")
    typer.echo(
        f"  run `aicaller serve`, then sign in at http://{settings.host}:{settings.port}/docs"
    )
