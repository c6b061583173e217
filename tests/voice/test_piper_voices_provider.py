"""``aicaller voices fetch``: a Piper voice downloaded from where Piper publishes its voices
(here a local server with the same layout: ``voices.json`` listing each file's size and MD5),
installed only when both files match; offline, it says which files to copy where."""

from __future__ import annotations

import asyncio
import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from aicaller.cli import app
from tests.core.http_peer import LocalPeer, Reply

runner = CliRunner()
NAME = "en_US-test-medium"
PUBLISHED = "en/en_US/test/medium"
MODEL = b"onnx model bytes " * 1000
CONFIG = json.dumps({"audio": {"sample_rate": 22050}}).encode()


def catalogue(model: bytes = MODEL, config: bytes = CONFIG) -> bytes:
    def published(body: bytes) -> dict[str, object]:
        return {"size_bytes": len(body), "md5_digest": hashlib.md5(body).hexdigest()}  # noqa: S324

    files = {f"{PUBLISHED}/{NAME}.onnx": published(model),
             f"{PUBLISHED}/{NAME}.onnx.json": published(config),
             f"{PUBLISHED}/MODEL_CARD": published(b"card")}  # fmt: skip
    return json.dumps({NAME: {"key": NAME, "files": files, "aliases": []}}).encode()


@pytest.fixture
def voices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AICALLER_DATA_DIR", str(tmp_path))
    return tmp_path / "voices"


def installed(voices: Path) -> dict[str, bytes]:
    """Every file in the voices directory (partial downloads included), with its bytes."""
    return {path.name: path.read_bytes() for path in voices.glob("*")} if voices.exists() else {}


async def invoke(*args: str) -> Result:
    return await asyncio.to_thread(runner.invoke, app, ["voices", *args])


async def test_fetch_installs_a_voice_that_matches_its_checksums(voices: Path) -> None:
    async with LocalPeer() as peer:
        peer.route("/piper/voices.json", Reply(200, body=catalogue()))
        peer.route(f"/piper/{PUBLISHED}/{NAME}.onnx", Reply(200, body=MODEL))
        peer.route(f"/piper/{PUBLISHED}/{NAME}.onnx.json", Reply(200, body=CONFIG))
        fetched = await invoke("fetch", NAME, "--source", peer.url("/piper"))
        assert fetched.exit_code == 0, fetched.output
        asked = [seen.target for seen in peer.requests]
    assert installed(voices) == {f"{NAME}.onnx": MODEL, f"{NAME}.onnx.json": CONFIG}
    assert "MODEL_CARD" not in " ".join(asked)
    assert f'"tts_voice": "{NAME}"' in fetched.output
    listed = await invoke("list")
    assert listed.output.splitlines()[0] == NAME


async def test_a_file_that_does_not_match_is_not_installed(voices: Path) -> None:
    async with LocalPeer() as peer:
        peer.route("/piper/voices.json", Reply(200, body=catalogue()))
        peer.route(f"/piper/{PUBLISHED}/{NAME}.onnx", Reply(200, body=MODEL[:-1] + b"!"))
        peer.route(f"/piper/{PUBLISHED}/{NAME}.onnx.json", Reply(200, body=CONFIG))
        fetched = await invoke("fetch", NAME, "--source", peer.url("/piper"))
    assert fetched.exit_code == 1
    assert "does not match its published checksum" in fetched.output
    assert installed(voices) == {}  # neither file, nor a partial download
    assert "No Piper voice" in (await invoke("list")).output


async def test_offline_it_says_which_files_to_copy_where(voices: Path) -> None:
    async with LocalPeer() as peer:
        closed = peer.url("/piper")  # nothing listens there once the peer has stopped
    fetched = await invoke("fetch", NAME, "--source", closed)
    assert fetched.exit_code == 1
    assert f"download {closed}/{PUBLISHED}/{NAME}.onnx and" in fetched.output
    assert f"copy both files into {voices}/" in fetched.output
    assert installed(voices) == {}


async def test_unknown_and_malformed_voice_names_are_refused(voices: Path) -> None:
    async with LocalPeer() as peer:
        peer.route("/piper/voices.json", Reply(200, body=catalogue()))
        unknown = await invoke("fetch", "en_GB-nobody-low", "--source", peer.url("/piper"))
        malformed = await invoke("fetch", "../../etc/passwd", "--source", peer.url("/piper"))
        asked = len(peer.requests)
    assert unknown.exit_code == malformed.exit_code == 1
    assert "publishes no voice 'en_GB-nobody-low'" in unknown.output
    assert "is not a Piper voice name" in malformed.output
    assert asked == 1  # the malformed name never reached the network
    assert installed(voices) == {}


async def test_a_voice_listed_without_checksums_is_not_installed(voices: Path) -> None:
    files = {f"{PUBLISHED}/{NAME}.onnx": {"size_bytes": len(MODEL)},
             f"{PUBLISHED}/{NAME}.onnx.json": {"size_bytes": len(CONFIG)}}  # fmt: skip
    async with LocalPeer() as peer:
        peer.route(
            "/piper/voices.json", Reply(200, body=json.dumps({NAME: {"files": files}}).encode())
        )
        peer.route(f"/piper/{PUBLISHED}/{NAME}.onnx", Reply(200, body=MODEL))
        fetched = await invoke("fetch", NAME, "--source", peer.url("/piper"))
        asked = [seen.target for seen in peer.requests]
    assert fetched.exit_code == 1
    assert "no size and checksum published" in fetched.output
    assert asked == ["/piper/voices.json"]  # nothing downloaded without a checksum
    assert installed(voices) == {}
