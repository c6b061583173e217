"""A fictional business of the answer evaluation, set up as a real user would: a fresh SQLite
database, the business configured from its ``business.json``, its site served from 127.0.0.1,
a documentation source for it and a first sync through the product.

``business.json``: ``slug, name, trade, timezone, phone, address, escalation_number, hours
{monday: [["08:00", "17:30"]], ...}, greeting, safety_instructions``. Its trade is free text
("veterinary practice"); the product's trade (which urgent situations it knows by default) is
what an admin would pick from the list for it, found here by the words of ``TRADE_WORDS``.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aicaller import bootstrap
from aicaller.businesses.schemas import BusinessConfigUpdate, Trade
from aicaller.businesses.service import BusinessService
from aicaller.config import Settings
from aicaller.core.http import SafeHttpClient
from aicaller.database import migrate
from aicaller.database.session import Database, create_engine
from aicaller.knowledge.sources.schemas import SourceCreate, SyncStart
from aicaller.knowledge.sources.service import DocumentationService
from aicaller.knowledge.sources.sync import DocumentationSync

HELD_OUT = frozenset(
    {"ridgeline_plumbing_hvac", "harborview_dental", "granite_peak_roofing", "bayside_locksmith"}
)
# The trade an admin would pick, by the words of the business's own description of its trade
# (whole words; "*" ends a word's stem): the first trade in this order with one of them, so
# the specific ("pest control", "dental clinic") come before the words they share ("animal",
# "clinic"). Whole words, since "car" is in "dental care" and "pet" in "carpet cleaning".
TRADE_WORDS = {
    Trade.PEST_CONTROL: ("pest*", "exterminat*", "termite*", "wildlife"),
    Trade.VETERINARY: ("vet", "vets", "veterinar*", "animal*", "pet", "pets"),
    Trade.LEGAL: ("law", "legal", "attorney*", "solicitor*", "lawyer*"),
    Trade.PLUMBING_HVAC: ("plumb*",),
    Trade.HVAC: ("hvac", "heating", "cooling", "air condition*", "furnace*"),
    Trade.DENTAL: ("dental", "dentist*", "orthodont*"),
    Trade.MEDICAL: ("medical", "clinic", "doctor*", "physician*"),
    Trade.ELECTRICAL: ("electric*",),
    Trade.LOCKSMITH: ("locksmith*",),
    Trade.PROPERTY: ("property", "properties", "landlord*", "letting"),
    Trade.MOVING_STORAGE: ("moving", "mover*", "removal*", "relocation*", "storage"),
    Trade.ROOFING: ("roof*",),
    Trade.CLEANING: ("cleaning", "cleaner*", "janitor*", "maid*", "housekeeping"),
    Trade.IT_SERVICES: (
        "it support",
        "it services",
        "managed it",
        "computer*",
        "network*",
        "cyber*",
        "tech support",
    ),
    Trade.AUTO_REPAIR: ("auto", "automotive", "car", "cars", "garage", "mechanic*", "vehicle*"),
}


@dataclass(frozen=True, slots=True)
class EvalBusiness:
    slug: str
    folder: Path
    info: dict[str, Any]
    questions: list[dict[str, Any]]

    @property
    def held_out(self) -> bool:
        return self.slug in HELD_OUT


def load_business(folder: Path) -> EvalBusiness:
    info = json.loads((folder / "business.json").read_text())
    questions = json.loads((folder / "questions.json").read_text())["questions"]
    return EvalBusiness(info.get("slug") or folder.name, folder, info, questions)


def _said(word: str, text: str) -> bool:
    stem = re.escape(word.removesuffix("*"))
    return re.search(rf"\b{stem}{'[a-z]*' if word.endswith('*') else ''}\b", text) is not None


def trade_of(description: str) -> Trade:
    text = " ".join(re.findall(r"[a-z]+", description.lower()))
    for trade, words in TRADE_WORDS.items():
        if any(_said(word, text) for word in words):
            return trade
    return Trade.GENERAL


def _e164(number: str) -> str:
    return re.sub(r"[^\d+]", "", number)


def config_update(info: dict[str, Any]) -> BusinessConfigUpdate:
    """The configuration an admin would enter from the business's facts."""
    hours = {
        day: [{"open": start, "close": end} for start, end in intervals]
        for day, intervals in (info.get("hours") or {}).items()
    }
    values: dict[str, Any] = {
        "name": info["name"],
        "timezone": info.get("timezone") or "UTC",
        "business_hours": hours,
        "trade": trade_of(str(info.get("trade") or "")),
        "safety_instructions": info.get("safety_instructions") or "",
    }
    optional = {
        "greeting": info.get("greeting"),
        "address": info.get("address"),
        # As an admin enters them: E.164, without the spaces and dashes of the site.
        "phone_numbers": [_e164(info["phone"])] if info.get("phone") else None,
        "escalation_numbers": (
            [_e164(info["escalation_number"])] if info.get("escalation_number") else None
        ),
    }
    values.update({name: value for name, value in optional.items() if value})
    return BusinessConfigUpdate.model_validate(values)


async def set_up(
    business: EvalBusiness, data_dir: Path, site_url: str
) -> tuple[Database, uuid.UUID]:
    """A migrated database in ``data_dir`` with the business configured and its site synced;
    raises if the sync did not index every page it found."""
    settings = Settings.model_validate(
        {
            "environment": "test",
            "data_dir": data_dir,
            "database_url": f"sqlite+aiosqlite:///{data_dir / 'answers.db'}",
            "allow_private_urls": True,
            "log_level": "WARNING",
            "knowledge_extract_processes": 0,
        }
    )
    database = Database(create_engine(settings))
    await migrate.upgrade(database.engine)
    async with database.transaction() as session:
        created = await bootstrap.create_business(session, name=business.info["name"])
        await BusinessService(session, created.id).update_config(config_update(business.info))
        source = await DocumentationService(session, created.id).create(
            SourceCreate.model_validate({"url": site_url, "max_pages": 200, "max_depth": 5})
        )
        sync = await DocumentationService(session, created.id).start_sync(source.id, SyncStart())
    async with SafeHttpClient.from_settings(settings) as http:
        await DocumentationSync(
            database, http, settings, business_id=created.id, sync_id=sync.id
        ).run()
    async with database.transaction() as session:
        done = await DocumentationService(session, created.id).get_sync(sync.id)
    if done.status != "completed" or not done.indexed:
        raise RuntimeError(f"{business.slug}: sync {done.status}, {done.indexed} pages indexed")
    return database, created.id
