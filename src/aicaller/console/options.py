"""The choices the console's forms offer, taken from the domain's own enumerations."""

from __future__ import annotations

from aicaller.businesses.schemas import Trade
from aicaller.calls.actions.service import ACTIVE
from aicaller.calls.schemas import CallSort
from aicaller.database.models.call import CallDirection, CallStatus
from aicaller.database.models.escalation import EscalationPriority, EscalationStatus

CALL_STATUSES = tuple(s.value for s in CallStatus)
CALL_DIRECTIONS = tuple(d.value for d in CallDirection)
SORTS = tuple(s.value for s in CallSort)
# A call the live actions (end, transfer) apply to: the actions service's own rule.
IN_PROGRESS = ACTIVE
QA_RESULTS = ("pass", "fail", "na")
ESCALATION_STATUSES = tuple(s.value for s in EscalationStatus)
ESCALATION_PRIORITIES = tuple(p.value for p in EscalationPriority)
# What each trade is called in the settings' list: it picks the urgent situations the agent
# knows by default (``aicaller.agent.urgency``).
TRADE_LABELS: dict[str, str] = {
    Trade.GENERAL: "Other (the situations of any business)",
    Trade.AUTO_REPAIR: "Auto repair",
    Trade.CLEANING: "Cleaning",
    Trade.DENTAL: "Dental practice",
    Trade.ELECTRICAL: "Electrician",
    Trade.HVAC: "Heating and cooling",
    Trade.IT_SERVICES: "IT services",
    Trade.LEGAL: "Law office",
    Trade.LOCKSMITH: "Locksmith",
    Trade.MEDICAL: "Medical practice",
    Trade.MOVING_STORAGE: "Moving and storage",
    Trade.PEST_CONTROL: "Pest control",
    Trade.PLUMBING_HVAC: "Plumbing, heating and cooling",
    Trade.PROPERTY: "Property management",
    Trade.ROOFING: "Roofing",
    Trade.VETERINARY: "Veterinary practice",
}
