#!/bin/sh
# Prints the interpreter `make` builds .venv with: CPython 3.12 (or else 3.13) when this
# machine has one that runs, on PATH or installed by pyenv (which keeps the versions other than
# its global one off PATH), otherwise python3 (3.11 or newer). On 3.12+ coverage follows the
# tests through sys.monitoring, which costs `make test` almost nothing; 3.11's C tracer, which
# must also follow SQLAlchemy's greenlets, doubles the suite's CPU (docs/adr/0026). 3.12 comes
# first because CI measures the suite on it.
works() {
    "$1" -c 'import sys; sys.exit(not (3, 12) <= sys.version_info[:2] <= (3, 13))' >/dev/null 2>&1
}
for candidate in python3.12 python3.13; do
    if works "$candidate"; then
        echo "$candidate"
        exit 0
    fi
done
if command -v pyenv >/dev/null 2>&1; then
    for minor in 3.12 3.13; do
        # The newest patch release first.
        for version in $(pyenv versions --bare 2>/dev/null | grep -E "^$minor\.[0-9]+$" | sort -rV); do
            candidate="$(pyenv root)/versions/$version/bin/python3"
            if works "$candidate"; then
                echo "$candidate"
                exit 0
            fi
        done
    done
fi
echo python3
