"""The suite's root: the fixtures live in tests/fixtures.py, loaded where tests run.

pytest-xdist's controller runs no test; importing the fixtures would import the whole product
there (seconds of CPU) before it starts its first worker, so it does not load them.
"""

from __future__ import annotations

import pytest

# The order make test's xdist workers run the modules in.
pytest_plugins = ["tests.scheduling"]


@pytest.hookimpl(trylast=True)  # after pytest-xdist's own pytest_configure registered its session
def pytest_configure(config: pytest.Config) -> None:
    if not config.pluginmanager.hasplugin("dsession"):
        config.pluginmanager.import_plugin("tests.fixtures")
