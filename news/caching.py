"""The page cache for anonymous readers, and its exact invalidation.

Every cached page's key holds a content version. Any change to what readers can
see (an article, its tags or pins, a topic) bumps the version once the change is
committed, so the next request renders afresh. A page is never kept past the
next scheduled publication or end of publication, so those appear on time
without anything being written.
"""

import hashlib
import threading
import time
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property

from .cache_backends import CacheUnavailable, cache_recovered

VERSION_KEY = "news:content-version"
NEXT_CHANGE_KEY = "news:next-change:{version}"
PAGE_KEY = "news:page:{version}:{digest}"
LOCK_KEY = "news:render:{digest}"
# How long one render may keep others of the same cold page waiting.
LOCK_SECONDS = 10
WAIT_STEP = 0.02


def content_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        # A new cache (or an evicted key): start from the clock, so the version
        # never goes back to one that pages were cached under before.
        cache.add(VERSION_KEY, time.time_ns())
        version = cache.get(VERSION_KEY)
    return version


def bump_content_version():
    """Make every cached page stale, now and again once the transaction commits."""
    _bump()
    # A reader's request between the first bump and the commit may have cached
    # what the database still showed; the second bump drops that page.
    transaction.on_commit(_bump)


def _bump():
    """Bump the version; if the cache does not answer, owe the bump until it does."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.add(VERSION_KEY, time.time_ns())
    except CacheUnavailable:
        _owe_bump()


_owed = threading.Event()


def _owe_bump():
    """Keep trying the bump in the background: pages cached before the change may still be
    in the cache when it answers again, and no request of this process may come to pay."""
    if _owed.is_set():
        return
    _owed.set()

    def pay():
        while _owed.is_set():
            time.sleep(1)
            try:
                cache.incr(VERSION_KEY)
            except ValueError:
                cache.add(VERSION_KEY, time.time_ns())
            except CacheUnavailable:
                continue
            _owed.clear()

    threading.Thread(target=pay, name="news-cache-debt", daemon=True).start()


def _after_outage(**kwargs):
    # Whatever this process changed meanwhile, the pages cached before it are stale.
    _bump()


cache_recovered.connect(_after_outage, dispatch_uid="news-cache-recovered")


def _cache_answers():
    return getattr(cache, "is_up", True)


def next_change(version, started):
    """Return the first scheduled change after `started` (None: none), looked up once per
    content version."""
    key = NEXT_CHANGE_KEY.format(version=version)
    entry = cache.get(key)
    # The cached moment is the first change after the time it was looked up for.
    if entry is None or entry[0] > started or (entry[1] and entry[1] <= started):
        from .models import Article

        entry = (started, Article.objects.next_change(started))
        cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
    return entry[1]


def page_timeout(version, started):
    """Seconds a page rendered from `started` on may be kept (0: not at all).

    The usual life, cut short by the first scheduled change after the render *started*:
    a change that fell during the render may be missing from the page.
    """
    timeout = settings.PAGE_CACHE_SECONDS
    moment = next_change(version, started)
    if moment is not None:
        left = (moment - timezone.now()) / timedelta(seconds=1)
        timeout = min(timeout, max(0, int(left)))
    return timeout


def cached_count(queryset, name):
    """Return queryset.count(), counted once per content version (and scheduled change)."""
    version = content_version()
    if version is None:  # the cache does not answer
        return queryset.count()
    key = f"news:count:{version}:{hashlib.sha256(name.encode()).hexdigest()}"
    count = _fresh(cache.get(key))
    if count is None:
        started = timezone.now()
        count = queryset.count()
        _keep(key, count, page_timeout(version, started))
    return count


def _keep(key, value, timeout):
    if timeout > 0:
        cache.set(key, (value, timezone.now() + timedelta(seconds=timeout)), timeout)


class CachedCountPaginator(Paginator):
    """A paginator whose total comes from cached_count: counting grows with the articles."""

    def __init__(self, object_list, per_page, *, count_key, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self):
        return cached_count(self.object_list, self.count_key)


def _may_use_cache(request):
    # A session means a logged-in editor (readers get none): they always see fresh pages.
    return request.method in ("GET", "HEAD") and (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _digest(request):
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return hashlib.sha256(url.encode()).hexdigest()


def cached_for_readers(view):
    """Serve anonymous readers from the page cache; render each page once per version."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _may_use_cache(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            response["X-Page-Cache"] = "bypass"
            return response

        version = content_version()
        if version is None:  # the cache does not answer: straight from the database
            response, rendered = _rendered(view(request, *args, **kwargs)), True
        else:
            digest = _digest(request)
            key = PAGE_KEY.format(version=version, digest=digest)
            response = _fresh(cache.get(key))
            rendered = False
            if response is None:
                response, rendered = _render_once(request, view, args, kwargs, key, digest, version)
        # Like a CDN's X-Cache: shows whether this request rendered the page.
        response["X-Page-Cache"] = "miss" if rendered else "hit"
        if not response.has_header("Cache-Control"):  # feeds set their own
            patch_cache_control(
                response,
                public=True,
                max_age=settings.PAGE_BROWSER_SECONDS,
                stale_while_revalidate=settings.PAGE_STALE_SECONDS,
            )
        return response

    return wrapper


def _rendered(response):
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    return response


def _fresh(entry):
    """Return a cached value unless its time is up (by the clock pages are dated by)."""
    if entry is None:
        return None
    value, expires = entry
    return value if timezone.now() < expires else None


def _render_once(request, view, args, kwargs, key, digest, version):
    """Render a cold page; requests arriving meanwhile wait for that render (no stampede).

    Return the response and whether this request rendered it.
    """
    lock = LOCK_KEY.format(digest=digest)
    deadline = time.monotonic() + LOCK_SECONDS
    locked = cache.add(lock, 1, LOCK_SECONDS)
    # No cache, no lock to wait for: every request renders from the database.
    while not locked and _cache_answers() and time.monotonic() < deadline:
        time.sleep(WAIT_STEP)
        response = _fresh(cache.get(key))
        if response is not None:
            return response, False
        locked = cache.add(lock, 1, LOCK_SECONDS)
    # Past the deadline without the lock, the render holding it takes too long: render too.
    try:
        # The render we waited for may have finished between two looks.
        response = _fresh(cache.get(key))
        if response is not None:
            return response, False
        started = timezone.now()
        # Looked up before rendering: the render's own counts then find it in the cache.
        next_change(version, started)
        response = _rendered(view(request, *args, **kwargs))
        if response.status_code == 200 and not response.streaming and not response.cookies:
            _keep(key, response, page_timeout(version, started))
        return response, True
    finally:
        if locked:
            cache.delete(lock)
