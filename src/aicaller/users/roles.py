"""Roles for people and scopes for API keys."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    AGENT = "agent"
    VIEWER = "viewer"


ALL_ROLES: tuple[Role, ...] = tuple(Role)
STAFF_ROLES: tuple[Role, ...] = (Role.ADMIN, Role.SUPERVISOR, Role.AGENT)
MANAGER_ROLES: tuple[Role, ...] = (Role.ADMIN, Role.SUPERVISOR)


class Scope(StrEnum):
    """What an API key may do. People are governed by their role instead."""

    USERS_READ = "users:read"
    USERS_WRITE = "users:write"
    CONFIG_READ = "config:read"
    CONFIG_WRITE = "config:write"
    CALLS_READ = "calls:read"
    CALLS_WRITE = "calls:write"  # create, change and delete call records
    KNOWLEDGE_READ = "knowledge:read"  # search, read documents
    KNOWLEDGE_WRITE = "knowledge:write"  # upload and delete documents
    QA_READ = "qa:read"  # scorecards and evaluations
    QA_WRITE = "qa:write"  # create scorecards, evaluate calls
    ANALYTICS_READ = "analytics:read"  # dashboard, call volume, QA stats, trends
    ANALYTICS_EXPORT = "analytics:export"  # call exports (CSV, JSONL)
