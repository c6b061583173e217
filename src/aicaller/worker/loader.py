"""Find and import the modules that register jobs, so a process knows every handler.

Every ``tasks.py`` of a domain or sub-domain package is imported automatically; more modules
(plugins, tests) are named, comma separated, in ``AICALLER_JOB_MODULES``.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable
from pathlib import Path

import aicaller

JOB_MODULES_ENV = "AICALLER_JOB_MODULES"


def discover_task_modules() -> list[str]:
    """``aicaller.<domain>[.<sub-domain>].tasks`` for every package that has one."""
    root = Path(aicaller.__path__[0])
    return sorted(
        ".".join(["aicaller", *path.relative_to(root).with_suffix("").parts])
        for path in root.rglob("tasks.py")
        if (path.parent / "__init__.py").exists()
    )


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
