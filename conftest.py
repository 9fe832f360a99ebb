import os
import tempfile

# Set here rather than in pyproject.toml so that it comes before Django reads
# the settings: tests run without DEBUG, like production, and need a key.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-secret")
# The default cache lives in files: each test run gets its own folder, so that two runs
# (or a running site) never share one.
os.environ.setdefault("DJANGO_CACHE_DIR", tempfile.mkdtemp(prefix="news-test-cache-"))

import django  # noqa: E402

django.setup()
