"""The offline recogniser's model of the business (ADR 0034): what it is built from, when it
is built and rebuilt, and that a call after the build recognises with it."""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from pathlib import Path

import httpx
import numpy as np
import pytest
import soxr  # type: ignore[import-untyped]
from fastapi import FastAPI
from pocketsphinx import Decoder  # type: ignore[import-untyped]

from aicaller.voice.bridge import CallBridge
from aicaller.voice.speech.business_lm import (
    BusinessModels,
    build,
    business_models,
    model_key,
    spoken_sentences,
)
from aicaller.voice.speech.espeak import EspeakEngine
from aicaller.voice.speech.pocketsphinx_stt import DECODER_SETTINGS, business_decoder
from tests.agent.clinic import PAGES, set_up_clinic
from tests.factories import Tenant
from tests.telephony.twilio_client import TwilioCall
from tests.voice.conftest import answer, connected, transcript

CLINIC = ["Bright Smile Dental", *PAGES.values()]
_TOKEN = re.compile(r'<Parameter name="token" value="([^"]+)"')


def _pcm(text: str) -> bytes:
    """``text`` spoken by eSpeak NG at 16 kHz (the recogniser's rate)."""
    engine = EspeakEngine.shared()
    pcm = np.frombuffer(engine.synthesize(text, rate=160), dtype=np.int16)
    resampled: np.ndarray = soxr.resample(pcm, engine.sample_rate, 16_000)
    return resampled.astype(np.int16).tobytes()


def _heard(decoder: Decoder, text: str) -> str:
    decoder.start_utt()
    decoder.process_raw(_pcm(text), False, True)
    decoder.end_utt()
    hypothesis = decoder.hyp()
    return hypothesis.hypstr if hypothesis is not None else ""


def _words(path: Path) -> set[str]:
    return {line.split(" ", 1)[0] for line in path.read_text().splitlines()}


def test_the_knowledge_is_read_as_a_caller_says_it() -> None:
    assert spoken_sentences("A check-up costs $120 and takes 45 minutes. Open 24/7!") == [
        "a check up costs one hundred and twenty dollars and takes forty five minutes",
        "open twenty four seven",
    ]
    assert spoken_sentences("Call 5550100, 10% off") == [
        "call five five five zero one zero zero ten percent off"
    ]


def test_the_model_knows_the_business_words_and_only_words_it_can_pronounce(
    tmp_path: Path,
) -> None:
    model = build([*CLINIC, "Ask for Zyxqwvbn about Cigna"], tmp_path, "v1-a")
    known = _words(model.dictionary)
    assert {"cigna", "whitening", "cleaning", "dental", "appointment"} <= known
    assert "zyxqwvbn" not in known  # no pronunciation: never proposed
    assert " hundred and twenty\n" in model.lm.read_text()  # "$120" as said (a trigram)

    newer = build(CLINIC, tmp_path, "v2-a")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v2-a.arpa", "v2-a.dict"]
    assert newer.lm.is_file()


def test_callers_are_heard_better_with_the_business_model(tmp_path: Path) -> None:
    said = ["can i book an appointment for tomorrow", "do you take my insurance",
            "how much does whitening cost"]  # fmt: skip
    business = business_decoder(build(CLINIC, tmp_path, "v1-a"))
    general = Decoder(**DECODER_SETTINGS)
    errors = {
        name: sum(_errors(text.split(), _heard(decoder, text).split()) for text in said)
        for name, decoder in (("business", business), ("general", general))
    }
    assert errors["business"] < errors["general"], errors


def _errors(reference: list[str], heard: list[str]) -> int:
    """Word-level edit distance."""
    row = list(range(len(heard) + 1))
    for i, word in enumerate(reference, 1):
        previous, row[0] = row[0], i
        for j, other in enumerate(heard, 1):
            current = min(row[j] + 1, row[j - 1] + 1, previous + (word != other))
            previous, row[j] = row[j], current
    return row[-1]


