"""/healthz: 200 only when the database and the cache both answer."""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache

log = logging.getLogger(__name__)


def _database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        log.exception("Health check: the database does not answer")
        return False


def _cache_answers():
    try:
        cache.set("news:healthz", "ok", 10)
        return cache.get("news:healthz") == "ok"
    except Exception:
        log.exception("Health check: the cache does not answer")
        return False


@never_cache
def healthz(request):
    checks = {"database": _database_answers(), "cache": _cache_answers()}
    body = "".join(f"{name}: {'ok' if ok else 'FAIL'}\n" for name, ok in checks.items())
    status = 200 if all(checks.values()) else 503
    return HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")
