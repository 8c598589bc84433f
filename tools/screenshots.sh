#!/bin/sh
# Photographs the main pages of the portal and the back office at 360 px and at desktop width
# into docs/screenshots/, by running the accessibility walk of the browser tests (which opens
# every page anyway) with TRYGG_SCREENSHOTS set. Needs `make install` and Debian's chromium.
set -eu
cd "$(dirname "$0")/.."
TRYGG_SCREENSHOTS="$(pwd)/docs/screenshots" TRYGG_REQUIRE_BROWSER=1 \
    .venv/bin/python -m pytest -q tests/e2e/test_accessibility.py "$@"
