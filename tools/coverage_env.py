"""Prints the environment ``make test`` runs coverage with, as ``NAME=value`` words.

On Python 3.12+ coverage reads lines through sys.monitoring, which costs the suite almost
nothing and needs no help with SQLAlchemy's greenlets; on 3.11 coverage's defaults stand (the
C tracer, following greenlets as pyproject.toml asks). docs/adr/0026 has the numbers' story.
"""

import sys

SYSMON = {"COVERAGE_CORE": "sysmon", "AICALLER_COVERAGE_GREENLET": "thread"}

if __name__ == "__main__":
    if sys.version_info >= (3, 12):
        print(" ".join(f"{name}={value}" for name, value in SYSMON.items()))
