"""The suite's root: the fixtures live in tests/fixtures.py, loaded where tests run.

pytest-xdist's controller runs no test; importing the fixtures would import the whole product
there (seconds of CPU) before it starts its first worker, so it does not load them.
"""

from __future__ import annotations

import pytest

# The order make test's xdist workers run the modules in.
pytest_plugins = ["tests.scheduling"]


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Load the fixtures, and with them the product, once coverage measures this process:
    pytest-cov starts a worker's measurement in its own pytest_sessionstart, and the lines a
    module runs as it is imported (its imports, definitions, constants) count only if they run
    after that. They used to be counted in the controller, which imported everything first."""
    plugins = session.config.pluginmanager
    if not plugins.hasplugin("dsession"):  # pytest-xdist's controller runs no test
        plugins.import_plugin("tests.fixtures")
