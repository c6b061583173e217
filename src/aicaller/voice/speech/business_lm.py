"""A language model per business for the offline recogniser (ADR 0034).

PocketSphinx's general en-US model knows 72,000 words and how newspapers use them; a caller
of a dental clinic says a few hundred, and says them about prices, hours and appointments.
With eSpeak NG caller speech over the phone line the general model mishears most words
(86% word error rate, docs/benchmarks.md "Voice"). Decoding with a trigram model of what this
business's callers are likely to say, built from its own knowledge (every document's title
and text, its name and greeting) plus general caller phrases (``caller_phrases.txt``), and a
dictionary of only those words, cuts that by about a third: the search no longer chooses
among words nobody says to the business.

Built with PocketSphinx's own ``ArpaBoLM`` (no other dependency), once per version of the
business's knowledge, off the hot path: the first call after a change starts the build in the
background and is recognised with the general model, every later call (of any process, the
files are shared through the data directory) loads the cached files, which takes some 25 ms
with the small dictionary instead of the general model's 0.7 s.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import uuid
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

from num2words import num2words  # type: ignore[import-untyped]
from pocketsphinx import get_model_path  # type: ignore[import-untyped]
from pocketsphinx.lm import ArpaBoLM  # type: ignore[import-untyped]

from aicaller.core.logging import get_logger

logger = get_logger(__name__)

RECIPE = 1  # bumped when the way a model is built changes: every business's is rebuilt
PHRASES = Path(__file__).with_name("caller_phrases.txt")
DICTIONARY = Path(get_model_path()) / "en-us" / "cmudict-en-us.dict"
DISCOUNT = 0.5  # ArpaBoLM's fixed back-off mass (0.3 measured no better on the tuning sets)
# A site of thousands of pages adds few words a caller says but seconds of pure-Python
# counting, during which the process's calls share the interpreter with the build.
MAX_CHARACTERS = 2_000_000
_SENTENCE_END = re.compile(r"[.?!;:\n]+")
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_MONEY = re.compile(r"\$\s?(\d[\d,]*)(?:\.(\d\d))?")
_NUMBER = re.compile(r"\d+")
_VARIANT = re.compile(r"\(\d+\)$")
_LARGEST_SPOKEN = 999_999  # longer numbers (phone numbers, ids) are read digit by digit


@dataclass(frozen=True, slots=True)
class BusinessModel:
    """A built model's files: the ARPA trigram model and its words' pronunciations."""

    lm: Path
    dictionary: Path


def _number(match: re.Match[str]) -> str:
    value = int(match.group())
    if value > _LARGEST_SPOKEN:
        return " " + " ".join(num2words(int(digit)) for digit in match.group()) + " "
    return f" {num2words(value)} "


def _money(match: re.Match[str]) -> str:
    dollars = match.group(1).replace(",", "")
    cents = f" and {match.group(2)} cents" if match.group(2) else ""
    return f"{dollars} dollars{cents}"


def spoken_sentences(text: str) -> list[str]:
    """``text`` as a caller would say it, one sentence a line: lower case, numbers and
    prices in words ("$120" -> "one hundred and twenty dollars"), no punctuation."""
    text = _MONEY.sub(_money, text.lower().replace("%", " percent"))
    text = _NUMBER.sub(_number, text.replace("-", " ").replace(",", " "))
    sentences = (" ".join(_WORD.findall(part)) for part in _SENTENCE_END.split(text))
    return [sentence for sentence in sentences if sentence]


def _pronunciations(words: set[str]) -> list[str]:
    """The general dictionary's lines for ``words`` (each with its variants); a word it does
    not know is left out, so the recogniser never proposes it."""
    with DICTIONARY.open(encoding="utf-8") as lines:
        return [line for line in lines if _VARIANT.sub("", line.split(" ", 1)[0]) in words]


def _write(path: Path, text: str) -> None:
    """Write whole or not at all: another process may be loading the file meanwhile."""
    partial = path.with_suffix(f".{os.getpid()}.part")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def build(
    texts: Iterable[str], directory: Path, key: str, *, max_characters: int = MAX_CHARACTERS
) -> BusinessModel:
    """Build the model of ``texts`` (plus the caller phrases) into ``directory`` as ``key``
    (CPU-bound, some seconds for a large site: run it off the event loop)."""
    corpus: list[str] = []
    budget = max_characters
    for text in texts:  # the name and greeting first, then the documents
        corpus += spoken_sentences(text[:budget])
        budget -= len(text)
        if budget <= 0:
            break
    corpus += PHRASES.read_text(encoding="utf-8").splitlines()
    model = ArpaBoLM(text="\n".join(corpus), add_start=True, discount_mass=DISCOUNT)
    words = {word for word in model.grams_1 if word not in ("<s>", "</s>")}
    known = _pronunciations(words)
    model.compute()
    arpa = StringIO()
    model.write(arpa)
    directory.mkdir(parents=True, exist_ok=True)
    built = BusinessModel(directory / f"{key}.arpa", directory / f"{key}.dict")
    _write(built.dictionary, "".join(known))
    _write(built.lm, arpa.getvalue())  # last: its presence says the model is complete
    for old in directory.iterdir():  # earlier versions of this business's model
        if not old.name.startswith(f"{key}."):
            old.unlink(missing_ok=True)
    return built


def model_key(knowledge_version: int, identity: Sequence[str]) -> str:
    """The cache key: the knowledge's version (bumped on every change of documents, sources
    or synonyms), the configuration the model reads (name, greeting) and the recipe."""
    digest = hashlib.sha256("\n".join([str(RECIPE), *identity]).encode()).hexdigest()[:12]
    return f"v{knowledge_version}-{digest}"


class BusinessModels:
    """The built models under one data directory, and the builds under way in this process."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._building: dict[tuple[uuid.UUID, str], asyncio.Task[None]] = {}

    def cached(self, business_id: uuid.UUID, key: str) -> BusinessModel | None:
        folder = self.directory / str(business_id)
        found = BusinessModel(folder / f"{key}.arpa", folder / f"{key}.dict")
        return found if found.lm.is_file() and found.dictionary.is_file() else None

    def for_call(
        self,
        business_id: uuid.UUID,
        key: str,
        texts: Callable[[], Awaitable[list[str]]],
    ) -> BusinessModel | None:
        """The business's model if built; else None, the build started in the background
        (once per key in this process), and the call recognised with the general model."""
        found = self.cached(business_id, key)
        if found is None and (business_id, key) not in self._building:
            task = asyncio.create_task(self._build(business_id, key, texts))
            self._building[(business_id, key)] = task
            task.add_done_callback(lambda _: self._building.pop((business_id, key), None))
        return found

    async def wait(self) -> None:
        """Until the builds under way have finished (tests, benchmarks, shutdown)."""
        await asyncio.gather(*self._building.values(), return_exceptions=True)

    async def _build(
        self, business_id: uuid.UUID, key: str, texts: Callable[[], Awaitable[list[str]]]
    ) -> None:
        try:
            folder = self.directory / str(business_id)
            await asyncio.to_thread(build, await texts(), folder, key)
        except Exception as exc:  # any failure: the calls go on with the general model
            logger.warning(
                "business language model not built", business_id=str(business_id), error=str(exc)
            )
        else:
            logger.info("business language model built", business_id=str(business_id), key=key)


_MODELS: dict[Path, BusinessModels] = {}


def business_models(data_dir: Path) -> BusinessModels:
    """The process's models kept under ``data_dir`` (one registry per directory)."""
    directory = data_dir / "voice-lm"
    if directory not in _MODELS:
        _MODELS[directory] = BusinessModels(directory)
    return _MODELS[directory]
