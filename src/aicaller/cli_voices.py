"""``aicaller voices``: the Piper voices of the local neural voice (``tts_provider: piper``).

A call never downloads a voice: ``voices fetch`` does, once, into ``<data dir>/voices``, each
file checked against the size and MD5 Piper publishes. Without internet access it says which
two files to copy there instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import httpx
import typer

from aicaller.config import ConfigurationError, get_settings
from aicaller.voice.speech.piper_voices import (
    DEFAULT_VOICE,
    VOICES_URL,
    VoiceFetchError,
    fetch_voice,
    installed_voices,
    piper_available,
    voices_dir,
)

voices_app = typer.Typer(help="Piper voices (tts_provider: piper).", no_args_is_help=True)
_PIPER_EXTRA = "The voice needs the piper extra to speak: pip install 'aicaller[piper]' (GPL-3.0)."


def _directory() -> Path:
    try:
        return voices_dir(get_settings().data_dir)
    except ConfigurationError as exc:
        typer.secho(f"Configuration error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc


@voices_app.command("fetch")
def fetch(
    name: Annotated[str, typer.Argument(help="A Piper voice, e.g. en_US-lessac-medium")] = (
        DEFAULT_VOICE
    ),
    source: Annotated[
        str,
        typer.Option(envvar="AICALLER_PIPER_VOICES_URL", help="Where Piper's voices.json is"),
    ] = VOICES_URL,
) -> None:
    """Download a Piper voice into the data directory (checked against its published MD5)."""
    directory = _directory()
    try:
        with httpx.Client(follow_redirects=True, timeout=httpx.Timeout(30.0)) as client:
            model = fetch_voice(name, directory, source=source, client=client)
    except VoiceFetchError as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"Installed {name} in {model.parent}")
    typer.echo(f'A business speaks with it after PATCH /api/v1/config {{"tts_provider": "piper", '
               f'"tts_voice": "{name}"}}.')  # fmt: skip
    if not piper_available():
        typer.secho(_PIPER_EXTRA, fg=typer.colors.YELLOW)


@voices_app.command("list")
def list_voices() -> None:
    """The Piper voices installed in the data directory."""
    directory = _directory()
    names = installed_voices(directory)
    if not names:
        typer.echo(f"No Piper voice in {directory}: aicaller voices fetch {DEFAULT_VOICE}")
    for name in names:
        typer.echo(name)
    if names and not piper_available():
        typer.secho(_PIPER_EXTRA, fg=typer.colors.YELLOW)
