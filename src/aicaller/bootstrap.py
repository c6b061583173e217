"""Creating businesses, the first admin and the demo tenant (CLI, first start, tests)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.businesses import service as businesses
from aicaller.businesses.schemas import BusinessConfigUpdate
from aicaller.calls.demo import CLINIC_NUMBER, DemoCalls, seed_demo_calls
from aicaller.config import Settings
from aicaller.core.errors import NotFound
from aicaller.core.security import PasswordHasher, generate_password
from aicaller.database.models import Business
from aicaller.database.session import Database
from aicaller.knowledge.demo import seed_demo_knowledge
from aicaller.qa.service import QaService
from aicaller.users import service as users
from aicaller.users.roles import Role
from aicaller.users.schemas import UserCreate, UserUpdate

DEFAULT_BUSINESS_NAME = "My Business"
DEFAULT_ADMIN_EMAIL = "admin@example.com"
DEMO_BUSINESS_NAME = "Demo Dental Clinic"
DEMO_ADMIN_EMAIL = "demo@aicaller.example.com"
DEMO_CONFIG: dict[str, object] = {
    "timezone": "America/New_York",
    "greeting": "Thanks for calling Demo Dental Clinic, this is the virtual assistant. "
    "How can I help?",
    "business_hours": {
        day: [{"open": "08:00", "close": "17:00"}]
        for day in ("monday", "tuesday", "wednesday", "thursday", "friday")
    },
    "escalation_numbers": ["+12025550143"],
    "emergency_phrases": ["knocked out tooth", "severe bleeding", "swollen face"],
    "contact_email": "hello@demo-dental.example",
    "address": "245 Park Avenue South, New York, third floor",
    "website": "https://demo-dental.example",
    "agent_instructions": "Be warm and brief. Never give medical advice; offer an appointment.",
    "language": "en-US",
}


@dataclass(frozen=True, slots=True)
class CreatedLogin:
    business_name: str
    email: str
    password: str | None  # None when the password came from the environment
    sample_calls: DemoCalls | None = None  # what the demo added (nothing when run again)
    knowledge_pages: int = 0  # demo knowledge pages added (none when run again)


async def create_business(session: AsyncSession, *, name: str, **config: object) -> Business:
    """A new tenant with its default QA scorecard (here, above both domains: QA reads calls,
    which read the business's configuration)."""
    business = await businesses.add_business(session, name=name, **config)
    await QaService(session, business.id).create_default()
    return business


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _hasher(settings: Settings) -> PasswordHasher:
    return PasswordHasher(
        time_cost=settings.password_time_cost, memory_kib=settings.password_memory_kib
    )


async def ensure_first_admin(database: Database, settings: Settings) -> CreatedLogin | None:
    """On an install with no users, create a business and its admin; else do nothing."""
    async with database.transaction() as session:
        if await users.install_has_users(session):
            return None
        business = await businesses.first_business(session) or await create_business(
            session, name=DEFAULT_BUSINESS_NAME
        )
        email = settings.admin_email or DEFAULT_ADMIN_EMAIL
        given = settings.admin_password.get_secret_value() if settings.admin_password else None
        password = given or generate_password()
        service = users.UserService(session, business.id, _hasher(settings))
        await service.create(UserCreate(email=email, password=SecretStr(password), role=Role.ADMIN))
        return CreatedLogin(business.name, email, None if given else password)


async def create_user(
    database: Database,
    settings: Settings,
    *,
    email: str,
    password: str,
    role: Role,
    business: str | None,
) -> tuple[str, bool]:
    """Create a user in the named (or only) business; returns (business name, created it?)."""
    data = UserCreate(email=email, password=SecretStr(password), role=role)
    async with database.transaction() as session:
        target = await (
            businesses.find_business(session, business)
            if business
            else businesses.first_business(session)
        )
        if target is None and business and _is_uuid(business):
            raise NotFound(f"No business has the id {business}", code="business_not_found")
        created = target is None
        if target is None:
            target = await create_business(session, name=business or DEFAULT_BUSINESS_NAME)
        await users.UserService(session, target.id, _hasher(settings)).create(data)
        return target.name, created


async def create_demo(database: Database, settings: Settings) -> CreatedLogin:
    """The demo business, its admin and sample calls; run again, it issues a fresh password
    and leaves the calls as they are."""
    password = generate_password()
    async with database.transaction() as session:
        business = await businesses.find_business(session, DEMO_BUSINESS_NAME)
        if business is None:
            business = await create_business(session, name=DEMO_BUSINESS_NAME, **DEMO_CONFIG)
        service = users.UserService(session, business.id, _hasher(settings))
        existing = await users.find_user_by_email(session, DEMO_ADMIN_EMAIL)
        if existing is None:
            admin = await service.create(
                UserCreate(email=DEMO_ADMIN_EMAIL, password=SecretStr(password), role=Role.ADMIN)
            )
        else:
            admin = await service.update(
                existing.id,
                UserUpdate(password=SecretStr(password), is_active=True, role=Role.ADMIN),
            )
        added = await seed_demo_calls(
            session, business.id, timezone=business.timezone, author_id=admin.id
        )
        pages = await seed_demo_knowledge(session, business.id)
        config = businesses.BusinessService(session, business.id)
        if not (await config.get_config()).phone_numbers:
            await config.update_config(BusinessConfigUpdate(phone_numbers=[CLINIC_NUMBER]))
        return CreatedLogin(business.name, DEMO_ADMIN_EMAIL, password, added, pages)
