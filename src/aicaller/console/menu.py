"""The console's menu: each entry shows only for roles the API lets use what it opens."""

from __future__ import annotations

from typing import Any

from aicaller.agent.routes import web_calls
from aicaller.analytics.routes import deps as analytics_deps
from aicaller.businesses import routes as config_routes
from aicaller.calls import deps as call_deps
from aicaller.knowledge.documents import routes as document_routes
from aicaller.users.routes import users as user_routes

MENU: tuple[tuple[str, str, Any], ...] = (
    ("/app/overview", "Overview", analytics_deps.Reader),
    ("/app/calls", "Calls", call_deps.Reader),
    ("/app/live", "Live", call_deps.Reader),
    ("/app/escalations", "Escalations", call_deps.Reader),
    ("/app/knowledge", "Knowledge", document_routes.Reader),
    ("/app/test-call", "Test call", web_calls.Caller),
    ("/app/exports", "Exports", analytics_deps.Exporter),
    ("/app/settings", "Settings", config_routes.Reader),
    ("/app/team", "Team", user_routes.AdminReader),
)
