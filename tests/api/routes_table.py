"""The expected access rules of every API route, checked against the app by the tests.

Adding a route without adding it here fails ``test_every_route_is_in_the_access_table``, so
authorization and tenant-isolation tests cover new routes automatically.
"""

from __future__ import annotations

from aicaller.qa.defaults import DEFAULT_CRITERIA
from aicaller.users.roles import Role

DEFAULT_CRITERIA_KEYS = [criterion.key for criterion in DEFAULT_CRITERIA]

PUBLIC: frozenset[Role] = frozenset()
EVERYONE = frozenset(Role)
ADMIN = frozenset({Role.ADMIN})
MANAGERS = frozenset({Role.ADMIN, Role.SUPERVISOR})
STAFF = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.AGENT})

# (method, path template) -> roles allowed; PUBLIC means no authentication at all.
ACCESS: dict[tuple[str, str], frozenset[Role]] = {
    ("POST", "/api/v1/auth/token"): PUBLIC,
    ("GET", "/api/v1/users/me"): EVERYONE,
    ("POST", "/api/v1/users/me/password"): EVERYONE,
    ("GET", "/api/v1/users"): ADMIN,
    ("POST", "/api/v1/users"): ADMIN,
    ("GET", "/api/v1/users/{user_id}"): ADMIN,
    ("PATCH", "/api/v1/users/{user_id}"): ADMIN,
    ("DELETE", "/api/v1/users/{user_id}"): ADMIN,
    ("POST", "/api/v1/api-keys"): ADMIN,
    ("GET", "/api/v1/api-keys"): ADMIN,
    ("DELETE", "/api/v1/api-keys/{key_id}"): ADMIN,
    ("GET", "/api/v1/config"): EVERYONE,
    ("PATCH", "/api/v1/config"): ADMIN,
    ("GET", "/api/v1/calls"): EVERYONE,
    ("POST", "/api/v1/calls"): MANAGERS,
    ("GET", "/api/v1/calls/{call_id}"): EVERYONE,
    ("PATCH", "/api/v1/calls/{call_id}"): MANAGERS,
    ("DELETE", "/api/v1/calls/{call_id}"): ADMIN,
    ("GET", "/api/v1/calls/{call_id}/transcript"): EVERYONE,
    ("GET", "/api/v1/calls/{call_id}/recording"): EVERYONE,
    ("POST", "/api/v1/calls/initiate"): MANAGERS,
    ("POST", "/api/v1/calls/{call_id}/end"): MANAGERS,
    ("POST", "/api/v1/calls/{call_id}/transfer"): MANAGERS,
    ("GET", "/api/v1/calls/{call_id}/notes"): EVERYONE,
    ("POST", "/api/v1/calls/{call_id}/notes"): STAFF,
    ("PATCH", "/api/v1/calls/{call_id}/notes/{note_id}"): STAFF,
    ("DELETE", "/api/v1/calls/{call_id}/notes/{note_id}"): STAFF,
    ("POST", "/api/v1/calls/{call_id}/escalations"): STAFF,
    ("GET", "/api/v1/escalations"): EVERYONE,
    ("PATCH", "/api/v1/escalations/{escalation_id}"): STAFF,
    ("GET", "/api/v1/knowledge/search"): EVERYONE,
    ("POST", "/api/v1/knowledge/documents"): MANAGERS,
    ("GET", "/api/v1/knowledge/documents"): EVERYONE,
    ("GET", "/api/v1/knowledge/documents/{document_id}"): EVERYONE,
    ("DELETE", "/api/v1/knowledge/documents/{document_id}"): MANAGERS,
    ("POST", "/api/v1/documentation/sources"): MANAGERS,
    ("GET", "/api/v1/documentation/sources"): EVERYONE,
    ("GET", "/api/v1/documentation/sources/{source_id}"): EVERYONE,
    ("PATCH", "/api/v1/documentation/sources/{source_id}"): MANAGERS,
    ("DELETE", "/api/v1/documentation/sources/{source_id}"): MANAGERS,
    ("POST", "/api/v1/documentation/sources/{source_id}/sync"): MANAGERS,
    ("GET", "/api/v1/documentation/syncs/{sync_id}"): EVERYONE,
    ("POST", "/api/v1/documentation/syncs/{sync_id}/cancel"): MANAGERS,
    ("GET", "/api/v1/knowledge/gaps"): EVERYONE,
    ("POST", "/api/v1/knowledge/synonyms"): MANAGERS,
    ("GET", "/api/v1/knowledge/synonyms"): EVERYONE,
    ("DELETE", "/api/v1/knowledge/synonyms/{synonym_id}"): MANAGERS,
    ("GET", "/api/v1/knowledge/embeddings"): MANAGERS,
    ("PUT", "/api/v1/knowledge/embeddings"): ADMIN,
    ("DELETE", "/api/v1/knowledge/embeddings"): ADMIN,
    ("POST", "/api/v1/knowledge/embeddings/retry"): ADMIN,
    ("POST", "/api/v1/calls/test"): STAFF,
    ("POST", "/api/v1/calls/{call_id}/messages"): STAFF,
    ("GET", "/api/v1/qa/scorecards"): EVERYONE,
    ("POST", "/api/v1/qa/scorecards"): MANAGERS,
    ("GET", "/api/v1/qa/scorecards/{scorecard_id}"): EVERYONE,
    ("PATCH", "/api/v1/qa/scorecards/{scorecard_id}"): MANAGERS,
    ("GET", "/api/v1/calls/{call_id}/evaluations"): EVERYONE,
    ("POST", "/api/v1/calls/{call_id}/evaluations"): MANAGERS,
    ("GET", "/api/v1/analytics/dashboard"): EVERYONE,
    ("GET", "/api/v1/analytics/call-volume"): EVERYONE,
    ("GET", "/api/v1/analytics/qa-stats"): EVERYONE,
    ("GET", "/api/v1/analytics/trends"): EVERYONE,
    ("GET", "/api/v1/analytics/exports/calls"): MANAGERS,
}

