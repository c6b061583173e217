"""Settings: production refuses weak secrets; development keeps one generated key."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from aicaller.config import ConfigurationError, Settings, get_settings


@pytest.mark.parametrize(
    "secret", [None, "", "changeme", "short-but-random-7f3a", "a" * 40, "ab" * 20]
)
def test_production_refuses_missing_default_or_short_secret(
    tmp_path: Path, secret: str | None
) -> None:
    with pytest.raises(ConfigurationError, match="AICALLER_SECRET_KEY"):
        Settings.model_validate(
            {"environment": "production", "data_dir": tmp_path, "secret_key": secret}
        )


def test_production_accepts_a_strong_secret(tmp_path: Path) -> None:
    strong = "Zq8v-3LrT0pWm9xYc2KbN7sHf5JdGa1e"
    settings = Settings.model_validate(
        {"environment": "production", "data_dir": tmp_path, "secret_key": strong}
    )
    assert settings.signing_key == strong
    assert not (tmp_path / "secret_key").exists()
    assert settings.use_json_logs


def test_development_generates_one_key_and_keeps_it(tmp_path: Path) -> None:
    first = Settings.model_validate({"data_dir": tmp_path}).signing_key
    second = Settings.model_validate({"data_dir": tmp_path}).signing_key
    assert first == second
    assert len(first) >= 48
    mode = stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode)
    assert mode == 0o600


def test_environment_variables_and_embedded_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AICALLER_DB_POOL_SIZE", "7")
    settings = Settings()
    assert settings.db_pool_size == 7
    assert settings.resolved_database_url == "sqlite+aiosqlite:///data/aicaller.db"
    assert settings.should_auto_migrate
    monkeypatch.setenv("AICALLER_DATABASE_URL", "postgresql+asyncpg://db/aicaller")
    server = Settings()
    assert not server.should_auto_migrate
    assert not server.is_sqlite


def test_dotenv_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("AICALLER_ACCESS_TOKEN_MINUTES=15\n", encoding="utf-8")
    assert Settings().access_token_minutes == 15


def test_a_damaged_development_key_is_reported(tmp_path: Path) -> None:
    (tmp_path / "secret_key").write_text("", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="damaged"):
        _ = Settings.model_validate({"data_dir": tmp_path}).signing_key


def test_bad_environment_values_are_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AICALLER_PORT", "not-a-port")
    with pytest.raises(ConfigurationError, match="AICALLER_PORT"):
        get_settings()
