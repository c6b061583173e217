"""The ``aicaller`` command, including a real ``serve`` on the embedded defaults."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from alembic.script import ScriptDirectory
from typer.testing import CliRunner

from aicaller.cli import app
from aicaller.database import migrate

runner = CliRunner()


@pytest.fixture
def embedded_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh embedded install in a temporary directory."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith("AICALLER_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AICALLER_PASSWORD_MEMORY_KIB", "1024")
    monkeypatch.setenv("AICALLER_PASSWORD_TIME_COST", "1")
    # As everywhere in the suite (tests/fixtures.py): the commands' apps never sync, so they
    # start no extraction processes from a background thread of the test's worker process.
    monkeypatch.setenv("AICALLER_KNOWLEDGE_EXTRACT_PRELOAD", "false")
    return tmp_path


def test_db_commands_and_users_create(embedded_env: Path) -> None:
    upgraded = runner.invoke(app, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    assert (embedded_env / "data" / "aicaller.db").exists()
    head = ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()
    assert head is not None
    assert runner.invoke(app, ["db", "current"]).output.strip().endswith(head)

    created = runner.invoke(
        app,
        [
            "users",
            "create",
            "--email",
            "Ops@Example.com",
            "--password",
            "a long password!",
            "--role",
            "supervisor",
            "--business",
            "Acme",
        ],
    )
    assert created.exit_code == 0, created.output
    assert "Created supervisor Ops@Example.com in Acme (new business)" in created.output

    duplicate = runner.invoke(
        app, ["users", "create", "--email", "ops@example.com", "--password", "a long password!"]
    )
    assert duplicate.exit_code == 1
    assert "already exists" in duplicate.output

    weak = runner.invoke(app, ["users", "create", "--email", "x@example.com", "--password", "x"])
    assert weak.exit_code == 1

    down = runner.invoke(app, ["db", "downgrade", "base"])
    assert down.exit_code == 0, down.output
    assert "(empty database)" in runner.invoke(app, ["db", "current"]).output


def test_demo_prints_a_working_login_and_can_run_twice(embedded_env: Path) -> None:
    first = runner.invoke(app, ["demo"])
    assert first.exit_code == 0, first.output
    assert "Demo Dental Clinic" in first.output
    assert re.search(r"sample data: \d{3} calls over the last 60 days", first.output)
    assert "knowledge: 5 pages about the clinic" in first.output
    assert "aicaller call --email demo@aicaller.example.com" in first.output
    second = runner.invoke(app, ["demo"])
    assert second.exit_code == 0
    assert "sample data" not in second.output  # the calls are added once
    assert "knowledge:" not in second.output  # and so are the pages
    password = re.search(r"password: (\S+)", second.output)
    assert password is not None
    assert password.group(1) not in first.output  # a fresh password each time


def test_call_explains_an_unreachable_server(embedded_env: Path) -> None:
    result = runner.invoke(
        app, ["call", "--url", f"http://127.0.0.1:{_free_port()}", "--token", "x"]
    )
    assert result.exit_code == 1
    assert "Cannot reach http://127.0.0.1:" in result.output


def test_production_without_secret_refuses_to_start(
    embedded_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AICALLER_ENVIRONMENT", "production")
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == 2
    assert "AICALLER_SECRET_KEY" in result.output


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def served(embedded_env: Path) -> Iterator[tuple[str, Path]]:
    port = _free_port()
    output = embedded_env / "serve.log"
    with output.open("w") as log:
        process = subprocess.Popen(  # noqa: S603 - our own CLI with fixed arguments
            [sys.executable, "-m", "aicaller", "serve", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=dict(os.environ),
        )
    base = f"http://127.0.0.1:{port}"
    try:
        # A fresh install imports everything and migrates before it listens: on a loaded
        # 2-core machine that took over 30 s. The wait ends as soon as it answers, or died.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if httpx.get(f"{base}/health/live", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        assert process.poll() is None, f"serve exited:\n{output.read_text()}"
        yield base, output
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_serve_on_a_fresh_install_is_ready_and_prints_a_working_admin(
    served: tuple[str, Path],
) -> None:
    base, output = served
    assert httpx.get(f"{base}/health/ready").status_code == 200
    assert httpx.get(f"{base}/docs").status_code == 200
    printed = output.read_text()
    console = re.search(r"The console:\s+(\S+)", printed)
    assert console is not None
    assert console.group(1) == f"{base}/"
    sign_in_page = httpx.get(console.group(1))
    assert "Sign in to aicaller" in sign_in_page.text
    email = re.search(r"email:\s+(\S+)", printed)
    password = re.search(r"password:\s+(\S+)", printed)
    assert email is not None
    assert password is not None
    token = httpx.post(
        f"{base}/api/v1/auth/token",
        data={"username": email.group(1), "password": password.group(1)},
    )
    assert token.status_code == 200, token.text
    me = httpx.get(
        f"{base}/api/v1/users/me",
        headers={"Authorization": f"Bearer {token.json()['access_token']}"},
    )
    assert me.json()["role"] == "admin"
    # The generated password appears once, on the console, never in the logs after it.
    assert printed.count(password.group(1)) == 1
    # A request line too long for the HTTP parser is refused as a problem, like the app's own.
    port = int(base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        raw.sendall(b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = b"".join(iter(lambda: raw.recv(65536), b""))
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert b"content-type: application/problem+json" in answer.lower()


def test_cli_errors_are_one_line_messages(
    embedded_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Checked first, while the database is still empty.
    monkeypatch.setenv("AICALLER_AUTO_MIGRATE", "false")
    unmigrated = runner.invoke(app, ["serve"])
    assert unmigrated.exit_code == 1
    assert "aicaller db upgrade" in unmigrated.output

    monkeypatch.setenv("AICALLER_AUTO_MIGRATE", "true")
    unknown = runner.invoke(
        app,
        [
            "users",
            "create",
            "--email",
            "a@example.com",
            "--password",
            "a long password!",
            "--business",
            "8f1d3c5e-7b9a-4c2e-9d0f-1a2b3c4d5e6f",
        ],
    )
    assert unknown.exit_code == 1
    assert "No business has the id" in unknown.output

    # No user exists yet, so serve would create the first admin: with a too-short password
    # from the environment it stops with a message before serving anything.
    monkeypatch.setenv("AICALLER_ADMIN_PASSWORD", "short")
    weak_admin = runner.invoke(app, ["serve"])
    assert weak_admin.exit_code == 1
    assert "Invalid input" in weak_admin.output

    monkeypatch.setenv("AICALLER_PORT", "not-a-port")
    bad_setting = runner.invoke(app, ["serve"])
    assert bad_setting.exit_code == 2
    assert "AICALLER_PORT" in bad_setting.output


def test_several_workers_share_metrics_and_skip_unsafe_caching(
    embedded_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aicaller.cli import _prepare_multiprocess  # noqa: PLC0415
    from aicaller.config import Settings  # noqa: PLC0415

    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    stale = embedded_env / "data" / "prometheus"
    stale.mkdir(parents=True)
    (stale / "counter_999.db").write_bytes(b"old samples")
    _prepare_multiprocess(Settings.model_validate({"data_dir": embedded_env / "data"}))
    assert os.environ["PROMETHEUS_MULTIPROC_DIR"] == str(stale.resolve())
    assert list(stale.iterdir()) == []  # samples of a previous run are gone
    assert os.environ["AICALLER_CACHE_ENABLED"] == "false"
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR")
    monkeypatch.delenv("AICALLER_CACHE_ENABLED")
