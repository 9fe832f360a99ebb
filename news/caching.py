"""The page cache for anonymous readers, and its exact invalidation.

Each kept page is tagged with what it shows (news/edge.py's keys: its articles, the lists
it is), and a change makes stale exactly the pages that show what changed (`changed`),
now and again once the change is committed: the rest of the site stays warm. A page
rendered from before a change of something it shows is never kept (the cache backends'
`set_many_tagged`). What every page shows (a country's or topic's name, an editors' page)
bumps the site's version instead, which every kept page holds. A page is never kept past
the next scheduled publication or end of publication, so those appear on time without
anything being written.

PageCacheMiddleware answers a cached page before the rest of the middleware runs, in one
cache round trip; `cached_for_readers` marks the views whose pages may be kept, and makes
each cold page render once.
"""

import hashlib
import threading
import time
from contextvars import ContextVar
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property

from . import edge
from .cache_backends import CacheUnavailable, cache_recovered
from .stored_pages import StoredPage, coding_for

# The site's version: bumped when what every page shows changes (`changed({edge.SITE})`).
VERSION_KEY = "news:content-version"
# The number of the last change readers can see, of any kind: what is computed once per
# change (facts, the next scheduled change) is keyed by it, and a page whose render
# began before a change of what it shows is not kept.
CHANGES_KEY = "news:changes"
# What renders (news/render_cache.py) are keyed by besides what each page names: the
# vocabulary (country and topic names, slugs and aliases, shown on pages whose articles did
# not change) and a generation bumped by changes that leave `updated_at` alone.
VOCABULARY_KEY = "news:vocabulary-version"
GENERATION_KEY = "news:render-generation"
# The first scheduled change, as (change number, looked up at, moment): one key, so that
# a Redis look-up can fetch it with the page (MISS_KEYS).
NEXT_CHANGE_KEY = "news:next-change"
# One entry per URL and coding, holding the site version it was rendered under
# (StoredPage.version): a hit is the page and the current version in one get_many.
PAGE_KEY = "news:page:{digest}:{coding}"
# Per version: a render kept by the page cache may leave its lock to expire (one round
# trip less), as no request for another version waits on it.
LOCK_KEY = "news:render:{digest}:{version}"
# What a render reads next: on Redis, read with the render lock, in the same round trip.
MISS_KEYS = (CHANGES_KEY, VOCABULARY_KEY, GENERATION_KEY, NEXT_CHANGE_KEY)
# Facts kept per change number (the next scheduled change, list totals) live at most this
# long, however long pages are kept: their keys (the next change: its value) hold the
# number, so an edit makes them stale at once.
FACT_SECONDS = 3600
# How long one render may keep others of the same cold page waiting.
LOCK_SECONDS = 10
WAIT_STEP = 0.02


def content_version():
    return counter(VERSION_KEY)


def counter(key):
    """Return the counter under `key` (None: the cache does not answer)."""
    value = cache.get(key)
    if value is None:
        # A new cache (or an evicted key): start from the clock, so the counter
        # never goes back to a value that pages were kept under before.
        cache.add(key, time.time_ns(), timeout=None)
        value = cache.get(key)
    return value


def change_number():
    """Return the number of the last change readers can see (None: the cache does not
    answer), read once per request."""
    found = _read([CHANGES_KEY]).get(CHANGES_KEY)
    if found is None:
        found = counter(CHANGES_KEY)
        _remember({CHANGES_KEY: found})
    return found


def changed(keys):
    """Make stale the kept pages that show any of `keys` (news/edge.py; `edge.SITE`: every
    page), here and at the edge, now and again once the transaction commits."""
    keys = frozenset(keys)
    _invalidate(keys)
    # A reader's request between the first invalidation and the commit may have kept what
    # the database still showed; the second drops that page.
    transaction.on_commit(lambda: _invalidate(keys))
    edge.purge(keys)


def bump_content_version():
    """Make every cached page stale, now and again once the transaction commits."""
    _invalidate({edge.SITE})
    transaction.on_commit(lambda: _invalidate({edge.SITE}))


def _invalidate(keys):
    """Number this change and make the pages that show `keys` stale; if the cache does not
    answer, owe it a new site version (every page) for when it does."""
    invalidate_tags = getattr(cache, "invalidate_tags", None)
    try:
        number = _incr(CHANGES_KEY)
        if edge.SITE in keys or invalidate_tags is None:
            _incr(VERSION_KEY)
        else:
            invalidate_tags(sorted(keys), number)
    except CacheUnavailable:
        _owe_bump(CHANGES_KEY)
        _owe_bump(VERSION_KEY)