# A body that passes validation, so a 403/404 can only come from authorization or scoping.
VALID_BODIES: dict[tuple[str, str], dict[str, object]] = {
    ("POST", "/api/v1/users"): {"email": "matrix@example.com", "password": "long enough pass"},
    ("PATCH", "/api/v1/users/{user_id}"): {"full_name": "Changed By Test"},
    # A wrong current password: allowed roles get 400, and nobody's password changes.
    ("POST", "/api/v1/users/me/password"): {
        "current_password": "not it",
        "new_password": "a new long password",
    },
    ("POST", "/api/v1/api-keys"): {"name": "matrix", "scopes": ["config:read"]},
    ("PATCH", "/api/v1/config"): {"greeting": "Changed by test"},
    ("POST", "/api/v1/calls"): {
        "direction": "inbound",
        "from_number": "+14155550123",
        "to_number": "+14155550199",
    },
    ("PATCH", "/api/v1/calls/{call_id}"): {"summary": "Changed by test"},
    ("POST", "/api/v1/calls/initiate"): {"to_number": "+14155550199"},
    ("POST", "/api/v1/calls/{call_id}/transfer"): {"to_number": "+14155550199"},
    ("POST", "/api/v1/calls/{call_id}/notes"): {"body": "Written by test"},
    # The target note's author is the tenant's agent, so every allowed role may edit it.
    ("PATCH", "/api/v1/calls/{call_id}/notes/{note_id}"): {"body": "Changed by test"},
    ("POST", "/api/v1/calls/{call_id}/escalations"): {"reason": "Raised by test"},
    ("POST", "/api/v1/documentation/sources"): {"url": "https://docs.example.com/"},
    ("POST", "/api/v1/knowledge/synonyms"): {"words": ["walkin", "sameday"]},
    ("PATCH", "/api/v1/documentation/sources/{source_id}"): {"name": "Changed by test"},
    # The target escalation is assigned to the tenant's agent, so every allowed role may work it.
    ("PATCH", "/api/v1/escalations/{escalation_id}"): {"status": "acknowledged"},
    # The target call is a phone call: allowed roles get 409 not_a_test_call.
    ("POST", "/api/v1/calls/{call_id}/messages"): {"text": "hello"},
    ("POST", "/api/v1/qa/scorecards"): {"name": "Matrix", "criteria": [{"key": "k", "label": "K"}]},
    ("PATCH", "/api/v1/qa/scorecards/{scorecard_id}"): {"name": "Changed by test"},
    ("POST", "/api/v1/calls/{call_id}/evaluations"): {
        "results": [{"key": key, "result": "na"} for key in DEFAULT_CRITERIA_KEYS]
    },
}
