"""Find and import the modules that register jobs, so a process knows every handler.

Every ``aicaller/<domain>/tasks.py`` is imported automatically; more modules (plugins, tests) are
named, comma separated, in ``AICALLER_JOB_MODULES``.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from collections.abc import Iterable
from pathlib import Path

import aicaller

JOB_MODULES_ENV = "AICALLER_JOB_MODULES"


def discover_task_modules() -> list[str]:
    """``aicaller.<domain>.tasks`` for every domain package that has one."""
    found = []
    for package in pkgutil.iter_modules(aicaller.__path__):
        if not package.ispkg:
            continue
        children = pkgutil.iter_modules([str(Path(aicaller.__path__[0]) / package.name)])
        if any(child.name == "tasks" for child in children):
            found.append(f"aicaller.{package.name}.tasks")
    return sorted(found)


def configured_job_modules() -> list[str]:
    raw = os.environ.get(JOB_MODULES_ENV, "")
    return [name.strip() for name in raw.split(",") if name.strip()]


def load_job_modules(extra: Iterable[str] = ()) -> list[str]:
    """Import the domains' task modules, ``extra`` and AICALLER_JOB_MODULES; returns their names.

    A module that fails to import raises: a worker missing handlers must not start silently.
    """
    names = list(dict.fromkeys([*discover_task_modules(), *extra, *configured_job_modules()]))
    for name in names:
        importlib.import_module(name)
    return names