def render_counters():
    """Return (vocabulary version, render generation), in one round trip at most; None for
    a counter when the cache does not answer.

    On the file cache they are looked up only when the page cache missed, not with the
    page: there each key of a get_many is a look-up of its own, and two more would cost
    every page-cache hit some 45 µs (about a tenth) to save a page-cache miss as much.
    """
    keys = (VOCABULARY_KEY, GENERATION_KEY)
    found = _read(keys)
    counters = tuple(found.get(key) or counter(key) for key in keys)
    _remember(dict(zip(keys, counters, strict=True)))
    return counters


def bump_vocabulary_version():
    """Make every render stale that shows a country's or topic's name, slug or alias: all
    of them (teasers' date lines name countries); now and again once the transaction
    commits, as bump_content_version does."""
    _bump_twice(VOCABULARY_KEY)


def bump_render_generation():
    """Make every render stale, now and again once the transaction commits: for changes to
    what pages show that leave the articles' `updated_at` alone (QuerySet.update())."""
    _bump_twice(GENERATION_KEY)


def _bump_twice(key):
    _bump(key)
    # A render made between the first bump and the commit showed what the database still
    # held, under the new counter; the second bump names another key for every page.
    transaction.on_commit(lambda: _bump(key))


def _bump(key=VERSION_KEY):
    """Bump a counter; if the cache does not answer, owe the bump until it does."""
    try:
        _incr(key)
    except CacheUnavailable:
        _owe_bump(key)


def _incr(key):
    """Count one up under `key`; return the new count."""
    try:
        return cache.incr(key)
    except ValueError:
        # A new cache (or an evicted key): from the clock, as `counter` starts.
        cache.add(key, time.time_ns(), timeout=None)
        return cache.incr(key)


_owed = set()
_owed_lock = threading.Lock()


def _owe_bump(key):
    """Keep trying the bump in the background: pages cached before the change may still be
    in the cache when it answers again, and no request of this process may come to pay."""
    with _owed_lock:
        paying = bool(_owed)
        _owed.add(key)
    if paying:
        return

    def pay():
        while True:
            time.sleep(1)
            with _owed_lock:
                keys = sorted(_owed)
            try:
                for owed in keys:
                    _incr(owed)
                    with _owed_lock:
                        _owed.discard(owed)
            except CacheUnavailable:
                continue
            with _owed_lock:
                if not _owed:
                    return

    threading.Thread(target=pay, name="news-cache-debt", daemon=True).start()


def _after_outage(**kwargs):
    # Whatever this process changed meanwhile, the pages and renders kept before are stale.
    for key in (CHANGES_KEY, VERSION_KEY, VOCABULARY_KEY, GENERATION_KEY):
        _bump(key)


cache_recovered.connect(_after_outage, dispatch_uid="news-cache-recovered")


def _cache_answers():
    return getattr(cache, "is_up", True)


def next_change(number, started):
    """Return the first scheduled change after `started` (None: none), looked up once per
    change `number`."""
    entry = _read([NEXT_CHANGE_KEY]).get(NEXT_CHANGE_KEY)
    # The cached moment is the first change after the time it was looked up for.
    if (
        entry is None
        or entry[0] != number
        or entry[1] > started
        or (entry[2] and entry[2] <= started)
    ):
        from .models import Article

        entry = (number, started, Article.objects.next_change(started))
        cache.set(NEXT_CHANGE_KEY, entry, FACT_SECONDS)
        _remember({NEXT_CHANGE_KEY: entry})
    return entry[2]


def page_timeout(number, started, life=None):
    """Seconds a page rendered from `started` on may be kept (0: not at all).

    The usual life (`life`, or PAGE_CACHE_SECONDS), cut short by the first scheduled
    change after the render *started*: a change that fell during the render may be
    missing from the page.
    """
    timeout = settings.PAGE_CACHE_SECONDS if life is None else life
    moment = next_change(number, started)
    if moment is not None:
        left = (moment - timezone.now()) / timedelta(seconds=1)
        timeout = min(timeout, max(0, int(left)))
    return timeout


def cached_count(queryset, name):
    """Return queryset.count(), counted once per change (and scheduled change)."""
    return cached_fact(f"count:{name}", queryset.count)