def test_a_large_knowledge_base_is_read_up_to_its_budget(tmp_path: Path) -> None:
    texts = ["Bright Smile Dental", "We fix teeth. " * 3, "Zebras and giraffes."]
    model = build(texts, tmp_path, "k", max_characters=40)
    assert {"teeth", "dental"} <= _words(model.dictionary)
    assert "zebras" not in _words(model.dictionary)


def test_the_key_moves_with_the_knowledge_and_the_name() -> None:
    first = model_key(3, ["Bright Smile Dental", "Hello"])
    assert first == model_key(3, ["Bright Smile Dental", "Hello"])
    assert first != model_key(4, ["Bright Smile Dental", "Hello"])
    assert first != model_key(3, ["Brighter Smile Dental", "Hello"])


async def test_built_once_in_the_background_then_cached(tmp_path: Path) -> None:
    models = BusinessModels(tmp_path)
    business, reads = uuid.uuid4(), []

    async def texts() -> list[str]:
        reads.append(1)
        return CLINIC

    assert models.for_call(business, "v1-a", texts) is None  # this call: the general model
    assert models.for_call(business, "v1-a", texts) is None  # one build, not two
    await models.wait()
    found = models.for_call(business, "v1-a", texts)
    assert found is not None
    assert found.lm.is_file()
    assert reads == [1]
    assert BusinessModels(tmp_path).cached(business, "v1-a") == found  # another process


async def test_a_failed_build_is_logged_and_calls_go_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    models = BusinessModels(tmp_path)

    async def broken() -> list[str]:
        raise OSError("disk gone")

    business = uuid.uuid4()
    with caplog.at_level(logging.WARNING):
        assert models.for_call(business, "v1-a", broken) is None
        await models.wait()
    logged = [r.getMessage() for r in caplog.records if str(business) in r.getMessage()]
    assert len(logged) == 1, logged
    assert "business language model not built" in logged[0]
    assert "disk gone" in logged[0]
    assert models.for_call(business, "v1-a", broken) is None  # tried again by a later call


async def test_built_from_the_business_name_greeting_and_documents_only(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    await set_up_clinic(client, tenant, greeting="Hello from the clinic")
    other = {"file": ("x.md", b"# Globex\n\nWe repair hovercraft.", "text/markdown")}
    response = await client.post(
        "/api/v1/knowledge/documents", files=other, headers=other_tenant.headers()
    )
    assert response.status_code == 201, response.text
    bridge = CallBridge(app.state, tenant.business_id, uuid.uuid4())
    texts = await bridge.knowledge_texts()
    assert texts[:2] == ["Bright Smile Dental", "Hello from the clinic"]
    assert sorted(text.split("\n", 1)[0] for text in texts[2:]) == [
        "Cancellation policy", "Insurance", "Prices"
    ]  # fmt: skip
    assert not any("hovercraft" in text for text in texts)
    assert await bridge.knowledge_version() == 3  # one per upload: the model's key moves


@pytest.mark.parametrize("backend", ["sqlite"])  # real-time audio
async def test_the_next_call_recognises_with_the_business_model(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, data_dir: Path
) -> None:
    """The first call starts the build from the uploaded pages; once built, what the next
    call's caller says is heard in the business's words only."""
    first_call, token = await answer(client, tenant)
    async with connected(app, token):
        await asyncio.sleep(0.5)
    models = business_models(data_dir)
    await models.wait()
    [folder] = [p for p in models.directory.iterdir() if p.name == str(tenant.business_id)]
    [dictionary] = folder.glob("*.dict")

    response = await TwilioCall(client, call_sid="CA" + "cd" * 16).connect()
    found = _TOKEN.search(response.text)
    assert found is not None, response.text
    calls = (await client.get("/api/v1/calls", headers=tenant.headers())).json()["items"]
    [call_id] = [call["id"] for call in calls if call["id"] != first_call]
    async with connected(app, found.group(1)) as caller:
        await caller.wait_for("agent_audio", within=15)
        await caller.wait_quiet()
        said = await caller.say("Can I book an appointment for tomorrow?")
        await caller.wait_for("agent_audio", after=said, within=20)
    heard = (await transcript(client, tenant, call_id))["transcript"][1]["text"]
    assert heard
    assert set(heard.split()) <= _words(dictionary), heard
