"""Settings for the test suite: the normal settings with PONTIO_ENV=test.

Tests run tasks immediately, use plain static storage and demo-safe defaults; everything
else (database from DATABASE_URL, middleware, security) is exactly as in production.
"""

import os

os.environ["PONTIO_ENV"] = "test"

from pontio.settings import *  # noqa: F403

# WhiteNoise looks for the collected files at start-up; tests serve from the finders.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

# Each test builds its own figures: nothing is kept between tests (the tests of the cache
# itself switch it on with a local-memory cache of their own).
CACHES["figures"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}  # noqa: F405