def cached_fact(name, compute):
    """Return compute(), computed once per change (and scheduled change): for what many
    pages show and any edit may change (counts, the front page's sidebar)."""
    number = change_number()
    if number is None:  # the cache does not answer
        return compute()
    key = f"news:fact:{number}:{hashlib.sha256(name.encode()).hexdigest()}"
    value = _fresh(cache.get(key))
    if value is None:
        started = timezone.now()
        value = compute()
        _keep(key, value, page_timeout(number, started, FACT_SECONDS))
    return value


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


# Where news/page_hits.py passes its look-up (a miss) on to PageCacheMiddleware.
LOOKUP_ENVIRON_KEY = "news.page_lookup"
# The look-up of the reader's page being rendered, for what it read of the cache.
_this_request = ContextVar("news_page_lookup", default=None)


def _read(keys):
    """Return cache.get_many(keys), without asking again for what this request read."""
    lookup = _this_request.get()
    if lookup is None:
        return cache.get_many(keys)
    missing = [key for key in keys if key not in lookup.read]
    if missing:
        found = cache.get_many(missing)
        lookup.read.update((key, found.get(key)) for key in missing)
    return {key: lookup.read[key] for key in keys if lookup.read[key] is not None}


def _remember(values):
    lookup = _this_request.get()
    if lookup is not None:
        lookup.read.update(values)


def lookup_page(request):
    """Look `request`'s page up in one cache round trip: return (the stored page or None,
    PageLookup), or None for a request the page cache never answers (editors, POST, static
    and media files)."""
    if not _may_use_cache(request) or request.path.startswith(_never_pages()):
        return None
    digest, coding = _digest(request), coding_for(request)
    key = PAGE_KEY.format(digest=digest, coding=coding)
    found = cache.get_many([VERSION_KEY, key])
    version, page = found.get(VERSION_KEY), found.get(key)
    if page is not None and not page.serves(version, timezone.now()):
        page = None
    return page, PageLookup(digest, coding, key, version)


def _never_pages():
    return tuple(p for p in (settings.STATIC_URL, settings.MEDIA_URL) if p)


