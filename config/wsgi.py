import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Page cache hits are answered in front of Django's handler (news/page_hits.py).
from news.page_hits import CachedPages  # noqa: E402

application = CachedPages(application)
