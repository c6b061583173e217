"""The choices the console's forms offer, taken from the domain's own enumerations."""

from __future__ import annotations

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