class PageCacheMiddleware:
    """Answer anonymous readers' cached pages before the rest of the middleware runs, and
    keep the pages that `cached_for_readers` views render, as they leave the whole stack
    (with every header the other middleware gave them), compressed once.

    Behind config/wsgi.py most hits never get here (news/page_hits.py); this answers the
    rest (HEAD) and whatever runs without that wrapper (tests).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        lookup = request.META.get(LOOKUP_ENVIRON_KEY)  # a miss, looked up in front of Django
        if lookup is None:
            found = lookup_page(request)
            if found is None:
                return self.get_response(request)
            page, lookup = found
            if page is not None:
                return page.response(request, "hit")
        digest, coding = lookup.digest, lookup.coding
        request.page_cache = lookup
        reading, naming = _this_request.set(lookup), edge.collecting()
        try:
            response = self.get_response(request)
        finally:
            _this_request.reset(reading)
            keys = edge.done(naming)
        if "X-Page-Cache" in response and response.status_code == 200:
            # A reader's page: what it shows, for the edge. A kept page is sent with its own
            # life (StoredPage.headers_for); one not kept, the edge must not keep either.
            response.headers.setdefault(settings.SURROGATE_KEY_HEADER, edge.header_value(keys))
            response.headers.setdefault("Surrogate-Control", "max-age=0")
        store = getattr(response, "page_cache_store", None)
        # Set by news/render_cache.py; called here, once every middleware has had its say
        # about cookies and tokens.
        keep_render = getattr(response, "keep_render", None)
        if store is None and keep_render is None:
            return response
        version, number, timeout, lock = store or (None, None, 0, None)
        try:
            if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or response.cookies:
                return response  # never keep (or compress) a page with a token or a session
            if keep_render is not None:
                keep_render(response)
            if store is None:
                return response
            pages = StoredPage.from_response(response, version, timezone.now(), timeout)
            if timeout > 0:
                kept = _keep_page(
                    {PAGE_KEY.format(digest=digest, coding=c): p for c, p in pages.items()},
                    timeout,
                    keys,
                    number,
                    lock,
                )
                # Readers of this version find the page from now on; the lock, named by the
                # version and deleted with the page, can expire by itself unless the page
                # expires first.
                if kept and timeout >= LOCK_SECONDS:
                    lock = None
            served = pages[coding].response(request, "miss")
            if "X-Render-Cache" in response:  # this response's, never the stored page's
                served["X-Render-Cache"] = response["X-Render-Cache"]
            return served
        finally:
            if lock:
                cache.delete(lock)


def _keep_page(pages, timeout, keys, number, lock):
    """Keep `pages` (one page's codings) tagged with the keys of what it shows, unless one
    changed since change `number`, when its render began; return whether it was kept."""
    set_many_tagged = getattr(cache, "set_many_tagged", None)
    if set_many_tagged is None:  # another backend: every change makes every page stale
        cache.set_many(pages, timeout)
        return True
    # The site's version stands for `edge.SITE`.
    shows = [key for key in keys if key != edge.SITE]
    return set_many_tagged(pages, timeout, shows, number, also=[lock])


class PageLookup:
    """What was looked up for this request: the URL's digest, the coding and key of the
    representation it gets, the site version, and what else it read of the cache
    ({key: value or None}), so that a render does not ask again."""

    def __init__(self, digest, coding, key, version, read=None):
        self.digest, self.coding, self.key, self.version = digest, coding, key, version
        self.read = read or {}


def cached_for_readers(view):
    """Let PageCacheMiddleware keep this view's pages for anonymous readers; render each
    cold page once, however many readers ask for it at the same time."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        lookup = getattr(request, "page_cache", None)
        if lookup is None:
            # Editors (and any request the middleware did not look up): always fresh.
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            response["X-Page-Cache"] = "bypass"
            return response
        if lookup.version is None:
            lookup.version = content_version()
        version = lookup.version
        if version is None:  # the cache does not answer: straight from the database
            response = _for_readers(_rendered(view(request, *args, **kwargs)))
            response["X-Page-Cache"] = "miss"
            return response
        return _render_once(request, view, args, kwargs, lookup, version)

    return wrapper


def _for_readers(response):
    if not response.has_header("Cache-Control"):  # feeds set their own
        patch_cache_control(
            response,
            public=True,
            max_age=settings.PAGE_BROWSER_SECONDS,
            stale_while_revalidate=settings.PAGE_STALE_SECONDS,
        )
    return response


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


def _lock_and_read(lock, lookup):
    """Take the render lock; where the cache can (Redis), read MISS_KEYS with it."""
    add_and_get_many = getattr(cache, "add_and_get_many", None)
    if add_and_get_many is None:
        return cache.add(lock, 1, LOCK_SECONDS)
    locked, found = add_and_get_many(lock, 1, LOCK_SECONDS, MISS_KEYS)
    lookup.read.update((key, found.get(key)) for key in MISS_KEYS)
    return locked


def _render_once(request, view, args, kwargs, lookup, version):
    """Render a cold page; requests arriving meanwhile wait for that render (no stampede).

    The page is kept by PageCacheMiddleware, which then leaves the lock to expire (or lets
    go of it, for a page kept less long than the lock).
    """
    key, lock = lookup.key, LOCK_KEY.format(digest=lookup.digest, version=version)
    deadline = time.monotonic() + LOCK_SECONDS
    locked = first_try = _lock_and_read(lock, lookup)
    # No cache, no lock to wait for: every request renders from the database.
    while not locked and _cache_answers() and time.monotonic() < deadline:
        time.sleep(WAIT_STEP)
        page = cache.get(key)
        if page is not None and page.serves(version, timezone.now()):
            return page.response(request, "hit")
        locked = cache.add(lock, 1, LOCK_SECONDS)
    # Past the deadline without the lock, the render holding it takes too long: render too.
    try:
        # The render we waited for may have finished between two looks. Had we the lock at
        # once, none finished since our look-up: a kept page keeps its lock till it expires
        # (but for a page kept only seconds, which costs a second render at most).
        page = None if first_try else cache.get(key)
        if page is not None and page.serves(version, timezone.now()):
            return page.response(request, "hit")
        # Read before rendering (with the lock, on Redis): a change of what the page shows
        # after this number keeps the page from being kept.
        number = change_number()
        started = timezone.now()
        # Looked up before rendering: the render's own counts then find it in the cache.
        next_change(number, started)
        response = _for_readers(_rendered(view(request, *args, **kwargs)))
        response["X-Page-Cache"] = "miss"
        if number is None:  # the cache stopped answering: nothing to keep
            return response
        if response.status_code == 200 and not response.streaming and not response.cookies:
            response.page_cache_store = (version, number, page_timeout(number, started), lock)
            locked = False  # the middleware lets go of it once the page is kept
        return response
    finally:
        if locked:
            cache.delete(lock)
