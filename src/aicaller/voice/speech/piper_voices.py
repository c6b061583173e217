"""Piper voices in the data directory: where they live, and fetching one from where Piper
publishes them (``voices.json`` lists every voice's files with their size and MD5, the only
checksum published), checked before it is installed.

A voice is two files, ``NAME.onnx`` and ``NAME.onnx.json``, in ``<data dir>/voices``; a call
never downloads anything, so an install without internet access copies the two files there.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from collections.abc import Iterable
from pathlib import Path

import httpx

from aicaller.businesses.speech import PIPER_VOICE

# Piper's voices (rhasspy/piper-voices), at the release its voices.json describes.
VOICES_URL = "https://huggingface.co/rhasspy/piper-voices/resolve/v1.0.0"
DEFAULT_VOICE = "en_US-lessac-medium"
_SUFFIXES = (".onnx", ".onnx.json")
_CHUNK = 1 << 16


class VoiceFetchError(RuntimeError):
    """The voice could not be fetched or did not match its published checksum."""


def piper_available() -> bool:
    """Whether the ``piper`` extra (``piper-tts``) is installed."""
    return importlib.util.find_spec("piper") is not None


def voices_dir(data_dir: Path) -> Path:
    return data_dir / "voices"


def installed_voice(directory: Path, name: str) -> Path | None:
    """The model file of voice ``name`` when both its files are in ``directory``."""
    if not PIPER_VOICE.match(name):
        return None
    model = directory / f"{name}.onnx"
    config = directory / f"{name}.onnx.json"
    return model if model.is_file() and config.is_file() else None


def installed_voices(directory: Path) -> list[str]:
    if not directory.is_dir():
        return []
    names = (path.name.removesuffix(".onnx") for path in directory.glob("*.onnx"))
    return sorted(name for name in names if installed_voice(directory, name) is not None)


def published_path(name: str) -> str:
    """Where Piper publishes a voice: ``en/en_US/lessac/medium/en_US-lessac-medium``."""
    language, speaker, quality = name.split("-")
    return f"{language.split('_')[0]}/{language}/{speaker}/{quality}/{name}"


def offline_hint(name: str, directory: Path, source: str = VOICES_URL) -> str:
    base = f"{source.rstrip('/')}/{published_path(name)}"
    return (
        f"On a machine with internet access, download {base}.onnx and {base}.onnx.json "
        f"and copy both files into {directory}/ (named {name}.onnx and {name}.onnx.json)."
    )


def fetch_voice(
    name: str, directory: Path, *, source: str = VOICES_URL, client: httpx.Client
) -> Path:
    """Download voice ``name`` into ``directory``, each file checked against the size and
    MD5 of the catalogue; nothing is installed unless both files match."""
    if not PIPER_VOICE.match(name):
        raise VoiceFetchError(f"{name!r} is not a Piper voice name such as {DEFAULT_VOICE!r}")
    base = source.rstrip("/")
    try:
        response = client.get(f"{base}/voices.json")
        response.raise_for_status()
        entry = json.loads(response.content).get(name)
    except (httpx.HTTPError, ValueError) as exc:
        raise VoiceFetchError(
            f"Could not read the voice list at {base}/voices.json ({exc}). "
            + offline_hint(name, directory, source)
        ) from exc
    if not isinstance(entry, dict) or not isinstance(entry.get("files"), dict):
        raise VoiceFetchError(f"Piper publishes no voice {name!r} (see {base}/voices.json)")
    directory.mkdir(parents=True, exist_ok=True)
    parts: list[tuple[Path, Path]] = []
    try:
        for suffix in _SUFFIXES:
            [(path, published)] = [
                (path, meta) for path, meta in entry["files"].items() if path.endswith(suffix)
            ]
            target = directory / f"{name}{suffix}"
            part = target.with_name(f".{target.name}.{os.getpid()}.part")
            parts.append((part, target))
            _download(client, f"{base}/{path}", part, published)
    except (httpx.HTTPError, OSError, ValueError) as exc:
        _remove(part for part, _ in parts)
        raise VoiceFetchError(
            f"Could not download {name} ({exc}). " + offline_hint(name, directory, source)
        ) from exc
    except VoiceFetchError:
        _remove(part for part, _ in parts)
        raise
    for part, target in reversed(parts):  # the model last: it is what marks a voice present
        part.replace(target)
    return directory / f"{name}.onnx"


def _download(client: httpx.Client, url: str, part: Path, published: object) -> None:
    try:
        size, md5 = int(published["size_bytes"]), str(published["md5_digest"])  # type: ignore[index]
    except (KeyError, TypeError, ValueError) as exc:
        raise VoiceFetchError(f"no size and checksum published for {url}") from exc
    digest = hashlib.md5(usedforsecurity=False)
    received = 0
    with client.stream("GET", url) as response:
        response.raise_for_status()
        with part.open("wb") as out:
            for chunk in response.iter_bytes(_CHUNK):
                received += len(chunk)
                if received > size:
                    break
                digest.update(chunk)
                out.write(chunk)
    if received != size or digest.hexdigest() != md5:
        raise VoiceFetchError(
            f"{url} does not match its published checksum (expected {size} bytes, MD5 {md5}; "
            f"got {received} bytes, MD5 {digest.hexdigest()}): nothing was installed"
        )


def _remove(paths: Iterable[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
