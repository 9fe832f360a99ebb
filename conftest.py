import os

# Set here rather than in pyproject.toml so that it comes before Django reads
# the settings: tests run without DEBUG, like production, and need a key.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-secret")

import django  # noqa: E402

django.setup()
