"""Settings for the tests: production's, with debug off, over plain HTTP on one machine.

`pytest` reads this module (pyproject.toml), so the suite runs the same from `make test` and
from a plain `pytest`. No real secret, no HTTPS redirect or secure-only cookies, no
collectstatic; a variable already set in the environment wins.
"""

import os

for name, value in {
    "DJANGO_SECRET_KEY": "test-only-not-secret",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_SECURE_COOKIES": "0",
    "DJANGO_HSTS_SECONDS": "0",
    "DJANGO_STATIC_MANIFEST": "0",
}.items():
    os.environ.setdefault(name, value)

from portal.settings import *  # noqa: E402, F403

# A fourth comparable kind, registered the way an app would register one (tests/fourth_kind).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.fourth_kind"]  # noqa: F405

# The Redis database the tests may use, and empty: never 13 or 14, which `make bench`,
# `make load` and `make resilience` use.
TEST_REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
